"""The append-only event log: every change in the simulated world, as plain frozen records.

The log is data, not printing: reports turn it into tables, ``oc get events`` renders it, and time
travel replays it. Records are ordered by ``seq`` (which also orders same-time events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

__all__ = ["Event", "EventLog", "message_renderer"]

# kind -> how the facts recorded as an event's message become its text (``subject``, facts)
_RENDERERS: dict[str, Callable[[str, object], str]] = {}


def message_renderer(kind: str) -> Callable:
    """Register how to write the message of ``kind`` events that were recorded with facts (any
    value but a string) instead of text: ``fn(subject, facts) -> str``, called when the event is
    first read. A hot path records the facts it already holds and formats nothing."""

    def register(fn: Callable[[str, object], str]) -> Callable[[str, object], str]:
        _RENDERERS[kind] = fn
        return fn

    return register


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened.

    ``kind`` names what happened (``push``, ``untag``, ``outage-start``, ``import``,
    ``import-failed``, ``tag``, ``tag-deleted``, ``stream-created``, ...); ``subject`` is what it
    happened to (an upstream ``host/path:tag``, or ``namespace/stream:tag``).
    """

    seq: int
    time: int
    kind: str
    subject: str
    namespace: str = ""
    digest: str = ""
    previous: str = ""
    reason: str = ""
    message: str = ""
    warning: bool = False


class EventLog:
    """An append-only list of :class:`Event` records.

    :meth:`record` is the engine's cheap append: it keeps the fields in columns (plain lists, no
    object per record), and the :class:`Event` objects are made the first time the log is read
    (reads see exactly what :meth:`append` would have stored).
    """

    def __init__(self) -> None:
        self._events: list[Event] = []  # made
        # recorded after them, not made yet: one list per field (no tuple per event), and the
        # reason and warning of the few that have either
        self._time: list[int] = []
        self._kind: list[str] = []
        self._subject: list[str] = []
        self._namespace: list[str] = []
        self._digest: list[str] = []
        self._previous: list[str] = []
        self._message: list[object] = []  # a text, or facts its kind's renderer writes out
        self._extra: dict[int, tuple[str, bool]] = {}  # position in the lists -> (reason, warning), when set

    def append(self, time: int, kind: str, subject: str, **fields: object) -> Event:
        """Append an event; return it (as the log will read it back)."""
        event = Event(len(self) + 1, time, kind, subject, **fields)  # type: ignore[arg-type]
        self.record(time, kind, subject, event.namespace, event.digest, event.previous, event.reason, event.message,
                    event.warning)
        return event

    def record(self, time: int, kind: str, subject: str, namespace: str = "", digest: str = "",
               previous: str = "", reason: str = "", message: object = "", warning: bool = False) -> None:
        """Append an event like :meth:`append`, without making the :class:`Event` yet. The
        ``message`` may be facts that the renderer registered for ``kind`` writes out when the
        event is first read (see :func:`message_renderer`)."""
        self._time.append(time)
        self._kind.append(kind)
        self._subject.append(subject)
        self._namespace.append(namespace)
        self._digest.append(digest)
        self._previous.append(previous)
        self._message.append(message)
        if reason or warning:
            self._extra[len(self._time) - 1] = (reason, warning)

    def _make(self) -> list[Event]:
        events = self._events
        if self._time:
            seq = len(events)
            columns = (self._time, self._kind, self._subject, self._namespace, self._digest, self._previous,
                       self._message)
            extras = self._extra
            for position, (time, kind, subject, namespace, digest, previous, message) in enumerate(zip(*columns)):
                seq += 1
                if type(message) is not str:
                    message = _RENDERERS[kind](subject, message)
                extra = extras.get(position) if extras else None
                if extra is None:
                    events.append(Event(seq, time, kind, subject, namespace, digest, previous, message=message))
                else:
                    reason, warning = extra
                    events.append(Event(seq, time, kind, subject, namespace, digest, previous, reason, message,
                                        warning))
            for column in columns:
                column.clear()
            extras.clear()
        return events

    def __iter__(self) -> Iterator[Event]:
        events = self._make()
        index = 0
        while True:
            if index >= len(events):
                if not self._time:
                    return
                self._make()  # recorded while iterating
            yield events[index]
            index += 1

    def __len__(self) -> int:
        return len(self._events) + len(self._time)

    def __getitem__(self, index: int) -> Event:
        return self._make()[index]

    def until(self, time: int) -> list[Event]:
        return [e for e in self._make() if e.time <= time]

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self._make() if e.kind in kinds]

    def __repr__(self) -> str:
        return f"EventLog({len(self)} events)"
