"""A signed-in profile at work: its cache, its sync engine and the services over them."""

from __future__ import annotations

import logging
from pathlib import Path

from console.protocol.auth import User
from console.services.chat_details import ChatDetailService
from console.services.compliance import ComplianceService
from console.services.contact_import import ContactImportService
from console.services.contacts import ContactService
from console.services.conversations import ConversationService
from console.services.dnd_history import DndHistoryService
from console.services.group_chats import GroupChatService
from console.services.group_message_recipients import GroupMessageRecipients
from console.services.groups import GroupService
from console.services.history import HistoryService
from console.services.notices import NoticeBoard, NoticeCode
from console.services.outbox import OutboxService
from console.services.quiet_hours import QuietHoursService
from console.services.scheduled import ScheduledService
from console.services.session import Session
from console.services.sync_service import RealtimeOptions, SyncService
from console.services.templates import TemplateService
from console.services.types import Notice
from console.store import session_meta
from console.store.cache import Cache
from console.store.coltypes import utcnow
from console.store.maintenance import clear_cached_data
from console.store.paths import normalize_server_url
from console.store.recovery import Recovery, open_or_rebuild
from console.sync.api_client import ApiClient
from console.sync.control import EngineControl, make_engine

log = logging.getLogger("console.services.workspace")

CLOSE_TIMEOUT_S = 1.5


class Workspace:
    def __init__(
        self,
        *,
        cache: Cache,
        client: ApiClient,
        engine: EngineControl,
        session: Session,
        conversations: ConversationService,
        sync: SyncService,
        notices: NoticeBoard,
    ) -> None:
        self._cache = cache
        self._client = client
        self._engine = engine
        self._closed = False
        self.session = session
        self.conversations = conversations
        self.sync = sync
        self.notices = notices
        # Every other write kind goes through the outbox too; one change channel for the UI.
        publish, wake = conversations.publish, engine.note_local_write
        self.contacts = ContactService(cache, publish=publish, wake_sync=wake, session=session)
        # First in line on the change channel: the contact search index is current before
        # any view re-reads (ContactService.follow_changes).
        conversations.changes.connect(self.contacts.follow_changes)
        self.groups = GroupService(cache, session, publish=publish, wake_sync=wake)
        self.group_chats = GroupChatService(cache, session, publish=publish, wake_sync=wake)
        # Asked of the server each time (not cached): a sent group message's recipients.
        self.group_message_recipients = GroupMessageRecipients(client)
        # Asked of the server each time too: a contact's DND history (the contact editor).
        self.dnd_history = DndHistoryService(client, cache)
        self.outbox = OutboxService(cache, publish=publish, wake_sync=wake)
        # The user's scheduled sends: the server sends them at their time, console open or not.
        self.scheduled = ScheduledService(cache, publish=publish, wake_sync=wake)
        # Templates the user inserts in compose: their own and the shared ones.
        self.templates = TemplateService(cache, session, publish=publish, wake_sync=wake)
        # Contacts from a file: checked here, sent as one import through the outbox.
        self.contact_imports = ContactImportService(cache, publish=publish, wake_sync=wake)
        # Read-only: the server's quiet hours rules as last synced (the default before any).
        self.quiet_hours = QuietHoursService(cache)
        # An admin's: numbers' opt-out hints and states' quiet hours windows.
        self.compliance = ComplianceService(cache, session, self.quiet_hours, publish=publish,
                                            wake_sync=wake)
        # Read-only: what the open conversation shows beside its messages (participants...).
        self.chat_details = ChatDetailService(cache)
        # Read-only, from the cache alone (offline too): the History page's search and filters.
        self.history = HistoryService(cache, session)

    def start(self) -> None:
        """Start the sync engine thread (returns at once)."""
        if self._closed:
            raise RuntimeError("this workspace is closed")
        self._engine.start()

    def close(self) -> None:
        """Stop the engine (bounded) and close the HTTP client and the cache. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.conversations.close()  # its pending local writes land before the cache closes
        stopped = self._engine.close(CLOSE_TIMEOUT_S)
        # Closing the client also aborts a request the engine may still be waiting on.
        self._client.close()
        if not stopped:
            log.warning("sync engine still finishing a request at close; not waiting for it")
        self._cache.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_workspace(
    cache_path: Path,
    server_url: str,
    token: str | None,
    user: User,
    *,
    poll_interval: float = 0.5,
    ca_bundle: str | None = None,
    realtime: RealtimeOptions | None = None,
    sync_process: bool | None = None,
) -> Workspace:
    """Open (creating or migrating) the profile cache and wire the services over it.

    Works with no network: everything reads from the cache, and with `token=None` (or the
    backend down) the status says offline until sign-in / the backend is back. Call start().
    """
    server = normalize_server_url(server_url)
    cache_path = Path(cache_path)
    # A file that cannot be used is moved aside and rebuilt, its outbox salvaged (told below).
    cache, recovery = open_or_rebuild(cache_path)
    try:
        with cache.write() as conn:
            previous = session_meta.load_session(conn)
            if previous is not None and previous.user.id != user.id:
                # A cache is only ever one account's copy: another account starts it afresh.
                log.info("profile cache held another account's data: clearing it")
                clear_cached_data(conn)
            session_meta.save_session(conn, server, user, utcnow())
    except BaseException:
        cache.close()
        raise
    session = Session(
        user=user, server_url=server, profile=cache_path.parent.name, cache_path=cache_path
    )
    realtime = realtime or RealtimeOptions()
    client = ApiClient(server, token, ca_bundle=ca_bundle)  # ca_bundle: self-hosted TLS
    # The callbacks below are late-bound: the engine only calls them once started.
    conversations = ConversationService(cache, session, wake_sync=lambda: engine.note_local_write())
    engine = make_engine(  # sync_process: the engine in a child process (sync/child_engine.py)
        cache,
        client,
        token,
        child_process=sync_process,
        on_changes=conversations.publish,
        on_status=lambda status: sync.report(status),
        poll_interval=poll_interval,
        realtime=realtime.enabled,
        heartbeat_s=realtime.heartbeat_s,
    )
    sync = SyncService(engine)
    return Workspace(
        cache=cache,
        client=client,
        engine=engine,
        session=session,
        conversations=conversations,
        sync=sync,
        notices=_notices(cache_path, recovery),
    )


def _notices(cache_path: Path, recovery: Recovery | None) -> NoticeBoard:
    board = NoticeBoard()
    if recovery is not None:
        board.emit(
            Notice(
                "warning",
                recovery.describe(cache_path),
                code=NoticeCode.CACHE_REBUILT,
                values=(
                    ("path", str(cache_path)),
                    ("problem", recovery.problem.value),
                    ("moved_to", str(recovery.moved_to or "")),
                    ("salvaged", recovery.salvaged),
                    ("outbox_readable", int(recovery.outbox_readable)),
                ),
            )
        )
    return board
