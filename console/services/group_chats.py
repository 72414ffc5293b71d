"""Group SMS chats: created locally at once, then on the server through the outbox.

The chat shows in the list straight away under a `local-…` id and messages can be written in
it; they queue behind the create and move to the server's id when it answers. The rules are
checked here first against the cache (count, duplicates, region, DND, number on the contact)
so the user hears about a mistake before anything is queued; the backend has the last word,
and a refusal there shows on the chat's outbox item with Retry / Discard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select

from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import parse_phone, require_us_or_canada
from console.services.mapping import to_conversation_row
from console.services.session import Session
from console.services.types import ConversationRow
from console.store import local_writes, queries
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import contact_phones, contacts, numbers

MIN_PARTICIPANTS = 2
MAX_PARTICIPANTS = 9


class GroupChatService:
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

    def create(self, number_id: str, participants: Sequence[tuple[str, str]]) -> ConversationRow:
        """Create a group chat from `number_id` with (contact_id, phone as typed) participants.

        Returns the conversation row at once (pending under a local id). Raises DomainError
        with the API's code for a rule broken in what the cache knows; nothing is written then.
        """
        if not MIN_PARTICIPANTS <= len(participants) <= MAX_PARTICIPANTS:
            raise DomainError(
                ErrorCode.PARTICIPANT_COUNT,
                f"A group chat needs {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS} participants.",
            )
        chosen: list[tuple[str, str]] = []
        for contact_id, phone in participants:
            e164 = parse_phone(phone)
            require_us_or_canada(e164)
            if any(e164 == seen for _, seen in chosen):
                raise DomainError(ErrorCode.DUPLICATE_PARTICIPANT, f"{e164} is chosen twice.")
            chosen.append((contact_id, e164))
        with self._cache.write() as conn:
            number = conn.execute(select(numbers).where(numbers.c.id == number_id)).first()
            if number is None:
                raise DomainError(ErrorCode.NOT_FOUND, "This business number is not available.")
            if not number.can_send:
                raise DomainError(
                    ErrorCode.NUMBER_ACCESS_DENIED, "You may not send from this business number."
                )
            require_us_or_canada(number.e164)
            shown = []
            for contact_id, e164 in chosen:
                contact = conn.execute(
                    select(contacts.c.name, contacts.c.dnd, contacts.c.deleted).where(
                        contacts.c.id == contact_id
                    )
                ).first()
                if contact is None or contact.deleted:
                    raise DomainError(ErrorCode.NOT_FOUND, f"No contact {contact_id!r}.")
                if contact.dnd:
                    raise DomainError(
                        ErrorCode.PARTICIPANT_DND, f"{contact.name} has Do Not Disturb on."
                    )
                phones = set(
                    conn.execute(
                        select(contact_phones.c.number).where(
                            contact_phones.c.contact_id == contact_id
                        )
                    ).scalars()
                )
                if e164 not in phones:
                    raise DomainError(
                        ErrorCode.PHONE_NOT_ON_CONTACT,
                        f"{e164} is not one of {contact.name}'s numbers.",
                    )
                shown.append({"contact_id": contact_id, "phone": e164, "name": contact.name})
            title = ", ".join(p["name"] for p in shown)
            conversation_id, _, _, changes = local_writes.queue_group_chat(
                conn, number_id=number_id, participants=shown, title=title, now=utcnow()
            )
            view = queries.get_conversation(conn, conversation_id)
        assert view is not None
        self._publish(changes)
        self._wake_sync()
        return to_conversation_row(view)
