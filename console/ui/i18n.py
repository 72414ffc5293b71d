"""Translations: every user-facing string goes through `translate(context, text)`.

    from console.ui.i18n import translate
    label.setText(translate("Compose", "Write a message…"))
    translate("SyncStatus", "%n change(s) waiting to send", None, count)   # plurals

Always an explicit context (the class or area), never `self.tr()`: PySide's `tr` takes its
context from the object's runtime class, so a subclass would lose its translations.
Module-level texts are marked with `QT_TRANSLATE_NOOP(context, text)` and passed through
`translate` where they are shown. `pyside6-lupdate` finds both forms
(packaging/translations.sh writes console/resources/i18n/agent_console_en.ts and the .qm
files).

`install_translations(app, locale)` loads the .qm for the locale, if there is one. The locale
"pseudo" installs a pseudo-translator: every translated text comes back bracketed and
accented ("⟦Śéñð⟧"), so a text that shows plain on screen did not go through `translate`
(tests/ui/test_pseudo_locale.py looks for them).
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

from console.ui.qt import QCoreApplication, QLocale, QObject, QTranslator

__all__ = [
    "QT_TRANSLATE_NOOP", "in_source_language", "install_translations", "pseudo", "translate",
]

_installed: list[QTranslator] = []  # ours, installed on the application

log = logging.getLogger("console.ui.i18n")

PSEUDO = "pseudo"
_SUFFIX = re.compile(r"\((e?s)\)")
_CHOICE = re.compile(r"\(([^()|]+)\|([^()|]+)\)")
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
_ACCENTED = str.maketrans(
    "aceinosuyACEINOSUY", "áçéíñóšúýÁÇÉÍÑÓŠÚÝ"
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name lupdate reads)
    """Marks a module-level text for translation; `translate(context, text)` shows it."""
    return text


def english_forms(source: str) -> tuple[str, str]:
    """A plural text's English forms: "%n change(s) (is|are)" gives "%n change is" (one)
    and "%n changes are" (other). The English .ts holds them (packaging/extract_texts.py)."""
    one = _CHOICE.sub(r"\1", _SUFFIX.sub("", source))
    other = _CHOICE.sub(r"\2", _SUFFIX.sub(r"\1", source))
    return one, other


def translate(
    context: str, text: str, disambiguation: str | None = None, n: int = -1
) -> str:
    result = QCoreApplication.translate(context, text, disambiguation, n)
    if n >= 0 and "(" in text and result == text.replace("%n", str(n)):
        # No translation took it (no .qm loaded, or no application yet): English forms
        # rather than "1 change(s)".
        result = english_forms(text)[0 if n == 1 else 1].replace("%n", str(n))
    return result


def pseudo(text: str) -> str:
    """The pseudo-locale's form of `text`: accented, bracketed; placeholders kept."""
    out: list[str] = []
    i = 0
    while i < len(text):
        # %n, %1, %L1 (Qt fills them in) and {name} (str.format does) stay as they are.
        if text[i] == "%" and i + 1 < len(text) and (text[i + 1].isdigit() or text[i + 1] in "nL"):
            j = i + 2
            while j < len(text) and text[j].isdigit():
                j += 1
            out.append(text[i:j])
            i = j
            continue
        if text[i] == "{" and (end := text.find("}", i)) > i:
            out.append(text[i:end + 1])
            i = end + 1
            continue
        out.append(text[i].translate(_ACCENTED))
        i += 1
    return f"{PSEUDO_OPEN}{''.join(out)}{PSEUDO_CLOSE}"


class PseudoTranslator(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return pseudo(source) if source else source

    def isEmpty(self) -> bool:  # noqa: N802  (Qt's name)
        return False


def _qm_file(language: str) -> Path | None:
    entry = resources.files("console").joinpath("resources", "i18n", f"agent_console_{language}.qm")
    return entry if isinstance(entry, Path) and entry.is_file() else None


def install_translations(app: QCoreApplication, locale: str | None = None) -> QTranslator | None:
    """Load the translation for `locale` (default: the system's), keeping it alive on `app`.
    English is the source language: its file holds only the plural forms ("1 change",
    "2 changes"); a language without a file gets English."""
    name = locale or QLocale.system().name()
    translator: QTranslator
    english = False
    if name == PSEUDO:
        translator = PseudoTranslator(app)
    else:
        language = name.split("_")[0]
        path = _qm_file(name) or _qm_file(language)
        if path is None and language != "en":
            log.info("no translation for %s: English", name)
            path = _qm_file("en")
        if path is None:
            return None
        english = path == _qm_file("en")
        translator = QTranslator(app)
        if not translator.load(str(path)):
            log.warning("translation for %s did not load", name)
            return None
    app.installTranslator(translator)
    if not english:  # English (its plural forms only) is still the source language
        _installed.append(translator)
    return translator


def remove_translations(app: QCoreApplication, translator: QObject | None) -> None:
    if isinstance(translator, QTranslator):
        app.removeTranslator(translator)
        if translator in _installed:
            _installed.remove(translator)


def in_source_language() -> bool:
    """Whether the console speaks English, its source language (no translation installed):
    then English texts from the services and the server may be shown as they are."""
    return not _installed
