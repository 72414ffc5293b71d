"""The sync child's status crosses the process boundary as JSON: the detail code and its values
arrive as they were sent (the GUI words them, so they must not be lost or turned to text)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.domain.status_detail import NO_DETAIL, DetailCode, StatusDetail
from console.sync.child_wire import decode, encode, status_from, status_message
from console.sync.engine import EngineState, EngineStatus


def _round_trip(status: EngineStatus) -> EngineStatus:
    return status_from(decode(encode(status_message(status))))


@pytest.mark.parametrize(
    "detail",
    [
        NO_DETAIL,
        StatusDetail(DetailCode.LIVE),
        StatusDetail.of(DetailCode.POLLING, seconds=0.5),
        StatusDetail.of(DetailCode.RETRY_SERVER_ERROR, seconds=90, status=503),
        StatusDetail.of(DetailCode.RETRY_REFUSED, seconds=2, code="sync_locked"),
        StatusDetail.of(DetailCode.RESTARTING, seconds=1),
    ],
)
def test_status_detail_round_trips(detail: StatusDetail) -> None:
    status = EngineStatus(
        EngineState.OFFLINE,
        detail,
        datetime(2025, 11, 12, 14, 5, tzinfo=UTC),
        pending=3,
        signed_out=False,
        refused=1,
    )
    back = _round_trip(status)
    assert back == status
    assert back.detail.code is detail.code
    assert type(back.detail.value("seconds", "")) is type(detail.value("seconds", ""))


def test_every_code_round_trips() -> None:
    for code in DetailCode:
        status = EngineStatus(EngineState.ONLINE, StatusDetail.of(code, seconds=4))
        assert _round_trip(status).detail == status.detail


def test_the_detail_travels_as_a_code_and_values_not_words() -> None:
    detail = StatusDetail.of(DetailCode.RETRY_UNREACHABLE, seconds=4)
    message = status_message(EngineStatus(EngineState.OFFLINE, detail))
    assert message["detail"] == {"code": "retry_unreachable", "values": {"seconds": 4}}


def test_an_unknown_code_reads_as_no_detail() -> None:
    message = status_message(EngineStatus(EngineState.OFFLINE))
    message["detail"] = {"code": "from_a_newer_console", "values": {"seconds": 4}}
    assert status_from(message).detail.code is DetailCode.NONE
    message["detail"] = "Backend unreachable - retrying in 4 s"  # an older child's text
    assert status_from(message).detail == NO_DETAIL
