"""Write filtered history to a PDF with Qt's own writer (QPdfWriter), on a Qt thread.

One table: the filter stated on top of the first page, the column headings again on every
page, "Page n of N" at each foot. The table is painted row by row with QPainter rather than
laid out by QTextDocument: QTextDocument.print_ took 7.5 ms a row here (2,600 rows: 19 s),
painting takes a fraction of a millisecond. Rows are measured first (a body wraps inside its
column, up to BODY_LINES lines), so the page count is known before the first page is drawn.

It runs on a QThread (PdfJob), not a plain Python worker: painting text starts Qt timers
inside the font machinery, which want the thread to have a Qt event dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from console.services.cancel import Cancellation
from console.services.history import HistoryFilter, HistoryRow, HistoryService
from console.ui.history_csv import (
    PDF_MAX_ROWS,
    Cancelled,
    Progress,
    history_rows,
    row_cells,
)
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QColor,
    QFont,
    QFontMetrics,
    QMarginsF,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRect,
    Qt,
    QThread,
    Signal,
)

DPI = 96  # the writer's units: a point is 96/72 of one
_CONTEXT = "PdfJob"
# (heading, share of the width); the headings are source texts (translated when painted)
COLUMNS: tuple[tuple[str, float], ...] = (
    (QT_TRANSLATE_NOOP("PdfJob", "Time"), 0.11), (QT_TRANSLATE_NOOP("PdfJob", "Channel"), 0.09),
    (QT_TRANSLATE_NOOP("PdfJob", "Conversation"), 0.16),
    (QT_TRANSLATE_NOOP("PdfJob", "Author"), 0.12), (QT_TRANSLATE_NOOP("PdfJob", "Status"), 0.12),
    (QT_TRANSLATE_NOOP("PdfJob", "Message"), 0.40),
)
BODY_LINES = 6  # a longer message is cut with "…" (the CSV has all of it)
PAD = 4
HEADER_FILL = QColor("#eef0f4")
RULE = QColor("#c8cdd6")
INK = QColor("#1d2330")
MUTED = QColor("#6b7385")
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
    Qt.TextFlag.TextWordWrap
)


class PdfJob(QThread):
    """Runs `work` (a write_history_pdf call) on its own Qt thread; reports on the GUI thread."""

    done = Signal(int)  # rows written
    failed = Signal(object)  # the exception

    def __init__(self, work: Callable[[], int], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            rows = self._work()
        except Exception as exc:  # the page words it for the user, never a traceback
            self.failed.emit(exc)
            return
        self.done.emit(rows)


@dataclass
class _Layout:
    left: int
    top: int
    width: int
    bottom: int  # where rows must end (the footer is below)
    columns: list[tuple[int, int]]  # (x, width) of each column


def _cells(row: HistoryRow) -> list[str]:
    time, channel, conversation, number, author, _direction, state, body, *_ = row_cells(row)
    where = f"{conversation}\n{number}" if number else conversation
    return [time.replace("T", " ")[:16], channel, where, author, state, body]


def _fit(metrics: QFontMetrics, width: int, text: str, lines: int) -> tuple[str, int]:
    """`text` wrapped in `width`, cut to `lines` lines; and its height."""
    line_height = metrics.lineSpacing()
    bound = metrics.boundingRect(QRect(0, 0, width, line_height * 200), _WRAP, text)
    if bound.height() <= line_height * lines:
        return text, bound.height()
    cut = text
    while len(cut) > 1:  # rare (a very long message): shorten until it fits
        cut = cut[: max(1, int(len(cut) * 0.8))]
        trial = cut.rstrip() + "…"
        if metrics.boundingRect(QRect(0, 0, width, line_height * 200), _WRAP,
                                trial).height() <= line_height * lines:
            return trial, line_height * lines
    return text[:1] + "…", line_height


def write_history_pdf(
    path: Path, source: HistoryService, flt: HistoryFilter, *, cancel: Cancellation,
    progress: Progress, described: str, heading: str = "", include_notes: bool = False,
) -> int:
    """Write up to PDF_MAX_ROWS rows `flt` finds to `path`; how many rows it holds
    (`heading` "": "Message history")."""
    heading = heading or translate(_CONTEXT, "Message history")
    rows: list[HistoryRow] = []
    for row in history_rows(
        source, flt, cancel, limit=PDF_MAX_ROWS, include_notes=include_notes
    ):
        rows.append(row)
        if len(rows) % 1000 == 0:
            progress(len(rows))
    if len(rows) >= PDF_MAX_ROWS:
        described += translate(
            _CONTEXT, " · The first {count} messages (export CSV for all of them)"
        ).format(count=f"{PDF_MAX_ROWS:,}")
    part = path.with_name(path.name + ".part")
    try:
        writer = QPdfWriter(str(part))
        writer.setResolution(DPI)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setTitle(heading)
        writer.setCreator("Agent Console")
        _paint(writer, rows, heading, described, cancel)
        del writer  # the file is complete once the writer is gone
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    progress(len(rows))
    return len(rows)


def _paint(
    writer: QPdfWriter, rows: Sequence[HistoryRow], heading: str, described: str,
    cancel: Cancellation,
) -> None:
    painter = QPainter(writer)
    try:
        area = writer.pageLayout().paintRectPixels(DPI)
        body_font = QFont("DejaVu Sans")
        body_font.setPointSizeF(7.5)
        bold = QFont(body_font)
        bold.setWeight(QFont.Weight.DemiBold)
        title_font = QFont(body_font)
        title_font.setPointSizeF(12)
        title_font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(body_font, writer)
        bold_metrics = QFontMetrics(bold, writer)
        footer_height = metrics.lineSpacing() + PAD * 2
        x = 0
        columns = []
        for _, share in COLUMNS:
            width = int(area.width() * share)
            columns.append((x, width))
            x += width
        layout = _Layout(0, 0, area.width(), area.height() - footer_height, columns)

        # Measure every row first: the page count is then known for "Page n of N".
        cells = [_cells(row) for row in rows]
        measured: list[tuple[list[str], int]] = []
        for texts in cells:
            if cancel.is_set():
                raise Cancelled
            fitted = []
            height = 0
            for column, (text, (_, width)) in enumerate(zip(texts, columns, strict=True)):
                lines = BODY_LINES if column == len(columns) - 1 else 3
                shown, used = _fit(metrics, width - 2 * PAD, text, lines)
                fitted.append(shown)
                height = max(height, used)
            measured.append((fitted, height + 2 * PAD))
        header_height = bold_metrics.lineSpacing() + 2 * PAD
        painter.setFont(title_font)
        title_height = QFontMetrics(title_font, writer).lineSpacing()
        described_rect = metrics.boundingRect(QRect(0, 0, area.width(), 2000), _WRAP, described)
        first_top = title_height + described_rect.height() + 3 * PAD
        pages: list[list[tuple[list[str], int]]] = [[]]
        y = first_top + header_height
        for entry in measured:
            if y + entry[1] > layout.bottom and pages[-1]:
                pages.append([])
                y = header_height
            pages[-1].append(entry)
            y += entry[1]

        for number, page in enumerate(pages, start=1):
            if cancel.is_set():
                raise Cancelled
            if number > 1:
                writer.newPage()
            top = 0
            if number == 1:
                painter.setFont(title_font)
                painter.setPen(INK)
                painter.drawText(QRect(0, 0, area.width(), title_height), _WRAP, heading)
                painter.setFont(body_font)
                painter.setPen(MUTED)
                painter.drawText(QRect(0, title_height + PAD, area.width(),
                                       described_rect.height()), _WRAP, described)
                top = first_top
            top = _paint_header(painter, layout, top, header_height, bold)
            painter.setFont(body_font)
            for fitted, height in page:
                painter.setPen(RULE)
                painter.drawLine(0, top + height, area.width(), top + height)
                painter.setPen(INK)
                for text, (cx, cw) in zip(fitted, columns, strict=True):
                    painter.drawText(QRect(cx + PAD, top + PAD, cw - 2 * PAD, height), _WRAP, text)
                top += height
            painter.setPen(MUTED)
            painter.drawText(
                QRect(0, area.height() - footer_height + PAD, area.width(), metrics.lineSpacing()),
                int(Qt.AlignmentFlag.AlignRight),
                translate(_CONTEXT, "Page {number} of {count}").format(
                    number=number, count=len(pages)
                ),
            )
    finally:
        painter.end()


def _paint_header(painter: QPainter, layout: _Layout, top: int, height: int, font: QFont) -> int:
    painter.fillRect(QRect(0, top, layout.width, height), HEADER_FILL)
    painter.setFont(font)
    painter.setPen(INK)
    for (title, _), (x, width) in zip(COLUMNS, layout.columns, strict=True):
        painter.drawText(
            QRect(x + PAD, top + PAD, width - 2 * PAD, height), _WRAP, translate(_CONTEXT, title)
        )
    painter.setPen(RULE)
    painter.drawLine(0, top + height, layout.width, top + height)
    return top + height
