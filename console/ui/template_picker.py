"""The template picker (`templatePicker`, Ctrl+T in compose): search, see what the template
says here with its merge fields filled, and insert it; New, Edit and Delete manage them.

Opened with open(), never exec(). It never touches the cache: the owner
(console/ui/template_insert.py) hands it the templates and how to fill one, and acts on its
signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from console.domain.merge_fields import (
    AGENT_NAME,
    BUSINESS_NUMBER,
    FIRST_NAME,
    LAST_NAME,
    Rendered,
)
from console.domain.templates import TemplateItem
from console.ui.i18n import translate
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSize,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.template_model import TemplateListModel
from console.ui.theme import set_themed_style

Fill = Callable[[str], Rendered]  # a template's text as it would go here

STYLE = """
#templatePicker { background: $surface; }
#templatePicker #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#templateList { border: 1px solid $border; border-radius: 6px; }
#templateList::item { padding: 6px 8px; }
#templatePreview { color: $text; background: $surface_alt; border-radius: 6px;
                   padding: 10px 12px; }
#templatePreviewHeading { color: $text_secondary; font-weight: 600; }
#templateMissingNote { color: $warning_text; }
#templateEmptyNote { color: $muted; }
"""

_CONTEXT = "TemplatePicker"


def field_word(name: str) -> str:
    """A merge field as the user reads it ("last name")."""
    words = {
        FIRST_NAME: translate("MergeFields", "first name"),
        LAST_NAME: translate("MergeFields", "last name"),
        AGENT_NAME: translate("MergeFields", "your name"),
        BUSINESS_NUMBER: translate("MergeFields", "business number"),
    }
    return words.get(name, name)


def missing_text(missing: Sequence[str], target: str) -> str:
    fields = ", ".join(field_word(name) for name in missing)
    if target:
        return translate(
            _CONTEXT, "No {fields} for {target}: left out of the text. Edit it after inserting "
            "if it reads oddly.").format(fields=fields, target=target)
    return translate(_CONTEXT, "No {fields} here: left out of the text.").format(fields=fields)


class _PaneWideDelegate(QStyledItemDelegate):
    """Rows as wide as the pane, not as their text: the view elides instead of scrolling."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(1, size.height())


class TemplatePicker(QDialog):
    insertRequested = Signal(str)  # the text to put in compose
    newRequested = Signal()
    editRequested = Signal(str)  # template id
    deleteRequested = Signal(str)  # template id

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        fill: Fill | None,
        target: str = "",
        note: str = "",
    ) -> None:
        """`fill`: how a template reads where it goes (None: nowhere to insert, manage only);
        `target`: who it goes to, for the notes ("Ana López"); `note`: a line under the
        preview (a group message: "each person's names are filled in when it is sent")."""
        super().__init__(parent)
        self.setObjectName("templatePicker")
        self.setWindowTitle(translate(_CONTEXT, "Templates"))
        set_themed_style(self, STYLE)
        self._fill = fill
        self._target = target
        self._may_change: Callable[[TemplateItem], bool] = lambda _item: False

        heading = QLabel(
            translate(_CONTEXT, "Insert a template") if fill is not None
            else translate(_CONTEXT, "Templates"), self)
        heading.setObjectName("dialogHeading")
        self.search = QLineEdit(self)
        self.search.setObjectName("templateSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(translate(_CONTEXT, "Search templates by name or text"))
        self.search.setAccessibleName(translate(_CONTEXT, "Search templates"))
        self.search.setAccessibleDescription(translate(
            _CONTEXT, "Lists the templates whose name or text has these words; Up and Down "
            "move through the list."))
        self.search.installEventFilter(self)

        self.model = TemplateListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("templateList")
        self.list.setAccessibleName(translate(_CONTEXT, "Templates"))
        self.list.setAccessibleDescription(translate(
            _CONTEXT, "Your templates and the shared ones; the chosen one shows beside the "
            "list."))
        self.list.setModel(self.model)
        self.list.setWordWrap(False)
        self.list.setMinimumWidth(240)
        # Long names and first lines end in "…" within the pane (the tooltip holds the whole
        # text): no sideways scrolling.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setItemDelegate(_PaneWideDelegate(self.list))
        self.empty_note = QLabel(self)
        self.empty_note.setObjectName("templateEmptyNote")
        self.empty_note.setWordWrap(True)

        preview_heading = QLabel(
            translate(_CONTEXT, "As it goes here") if fill is not None
            else translate(_CONTEXT, "Text"), self)
        preview_heading.setObjectName("templatePreviewHeading")
        self.preview = QLabel(self)
        self.preview.setObjectName("templatePreview")
        self.preview.setAccessibleName(translate(_CONTEXT, "Template preview"))
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setMinimumWidth(280)
        self.missing_note = QLabel(self)
        self.missing_note.setObjectName("templateMissingNote")
        self.missing_note.setWordWrap(True)
        self.missing_note.hide()
        self.note = QLabel(note, self)
        self.note.setObjectName("templateEmptyNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty_note)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(preview_heading)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.missing_note)
        right_layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([280, 340])

        self.new_button = QPushButton(translate(_CONTEXT, "New…"), self)
        self.new_button.setObjectName("templateNewButton")
        self.new_button.setAccessibleDescription(translate(_CONTEXT, "Write a new template."))
        self.edit_button = QPushButton(translate(_CONTEXT, "Edit…"), self)
        self.edit_button.setObjectName("templateEditButton")
        self.edit_button.setAccessibleDescription(translate(
            _CONTEXT, "Change the chosen template's name, text or sharing."))
        self.delete_button = QPushButton(translate(_CONTEXT, "Delete"), self)
        self.delete_button.setObjectName("templateDeleteButton")
        self.delete_button.setAccessibleDescription(
            translate(_CONTEXT, "Delete the chosen template (asks first)."))
        buttons = QDialogButtonBox(self)
        self.insert_button = QPushButton(translate(_CONTEXT, "Insert"), self)
        self.insert_button.setObjectName("templateInsertButton")
        self.insert_button.setAccessibleDescription(
            translate(_CONTEXT, "Puts the text in the message box; nothing is sent."))
        self.insert_button.setDefault(True)
        buttons.addButton(self.insert_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.insert_button.setVisible(fill is not None)  # after addButton, which shows it
        close = buttons.addButton(
            translate(_CONTEXT, "Cancel") if fill is not None else translate(_CONTEXT, "Close"),
            QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("templateCloseButton")
        close.setAccessibleDescription(
            translate(_CONTEXT, "Closes the templates; nothing is inserted.") if fill is not None
            else translate(_CONTEXT, "Closes the templates."))
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.search)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        self.resize(680, 420)

        self.search.textChanged.connect(self._filter)
        self.list.selectionModel().currentChanged.connect(self._show_current)
        self.list.doubleClicked.connect(lambda _index: self.insert())
        self.insert_button.clicked.connect(self.insert)
        buttons.rejected.connect(self.reject)
        self.new_button.clicked.connect(self.newRequested)
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(self._delete_current)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    # -- owner ----------------------------------------------------------------------------
    def set_items(
        self, items: Sequence[TemplateItem], may_change: Callable[[TemplateItem], bool]
    ) -> None:
        """The templates (again after any change): the current one stays current."""
        self._may_change = may_change
        keep = self.current()
        self.model.set_items(items)
        if keep is not None:
            self.select(keep.id)
        self._show_current()

    def select(self, template_id: str) -> bool:
        row = self.model.row_of(template_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def current(self) -> TemplateItem | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def insert(self) -> bool:
        """Insert the current template (as it reads here); False when nothing can be."""
        item = self.current()
        if item is None or self._fill is None:
            return False
        self.insertRequested.emit(self._fill(item.body).text)
        self.accept()
        return True

    # -- internals ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down in the search field move through the list; Enter inserts.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.model.rowCount() > 0:
                row = min(max(self.list.currentIndex().row() + step, 0),
                          self.model.rowCount() - 1)
                self.list.setCurrentIndex(self.model.index(row))
                return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)

    def _after_reset(self) -> None:
        if not self.list.currentIndex().isValid() and self.model.rowCount() > 0:
            self.list.setCurrentIndex(self.model.index(0))
        if self.model.total() == 0:
            self.empty_note.setText(translate(
                _CONTEXT, "No templates yet. New… writes one; {first_name} and the other "
                "fields fill in for each person."))
        elif self.model.rowCount() == 0:
            self.empty_note.setText(translate(_CONTEXT, "No template matches that search."))
        else:
            self.empty_note.setText("")
        self.empty_note.setVisible(bool(self.empty_note.text()))
        self._show_current()

    def _show_current(self, *_args: QModelIndex) -> None:
        item = self.current()
        changeable = item is not None and self._may_change(item)
        self.edit_button.setEnabled(changeable)
        self.delete_button.setEnabled(changeable)
        self.insert_button.setEnabled(item is not None and self._fill is not None)
        if item is None:
            self.preview.setText("")
            self.missing_note.hide()
            return
        if self._fill is None:
            self.preview.setText(item.body)
            self.missing_note.hide()
            return
        rendered = self._fill(item.body)
        self.preview.setText(rendered.text)
        self.missing_note.setText(missing_text(rendered.missing, self._target))
        self.missing_note.setVisible(bool(rendered.missing))

    def _edit_current(self) -> None:
        item = self.current()
        if item is not None:
            self.editRequested.emit(item.id)

    def _delete_current(self) -> None:
        item = self.current()
        if item is not None:
            self.deleteRequested.emit(item.id)
