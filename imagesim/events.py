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
    """An append-only list of :class:`Event` records."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def append(self, time: int, kind: str, subject: str, **fields: object) -> Event:
        event = Event(len(self._events) + 1, time, kind, subject, **fields)  # type: ignore[arg-type]
        self._events.append(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, index: int) -> Event:
        return self._events[index]

    def until(self, time: int) -> list[Event]:
        return [e for e in self._events if e.time <= time]

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self._events if e.kind in kinds]

    def __repr__(self) -> str:
        return f"EventLog({len(self._events)} events)"
