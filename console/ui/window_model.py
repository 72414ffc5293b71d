"""The Qt side of a model over a RowWindow (console/ui/row_window.py): flags, growing, search.

A model's canFetchMore / fetchMore, set_search and reload hand over to these: the view counts
further only when it scrolls to the end, and the rows it gains are announced as inserted (the
selection stays); a new search resets the model.
"""

from __future__ import annotations

from typing import Any

from console.ui.gui_thread import assert_gui_thread
from console.ui.qt import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from console.ui.row_window import RowWindow

ModelIndex = QModelIndex | QPersistentModelIndex

# Read-only rows without children (the view then never asks about any).
ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def row_flags(index: ModelIndex) -> Qt.ItemFlag:
    return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


def can_fetch_more(window: RowWindow[Any], parent: ModelIndex) -> bool:
    return not parent.isValid() and window.has_more


def fetch_more(model: QAbstractItemModel, window: RowWindow[Any], parent: ModelIndex) -> None:
    """Count `window` further and tell the views about the rows it gained."""
    if parent.isValid():
        return
    before = window.count
    after = window.grow()
    if after > before:
        model.beginInsertRows(QModelIndex(), before, after - 1)
        model.endInsertRows()


def recount(model: QAbstractItemModel, window: RowWindow[Any]) -> None:
    """Forget the rows read and count the search again: the views start over."""
    assert_gui_thread()
    model.beginResetModel()
    window.recount()
    model.endResetModel()


def search(model: QAbstractItemModel, window: RowWindow[Any], text: str) -> None:
    """Show what `text` finds (spaces collapsed; the same search again reads nothing)."""
    text = " ".join(text.split())
    if text != window.text:
        window.text = text
        recount(model, window)
