"""The main window. It only assembles panels and routes service events to them.

    window = MainWindow()                 # "Starting..." state, no services yet
    window.show_starting("Starting the demo backend...")
    window.attach_workspace(workspace)    # conversations, sync state and notices go live
    ...
    window.close()                        # detaches listeners; the caller closes the workspace

or simply `MainWindow(workspace)`.

Pages: a rail on the left (console/ui/nav_rail.py) and a stack of pages beside it, one
`show…Action` each in the View menu with Ctrl+digit (ARCHITECTURE.md "Stable object names"):
Conversations (Ctrl+1), Contacts (Ctrl+2), Groups (Ctrl+3), Group messages (Ctrl+4) and
History (Ctrl+5), each added the same way (console/ui/pages.py). Ctrl+N is the current
page's "new": a group SMS chat on Conversations, a contact on Contacts.

The Contacts page and the group editor are imported when first used: they pull in the services
(SQLAlchemy), which stay out of the first paint (PERFORMANCE.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from console import __version__
from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.merge_fields import render
from console.services.merge_values import conversation_values
from console.services.types import (
    ChangeSet,
    ConversationRow,
    MessageRow,
    Notice,
    Refusal,
    SyncState,
    SyncStatus,
)
from console.ui.account_menu import AccountMenu
from console.ui.bridge import ServiceBridge
from console.ui.compliance import ComplianceSettings
from console.ui.compose import ComposeWidget
from console.ui.conversation_list import CachedFirstPage, ConversationListModel
from console.ui.conversation_view import ConversationPanel
from console.ui.empty_state import EmptyState
from console.ui.error_texts import refusal_text
from console.ui.group_chat_actions import GroupChatActions
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.nav_rail import NavRail
from console.ui.notices import NoticeArea
from console.ui.notifier import Notifier
from console.ui.pages import Pages
from console.ui.preferences import TEXT_SIZE, THEME, Preferences
from console.ui.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QDialog,
    QGuiApplication,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSettings,
    QShowEvent,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.refused_writes import RefusedWritesDialog, refused_summary
from console.ui.schedule_times import Recipient
from console.ui.scheduled_list import ScheduledStrip
from console.ui.scheduled_sends import ScheduledSends, recipients_of
from console.ui.sidebar import Sidebar
from console.ui.sync_status import SyncStatusWidget
from console.ui.template_insert import Target, TemplateInsert
from console.ui.theme import apply_appearance, icon
from console.ui.tray import TrayIcon

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.workspace import Workspace
    from console.ui.contacts_page import ContactsPage
    from console.ui.group_messages_page import GroupMessagesPage
    from console.ui.groups_page import GroupsPage
    from console.ui.history_page import HistoryPage
    from console.ui.settings_dialog import SettingsDialog

log = logging.getLogger("console.ui.main_window")

WINDOW_TITLE = QT_TRANSLATE_NOOP("MainWindow", "Agent Console")


def window_title(unread: int) -> str:
    """'(3) Agent Console': the unread count where a taskbar or window switcher shows it."""
    if unread > 0:
        return translate("MainWindow", "({count}) Agent Console").format(count=unread)
    return translate("MainWindow", WINDOW_TITLE)
DEFAULT_SIZE = (1200, 760)


class MainWindow(QMainWindow):
    closing = Signal()  # the window is closing (listeners are detached right after)
    # The server stopped accepting the open workspace's sign-in (once per sign-in).
    signedOut = Signal()
    # A send the cache refused after compose let it go (conversation id, text, reason): from
    # the services' writer thread, so queued to this one.
    _sendRefused = Signal(str, str, str, str)
    # The same for an internal note: its text goes back in note mode, never as a message.
    _noteRefused = Signal(str, str, str, str)

    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        assert_gui_thread()
        self._settings = settings or QSettings("agent-console", "console")
        # Theme and text size before any widget: console/ui/theme.py, console/ui/palette.py.
        self.preferences = Preferences(self._settings, self)
        self._apply_appearance()
        self.preferences.changed.connect(self._on_preference_changed)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.setObjectName("mainWindow")
        self.setWindowTitle(window_title(0))
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(720, 480)
        self._workspace: Workspace | None = None
        self._bridge: ServiceBridge | None = None

        # Left: conversations. Middle: empty state, or the open conversation over compose.
        self.conversation_model = ConversationListModel(None, self)
        self.sidebar = Sidebar(self.conversation_model, self)
        self.conversation_list = self.sidebar.view
        self.conversation_panel = ConversationPanel(None, self)
        self.conversation_view = self.conversation_panel.view
        self.compose = ComposeWidget(self)
        self.empty_state = EmptyState(translate("MainWindow", "Starting..."), "", self)

        self.conversation_page = QWidget(self)
        self.conversation_page.setObjectName("conversationPage")
        page_layout = QVBoxLayout(self.conversation_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self.conversation_panel, 1)
        # The open conversation's scheduled sends (console/ui/scheduled_sends.py wires them).
        self.scheduled_strip = ScheduledStrip(self.conversation_page)
        page_layout.addWidget(self.scheduled_strip)
        page_layout.addWidget(self.compose)
        self.scheduled = ScheduledSends(
            self.compose, self.scheduled_strip, notify=lambda notice: self.show_notice(notice),
            open_conversation=lambda cid: self.select_conversation(cid),
            dialog_parent=self,
            recipients_now=self._recipients_now,
        )
        # Templates: compose's Ctrl+T picker, filled for the open conversation.
        self.templates = TemplateInsert(self, target=self._template_target)
        self.compose.templateRequested.connect(self.templates.open_picker)
        # An admin's compliance settings (opt-out hints, states' quiet hours).
        self.compliance = ComplianceSettings(self)
        self.middle = QStackedWidget(self)
        self.middle.setObjectName("middlePane")
        self.middle.addWidget(self.empty_state)
        self.middle.addWidget(self.conversation_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.middle)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, DEFAULT_SIZE[0] - 360])
        # The sidebar sets its own minimum width (its filter chips never clip).

        # Pages beside the rail: Conversations (the splitter above) and Contacts (made when
        # first shown). Room for Groups, Group messages and History: one add_page each.
        self.conversations_page = QWidget(self)
        self.conversations_page.setObjectName("conversationsPage")
        conversations_layout = QVBoxLayout(self.conversations_page)
        conversations_layout.setContentsMargins(0, 0, 0, 0)
        conversations_layout.addWidget(self.splitter)
        self.rail = NavRail(self)
        self.pages = Pages(self.rail, self)

        self.notices = NoticeArea(self)
        central = QWidget(self)
        central.setObjectName("central")
        main_column = QVBoxLayout()
        main_column.setContentsMargins(0, 0, 0, 0)
        main_column.setSpacing(0)
        main_column.addWidget(self.notices)
        main_column.addWidget(self.pages, 1)
        central_layout = QHBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.rail)
        central_layout.addLayout(main_column, 1)
        self.setCentralWidget(central)

        self.sync_status = SyncStatusWidget(self)
        self.statusBar().setObjectName("statusBar")
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().addWidget(self.sync_status)
        # Shown while the server has refused writes: opens the list to retry or discard them.
        self.refused_button = QPushButton(self)
        self.refused_button.setObjectName("refusedWritesButton")
        self.refused_button.setFlat(True)
        self.refused_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refused_button.setIcon(icon("warning"))
        self.refused_button.clicked.connect(self.show_refused_writes)
        self.refused_button.setToolTip(
            translate(
                "MainWindow",
                "The server refused some changes. Open the list to retry or discard them.",
            )
        )
        self.refused_button.hide()
        self._refused_shown = 0
        self._signed_out_told = False
        self.statusBar().addWidget(self.refused_button)
        self.refused_dialog: RefusedWritesDialog | None = None
        self._refused_dialog_counts: tuple[int, int] | None = None  # (refused, pending) shown
        self.account = QLabel(self)
        self.account.setObjectName("accountLabel")
        self.statusBar().addPermanentWidget(self.account)

        # Living on the desktop: Do not disturb, the tray with the unread count, notifications
        # for what comes in (console/ui/notifier.py), the unread count in the title.
        self.do_not_disturb_action = QAction(translate("MainWindow", "&Do not disturb"), self)
        self.do_not_disturb_action.setObjectName("doNotDisturbAction")
        self.do_not_disturb_action.setCheckable(True)
        self.do_not_disturb_action.setChecked(self.preferences.do_not_disturb)
        self.do_not_disturb_action.setToolTip(
            translate(
                "MainWindow",
                "No desktop notifications from Agent Console; unread counts still show",
            )
        )
        self.do_not_disturb_action.toggled.connect(self._set_do_not_disturb)
        self.do_not_disturb_button = QPushButton(translate("MainWindow", "Do not disturb"), self)
        self.do_not_disturb_button.setObjectName("doNotDisturbIndicator")
        self.do_not_disturb_button.setFlat(True)
        self.do_not_disturb_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.do_not_disturb_button.setToolTip(translate(
            "MainWindow",
            "Notifications are off. Click to turn them on.",
        ))
        self.do_not_disturb_button.clicked.connect(
            lambda: self.do_not_disturb_action.setChecked(False)
        )
        self.do_not_disturb_button.setVisible(self.preferences.do_not_disturb)
        self.statusBar().addPermanentWidget(self.do_not_disturb_button)
        self.tray = TrayIcon(self, self.do_not_disturb_action)
        self.settings_dialog: SettingsDialog | None = None
        self.tray.openConversation.connect(self.open_from_notification)
        self.tray.showWindow.connect(self.bring_to_front)
        self.tray.quitRequested.connect(self.close)
        self.notifier = Notifier(
            self.preferences, in_front=self.is_in_front, present=self.tray.show_notification,
            parent=self,
        )

        self._build_menus()
        self.conversation_list.conversationSelected.connect(self._open_conversation)
        # The group editor and the rows' menu (console/ui/group_chat_actions.py).
        self.chat_actions = GroupChatActions(
            self,
            self.conversation_model,
            self.conversation_panel,
            workspace=lambda: self._workspace,
            show_chat=self.open_conversation,
            show_list=self.show_conversations,
        )
        self.conversation_list.menuRequested.connect(self.chat_actions.show_menu)
        self.sidebar.create_button.clicked.connect(lambda: self.new_group_chat())
        self.conversation_model.totalsChanged.connect(self._update_rail_badge)
        # A blocked chat's "New group chat without..." (the panel's banner): the same editor.
        self.conversation_panel.newGroupWithout.connect(self.chat_actions.new_group_without)
        # Its "Continues ..." / "Replaced by ..." links open the other chat.
        self.conversation_panel.openConversation.connect(self.open_conversation)
        self.sidebar.opt_outs.openConversation.connect(self.open_conversation)
        # Compose hears what the open chat is (kind, recipients, may this user write in it).
        self.conversation_panel.bind_compose(self.compose)
        # A click (or Enter) on a conversation means "reply here": focus compose. Arrow keys
        # only browse, so they leave the focus in the list.
        self.conversation_list.clicked.connect(self._focus_compose)
        # A click on the open chat reads it again after "Mark as unread" (selecting opens).
        self.conversation_list.clicked.connect(lambda _: self.conversation_panel.read_again())
        self.conversation_list.activated.connect(self._focus_compose)
        self.conversation_panel.conversationUpdated.connect(self._on_conversation_updated)
        self.compose.sent.connect(self._on_sent)
        self._sendRefused.connect(self._on_send_refused, Qt.ConnectionType.QueuedConnection)
        self._noteRefused.connect(self._on_note_refused, Qt.ConnectionType.QueuedConnection)
        self._restore_settings()
        self.compose.set_conversation("", None)

        if workspace is not None:
            self.attach_workspace(workspace)
        else:
            self.show_starting(translate("MainWindow", "Starting..."))

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def show_starting(self, text: str, detail: str = "") -> None:
        """Before a workspace exists: say what is happening, in the middle pane and status bar."""
        self.middle.setCurrentWidget(self.empty_state)
        self.empty_state.set_text(text, detail)
        self.sync_status.show_text(text, SyncState.CONNECTING)

    def show_cached_list(self, first_page: CachedFirstPage, unread: dict[str, int]) -> None:
        """Before the workspace: the list's first page read from the cache file (console/
        app_startup.py). A conversation chosen from it opens once the workspace is attached."""
        self.conversation_model.show_cached(first_page, unread)

    def show_startup_error(self, text: str, detail: str = "") -> None:
        """Starting failed (e.g. the backend did not come up): say so plainly, no traceback."""
        if self._workspace is None:  # rows read ahead from a cache that did not open
            self.conversation_model.set_service(None)
        self.middle.setCurrentWidget(self.empty_state)
        self.empty_state.set_text(text, detail, error=True)
        self.sync_status.show_text(text, SyncState.OFFLINE, detail)

    def attach_workspace(self, workspace: Workspace) -> None:
        """Show `workspace`'s conversations and follow its changes, sync state and notices."""
        assert_gui_thread()
        self.detach_workspace()
        self._workspace = workspace
        bridge = ServiceBridge(self)
        bridge.changes.connect(self._on_changes)
        bridge.sync_status.connect(self.sync_status.set_status)
        bridge.sync_status.connect(self._on_sync_status)
        bridge.notice.connect(self.show_notice)
        bridge.track(workspace.conversations.changes.connect(bridge.on_changes))
        bridge.track(workspace.sync.status_changed.connect(bridge.on_sync_status))
        bridge.track(workspace.notices.connect(bridge.on_notice))
        self._bridge = bridge
        self.notifier.set_reader(workspace.conversations.messages_by_key)

        user = workspace.session.user
        where = f"{user.email} on {workspace.session.server_url}"
        self.sidebar.set_user(user.name or user.email, where)
        server = workspace.session.server_url.split("://", 1)[-1]
        self.account.setText(f"{user.email}  ·  {server}")
        self.account.setToolTip(where)
        self.conversation_model.set_service(workspace.conversations)
        self.conversation_panel.set_workspace(workspace)
        self.sidebar.opt_outs.set_source(workspace.conversations.open_opt_outs)
        self.scheduled.attach(workspace)
        self.templates.attach(workspace)
        self.compliance.attach(workspace)
        self.compliance_action.setVisible(self.compliance.available)
        if self.contacts_page is not None:
            self.contacts_page.set_workspace(workspace)
        if self.groups_page is not None:
            self.groups_page.set_workspace(workspace)
        if self.group_messages_page is not None:
            self.group_messages_page.set_workspace(workspace)
        if self.history_page is not None:
            self.history_page.set_workspace(workspace)
        self.sync_status.set_status(workspace.sync.status)
        self._on_sync_status(workspace.sync.status)
        if self.refused_dialog is not None:
            self.refused_dialog.set_source(workspace.outbox)
        # One chosen from the list read ahead of the workspace (its row is current already), or
        # else what was open last time, if it still exists.
        chosen = self.conversation_list.current_conversation_id()
        self._show_nothing_selected()
        if chosen:
            self._open_conversation(chosen)
        elif self._last_conversation:
            self.select_conversation(self._last_conversation)

    def detach_workspace(self) -> None:
        """Stop listening to the current workspace (does not close it: its owner does)."""
        assert_gui_thread()
        self.notifier.set_reader(None)
        if self._bridge is not None:
            self._bridge.close()
            self._bridge.deleteLater()
            self._bridge = None
        if self._workspace is not None:
            self._workspace = None
            # Whoever signs in next (or no one, after Sign out) is not the last user.
            self.sidebar.set_user("", "")
            self.account.setText("")
            self.account.setToolTip("")
            self.refused_button.hide()
            self._refused_shown = 0
            self._signed_out_told = False
            if self.refused_dialog is not None:
                self.refused_dialog.close()
            self.compose.set_conversation("", None)
            self.chat_actions.close_editor()  # it was for the workspace going away
            if self.contacts_page is not None:
                self.contacts_page.set_workspace(None)
            if self.groups_page is not None:
                self.groups_page.set_workspace(None)
            if self.group_messages_page is not None:
                self.group_messages_page.set_workspace(None)
            if self.history_page is not None:
                self.history_page.set_workspace(None)
            self.conversation_panel.set_workspace(None)
            self.sidebar.opt_outs.set_source(None)
            self.scheduled.attach(None)
            self.templates.attach(None)
            self.compliance.attach(None)
            self.compliance_action.setVisible(False)
            self.conversation_model.set_service(None)

    # -- actions ------------------------------------------------------------------------------
    def show_refused_writes(self) -> None:
        """The writes the server refused, to retry or discard (one window, not modal)."""
        if self._workspace is None:
            return
        if self.refused_dialog is None:
            self.refused_dialog = RefusedWritesDialog(self._workspace.outbox, self)
        else:
            self.refused_dialog.set_source(self._workspace.outbox)
        self._refused_dialog_counts = None  # set_source / the constructor read them afresh
        self.refused_dialog.show()
        self.refused_dialog.raise_()
        self.refused_dialog.activateWindow()

    def _on_sync_status(self, status: SyncStatus) -> None:
        if self.history_page is not None:  # offline: it says its list is this copy's
            self.history_page.set_sync_status(status)
        if status.signed_out != self._signed_out_told:
            self._signed_out_told = status.signed_out
            if status.signed_out:
                self.signedOut.emit()
        # Offline, a message not handed to the server yet says it waits, not "Sending…".
        self.conversation_panel.model.set_offline(status.state is SyncState.OFFLINE)
        # Statuses come often during a catch-up; the counts rarely move: touch widgets only then.
        count = status.refused_outbox
        counts = (count, status.pending_outbox)
        dialog = self.refused_dialog
        if dialog is not None and dialog.isVisible() and counts != self._refused_dialog_counts:
            self._refused_dialog_counts = counts
            dialog.reload()  # it also says what waits to be sent
        if count == self._refused_shown:
            return
        self._refused_shown = count
        self.refused_button.setText(
            translate("MainWindow", "{summary} - Review").format(summary=refused_summary(count))
        )
        self.refused_button.setVisible(count > 0)

    def select_conversation(self, conversation_id: str) -> bool:
        """Open `conversation_id` on the Conversations page (False: not in the cache)."""
        if not self.conversation_list.select_conversation(conversation_id):
            return False
        self.show_conversations()
        return True

    def open_conversation(self, conversation_id: str) -> bool:
        """Open it and put the cursor in compose, as a click on its row does."""
        if not self.select_conversation(conversation_id):
            return False
        self._focus_compose()
        return True

    # -- pages --------------------------------------------------------------------------------
    @property
    def contacts_page(self) -> ContactsPage | None:
        """The `contactsPage`, once it was first shown."""
        return cast("ContactsPage | None", self.pages.page("contacts"))

    @property
    def groups_page(self) -> GroupsPage | None:
        """The `groupsPage`, once it was first shown."""
        return cast("GroupsPage | None", self.pages.page("groups"))

    def _make_groups_page(self) -> QWidget:
        from console.ui.groups_page import GroupsPage  # its models and dialogs: when needed

        page = GroupsPage(self)
        page.set_workspace(self._workspace)
        return page

    @property
    def group_messages_page(self) -> GroupMessagesPage | None:
        """The `groupMessagesPage`, once it was first shown."""
        return cast("GroupMessagesPage | None", self.pages.page("group_messages"))

    def _make_group_messages_page(self) -> QWidget:
        from console.ui.group_messages_page import GroupMessagesPage  # services: when needed

        page = GroupMessagesPage(self, open_conversation=self.open_conversation)
        page.set_workspace(self._workspace)
        return page

    @property
    def history_page(self) -> HistoryPage | None:
        """The `historyPage`, once it was first shown."""
        return cast("HistoryPage | None", self.pages.page("history"))

    def _make_history_page(self) -> QWidget:
        from console.ui.history_page import HistoryPage  # its services: when needed

        page = HistoryPage(
            self, open_message=self.show_message, open_group_message=self.show_group_message
        )
        page.set_workspace(self._workspace)
        return page

    def show_message(self, conversation_id: str, message_key: str) -> bool:
        """Open the conversation scrolled to one of its messages, flashing it (History)."""
        if not self.select_conversation(conversation_id):
            return False
        return self.conversation_panel.reveal_message(message_key)

    def show_group_message(self, key: str) -> bool:
        """Show a sent group message on the Group messages page (History)."""
        self.show_group_messages_action.trigger()
        page = self.group_messages_page
        return page is not None and page.select_message(key)

    def current_page(self) -> str:
        """The current page's key: "conversations" or "contacts"."""
        return self.pages.current_key()

    def show_conversations(self) -> None:
        self.pages.show_page("conversations")

    def show_contacts(self) -> None:
        self.pages.show_page("contacts")

    def _page_changed(self, key: str) -> None:
        on_contacts = key == "contacts"
        if on_contacts:
            self.new_action.setText(translate("MainWindow", "&New contact..."))
            self.new_action.setStatusTip(translate("MainWindow", "Add a contact"))
        else:
            self.new_action.setText(translate("MainWindow", "&New group chat..."))
            self.new_action.setStatusTip(
                translate("MainWindow", "Start a group SMS chat with 2 to 9 contacts")
            )
        if key == "groups":
            self.new_action.setText(translate("MainWindow", "&New group..."))
            self.new_action.setStatusTip(translate(
                "MainWindow",
                "Make an audience group for in-app group messages",
            ))
        if key == "group_messages":
            self.new_action.setText(translate("MainWindow", "&New group message..."))
            self.new_action.setStatusTip(translate(
                "MainWindow",
                "Write an in-app message to everyone in a group",
            ))
        if key == "conversations":  # read while shown, not while another page covers it
            self.conversation_panel.mark_read_if_shown()

    def _make_contacts_page(self) -> QWidget:
        from console.ui.contacts_page import ContactsPage  # its model and editor: when needed

        page = ContactsPage(self)
        page.set_workspace(self._workspace)
        return page

    # -- new ----------------------------------------------------------------------------------
    def new_item(self) -> None:
        """Ctrl+N: the current page's "new" (a group chat here, a contact on Contacts)."""
        page = self.contacts_page
        if self.current_page() == "contacts" and page is not None:
            page.new_contact()
            return
        groups = self.groups_page
        if self.current_page() == "groups" and groups is not None:
            groups.new_group()
            return
        messages = self.group_messages_page
        if self.current_page() == "group_messages" and messages is not None:
            messages.new_group_message()
            return
        self.new_group_chat()

    def import_contacts(self) -> None:
        """File > Import contacts: on the Contacts page, where the new contacts show."""
        if self._workspace is None:
            return
        self.show_contacts()
        page = self.contacts_page
        if page is not None:
            page.import_contacts()

    def new_group_chat(
        self,
        *,
        number_id: str | None = None,
        participants: Sequence[tuple[str, str]] = (),
        replaces: str | None = None,
    ) -> QDialog | None:
        """Open the group editor, prefilled (console/ui/group_chat_actions.py)."""
        return self.chat_actions.new_group_chat(
            number_id=number_id, participants=participants, replaces=replaces
        )

    def conversation_menu(self, conversation_id: str) -> QMenu | None:
        """A row's right-click menu (objectName `conversationMenu`), not shown yet."""
        return self.chat_actions.conversation_menu(conversation_id)

    def show_participants(self, conversation_id: str) -> bool:
        """Open the chat with its participant panel open."""
        return self.chat_actions.show_participants(conversation_id)

    def show_notice(self, notice: Notice) -> None:
        """Tell the user something without stopping them: a banner they can dismiss."""
        # Not statusBar().showMessage(): that would hide the sync indicator while it shows.
        self.notices.add(notice)
        log.info("notice (%s): %s", notice.level, notice.text)

    def sync_now(self) -> None:
        if self._workspace is not None:
            self._workspace.sync.sync_now()

    # -- routing ------------------------------------------------------------------------------
    def _on_changes(self, changes: ChangeSet) -> None:
        risen = self.conversation_model.apply_changes(changes)
        if risen:
            self.notifier.arrived(risen, changes.messages)
        self.conversation_panel.apply_changes(changes)
        self.scheduled.on_changes(changes)
        self.templates.on_changes(changes)
        self.compliance.on_changes(changes)
        if changes.reset or changes.conversations:
            self.sidebar.opt_outs.refresh()  # a flag raised, answered or closed
        if self.contacts_page is not None:
            self.contacts_page.apply_changes(changes)
        if self.groups_page is not None:
            self.groups_page.apply_changes(changes)
        if self.group_messages_page is not None:
            self.group_messages_page.apply_changes(changes)
        if self.history_page is not None:
            self.history_page.apply_changes(changes)

    def _update_rail_badge(self) -> None:
        unread = self.conversation_model.total_unread()
        self.rail.set_badge("conversations", unread)
        self.tray.set_unread(unread)
        self.setWindowTitle(window_title(unread))

    # -- on the desktop -----------------------------------------------------------------------
    def is_in_front(self, conversation_id: str) -> bool:
        """Whether the user has `conversation_id` in front of them: no notification for it."""
        return (
            self.isVisible()
            and not self.isMinimized()
            and self.isActiveWindow()
            and self.current_page() == "conversations"
            and self.middle.currentWidget() is self.conversation_page
            and self.compose.conversation_id == conversation_id
        )

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        else:
            self.show()
        self.raise_()
        self.activateWindow()

    def open_from_notification(self, conversation_id: str) -> None:
        """A click on a notification: the window to the front, that conversation open."""
        self.bring_to_front()
        if not self.open_conversation(conversation_id):
            self.show_conversations()  # it went away meanwhile: the list at least

    def show_settings(self) -> SettingsDialog:
        """The settings dialog (one at a time; brought to the front if open)."""
        from console.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is None:
            dialog = SettingsDialog(
                self.preferences, self.account_menu, self.do_not_disturb_action,
                tray_available=self.tray.available, parent=self,
            )
            dialog.finished.connect(self._settings_closed)
            self.settings_dialog = dialog
        self.settings_dialog.open()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def _settings_closed(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    def _apply_appearance(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, self.preferences.theme, self.preferences.text_size)

    def _on_preference_changed(self, key: str) -> None:
        if key in (THEME, TEXT_SIZE):
            self._apply_appearance()

    def _on_system_scheme_changed(self, _scheme: object) -> None:
        if self.preferences.theme == "system":
            self._apply_appearance()

    def _set_do_not_disturb(self, on: bool) -> None:
        self.preferences.set_do_not_disturb(on)
        self.do_not_disturb_button.setVisible(on)

    def _open_conversation(self, conversation_id: str) -> None:
        if conversation_id and self._workspace is None:  # a row read ahead of the workspace
            self.empty_state.set_text(translate("MainWindow", "Opening the conversation..."),
                                      translate(
                                          "MainWindow",
                                          "It opens as soon as the console has finished starting.",
                                      ))
            self.middle.setCurrentWidget(self.empty_state)
            return
        if not conversation_id or self._workspace is None:
            self._show_nothing_selected()
            return
        # Show the page first: the panel marks the conversation read only while it is shown.
        self.middle.setCurrentWidget(self.conversation_page)
        self.conversation_panel.open(conversation_id)
        if self.conversation_panel.conversation is None:
            self._show_nothing_selected()
            return
        service = self._workspace.conversations

        def refused(text: str, reason: Refusal) -> None:
            self._sendRefused.emit(conversation_id, text, reason.code, reason.detail)

        def send(body: str, *, quiet_hours_override: bool = False) -> None:
            # Written on the services' writer thread: the GUI thread does not wait behind a
            # sync batch; the pending row shows when its change set comes.
            service.send_soon(conversation_id, body, refused,
                              quiet_hours_override=quiet_hours_override)

        def note_refused(text: str, reason: Refusal) -> None:
            self._noteRefused.emit(conversation_id, text, reason.code, reason.detail)

        def note(body: str) -> None:
            # As a send: written on the writer thread, the GUI thread never waits for it.
            service.add_note_soon(conversation_id, body, note_refused)

        self.compose.set_conversation(conversation_id, send, note)
        self.scheduled.set_conversation(conversation_id)
        self._on_conversation_updated(self.conversation_panel.conversation)
        self._last_conversation = conversation_id

    def _recipients_now(self) -> list[Recipient]:
        """The open conversation's people as the window shows them (quiet hours: no read)."""
        row = self.conversation_panel.conversation
        return recipients_of(row, self.conversation_panel.details) if row is not None else []

    def _template_target(self) -> Target | None:
        """The open conversation, when compose can write in it: templates fill in for its
        people (no read: the window has its row and details)."""
        row, workspace = self.conversation_panel.conversation, self._workspace
        if row is None or workspace is None or not self.compose.edit.isEnabled():
            return None
        values = conversation_values(row, self.conversation_panel.details,
                                     agent_name=workspace.session.user.name)
        group = row.kind is ConversationKind.GROUP_SMS
        return Target(
            fill=lambda body: render(body, values), insert=self.compose.insert_text,
            name=translate("MainWindow", "everyone in this chat") if group else row.title,
            note=translate(
                "MainWindow", "Everyone in a group chat reads the same text: their first names "
                "are listed together.") if group else "",
        )

    def _focus_compose(self, *_args: object) -> None:
        if self.compose.edit.isEnabled():
            self.compose.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_conversation_updated(self, row: ConversationRow | None) -> None:
        if row is None or row.id != self.compose.conversation_id:
            return
        if row.status is ConversationStatus.BLOCKED:
            self.compose.set_blocked(row.blocked_reason or translate(
                "MainWindow",
                "Sending is blocked here.",
            ))
        else:
            self.compose.set_blocked(None)

    def _on_send_refused(
        self, conversation_id: str, text: str, code: str, detail: str
    ) -> None:
        """A send compose let go was not written (the chat went, or was blocked meanwhile):
        its text goes back into the box if that chat is open with nothing typed, else the
        notice quotes it. Nothing the user wrote is lost."""
        reason = refusal_text(code, detail)
        compose = self.compose
        if compose.conversation_id == conversation_id and not compose.text().strip():
            compose.edit.setPlainText(text)
            compose.show_error(translate(
                "MainWindow", "{reason} It was not sent; your text is back in the box."
            ).format(reason=reason))
            return
        # Whole, however long: the notice is the only copy left (its text can be selected).
        self.show_notice(
            Notice("error", translate(
                "MainWindow", "A message was not sent: {reason} Its text: “{text}”"
            ).format(reason=reason, text=text))
        )

    def _on_note_refused(
        self, conversation_id: str, text: str, code: str, detail: str
    ) -> None:
        """A note compose let go was not written: as a refused send, but back in note mode,
        so the text cannot go out as a message by a second Ctrl+Enter."""
        reason = refusal_text(code, detail)
        compose = self.compose
        if compose.conversation_id == conversation_id and not compose.text().strip():
            compose.edit.setPlainText(text)
            compose.set_note_mode(True)
            compose.show_error(translate(
                "MainWindow", "{reason} The note was not added; your text is back in the box."
            ).format(reason=reason))
            return
        self.show_notice(
            Notice("error", translate(
                "MainWindow", "A note was not added: {reason} Its text: “{text}”"
            ).format(reason=reason, text=text))
        )

    def _on_sent(self, row: object) -> None:
        # Show the pending row at once; the change set that follows updates it in place.
        if isinstance(row, MessageRow):
            self.conversation_panel.model.upsert([row])
            self.conversation_model.refresh([row.conversation_id])
        self.conversation_view.stick_to_bottom()

    def _show_nothing_selected(self) -> None:
        self.empty_state.set_text(
            translate(
                "MainWindow",
                "Select a conversation",
            ), translate("MainWindow", "Choose one on the left to read and reply.")
        )
        self.middle.setCurrentWidget(self.empty_state)
        self.compose.set_conversation("", None)
        self.scheduled.set_conversation("")

    # -- menus and settings -------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(translate("MainWindow", "&File"))
        self.new_action = QAction(translate("MainWindow", "&New group chat..."), self)
        self.new_action.setObjectName("newAction")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)  # Ctrl+N
        self.new_action.triggered.connect(self.new_item)
        file_menu.addAction(self.new_action)
        self.import_contacts_action = QAction(translate("MainWindow", "&Import contacts..."), self)
        self.import_contacts_action.setObjectName("importContactsAction")
        self.import_contacts_action.setStatusTip(
            translate("MainWindow", "Add many contacts at once from a CSV or vCard file")
        )
        self.import_contacts_action.triggered.connect(self.import_contacts)
        file_menu.addAction(self.import_contacts_action)
        file_menu.addSeparator()
        # Accounts (console/ui/account_menu.py): the app controller acts on its signals.
        self.account_menu = AccountMenu(self)
        file_menu.addMenu(self.account_menu)
        file_menu.addAction(self.account_menu.sign_out_action)
        file_menu.addSeparator()
        file_menu.addAction(self.do_not_disturb_action)
        self.settings_action = QAction(translate("MainWindow", "&Settings..."), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Preferences), QKeySequence("Ctrl+,")]
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        file_menu.addAction(self.settings_action)
        self.compliance_action = QAction(translate("MainWindow", "&Compliance settings..."), self)
        self.compliance_action.setObjectName("showComplianceAction")
        self.compliance_action.setToolTip(translate(
            "MainWindow", "Admins: the opt-out hint of each number, and states' quiet hours"))
        self.compliance_action.triggered.connect(self.compliance.open)
        self.compliance_action.setVisible(False)  # until an admin's workspace is attached
        file_menu.addAction(self.compliance_action)
        file_menu.addSeparator()
        quit_action = QAction(translate("MainWindow", "&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(translate("MainWindow", "&View"))
        # One action per page (the rail's buttons hold the same ones); Ctrl+3..5 come later.
        self.show_conversations_action = self.pages.add_page(
            "conversations", translate(
                "MainWindow",
                "&Conversations",
            ), "Ctrl+1", "nav-conversations",
            lambda: self.conversations_page, object_name="showConversationsAction",
        )
        self.show_contacts_action = self.pages.add_page(
            "contacts", translate(
                "MainWindow",
                "C&ontacts",
            ), "Ctrl+2", "nav-contacts", self._make_contacts_page,
            object_name="showContactsAction",
        )
        self.show_groups_action = self.pages.add_page(
            "groups", translate(
                "MainWindow",
                "&Groups",
            ), "Ctrl+3", "nav-groups", self._make_groups_page,
            object_name="showGroupsAction",
        )
        self.show_group_messages_action = self.pages.add_page(
            "group_messages", translate(
                "MainWindow",
                "Group &messages",
            ), "Ctrl+4", "nav-group-messages",
            self._make_group_messages_page, object_name="showGroupMessagesAction",
        )
        self.show_history_action = self.pages.add_page(
            "history", translate(
                "MainWindow",
                "&History",
            ), "Ctrl+5", "nav-history", self._make_history_page,
            object_name="showHistoryAction",
        )
        self.pages.pageChanged.connect(self._page_changed)
        # Ctrl+1 (or the rail) means "to the list": the keyboard lands there, arrows browse.
        self.show_conversations_action.triggered.connect(
            lambda: self.conversation_list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        view_menu.addAction(self.show_conversations_action)
        view_menu.addAction(self.show_contacts_action)
        view_menu.addAction(self.show_groups_action)
        view_menu.addAction(self.show_group_messages_action)
        view_menu.addAction(self.show_history_action)
        view_menu.addSeparator()
        sync_action = QAction(translate("MainWindow", "&Sync now"), self)
        sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        sync_action.triggered.connect(self.sync_now)
        view_menu.addAction(sync_action)
        scheduled_action = QAction(translate("MainWindow", "Sc&heduled messages..."), self)
        scheduled_action.setObjectName("showScheduledAction")
        scheduled_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        scheduled_action.setToolTip(translate(
            "MainWindow", "Every message you scheduled that has not gone yet"
        ))
        scheduled_action.triggered.connect(self.scheduled.show_all)
        view_menu.addAction(scheduled_action)
        templates_action = QAction(translate("MainWindow", "&Templates..."), self)
        templates_action.setObjectName("showTemplatesAction")
        templates_action.setToolTip(translate(
            "MainWindow", "Your templates and the shared ones: insert (Ctrl+T in compose), "
            "write, change"
        ))
        templates_action.triggered.connect(self.templates.open_picker)
        view_menu.addAction(templates_action)
        refused_action = QAction(translate("MainWindow", "&Refused changes..."), self)
        refused_action.triggered.connect(self.show_refused_writes)
        view_menu.addAction(refused_action)
        # The open group chat's participant panel (the header's chevron), from the keyboard.
        self.participants_action = QAction(translate("MainWindow", "&Participants"), self)
        self.participants_action.setObjectName("showParticipantsAction")
        self.participants_action.setCheckable(True)
        self.participants_action.setChecked(self.conversation_panel.participant_panel_open())
        self.participants_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.participants_action.setToolTip(translate(
            "MainWindow",
            "Show or hide a group chat's participants",
        ))
        self.participants_action.toggled.connect(self.conversation_panel.set_participant_panel_open)
        self.conversation_panel.participantPanelToggled.connect(self.participants_action.setChecked)
        view_menu.addAction(self.participants_action)
        toggle_list = QAction(translate("MainWindow", "Show &conversation list"), self)
        toggle_list.setCheckable(True)
        toggle_list.setChecked(True)
        toggle_list.setShortcut(QKeySequence("Ctrl+Shift+L"))
        toggle_list.toggled.connect(self.sidebar.setVisible)
        view_menu.addAction(toggle_list)

        help_menu = self.menuBar().addMenu(translate("MainWindow", "&Help"))
        about_action = QAction(translate("MainWindow", "&About Agent Console"), self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle(translate("MainWindow", "About Agent Console"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(f"<b>Agent Console</b> {__version__}")
        box.setInformativeText(translate(
            "MainWindow",
            "A desktop console for group messaging: SMS conversations, group SMS chats and "
            "in-app group messages, synced with its messaging backend.",
        ))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): no nested event loop

    def _restore_settings(self) -> None:
        geometry = self.preferences.window_geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.preferences.splitter_state
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self._last_conversation = self.preferences.last_conversation
        self.conversation_panel.set_settings(self._settings)  # participant panel open or not

    def _save_settings(self) -> None:
        self.preferences.save_window(
            self.saveGeometry(), self.splitter.saveState(), self.compose.conversation_id
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.conversation_panel.mark_read_if_shown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_settings()
        self.notifier.stop()
        self.sidebar.opt_outs.stop()
        self.tray.hide()
        self.closing.emit()
        self.detach_workspace()
        super().closeEvent(event)
