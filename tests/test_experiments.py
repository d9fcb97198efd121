"""What-if experiments (:mod:`imagesim.experiments`): timelines, configurations, the metrics of one
run on small timelines whose answers are worked out by hand, determinism on every executor, and
the per-configuration plots of :mod:`imagesim.views.experiments`.

The arithmetic the hand-computed answers rest on (all in the engine's docstrings):

- the timeline starts 15 minutes (one import interval) after the world is built, so scheduled
  imports check at the timeline's multiples of 15 minutes;
- a pull takes 5 s (1 s when the node already has the image's layers), a container is ready 1 s
  after it starts, a broken image never gets ready;
- a failed pull is retried 10 s, 30 s, 70 s, 150 s and 310 s after the first attempt, then every
  300 s; after an outage only the first retry at or after its end is made;
- a DeploymentConfig rollout fails 10 minutes after it started if its pods are not ready, and the
  last complete rollout gets its replicas back; Recreate starts the new pods 30 s after scaling
  the old ones down.
"""

from __future__ import annotations

import functools
import io
import subprocess
import sys
import time

import pytest

from imagesim import experiments
from imagesim.experiments import (
    BASELINES,
    METRICS,
    RECORD_COLUMNS,
    Configuration,
    Drain,
    InlineExecutor,
    Outage,
    Push,
    RateLimit,
    Timeline,
    Untag,
    grid,
    run_experiment,
    run_one,
)

HOUR = 3600
#: First retry at or after 2 h for a pull that first failed at the outage's start: 310 s + 23 x 300 s.
RETRY_AFTER_2H = 310 + 23 * 300  # 7210 s
PULL, READY = 5, 1


def minutes(seconds: int) -> float:
    return seconds / 60


def metrics(config: Configuration, timeline: Timeline, seed: int = 0) -> dict:
    record = run_one(config, timeline, seed)
    assert list(record) == list(RECORD_COLUMNS)
    return {name: record[name] for name in METRICS}


def direct(**kwargs) -> Configuration:
    return Configuration(kwargs.pop("name", "direct"), via_stream=False, **kwargs)


# -------------------------------------------------------------------------------------------
# timelines


def test_timeline_sorts_events_and_defaults_its_length() -> None:
    timeline = Timeline([Outage("docker.io", "2h", "2h"), Push("1h"), Drain("90m")])
    assert [type(e).__name__ for e in timeline.events] == ["Push", "Drain", "Outage"]
    assert timeline.events[0].at == HOUR and timeline.events[2].end == 4 * HOUR
    assert timeline.until == 28 * HOUR  # a day after the last event ends
    assert timeline.host == "docker.io" and len(timeline) == 3
    assert timeline.rows()[0] == {"kind": "push", "start": HOUR, "end": HOUR, "what": experiments.DEFAULT_IMAGE}


@pytest.mark.parametrize("make, message", [
    (lambda: Timeline([Push("2d")], until="1d"), "after the end"),
    (lambda: Timeline(image="docker.io/library/nginx@sha256:" + "a" * 64), "tag, not a digest"),
    (lambda: Timeline(["push at 1h"]), "not a timeline event"),
    (lambda: Outage("docker.io", 0, 0), "positive duration"),
    (lambda: Outage("", 0, 60), "registry host"),
    (lambda: RateLimit("docker.io", 0, "1h", limit=-1), "non-negative"),
    (lambda: Drain("1h", "worker-9"), "node must be one of"),
])
def test_timeline_mistakes_are_refused(make, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_generated_timelines_depend_only_on_the_seed_and_their_own_rates() -> None:
    params = dict(days=30, push_rate_per_day=1, broken_fraction=0.2, fix_after_hours=2,
                  outage_rate_per_day=0.2, outage_hours=2, drains_during_outages=True)
    a, b = Timeline.generate(3, **params), Timeline.generate(3, **params)
    assert a == b and a != Timeline.generate(4, **params)
    assert a.until == 30 * 86400 and all(0 < e.time <= a.until for e in a.events)
    pushes = [e for e in a.events if isinstance(e, Push)]
    broken = [e for e in pushes if e.broken]
    assert broken and all(any(p.at == e.at + 2 * HOUR and not p.broken for p in pushes)
                          for e in broken if e.at + 2 * HOUR <= a.until)
    outages = [e for e in a.events if isinstance(e, Outage)]
    drains = [e for e in a.events if isinstance(e, Drain)]
    assert len(drains) == len(outages) and all(o.start <= d.at < o.end for o, d in zip(outages, drains))
    # each kind of event has its own random stream: more outages leave the pushes where they were
    busier = Timeline.generate(3, **{**params, "outage_rate_per_day": 1.0})
    assert [e for e in busier.events if isinstance(e, Push)] == pushes


def test_configurations_check_their_settings_and_grid_names_them() -> None:
    with pytest.raises(ValueError, match="reference_policy"):
        Configuration("x", reference_policy="local")
    with pytest.raises(ValueError, match="strategy"):
        Configuration("x", strategy="RollingUpdate")
    with pytest.raises(ValueError, match="replicas"):
        Configuration("x", replicas=0)
    assert Configuration("x", manual_every="1d").manual_every == 86400
    configs = grid(strategy=["Rolling", "Recreate"], pull_policy=[None, "Always"])
    assert [c.name for c in configs][:2] == ["strategy=Rolling, pull_policy=None", "strategy=Rolling, pull_policy=Always"]
    assert len(configs) == 4 and configs[3].strategy == "Recreate" and configs[3].pull_policy == "Always"
    # what does not apply to a direct reference is shown as such
    columns = direct().columns()
    assert columns["scheduled"] is False and columns["automatic"] is False and columns["reference_policy"] is None
    assert len({c.name for c in BASELINES}) == len(BASELINES)


# -------------------------------------------------------------------------------------------
# outages: answers worked out by hand

#: docker.io is down from 1 h to 3 h; at 1 h the node of the application's only pod is drained.
OUTAGE_DURING_DRAIN = Timeline([Outage("docker.io", "1h", "2h"), Drain("1h", "worker-0")], until="6h")


@pytest.mark.parametrize("config", [
    direct(replicas=1, pull_policy="Always"),
    Configuration("stream", replicas=1, pull_policy="Always"),
    Configuration("stream, IfNotPresent", replicas=1, pull_policy="IfNotPresent"),  # the new node has no cache
], ids=lambda c: c.name)
def test_two_hour_outage_without_a_cache_is_two_hours_without_a_ready_pod(config: Configuration) -> None:
    m = metrics(config, OUTAGE_DURING_DRAIN)
    # the replacement pod's pull fails at 1 h, is retried at 1 h + 7210 s, pulls in 5 s, ready 1 s later
    down = RETRY_AFTER_2H + PULL + READY
    assert down == 2 * HOUR + 16
    assert m["outage_minutes"] == m["impaired_minutes"] == m["time_to_recover_minutes"] == minutes(down)
    assert m["incidents"] == 1 and m["recovered"] is True
    assert m["rollouts"] == m["broken_rollouts"] == m["pods_on_broken_image"] == 0
    assert m["good_pushes"] == 0 and m["staleness_minutes"] is None
    # the one pull that reached docker.io, and for the stream the scheduled check at 3 h
    assert m["registry_pulls"] == (1 if not config.via_stream else 2)


def test_pull_through_keeps_serving_during_the_outage() -> None:
    m = metrics(Configuration("local", replicas=1, pull_policy="Always", reference_policy="Local"), OUTAGE_DURING_DRAIN)
    # the internal registry pulled the image through before: the new pod starts at once
    assert m["outage_minutes"] == minutes(PULL + READY)
    assert m["registry_pulls"] == 1  # only the scheduled check at 3 h reached docker.io


def test_a_second_replica_keeps_the_service_up_but_impaired() -> None:
    m = metrics(direct(replicas=2, pull_policy="Always"), OUTAGE_DURING_DRAIN)
    assert m["outage_minutes"] == 0
    assert m["impaired_minutes"] == m["time_to_recover_minutes"] == minutes(RETRY_AFTER_2H + PULL + READY)


def test_a_node_cache_helps_if_not_present_but_not_always() -> None:
    # at 30 min worker-0 is drained (the pod moves to worker-1, which pulls) and uncordoned at 40 min;
    # at 1 h, during the outage, worker-1 is drained: the pod goes back to worker-0, which has the image
    timeline = Timeline([Drain("30m", "worker-0", "10m"), Outage("docker.io", "1h", "2h"), Drain("1h", "worker-1")],
                        until="6h")
    first_move = PULL + READY
    cached = metrics(direct(replicas=1, pull_policy="IfNotPresent"), timeline)
    assert cached["outage_minutes"] == minutes(first_move + 1 + READY)  # started from the cache in 1 s
    assert cached["incidents"] == 2 and cached["time_to_recover_minutes"] == minutes(first_move)
    always = metrics(direct(replicas=1, pull_policy="Always"), timeline)
    # Always asks docker.io first: it waits for the outage to end, then needs only the manifest (1 s)
    assert always["outage_minutes"] == minutes(first_move + RETRY_AFTER_2H + 1 + READY)
    assert always["time_to_recover_minutes"] == minutes(RETRY_AFTER_2H + 1 + READY)


def test_a_deleted_tag_hurts_direct_references_only() -> None:
    timeline = Timeline([Untag("1h"), Drain("2h"), Push("5h")], until="6h")
    d = metrics(direct(replicas=1), timeline)
    # the pull at 2 h finds no tag and waits for it; the push at 5 h makes the retry due: 2 h + 10810 s
    retry = 310 + 35 * 300
    assert retry == 3 * HOUR + 10
    assert d["outage_minutes"] == minutes(retry + PULL + READY)
    assert d["staleness_minutes"] == minutes(16)  # the pod that came back runs the new push
    s = metrics(Configuration("stream", replicas=1), timeline)
    # the stream still has the digest it imported, and upstream still serves it by digest
    assert s["outage_minutes"] == minutes(PULL + READY)
    assert s["staleness_minutes"] == minutes(PULL + READY)  # 5 h is a scheduled check


def test_rate_limits_refuse_like_an_outage_until_the_window_ends() -> None:
    # no request is answered from 1 h to 7 h; at 2 h the only pod's node is drained
    timeline = Timeline([RateLimit("docker.io", "1h", "6h", limit=0), Drain("2h")], until="8h")
    d = metrics(direct(replicas=1), timeline)
    retry = 310 + 59 * 300  # first retry at or after 5 h
    assert d["outage_minutes"] == minutes(retry + PULL + READY) and d["rate_limited"] == 1
    assert d["registry_pulls"] == 1
    local = metrics(Configuration("local", replicas=1, reference_policy="Local"), timeline)
    assert local["outage_minutes"] == minutes(PULL + READY)
    assert local["rate_limited"] == 0 and local["registry_pulls"] == 0


def test_a_used_up_rate_limit_fails_the_rollout_of_a_new_version() -> None:
    # one request allowed in the first 6 h: the scheduled import at 1 h takes it, both new pods' pulls
    # are refused, and the rollout fails after 10 minutes; the old pods serve throughout
    timeline = Timeline([RateLimit("docker.io", 0, "6h", limit=1), Push("1h")], until="8h")
    m = metrics(Configuration("scheduled"), timeline)
    assert m["rate_limited"] == 2 and m["registry_pulls"] == 1
    assert m["rollouts"] == 1 and m["broken_rollouts"] == 0 and m["outage_minutes"] == 0
    assert m["versions_never_run"] == 1 and m["staleness_minutes"] == minutes(7 * HOUR)


# -------------------------------------------------------------------------------------------
# broken upstream pushes

#: Upstream pushes a broken ``latest`` at 1 h (a scheduled check) and the fix at 3 h 05 min.
BROKEN_THEN_FIXED = Timeline([Push("1h", broken=True), Push("3h5m")], until="6h")


def test_manual_import_never_rolls_out_the_broken_push() -> None:
    m = metrics(Configuration("manual import", scheduled=False), BROKEN_THEN_FIXED)
    assert m["rollouts"] == m["broken_rollouts"] == m["pods_on_broken_image"] == 0
    assert m["outage_minutes"] == m["impaired_minutes"] == 0 and m["registry_pulls"] == 0
    # ... nor the fix: it waits until the end of the window
    assert m["good_pushes"] == 1 and m["versions_never_run"] == 1
    assert m["staleness_minutes"] == minutes(6 * HOUR - (3 * HOUR + 5 * 60))


def test_scheduled_import_with_automatic_triggers_rolls_out_the_broken_push() -> None:
    m = metrics(Configuration("scheduled"), BROKEN_THEN_FIXED)
    assert m["rollouts"] == 2 and m["broken_rollouts"] == 1 and m["pods_on_broken_image"] == 2
    # Rolling: the old pods keep serving; the broken pods run from 5 s after 1 h until the rollout
    # fails at 1 h 10 min
    assert m["outage_minutes"] == 0
    assert m["impaired_minutes"] == m["time_to_recover_minutes"] == minutes(600 - PULL)
    # the fix is imported at the 3 h 15 min check and ready 6 s later
    assert m["staleness_minutes"] == minutes(10 * 60 + PULL + READY) and m["versions_never_run"] == 0
    assert m["registry_pulls"] == 1 + 2 + 1 + 2  # import, two pulls, import, two pulls


def test_recreate_turns_a_broken_rollout_into_an_outage() -> None:
    m = metrics(Configuration("recreate", strategy="Recreate"), BROKEN_THEN_FIXED)
    # the old pods go at 1 h; the rollout fails at 1 h 10 min; the old pods come back on nodes that
    # still have their layers (1 s) and are ready 1 s later
    broken_outage = 600 + 1 + READY
    # the fix at 3 h 15 min: old pods down, new ones 30 s later, pulled in 5 s, ready 1 s later
    fix_outage = 30 + PULL + READY
    assert m["outage_minutes"] == m["impaired_minutes"] == minutes(broken_outage + fix_outage)
    assert m["incidents"] == 2 and m["time_to_recover_minutes"] == minutes(broken_outage)
    assert m["broken_rollouts"] == 1 and m["staleness_minutes"] == minutes(10 * 60 + fix_outage)


def test_manual_steps_follow_their_cadence() -> None:
    # someone imports by hand every 2 h: the broken image at 2 h, the fix at 4 h
    m = metrics(Configuration("import every 2h", scheduled=False, manual_every="2h"), BROKEN_THEN_FIXED)
    assert m["broken_rollouts"] == 1 and m["impaired_minutes"] == minutes(600 - PULL)
    assert m["staleness_minutes"] == minutes(55 * 60 + PULL + READY)
    # scheduled import but a manual trigger, rolled out by hand every 4 h: only the fix is deployed
    m = metrics(Configuration("rollout every 4h", automatic=False, manual_every="4h"), BROKEN_THEN_FIXED)
    assert m["rollouts"] == 1 and m["broken_rollouts"] == 0 and m["impaired_minutes"] == 0
    assert m["staleness_minutes"] == minutes(55 * 60 + PULL + READY)


def test_a_direct_reference_picks_up_a_broken_tag_when_its_pod_moves() -> None:
    timeline = Timeline([Push("1h", broken=True), Drain("2h"), Push("3h")], until="6h")
    m = metrics(direct(replicas=1), timeline)
    # no rollout, but the recreated pod pulls the broken latest and crash-loops to the end
    assert m["rollouts"] == 0 and m["broken_rollouts"] == 0 and m["pods_on_broken_image"] == 1
    assert m["outage_minutes"] == minutes(4 * HOUR) and m["recovered"] is False
    assert m["versions_never_run"] == 1
    pinned = metrics(direct(name="pinned", replicas=1, pinned=True), timeline)
    assert pinned["pods_on_broken_image"] == 0 and pinned["outage_minutes"] == minutes(PULL + READY)


def test_staleness_counts_a_version_as_run_when_a_later_fix_runs() -> None:
    # two good pushes before the 1 h 15 min check: the first is superseded by the second
    m = metrics(Configuration("scheduled"), Timeline([Push("1h5m"), Push("1h10m")], until="3h"))
    waits = [10 * 60 + PULL + READY, 5 * 60 + PULL + READY]
    assert m["good_pushes"] == 2 and m["staleness_minutes"] == minutes(sum(waits)) / 2


# -------------------------------------------------------------------------------------------
# the availability integral against the engine's own endpoints


@pytest.mark.parametrize("config", [
    direct(pull_policy="Always"),
    Configuration("scheduled, Recreate", strategy="Recreate"),
    Configuration("scheduled, Local", reference_policy="Local", replicas=1),
    Configuration("manual import", scheduled=False, manual_every="6h"),
], ids=lambda c: c.name)
def test_outage_minutes_match_the_service_endpoints_sampled_at_every_change(config: Configuration) -> None:
    timeline = Timeline.generate(7, days=3, push_rate_per_day=3, broken_fraction=0.3, fix_after_hours=1,
                                 untag_rate_per_day=0.3, outage_rate_per_day=1, drains_during_outages=True,
                                 drain_rate_per_day=1)
    first = experiments._Run(config, timeline, 7)
    expected = first.play()
    # every moment something can change: log events, and each pod's start, ready and deletion
    times = {e.time for e in first.sim.log}
    for pod in first.pods:
        times.update({pod.created, pod.deleted, pod.ready_at() or 0})
        times.update(run.started for run in pod.containers)
    times = sorted(t for t in times if first.start <= t <= first.end) + [first.end]
    again = experiments._Run(config, timeline, 7)
    samples: list[tuple[int, int]] = []

    def sample() -> None:
        samples.append((again.sim.clock.now, len(again.sim.cluster.endpoints(again.service))))

    again.actions += [(t, 10**9 + i, sample, ()) for i, t in enumerate([first.start] + times)]
    again.actions.sort(key=lambda a: (a[0], a[1]))
    assert again.play() == expected
    down = short = 0
    for (t, ready), (t_next, _) in zip(samples, samples[1:]):
        down += (t_next - t) if ready == 0 else 0
        short += (t_next - t) if ready < config.replicas else 0
    assert expected["outage_minutes"] == minutes(down)
    assert expected["impaired_minutes"] >= minutes(short)
    assert expected["rollouts"] > 0 or not config.via_stream


# -------------------------------------------------------------------------------------------
# many runs: frames, determinism, executors


LAB = functools.partial(Timeline.generate, days=1, push_rate_per_day=2, broken_fraction=0.2, fix_after_hours=3,
                        outage_rate_per_day=1, outage_hours=2, drains_during_outages=True)


def test_same_seed_same_record() -> None:
    for config in BASELINES:
        assert run_one(config, LAB, 5) == run_one(config, LAB, 5)


def test_run_experiment_returns_a_tidy_frame_in_a_stable_order() -> None:
    configs = [BASELINES[3], BASELINES[0]]
    frame = run_experiment(configs, LAB, seeds=[2, 0, 1], executor=InlineExecutor(), progress=False)
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert list(frame["configuration"]) == [configs[0].name] * 3 + [configs[1].name] * 3
    assert list(frame["seed"]) == [0, 1, 2, 0, 1, 2]
    assert str(frame["outage_minutes"].dtype) == "float64" and str(frame["broken_rollouts"].dtype) == "int64"
    assert str(frame["recovered"].dtype) == "bool" and frame["timeline"].eq("").all()
    row = frame.iloc[4].to_dict()
    assert row["outage_minutes"] == run_one(configs[1], LAB, 1)["outage_minutes"]
    # a sweep over timelines: one label per timeline
    sweep = run_experiment(configs[:1], {"1h": functools.partial(LAB, outage_hours=1), "2h": LAB},
                           seeds=range(2), executor=InlineExecutor(), progress=False)
    assert list(sweep["timeline"]) == ["1h", "1h", "2h", "2h"]


def test_run_experiment_refuses_bad_inputs_before_running() -> None:
    with pytest.raises(ValueError, match="unique"):
        run_experiment([BASELINES[0], BASELINES[0]], LAB, executor=InlineExecutor())
    with pytest.raises(TypeError, match="not a Timeline"):
        run_experiment(BASELINES[0], lambda seed: None, executor=InlineExecutor())
    with pytest.raises(ValueError, match="seeds"):
        run_experiment(BASELINES[0], LAB, seeds=[], executor=InlineExecutor())


def test_the_process_pool_gives_the_serial_numbers_and_reports_its_speed(capsys) -> None:
    configs = list(BASELINES[:4])
    start = time.perf_counter()
    pooled = run_experiment(configs, LAB, seeds=range(50), progress=False)  # the default: a process pool
    elapsed = time.perf_counter() - start
    serial = run_experiment(configs, LAB, seeds=range(50), executor=InlineExecutor(), progress=False)
    assert len(pooled) == 200 and pooled.equals(serial)
    with capsys.disabled():
        print(f"\n[experiments] 200 runs of a one-day outage experiment on the process pool: {elapsed:.2f} s")


def test_a_dask_local_cluster_gives_the_same_numbers() -> None:
    distributed = pytest.importorskip("distributed")
    configs = list(BASELINES[:3])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = run_experiment(configs, LAB, seeds=range(6), executor=client.get_executor(), progress=False)
    serial = run_experiment(configs, LAB, seeds=range(6), executor=InlineExecutor(), progress=False)
    assert remote.equals(serial)


def test_progress_bar_counts_the_runs(monkeypatch) -> None:
    tqdm_auto = pytest.importorskip("tqdm.auto")
    seen = []

    class Bar:
        def __init__(self, total, **kwargs) -> None:
            seen.append(("total", total))

        def update(self, n) -> None:
            seen.append(("update", n))

        def close(self) -> None:
            seen.append(("close", None))

    monkeypatch.setattr(tqdm_auto, "tqdm", Bar)
    run_experiment(BASELINES[:2], LAB, seeds=range(3), executor=InlineExecutor(), batch_size=2)
    assert seen[0] == ("total", 6) and seen[-1] == ("close", None)
    assert sum(n for what, n in seen if what == "update") == 6
    seen.clear()
    run_experiment(BASELINES[:1], LAB, seeds=range(2), executor=InlineExecutor(), progress=False)
    assert seen == []


def test_experiments_import_nothing_heavy_and_the_core_does_not_import_them() -> None:
    code = ("import sys, imagesim; assert 'imagesim.experiments' not in sys.modules; "
            "import imagesim.experiments, imagesim.views; "
            "heavy = [m for m in ('pandas', 'tqdm', 'matplotlib', 'distributed') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


# -------------------------------------------------------------------------------------------
# plots


def test_plots_are_figures_and_deterministic() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from imagesim.views.experiments import plot_experiment, plot_metric

    frame = run_experiment(BASELINES, LAB, seeds=range(8), executor=InlineExecutor(), progress=False)

    def png(fig: Figure) -> bytes:
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()

    fig = plot_experiment(frame)
    assert isinstance(fig, Figure) and len([ax for ax in fig.axes if ax.get_visible()]) == 6
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [c.name for c in BASELINES]
    assert png(fig) == png(plot_experiment(frame))
    single = plot_metric(frame, "recovered")
    assert isinstance(single, Figure) and png(single) == png(plot_metric(frame, "recovered"))
    with pytest.raises(KeyError, match="no column"):
        plot_metric(frame, "uptime")


def test_a_process_pool_asks_for_a_picklable_timeline_factory() -> None:
    with pytest.raises(TypeError, match="picklable timeline factory"):
        run_experiment(BASELINES[0], lambda seed: LAB(seed), seeds=range(2), progress=False)
    frame = run_experiment(BASELINES[0], lambda seed: LAB(seed), seeds=range(2), executor=InlineExecutor(),
                           progress=False)
    assert len(frame) == 2
