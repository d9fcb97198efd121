"""Simulated time: integer seconds on a clock with a fixed start, durations, and the event queue.

Time is an ``int`` of seconds since the simulation's start (:data:`START`, a fixed UTC instant).
Nothing here reads the wall clock. Same-time entries run in (priority, scheduling order), so a run
is deterministic without any random tie-breaking. Standard library only.
"""

from __future__ import annotations

import gc
import re
import sys
import threading
from datetime import datetime, timedelta, timezone
from heapq import heappop, heappush
from typing import Any, Callable

from .errors import ClockError

__all__ = [
    "START",
    "Clock",
    "Entry",
    "format_rfc3339",
    "human_duration",
    "parse_duration",
    "parse_rfc3339",
]

#: The simulated instant at which every simulation starts.
START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=timezone.utc)

#: The longest duration the clock accepts (dates must stay representable).
MAX_SECONDS = 1000 * 365 * 86400
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d+)(w|d|h|m|s)")


def parse_duration(value: Any, *, what: str = "duration") -> int:
    """Return a non-negative duration in whole seconds.

    Accepts a ``timedelta``, an ``int`` (seconds), or a string such as ``"90s"``, ``"15m"``,
    ``"2h"``, ``"7d"``, ``"1w"`` or ``"1h30m"``.

    >>> parse_duration("1h30m"), parse_duration(timedelta(minutes=15)), parse_duration(0)
    (5400, 900, 0)
    """
    if type(value) is int and 0 <= value <= MAX_SECONDS:
        return value
    if isinstance(value, bool):
        raise ClockError(f"invalid {what} {value!r}: expected a duration like '15m' or '2h'")
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        pos, total = 0, 0
        for match in _DURATION.finditer(text):
            if match.start() != pos:
                break
            total += int(match.group(1)) * _UNITS[match.group(2)]
            pos = match.end()
        if not text or pos != len(text):
            if text.isdigit() and text.isascii():
                if int(text) > MAX_SECONDS:
                    raise ClockError(f"invalid {what} {value!r}: more than 1000 years of simulated time")
                return int(text)
            raise ClockError(
                f"invalid {what} {value!r}: expected a duration like '90s', '15m', '2h' or '7d'"
            )
        if total > MAX_SECONDS:
            raise ClockError(f"invalid {what} {value!r}: more than 1000 years of simulated time")
        return total
    else:
        raise ClockError(f"invalid {what} {value!r}: expected a duration like '15m' or '2h'")
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise ClockError(f"invalid {what} {value!r}: must be a finite number of seconds")
    if seconds < 0:
        raise ClockError(f"invalid {what} {value!r}: must not be negative")
    if seconds > MAX_SECONDS:
        raise ClockError(f"invalid {what} {value!r}: more than 1000 years of simulated time")
    if seconds != int(seconds):
        raise ClockError(f"invalid {what} {value!r}: simulated time has whole seconds only")
    return int(seconds)


def human_duration(seconds: int) -> str:
    """Describe a duration the way ``oc`` prints ages (docker/go-units ``HumanDuration``).

    >>> human_duration(0), human_duration(90), human_duration(22 * 3600), human_duration(20 * 86400)
    ('Less than a second', 'About a minute', '22 hours', '2 weeks')
    """
    if seconds < 1:
        return "Less than a second"
    if seconds == 1:
        return "1 second"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{seconds // 3600 // 24 // 365} years"


def format_rfc3339(moment: datetime) -> str:
    """Format an aware datetime the way the API server does: ``2025-03-03T09:00:00Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    """Parse an API timestamp (``2017-03-15T15:46:41Z``) into an aware UTC datetime."""
    if not isinstance(text, str):
        raise ClockError(f"invalid timestamp {text!r}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ClockError(f"invalid timestamp {text!r}: expected RFC 3339 like 2025-03-03T09:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


class Entry:
    """A scheduled action; ``cancel()`` makes the queue skip it when its time comes."""

    __slots__ = ("time", "priority", "seq", "action", "args", "cancelled")

    def __init__(self, time: int, priority: int, seq: int, action: Callable[..., Any], args: tuple) -> None:
        self.time = time
        self.priority = priority
        self.seq = seq
        self.action = action
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: Entry) -> bool:
        return (self.time, self.priority, self.seq) < (other.time, other.priority, other.seq)

    def __repr__(self) -> str:
        name = getattr(self.action, "__name__", "action")
        return f"Entry(time={self.time}, priority={self.priority}, seq={self.seq}, action={name})"


_collector_lock = threading.Lock()
_collector_runs = 0  # clock runs under way (any simulation, any thread)
_collector_was_enabled = False


def collector_paused() -> _Paused:
    """Keep Python's cyclic garbage collector from running while the queue runs (a context
    manager; pauses nest).

    A run makes many objects that live on (history, rollouts, pods, events) and no reference
    cycles to collect, and the collector's full passes over a large simulation cost more than the
    run itself. So it is switched off for the run (reference counting still frees everything
    that is not in a cycle), and at the end, when there are enough young objects for an
    automatic pass, they go straight to the oldest generation (:func:`_to_oldest`): they live
    on, and no young pass has to look at them. So that a cycle left as garbage is still freed,
    the pause that leaves the heap (in allocated blocks) four times as large as the last full
    pass left it, and larger than :data:`FULL_PASS_FLOOR`, makes a full pass as it ends: the
    call that grew the heap pays for the pass it calls for. (The heap is counted only once enough
    young objects were moved since the last count to reach that size, give or take a 32nd of
    what was left below it.) When the last full pass freed nothing, the next one waits for the
    heap to grow eight times (:data:`QUIET_GROWTH`): a program that leaves no cycles pays for
    fewer passes, and one that does is back to four times after its first pass that frees any.
    Garbage cycles stay bounded by about three times the heap that lives on (seven times, once,
    after a pass that found none), or the floor for a small one.
    """
    return _PAUSED


class _Paused:
    """What :func:`collector_paused` returns: one object for every pause (they nest by count)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _collector_runs, _collector_was_enabled
        with _collector_lock:
            if _collector_runs == 0:
                _collector_was_enabled = gc.isenabled()
                if _collector_was_enabled:
                    gc.disable()
            _collector_runs += 1

    def __exit__(self, *exc: object) -> None:
        global _collector_runs
        with _collector_lock:
            _collector_runs -= 1
            if _collector_runs == 0 and _collector_was_enabled:
                # (counted before switching it on: the count's own allocation could otherwise start
                # an automatic pass, of the oldest generation too, instead of this one). From half
                # the count that starts a young pass: a loop of small runs (pushes, one at a time)
                # moves its objects here before the collector gets to pass over them.
                if gc.get_count()[0] > gc.get_threshold()[0] // 2:
                    _to_oldest()
                gc.enable()


_PAUSED = _Paused()


def _to_oldest() -> None:
    """Move the young objects to the collector's oldest generation without a pass over them.

    Freezing moves every tracked object to the permanent generation, and unfreezing moves them
    all to the oldest one: two list splices, whatever their number. The objects a run made live
    on, so a young pass over them would find nothing to free. Nor are they counted as newly old
    (that count is what starts a full pass): :func:`collector_paused` starts full passes itself.
    Objects someone else froze stay frozen: then the young generations get a pass as before.
    """
    if gc.get_freeze_count():
        gc.collect(1)
        return
    moved = gc.get_count()[0]  # (the young objects: tracked, made and still alive since the last move)
    gc.freeze()
    gc.unfreeze()
    _look[0] -= moved
    if _look[0] > 0:
        return  # (too few moved since the heap was last counted to have grown past the limit)
    # the heap is counted pool by pool (a cost that grows with it), so only once enough objects
    # were moved since the last count for it to be past the limit: a few blocks come with each
    # tracked object, so again after a 32nd of the blocks still below the limit
    blocks, limit = sys.getallocatedblocks(), max(_growth[0] * _heap[0], FULL_PASS_FLOOR)
    if blocks > limit:
        found = gc.collect()
        _full_pass_ended("stop", {"generation": 2, "collected": found})  # (without counting on the callback)
    else:
        _look[0] = (limit - blocks) // 32


#: The heap (in allocated blocks, some tens of MB) below which a pause makes no full pass.
FULL_PASS_FLOOR = 1 << 20
#: How many times larger than the last full pass left it the heap grows before a pause makes
#: the next one: :data:`GROWTH` after a pass that freed something, :data:`QUIET_GROWTH` after
#: one that freed nothing (see :func:`collector_paused`).
GROWTH, QUIET_GROWTH = 4, 8
# allocated blocks when the last full pass ended
_heap: list = [sys.getallocatedblocks()]
# the growth that calls for the next full pass
_growth: list = [GROWTH]
# the full passes taken into account (each once, by whichever call sees it end first)
_passes: list = [-1]


# young objects still to move before the heap is counted again
_look: list = [0]


def _full_pass_ended(phase: str, info: dict) -> None:
    if phase != "stop" or info.get("generation") != 2:
        return
    passes = gc.get_stats()[2]["collections"]
    if passes == _passes[0]:
        return
    _passes[0] = passes
    _heap[0] = sys.getallocatedblocks()
    _look[0] = 0
    _growth[0] = GROWTH if info.get("collected") else QUIET_GROWTH


gc.callbacks.append(_full_pass_ended)


_NEVER = float("inf")  # (the earliest time of no entry)


class _Calls(list):
    """Posted actions sharing one queue entry: ``(seq, action, args)`` in order (the queue holds
    the list itself where it holds an :class:`Entry` for a scheduled action)."""

    __slots__ = ("priority",)
    cancelled = False  # (posted actions are never cancelled)


class Clock:
    """The simulated clock and its queue of future actions.

    ``now`` only moves inside :meth:`run`. Entries at the same time run by ``priority`` (lower
    first), then in the order they were scheduled.
    """

    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self.now = 0
        # (time, priority, seq, Entry), (time, priority, seq, _Calls) of posted actions, or
        # (time, priority, seq, handler name, *args) of plain ones
        self._queue: list[tuple] = []
        self._seq = 0
        self._open: dict[tuple[int, int], _Calls] = {}  # posted actions still open for joining
        # plain entries scheduled outside a run: waiting unsorted (and the earliest time among
        # them), and sorted, the next one last (see schedule_plain)
        self._later: list[tuple] = []
        self._later_first = _NEVER
        self._plain: list[tuple] = []
        self._running = 0  # runs under way (nested ones counted)
        self.processed = 0
        #: name -> action, for :meth:`schedule_plain`
        self.handlers: dict[str, Callable[..., Any]] = {}

    # conversions -------------------------------------------------------------------------------
    def to_datetime(self, t: int) -> datetime:
        return self.start + timedelta(seconds=t)

    def from_datetime(self, moment: datetime) -> int:
        if moment.tzinfo is None:
            raise ClockError(f"naive datetime {moment!r}: pass a timezone-aware datetime")
        delta = (moment - self.start).total_seconds()
        return int(delta // 1)

    def resolve(self, value: Any, *, what: str = "time") -> int:
        """An absolute simulated time from a datetime or a duration counted from the start."""
        if isinstance(value, datetime):
            return self.from_datetime(value)
        return parse_duration(value, what=what)

    def timestamp(self, t: int) -> str:
        return format_rfc3339(self.to_datetime(t))

    # the queue -----------------------------------------------------------------------------------
    def schedule(self, time: int, action: Callable[..., Any], *args: Any, priority: int = 50) -> Entry:
        if time < self.now:
            raise ClockError(f"cannot schedule at {time}s: the clock is already at {self.now}s")
        self._seq = seq = self._seq + 1
        entry = Entry(time, priority, seq, action, args)
        # the heap holds (time, priority, seq, entry): the order is compared in C, seq is unique
        heappush(self._queue, (time, priority, seq, entry))
        if self._open:  # later posts at this (time, priority) come after this entry: no joining
            self._open.pop((time, priority), None)
        return entry

    def schedule_plain(self, time: int, handler: str, args: tuple, priority: int = 50) -> None:
        """Schedule ``self.handlers[handler](*args)``, never cancelled, as plain data: with ``args``
        strings, numbers and booleans, the queue keeps ``(time, priority, seq, handler, *args)``,
        a tuple the cyclic garbage collector stops tracking at its first pass.
        Hundreds of thousands of future actions (a simulation's scheduled pushes) then cost the
        collector nothing while they wait. The same order as :meth:`schedule`.

        One scheduled while no run is under way waits in a list of its own, unsorted, until
        something asks for the queue (:meth:`_sort_plain`): many of them are then sorted at once,
        and taken in order from the end of a sorted list rather than one at a time off the heap.
        """
        if time < self.now:
            raise ClockError(f"cannot schedule at {time}s: the clock is already at {self.now}s")
        self._seq = seq = self._seq + 1
        if self._running or time == self.now:  # (one due now runs at the next run: no wait)
            heappush(self._queue, (time, priority, seq, handler, *args))
        else:
            self._later.append((time, priority, seq, handler, *args))
            if time < self._later_first:
                self._later_first = time
        if self._open:  # later posts at this (time, priority) come after this entry: no joining
            self._open.pop((time, priority), None)

    def _sort_plain(self) -> None:
        """Move the plain entries scheduled outside a run into the queue: a few onto the heap, or
        many into the sorted list of plain entries (:attr:`_plain`, last first)."""
        later, plain = self._later, self._plain
        if not plain and not self._running:  # (no run holds the list: the waiting one becomes it)
            later.sort(reverse=True)
            self._plain, self._later = later, []
        elif len(later) * 8 < len(plain):
            queue = self._queue
            for item in later:
                heappush(queue, item)
            later.clear()
        else:
            plain.extend(later)
            plain.sort(reverse=True)
            later.clear()
        self._later_first = _NEVER

    def post(self, time: int, action: Callable[..., Any], *args: Any, priority: int = 50) -> None:
        """Schedule an action that is never cancelled: the same order as :meth:`schedule`, at less
        cost. Actions posted one after the other at the same (time, priority), with nothing else
        scheduled at that (time, priority) in between, share one queue entry; each keeps its own
        sequence number, and whatever gets scheduled ahead of the rest while they run still runs
        first (:meth:`_run_calls`)."""
        self.post_call(time, priority, action, args)

    def post_call(self, time: int, priority: int, action: Callable[..., Any], args: tuple) -> None:
        """:meth:`post` of ``action(*args)``, the arguments given as a tuple."""
        if time < self.now:
            raise ClockError(f"cannot schedule at {time}s: the clock is already at {self.now}s")
        self._seq = seq = self._seq + 1
        key = (time, priority)
        calls = self._open.get(key)
        if calls is None:
            calls = self._open[key] = _Calls()
            calls.priority = priority
            heappush(self._queue, (time, priority, seq, calls))
        calls.append((seq, action, args))

    def _run_calls(self, calls: _Calls) -> None:
        time, priority = self.now, calls.priority
        if self._open.get((time, priority)) is calls:
            del self._open[(time, priority)]  # what is posted from now on runs after these
        _, action, args = calls[0]
        action(*args)  # (counted as the queue entry)
        count = len(calls)
        if count == 1:
            return
        queue = self._queue
        for index in range(1, count):
            seq, action, args = calls[index]
            # (what runs in a run is on the heap: plain entries waiting in _plain come after these)
            if queue and queue[0][0] == time and queue[0] < (time, priority, seq):
                # something scheduled meanwhile comes before the rest: requeue the rest in place
                rest = _Calls(calls[index:])
                rest.priority = priority
                heappush(queue, (time, priority, seq, rest))
                return
            self.processed += 1
            action(*args)

    def _next(self) -> tuple | None:
        """The next entry of the queue (cancelled ones included), taken off it, or None."""
        if self._later:
            self._sort_plain()
        queue, plain = self._queue, self._plain
        if plain and (not queue or plain[-1] < queue[0]):
            return plain.pop()
        return heappop(queue) if queue else None

    def peek(self) -> int | None:
        """The time of the next live entry, or ``None``."""
        if self._later:
            self._sort_plain()
        queue = self._queue
        while queue and type(queue[0][3]) is not str and queue[0][3].cancelled:
            heappop(queue)
        plain = self._plain
        if plain and (not queue or plain[-1] < queue[0]):
            return plain[-1][0]
        return queue[0][0] if queue else None

    def step(self) -> None:
        """Run the next action (one only, also of posted actions that share a queue entry)."""
        item = self._next()
        if item is None:
            raise IndexError("step from an empty queue")
        time, priority, entry = item[0], item[1], item[3]
        kind = type(entry)
        if kind is str:  # a handler's name: see schedule_plain
            self.now = time
            self.processed += 1
            self.handlers[entry](*item[4:])
            return
        if entry.cancelled:
            return
        self.now = time
        self.processed += 1
        if kind is not _Calls:
            entry.action(*entry.args)
            return
        calls = entry
        if self._open.get((time, priority)) is calls:
            del self._open[(time, priority)]
        (_, action, args), rest = calls[0], _Calls(calls[1:])
        if rest:
            rest.priority = priority
            seq = rest[0][0]
            heappush(self._queue, (time, priority, seq, rest))
        action(*args)

    def run(self, until: int) -> None:
        """Run every entry due at or before ``until``, then set ``now = until``.

        The cyclic garbage collector waits while entries run (see :func:`collector_paused`).
        """
        if until < self.now:
            raise ClockError(f"cannot run until {until}s: the clock is already at {self.now}s")
        queue, plain = self._queue, self._plain
        if (queue and queue[0][0] <= until) or (plain and plain[-1][0] <= until) or self._later_first <= until:
            if _collector_runs:  # paused already (by an enclosing run or apply): no need to ask again
                self._run_due(until)
            else:
                with collector_paused():
                    self._run_due(until)
        self.now = until

    def _run_due(self, until: int) -> None:
        if self._later:
            self._sort_plain()
        queue, plain = self._queue, self._plain
        handlers = self.handlers
        self._running += 1  # (plain entries scheduled from now on go onto the heap)
        try:
            while True:
                if plain and (not queue or plain[-1] < queue[0]):
                    item = plain[-1]
                    if item[0] > until:
                        break
                    plain.pop()
                    self.now = item[0]  # (plain entries only: a handler's name)
                    self.processed += 1
                    handlers[item[3]](*item[4:])
                    continue
                if not queue or queue[0][0] > until:
                    break
                item = heappop(queue)
                time, entry = item[0], item[3]
                kind = type(entry)
                if kind is str:  # a handler's name: see schedule_plain
                    self.now = time
                    self.processed += 1
                    handlers[entry](*item[4:])
                    continue
                if entry.cancelled:
                    continue
                self.now = time
                self.processed += 1
                if kind is _Calls:
                    if len(entry) == 1:  # (most often: what _run_calls does with one call)
                        opened, key = self._open, (time, entry.priority)
                        if opened.get(key) is entry:
                            del opened[key]
                        _, action, args = entry[0]
                        action(*args)
                    else:
                        self._run_calls(entry)
                else:
                    entry.action(*entry.args)
        finally:
            self._running -= 1

    def pending(self) -> int:
        count = len(self._plain) + len(self._later)
        for item in self._queue:
            entry = item[3]
            kind = type(entry)
            if kind is str:
                count += 1
            elif not entry.cancelled:
                count += len(entry) if kind is _Calls else 1
        return count
