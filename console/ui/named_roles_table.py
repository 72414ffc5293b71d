"""The table models' counterpart of NamedRolesListModel (console/ui/named_roles.py): custom
roles with names, listed in `_ROLE_NAMES` (role -> name) and added to Qt's own."""

from __future__ import annotations

from typing import ClassVar

from console.ui.qt import QAbstractTableModel, QByteArray


class NamedRolesTableModel(QAbstractTableModel):
    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {}

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names
