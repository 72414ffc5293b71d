"""Every colour on screen comes from the palette (console/ui/palette.py), so both themes get it:
a colour written into a widget's code or the stylesheet would stay light in the dark theme. The
few literals that are the same in both themes on purpose are listed here, each with why."""

from __future__ import annotations

import re
from pathlib import Path

import console

ROOT = Path(console.__file__).parent
# A colour in a string ("#1f2328", "rgba(0, 0, 0, 0.06)", "white"), a QColor from numbers, or
# one of Qt's named colours other than `transparent`.
COLOUR = re.compile(
    r"""["'][^"'\n]*#[0-9a-fA-F]{3,8}\b"""
    r"""|\brgba?\s*\("""
    r"""|QColor\(\s*\d"""
    r"""|GlobalColor\.(?!transparent\b)\w+"""
    r"""|["'](?:white|black|red|green|blue|yellow|gray|grey)["']"""
)
QSS_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b(?![\w-])|\brgba?\s*\(|:\s*(?:white|black)\b")

ALLOWED = {
    # One colour per person, told apart by hue: the same person looks the same in both themes.
    "ui/theme.py": 8,
    # A highlighter's yellow with dark ink on it: reads on light, dark and the selection.
    "ui/history_delegate.py": 2,
    "ui/message_delegate.py": 3,
    # The PDF export is printed on white paper whatever the theme.
    "ui/history_pdf.py": 4,
}


def _count(path: Path, pattern: re.Pattern[str]) -> int:
    found = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue  # a comment (a QSS id selector starts with # too: those are not counted)
        found += len(pattern.findall(line))
    return found


def test_no_colour_is_written_outside_the_palette() -> None:
    found: dict[str, int] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "ui/palette.py":
            continue
        if count := _count(path, COLOUR):
            found[name] = count
    for path in sorted((ROOT / "resources").rglob("*.qss")):
        text = path.read_text(encoding="utf-8")
        # Selectors such as #noticeClose are ids, not colours: only declarations count.
        declarations = "\n".join(re.findall(r":[^;{}]*;", text))
        if count := len(QSS_COLOUR.findall(declarations)):
            found[path.relative_to(ROOT).as_posix()] = count
    assert found == ALLOWED


def test_the_check_finds_a_colour_written_by_hand(tmp_path: Path) -> None:
    widget = tmp_path / "widget.py"
    widget.write_text('label.setStyleSheet("color: #fff")\nQColor(0, 0, 0)\n'
                      'pen = Qt.GlobalColor.white\nfill(Qt.GlobalColor.transparent)\n')
    assert _count(widget, COLOUR) == 3
    assert len(QSS_COLOUR.findall(": rgba(0, 0, 0, 0.06);\n: $hover;\n: white;")) == 2
