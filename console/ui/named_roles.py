"""The base of the console's flat list models: custom roles with names.

Each model lists its roles in `_ROLE_NAMES` (role -> name); `roleNames()` adds them to Qt's
own, so views, the model tester and QML-style lookups can refer to them by name.
"""

from __future__ import annotations

from typing import ClassVar

from console.ui.qt import QAbstractListModel, QByteArray


class NamedRolesListModel(QAbstractListModel):
    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {}

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names
