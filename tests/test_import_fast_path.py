"""Scheduled checks and pushes take a lean path in the common case: the same world as the general one.

Every test plays the same steps twice, once with ``Importer.lean_imports`` on (the default) and
once with it off (every push goes through ``upstream_changed`` and every check through
``import_tags`` and ``on_write``), and asks both worlds the same questions after every step: the
``oc`` outputs, the event log, the journal, the queue and the importer's own records must be equal
byte for byte.
"""

from __future__ import annotations

import random

import pytest

from benchmarks import workload
from imagesim import Simulation
from imagesim.importer import Importer

NS = "myproject"
A1 = "sha256:" + "a" * 64
A2 = "sha256:" + "b" * 64
UP = "quay.io/acme/app:latest"

READS = (
    "get is -o yaml",
    "get is -o json",
    "describe is",
    "get istag",
    "get istag -o yaml",
    "get events",
    "get dc -o yaml",
    "get rc",
)


def answers(sim: Simulation) -> list:
    """Everything both worlds are compared on."""
    out: list = []
    for namespace in sorted(sim.server.namespaces):
        for line in READS:
            result = sim.oc(f"{line} -n {namespace}")
            out.append((line, namespace, result.stdout, result.stderr, result.exit_code))
    out.append(repr(list(sim.log)))
    out.append(repr([(e.time, e.op, e.args) for e in sim.journal]))
    out.append(sim.clock.pending())
    out.append(sim.clock.peek())
    importer = sim.importer
    out.append((importer.checks_run, importer.imports_run, importer._tickets, importer._pinned))
    out.append([(key, s.anchor, s.checked, s.pending, s.ticket, s.keys) for key, s in importer.schedules.items()])
    out.append(repr({watch: importer.watchers[watch] for watch in importer.watchers}))
    out.append([(host, r.requests, sorted(r.repositories)) for host, r in sorted(sim.registries.items())])
    out.append(sorted(sim.server.images))
    out.append(sim.server.resource_version)
    for stream in sim.server.streams():
        out.append((stream.key, stream.generation, stream.resource_version, dict(stream.annotations),
                    importer.last_check(stream),
                    [(n, r.generation) for n, r in stream.spec.items()],
                    {tag: [repr(item) for item in h.items] for tag, h in stream.status.items()},
                    {tag: [repr(c) for c in h.conditions] for tag, h in stream.status.items()}))
    return out


def _stream(name: str, source: str = UP, *, scheduled: bool = True, tags: tuple = (), **policy) -> dict:
    tag = {"name": "latest", "from": {"kind": "DockerImage", "name": source}}
    if scheduled:
        tag["importPolicy"] = {"scheduled": True}
    if policy.get("reference_policy"):
        tag["referencePolicy"] = {"type": policy["reference_policy"]}
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": name, "namespace": NS}, "spec": {"tags": [tag, *tags]}}


def _dc(name: str, stream: str) -> dict:
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": name, "namespace": NS},
            "spec": {"replicas": 0, "selector": {"app": name},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": f"{stream}:latest"}]}},
                     "triggers": [{"type": "ConfigChange"},
                                  {"type": "ImageChange", "imageChangeParams": {
                                      "automatic": True, "containerNames": ["app"],
                                      "from": {"kind": "ImageStreamTag", "name": f"{stream}:latest"}}}]}}


def _base(lean: bool) -> Simulation:
    sim = Simulation(seed=1)
    sim.importer.lean_imports = lean
    sim.push(UP, digest=A1)
    sim.push("quay.io/acme/other:1", digest=A2)
    sim.push("docker.io/library/mongo:latest")
    sim.apply([_stream("app"), _stream("twin"), _stream("mongo", "mongo"), _dc("web", "app")])
    return sim


def play(steps: list, base=_base) -> None:
    """Run ``steps`` (callables of a simulation) in both worlds and compare after each."""
    worlds = [base(True), base(False)]
    assert answers(worlds[0]) == answers(worlds[1])
    for number, step in enumerate(steps):
        seen = []
        for sim in worlds:
            try:
                value = step(sim)
            except Exception as err:  # (a step refused alike in both is fine)
                value = ("raised", type(err).__name__, str(err))
            if hasattr(value, "stdout"):
                value = (value.stdout, value.stderr, value.exit_code)
            seen.append((value, answers(sim)))
        assert seen[0] == seen[1], f"step {number}"


def oc(line: str):
    return lambda sim: sim.oc(f"{line} -n {NS}")


def push(pullspec: str = UP, **kwargs):
    return lambda sim: sim.push(pullspec, **kwargs)


def advance(duration):
    return lambda sim: sim.advance(duration)


def run(until):
    return lambda sim: sim.run(until)


def test_the_switch_defaults_to_the_lean_path():
    assert Importer.lean_imports is True
    assert _base(False).importer.lean_imports is False


def test_pushes_and_checks():
    play([push(), advance("10m"), advance("10m"), push(), push(), advance("15m"), push(digest=A1),
          advance("1h"), push(broken=True), advance("30m"), push("mongo"), advance("2h")])


def test_a_push_with_the_digest_the_stream_has_finds_nothing_new():
    play([push(digest=A1), advance("20m"), push(digest=A2), advance("20m"), push(digest=A2), advance("20m"),
          push(digest=A1), advance("1h")])


def test_pushes_at_the_second_of_a_check():
    play([run(899), push(), run(900), push(), run(1800), push(at=2700), push(at=2700), run(2700),
          push(), advance("15m"), push(at=4500), run(4500)])


def test_an_outage_during_a_pending_check():
    play([push(), lambda sim: sim.outage("quay.io", duration="40m"), advance("10m"), advance("10m"),
          push(), advance("30m"), advance("30m"), push(), advance("1h"),
          lambda sim: sim.outage("quay.io", start="6h", duration="1h"), push(at="5h55m"), run("8h")])


def test_an_outage_that_starts_between_the_push_and_the_check():
    play([push(), lambda sim: sim.outage("quay.io", start="10m", duration="2h"), run("20m"),
          run("2h30m"), push(), advance("1h")])


def test_a_manual_import_moves_the_grid():
    play([push(), advance("5m"), oc("import-image app"), advance("11m"), push(), advance("10m"),
          oc("import-image app:latest --from=quay.io/acme/other:1 --confirm"), advance("20m"), push(),
          advance("20m"), push("quay.io/acme/other:1"), advance("1h")])


def test_spec_edits():
    play([push(), oc("tag --source=docker quay.io/acme/other:1 app:latest --scheduled"), advance("20m"),
          push("quay.io/acme/other:1"), advance("20m"), push(),
          lambda sim: sim.apply([_stream("app", scheduled=False)]), advance("20m"), push(), advance("20m"),
          lambda sim: sim.apply([_stream("app")]), push(), advance("20m"),
          lambda sim: sim.apply([_stream("app", reference_policy="Local")]), push(), advance("20m"),
          oc("tag quay.io/acme/app:latest app:extra"), push(), advance("20m"),
          oc("tag app:latest app:alias --alias"), push(), advance("20m")])


def test_a_stream_deleted_with_a_check_queued():
    play([push(), advance("5m"), oc("delete is twin"), advance("20m"), push(),
          lambda sim: sim.apply([_stream("twin")]), push(), advance("20m"), push(), oc("delete is app"),
          lambda sim: sim.apply([_stream("app")]), advance("30m"), push(), advance("30m")])


def test_two_streams_watch_the_same_upstream_tag():
    play([push(), advance("20m"), oc("delete is twin"), push(), advance("20m"),
          lambda sim: sim.apply([_stream("twin"), _stream("third")]), push(), advance("1h")])


def test_a_tag_pinned_by_digest():
    play([lambda sim: sim.apply([_stream("pinned", f"quay.io/acme/app@{A2}")]), push(), advance("20m"),
          push(digest=A2), advance("20m"), push(), advance("20m"),
          lambda sim: sim.apply([_stream("early", f"quay.io/acme/new@{A1}")]), advance("20m"),
          push("quay.io/acme/new:x", digest=A1), advance("20m"), push(), advance("1h")])


def test_tag_deletion_and_upstream_untag():
    play([push(), advance("20m"), oc("tag -d app:latest"), push(), advance("20m"),
          oc("tag --source=docker quay.io/acme/app:latest app:latest --scheduled"), push(), advance("20m"),
          lambda sim: sim.untag(UP), advance("20m"), push(), advance("20m"), push(), advance("20m")])


def test_a_restored_stream_with_a_check_queued():
    def restore(sim):
        dump = sim.oc(f"get is app -n {NS} -o json").stdout
        sim.oc(f"delete is app -n {NS}")
        return sim.restore(dump)

    play([push(), advance("5m"), restore, advance("20m"), push(), advance("20m")])


def test_an_upstream_spelled_two_ways():
    play([lambda sim: sim.apply([_stream("short", "mongo"), _stream("long", "docker.io/library/mongo:latest")]),
          push("mongo"), advance("20m"), push("docker.io/library/mongo"), advance("20m"),
          push("library/mongo:latest"), advance("20m")])


def test_a_stream_with_annotations_and_a_repository():
    def apply(sim):
        stream = _stream("annotated")
        stream["metadata"]["annotations"] = {"note": "kept"}
        repo = _stream("repo")
        repo["spec"]["dockerImageRepository"] = "quay.io/acme/app"
        return sim.apply([stream, repo])

    play([apply, push(), advance("20m"), push(), advance("20m")])


def _world(lean: bool, seed: int) -> Simulation:
    built = workload.build(workload.plan(5, 4, 1, 0.05, seed=seed))
    built.sim.importer.lean_imports = lean
    return built.sim


@pytest.mark.parametrize("seed", [0, 1])
def test_the_reference_workload(seed: int):
    play([advance("3h"), oc("import-image app-1"), advance("2h"), oc("tag -d app-2:latest"),
          advance("3h"), oc("delete is app-3"), advance("16h")], base=lambda lean: _world(lean, seed))


def _random_steps(rng: random.Random, count: int) -> list:
    ups = [UP, "quay.io/acme/other:1", "mongo", "quay.io/acme/app:2"]
    names = ["app", "twin", "mongo", "x"]
    steps = []
    for _ in range(count):
        kind = rng.random()
        up, name = rng.choice(ups), rng.choice(names)
        if kind < 0.35:
            steps.append(push(up, broken=rng.random() < 0.1, digest=rng.choice([None, None, A1, A2]),
                              at=rng.choice([None, None, f"{rng.randrange(1, 400)}m"])))
        elif kind < 0.6:
            steps.append(advance(rng.choice(["1s", "5m", "15m", "16m", "1h", "3h"])))
        elif kind < 0.65:
            host = rng.choice(["quay.io", "docker.io"])
            steps.append(lambda sim, host=host, d=rng.choice(["10m", "1h"]): sim.outage(host, duration=d))
        elif kind < 0.72:
            steps.append(oc(f"import-image {name}"))
        elif kind < 0.78:
            steps.append(oc(f"tag --source=docker {up} {name}:latest" + rng.choice([" --scheduled", ""])))
        elif kind < 0.82:
            steps.append(oc(f"delete is {name}"))
        elif kind < 0.88:
            steps.append(lambda sim, n=name, u=up, s=rng.random() < 0.8: sim.apply([_stream(n, u, scheduled=s)]))
        elif kind < 0.91:
            steps.append(oc(f"tag -d {name}:latest"))
        elif kind < 0.94:
            steps.append(lambda sim, u=up: sim.untag(u))
        elif kind < 0.97:
            steps.append(oc(f"tag {name}:latest {name}:alias --alias"))
        else:
            steps.append(lambda sim, n=name, d=rng.choice([A1, A2]): sim.apply(
                [_stream(f"{n}-pin", f"quay.io/acme/app@{d}")]))
    return steps


@pytest.mark.parametrize("seed", range(6))
def test_random_steps(seed: int):
    play(_random_steps(random.Random(seed), 40))


def test_first_imports():
    def apply(*streams):
        return lambda sim: sim.apply(list(streams))

    unscheduled = _stream("plain", scheduled=False)
    reference = _stream("ref")
    reference["spec"]["tags"][0]["reference"] = True
    play([apply(_stream("new")), apply(_stream("missing", "quay.io/acme/missing:1")),
          apply(_stream("pinned-new", f"quay.io/acme/app@{A1}")), apply(unscheduled, reference),
          lambda sim: sim.outage("docker.io", duration="1h"), apply(_stream("down", "docker.io/library/busybox:1")),
          advance("2h"), oc("tag --source=docker quay.io/acme/other:1 made:latest"),
          oc("import-image fresh --from=quay.io/acme/app:latest --confirm"),
          oc("delete is new"), apply(_stream("new")), push("quay.io/acme/missing:1"), advance("20m"),
          apply(_stream("bad", "Bad!!/x")), lambda sim: sim.push("docker.io/library/busybox:1"),
          advance("20m")])
