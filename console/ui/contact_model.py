"""The contacts table: a window over the cache, filled lazily, one block of rows at a time.

With 50,000 contacts the model never holds them all: rowCount is one COUNT of the search, and
data() fetches the 100-row block a row falls in the first time the view asks for it (the view
only asks for what it paints). At most MAX_BLOCKS blocks stay in memory; the least recently
used goes first. Searching is a new COUNT plus the first block: two indexed queries
(store/contact_search.py), which is what keeps a keystroke under the 30 ms budget
(tests/bench/bench_contact_search.py measures it).

A change set that names contacts refreshes the blocks in memory; when the rows shown are
still the same ids in the same places they change in place (dataChanged, the selection
stays), otherwise the model resets and the page restores the selection by id.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from console.services.types import ChangeSet
from console.ui.block_cache import BlockCache
from console.ui.error_texts import error_text
from console.ui.formatting import list_time
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.labels import pending_state_text, pending_state_tip
from console.ui.named_roles_table import NamedRolesTableModel
from console.ui.qt import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy: not before first paint
    from console.services.contacts import ContactRow, ContactService

ModelIndex = QModelIndex | QPersistentModelIndex

BLOCK = 100  # rows per fetch: a screenful or three, one indexed query of ~1 ms
MAX_BLOCKS = 40  # 4,000 rows kept at most (a few MB); older blocks are read again if needed
# More changed contacts than this in one change set: reload instead of placing each one.
MAX_PLACED_CHANGES = 20
# A search counts at most this many hits at first: a short fragment ("wh", "55") is found by
# walking the names until that many hits, and 1,000 of them took 20-28 ms on 50,000 contacts;
# 200 take a fifth of that. Scrolling to the end counts further (fetchMore), 8 times more.
COUNT_CAP = 200
COUNT_GROWTH = 8


class Column(IntEnum):
    NAME = 0
    PRIMARY = 1
    SECONDARY = 2
    EMAIL = 3
    DND = 4
    ASSIGNED = 5
    UPDATED = 6


_CONTEXT = "ContactTableModel"

HEADERS = {  # shown through header_text()
    Column.NAME: QT_TRANSLATE_NOOP("ContactTableModel", "Name"),
    Column.PRIMARY: QT_TRANSLATE_NOOP("ContactTableModel", "Primary number"),
    Column.SECONDARY: QT_TRANSLATE_NOOP("ContactTableModel", "Secondary number"),
    Column.EMAIL: QT_TRANSLATE_NOOP("ContactTableModel", "Email"),
    Column.DND: QT_TRANSLATE_NOOP("ContactTableModel", "DND"),
    Column.ASSIGNED: QT_TRANSLATE_NOOP("ContactTableModel", "Assigned to"),
    Column.UPDATED: QT_TRANSLATE_NOOP("ContactTableModel", "Updated"),
}

# What a pending contact's own tooltip says; the rest come from labels.PENDING_STATE_TIPS.
_PENDING_TIPS = {
    "creating": QT_TRANSLATE_NOOP(
        "ContactTableModel", "This new contact is on its way to the server."
    ),
    "refused": QT_TRANSLATE_NOOP(
        "ContactTableModel",
        "The server refused this new contact. See View > Refused changes to retry or "
        "discard it.",
    ),
}

def header_text(column: Column) -> str:
    return translate(_CONTEXT, HEADERS[column])


def state_text(row: ContactRow) -> str:
    return pending_state_text(row.state.value)


def _texts(row: ContactRow) -> tuple[str, ...]:
    """What each column shows, formatted once per fetch (painting asks many times)."""
    primary = row.phone("primary")
    secondary = row.phone("secondary")
    state = state_text(row)
    name = f"{row.name}  ·  {state}" if state else row.name
    return (
        name,
        primary.display if primary else "",
        secondary.display if secondary else "",
        row.email or "",
        translate(_CONTEXT, "DND") if row.dnd else "",
        row.assigned_name
        or (
            translate(_CONTEXT, "Someone else") if row.assigned_user_id
            else translate(_CONTEXT, "Unassigned")
        ),
        list_time(row.updated_at),
    )


class ContactTableModel(NamedRolesTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2  # the whole ContactRow
    StateRole = Qt.ItemDataRole.UserRole + 3  # PendingState value ("" when saved)
    NameRole = Qt.ItemDataRole.UserRole + 4
    DndRole = Qt.ItemDataRole.UserRole + 5

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        IdRole: b"contactId",
        RowRole: b"row",
        StateRole: b"pendingState",
        NameRole: b"name",
        DndRole: b"dnd",
    }

    def __init__(self, service: ContactService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._text = ""
        self._count = 0
        self._cap: int | None = None  # the current search counted up to here (None: all)
        self._total: int | None = None  # every contact, kept until contacts change
        # (row, column texts), a block at a time
        self._blocks: BlockCache[tuple[ContactRow, tuple[str, ...]]] = BlockCache(
            self._read, block=BLOCK, max_blocks=MAX_BLOCKS
        )
        if service is not None:
            self.reload()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return header_text(Column(section))
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.DND:
                return translate(_CONTEXT, "Do Not Disturb: no messages go to this contact")
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(Column):
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        row, texts = entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, texts)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return translate(_CONTEXT, "{column}: {text}").format(
                column=header_text(Column(column)),
                text=texts[column] or translate(_CONTEXT, "none"),
            )
        if role == self.IdRole:
            return row.id
        if role == self.RowRole:
            return row
        if role == self.StateRole:
            return row.state.value
        if role == self.NameRole:
            return row.name
        if role == self.DndRole:
            return row.dnd
        return None

    @staticmethod
    def _tooltip(row: ContactRow, column: int, texts: tuple[str, ...]) -> str:
        if column == Column.NAME:
            if row.refusal:
                return translate(_CONTEXT, "Not saved: {reason}").format(
                    reason=error_text(None, row.refusal)
                )
            tip = _PENDING_TIPS.get(row.state.value)
            if tip:
                return translate(_CONTEXT, tip)
            return pending_state_tip(row.state.value) or row.name
        if column == Column.DND and row.dnd:
            return translate(_CONTEXT, "Do Not Disturb is on: no messages go to this contact")
        if column == Column.UPDATED and row.updated_at is not None:
            return row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return texts[column]

    # -- lookups ------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self._text

    def contact_at(self, row: int) -> ContactRow | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def row_of(self, contact_id: str) -> int:
        """Row of `contact_id` among the blocks in memory, or -1 (never reads the cache)."""
        for place, (row, _) in self._blocks.loaded():
            if row.id == contact_id:
                return place
        return -1

    def cached_ids(self) -> set[str]:
        return {row.id for _, (row, _) in self._blocks.loaded()}

    @property
    def fetches(self) -> int:
        """Blocks read from the cache (the benchmark and tests look)."""
        return self._blocks.fetches

    # -- updates ------------------------------------------------------------------------------
    def set_service(self, service: ContactService | None) -> None:
        self._service = service
        self._total = None
        self.reload()

    def set_search(self, text: str) -> None:
        """Show what `text` finds (by name, number fragment or email)."""
        text = " ".join(text.split())
        if text == self._text:
            return
        self._text = text
        self.reload()

    @property
    def has_more(self) -> bool:
        """The search found more than rowCount() so far counted (see COUNT_CAP)."""
        return self._cap is not None and self._count >= self._cap

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return not parent.isValid() and self.has_more

    def fetchMore(self, parent: ModelIndex) -> None:
        if parent.isValid() or not self.has_more or self._service is None or self._cap is None:
            return
        cap = self._cap * COUNT_GROWTH
        count = self._service.count(self._text, cap=cap)
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self._cap = cap
            self.endInsertRows()
        else:
            self._cap = None

    def _counted(self) -> int:
        if self._service is None:
            self._cap = None
            return 0
        if not self._text:
            self._cap = None
            if self._total is None:
                self._total = self._service.count("")
            return self._total
        self._cap = COUNT_CAP
        return self._service.count(self._text, cap=COUNT_CAP)

    def reload(self) -> None:
        """Count again and forget every block (a new search, a reset, another workspace)."""
        assert_gui_thread()
        self.beginResetModel()
        self._blocks.clear()
        self._count = self._counted()
        self.endResetModel()

    def apply_changes(self, changes: ChangeSet) -> bool:
        """Follow `changes`; True when the rows moved (the model was reset).

        Only the blocks in memory that hold a changed contact, or the place it sorts to now,
        are read again; a contact that came, went or moved to another block resets the model
        (the page then restores the selection by id). A big batch (a sync page) resets too:
        one COUNT and a screenful is cheaper than finding each contact's place.
        """
        assert_gui_thread()
        if self._service is None or not (changes.contacts or changes.reset):
            return False
        self._total = None
        if changes.reset or len(changes.contacts) > MAX_PLACED_CHANGES:
            self.reload()
            return True
        cap = self._cap
        if self._service.count(self._text, cap=cap) != self._count:
            self.reload()
            return True
        blocks: set[int] = set()
        for contact_id in changes.contacts:
            row = self.row_of(contact_id)
            now = self._service.position(self._text, contact_id)
            if row >= 0 and now is None:
                self.reload()  # it left the search (and another came): places shifted
                return True
            if row >= 0 and now is not None and row // BLOCK != now // BLOCK:
                self.reload()
                return True
            for place in (row, now):
                if place is not None and place >= 0 and self._blocks.holds(place // BLOCK):
                    blocks.add(place // BLOCK)
        for block in sorted(blocks):
            changed = self._blocks.reread(block, key=lambda e: e[0].id, value=lambda e: e[0])
            if changed is None:
                self.reload()
                return True
            for row in changed:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return False

    # -- the lazy part ------------------------------------------------------------------------
    def _entry(self, row: int) -> tuple[ContactRow, tuple[str, ...]] | None:
        return self._blocks.item(row) if 0 <= row < self._count else None

    def _read(self, offset: int, limit: int) -> list[tuple[ContactRow, tuple[str, ...]]] | None:
        if self._service is None:
            return None
        return [(r, _texts(r)) for r in self._service.page(self._text, offset, limit)]
