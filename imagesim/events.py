"""The append-only event log: every change in the simulated world, as plain frozen records.

The log is data, not printing: reports turn it into tables, ``oc get events`` renders it, and time
travel replays it. Records are ordered by ``seq`` (which also orders same-time events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

__all__ = ["Event", "EventLog", "group_renderer"]

# kind -> how an item of a run of events recorded with :meth:`EventLog.group` becomes its
# ``(subject, message)``
_GROUP_RENDERERS: dict[str, Callable[[object], tuple[str, str]]] = {}


def group_renderer(kind: str) -> Callable:
    """Register how an item recorded with :meth:`EventLog.group` for ``kind`` events becomes the
    event's subject and message: ``fn(item) -> (subject, message)``, called when it is first read
    (for an item that stands for several events, a list of them in order). An item may also
    stand for events of other kinds: it is then rendered as ``(kind, subject, digest, reason,
    message, warning)`` tuples, and ``kind`` names only the run they were recorded in."""

    def register(fn: Callable[[object], tuple[str, str]]) -> Callable[[object], tuple[str, str]]:
        _GROUP_RENDERERS[kind] = fn
        return fn

    return register


#: Rows an event log keeps in its columns before it seals them (see :class:`EventLog`).
CHUNK = 4096


class _Group(list):
    """The items of consecutive events of one kind, time and namespace that share one row of the
    log's columns (see :meth:`EventLog.group`)."""

    __slots__ = ()


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
    (reads see exactly what :meth:`append` would have stored). Every :data:`CHUNK` rows the
    columns are sealed into tuples: of strings and numbers only, all but the messages', so the
    cyclic garbage collector stops looking at them (a full pass costs nothing per event).
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
        self._message: list[object] = []  # a text, or the item(s) of a run of events (``group``)
        self._extra: dict[int, tuple[str, bool]] = {}  # row (sealed ones first) -> (reason, warning), when set
        self._grouped = 0  # events in the rows of groups beyond one a row
        self._sealed: list[tuple] = []  # rows recorded before the columns: a tuple of each column's, each
        self._sealed_rows = 0

    def append(self, time: int, kind: str, subject: str, **fields: object) -> Event:
        """Append an event; return it (as the log will read it back)."""
        event = Event(len(self) + 1, time, kind, subject, **fields)  # type: ignore[arg-type]
        self.record(time, kind, subject, event.namespace, event.digest, event.previous, event.reason, event.message,
                    event.warning)
        return event

    def record(self, time: int, kind: str, subject: str, namespace: str = "", digest: str = "",
               previous: str = "", reason: str = "", message: str = "", warning: bool = False) -> None:
        """Append an event like :meth:`append`, without making the :class:`Event` yet."""
        self._time.append(time)
        self._kind.append(kind)
        self._subject.append(subject)
        self._namespace.append(namespace)
        self._digest.append(digest)
        self._previous.append(previous)
        self._message.append(message)
        if reason or warning:
            self._extra[self._sealed_rows + len(self._time) - 1] = (reason, warning)
        if len(self._time) >= CHUNK:
            self._seal()

    def _seal(self) -> None:
        """Keep the rows of the columns as tuples (the messages' as the list it is), and start
        new columns: a group goes on in a new row."""
        columns = (self._time, self._kind, self._subject, self._namespace, self._digest, self._previous)
        self._sealed.append(tuple(tuple(column) for column in columns) + (self._message,))
        self._sealed_rows += len(self._time)
        for column in columns:
            column.clear()
        self._message = []

    def group(self, time: int, kind: str, namespace: str, item: object, count: int = 1) -> None:
        """Record ``count`` events like :meth:`record`, given as an ``item`` the renderer
        registered for ``kind`` turns into their subjects and messages (see
        :func:`group_renderer`). Consecutive ones of the same kind, time and namespace share a
        row: a run of rollouts costs a list slot per item (a row of one holds the item itself)."""
        messages = self._message
        if messages:
            last = messages[-1]
            if type(last) is not str and self._kind[-1] is kind and self._time[-1] == time \
                    and self._namespace[-1] == namespace:
                if type(last) is _Group:
                    last.append(item)
                else:  # (a row of one holds the item itself)
                    messages[-1] = _Group((last, item))
                self._grouped += count
                return
        self._grouped += count - 1
        self.record(time, kind, "", namespace, "", "", "", item)  # type: ignore[arg-type]

    def _rows(self):
        """The rows not made yet, sealed ones first: (time, kind, subject, namespace, digest,
        previous, message)."""
        for chunk in self._sealed:
            yield from zip(*chunk)
        yield from zip(self._time, self._kind, self._subject, self._namespace, self._digest, self._previous,
                       self._message)

    def _make(self) -> list[Event]:
        events = self._events
        if self._time or self._sealed:
            seq = len(events)
            columns = (self._time, self._kind, self._subject, self._namespace, self._digest, self._previous,
                       self._message)
            extras = self._extra
            for position, (time, kind, subject, namespace, digest, previous, message) in enumerate(self._rows()):
                extra = extras.get(position) if extras else None
                if type(message) is not str:  # the item of a group, or a group of them
                    render = _GROUP_RENDERERS[kind]
                    for item in (message if type(message) is _Group else (message,)):
                        rendered = render(item)
                        for fields in (rendered if type(rendered) is list else (rendered,)):
                            seq += 1
                            if len(fields) == 2:
                                events.append(Event(seq, time, kind, fields[0], namespace, message=fields[1]))
                            else:  # (kind, subject, digest, reason, message, warning)
                                made, subject, digest, reason, text, warning = fields
                                events.append(Event(seq, time, made, subject, namespace, digest, "", reason, text,
                                                    warning))
                    continue
                seq += 1
                if extra is None:
                    events.append(Event(seq, time, kind, subject, namespace, digest, previous, message=message))
                else:
                    reason, warning = extra
                    events.append(Event(seq, time, kind, subject, namespace, digest, previous, reason, message,
                                        warning))
            for column in columns:
                column.clear()
            self._sealed.clear()
            self._sealed_rows = 0
            extras.clear()
            self._grouped = 0
        return events

    def __iter__(self) -> Iterator[Event]:
        events = self._make()
        index = 0
        while True:
            if index >= len(events):
                if not self._time and not self._sealed:
                    return
                self._make()  # recorded while iterating
            yield events[index]
            index += 1

    def __len__(self) -> int:
        return len(self._events) + self._sealed_rows + len(self._time) + self._grouped

    def __getitem__(self, index: int) -> Event:
        return self._make()[index]

    def until(self, time: int) -> list[Event]:
        return [e for e in self._make() if e.time <= time]

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self._make() if e.kind in kinds]

    def __repr__(self) -> str:
        return f"EventLog({len(self)} events)"
