"""The followers of a stream tag that run pods, rolled out together (``imagesim.pod_followers``).

When every DeploymentConfig following a tag runs pods and is in step with the tag, a change of
the tag is kept as one fact for all of them (its pods placed, pulled and named as the one-by-one
path does it), and what it did is written out when something reads it. Every test plays the
same steps in two worlds, one of them with ``quiet_rollouts = False`` (every rollout made at
once, one DeploymentConfig at a time), and asks both the same questions: the answers must be
equal byte for byte. (The clock's count of queued calls is not asked: a change queues one call
where the one-by-one path queues one per RC.)
"""

from __future__ import annotations

import copy
import random

import pytest
from test_followers import both as play_both
from test_followers import rc_manifest, reference_workload_alike
from test_followers import stepping
from test_quiet_rollouts import answers as quiet_answers

from benchmarks import workload
from imagesim import Simulation
from imagesim.pod_followers import PodChange, PodFollowers, fill, levels, node_at, placed

NS = workload.NAMESPACE


def world(quiet: bool, seed: int = 3, n: int = 4, m: int = 9, days: float = 2, gap: float = 0.3,
          replicas: int = 2, policy: str | None = None) -> Simulation:
    built = workload.build(workload.plan(n, m, days, gap, seed=seed), replicas)
    sim = built.sim
    sim.cluster.quiet_rollouts = quiet
    if policy is not None:
        for w in sim.cluster.workloads.values():
            for container in w.template.containers:
                container.pull_policy = policy
        for rs in sim.cluster.replicasets.values():
            for container in rs.template.containers:
                container.pull_policy = policy
        for pod in sim.cluster.pods.values():
            for run in pod.containers:
                run.pull_policy = policy
    return sim


def kubelet_state(sim: Simulation) -> list:
    """What a change does at once: the nodes' pod counts and caches, the pulls and requests."""
    kubelet = sim.cluster.kubelet
    return [sorted(kubelet.load.items()), sorted((n, sorted(c.items())) for n, c in kubelet.nodes.items()),
            kubelet.pulls, sorted((h, r.requests) for h, r in sim.registries.items())]


def answers(sim: Simulation) -> list:
    state = kubelet_state(sim)  # (before reading: it must not need the objects)
    out = quiet_answers(sim)[:-1]  # (all but the count of queued calls)
    out += [sim.oc(f"describe pods -n {NS}").stdout, sim.oc("describe nodes").stdout, state,
            kubelet_state(sim)]
    return out


def crews(sim: Simulation) -> list[PodFollowers]:
    return [f for f in sim.cluster._followers.values() if type(f) is PodFollowers]  # noqa: SLF001


def both(steps, **shape) -> tuple[Simulation, Simulation]:
    """Play ``steps`` in a world with pod followers and in one without (see test_followers.both)."""
    return play_both(steps, make=world, **shape)


def advance(duration: str):
    return lambda sim: sim.advance(duration)


def oc(command: str):
    def run(sim: Simulation) -> None:
        result = sim.oc(f"{command} -n {NS}")
        assert result.exit_code == 0, result.stderr

    return run


# placement in closed form -------------------------------------------------------------------

def test_filling_the_nodes_is_placing_pods_one_at_a_time() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        count = rng.randint(1, 5)
        loads = tuple(rng.randint(0, 8) for _ in range(count))
        total = rng.randint(0, 40)
        current, placed = list(loads), []
        for _ in range(total):  # (Kubelet.place: the least loaded node, the first by name among equals)
            node = min(range(count), key=lambda i: (current[i], i))
            current[node] += 1
            placed.append(node)
        rounds = levels(loads)
        added, first = fill(rounds, count, total)
        assert added == [c - b for c, b in zip(current, loads)]
        assert first == [placed.index(i) if i in placed else -1 for i in range(count)]
        assert [node_at(rounds, k) for k in range(total)] == placed


def test_where_a_change_puts_its_pods_depends_on_the_differences_of_the_loads_only() -> None:
    """``placed`` answers once per shape of the loads: loads raised alike, and the same loads
    asked again, give what placing the pods one at a time gives."""
    rng = random.Random(8)
    for _ in range(2000):
        count, replicas, members = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 5)
        loads = tuple(rng.randint(0, 6) for _ in range(count))
        held = tuple(rng.random() < 0.5 for _ in range(count))
        raised = tuple(load + 500 for load in loads)
        current, order = list(loads), []
        for _ in range(members * replicas):
            node = min(range(count), key=lambda i: (current[i], i))
            current[node] += 1
            order.append(node)
        first = [order.index(i) if i in order else -1 for i in range(count)]
        late = sorted(k for i, k in enumerate(first) if k >= 0 and not held[i])
        slow = sorted({k // replicas for k in late})
        for shape in (loads, raised, loads):
            rounds, added, got_late, got_slow, completions = placed(shape, members, replicas, held)
            assert list(added) == [c - b for c, b in zip(current, loads)]
            assert list(got_late) == late and list(got_slow) == slow
            assert completions == (len(slow) < members) + (len(slow) > 0)
            assert [node_at(rounds, k) for k in range(members * replicas)] == order


# a change as one fact ---------------------------------------------------------------------------

def test_a_change_of_a_tag_is_one_fact_for_all_its_followers_that_run_pods() -> None:
    sim = world(True, n=3, m=12, days=4, gap=0.25)
    eager = world(False, n=3, m=12, days=4, gap=0.25)
    sim.advance("4d")
    eager.advance("4d")
    cluster = sim.cluster
    kept = [change for f in crews(sim) for change in f.changes]
    assert kept and all(type(change) is PodChange for change in kept)
    assert sum(len(f.members) for f in crews(sim)) == 12
    # what couples the changes to the world happened at once, and their objects were not made
    assert kubelet_state(sim) == kubelet_state(eager)
    assert len(cluster._rs) < len(eager.cluster._rs)  # noqa: SLF001
    assert len(cluster._pods) < len(eager.cluster._pods)  # noqa: SLF001
    assert cluster._owed  # noqa: SLF001 - (no pod's name was needed yet)
    # the log counts every event and reads them back one by one
    count = len(sim.log)
    assert count == len(eager.log)
    assert [(e.time, e.kind, e.subject, e.digest, e.reason, e.message) for e in sim.log] == \
        [(e.time, e.kind, e.subject, e.digest, e.reason, e.message) for e in eager.log]
    assert answers(sim) == answers(eager)
    assert not crews(sim)  # (reading wrote them out)


@pytest.mark.parametrize("policy", [None, "IfNotPresent"])
@pytest.mark.parametrize("seed", [0, 3])
def test_a_run_reads_alike(seed: int, policy: str | None) -> None:
    quiet, eager = both([advance("3d")], seed=seed, n=4, m=14, days=3, gap=0.2, policy=policy)
    assert answers(quiet) == answers(eager)


@pytest.mark.parametrize("every", [1, 4])
def test_stepping_one_action_at_a_time_and_reading_between(every: int) -> None:
    """Reading between a change and its evaluations writes it out mid-way: the queued calls
    then finish each member's rollout on the objects."""
    quiet, eager = both([stepping(every, "get pods")], n=3, m=8, days=1, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_reading_at_each_moment_of_a_change() -> None:
    """Read at every second around each change of a tag: before and after its evaluations, its
    completions and the removal of the old pods."""
    def around_changes(sim):
        for t in range(900, 86400, 900):  # (the scheduled checks)
            for offset in (0, 1, 2, 3, 6, 7, 31, 32, 36, 37):
                sim.clock.run(t + offset)
                if random.Random(t + offset).random() < 0.3:
                    sim.oc(f"get rc -n {NS}")
        sim.advance("1d")

    quiet, eager = both([around_changes], n=2, m=6, days=2, gap=0.05)
    assert answers(quiet) == answers(eager)


STEPS = [
    advance("6h"),
    oc("scale dc/dc-1 --replicas=3"),
    advance("2h"),
    oc("rollout latest dc/dc-2"),
    advance("3h"),
    oc("scale dc/dc-1 --replicas=2"),
    advance("5h"),
    oc("rollout undo dc/dc-3"),
    advance("1h"),
    oc("delete dc/dc-4"),
    advance("4h"),
    oc("set triggers dc/dc-5 --manual"),
    advance("6h"),
    oc("rollout cancel dc/dc-6"),
    advance("30m"),
    oc("scale dc/dc-7 --replicas=0"),
    advance("20h"),
]


@pytest.mark.parametrize("read_each_step", [False, True])
@pytest.mark.parametrize("seed", [0, 3])
def test_the_apps_commands_between_changes(seed: int, read_each_step: bool) -> None:
    def play(sim):
        seen = []
        for step in STEPS:
            step(sim)
            if read_each_step:
                seen.append(answers(sim))
        return seen

    seen = []
    for quiet in (True, False):
        sim = world(quiet, seed=seed, n=4, m=9, days=3, gap=0.2)
        seen.append((play(sim), answers(sim)))
    assert seen[0] == seen[1]


def test_a_broken_push_an_outage_and_a_cordoned_node() -> None:
    """What a change cannot be kept as goes one by one: a broken image, an upstream outage, a
    cordoned node; and the followers form again once the rollouts are over."""
    upstream = workload.plan(2, 1, 1, seed=0).upstream(0)
    host = upstream.split("/")[0]

    def broken(sim):
        sim.push(upstream, broken=True)

    def outage(sim):
        sim.outage(host, duration="40m")  # (from now: covers the next check, when the tag changes)

    steps = [advance("4h"), broken, advance("2h"), lambda s: s.push(upstream), advance("3h"),
             lambda s: s.push(upstream), outage, advance("2h"), oc("adm cordon worker-1"),
             lambda s: s.push(upstream), advance("2h"), oc("adm uncordon worker-1"),
             lambda s: s.push(upstream), advance("1d")]
    quiet, eager = both(steps, n=2, m=6, days=2, gap=0.5)
    assert answers(quiet) == answers(eager)


def test_pods_deleted_a_node_drained_and_a_dc_made_again() -> None:
    def recreate(sim):
        manifest = workload.dc_manifest(workload.plan(4, 9, 2, 0.3, seed=3), 0, 2)
        sim.apply(manifest)

    def delete_a_pod(sim):
        pods = sorted(name for (namespace, name), pod in sim.cluster.pods.items()
                      if not pod.deployer and pod.workload == "dc-1" and pod.deleted < 0)
        oc(f"delete pod/{pods[0]}")(sim)

    steps = [advance("10h"), delete_a_pod, advance("5h"), oc("delete dc/dc-0"), advance("10s"), recreate,
             advance("8h"), oc("adm drain worker-0"), advance("2h"), oc("adm uncordon worker-0"), advance("1d")]
    quiet, eager = both(steps, n=4, m=9, days=3, gap=0.2)
    assert answers(quiet) == answers(eager)


def test_names_owed_are_drawn_before_a_pod_made_one_by_one() -> None:
    """A pod made one by one after a change draws the names the change owes first: the names
    stay those the one-by-one path gives."""
    def deployment(sim):
        sim.apply({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "namespace": NS},
                   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "web", "image": "quay.io/x/web:1"}]}}}})

    def check_owed(sim):
        if sim.cluster.quiet_rollouts:
            assert sim.cluster._owed  # noqa: SLF001

    steps = [advance("12h"), check_owed, deployment, advance("12h"), oc("scale deployment/web --replicas=4"),
             advance("1d")]
    quiet, eager = both(steps, n=3, m=8, days=3, gap=0.2)
    assert answers(quiet) == answers(eager)


def test_a_standalone_rc_and_a_pod_from_a_manifest() -> None:
    """An RC or a pod made from a manifest could have the name a change would give: from then on
    a change checks the RC names, and pods go one by one."""
    def squat(sim):
        w = sim.cluster.workloads[("DeploymentConfig", NS, "dc-2")]
        followers = w.followers
        if followers is not None:  # the revision it rolls out next, found without writing out
            position = next(i for i, member in enumerate(followers.members) if member is w)
            revision = followers.revisions[position] + len(followers.changes) + 1
        else:
            revision = w.revision + 1
        name = f"dc-2-{revision}"
        sim.apply(rc_manifest(name))

    def pod(sim):
        sim.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "dc-3-9-bcdfg", "namespace": NS},
                   "spec": {"containers": [{"name": "c", "image": "quay.io/x/y:1"}]}})

    steps = [advance("6h"), squat, advance("1d"), pod, advance("1d")]
    quiet, eager = both(steps, n=3, m=8, days=3, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_a_copy_time_travel_and_saving(tmp_path) -> None:
    quiet, eager = both([advance("1d")], n=2, m=6, days=3, gap=0.1)
    assert any(f.changes for f in crews(quiet))
    twin = copy.deepcopy(quiet)
    assert sum(len(f.changes) for f in crews(twin)) == sum(len(f.changes) for f in crews(quiet)) > 0
    for t in (3600, 40000, 86399):
        assert answers(quiet.at(t)) == answers(eager.at(t))
    quiet.save(tmp_path / "lab.json")
    again = Simulation.load(tmp_path / "lab.json")
    for sim in (quiet, twin, again, eager):
        sim.advance("1d")
    assert answers(twin) == answers(again) == answers(quiet) == answers(eager)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reference_workload_with_pods_reads_alike(seed: int) -> None:
    """The benchmark's workload with pods: histories, rollouts and every object equal, and the
    changes kept as facts until read."""
    reference_workload_alike(seed, 2, lambda sim: crews(sim) and any(f.changes for f in crews(sim)), answers)


def _change_times(**shape) -> list[int]:
    """When the tags changed (rollouts after time 0), in a world rolled out one by one."""
    sim = world(False, **shape)
    sim.advance(f"{int(shape.get('days', 2))}d")
    return sorted({e.time for e in sim.log if e.kind == "rollout" and e.time > 0})


@pytest.mark.parametrize("offset", [0, 1, 2, 4, 6, 10, 31, 32, 34, 36, 40])
def test_a_world_read_for_the_first_time_while_its_third_change_rolls_out(offset: int) -> None:
    """Nothing read until the third change of the tags is under way: the changes kept before it
    are written out too, their old pods deleted or removed, and the current one's queued calls
    finish it."""
    shape = dict(n=2, m=6, days=2, gap=0.15)
    times = _change_times(**shape)
    assert len(times) >= 3
    until = times[2] + offset
    quiet, eager = both([lambda s: s.clock.run(until)], **shape)
    if offset < 32:
        assert any(len(f.changes) >= 2 for f in crews(quiet))
    assert answers(quiet) == answers(eager)
    for sim in (quiet, eager):
        sim.advance("1d")
    assert answers(quiet) == answers(eager)


def test_a_change_while_the_last_one_is_under_way_goes_one_by_one() -> None:
    """An import a second after a change moves the tag again before the rollouts completed."""
    upstream = workload.plan(1, 1, 1, seed=0).upstream(0)
    times = _change_times(n=1, m=4, days=1, gap=0.1)

    def twice(sim):
        sim.clock.run(times[1] + 1)
        sim.push(upstream)
        result = sim.oc(f"import-image app-0:latest -n {NS}")
        assert result.exit_code == 0, result.stderr
        sim.advance("2h")

    quiet, eager = both([twice], n=1, m=4, days=1, gap=0.1)
    assert answers(quiet) == answers(eager)
    assert any(rs.phase == "Failed" or rs.replicas == 0 for rs in eager.cluster.replicasets.values())


def test_names_taken_by_a_sibling_are_drawn_again() -> None:
    sim = world(True, n=1, m=3, days=1, gap=0.1)
    sim.advance("1d")
    change = next(c for f in crews(sim) for c in f.changes)
    letters = iter(["bbbbb", "bbbbb", "ccccc", "ddddd", "ddddd", "ddddd", "fffff", "ggggg", "hhhhh"] * 4)
    change.draw_names(lambda: next(letters))
    per_member = [change.names[i:i + 2] for i in range(0, len(change.names), 2)]
    assert [[name.rsplit("-", 1)[1] for name in pair] for pair in per_member][:3] == \
        [["bbbbb", "ccccc"], ["ddddd", "fffff"], ["ggggg", "hhhhh"]]


def test_a_deployment_following_the_same_tag_sends_its_changes_one_by_one() -> None:
    """A Deployment with an image trigger on a tag the DeploymentConfigs follow: the tag's
    watchers are not all alike, so its changes go one by one, and the other tags' are kept."""
    def deployment(sim):
        trigger = '[{"from":{"kind":"ImageStreamTag","name":"app-0:latest"},' \
                  '"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'
        sim.apply({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "namespace": NS,
                                "annotations": {"image.openshift.io/triggers": trigger}},
                   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "web", "image": "app-0:latest"}]}}}})

    quiet, eager = both([advance("8h"), deployment, advance("2d")], n=3, m=8, days=3, gap=0.1)
    kept = crews(quiet)
    assert kept and not any(f.key[1] == "app-0" for f in kept)
    assert answers(quiet) == answers(eager)
