"""The translation files are current (packaging/translations.sh was run after the last text
change), every translatable call can be read by the extractor, and English plural forms come
out right."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "console" / "resources" / "i18n"
ENGLISH_TS = I18N / "agent_console_en.ts"


def _extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_texts", ROOT / "packaging" / "extract_texts.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_texts"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_english_ts_holds_every_text_in_the_code(tmp_path: Path) -> None:
    extract = _extractor()
    fresh = tmp_path / "agent_console_en.ts"
    extract.write_ts(fresh, extract.collect(), "en")
    assert fresh.read_text(encoding="utf-8") == ENGLISH_TS.read_text(encoding="utf-8"), (
        "console/resources/i18n is stale: run bash packaging/translations.sh"
    )


def test_the_qm_files_are_compiled_from_the_ts_files(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    assert lrelease is not None
    for ts in sorted(I18N.glob("*.ts")):
        out = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(out)], check=True)
        assert out.read_bytes() == ts.with_suffix(".qm").read_bytes(), (
            f"{ts.name} changed after its .qm was built: run bash packaging/translations.sh"
        )


def test_a_call_the_extractor_cannot_read_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract = _extractor()
    (tmp_path / "console").mkdir()
    good = tmp_path / "console" / "good.py"
    good.write_text(
        '_CONTEXT = "Page"\n'
        'LABEL = QT_TRANSLATE_NOOP("Page", "%n row(s)")\n'
        'def f(rows):\n'
        '    a = translate(_CONTEXT, "Open", None, len(rows))\n'
        '    b = translate("Page", LABEL, None, len(rows))\n'
        '    return "x".translate({})\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(extract, "ROOT", tmp_path)
    texts = extract.texts_in(good)
    assert {(t.context, t.source, t.numerus) for t in texts} == {
        ("Page", "Open", False), ("Page", "%n row(s)", True)
    }
    bad = tmp_path / "console" / "bad.py"
    bad.write_text('def f(c):\n    return translate(c, "Open")\n', encoding="utf-8")
    with pytest.raises(extract.Unreadable, match=r"bad\.py:2: the context"):
        extract.texts_in(bad)
    assert extract.english_forms("%n change(s) (is|are) waiting") == (
        "%n change is waiting", "%n changes are waiting"
    )


def test_english_plurals_come_out_right_even_without_the_translation_file() -> None:
    # No QApplication here, so no .qm: translate() still says "1 change", "2 changes".
    from console.ui.i18n import translate

    text = "%n change(s) (is|are) waiting"
    assert translate("Test", text, None, 1) == "1 change is waiting"
    assert translate("Test", text, None, 2) == "2 changes are waiting"
    assert translate("Test", "%n min ago", None, 3) == "3 min ago"
    assert translate("Test", "Sent (draft)") == "Sent (draft)"  # not a plural: as written
