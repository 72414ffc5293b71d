"""The main window's ways into group chats: the group editor and a conversation row's menu.

    actions = GroupChatActions(window, model, panel, workspace=lambda: window.workspace,
                               show_chat=window.open_conversation)
    actions.new_group_chat()                        # [+], Ctrl+N
    actions.new_group_chat(number_id=..., participants=[...], replaces=blocked_id)
    actions.conversation_menu(conversation_id)      # the row's right-click menu (not shown)
    actions.mark_unread(conversation_id)            # the menu's "Mark as unread"

Every way opens the same `groupEditor` (console/ui/group_editor.py), one at a time; the chat it
creates (or the existing one it offers) is opened in the window once made. The editor module is
imported when first used: it pulls in the group chat services (SQLAlchemy), which stay out of
the first paint (PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from console.ui.conversation_list import ConversationListModel
from console.ui.conversation_menu import NewGroupSeed, build_conversation_menu
from console.ui.conversation_view import ConversationPanel
from console.ui.qt import QDialog, QMenu, QObject, QPoint, Qt, QWidget

if TYPE_CHECKING:
    from console.services.workspace import Workspace


class GroupChatActions(QObject):
    def __init__(
        self,
        owner: QWidget,
        model: ConversationListModel,
        panel: ConversationPanel,
        *,
        workspace: Callable[[], Workspace | None],
        show_chat: Callable[[str], object],
        show_list: Callable[[], object],
    ):
        super().__init__(owner)
        self._owner = owner
        self._model = model
        self._panel = panel
        self._workspace = workspace
        self._show_chat = show_chat  # select and open a conversation, cursor in compose
        self._show_list = show_list  # make the Conversations page current
        self.editor: QDialog | None = None  # the newest editor, while it exists
        self._editor_token: object | None = None

    # -- the group editor -----------------------------------------------------------------------
    def new_group_chat(
        self,
        *,
        number_id: str | None = None,
        participants: Sequence[tuple[str, str]] = (),
        replaces: str | None = None,
    ) -> QDialog | None:
        """Open the group editor (`groupEditor`), prefilled; the new chat opens once made."""
        workspace = self._workspace()
        if workspace is None:
            return None
        from console.ui.group_editor import GroupEditor  # pulls in the group chat services

        self._show_list()
        self.close_editor()  # one editor at a time: the newest request wins
        editor = GroupEditor.start(
            self._owner,
            workspace,
            number_id=number_id,
            participants=list(participants),
            replaces=replaces,
            on_created=self._created,
        )
        # It outlives its dialog while it follows the create, then deletes itself: forget it
        # then (`destroyed` hands over a plain QObject, so the editor is told by a token).
        token = object()
        editor.destroyed.connect(lambda *_args: self._forget_editor(token))
        self.editor, self._editor_token = editor, token
        return editor

    def close_editor(self) -> None:
        if self.editor is not None and self.editor.isVisible():
            self.editor.reject()

    def new_group_without(self, number_id: str, participants: list[object], blocked: str) -> None:
        """A blocked chat's "New group chat without..." (ConversationPanel.newGroupWithout)."""
        pairs = [
            (str(p[0]), str(p[1]))
            for p in participants
            if isinstance(p, tuple | list) and len(p) == 2
        ]
        self.new_group_chat(number_id=number_id or None, participants=pairs, replaces=blocked)

    def _forget_editor(self, token: object) -> None:
        if token is self._editor_token:
            self.editor, self._editor_token = None, None

    def _created(self, conversation_id: str) -> None:
        """The editor made (or found) the chat: show and open it. The change set that names
        it may still be on its way through the bridge, so read that one row now if needed."""
        if self._workspace() is None:
            return
        if not self._model.contains(conversation_id):
            self._model.refresh([conversation_id])
        self._show_chat(conversation_id)

    # -- a row's menu ---------------------------------------------------------------------------
    def conversation_menu(self, conversation_id: str) -> QMenu | None:
        """The row's right-click menu (objectName `conversationMenu`), not shown yet."""
        row = self._model.known(conversation_id)
        workspace = self._workspace()
        if row is None or workspace is None:
            return None
        people = workspace.conversations.people(conversation_id)  # one indexed row

        def new_group(seed: NewGroupSeed) -> None:
            self.new_group_chat(
                number_id=seed.number_id, participants=seed.participants, replaces=seed.replaces
            )

        return build_conversation_menu(
            self._owner,
            row,
            people,
            on_open=self._show_chat,
            on_participants=self.show_participants,
            on_new_group=new_group,
            on_mark_unread=self.mark_unread,
        )

    def mark_unread(self, conversation_id: str) -> None:
        """The menu's "Mark as unread": the row and badges show it as soon as it is written (the
        chat is not opened); an open chat keeps it unread until it is opened again."""
        workspace = self._workspace()
        if workspace is None:
            return
        self._panel.keep_unread(conversation_id)
        workspace.conversations.mark_unread_soon(conversation_id)

    def show_menu(self, conversation_id: str, where: QPoint) -> None:
        menu = self.conversation_menu(conversation_id)
        if menu is None:
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

    def show_participants(self, conversation_id: str) -> bool:
        """Open the chat with its participant panel open (`participantPanel`)."""
        if not self._show_chat(conversation_id):
            return False
        self._panel.set_participant_panel_open(True)  # remembered open from now
        return self._panel.participant_panel.isVisible()
