"""Contact imports in the cache, without a server: the feed's rows (an undo never goes back),
an import queued here showing at once as importing with the outbox item it is (one POST of the
good rows, its own lane), the server's answer completing it in place (skipped rows named by the
file's rows, the rows dropped from the done item), a refusal, an undo on its way, the check
against the cache's live numbers, reading files, and r0011 making an older cache resync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from console.domain.contact_import import RowCode, Target
from console.domain.contact_import_history import ImportProblem, ImportStatus
from console.domain.errors import DomainError
from console.protocol.contact_imports import ContactImport
from console.protocol.sync import SyncEvent
from console.services.contact_import import ContactImportService
from console.services.outbox import OutboxService
from console.store import contact_import_writes
from console.store import outbox as ob
from console.store.apply import apply_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.maintenance import clear_cached_data
from console.store.migrate import alembic_config
from console.store.migrations.versions.r0011_contact_imports import RESYNC_CURSOR
from console.store.session_meta import read_cursor, save_cursor
from tests.unit.cache_factories import at, contact, event, resync_cursors

CSV = (
    "Name,Mobile,Email,DND\n"
    "Ana Good,(312) 555-0101,ana@example.com,\n"  # row 2
    "Bo Bad,12,,\n"  # row 3: invalid number
    "Cy Taken,(312) 555-0199,,\n"  # row 4: already on a contact in the cache
    "Di Quiet,(646) 555-0102,,yes\n"  # row 5: DND
    "Ed Abroad,+44 20 7946 0958,,\n"  # row 6: outside US/Canada
    "Fay Twice,(312) 555-0101,,\n"  # row 7: Ana's number again
)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


@pytest.fixture
def published() -> list[Changes]:
    return []


@pytest.fixture
def service(cache: Cache, published: list[Changes]) -> ContactImportService:
    return ContactImportService(cache, publish=published.append, wake_sync=lambda: None)


def answer(iid: str, *, created: int = 1, skipped: list[dict[str, Any]] | None = None,
           undone: int | None = None, minutes: int = 1) -> dict[str, Any]:
    return {
        "id": iid, "source": "people.csv", "user_id": "u1", "created_count": created,
        "skipped": skipped or [], "created_at": at(minutes).isoformat(),
        "undone_at": at(undone).isoformat() if undone is not None else None,
    }


def upserted(data: dict[str, Any]) -> SyncEvent:
    return event("contact_import.upserted", data)


def test_the_feed_fills_the_list_newest_first_and_an_undo_is_final(
    service: ContactImportService, cache: Cache
) -> None:
    with cache.write() as conn:
        changes = apply_events(conn, [upserted(answer("i1", minutes=1)),
                                      upserted(answer("i2", minutes=2, created=3))])
    assert changes.contact_imports == {"i1", "i2"}
    assert [(r.id, r.status, r.created_count) for r in service.imports()] == [
        ("i2", ImportStatus.DONE, 3), ("i1", ImportStatus.DONE, 1)]
    with cache.write() as conn:
        apply_events(conn, [upserted(answer("i1", undone=5))])
        apply_events(conn, [upserted(answer("i1"))])  # an older description, arriving late
    record = service.find("i1")
    assert record is not None
    assert record.status is ImportStatus.UNDONE
    assert record.undone_at == at(5)


def test_read_guess_check_and_queue_then_the_answer_completes_it(
    service: ContactImportService, cache: Cache, published: list[Changes], tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    table = service.read_file(path)
    mapping = service.guess(table)
    assert [m.target for m in mapping] == [Target.NAME, Target.PHONE, Target.EMAIL, Target.DND]
    with cache.write() as conn:
        apply_events(conn, [contact("c1", "Cy Taken", "+13125550199"),
                            contact("c2", "Gone", "+16465550102", deleted=True)])
    reports = service.check(table, mapping)
    assert [(r.row, r.code) for r in reports] == [
        (2, RowCode.OK), (3, RowCode.INVALID_NUMBER), (4, RowCode.DUPLICATE_EXISTING),
        (5, RowCode.OK),  # a deleted contact's number is free again
        (6, RowCode.OUTSIDE_NANP), (7, RowCode.DUPLICATE_IN_FILE)]
    local_id = service.queue_import("people.csv", reports)
    assert published[-1].contact_imports == {local_id}
    assert published[-1].outbox
    [record] = service.imports()
    assert (record.id, record.status, record.row_count) == (
        local_id, ImportStatus.IMPORTING, 2)
    with cache.read() as conn:
        [item] = ob.open_items(conn)
    assert item.kind == ob.OutboxKind.CONTACT_IMPORT
    assert local_id == contact_import_writes.local_id(item.idempotency_key)
    assert item.payload["rows"] == [
        {"name": "Ana Good", "phones": [{"number": "+13125550101", "label": "primary"}],
         "email": "ana@example.com", "dnd": False},
        {"name": "Di Quiet", "phones": [{"number": "+16465550102", "label": "primary"}],
         "email": None, "dnd": True},
    ]
    # The server made one and skipped its second row (by position): the file's row 5.
    made = ContactImport.model_validate(answer("srv1", skipped=[
        {"row": 2, "code": "duplicate_existing", "detail": "+16465550102 is already on a contact"}
    ]))
    with cache.write() as conn:
        ob.claim(conn, item.id, at(1))
        contact_import_writes.upsert_imports(conn, [made])
        contact_import_writes.complete_import(conn, item, made, at(1))
        done = ob.get(conn, item.id)
    assert done is not None
    assert done.state is ob.OutboxState.DONE
    assert "rows" not in done.payload
    assert done.payload["result_id"] == "srv1"
    answered = service.find(local_id)
    assert answered is not None
    assert (answered.id, answered.status, answered.created_count) == (
        "srv1", ImportStatus.DONE, 1)
    assert [(s.row, s.code) for s in answered.skipped] == [(5, "duplicate_existing")]
    assert [r.id for r in service.imports()] == ["srv1"]


def test_nothing_good_is_refused_and_an_unsent_import_is_simply_dropped(
    service: ContactImportService, cache: Cache, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    table = service.read_file(path)
    reports = service.check(table, service.guess(table))
    with pytest.raises(DomainError) as refused:
        service.queue_import("people.csv", [r for r in reports if not r.ok])
    assert refused.value.hint == ImportProblem.NOTHING_TO_IMPORT
    local_id = service.queue_import("people.csv", reports)
    service.undo(local_id)  # never left: nothing for the server to undo
    assert service.imports() == []
    with cache.read() as conn:
        assert ob.open_items(conn) == []


def test_a_refused_import_shows_as_refused_and_an_undo_as_undoing(
    service: ContactImportService, cache: Cache, published: list[Changes], tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    table = service.read_file(path)
    local_id = service.queue_import("people.csv", service.check(table, service.guess(table)))
    service.queue_import("again.csv", service.check(table, service.guess(table)))
    with cache.write() as conn:
        # Each import is a lane of its own: both are due at once, neither waits on the other.
        item, second = ob.due_items(conn, at(10_000_000))
        ob.discard(conn, second.id)
        ob.claim(conn, item.id, at(1))
        ob.fail(conn, item.id, code="validation_error", error="too big", now=at(1))
        apply_events(conn, [upserted(answer("i9"))])
    by_id = {r.id: r for r in service.imports()}
    assert by_id[local_id].status is ImportStatus.REFUSED
    assert by_id[local_id].error == "too big"
    with pytest.raises(DomainError) as refused:
        service.undo(local_id)
    assert refused.value.hint == ImportProblem.NOT_UNDOABLE
    service.undo("i9")
    record = service.find("i9")
    assert record is not None
    assert record.status is ImportStatus.UNDOING
    with cache.read() as conn:
        [undo] = ob.open_of_kind(conn, ob.OutboxKind.CONTACT_IMPORT_UNDO)
    assert undo.payload == {"import_id": "i9", "source": "people.csv"}
    with pytest.raises(DomainError):
        service.undo("i9")  # one undo is enough
    # Refused changes: Retry and Discard tell an open import dialog too.
    refused_list = OutboxService(cache, publish=published.append, wake_sync=lambda: None)
    [failed] = [f for f in refused_list.failed() if f.kind == ob.OutboxKind.CONTACT_IMPORT]
    assert failed.subject == "people.csv"
    refused_list.retry(failed.key)
    assert local_id in published[-1].contact_imports
    assert service.find(local_id).status is ImportStatus.IMPORTING  # type: ignore[union-attr]


def test_files_that_cannot_be_imported_say_why(
    service: ContactImportService, tmp_path: Path
) -> None:
    cases = {
        "missing.csv": None,
        "empty.csv": b"",
        "header-only.csv": b"Name,Phone\n",
        "sheet.xlsx": b"PK\x03\x04\x00\x00binary",
    }
    problems = {}
    for name, data in cases.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
        with pytest.raises(DomainError) as refused:
            service.read_file(tmp_path / name)
        problems[name] = refused.value.hint
    assert problems == {"missing.csv": ImportProblem.UNREADABLE, "empty.csv": ImportProblem.EMPTY,
                        "header-only.csv": ImportProblem.EMPTY,
                        "sheet.xlsx": ImportProblem.UNREADABLE}
    big = tmp_path / "big.csv"
    big.write_text("Name,Phone\n" + "x,1\n" * 20_001, encoding="utf-8")
    with pytest.raises(DomainError) as refused:
        service.read_file(big)
    assert refused.value.hint == ImportProblem.TOO_MANY
    # Windows-1252 (a spreadsheet's "CSV"), and a vCard under a name that does not say so.
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name,Phone\nJosé Müller,(312) 555-0101\n".encode("cp1252"))
    assert service.read_file(latin).rows[0].cells[0] == "José Müller"
    card = tmp_path / "export.txt.dat"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Vic Card\nTEL;TYPE=CELL:(312) 555-0111\n"
                    "END:VCARD\n", encoding="utf-8")
    table = service.read_file(card)
    assert table.columns == ("Name", "Phone (mobile)", "Email")
    assert table.rows[0].cells[:2] == ("Vic Card", "(312) 555-0111")


def test_clearing_the_cache_forgets_imports(service: ContactImportService, cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [upserted(answer("i1"))])
        clear_cached_data(conn)
    assert service.imports() == []


def test_a_cache_synced_before_r0011_syncs_again_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = Cache.open(path)
    try:
        with cache.write() as conn:
            save_cursor(conn, "epoch.42", at(0))
            command.downgrade(alembic_config(conn), "0010")
            command.upgrade(alembic_config(conn), "0011")
            # Imports were made before this console kept them: the feed is read again.
            assert read_cursor(conn).cursor == RESYNC_CURSOR
    finally:
        cache.close()
    cache = Cache.open(path)  # on to the head: a later revision may resync as well
    try:
        with cache.read() as conn:
            assert read_cursor(conn).cursor in resync_cursors()
    finally:
        cache.close()
