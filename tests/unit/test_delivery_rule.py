"""The rule a group chat message's status follows from its per-recipient copies, and how a
copy's failure is worded for the console."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from console.backend import seed_data
from console.backend.carrier.simulator import unreachable_code
from console.domain.delivery import FAILED, FINAL, CopyState, overall, tally
from console.domain.messages import MessageStatus as S
from console.services.mapping import delivery_reason, recipient_deliveries, to_message_row
from console.store import queries
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from tests.unit.cache_factories import at, conversation, message, page

DELIVERED, SENT, QUEUED = CopyState(S.DELIVERED), CopyState(S.SENT), CopyState(S.QUEUED)


def failed(code: str, status: S = S.FAILED) -> CopyState:
    return CopyState(status, code)


def test_on_the_way_until_every_copy_is_final() -> None:
    assert overall([DELIVERED, SENT, DELIVERED], 3) == SENT
    assert overall([DELIVERED, DELIVERED], 3) == QUEUED  # one copy not handed over yet
    # A copy failed, another is still on its way: the slowest copy that did not fail, and
    # no error code before the message is final.
    assert overall([failed("30004"), SENT, failed("30003")], 3) == SENT
    assert overall([failed("30003")], 2) == QUEUED


def test_delivered_only_when_every_copy_was() -> None:
    assert overall([DELIVERED, DELIVERED, DELIVERED], 3) == DELIVERED


def test_a_partial_failure_is_undelivered_with_the_first_failed_copys_code() -> None:
    """Not `delivered`: a reader of the status alone must not count it as reaching everyone
    (Message.deliveries says who got it)."""
    assert overall([DELIVERED, failed("30003"), DELIVERED], 3) == CopyState(
        S.UNDELIVERED, "30003"
    )
    assert overall([failed("30004"), DELIVERED, failed("30003", S.UNDELIVERED)], 3) == (
        CopyState(S.UNDELIVERED, "30004")
    )


def test_failed_when_no_copy_was_delivered_with_the_first_failed_copys_status() -> None:
    assert overall([failed("30003"), failed("30006", S.UNDELIVERED)], 2) == failed("30003")
    assert overall([failed("30006", S.UNDELIVERED), failed("30003")], 2) == failed(
        "30006", S.UNDELIVERED
    )


def test_a_final_status_stays_final() -> None:
    """A message failed under the earlier rule (as soon as one copy failed) does not go back
    to queued / sent when its other copies report late."""
    was = failed("30003")
    assert overall([failed("30003"), SENT, QUEUED], 3, was) == was
    assert overall([failed("30003"), DELIVERED, DELIVERED], 3, was) == was
    assert overall([DELIVERED, SENT], 2, DELIVERED) == DELIVERED
    assert overall([DELIVERED, SENT], 2, QUEUED) == SENT  # not final: it moves on


copy_states = st.builds(
    CopyState,
    st.sampled_from([S.QUEUED, S.SENT, S.DELIVERED, S.FAILED, S.UNDELIVERED]),
    st.sampled_from([None, "30003", "30007"]),
)


@given(st.lists(copy_states, min_size=1, max_size=9), st.integers(0, 2))
def test_delivered_means_everyone_and_final_means_every_copy_final(
    copies: list[CopyState], missing: int
) -> None:
    result = overall(copies, len(copies) + missing)
    final = missing == 0 and all(c.status in FINAL for c in copies)
    codes = [c.error_code for c in copies if c.status in FAILED]
    if not final:
        assert result.status in (S.QUEUED, S.SENT)
        assert result.error_code is None
    elif all(c.status == S.DELIVERED for c in copies):
        assert result == DELIVERED
    else:
        assert result.status in FAILED
        assert result.error_code == codes[0]
        if any(c.status == S.DELIVERED for c in copies):
            assert result.status == S.UNDELIVERED
    counted = tally([c.status for c in copies], len(copies))
    assert counted.delivered + counted.failed + counted.waiting == len(copies)


def test_a_copys_failure_in_words() -> None:
    assert delivery_reason("30003") == "the handset is unreachable (carrier error 30003)"
    assert delivery_reason("30005") == "the number is unknown or no longer in service " \
                                       "(carrier error 30005)"
    assert delivery_reason("12345") == "carrier error 12345"
    assert delivery_reason("not_sent") == "it was never handed to the carrier"
    assert delivery_reason(None) == "the carrier gave no reason"


def test_the_cached_json_becomes_rows_and_bad_json_none() -> None:
    rows = recipient_deliveries(
        '[{"to":"+14155550003","status":"failed","error_code":"30003",'
        '"updated_at":"2026-12-06T06:41:00Z"},'
        '{"to":"+14155550111","status":"delivered","error_code":null,"updated_at":null}]'
    )
    assert [(r.phone, r.status, r.reason) for r in rows] == [
        ("+14155550003", S.FAILED, "the handset is unreachable (carrier error 30003)"),
        ("+14155550111", S.DELIVERED, None),
    ]
    assert recipient_deliveries("not json") == ()
    assert recipient_deliveries(None) == ()


def test_the_cache_keeps_the_servers_latest_deliveries_and_maps_them(tmp_path: Path) -> None:
    """Applied from the feed in bulk (the last event of a message wins), read back through
    the same query and mapping the services use."""
    def copies(second: str) -> list[dict[str, object]]:
        return [
            {"to": "+14155550111", "status": "delivered", "updated_at": at(2).isoformat()},
            {"to": "+14155550003", "status": second, "error_code": "30003" if second == "failed"
             else None, "updated_at": at(2).isoformat()},
        ]

    cache = Cache.open(tmp_path / "cache.db")
    try:
        apply_sync_page(cache, page(
            conversation("c1", "Group", last=at(1)),
            message("m1", "c1", "hi", when=at(1), direction="out", status="sent",
                    deliveries=copies("sent")),
            message("m1", "c1", "hi", when=at(1), direction="out", status="undelivered",
                    error_code="30003", deliveries=copies("failed")),
            message("m2", "c1", "plain", when=at(2), direction="out", status="delivered"),
        ))
        with cache.read() as conn:
            views = {v.server_id: v for v in queries.message_page(conn, "c1")}
    finally:
        cache.close()
    rows = {sid: to_message_row(v, me_id="u", fallback_inbound="?") for sid, v in views.items()}
    assert [(d.phone, d.status, d.reason) for d in rows["m1"].deliveries] == [
        ("+14155550111", S.DELIVERED, None),
        ("+14155550003", S.FAILED, "the handset is unreachable (carrier error 30003)"),
    ]
    assert rows["m2"].deliveries == ()
    assert views["m2"].deliveries_json is None


def test_the_simulators_unreachable_handsets_are_a_reserved_range_the_demo_never_uses() -> None:
    assert [unreachable_code(f"+1415555019{d}") for d in range(10)] == [
        None, None, None, None, "30003", "30004", "30005", "30006", "30007", None
    ]
    assert unreachable_code("+14155550003") is None  # an everyday-looking number reaches
    seeded = re.findall(r"\+1\d{10}", Path(seed_data.__file__).read_text())
    assert seeded
    assert [n for n in seeded if unreachable_code(n)] == []
