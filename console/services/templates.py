"""Message templates: the user's own and the shared ones, read from the cache, written through
the outbox; and what a template says once its merge fields are filled for a conversation.

A template saved here shows at once (the reads lay the open outbox items over the cache) and
goes to the server in its own lane. Only admins make, change or delete shared templates (the
server checks it again).
"""

from __future__ import annotations

from collections.abc import Callable

from console.domain.errors import DomainError, ErrorCode
from console.domain.merge_fields import Rendered, render, unknown_fields
from console.domain.templates import (
    BODY_MAX,
    NAME_MAX,
    TemplateItem,
    TemplateProblem,
    name_key,
)
from console.services.merge_values import MergeValues
from console.services.session import Session
from console.store import template_queries, template_writes
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow


def _refused(problem: TemplateProblem, detail: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, detail, hint=problem.value)


class TemplateService:
    def __init__(
        self,
        cache: Cache,
        session: Session,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._session = session
        self._publish = publish
        self._wake_sync = wake_sync

    @property
    def agent_name(self) -> str:
        return self._session.user.name

    @property
    def may_share(self) -> bool:
        return self._session.user.role == "admin"

    def may_change(self, item: TemplateItem) -> bool:
        """Whether this user may edit or delete it: their own, or any shared one as admin."""
        return self.may_share if item.shared else item.owner_user_id in (
            None, self._session.user.id
        )

    # -- reads (a few hundred rows at most: a worker or the GUI thread alike) -------------

    def all(self, query: str = "") -> list[TemplateItem]:
        """Every template the user may insert, by name; `query` matches name or text."""
        with self._cache.read() as conn:
            items = template_queries.all_templates(conn, user_id=self._session.user.id)
        words = query.casefold().split()
        if not words:
            return items
        return [t for t in items
                if all(w in t.name.casefold() or w in t.body.casefold() for w in words)]

    def get(self, template_id: str) -> TemplateItem | None:
        with self._cache.read() as conn:
            return template_queries.get_template(conn, template_id)

    @staticmethod
    def fill(body: str, values: MergeValues) -> Rendered:
        return render(body, values)

    # -- writes ----------------------------------------------------------------------------

    def create(self, name: str, body: str, *, shared: bool = False) -> str:
        """A new template; returns its (local) id."""
        name, body = self._checked(name, body, shared=shared, template_id=None)
        with self._cache.write() as conn:
            template_id, changes = template_writes.queue_create(
                conn, name=name, body=body, shared=shared, now=utcnow()
            )
        self._done(changes)
        return template_id

    def edit(self, template_id: str, *, name: str, body: str, shared: bool) -> None:
        item = self._changeable(template_id)
        if shared != item.shared and not self.may_share:
            raise _refused(TemplateProblem.NOT_YOURS, "only admins share templates")
        name, body = self._checked(name, body, shared=shared, template_id=item.id)
        patch: dict[str, object] = {}
        if name != item.name:
            patch["name"] = name
        if body != item.body:
            patch["body"] = body
        if shared != item.shared:
            patch["shared"] = shared
        if not patch:
            return
        with self._cache.write() as conn:
            changes = template_writes.queue_edit(
                conn, template_id=item.id, patch=patch, now=utcnow()
            )
        self._done(changes)

    def delete(self, template_id: str) -> None:
        item = self._changeable(template_id)
        with self._cache.write() as conn:
            changes = template_writes.queue_delete(
                conn, template_id=item.id, name=item.name, now=utcnow()
            )
        self._done(changes)

    def _changeable(self, template_id: str) -> TemplateItem:
        item = self.get(template_id)
        if item is None:
            raise _refused(TemplateProblem.GONE, "no such template")
        if not self.may_change(item):
            raise _refused(TemplateProblem.NOT_YOURS, "only admins change shared templates")
        return item

    def _checked(
        self, name: str, body: str, *, shared: bool, template_id: str | None
    ) -> tuple[str, str]:
        name = " ".join(name.split())
        body = body.strip()
        if not name:
            raise _refused(TemplateProblem.NO_NAME, "a template needs a name")
        if not body:
            raise _refused(TemplateProblem.NO_BODY, "a template needs some text")
        if len(name) > NAME_MAX or len(body) > BODY_MAX:
            raise DomainError(ErrorCode.VALIDATION_ERROR,
                              f"at most {NAME_MAX} characters of name and {BODY_MAX} of text")
        # The server refuses a `{token}` in the name too (a name is a template's text as well).
        unknown = unknown_fields(body) or unknown_fields(name)
        if unknown:
            # The ui names them itself (merge_fields.unknown_fields), in the user's language.
            raise _refused(TemplateProblem.UNKNOWN_FIELD, "not merge fields: " + ", ".join(unknown))
        if shared and not self.may_share:
            raise _refused(TemplateProblem.NOT_YOURS, "only admins share templates")
        key = name_key(name)
        for other in self.all():
            same_scope = other.shared == shared and (shared or self.may_change(other))
            if other.id != template_id and same_scope and name_key(other.name) == key:
                raise _refused(TemplateProblem.NAME_TAKEN, f"a template is called {name!r}")
        return name, body

    def _done(self, changes: Changes) -> None:
        self._publish(changes)
        self._wake_sync()
