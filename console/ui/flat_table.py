"""The house table (STYLE): whole-row selection, no grid, no editing, one line per row.

    configure_flat_table(view, model, object_name="contactList", accessible_name="Contacts",
                         row_height=ROW_HEIGHT, column_widths=COLUMN_WIDTHS)

Every row has one fixed height, so the view never asks a lazily filled model about rows it
does not paint (PERFORMANCE).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from console.ui.qt import (
    QAbstractItemModel,
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    Qt,
    QTableView,
)

ColumnT = TypeVar("ColumnT", bound=int)  # a model's Column IntEnum


def configure_flat_table(
    view: QTableView,
    model: QAbstractItemModel,
    *,
    object_name: str,
    accessible_name: str,
    row_height: int,
    multi_select: bool = False,
    delegate: QStyledItemDelegate | None = None,
    column_widths: Mapping[ColumnT, int] | None = None,
) -> None:
    """Set `view` up to show `model`. A `delegate` paints the cells, alternate rows included
    (so the view's alternate colours stay off); `column_widths` fixes those columns and lets
    the last one stretch (without it the caller fits the columns, see table_fit)."""
    view.setObjectName(object_name)
    view.setAccessibleName(accessible_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi_select
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if delegate is not None:
        view.setItemDelegate(delegate)
    view.setAlternatingRowColors(delegate is None)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    vertical = view.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if column_widths is not None:
        header.setStretchLastSection(True)
        for column, width in column_widths.items():
            view.setColumnWidth(column, width)


def flat_table_style(object_name: str, *, plain_cells: bool = False, border: str = "none") -> str:
    """The stylesheet rules of the flat table `object_name`. With `plain_cells` a
    PlainCellDelegate paints the cells (its own inset, no per-cell stylesheet work), so the
    header sections are padded to line up with it instead."""
    name = f"#{object_name}"
    item = (
        ""
        if plain_cells
        else f"{name}::item {{ padding-left: 5px; padding-right: 5px; border: none; }}\n"
    )
    return (
        f"{name} {{\n"
        f"    background: $surface; border: {border}; outline: none;\n"
        "    alternate-background-color: $surface_alt; selection-background-color: $accent_soft;\n"
        "    selection-color: $text;\n"
        "}\n"
        f"{item}"
        f"{name} QHeaderView::section {{\n"
        "    background: $surface; color: $muted; border: none; border-bottom: 1px solid $border;\n"
        f"    padding: 6px {4 if plain_cells else 8}px; font-size: 9pt; font-weight: 600;\n"
        "}\n"
    )
