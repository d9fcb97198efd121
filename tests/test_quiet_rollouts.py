"""DeploymentConfig rollouts that run no pods are kept as facts until something reads them.

Every test runs the same steps twice, once with quiet rollouts (the default) and once with
``quiet_rollouts = False`` (every RC and deployer pod made at once), and asks both worlds the same
questions: the answers must be equal byte for byte, whether the questions come after every step
or only at the end.
"""

from __future__ import annotations

import pytest

from benchmarks import workload
from imagesim import Simulation

NS = workload.NAMESPACE

READS = (
    "get rc -o yaml",
    "get pods -o wide",
    "get pods -o yaml",
    "get dc -o yaml",
    "get events",
    "describe dc",
    "get all",
)


def answers(sim: Simulation) -> list[str]:
    out = [sim.oc(f"{line} -n {NS}").stdout for line in READS]
    for name in sorted(w.name for w in sim.cluster.workloads.values()):
        out.append(sim.oc(f"rollout history dc/{name} -n {NS}").stdout)
    out.append(repr([(e.time, e.kind, e.subject, e.message) for e in sim.log]))
    out.append(repr(sorted((rs.name, rs.phase, rs.cause, rs.replicas, rs.deadline) for rs in sim.cluster.replicasets.values())))
    out.append(repr(list(sim.cluster.replicasets)))  # the order objects were made in
    out.append(repr(sorted(sim.cluster.pods)))  # (deployer pods of quiet rollouts come last)
    out.append(repr([name for name, pod in sim.cluster.pods.items() if not pod.deployer]))
    out.append(str(sim.clock.pending()))
    return out


def world(quiet: bool, seed: int = 3, n: int = 4, m: int = 9, days: float = 2, gap: float = 0.3) -> Simulation:
    built = workload.build(workload.plan(n, m, days, gap, seed=seed))
    built.sim.cluster.quiet_rollouts = quiet
    return built.sim


STEPS = [
    ("run", "6h"),
    ("oc", "scale dc/dc-1 --replicas=1"),
    ("run", "2h"),
    ("oc", "rollout latest dc/dc-2"),
    ("run", "3h"),
    ("oc", "scale dc/dc-1 --replicas=0"),
    ("run", "5h"),
    ("oc", "rollout undo dc/dc-3"),
    ("run", "1h"),
    ("oc", "delete dc/dc-4"),
    ("run", "4h"),
    ("oc", "set triggers dc/dc-5 --manual"),
    ("run", "6h"),
    ("oc", "rollout cancel dc/dc-6"),
    ("run", "30m"),
    ("oc", "scale dc/dc-7 --replicas=2"),
    ("run", "20h"),
]


def play(sim: Simulation, read_each_step: bool) -> list:
    seen = []
    for op, arg in STEPS:
        if op == "run":
            sim.advance(arg)
        else:
            result = sim.oc(f"{arg} -n {NS}")
            seen.append((result.stdout, result.stderr, result.exit_code))
        if read_each_step:
            seen.append(answers(sim))
    seen.append(answers(sim))
    return seen


@pytest.mark.parametrize("read_each_step", [False, True])
@pytest.mark.parametrize("seed", [0, 3])
def test_quiet_rollouts_look_like_the_objects_they_stand_for(seed: int, read_each_step: bool) -> None:
    quiet, eager = world(True, seed), world(False, seed)
    assert play(quiet, read_each_step) == play(eager, read_each_step)


def test_untouched_quiet_rollouts_make_no_objects() -> None:
    sim = world(True, n=3, m=6, days=3, gap=0.2)
    sim.advance("3d")
    cluster = sim.cluster
    revisions = sum(w.revision for w in cluster.workloads.values())
    assert revisions > 6  # the pushes rolled them out again
    assert sum(len(rollouts) for rollouts in cluster._quiet.values()) == revisions  # noqa: SLF001
    assert not cluster._rs  # noqa: SLF001 - no RC made, and no place kept for one
    # a rollout that only changed the image keeps the image, not a template of its own
    kept = [rollout.template for rollouts in cluster._quiet.values() for rollout in rollouts]  # noqa: SLF001
    assert sum(type(t) is str for t in kept) == revisions - len(cluster.workloads)
    images = sim.server.images  # (the digest kept is the cluster image's own string)
    assert all(images[t].digest is t for t in kept if type(t) is str)
    assert len(cluster.replicasets) == revisions  # asking makes them
    assert not cluster._quiet  # noqa: SLF001
    assert all(rs.phase == "Complete" for rs in cluster.replicasets.values())


def test_a_dc_with_two_image_triggers_changing_in_the_same_second() -> None:
    def build(quiet: bool) -> Simulation:
        sim = Simulation(seed=1)
        sim.cluster.quiet_rollouts = quiet
        for name in ("a", "b"):
            sim.push(f"quay.io/team/{name}:latest")
        sim.apply([{
            "apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": name, "namespace": NS},
            "spec": {"tags": [{"name": "latest", "from": {"kind": "DockerImage", "name": f"quay.io/team/{name}:latest"},
                               "importPolicy": {"scheduled": True}}]},
        } for name in ("a", "b")])
        triggers = [{"type": "ImageChange", "imageChangeParams": {
            "automatic": True, "containerNames": [c], "from": {"kind": "ImageStreamTag", "name": f"{c}:latest"}}}
            for c in ("a", "b")]
        sim.apply({
            "apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "two", "namespace": NS},
            "spec": {"replicas": 0, "selector": {"app": "two"}, "triggers": triggers,
                     "template": {"metadata": {"labels": {"app": "two"}}, "spec": {"containers": [
                         {"name": c, "image": f"{c}:latest"} for c in ("a", "b")]}}},
        })
        sim.push("quay.io/team/a:latest", at="10m")
        sim.push("quay.io/team/b:latest", at="10m")
        sim.advance("1h")
        return sim

    quiet, eager = build(True), build(False)
    assert answers(quiet) == answers(eager)
    # both tags were imported by the same check: one rollout for both images
    phases = [(rs.revision, rs.phase) for rs in sorted(eager.cluster.replicasets.values(), key=lambda r: r.revision)]
    assert phases == [(1, "Complete"), (2, "Complete")]


@pytest.mark.parametrize("read_between", [False, True])
def test_a_rollout_superseded_before_its_evaluation_is_cancelled_in_both_worlds(read_between: bool) -> None:
    def build(quiet: bool) -> Simulation:
        sim = world(quiet, seed=5, n=2, m=3, days=1, gap=None)
        sim.advance("1h")
        w = sim.cluster.workloads[("DeploymentConfig", NS, "dc-0")]
        sim.cluster.rollout(w, "config change", quiet=True)  # the controller, twice before evaluating
        if read_between:
            sim.cluster.replicasets  # noqa: B018 - reading makes the objects of the first one
        sim.cluster.rollout(w, "image change", quiet=True)
        sim.advance("1m")
        return sim

    quiet, eager = build(True), build(False)
    assert answers(quiet) == answers(eager)
    rcs = sorted(eager.cluster.replicasets.values(), key=lambda r: (r.owner, r.revision))
    assert [(rs.name, rs.phase, rs.cause) for rs in rcs if rs.owner == "dc-0"] == [
        ("dc-0-1", "Complete", "config change"), ("dc-0-2", "Failed", "config change"),
        ("dc-0-3", "Complete", "image change")]


def _quiet_step(sim: Simulation, step: tuple) -> str:
    """Steps that make quiet rollouts: a DeploymentConfig with no replicas following a stream tag
    of the world, scaling one to nothing (or back), a rollout asked for by hand."""
    kind, index = step[0], step[1]
    streams = sorted((s.namespace, s.name, tag) for s in sim.server.streams() for tag in sorted(s.status)
                     if s.head(tag) is not None)
    dcs = sorted(k for k in sim.cluster.workloads if k[0] == "DeploymentConfig")
    if kind == "dc0" and streams:
        namespace, stream, tag = streams[index % len(streams)]
        name = f"quiet-{index % 7}"
        trigger = {"type": "ImageChange", "imageChangeParams": {
            "automatic": True, "containerNames": ["app"],
            "from": {"kind": "ImageStreamTag", "name": f"{stream}:{tag}", "namespace": namespace}}}
        try:
            return repr(sim.apply({
                "apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
                "metadata": {"name": name, "namespace": namespace},
                "spec": {"replicas": 0, "selector": {"app": name},
                         "triggers": [{"type": "ConfigChange"}, trigger],
                         "template": {"metadata": {"labels": {"app": name}},
                                      "spec": {"containers": [{"name": "app", "image": f"{stream}:{tag}"}]}}},
            }))
        except Exception as err:  # noqa: BLE001 - refused alike in both worlds
            return f"raised {type(err).__name__}: {err}"
    if dcs:
        _, namespace, name = dcs[index % len(dcs)]
        line = {"scale0": f"scale dc/{name} --replicas=0", "scale1": f"scale dc/{name} --replicas=1",
                "latest": f"rollout latest dc/{name}", "undo": f"rollout undo dc/{name}"}[kind]
        result = sim.oc(f"{line} -n {namespace}")
        return f"{line}\n{result.exit_code}\n{result.stdout}{result.stderr}"
    return "nothing to do"


def test_random_steps_look_the_same_with_and_without_quiet_rollouts(long_run, monkeypatch) -> None:
    """Random sequences of oc commands, pushes, outages, advances and manifests (the steps of
    tests/test_properties.py) on two copies of a world, one making every RC at once."""
    from hypothesis import given
    from hypothesis import strategies as st
    from test_properties import STEPS, WORLD, examples, run_step
    from test_fuzz import WORLDS

    from imagesim.cluster import Cluster

    reads = ("get all -A", "get rc -A -o yaml", "get pods -A -o wide", "get events -A", "describe dc -A",
             "get dc -A -o json")

    def play_world(world: tuple, steps: list, quiet: bool) -> list[str]:
        monkeypatch.setattr(Cluster, "quiet_rollouts", quiet)
        sim = WORLDS[world[0]](seed=world[1])
        seen = []
        for i, step in enumerate(steps):
            if step[0] in ("dc0", "scale0", "scale1", "latest", "undo"):
                seen.append(_quiet_step(sim, step))
            else:
                what, out, _ = run_step(sim, step)
                seen.append(f"{what}\n{out}")
            if i % 3 == 2:  # read now and then: reading makes the objects, later steps go on from them
                seen += [sim.oc(line).stdout for line in reads[:2]]
        seen += [sim.oc(line).stdout for line in reads]
        seen.append(repr([(e.time, e.kind, e.subject, e.message, e.warning) for e in sim.log]))
        return seen

    quiet_steps = st.tuples(st.sampled_from(("dc0", "dc0", "scale0", "scale1", "latest", "undo")),
                            st.integers(0, 50))
    mixed = st.one_of(STEPS, quiet_steps, quiet_steps,
                      st.tuples(st.just("advance"), st.sampled_from(("15m", "1h", "1d"))))

    @examples(long_run, short=40, long=800)
    @given(world=WORLD, steps=st.lists(mixed, min_size=1, max_size=20))
    def check(world, steps):
        assert play_world(world, steps, True) == play_world(world, steps, False)

    check()

