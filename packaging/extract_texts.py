"""Collect the console's translatable texts into a Qt Linguist .ts file.

    .venv/bin/python packaging/extract_texts.py console/resources/i18n/agent_console_en.ts

Finds every `translate(context, text[, disambiguation[, n]])` call and every
`QT_TRANSLATE_NOOP(context, text)` mark under console/ (console/ui/i18n.py), reading the code
with `ast`. pyside6-lupdate's Python reader misses two forms this code base uses: a call
whose count is an expression (`translate(..., None, len(rows))`) and a context held in a
module constant (`_CONTEXT = "GroupsPage"`); a text lupdate misses is never translated.

Texts with "%n" are plural ("numerus") messages. Translations already in the file are kept; an
English file gets its plural forms from the source ("%n change(s)": "%n change", "%n changes").
A call this script cannot read (a context or text that is not a string) is an error: the
fix is to write it as a literal.
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from console.ui.i18n import english_forms  # noqa: E402  (the one rule, shared with the app)

# The server speaks to programs, not people; i18n.py is the translate function itself.
SKIP = ("console/backend/", "console/ui/i18n.py")


@dataclass(frozen=True, order=True)
class Text:
    context: str
    source: str
    comment: str = ""

    @property
    def numerus(self) -> bool:
        return "%n" in self.source


# translate(context, LABELS[key]) and the like: the text's QT_TRANSLATE_NOOP mark is found.
_MARKED_ELSEWHERE = (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.IfExp, ast.BoolOp)


class Unreadable(Exception):
    pass


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" (and NAME = QT_TRANSLATE_NOOP(ctx, "text")) assignments."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Call) and _name(value.func) == "QT_TRANSLATE_NOOP":
                value = value.args[1] if len(value.args) > 1 else None
            text = _literal(value, {}) if value is not None else None
            for target in targets:
                if isinstance(target, ast.Name) and text is not None:
                    found[target.id] = text
    return found


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return None
    return None


def texts_in(path: Path) -> list[Text]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constants = _constants(tree)
    found: list[Text] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name not in ("translate", "QT_TRANSLATE_NOOP") or len(node.args) < 2:
            continue
        if name == "translate" and isinstance(node.func, ast.Attribute) and not (
            isinstance(node.func.value, ast.Name) and node.func.value.id == "QCoreApplication"
        ):
            continue  # e.g. str.translate, a QTranslator's own method
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        context = _literal(node.args[0], constants)
        if context is None:
            raise Unreadable(f"{where}: the context is not a string or a module constant")
        text_node = node.args[1]
        source = _literal(text_node, constants)
        if source is None:
            if name == "translate" and isinstance(text_node, _MARKED_ELSEWHERE):
                continue  # a marked constant or a variable: its QT_TRANSLATE_NOOP is found
            raise Unreadable(f"{where}: the text is not a string literal")
        comment = ""
        if len(node.args) > 2:
            comment = _literal(node.args[2], constants) or ""
        found.append(Text(context, source, comment))
    return found


def collect(root: Path = ROOT) -> list[Text]:
    texts: set[Text] = set()
    for path in sorted((root / "console").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(SKIP):
            continue
        texts.update(texts_in(path))
    return sorted(texts)


def _existing(path: Path) -> dict[Text, ET.Element]:
    if not path.exists():
        return {}
    kept: dict[Text, ET.Element] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            text = Text(name, message.findtext("source") or "", message.findtext("comment") or "")
            translation = message.find("translation")
            if translation is not None:
                kept[text] = translation
    return kept


def write_ts(path: Path, texts: list[Text], language: str) -> None:
    old = _existing(path)
    root = ET.Element("TS", {"version": "2.1", "language": language, "sourcelanguage": "en"})
    by_context: dict[str, list[Text]] = {}
    for text in texts:
        by_context.setdefault(text.context, []).append(text)
    for name, items in sorted(by_context.items()):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for text in items:
            message = ET.SubElement(context, "message")
            if text.numerus:
                message.set("numerus", "yes")
            ET.SubElement(message, "source").text = text.source
            if text.comment:
                ET.SubElement(message, "comment").text = text.comment
            if language == "en" and text.numerus:
                translation = ET.SubElement(message, "translation")
                for form in english_forms(text.source):
                    ET.SubElement(translation, "numerusform").text = form
            elif text in old and language != "en":
                message.append(old[text])
            else:
                ET.SubElement(message, "translation", {"type": "unfinished"})
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def main(argv: list[str]) -> int:
    try:
        texts = collect()
    except Unreadable as error:
        print(f"extract_texts: {error}", file=sys.stderr)
        return 1
    for name in argv:
        path = Path(name)
        language = path.stem.rsplit("_", 1)[-1]
        write_ts(path, texts, language)
        plural = sum(1 for t in texts if t.numerus)
        print(f"{path}: {len(texts)} texts ({plural} plural)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
