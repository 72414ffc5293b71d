"""Fit a table's columns to its pane: one column stretches, the others are as wide as the
widest of their header and the texts they can hold, so no horizontal scroll bar at the default
window size.

    fit_columns(view, stretch=Column.TITLE, samples={Column.SENT_AT: ("Yesterday",)},
                fixed={Column.GROUP: 84})

Widths come from font metrics, not from the rows: measuring rows (resizeColumnsToContents)
reads every one of them, which a lazily filled model must never be asked to do. The stretching
column is sized in the viewport's resize event, not by the header's Stretch mode: that one
resizes on a timer after the first paint, so every table opened painted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from console.ui.qt import QEvent, QFont, QFontMetrics, QHeaderView, QObject, Qt, QTableView

# The header's stylesheet padding (4 px a side) and some room for the sort arrow.
HEADER_PADDING = 12
# The cell text's inset (plain_cell_delegate.MARGIN, both sides) and a few pixels to spare.
CELL_PADDING = 11


def header_width(view: QTableView, text: str) -> int:
    """Width of a header label: the headers are bold (STYLE), measured so whatever the font."""
    font = QFont(view.horizontalHeader().font())
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(text) + HEADER_PADDING


def cell_width(view: QTableView, texts: Iterable[str]) -> int:
    metrics = view.fontMetrics()
    return max((metrics.horizontalAdvance(t) for t in texts), default=0) + CELL_PADDING


def fit_columns(
    view: QTableView,
    *,
    stretch: int,
    samples: Mapping[int, Iterable[str]] | None = None,
    fixed: Mapping[int, int] | None = None,
) -> None:
    """Size every column but `stretch` (the widest of its header and `samples`, or `fixed`),
    and keep `stretch` taking the rest of the viewport (and giving it back when the user
    widens another column)."""
    model = view.model()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    samples = samples or {}
    fixed = fixed or {}
    for column in range(model.columnCount()):
        if column == stretch:
            continue
        if column in fixed:
            width = fixed[column]
        else:
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(header_width(view, title), cell_width(view, samples.get(column, ())))
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Fixed)
    _Stretch(view, stretch)


class _Stretch(QObject):
    """Gives column `stretch` what the others leave of the viewport, as it is resized."""

    def __init__(self, view: QTableView, stretch: int) -> None:
        super().__init__(view)
        self._view = view
        self._stretch = stretch
        view.viewport().installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(self._resized)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._stretch:
            self.fit()

    def fit(self) -> None:
        header = self._view.horizontalHeader()
        others = sum(
            header.sectionSize(c) for c in range(header.count())
            if c != self._stretch and not header.isSectionHidden(c)
        )
        room = self._view.viewport().width() - others
        header.resizeSection(self._stretch, max(header.minimumSectionSize(), room))
