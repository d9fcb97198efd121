"""The benchmark suite's short mode (``benchmarks/``; the full suite is ``python -m benchmarks.run``).

- identity: imagesim, driven through its public API, computes the same history of every stream and
  the same number of rollouts of every DeploymentConfig as the SimPy model of the reference
  workload (``benchmarks/oracle.py``), for three seeds;
- speed: ``sim.run`` against SimPy's ``env.run`` on a small case, with a margin for busy machines
  (``benchmarks.run.QUICK_LIMITS``; the README's table has the full-size numbers);
- cost grows with changes, not with simulated time: counted in events (``sim.clock.processed``),
  and timed with a generous margin.

The SimPy parts are skipped when SimPy is not installed (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` does not put the repository root on the path
    sys.path.insert(0, str(ROOT))

from benchmarks import run as runner  # noqa: E402
from benchmarks import workload  # noqa: E402
from benchmarks.workload import DAY, Plan  # noqa: E402

needs_simpy = pytest.mark.skipif(importlib.util.find_spec("simpy") is None,
                                 reason="SimPy is not installed (the bench extra)")


def imagesim_results(plan: Plan, replicas: int = 0):
    built = workload.build(plan, replicas)
    workload.run(built)
    return workload.results(built)


def oracle_results(plan: Plan):
    from benchmarks import oracle

    model = oracle.build(plan)
    oracle.run(model)
    return oracle.results(model)


# ---------------------------------------------------------------------------------------------
# the workload itself

def test_plan_draws_pushes_tag_by_tag_and_streams_for_the_deploymentconfigs() -> None:
    plan = workload.plan(50, 200, 30, 7, seed=3)
    assert plan.registries == 5
    assert plan.upstream(7) == "registry-2.example.com/ns-7/app-7:latest"
    assert all(times == sorted(times) and all(1 <= t <= 30 * DAY for t in times) for times in plan.pushes)
    assert plan == workload.plan(50, 200, 30, 7, seed=3)  # seeded
    assert len(plan.dc_stream) == 200 and all(0 <= i < 50 for i in plan.dc_stream)
    assert workload.plan(50, 200, 30, None).push_count == 0


def test_built_world_has_one_import_and_one_rollout_each_at_time_zero() -> None:
    plan = workload.plan(20, 60, 1, None)
    built = workload.build(plan)
    histories, rollouts = workload.results(built)
    assert histories == [[(0, 0)]] * 20
    assert rollouts == [1] * 60
    assert set(built.timings) == {"images", "manifests", "apply", "pushes"}


# ---------------------------------------------------------------------------------------------
# identity with the SimPy oracle

@needs_simpy
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_histories_and_rollouts_equal_the_simpy_oracle(seed: int) -> None:
    plan = workload.plan(60, 300, 30, 2, seed=seed)  # a push every 2 days: many changes
    mine = imagesim_results(plan)
    assert mine == oracle_results(plan)
    histories, rollouts = mine
    assert sum(len(h) for h in histories) > 60 * 10


@needs_simpy
def test_rollouts_with_pods_equal_the_simpy_oracle() -> None:
    plan = workload.plan(30, 90, 10, 1, seed=5)
    assert imagesim_results(plan, replicas=2) == oracle_results(plan)


@needs_simpy
def test_a_push_is_seen_by_the_check_at_its_second_or_the_next_grid_point() -> None:
    # stream 0: two pushes on one grid point, one on the next; stream 1: just after the start,
    # a second before a grid point, a second after it; stream 2: one at the last second of the run
    until = 2 * 3600
    pushes = [[900, 900, 1800], [1, 899, 901], [until]]
    plan = Plan(3, 4, until, 7 * DAY, 0, pushes, [0, 1, 1, 2])
    histories, rollouts = imagesim_results(plan)
    assert histories == [[(0, 0), (900, 2), (1800, 3)],
                         [(0, 0), (900, 2), (1800, 3)],
                         [(0, 0), (until, 1)]]
    assert rollouts == [3, 3, 3, 2]
    assert (histories, rollouts) == oracle_results(plan)


@needs_simpy
def test_the_runner_measures_both_sides_alike() -> None:
    case = runner.Case("tiny", 30, 100, 3, 1)
    mine, theirs = runner.measure(case, "imagesim"), runner.measure(case, "simpy")
    assert mine["digest"] == theirs["digest"]
    assert mine["rollouts"] == theirs["rollouts"] > 100
    assert mine["events"] > 0 and mine["run_s"] > 0 and theirs["run_s"] > 0
    assert mine["objects"] == 2 * mine["rollouts"]  # every RC and its deployer pod, made when read


# ---------------------------------------------------------------------------------------------
# speed

def best_runs(*makers, repeats: int = 3) -> list[float]:
    """The shortest of ``repeats`` timed runs of each maker (``make()`` builds; the callable it
    returns runs), taken in turns so that a busy moment of the machine hits all alike."""
    best = [float("inf")] * len(makers)
    for _ in range(repeats):
        for i, make in enumerate(makers):
            go = make()
            start = time.process_time()
            go()
            best[i] = min(best[i], time.process_time() - start)
    return best


def best_run(make, repeats: int = 2) -> float:
    return best_runs(make, repeats=repeats)[0]


def imagesim_runner(plan: Plan, replicas: int = 0):
    def make():
        built = workload.build(plan, replicas)
        return lambda: workload.run(built)
    return make


@needs_simpy
def test_run_is_faster_than_the_simpy_oracle() -> None:
    from benchmarks import oracle

    plan = workload.plan(150, 750, 30)

    def simpy_runner():
        model = oracle.build(plan)
        return lambda: oracle.run(model)

    theirs, mine = best_runs(simpy_runner, imagesim_runner(plan), repeats=2)
    ratio = theirs / mine
    assert ratio >= runner.QUICK_LIMITS["ratio"], f"SimPy / imagesim = {ratio:.1f}x"


def test_pods_cost_a_bounded_time_each() -> None:
    plan = workload.plan(100, 500, 30)
    built = workload.build(plan, 2)
    logged = len(built.sim.log)
    workload.run(built)
    starts = sum(1 for e in built.sim.log[logged:] if e.kind == "pod-created")
    assert starts == 2 * (sum(workload.results(built)[1]) - 500)  # two new pods per rollout in the run
    with_pods, without = best_runs(imagesim_runner(plan, 2), imagesim_runner(plan), repeats=2)
    extra = with_pods - without
    assert extra / starts * 1e6 <= runner.QUICK_LIMITS["pod_us"]


# ---------------------------------------------------------------------------------------------
# cost grows with changes, not with time

def run_events(plan: Plan) -> tuple[int, int]:
    """(events the clock processed during the run, changes: pushes + history items + rollouts)."""
    built = workload.build(plan)
    before = built.sim.clock.processed
    workload.run(built)
    histories, rollouts = workload.results(built)
    items = sum(len(h) - 1 for h in histories)
    return built.sim.clock.processed - before, plan.push_count + items + sum(rollouts) - plan.m


def test_a_year_without_pushes_costs_the_events_of_a_day() -> None:
    day, _ = run_events(workload.plan(100, 500, 1, None))
    year, _ = run_events(workload.plan(100, 500, 365, None))
    # no import check at all, and the first rollouts (no replicas) were over when they began
    assert day == year == 0


def test_events_grow_with_changes_not_with_time() -> None:
    month, month_changes = run_events(workload.plan(100, 500, 30))
    season, season_changes = run_events(workload.plan(100, 500, 120))
    assert season_changes > 3 * month_changes
    # a push, a check that imports, and per rollout its trigger, its evaluation and its deadline
    for events, changes in ((month, month_changes), (season, season_changes)):
        assert events <= 3 * changes + 500
    assert season / season_changes <= 1.05 * month / month_changes


def test_run_time_grows_with_changes_not_with_time() -> None:
    day = best_run(imagesim_runner(workload.plan(100, 500, 1, None)))
    year = best_run(imagesim_runner(workload.plan(100, 500, 365, None)))
    assert year <= 2 * day + 0.005  # both nearly nothing (a few milliseconds of slack for timer noise)
    month = best_run(imagesim_runner(workload.plan(100, 500, 30)))
    season = best_run(imagesim_runner(workload.plan(100, 500, 120)))
    assert season <= 4.5 * 1.5 * month  # 3.9 times the changes; generous for busy machines


# ---------------------------------------------------------------------------------------------
# the runner's report

def test_write_readme_replaces_only_the_marked_section(tmp_path, monkeypatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Benchmarks\n\nintro\n\n{runner.BEGIN}\nold table\n{runner.END}\n\n## After\n")
    monkeypatch.setattr(runner, "README", readme)
    runner.write_readme("| new | table |")
    assert readme.read_text() == (f"# x\n\n## Benchmarks\n\nintro\n\n{runner.BEGIN}\n| new | table |\n{runner.END}"
                                  "\n\n## After\n")


def test_the_readme_has_the_benchmarks_section() -> None:
    text = (ROOT / "README.md").read_text()
    assert "## Benchmarks" in text
    assert text.index(runner.BEGIN) < text.index(runner.END)
    assert runner.COMMAND in text


def test_report_lists_the_cases_and_the_targets() -> None:
    case = runner.Case("W1", 10, 20, 1)
    fake = {"build_s": 1.0, "run_s": 0.5, "read_s": 0.25, "rss_mib": 50.0, "events": 10, "rollouts": 30,
            "digest": "d", "build_steps": {"apply": 0.1}}
    rows = {("W1", "imagesim"): runner.Row(case, "imagesim", [fake] * 3),
            ("W1", "simpy"): runner.Row(case, "simpy", [dict(fake, run_s=5.0)] * 3)}
    found = runner.checks(rows, quick=False)
    assert [c.ok for c in found] == [False]  # 10x, not 50x
    text = runner.report(rows, found, runner.identity_failures(rows), 3, quick=False)
    assert ("| W1 | N=10 M=20 1 d, gap 7 d, replicas 0 | imagesim | 1.00 (1.00–1.00) | 0.500 (0.500–0.500) | "
            "0.250 |") in text
    assert "10.0x" in text and "**not met**" in text
    assert "the same histories and rollout counts" in text


# ---------------------------------------------------------------------------------------------
# the engine's fast paths change nothing that can be seen

def _clock_order(seed: int, use_post: bool, stepping: bool = False) -> tuple[list, int]:
    """Actions that schedule more actions at random (time, priority); with ``use_post`` most go
    through ``Clock.post`` (which shares queue entries) or ``Clock.schedule_plain`` (plain data),
    else all through ``Clock.schedule``. ``stepping``: run with ``Clock.step`` (one action a step)
    rather than ``Clock.run``."""
    from imagesim.clock import Clock

    rng = random.Random(seed)
    clock = Clock()
    clock.handlers["action"] = lambda name: action(name)
    order: list = []
    made = [0]

    def add(t: int, priority: int) -> None:
        made[0] += 1
        how = rng.random()
        if use_post and how < 0.45:
            clock.post(t, action, made[0], priority=priority)
        elif use_post and how < 0.7:
            clock.schedule_plain(t, "action", (made[0],), priority=priority)
        else:
            clock.schedule(t, action, made[0], priority=priority)

    def action(name: int) -> None:
        order.append((clock.now, name))
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            if made[0] < 300:
                add(clock.now + rng.choice([0, 0, 0, 1, 3]), rng.choice([10, 40, 50, 50]))

    for _ in range(20):
        add(rng.choice([0, 1, 2]), rng.choice([10, 40, 50]))
    if stepping:
        while clock.peek() is not None:
            clock.step()
            order.append("step")
    clock.run(100)
    return order, clock.processed


@pytest.mark.parametrize("stepping", [False, True])
def test_posted_actions_run_in_the_order_of_scheduled_ones(stepping: bool) -> None:
    for seed in range(200):
        assert _clock_order(seed, True, stepping) == _clock_order(seed, False, stepping), seed


def test_plain_entries_wait_untracked_and_count_like_scheduled_ones() -> None:
    import gc

    from imagesim.clock import Clock, ClockError

    clock = Clock()
    ran: list = []
    clock.handlers["note"] = lambda *args: ran.append((clock.now, args))
    clock.schedule_plain(5, "note", ("a", 1, True), priority=10)
    entry = clock.schedule(5, lambda: ran.append((clock.now, "scheduled")), priority=10)
    clock.schedule_plain(3, "note", ("b",))
    cancelled = clock.schedule(1, lambda: ran.append("never"))
    cancelled.cancel()
    assert clock.pending() == 3 and entry.time == 5
    gc.collect()
    assert not any(gc.is_tracked(item) for item in clock._queue if type(item[3]) is str)  # noqa: SLF001
    assert clock.peek() == 3
    clock.step()
    assert ran == [(3, ("b",))] and clock.pending() == 2
    clock.run(10)
    assert ran == [(3, ("b",)), (5, ("a", 1, True)), (5, "scheduled")]
    with pytest.raises(ClockError):
        clock.schedule_plain(2, "note", ())


def test_recorded_events_read_like_appended_ones() -> None:
    from imagesim.events import EventLog

    fields = [dict(), dict(namespace="ns", message="m"), dict(digest="sha256:1", previous="p", warning=True),
              dict(reason="r", message="x")]
    appended, recorded = EventLog(), EventLog()
    for i, extra in enumerate(fields * 3):
        appended.append(i, "kind", f"subject-{i}", **extra)
        (recorded.record if i % 2 else recorded.append)(i, "kind", f"subject-{i}", **extra)
    assert list(recorded) == list(appended) and len(recorded) == len(appended)
    assert recorded[3] == appended[3] and recorded.of_kind("kind") == appended.of_kind("kind")


@pytest.mark.parametrize("chunk", [4096, 1, 3, 7])
def test_grouped_events_read_like_appended_ones(chunk: int, monkeypatch) -> None:
    """Runs of events recorded as items of a group (one row of the log's columns) read exactly
    like events appended one by one: fields, order, sequence numbers and length, whatever comes
    between them, a read in the middle of a run, and the columns sealed every ``chunk`` rows;
    items that stand for several events too."""
    import random

    from imagesim import events
    from imagesim.events import EventLog

    monkeypatch.setattr(events, "CHUNK", chunk)
    events.group_renderer("test-several")(lambda item: [(f"ns/w-{item}-{k}", f"m{k}") for k in range(item)])

    events.group_renderer("test-grouped")(lambda item: (f"ns{item % 2}/w-{item}", f"m{item}"))
    rng = random.Random(5)
    appended, grouped = EventLog(), EventLog()
    seen = []
    for step in range(400):
        time, namespace = step // 40, f"ns{step % 3 // 2}"
        if rng.random() < 0.1:
            item = rng.randrange(1, 4)
            for k in range(item):
                appended.append(time, "test-several", f"ns/w-{item}-{k}", namespace=namespace, message=f"m{k}")
            grouped.group(time, "test-several", namespace, item, item)
        elif rng.random() < 0.7:
            item = rng.randrange(9)
            subject, message = f"ns{item % 2}/w-{item}", f"m{item}"
            kind = "test-grouped"
            appended.append(time, kind, subject, namespace=namespace, message=message)
            grouped.group(time, kind, namespace, item)
        else:
            appended.append(time, "other", f"s-{step}", namespace=namespace, warning=step % 2 == 0,
                            reason="r" if step % 3 == 0 else "")
            grouped.record(time, "other", f"s-{step}", namespace, reason="r" if step % 3 == 0 else "",
                           warning=step % 2 == 0)
        assert len(grouped) == len(appended)
        if rng.random() < 0.05:
            seen.append((grouped[-1], len(list(grouped))))
    assert list(grouped) == list(appended)
    assert [e.seq for e in grouped] == list(range(1, len(appended) + 1))
    assert seen and all(event == appended[count - 1] for event, count in seen)


def test_the_collector_is_back_as_it_was_after_a_run() -> None:
    import gc

    plan = workload.plan(5, 10, 1, gap_days=0.01)
    was = gc.isenabled()
    try:
        for state in (True, False):
            built = workload.build(plan)
            (gc.enable if state else gc.disable)()
            processed = built.sim.clock.processed
            built.sim.advance("1h")  # import checks run (the upstream tags pushed within the day)
            assert built.sim.clock.processed > processed
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


def test_a_cycle_left_by_a_paused_run_is_freed_by_a_later_full_pass() -> None:
    """What a run made skips the young passes (it goes straight to the oldest generation), yet a
    reference cycle it left as garbage is still freed: the run that leaves the heap four times
    as large (eight times after a pass that freed nothing, and past the floor) makes a full pass,
    so garbage stays bounded without anyone calling ``gc.collect``."""
    import gc
    import sys
    import weakref

    from imagesim.clock import FULL_PASS_FLOOR, collector_paused

    class Node:
        pass

    def garbage() -> Node:
        with collector_paused():
            for _ in range(3000):
                a, b = Node(), Node()
                a.other, b.other = b, a
        return a

    was = gc.isenabled()
    gc.enable()
    try:
        start, peak = sys.getallocatedblocks(), 0
        first = weakref.ref(garbage())
        for _ in range(5000):
            if first() is None:
                break
            garbage()
            peak = max(peak, sys.getallocatedblocks())
        assert first() is None
        assert peak < max(9 * start, start + FULL_PASS_FLOOR) + 200_000
    finally:
        (gc.enable if was else gc.disable)()


def test_a_full_pass_that_frees_nothing_makes_the_next_wait_for_twice_the_growth() -> None:
    """A program that leaves no cycles pays for fewer full passes; the first pass that frees
    anything brings the growth back to four times."""
    import gc

    from imagesim import clock

    was = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        gc.collect()  # (nothing left to free)
        assert clock._growth[0] == clock.QUIET_GROWTH == 2 * clock.GROWTH  # noqa: SLF001
        cycle: list = []
        cycle.append(cycle)
        del cycle
        gc.collect()
        assert clock._growth[0] == clock.GROWTH  # noqa: SLF001
        passes = clock._passes[0]  # noqa: SLF001
        clock._full_pass_ended("stop", {"generation": 2, "collected": 0})  # noqa: SLF001 - (seen already)
        assert clock._growth[0] == clock.GROWTH and clock._passes[0] == passes  # noqa: SLF001
    finally:
        (gc.enable if was else gc.disable)()


def test_paused_calls_count_the_heap_only_now_and_then(monkeypatch) -> None:
    """Counting the heap costs more the larger it is, so a loop of small paused calls (pushes,
    one at a time) counts it only once enough objects were moved since the last count, and
    still makes the full pass once the heap has grown past the limit."""
    import gc
    import sys

    from imagesim import clock
    from imagesim.clock import collector_paused

    counts, passes = [0], [0]
    real = sys.getallocatedblocks

    def counting() -> int:
        counts[0] += 1
        return real()

    def passed(phase: str, info: dict) -> None:
        if phase == "stop" and info.get("generation") == 2:
            passes[0] += 1

    was = gc.isenabled()
    gc.enable()
    gc.collect()
    monkeypatch.setattr(sys, "getallocatedblocks", counting)
    gc.callbacks.append(passed)
    kept = []
    try:
        calls = 0
        limit = max(clock._growth[0] * clock._heap[0], clock.FULL_PASS_FLOOR)  # noqa: SLF001
        while real() < 2 * limit:
            with collector_paused():
                kept.extend([index] for index in range(1000))
            calls += 1
        assert passes[0] >= 1
        assert calls > 1000 and counts[0] < calls // 10
    finally:
        gc.callbacks.remove(passed)
        (gc.enable if was else gc.disable)()


def test_objects_frozen_by_others_stay_frozen_after_a_run() -> None:
    import gc

    from imagesim.clock import collector_paused

    was = gc.isenabled()
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [[index] for index in range(5000)]  # (young objects enough for a pass)
        assert gc.get_freeze_count() == frozen and len(kept) == 5000
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_a_comparison_with_another_checkout_measures_both_in_the_same_rounds() -> None:
    case = runner.Case("tiny", 30, 100, 3, 1)
    seen = []
    text = runner.compare([case], 2, runner.ROOT, log=seen.append)
    assert [line.split()[1] for line in seen] == ["this", "other", "this", "other"]
    assert "| tiny |" in text and text.rstrip().endswith("| yes |")
