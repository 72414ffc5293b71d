"""Collect garbage less often while a catch-up applies thousands of events.

In whichever process runs the engine: the GUI's when on a thread, else the sync child's.

With CPython's default thresholds (700, 10, 10) a young-generation collection runs every few
hundred allocations, so the objects of a feed page (alive for the tens of milliseconds between
being read and being written) are promoted to the oldest generation; after enough promotions
a full collection walks every object in the process. Measured on a 100,000-message first sync:
~1,200 collections, 1.1 s in all, of which ten full ones of ~100 ms each, every one of them a
pause of the GUI thread too (it holds the GIL). Collecting the young generation after 50,000
net allocations instead lets those objects die young: no full collection, and the sync itself
runs about a third faster. Reference counting still frees everything that is not in a cycle
at once; the thresholds go back to what they were as soon as the catch-up ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from console.timing import BULK_GC_THRESHOLDS

BULK_THRESHOLDS = BULK_GC_THRESHOLDS

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collection thresholds for the duration (nested or concurrent uses share one
    raise; the last to leave restores the previous thresholds)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
