"""Regression guard for the PySide6 6.12.0 + CPython 3.11 item-model crash (PERFORMANCE.md).

There, each C++ call of a Python data() that returns None drops a reference to None; a few
thousand calls later the interpreter aborts with `none_dealloc`. pyproject pins PySide6 below
6.12 on Python < 3.12; this test fails (or aborts) if a bad combination is installed anyway.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from pytestqt.qtbot import QtBot

CALLS = 3000
MARGIN = 50  # other code may hold or drop a few references meanwhile; the bug drops ~3,000


class NoneModel(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return None  # the normal answer for a role a model does not handle


def _refcount_drop(proxy: QSortFilterProxyModel) -> int:
    index = proxy.index(0, 0)
    assert index.isValid()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        proxy.data(index, Qt.ItemDataRole.ToolTipRole)
    return before - sys.getrefcount(None)


pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal on CPython 3.12+: its refcount cannot drop, the bug is harmless",
)


def test_none_from_data_keeps_its_references(qtbot: QtBot) -> None:
    proxy = QSortFilterProxyModel()
    source = NoneModel()
    proxy.setSourceModel(source)
    assert _refcount_drop(proxy) < MARGIN

