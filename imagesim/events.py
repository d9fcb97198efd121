"""The append-only event log: every change in the simulated world, as plain frozen records.

The log is data, not printing: reports turn it into tables, ``oc get events`` renders it, and time
travel replays it. Records are ordered by ``seq`` (which also orders same-time events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

__all__ = ["Event", "EventLog"]


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

    :meth:`record` is the engine's cheap append: it keeps the fields as a plain tuple, and the
    :class:`Event` is made the first time the log is read (reads see exactly what :meth:`append`
    would have stored).
    """

    def __init__(self) -> None:
        # Event, or (recorded, not read yet) the tuple of its fields after seq, or of
        # (time, kind, subject, namespace, message) when the others have their defaults
        self._events: list = []
        self._made = 0  # every item before this index is an Event

    def append(self, time: int, kind: str, subject: str, **fields: object) -> Event:
        event = Event(len(self._events) + 1, time, kind, subject, **fields)  # type: ignore[arg-type]
        self._events.append(event)
        return event

    def record(self, time: int, kind: str, subject: str, namespace: str = "", digest: str = "",
               previous: str = "", reason: str = "", message: str = "", warning: bool = False) -> None:
        """Append an event like :meth:`append`, without making the :class:`Event` yet."""
        if digest or previous or reason or warning:
            self._events.append((time, kind, subject, namespace, digest, previous, reason, message, warning))
        else:  # the usual shape, kept shorter
            self._events.append((time, kind, subject, namespace, message))

    def _make(self) -> list[Event]:
        events = self._events
        made = self._made
        if made < len(events):
            for index in range(made, len(events)):
                item = events[index]
                if type(item) is tuple:
                    if len(item) == 5:
                        time, kind, subject, namespace, message = item
                        events[index] = Event(index + 1, time, kind, subject, namespace, message=message)
                    else:
                        events[index] = Event(index + 1, *item)
            self._made = len(events)
        return events

    def __iter__(self) -> Iterator[Event]:
        events = self._make()
        index = 0
        while index < len(events):
            if index >= self._made:  # recorded while iterating
                self._make()
            yield events[index]
            index += 1

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, index: int) -> Event:
        return self._make()[index]

    def until(self, time: int) -> list[Event]:
        return [e for e in self._make() if e.time <= time]

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self._make() if e.kind in kinds]

    def __repr__(self) -> str:
        return f"EventLog({len(self._events)} events)"
