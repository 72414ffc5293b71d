"""The three fonts a painted list row uses beside its base font."""

from __future__ import annotations

from console.ui.qt import QFont


def row_fonts(base: QFont, small_scale: float) -> tuple[QFont, QFont, QFont]:
    """(heading, small, small tag): the base made demi-bold; the base scaled by
    `small_scale` for secondary lines; that small one demi-bold for tag pills."""
    heading = QFont(base)
    heading.setWeight(QFont.Weight.DemiBold)
    small = QFont(base)
    small.setPointSizeF(base.pointSizeF() * small_scale)
    tag = QFont(small)
    tag.setWeight(QFont.Weight.DemiBold)
    return heading, small, tag
