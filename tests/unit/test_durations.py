"""Waits said the way a person reads them (issue 13: "try again in 895 s" says minutes)."""

from __future__ import annotations

import pytest

from console.services.durations import wait_in_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.2, "1 second"),
        (1, "1 second"),
        (1.01, "2 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (895, "15 minutes"),
        (7140, "119 minutes"),
        (7200, "2 hours"),
        (86_400, "24 hours"),
    ],
)
def test_a_wait_is_rounded_up_into_the_unit_that_reads_best(seconds: float, words: str) -> None:
    assert wait_in_words(seconds) == words
