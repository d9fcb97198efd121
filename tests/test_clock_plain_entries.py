"""Plain entries scheduled outside a run wait unsorted, and are sorted at once when the queue is
next asked for: the clock still runs everything in (time, priority, scheduling order).

A random mix of ``schedule``, ``post``, ``schedule_plain`` and cancellations, from outside runs
and from inside actions, with runs to random times, single steps and peeks, is compared with a
model that simply sorts every live entry by (time, priority, order scheduled).
"""

from __future__ import annotations

import gc
import random

import pytest

from imagesim.clock import Clock


def _play(seed: int) -> None:
    rng = random.Random(seed)
    clock = Clock()
    ran: list = []
    model: dict[int, tuple[int, int, int]] = {}  # name -> (time, priority, order) of live entries
    entries: dict[int, object] = {}
    count = [0]

    def action(name: int) -> None:
        assert model[name] == min(model.values()), "an entry ran out of order"
        assert clock.now == model[name][0]
        ran.append((clock.now, name))
        del model[name]
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            if count[0] < 400:
                add(clock.now + rng.choice([0, 0, 1, 5, 30]))

    clock.handlers["action"] = action

    def add(t: int) -> None:
        count[0] += 1
        name = count[0]
        priority = rng.choice([10, 30, 30, 50])
        how = rng.random()
        model[name] = (t, priority, name)
        if how < 0.5:
            clock.schedule_plain(t, "action", (name,), priority=priority)
        elif how < 0.75:
            clock.post(t, action, name, priority=priority)
        else:
            entries[name] = clock.schedule(t, action, name, priority=priority)

    def expected_next(until: int) -> list:
        return sorted((v, k) for k, v in model.items() if v[0] <= until)

    for _ in range(60):
        what = rng.random()
        if what < 0.45:
            for _ in range(rng.choice([1, 3, 20])):
                if count[0] < 400:
                    add(clock.now + rng.randrange(0, 200))
        elif what < 0.55 and entries:
            name = rng.choice(sorted(entries))
            entry = entries.pop(name)
            if name in model and not entry.cancelled:
                entry.cancel()
                del model[name]
        elif what < 0.7:
            live = sorted(model.values())
            if rng.random() < 0.5:
                assert clock.peek() == (live[0][0] if live else None)
                assert clock.pending() == len(model)
            if live:  # (a step may take a cancelled entry off the queue and run nothing)
                before = len(ran)
                while len(ran) == before:
                    clock.step()
        else:
            until = clock.now + rng.choice([0, 1, 10, 60, 300])
            clock.run(until)
            assert not expected_next(until), "something due was left"
        assert clock.pending() == len(model)
    clock.run(clock.now + 100000)
    assert not model and clock.pending() == 0


@pytest.mark.parametrize("seed", range(40))
def test_entries_run_in_time_priority_and_scheduling_order(seed: int) -> None:
    _play(seed)


def test_the_order_of_one_run_is_that_of_the_model() -> None:
    clock = Clock()
    ran: list = []
    clock.handlers["note"] = lambda name: ran.append(name)
    rng = random.Random(5)
    expected = []
    for name in range(500):
        t, priority = rng.randrange(50), rng.choice([10, 50])
        expected.append((t, priority, name))
        if name % 3:
            clock.schedule_plain(t, "note", (name,), priority=priority)
        else:
            clock.post(t, ran.append, name, priority=priority)
    assert clock.pending() == 500 and clock.peek() == min(expected)[0]
    clock.run(25)
    assert ran == [name for t, _, name in sorted(expected) if t <= 25]
    for name in range(500, 520):  # a few more after the sort: they go onto the heap
        clock.schedule_plain(30, "note", (name,), priority=10)
        expected.append((30, 10, name))
    clock.run(100)
    assert ran == [name for *_, name in sorted(expected)]


def test_waiting_plain_entries_are_not_tracked_by_the_collector() -> None:
    clock = Clock()
    clock.handlers["note"] = lambda *args: None
    for t in range(1, 200):
        clock.schedule_plain(t, "note", ("a", t, True))
    gc.collect()
    assert not any(gc.is_tracked(item) for item in clock._later)  # noqa: SLF001
    clock.peek()  # sorts them
    assert not any(gc.is_tracked(item) for item in clock._plain)  # noqa: SLF001
    clock.run(1000)
    assert clock.pending() == 0 and clock.processed == 199
