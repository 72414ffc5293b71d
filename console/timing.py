"""Every timing knob of the sync engine, the cache and the GUI, in one place.

Each says what set it. The benchmarks named are scripts in tests/bench/:
- bench_gui_stall: the GUI thread's longest pauses while 100,000 messages sync into a fresh
  cache, the window open (and with --child-process, --busy-core, --sends);
- bench_initial_sync: messages per second into a fresh cache, no GUI;
- bench_inbound_latency: a message sent by a customer, until the open console shows it.
- bench_scale: the console over a 100,000-conversation, 1,000,000-message cache (cold start,
  the 100,000-message conversation's first paint and scrolling, memory);
- bench_history_ui, bench_conversation_search, bench_contact_search: typing to results painted.
"Not benchmarked" marks a policy (how soon to retry, how patient to be), set by reasoning.

Leaf module: it imports nothing, so store, sync, services and ui may all read it.
"""

from __future__ import annotations

# -- where the sync engine runs (console/sync/child_engine.py) -------------------------------
# On: the sync engine runs in a child process, `python -m console.sync.child`; a frozen build
# starts it as `agent-console-backend _sync-child` (console/frozen.py; the sync child tests
# pass against the PyInstaller bundle's).
# bench_gui_stall, 100,000 messages, the bench's conversation open, 10 sends typed meanwhile,
# gap p99 / max in ms (2026-12-06, after the open conversation's handling of a change set went
# from ~40 ms to ~5 ms and sends went off the GUI thread):
# - child, nice 10: idle 12.9 / 22.0; another process busy on one core 11.7 / 25.7;
# - child, nice 0: idle 13.5 / 26 (one 54 ms gap); busy core 19.4 / 63.3;
# - thread: idle 19.4 / 43 (one 62); busy core 22.4 / 41.5.
# Only the child at nice 10 meets p99 < 16 ms and max < 33 ms in both. Before that handling
# was cheap the child lost (idle 71.6 / 184.7 against the thread's 60.2 / 107.9): on 2 cores
# it competed with the GUI thread's own work.
SYNC_IN_CHILD_PROCESS = True
# The sync child's CPU priority below the console's (os.nice; 0: the same): a catch-up gives
# way to the window. Same runs as above: nice 10 took the busy-core max gap from 63 ms to 26 ms
# and the sync took 20.0 s (nice 0: 24.9 s). An earlier trial at load ~7 (sends then waited
# for the write lock on the GUI thread) had favoured nice 0: sends no longer wait for it
# (ConversationService.send_soon). The price, not measured: a GUI-thread write other than a
# send or a read mark (retry, discard, contact and group edits) waits for the step the child
# holds, and on a machine with every core busy the child at nice 10 finishes it slowly.
CHILD_NICE = 10
# A sync process that died is restarted after base * 2^(n-1) seconds (jittered), up to the
# cap; one that ran this long before dying starts the count over. Not benchmarked: a crash
# loop must not eat a core, and one crash must not leave the console offline for long.
CHILD_RESTART_BASE_S = 0.5
CHILD_RESTART_CAP_S = 30.0
CHILD_STABLE_S = 60.0
# How long close() waits for the engine's thread (or process) to finish its request before
# giving up on it. Not benchmarked: the window must close at once.
ENGINE_CLOSE_TIMEOUT_S = 1.5

# -- the catch-up (console/sync/puller.py, prefetch.py) --------------------------------------
# /v1/sync page size (since the first version; not benchmarked since), and how many events
# of pages already read ahead are applied as one batch, and how many pages are read ahead
# (memory: a few hundred KB): set in the issue-4 sync work (commit a0ffcb9) against
# bench_initial_sync (20,000 messages/s) and bench_gui_stall (then: max gap 50 ms).
PAGE_LIMIT = 500
MAX_APPLY_EVENTS = 2000
READ_AHEAD_PAGES = 6
# A batch is written in steps of this many events, each its own transaction (console/store/
# feed.py): a write on the GUI thread (a send) waits for the step in progress, not the batch.
# Holding the write lock costs ~0.07-0.09 ms an event plus ~3 ms a transaction (measured
# outside the GUI: 2,000 events 170 ms, 500 events 36-45 ms, 100 events 10-11 ms, 50 events
# 7 ms). bench_gui_stall --child-process --sends: a send's wait for the lock went from up to
# 190 ms (whole 2,000-event batches) to mostly under 10 ms.
APPLY_STEP_EVENTS = 100
# How often a thread waiting for a page (or a queue slot) looks at a stop request. Not
# benchmarked: close() must not wait longer than this for it.
PREFETCH_SLICE_S = 0.05
# Streamed events that queued up are applied together, waiting this long for more to join
# (one change writes several events), at most MAX_STREAM_BATCH at a time. Not tied to a
# benchmark in the history (issue-4 sync work): a few ms of latency for one transaction.
STREAM_COALESCE_S = 0.005
MAX_STREAM_BATCH = 1000

# -- sharing the interpreter lock with the GUI (thread mode only: console/sync/pacing.py) -----
# While change sets flow, the GUI heartbeat beats every GUI_HEARTBEAT_MS; a GUI that has not
# beaten for PACER_BUSY_AFTER_S is busy, and the engine waits for it between two batches, at
# most PACER_MAX_WAIT_S per batch, looking every PACER_SLICE_S. bench_gui_stall (issue 4:
# max gap under 50 ms). A sync child has no GUI to wait for: these do nothing there.
GUI_HEARTBEAT_MS = 10
PACER_BUSY_AFTER_S = 0.015
PACER_MAX_WAIT_S = 0.1
PACER_SLICE_S = 0.01
# The bridge keeps the heartbeat going this long after the last change set (console/ui/
# bridge.py). bench_gui_stall.
BEAT_FOR_MS = 1000
# Garbage collection during a catch-up (console/sync/gc_pacing.py): the young generation is
# collected after this many net allocations, not 700. Measured in the issue-4 sync work on
# a 100,000-message first sync (gc_pacing.py): ~1,200 collections, ten of them full ones of
# ~100 ms, became none full, and the sync a third faster; in thread mode each full one was a
# pause of the GUI thread too.
BULK_GC_THRESHOLDS = (50_000, 20, 10)
# The GUI thread's own collector looks this often whether a collection is due (console/ui/
# gui_collector.py). Not benchmarked: often enough that garbage never piles up between looks.
GUI_COLLECT_INTERVAL_MS = 100

# -- change sets to the views (console/ui/bridge.py) -----------------------------------------
# While changes keep coming, views get them at most once per this interval (the first after
# a quiet spell goes at once). Since the first version, not tuned: bench_gui_stall shows each
# delivery during a catch-up costing the list and the open conversation ~5 ms each (their
# reads of the newest messages run on the pager's worker), so a longer interval is not needed.
CHANGE_DEBOUNCE_MS = 40

# -- the cache's write lock (console/store/cache.py, process_lock.py) ------------------------
# How long a writer waits for its turn before SQLite's own wait decides (and may refuse).
# Not benchmarked: longer than any sync transaction, short of "the console hangs".
BUSY_TIMEOUT_MS = 5000
# How often a writer waiting for the other process's transaction looks again: the most a
# send typed during a sync waits past that transaction's end (bench_gui_stall --sends:
# without it, SQLite's own poll made a send wait up to 1.4 s behind a child's commits).
WRITE_LOCK_POLL_S = 0.0005

# -- the realtime stream and status (console/sync/engine.py, puller.py) ----------------------
# Not benchmarked (policies): re-announce the status this often so "last synced" stays
# fresh; record "known current" from the stream's heartbeats this often; with the stream up,
# look in anyway this often; how long a stopping stream reader may take; how long to poll
# before trying a stream the server said it does not have.
STATUS_REFRESH_S = 5.0
RECORD_SYNCED_EVERY_S = 60.0
LIVE_CHECK_S = 60.0
STOP_READER_S = 1.0
UNAVAILABLE_RETRY_S = 300.0
# A dropped stream is reopened after base * factor^(n-1) seconds, jittered, up to the cap.
# Not benchmarked: soon after a blip, without every console reconnecting in step.
STREAM_BACKOFF_BASE_S = 0.5
STREAM_BACKOFF_CAP_S = 30.0

# -- a conversation's messages (console/ui/message_model.py, message_pager.py) ---------------
# Newest rows read when a conversation opens; rows per page read on scroll; the most rows the
# model holds (a page beyond it drops as many at the far end). bench_scale, 13:57, load 0.4:
# first paint of the 100,000-message conversation 63 ms; a layout of 250 cached-size rows
# ~2.5 ms of CPU; scrolling 5,000 rows up and back, longest GUI-thread gap 13.8 ms.
MESSAGE_OPEN_ROWS = 50
MESSAGE_PAGE_ROWS = 100
MESSAGE_MAX_ROWS = 300
# Fewer loaded rows than this beyond the viewport's edge the user scrolls towards: read the
# next page. Dragging at half a viewport a frame passes ~5 rows a frame and a page takes a
# few frames to arrive (read, measured, inserted); well under MAX - PAGE rows, so a page at
# one end never leaves the other end this close (bench_scale).
MESSAGE_PREFETCH_ROWS = 60
# Measuring per event-loop turn: ~20 bubbles (a page in five or six turns), the insert and its
# layout on a turn of their own: no turn of a page load near the 16 ms frame (bench_scale).
MESSAGE_MEASURE_BUDGET_MS = 3.0
# A change set naming more new messages than this is a burst (a catch-up): the newest rows are
# re-read instead of every id it names, and a view following the newest message gets only the
# newest rows (each new row costs the view a layout). Not benchmarked on its own;
# bench_gui_stall measures the catch-up it shapes.
MESSAGE_BURST_ROWS = 30

# -- typing to results (console/ui/history_page.py, conversation_search.py, pickers) --------
# History: keystrokes delivered in one event-loop turn (a paste, key repeat) make one search;
# longer bursts are collapsed by the search in flight. A fixed 150 ms debounce made the p50
# from keystroke to rows painted 211 ms (bench_history_ui); none gives p50 22 / p95 31 ms.
HISTORY_SEARCH_DEBOUNCE_MS = 0
# New messages while History shows its top: its first page is read again at most this often.
# Not benchmarked: a busy sync must not re-run the search for every batch.
HISTORY_CHANGES_DEBOUNCE_MS = 600
# Ctrl+F in a conversation: keystrokes closer than this make one search (a word typed fast).
# Not benchmarked; bench_conversation_search measures the search itself.
FIND_TYPING_PAUSE_MS = 90
# The add-members picker: one search for the last keystroke of a fast burst, not one per key.
# Not benchmarked; bench_contact_search measures the search itself (50,000 contacts).
PICKER_SEARCH_DELAY_MS = 60
