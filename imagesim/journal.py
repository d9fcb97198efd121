"""The journal: every input a simulation received, in order, so its history can be replayed.

The simulation is deterministic, so its inputs (the calls of its public API: ``push``, ``oc``,
``advance``, ...) determine everything: replaying them on a fresh simulation with the same seed
rebuilds the same state, the same event log and the same future. The journal is what
``sim.save`` writes and ``Simulation.load`` replays, and what ``sim.at(time)`` replays up to
an earlier moment. Arguments are stored as plain JSON values (times as seconds since the start).
"""

from __future__ import annotations

import functools
import json
import zlib
from itertools import islice
from dataclasses import dataclass
from datetime import datetime, timedelta
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable, Iterable, overload

from .clock import collector_paused
from .errors import ImageSimError, Invalid

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = ["Entry", "Journal", "ReadAhead", "ReadOnly", "encode", "journaled", "plain"]


class ReadOnly(ImageSimError, RuntimeError):
    """A change asked of a view of the past (``sim.at(...)``)."""


_COMPRESS_AT = 4096  # arguments whose JSON text is longer are kept zlib-compressed
_string = json.encoder.encode_basestring_ascii  # how the encoder writes a string (ensure_ascii)


def _packed(text: str) -> str | bytes:
    return zlib.compress(text.encode(), 1) if len(text) > _COMPRESS_AT else text


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One input: when it was given, which operation, with which (JSON-ready) arguments.

    ``data`` holds the arguments as a dict, as their compact JSON text (zlib-compressed when
    long: a list of manifests compresses many times over), or, when every argument is a string,
    an integer, a boolean or None, as the tuple ``(names, *values)``; :attr:`args` gives the dict
    (a fresh one each time unless ``data`` is one).
    """

    time: int
    op: str
    data: dict | str | bytes | tuple

    @classmethod
    def encoded(cls, time: int, op: str, text: str) -> Entry:
        """An entry whose arguments are ``text``, the compact JSON of a dict."""
        return cls(time, op, _packed(text))

    @property
    def args(self) -> dict:
        data = self.data
        if type(data) is tuple:
            return dict(zip(data[0], data[1:]))
        if isinstance(data, str):
            return json.loads(data)
        if isinstance(data, bytes):
            return json.loads(zlib.decompress(data))
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return (self.time, self.op, self.args) == (other.time, other.op, other.args)

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> list:
        return [self.time, self.op, self.args]

    @classmethod
    def from_json(cls, value: Any) -> Entry:
        if (not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], int)
                or isinstance(value[0], bool) or not isinstance(value[1], str) or not isinstance(value[2], dict)):
            raise ValueError(f"not a journal entry: {str(value)[:80]}")
        return cls(value[0], value[1], value[2])


class Journal:
    """``sim.journal``: the entries in order, each kept as one tuple of plain data (which the
    garbage collector soon stops tracking), read as an :class:`Entry`: ``(time, op, data)``, or
    ``(time, op, names, *values)`` for the arguments :func:`_plain_values` keeps as a tuple.

    Consecutive entries of that second form with the same time, operation and argument names
    (a loop of pushes) share one row while they are recorded, a :class:`_Run` of their values;
    the first read makes them rows of their own again."""

    __slots__ = ("_rows", "_runs")

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._rows: list[tuple | _Run] = [_row(e.time, e.op, e.data) for e in entries]
        self._runs = 0  # entries in runs beyond one a row

    def append(self, entry: Entry) -> None:
        self._rows.append(_row(entry.time, entry.op, entry.data))

    def record(self, time: int, op: str, text: str | bytes | tuple) -> None:
        """Append the entry ``Entry.encoded(time, op, text)`` (``text`` may come compressed already,
        or be the plain ``(names, *values)`` of :func:`_plain_values`)."""
        rows = self._rows
        if type(text) is not tuple:
            rows.append((time, op, text if type(text) is not str else _packed(text)))
            return
        names = text[0]
        last = rows[-1] if rows else None
        if last is not None and names and last[2] is names and last[0] == time and last[1] == op:
            if type(last) is not _Run:
                last = rows[-1] = _Run(last)
            last.extend(text[1:])
            self._runs += 1
            return
        rows.append((time, op, *text))

    def _flat(self) -> list[tuple]:
        """The rows, one an entry (runs made rows again)."""
        rows = self._rows
        if self._runs:
            flat: list[tuple | _Run] = []
            for row in rows:
                if type(row) is not _Run:
                    flat.append(row)
                    continue
                head, width = tuple(row[:3]), len(row[2])
                for start in range(3, len(row), width):
                    flat.append(head + tuple(row[start:start + width]))
            rows[:] = flat
            self._runs = 0
        return rows  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._rows) + self._runs

    def __iter__(self) -> Iterator[Entry]:
        for row in list(self._flat()):  # (as it is now: entries recorded meanwhile are not read)
            yield _entry(row)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, slice):
            return [_entry(row) for row in self._flat()[index]]
        return _entry(self._flat()[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Journal, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Journal({list(self)!r})"


class _Run(list):
    """Entries recorded one after the other with the same time, operation and argument names:
    ``[time, op, names, *values of the first, *values of the second, ...]``."""

    __slots__ = ()


def _row(time: int, op: str, data: dict | str | bytes | tuple) -> tuple:
    return (time, op, *data) if type(data) is tuple else (time, op, data)


def _entry(row: tuple) -> Entry:
    data = row[2]
    return Entry(row[0], row[1], row[2:] if type(data) is tuple else data)


def _encoder(sim: Simulation) -> json.JSONEncoder:
    def special(item: Any) -> Any:
        if isinstance(item, datetime):
            return {"$time": sim.clock.resolve(item)}
        if isinstance(item, timedelta):
            return {"$seconds": int(item.total_seconds())}
        raise Invalid(f"error: json: unsupported type: {type(item).__name__}", reason="BadRequest")

    # a cycle ends in a RecursionError, like nesting too deep: no need to track every container
    return json.JSONEncoder(separators=(",", ":"), default=special, check_circular=False)


def _flat_text(value: dict) -> str | None:
    """The compact JSON text of a dict of strings, integers, booleans and None (most calls' arguments),
    exactly as the encoder writes it; None for anything else."""
    parts = []
    for key, item in value.items():
        kind = type(item)
        if kind is str:
            text = _string(item)
        elif kind is int:
            text = int.__repr__(item)
        elif kind is bool:
            text = "true" if item else "false"
        elif item is None:
            text = "null"
        else:
            return None
        if type(key) is not str:
            return None
        parts.append(f"{_string(key)}:{text}")
    return "{" + ",".join(parts) + "}"


_CHUNK = 256  # items of a long list encoded together (and then read ahead), a few hundred KB


class _Refused(Exception):
    """A chunk the encoder refused (:func:`_pack_chunks`)."""

    def __init__(self, chunk: list) -> None:
        super().__init__()
        self.chunk = chunk


def _pack_chunks(sim: Simulation, key: str, chunks: Iterable[list], read_ahead: Callable[[list], Any]
                 ) -> str | bytes:
    """The compact JSON text of ``{key: [every item of chunks]}``, packed (see :func:`_packed`),
    encoded and compressed a chunk at a time; ``read_ahead`` is given each chunk right after it is
    encoded (while its items are still in the processor's caches). Raises :class:`_Refused` with
    the first chunk the encoder refuses."""
    encoder = _encoder(sim)
    head = "{" + _string(key) + ":["
    start, end = len(head), -len("]}")
    compressor = zlib.compressobj(1)
    packed = [compressor.compress(head.encode())]
    size = len(head) + len("]}")
    first = True
    for chunk in chunks:
        try:  # nested as deeply as in the whole value, one call deeper: refused at least as soon
            text = encoder.encode({key: chunk})[start:end]
        except Exception:  # noqa: BLE001 - the caller says how it is refused
            raise _Refused(chunk) from None
        text = text if first else f",{text}"
        first = False
        size += len(text)
        packed.append(compressor.compress(text.encode()))
        read_ahead(chunk)
        del chunk  # (before the next one is made)
    packed.append(compressor.compress(b"]}"))
    packed.append(compressor.flush())
    data = b"".join(packed)
    return data if size > _COMPRESS_AT else zlib.decompress(data).decode()


_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple of argument names per signature
_PLAIN = (str, int, bool, type(None))  # (exact types: a subclass could encode differently)


def _plain_values(value: dict) -> tuple | None:
    """``(names, *values)`` of a call's arguments when each is a string, an integer, a boolean or
    None (what JSON gives back unchanged), else None. A pushed image or an ``oc`` command line is
    kept this way: a tuple of plain values, which the garbage collector soon stops tracking, with
    its names shared by every call like it."""
    for item in value.values():
        if type(item) not in _PLAIN or (type(item) is str and len(item) > _COMPRESS_AT):
            return None  # (a long text, like a manifest on standard input, is kept compressed)
    return (_shared_names(tuple(value)), *value.values())


def _shared_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The one tuple of these argument names that every call like it shares."""
    shared = _NAMES.get(names)
    if shared is None:
        if len(_NAMES) > 1024:  # (keyword arguments in new orders: keep the cache small)
            _NAMES.clear()
        shared = _NAMES[names] = names
    return shared


def _plain_call(names: tuple[str, ...], args: tuple, kwargs: dict) -> tuple | None:
    """``_plain_values`` of the arguments ``dict(zip(names, args))`` updated with ``kwargs``,
    without making the dict: None when a value is not plain, or when the arguments do not simply
    name themselves (more positional ones than names, or a keyword that repeats one of them)."""
    count = len(args)
    if count > len(names):
        return None
    for item in args:
        if type(item) not in _PLAIN or (type(item) is str and len(item) > _COMPRESS_AT):
            return None
    if not kwargs:
        return (_shared_names(names[:count]), *args)
    given = names[:count]
    for key, item in kwargs.items():
        if key in given or type(item) not in _PLAIN or (type(item) is str and len(item) > _COMPRESS_AT):
            return None
    return (_shared_names(given + tuple(kwargs)), *args, *kwargs.values())


def encode(value: Any, sim: Simulation) -> str:
    """The compact JSON text of ``value``: datetimes become seconds since the start.

    A value that JSON cannot hold (a set, an object, a structure that contains itself or is
    nested too deeply) is refused like the API server refuses it, as ``Invalid`` (a
    ``ValueError``).
    """
    if type(value) is dict:
        text = _flat_text(value)
        if text is not None:
            return text
    try:  # the C encoder
        return _encoder(sim).encode(value)
    except ImageSimError:  # an unsupported type, a time that cannot be placed
        raise
    except (RecursionError, ValueError):
        raise Invalid("error: json: unsupported value: encountered a cycle or nesting too deep",
                      reason="BadRequest") from None
    except TypeError:  # a key that is not a string or a number
        raise Invalid("error: json: unsupported type: a map key that is not a string", reason="BadRequest") from None


def plain(value: Any, sim: Simulation) -> Any:
    """A JSON value for an argument (a copy): datetimes become seconds since the start.

    An argument that JSON cannot hold is refused as ``Invalid`` (see :func:`encode`), before the
    call changes anything.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.loads(encode(value, sim))


def restore_value(value: Any, sim: Simulation) -> Any:
    """An argument as it was given, from its JSON value (raises ValueError for a damaged one)."""
    if isinstance(value, dict):
        if set(value) in ({"$time"}, {"$seconds"}):
            (key, number), = value.items()
            if not isinstance(number, int) or isinstance(number, bool):
                raise ValueError(f"not a number of seconds: {key}={str(number)[:40]}")
            try:
                return sim.clock.to_datetime(number) if key == "$time" else timedelta(seconds=number)
            except OverflowError:
                raise ValueError(f"a time out of range: {key}={str(number)[:40]}") from None
        return {k: restore_value(v, sim) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_value(v, sim) for v in value]
    return value


def journaled(op: str, read_ahead: Callable[[Simulation, list], list] | None = None) -> Callable:
    """Record a public method's call in ``sim.journal`` (outermost calls only).

    ``read_ahead(sim, items)`` (for a call refused when its arguments are not JSON) reads a chunk
    of the items of a long list argument, or of one given as an iterator, as the journal encodes
    them, and returns what it read of each (without changing anything, None for an item it does
    not read): the method gets a :class:`ReadAhead` in the argument's place. The cyclic garbage
    collector then waits for the whole call (see :func:`collector_paused`).
    """

    def wrap(method: Callable) -> Callable:
        names = method.__code__.co_varnames[1:method.__code__.co_argcount]

        @functools.wraps(method)
        def inner(self: Simulation, *args: Any, **kwargs: Any) -> Any:
            if self._view_at is not None:
                if op in ("oc", "oc_stdin", "docker"):
                    return _view_command(self, op, method, args, kwargs)
                raise ReadOnly(f"this is a read-only view of the simulation at "
                               f"{self.clock.timestamp(self._view_at)}: {op} changes nothing here")
            if self._journal_depth:
                return method(self, *args, **kwargs)
            if read_ahead is not None:
                recorded = dict(zip(names, args))
                recorded.update(kwargs)
                with collector_paused():
                    return _call_reading_ahead(self, op, method, args, kwargs, recorded, read_ahead)
            record: str | tuple | None = _plain_call(names, args, kwargs)
            try:
                if record is None:
                    recorded = dict(zip(names, args))
                    recorded.update(kwargs)
                    record = _plain_values(recorded) or encode(recorded, self)
            except Invalid:
                if op in ("oc", "oc_stdin", "docker"):  # not text: refused there, and nothing changes
                    return method(self, *args, **kwargs)
                raise
            start = self.clock.now
            self._journal_depth += 1
            try:
                result = method(self, *args, **kwargs)
            finally:
                self._journal_depth -= 1
            self.journal.record(start, op, record)
            return result

        return inner

    return wrap


class ReadAhead(list):
    """The items of a long list argument, or of one given as an iterator, as the journal read them
    a chunk at a time: what ``read_ahead`` made of each item, or the item itself where it made
    nothing (None). The method gets this list in the argument's place."""

    __slots__ = ()


def _call_reading_ahead(sim: Simulation, op: str, method: Callable, args: tuple, kwargs: dict, recorded: dict,
                        read_ahead: Callable[[Simulation, list], list]) -> Any:
    (key, value), = recorded.items() if len(recorded) == 1 else ((None, None),)
    if isinstance(value, Iterator) and not isinstance(value, (str, bytes, dict, list, tuple)):
        chunks: Iterable[list] | None = iter(lambda: list(islice(value, _CHUNK)), [])
    elif type(key) is str and type(value) is list and len(value) >= 2 * _CHUNK:
        chunks = (value[index:index + _CHUNK] for index in range(0, len(value), _CHUNK))
    else:
        chunks = None
    if chunks is None:
        record = encode(recorded, sim)
    else:
        kept = ReadAhead()

        def read(chunk: list) -> None:
            kept.extend(item if made is None else made for item, made in zip(chunk, read_ahead(sim, chunk)))

        try:
            record = _pack_chunks(sim, key, chunks, read)
        except _Refused as refused:
            # (a list is refused with the error its whole value gets; an iterator's items are gone)
            encode(recorded if type(value) is list else {key: refused.chunk}, sim)
            raise Invalid("error: json: unsupported value", reason="BadRequest") from None
        if args:
            args = (kept,)
        else:
            kwargs = {key: kept}
    start = sim.clock.now
    sim._journal_depth += 1
    try:
        result = method(sim, *args, **kwargs)
    finally:
        sim._journal_depth -= 1
    sim.journal.record(start, op, record)
    return result


def _view_command(sim: Simulation, op: str, method: Callable, args: tuple, kwargs: dict) -> Any:
    from .oc import OcResult, read_only_command

    line = args[0] if args else kwargs.get("command", "")
    if op != "docker" and read_only_command(line):
        return method(sim, *args, **kwargs)
    when = sim.clock.timestamp(sim._view_at)
    return OcResult("", f"error: this is a read-only view of the simulation at {when}: "
                        f"'{str(line).split(' ')[0] or op}' would change it\n", 1)


def replay(entries: list[Entry], until: int | None = None) -> Simulation:
    """A fresh simulation that received ``entries`` (up to simulated time ``until``)."""
    from . import scenarios
    from .simulation import Simulation

    if not entries:
        raise ValueError("an empty journal: it must start with the simulation's creation")
    first = entries[0]
    if first.op == "new":
        sim = Simulation(**first.args)
    elif first.op == "scenario":
        builder = getattr(scenarios, str(first.args.get("name")), None)
        if builder is None or not getattr(builder, "is_scenario", False):
            raise ValueError(f"unknown scenario {first.args.get('name')!r}")
        sim = builder(**first.args.get("kwargs", {}))
    else:
        raise ValueError(f"a journal starts with 'new' or 'scenario', not {first.op!r}")
    for entry in entries[1:]:
        if until is not None and entry.time > until:
            break
        method = getattr(sim, entry.op, None)
        if entry.op not in REPLAYABLE or method is None:
            raise ValueError(f"unknown journal operation {entry.op!r}")
        args = restore_value(entry.args, sim)
        if until is not None and entry.op in ("advance", "run"):
            end = sim.clock.now + _seconds(args.get("duration")) if entry.op == "advance" else None
            if entry.op == "run":
                end = sim.clock.resolve(args["until"])
            if end is not None and end > until:
                sim.run(until)
                break
        method(**args)
    if until is not None and sim.clock.now < until:
        sim.run(until)
    return sim


def _seconds(value: Any) -> int:
    from .clock import parse_duration

    return parse_duration(value)


REPLAYABLE = frozenset({"push", "untag", "outage", "apply", "restore", "advance", "run", "oc", "oc_stdin",
                        "docker", "drain"})
