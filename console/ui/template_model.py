"""The template picker's model: every template the user may insert, by name, filtered by the
words typed in the picker's search (a few hundred rows at most: filtered here, in memory)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.domain.templates import TemplateItem
from console.ui.i18n import translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
PREVIEW_CHARS = 70


def first_line(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def matches(item: TemplateItem, words: Sequence[str]) -> bool:
    name, body = item.name.casefold(), item.body.casefold()
    return all(word in name or word in body for word in words)


class TemplateListModel(NamedRolesListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    BodyRole = Qt.ItemDataRole.UserRole + 3
    SharedRole = Qt.ItemDataRole.UserRole + 4
    SavingRole = Qt.ItemDataRole.UserRole + 5  # not yet accepted by the server

    _ROLE_NAMES = {
        IdRole: b"templateId",
        NameRole: b"name",
        BodyRole: b"body",
        SharedRole: b"shared",
        SavingRole: b"saving",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[TemplateItem] = []
        self._shown: list[TemplateItem] = []
        self._words: list[str] = []

    def set_items(self, items: Sequence[TemplateItem]) -> None:
        self._all = list(items)
        self._refilter()

    def set_filter(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self._words = words
            self._refilter()

    def _refilter(self) -> None:
        shown = [t for t in self._all if matches(t, self._words)]
        if shown == self._shown:
            return
        self.beginResetModel()
        self._shown = shown
        self.endResetModel()

    def item(self, row: int) -> TemplateItem | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def row_of(self, template_id: str) -> int:
        return next((row for row, t in enumerate(self._shown) if t.id == template_id), -1)

    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            badge = translate("TemplateListModel", "  · shared") if item.shared else ""
            return f"{item.name}{badge}\n{first_line(item.body)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            kind = (translate("TemplateListModel", "Shared template") if item.shared
                    else translate("TemplateListModel", "Your template"))
            return f"{item.name}. {kind}. {first_line(item.body)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.body
        return {
            self.IdRole: item.id,
            self.NameRole: item.name,
            self.BodyRole: item.body,
            self.SharedRole: item.shared,
            self.SavingRole: item.local,
        }.get(role)
