"""The Conversations page's list column: its heading with the page's "new" button (`[+]`,
objectName `createGroupChatButton`), who is signed in, the filter chips and the list.

The column sets its own minimum width: never narrower than the chips in one row. The window's
splitter squeezes a pane down to its minimum when the conversation beside it needs room (a
group chat's header with the participant panel open), and a row of buttons given less than
their size hints clips them ("Group SMS" lost its ends)."""

from __future__ import annotations

from console.ui.conversation_delegate import ConversationDelegate
from console.ui.conversation_list import (
    ConversationFilter,
    ConversationListModel,
    ConversationListView,
)
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.labels import FILTER_LABELS, filter_empty, filter_label
from console.ui.opt_out_review import OptOutReviewButton
from console.ui.qt import (
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSize,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import icon

# Below this the rows' names and previews are cut to a few letters, even if the chips fit.
LIST_MIN_WIDTH = 260
# What each chip leaves in the list (its tooltip, and so its accessible description).
_CHIP_TIPS: dict[ConversationFilter, str] = {
    ConversationFilter.ALL: QT_TRANSLATE_NOOP("FilterChips", "Every conversation"),
    ConversationFilter.DIRECT: QT_TRANSLATE_NOOP(
        "FilterChips", "Only SMS conversations with one person"),
    ConversationFilter.GROUP_SMS: QT_TRANSLATE_NOOP(
        "FilterChips", "Only SMS chats with several people"),
    ConversationFilter.IN_APP: QT_TRANSLATE_NOOP(
        "FilterChips", "Only conversations in the customer app"),
    ConversationFilter.BLOCKED: QT_TRANSLATE_NOOP(
        "FilterChips", "Only blocked chats: the ones that cannot send"),
}


class FilterChips(QWidget):
    """One checkable chip per ConversationFilter (objectName `conversationFilters`)."""

    def __init__(self, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationFilters")
        self.setAccessibleName(translate("FilterChips", "Show"))
        self._model = model
        self.chips: dict[ConversationFilter, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 0, 14, 8)
        layout.setSpacing(4)
        for wanted in FILTER_LABELS:
            label = filter_label(wanted)
            chip = QPushButton(label, self)
            chip.setObjectName("conversationFilterChip")
            chip.setProperty("filter", wanted.value)
            chip.setCheckable(True)
            chip.setAutoExclusive(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            chip.setAccessibleName(translate("FilterChips", "Show {filter}").format(filter=label))
            chip.setToolTip(translate("FilterChips", _CHIP_TIPS[wanted]))
            chip.clicked.connect(lambda _checked=False, f=wanted: model.set_filter(f))
            layout.addWidget(chip)
            self.chips[wanted] = chip
        layout.addStretch(1)
        self.chips[model.filter].setChecked(True)
        model.filterChanged.connect(self._show_filter)

    def chip(self, wanted: ConversationFilter) -> QPushButton:
        return self.chips[wanted]

    def _show_filter(self, value: str) -> None:
        self.chips[ConversationFilter(value)].setChecked(True)


class Sidebar(QFrame):
    def __init__(self, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.model = model
        self.title = QLabel(translate("Sidebar", "Conversations"), self)
        self.title.setObjectName("sidebarTitle")
        self.unread = QLabel(self)
        self.unread.setObjectName("sidebarUnread")
        self.user = QLabel(self)
        self.user.setObjectName("sidebarUser")
        # Suspected opt-outs waiting for an agent (hidden at 0); the window feeds and wires it.
        self.opt_outs = OptOutReviewButton(self)
        # The page's "new": a group SMS chat (the main window connects it; Ctrl+N does the same).
        self.create_button = QToolButton(self)
        self.create_button.setObjectName("createGroupChatButton")
        self.create_button.setAccessibleName(translate("Sidebar", "New group chat"))
        self.create_button.setToolTip(translate("Sidebar", "New group chat (Ctrl+N)"))
        self.create_button.setIcon(icon("plus"))
        self.create_button.setIconSize(QSize(18, 18))
        self.create_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.create_button.setAutoRaise(True)
        self.filters = FilterChips(model, self)
        self.view = ConversationListView(model, self)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        self.empty = QLabel(self)
        self.empty.setObjectName("conversationListEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.hide()

        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self.title)
        heading.addWidget(self.unread)
        heading.addStretch(1)
        heading.addWidget(self.create_button)
        header = QVBoxLayout()
        header.setContentsMargins(18, 14, 12, 10)
        header.setSpacing(2)
        header.addLayout(heading)
        header.addWidget(self.user)
        header.addWidget(self.opt_outs, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

        model.totalsChanged.connect(self._update_counts)
        for signal in (model.modelReset, model.dataChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._update_counts)
        self._update_counts()
        self._claim_width()

    def _claim_width(self) -> None:
        """Minimum width: the chips' row as their size hints (font, style) ask, or the list's."""
        chips = self.filters.minimumSizeHint().width()
        self.setMinimumWidth(max(LIST_MIN_WIDTH, chips))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Another font or style sheet sizes the chips anew.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._claim_width()

    def set_user(self, name: str, detail: str = "") -> None:
        self.user.setText(name)
        self.user.setToolTip(detail)

    def _update_counts(self, *_args: object) -> None:
        total = self.model.total_unread()
        self.unread.setText(translate("Sidebar", "%n unread", None, total) if total else "")
        self.unread.setVisible(total > 0)
        # Say why the list is empty when a chip (not the lack of data) emptied it.
        filtered_empty = self.model.rowCount() == 0 and self.model.total_count() > 0
        self.empty.setText(filter_empty(self.model.filter) if filtered_empty else "")
        self.empty.setVisible(filtered_empty)
