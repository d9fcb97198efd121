"""The followers of a stream tag rolled out together (``imagesim.quiet.Followers``).

When every DeploymentConfig following a tag runs no pods and is in step with the tag, a change of
the tag is kept as one fact for all of them, and what it did to each is written out when one is
first read or changed. Every test here plays the same steps in two worlds, one of them with
``quiet_rollouts = False`` (every rollout made at once, one DeploymentConfig at a time), and asks
both the same questions: the answers must be equal byte for byte.
"""

from __future__ import annotations

import copy

import pytest
from test_quiet_rollouts import NS, answers, world

from benchmarks import workload
from imagesim import Simulation
from imagesim.quiet import Change, Followers


def _dc(sim: Simulation, name: str):
    return sim.cluster.workloads[("DeploymentConfig", NS, name)]


def _changes(sim: Simulation) -> int:
    """The changes the followers of every tag keep now (nothing read)."""
    return sum(len(f.changes) for f in sim.cluster._followers.values())  # noqa: SLF001


def rc_manifest(name: str) -> dict:
    """A ReplicationController of no DeploymentConfig, named ``name`` (one a rollout could want)."""
    return {"apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": name, "namespace": NS},
            "spec": {"replicas": 0, "selector": {"app": name},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": "quay.io/x/y:1"}]}}}}


def both(steps, make=world, **shape) -> tuple[Simulation, Simulation]:
    """Play ``steps`` (functions of a simulation) in a world with followers and in one without
    (``make(quiet, **shape)`` makes each)."""
    worlds = []
    for quiet in (True, False):
        sim = make(quiet, **shape)
        for step in steps:
            step(sim)
        worlds.append(sim)
    return worlds[0], worlds[1]


def test_a_change_of_a_tag_is_one_fact_for_all_its_followers() -> None:
    built = workload.build(workload.plan(3, 12, 4, 0.25, seed=2))
    sim = built.sim
    sim.advance("4d")
    cluster = sim.cluster
    followers = cluster._followers  # noqa: SLF001
    assert followers, "every DC follows a tag in step: the tags keep them as followers"
    kept = [change for f in followers.values() for change in f.changes]
    assert kept and all(type(change) is Change for change in kept)
    members = {w.key for f in followers.values() for w in f.members}
    assert len(members) == 12
    # no rollout of a member was made one by one during the run
    assert not any(cluster._quiet.get(key) and cluster._quiet[key][-1].time > 0 for key in members)  # noqa: SLF001
    # the log counts every member's events, and reads them back one by one
    count = len(sim.log)
    events = list(sim.log)
    assert len(events) == count == len(sim.log)
    per_dc = [e for e in events if e.kind == "rollout" and e.time > 0]
    assert len(per_dc) == sum(len(f.members) * len(f.changes) for f in followers.values())
    # reading a member writes its followers out, and the others' too
    w = _dc(sim, "dc-0")
    revision = w.revision
    assert w.followers is None and revision > 1
    assert not any(w.key in {m.key for m in f.members} for f in followers.values())


def test_a_workload_held_across_a_run_reads_what_the_run_did() -> None:
    held = {}

    def hold(sim):
        held[sim.cluster.quiet_rollouts] = _dc(sim, "dc-1")

    quiet, eager = both([hold, lambda s: s.advance("2d")], n=2, m=6, days=2, gap=0.2)
    q, e = held[True], held[False]
    assert (q.revision, q.generation, q.history, q.conditions) == (e.revision, e.generation, e.history, e.conditions)
    assert q.template == e.template and q.triggers == e.triggers
    assert answers(quiet) == answers(eager)


def stepping(every: int, command: str, until: int = 86400):
    """A step that runs the clock one action at a time to ``until``, running ``oc command`` after
    every ``every`` actions."""
    def step_and_read(sim):
        clock = sim.clock
        count = 0
        while clock.peek() is not None and clock.peek() <= until:
            clock.step()
            count += 1
            if count % every == 0:
                sim.oc(f"{command} -n {NS}")
        clock.run(until)

    return step_and_read


@pytest.mark.parametrize("every", [1, 3])
def test_stepping_one_action_at_a_time_and_reading_between(every: int) -> None:
    """Reading between the trigger pass and the evaluation writes a pending change out: its
    evaluation finishes each member's rollout."""
    quiet, eager = both([stepping(every, "get dc")], n=3, m=8, days=1, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_a_change_superseded_in_the_same_second_is_cancelled() -> None:
    """The tag changes twice before the first change's rollouts are evaluated."""
    def twice(sim):
        clock = sim.clock
        sim.advance("10h")
        sim.push("quay.io/team/other:1")
        # step until a trigger pass has rolled the followers out, then move the tag again
        while True:
            due = clock.peek()
            assert due is not None and due < 86400
            clock.step()
            if sim.log[len(sim.log) - 1].kind == "rollout":  # (reading the log writes nothing out)
                break
        result = sim.oc(f"tag quay.io/team/other:1 app-0:latest -n {NS}")
        assert result.exit_code == 0, result.stderr
        sim.advance("1h")

    quiet, eager = both([twice], seed=1, n=1, m=4, days=1, gap=0.02)
    assert answers(quiet) == answers(eager)
    phases = sorted((rs.name, rs.phase) for rs in eager.cluster.replicasets.values())
    assert any(phase == "Failed" for _, phase in phases)


def test_a_copy_of_a_world_with_followers_goes_on_alike() -> None:
    quiet, eager = both([lambda s: s.advance("1d")], n=2, m=6, days=3, gap=0.2)
    assert _changes(quiet) > 0
    twin = copy.deepcopy(quiet)
    assert _changes(quiet) == _changes(twin) > 0  # (copying wrote nothing out)
    for sim in (quiet, twin, eager):
        sim.advance("2d")
    assert answers(twin) == answers(eager) == answers(quiet)


def test_a_new_follower_a_deleted_one_and_one_scaled() -> None:
    def create(sim):
        sim.apply({
            "apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "late", "namespace": NS},
            "spec": {"replicas": 0, "selector": {"app": "late"},
                     "triggers": [{"type": "ConfigChange"}, {"type": "ImageChange", "imageChangeParams": {
                         "automatic": True, "containerNames": ["app"],
                         "from": {"kind": "ImageStreamTag", "name": "app-0:latest"}}}],
                     "template": {"metadata": {"labels": {"app": "late"}},
                                  "spec": {"containers": [{"name": "app", "image": "app-0:latest"}]}}}})

    steps = [lambda s: s.advance("12h"), create, lambda s: s.advance("12h"),
             lambda s: s.oc(f"delete dc/dc-0 -n {NS}"), lambda s: s.advance("12h"),
             lambda s: s.oc(f"scale dc/dc-1 --replicas=1 -n {NS}"), lambda s: s.advance("12h"),
             lambda s: s.oc(f"scale dc/dc-1 --replicas=0 -n {NS}"), lambda s: s.advance("1d")]
    quiet, eager = both(steps, n=1, m=5, days=3, gap=0.1)
    assert answers(quiet) == answers(eager)


def _next_revision(sim: Simulation, name: str) -> int:
    """The revision the DC's next rollout gets, found without writing its followers out."""
    w = _dc(sim, name)
    followers = w.followers
    if followers is None:
        return w.revision + 1
    position = next(i for i, member in enumerate(followers.members) if member is w)
    return followers.revisions[position] + len(followers.changes) + 1


@pytest.mark.parametrize("read_first", [False, True])
def test_an_object_with_the_name_of_a_members_next_rc(read_first: bool) -> None:
    """A standalone RC named as a follower's next one: that member's rollout is a full one."""
    def squat(sim):
        revision = _next_revision(sim, "dc-2") - 1
        if read_first:
            assert _dc(sim, "dc-2").revision == revision
        for extra in (1, 2):
            name = f"dc-2-{revision + extra}"
            sim.apply(rc_manifest(name))

    steps = [lambda s: s.advance("6h"), squat, lambda s: s.advance("2d")]
    quiet, eager = both(steps, n=1, m=4, days=3, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_local_reference_policy_and_a_paused_member() -> None:
    steps = [lambda s: s.advance("8h"),
             lambda s: s.oc(f"tag --source=docker --scheduled --reference-policy=local "
                            f"{workload.plan(2, 1, 1, seed=0).upstream(0)} app-0:latest -n {NS}"),
             lambda s: s.advance("1d"),
             lambda s: s.oc(f"rollout pause dc/dc-3 -n {NS}"), lambda s: s.advance("1d"),
             lambda s: s.oc(f"rollout resume dc/dc-3 -n {NS}"), lambda s: s.advance("1d")]
    quiet, eager = both(steps, n=2, m=6, days=4, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_time_travel_and_saving_a_world_with_followers(tmp_path) -> None:
    quiet, eager = both([lambda s: s.advance("2d")], n=2, m=6, days=3, gap=0.2)
    assert _changes(quiet) > 0
    for t in (3600, 86400, 2 * 86400 - 1):
        assert answers(quiet.at(t)) == answers(eager.at(t))
    quiet.save(tmp_path / "lab.json")
    again = Simulation.load(tmp_path / "lab.json")
    again.advance("1d")
    eager.advance("1d")
    assert answers(again) == answers(eager)


def test_followers_in_two_namespaces_go_one_by_one() -> None:
    def other_namespace(sim):
        sim.oc("new-project other")
        sim.apply({
            "apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "far", "namespace": "other"},
            "spec": {"replicas": 0, "selector": {"app": "far"},
                     "triggers": [{"type": "ImageChange", "imageChangeParams": {
                         "automatic": True, "containerNames": ["app"],
                         "from": {"kind": "ImageStreamTag", "name": "app-0:latest", "namespace": NS}}}],
                     "template": {"metadata": {"labels": {"app": "far"}},
                                  "spec": {"containers": [{"name": "app", "image": "x"}]}}}})

    quiet, eager = both([other_namespace, lambda s: s.advance("2d")], n=1, m=3, days=2, gap=0.2)
    assert not any(f.key[1] == "app-0" and f.changes for f in quiet.cluster._followers.values())  # noqa: SLF001
    assert answers(quiet) == answers(eager)
    assert answers(quiet)[-5] == answers(eager)[-5]


def reference_workload_alike(seed: int, replicas: int, formed, read=answers) -> None:
    """A small reference workload (the benchmark's), built and run with followers and one by one:
    histories, rollouts and everything ``read`` asks equal; ``formed(sim)`` holds in the world
    with followers before anything was read."""
    plan = workload.plan(6, 40, 6, 0.5, seed=seed)
    seen = []
    for quiet in (True, False):
        built = workload.build(plan, replicas)
        built.sim.cluster.quiet_rollouts = quiet
        workload.run(built)
        if quiet:
            assert formed(built.sim)
        seen.append((workload.results(built), read(built.sim)))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reference_workload_reads_alike(seed: int) -> None:
    """A small reference workload: histories, rollouts, every RC, pod and event equal, and the
    followers formed before anything was read."""
    reference_workload_alike(
        seed, 0, lambda sim: isinstance(next(iter(sim.cluster._followers.values())), Followers))  # noqa: SLF001


def test_the_tag_deleted_and_then_its_stream() -> None:
    steps = [lambda s: s.advance("10h"), lambda s: s.oc(f"tag -d app-0:latest -n {NS}"),
             lambda s: s.advance("10h"), lambda s: s.oc(f"delete is/app-0 -n {NS}"),
             lambda s: s.advance("1d")]
    quiet, eager = both(steps, n=2, m=6, days=3, gap=0.1)
    assert answers(quiet) == answers(eager)


def test_members_compare_and_print_like_workloads_rolled_out_one_by_one() -> None:
    quiet, eager = both([lambda s: s.advance("2d")], n=2, m=6, days=2, gap=0.2)
    keys = sorted(quiet.cluster.workloads)
    members = [quiet.cluster.workloads[k] for k in keys]
    assert any(type(w).__name__ == "Following" for w in members)
    assert members[0] == copy.deepcopy(members[0])  # (a copy keeps the followers: both written out)
    assert [repr(w) for w in members] == [repr(eager.cluster.workloads[k]) for k in keys]
    assert all(type(w).__name__ == "Workload" for w in members)
