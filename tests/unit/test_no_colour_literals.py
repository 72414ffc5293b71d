"""Every colour on screen comes from the palette (console/ui/palette.py), so both themes get it:
a colour written into a widget's code or a stylesheet would stay light in the dark theme. The
few literals that are the same in both themes on purpose are listed here, each with why."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import console

ROOT = Path(console.__file__).parent
# In a stylesheet (a .qss file, or a STYLE string in a module): a colour in a declaration.
# Selectors such as `#noticeClose` are ids, not colours: only what follows a `:` up to `;`
# or `}` counts.
DECLARATION = re.compile(r":[^;{}]*[;}]")
QSS_COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b(?![\w-])|\brgba?\s*\("
    r"|^:[^;{}]*?\b(?:white|black|red|yellow|gray|grey)\s*[;}]"  # a named colour as the value
)
# In a module's strings: a whole string that is a colour ("#1f2328", "white").
STRING_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|rgba?\s*\(.*\)|white|black|red|yellow|gr[ae]y",
                           re.IGNORECASE)
# In a module's code: a QColor made from numbers, one of Qt's named colours but `transparent`.
CODE_COLOUR = re.compile(r"QColor\(\s*\d|GlobalColor\.(?!transparent\b)\w+")

ALLOWED = {
    # One colour per person, told apart by hue: the same person looks the same in both themes.
    "ui/theme.py": 8,
    # A highlighter's yellow with dark ink on it: reads on light, dark and the selection.
    "ui/history_delegate.py": 2,
    "ui/message_delegate.py": 3,
    # The PDF export is printed on white paper whatever the theme.
    "ui/history_pdf.py": 4,
}


def _in_stylesheet(text: str) -> int:
    return sum(len(QSS_COLOUR.findall(d)) for d in DECLARATION.findall(text))


def _in_module(source: str) -> int:
    """Colours in a module: in its strings (stylesheets, or a string that is a colour) and in
    its code; comments do not count."""
    found = 0
    code: list[str] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            text = token.string.lstrip("rRbBuUfF")
            for quote in ('"""', "'''", '"', "'"):
                if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
                    text = text[len(quote):-len(quote)]
                    break
            found += _in_stylesheet(text) + (1 if STRING_COLOUR.fullmatch(text.strip()) else 0)
        elif token.type != tokenize.COMMENT:
            code.append(token.string)
    return found + len(CODE_COLOUR.findall(" ".join(code).replace(" ( ", "(").replace(" . ", ".")))


def test_no_colour_is_written_outside_the_palette() -> None:
    found: dict[str, int] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "ui/palette.py":
            continue
        if count := _in_module(path.read_text(encoding="utf-8")):
            found[name] = count
    for path in sorted((ROOT / "resources").rglob("*.qss")):
        if count := _in_stylesheet(path.read_text(encoding="utf-8")):
            found[path.relative_to(ROOT).as_posix()] = count
    assert found == ALLOWED


def test_the_check_finds_a_colour_written_by_hand() -> None:
    module = '''
STYLE = """
#importResultTitle { color: #ff0000; }
QLabel {
    background: #1f2328;
    border: 1px solid $border;
}
#noticeClose:hover { background: rgba(0, 0, 0, 0.06) }
"""
label.setStyleSheet("color: white;")  # a comment with #fff is no colour
INK = "#1d2330"
pen = QColor(0, 0, 0)
brush = Qt.GlobalColor.white
fill(Qt.GlobalColor.transparent)
name = "#importResultTitle"
'''
    assert _in_module(module) == 7
    assert _in_stylesheet("#a { color: $text; }\n#b:hover { background: $hover }") == 0
