"""Render the app icon's PNG sizes from its SVG, for the hicolor icon theme.

    python packaging/render_icons.py [SVG] [OUT_DIR]

SVG defaults to resources/icons/agent-console.svg, OUT_DIR to build/icons. Writes
OUT_DIR/hicolor/<n>x<n>/apps/agent-console.png for n in SIZES and copies the SVG to
OUT_DIR/hicolor/scalable/apps/agent-console.svg: the tree a package installs under
/usr/share/icons. Uses PySide6's QSvgRenderer on the offscreen platform (no display needed).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
NAME = "agent-console"
ROOT = Path(__file__).resolve().parent.parent


def render(svg: Path, out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    return written


def main(argv: list[str]) -> int:
    svg = Path(argv[0]) if argv else ROOT / "resources" / "icons" / f"{NAME}.svg"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "icons"
    for path in render(svg, out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
