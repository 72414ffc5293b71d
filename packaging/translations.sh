#!/usr/bin/env bash
# Translations: collect every translate()/QT_TRANSLATE_NOOP text under console/ into the .ts
# files (packaging/extract_texts.py; the English one is the template for translators and holds
# the English plural forms), then compile each console/resources/i18n/*.ts with Qt Linguist's
# lrelease into the .qm the console loads at start. Run it after changing user-facing text:
# tests/unit/test_translations.py fails while the files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=console/resources/i18n
.venv/bin/python packaging/extract_texts.py "$dir"/agent_console_*.ts
for ts in "$dir"/*.ts; do
  .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
