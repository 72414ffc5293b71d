"""Left pane: who is signed in, the unread total, and the conversation list."""

from __future__ import annotations

from console.ui.conversation_delegate import ConversationDelegate
from console.ui.conversation_list import ConversationListModel, ConversationListView
from console.ui.qt import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class Sidebar(QFrame):
    def __init__(self, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.model = model
        self.title = QLabel("Conversations", self)
        self.title.setObjectName("sidebarTitle")
        self.unread = QLabel(self)
        self.unread.setObjectName("sidebarUnread")
        self.user = QLabel(self)
        self.user.setObjectName("sidebarUser")
        self.view = ConversationListView(model, self)
        self.view.setItemDelegate(ConversationDelegate(self.view))

        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.unread)
        header = QVBoxLayout()
        header.setContentsMargins(18, 16, 16, 10)
        header.setSpacing(2)
        header.addLayout(heading)
        header.addWidget(self.user)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

        for signal in (model.modelReset, model.dataChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._update_unread)
        self._update_unread()

    def set_user(self, name: str, detail: str = "") -> None:
        self.user.setText(name)
        self.user.setToolTip(detail)

    def _update_unread(self, *_args: object) -> None:
        total = self.model.total_unread()
        self.unread.setText(f"{total} unread" if total else "")
        self.unread.setVisible(total > 0)

