"""Property-based tests: random sequences of oc commands, pushes, outages and clock advances.

Hypothesis draws a world and a sequence of steps (``oc`` command lines from the grammar in
tests/test_fuzz.py, valid and slightly wrong; upstream pushes and deleted tags; registry outages;
clock advances; manifests applied) and the invariants are checked after every step:

* history items are only removed by ``oc tag -d``, ``oc delete`` or pruning (the head item may be
  updated in place, as the API server does, but keeps its creation time; older items never change);
* ``metadata.generation`` and ``resourceVersion`` of a stream or a workload never go backwards;
* every running container's image digest exists in a registry or in its node's image cache;
* the event log only grows;
* a refused command (non-zero exit code and nothing on stdout, or an ``imagesim`` exception from
  the Python API) changes nothing at all;
* the same seed and steps give byte-identical output, the journal replays to the same state, and
  ``sim.at(t)`` shows what the simulation showed at ``t``.

The default run draws a few dozen sequences (seconds); ``pytest --long`` (or ``IMAGESIM_LONG=1``)
draws thousands.
"""

from __future__ import annotations

import json
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import TEMPLATES, WORLDS, CommandGen, known_bug, known_manifest_bug, manifests, mutate

from imagesim.errors import ImageSimError, OcUsageError
from imagesim.journal import replay
from imagesim.oc.flags import GLOBAL_FLAGS, parse, split_line
from imagesim.oc.tagging import TAG_FLAGS
from imagesim.saving import state_of

PUSHABLE = (
    "docker.io/centos/mongodb-32-centos7:latest", "docker.io/centos/ruby-23-centos7:latest",
    "quay.io/acme/app:1.0", "quay.io/acme/app:2.0", "docker.io/library/nginx:1.25",
    "registry.access.redhat.com/ubi8/ubi:latest", "docker.io/sclorg/lighttpd:latest",
    "image-registry.openshift-image-registry.svc:5000/myproject/lighttpd:latest",
)
HOSTS = ("docker.io", "quay.io", "registry.access.redhat.com",
         "image-registry.openshift-image-registry.svc:5000")
DURATIONS = ("0s", "30s", "5m", "15m", "1h", "3h", "1d")

_seed = st.integers(0, 2**32 - 1)
STEPS = st.one_of(
    st.tuples(st.just("oc"), st.sampled_from(TEMPLATES), _seed, st.integers(0, 9)),
    st.tuples(st.just("oc"), st.sampled_from(TEMPLATES), _seed, st.integers(0, 9)),
    st.tuples(st.just("oc"), st.sampled_from(TEMPLATES), _seed, st.integers(0, 9)),
    st.tuples(st.just("push"), st.sampled_from(PUSHABLE), st.booleans()),
    st.tuples(st.just("untag"), st.sampled_from(PUSHABLE)),
    st.tuples(st.just("outage"), st.sampled_from(HOSTS), st.sampled_from(DURATIONS[1:])),
    st.tuples(st.just("advance"), st.sampled_from(DURATIONS)),
    st.tuples(st.just("apply"), _seed),
)
WORLD = st.tuples(st.integers(0, len(WORLDS) - 1), st.integers(0, 3))
TRIED: Counter = Counter()  # steps run, by kind (printed with pytest -s)


# ---------------------------------------------------------------------------------------------
# running steps

def command_line(sim, template: str, seed: int, mutation: int) -> str:
    rng = random.Random(seed)
    line = CommandGen(rng, sim).fill(template)
    return mutate(rng, line) if mutation >= 7 else line


def run_step(sim, step: tuple) -> tuple[str, str, bool]:
    """Run one step; return (what it was, what it printed or raised, whether it was refused)."""
    kind = step[0]
    if kind == "oc":
        line = command_line(sim, *step[1:])
        if known_bug(line):
            return line, "skipped: a known bug", False
        result = sim.oc(line)
        refused = result.exit_code != 0 and result.stdout == ""
        return line, f"{result.exit_code}\n{result.stdout}\n{result.stderr}", refused
    try:
        if kind == "push":
            out = sim.push(step[1], broken=step[2])
        elif kind == "untag":
            out = sim.untag(step[1])
        elif kind == "outage":
            out = sim.outage(step[1], duration=step[2])
        elif kind == "advance":
            out = sim.advance(step[1])
        else:
            value = manifests(random.Random(step[1]))
            if known_manifest_bug(value):
                return repr(step), "skipped: a known bug", False
            out = sim.apply(value)
    except ImageSimError as err:
        return repr(step), f"raised {type(err).__name__}: {err}", True
    return repr(step), repr(out), False


def may_remove_history(line: str) -> bool:
    """``oc tag -d``, ``oc delete`` and ``oc adm prune`` are the commands that remove history."""
    try:
        args = split_line(line)
        if args[:1] == ["oc"]:
            args = args[1:]
        if args and args[0].startswith("-"):
            _, args = parse(args, ())
        if not args:
            return False
        if args[0] in ("delete", "adm"):
            return True
        if args[0] == "tag":
            values, _ = parse(args[1:], TAG_FLAGS, known=GLOBAL_FLAGS)
            return bool(values.get("delete"))
    except OcUsageError:
        return False
    return False


# ---------------------------------------------------------------------------------------------
# what the invariants look at

def snapshot(sim) -> str:
    """Everything a step could change: streams, workloads, pods, the log, the clock, the user,
    upstream tags and the student's docker machine."""
    # a host is looked up (and so created, empty) by any command that names it: only content counts
    registries = {host: {path: sorted(repo.tags.items()) for path, repo in sorted(r.repositories.items())}
                  for host, r in sorted(sim.registries.items()) if r.repositories or r.outages}
    docker = getattr(sim, "_docker", None)
    local = repr(sorted(vars(docker).items())) if docker is not None and hasattr(docker, "__dict__") else ""
    return json.dumps([state_of(sim), sim.user, sim.project, registries, local], sort_keys=True, default=str)


def histories(sim) -> dict:
    return {(s.namespace, s.name): {tag: [(e.created, e.ref, e.image, e.generation) for e in h.items]
                                    for tag, h in s.status.items()}
            for s in sim.server.streams()}


def versions(sim) -> dict:
    streams = {(s.namespace, s.name): (s.uid, s.generation, s.resource_version) for s in sim.server.streams()}
    workloads = {key: (w.uid, w.generation, w.resource_version) for key, w in sim.cluster.workloads.items()}
    return {**streams, **workloads}


def check_history(before: dict, after: dict, removal_allowed: bool, what: str) -> None:
    if removal_allowed:
        return
    for key, tags in before.items():
        assert key in after, f"{what}: stream {key} vanished"
        for tag, old in tags.items():
            new = after[key].get(tag)
            assert new is not None or not old, f"{what}: history of {key}:{tag} vanished"
            if not old:
                continue
            assert len(new) >= len(old), f"{what}: {key}:{tag} lost items: {old} -> {new}"
            offset = len(new) - len(old)
            assert new[offset + 1:] == old[1:], f"{what}: {key}:{tag} older items changed: {old} -> {new}"
            assert new[offset][0] == old[0][0], f"{what}: {key}:{tag} head replaced: {old[0]} -> {new[offset]}"


def check_versions(before: dict, after: dict, what: str) -> None:
    for key, (uid, generation, resource_version) in before.items():
        now = after.get(key)
        if now is None or now[0] != uid:
            continue  # deleted (and maybe created again): a new object
        assert now[1] >= generation, f"{what}: generation of {key} went back: {generation} -> {now[1]}"
        assert now[2] >= resource_version, f"{what}: resourceVersion of {key} went back"


def check_pods(sim, what: str) -> None:
    now = sim.time
    known = set()
    for registry in sim.registries.values():
        for repo in registry.repositories.values():
            known.update(repo.images)
    nodes = sim.cluster.kubelet.nodes
    for pod in sim.cluster.pods.values():
        if pod.deleted >= 0:
            continue
        for run in pod.containers:
            if run.started < 0 or run.started > now:
                continue
            assert run.image_id, f"{what}: {pod.namespace}/{pod.name} runs {run.name} without an image"
            cached = run.image_id in nodes.get(pod.node, {}).values()
            assert run.image_id in known or cached, (
                f"{what}: {pod.namespace}/{pod.name} runs {run.image_id}, which no registry or node cache holds")


def check_log(before: list, sim, what: str) -> None:
    log = list(sim.log)
    assert len(log) >= len(before), f"{what}: the event log shrank"
    assert [e.seq for e in log[:len(before)]] == before, f"{what}: the event log was rewritten"


def run_checked(world: tuple, steps: list) -> tuple[list[str], object]:
    """Run ``steps`` on a fresh world, checking every invariant after each; return the outputs."""
    builder, seed = WORLDS[world[0]], world[1]
    sim = builder(seed=seed)
    outputs = []
    moments: dict[int, str] = {sim.time: sim.oc("get is -A -o json").stdout}
    for i, step in enumerate(steps):
        before_state = snapshot(sim)
        before_history = histories(sim)
        before_versions = versions(sim)
        before_log = [e.seq for e in sim.log]
        what, out, refused = run_step(sim, step)
        TRIED[step[0]] += 1
        label = f"step {i} {what!r}"
        outputs.append(f"{what}\n{out}")
        if refused:
            assert snapshot(sim) == before_state, f"{label}: a refused command changed the simulation:\n{out}"
        removal = step[0] == "oc" and may_remove_history(what)
        check_history(before_history, histories(sim), removal, label)
        check_versions(before_versions, versions(sim), label)
        check_pods(sim, label)
        check_log(before_log, sim, label)
        moments[sim.time] = sim.oc("get is -A -o json").stdout
    return outputs, (sim, moments)


def run_plain(world: tuple, steps: list) -> list[str]:
    sim = WORLDS[world[0]](seed=world[1])
    return [f"{what}\n{out}" for what, out, _ in (run_step(sim, step) for step in steps)]


def examples(long_run: bool, short: int, long: int) -> settings:
    return settings(max_examples=long if long_run else short, deadline=None, database=None,
                    derandomize=not long_run, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------------------------
# the tests

def test_invariants_hold_after_every_step(long_run):
    @examples(long_run, short=60, long=3000)
    @given(world=WORLD, steps=st.lists(STEPS, min_size=1, max_size=25))
    def check(world, steps):
        outputs, (sim, moments) = run_checked(world, steps)
        # the same seed and steps: byte-identical output
        assert run_plain(world, steps) == outputs
        # the journal rebuilds the same state
        assert json.dumps(state_of(replay(sim.journal)), sort_keys=True) == json.dumps(state_of(sim), sort_keys=True)
        # time travel shows what was shown then
        earliest = sim.journal[0].time
        for t in sorted(moments)[-2:]:
            if t >= earliest:
                assert sim.at(t).oc("get is -A -o json").stdout == moments[t]
        TRIED["sequences"] += 1

    TRIED.clear()
    check()
    print(f"\nproperty steps tried: {dict(TRIED)}")


def test_refused_api_calls_change_nothing(long_run):
    """Bad input to the Python API raises an imagesim error and leaves everything as it was."""
    bad = st.one_of(
        st.tuples(st.just("push"), st.sampled_from(("Bad!!", "docker.io/", "a@sha256:" + "0" * 64, "x" * 300,
                                                    "image-registry.openshift-image-registry.svc:5000/nope/x:1",
                                                    "image-registry.openshift-image-registry.svc:5000/a/b/c"))),
        st.tuples(st.just("untag"), st.sampled_from(("quay.io/acme/none:1", "Bad!!", "quay.io/a@sha256:" + "0" * 64))),
        st.tuples(st.just("outage"), st.sampled_from(("", None, 5))),
        st.tuples(st.just("advance"), st.sampled_from(("-1h", "x", "1.5h", -3, None, True))),
        st.tuples(st.just("apply"), _seed),
    )

    @examples(long_run, short=30, long=2000)
    @given(world=WORLD, calls=st.lists(bad, min_size=1, max_size=6))
    def check(world, calls):
        sim = WORLDS[world[0]](seed=world[1])
        for kind, arg in calls:
            before = snapshot(sim)
            try:
                if kind == "push":
                    sim.push(arg)
                elif kind == "untag":
                    sim.untag(arg)
                elif kind == "outage":
                    sim.outage(arg)
                elif kind == "advance":
                    sim.advance(arg)
                else:
                    value = manifests(random.Random(arg))
                    if known_manifest_bug(value):
                        continue
                    sim.apply(value)
            except ImageSimError:
                assert snapshot(sim) == before, (kind, arg)
            TRIED[f"bad {kind}"] += 1

    TRIED.clear()
    check()
    print(f"\nrefused API calls tried: {dict(TRIED)}")
