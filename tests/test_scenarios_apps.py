"""The workload scenarios of :mod:`imagesim.scenarios`: what each one promises in its docstring."""

from __future__ import annotations

import pytest

from imagesim import Simulation, scenarios
from imagesim.errors import NotFound
from imagesim.registry import INTERNAL_REGISTRY
from imagesim.scenarios import (
    BROKEN_PUSH_AFTER,
    DRAIN_AFTER,
    FIXED_PUSH_AFTER,
    OUTAGE_AFTER,
    OUTAGE_LENGTH,
    RESTART_AFTER,
)

NS = "myproject"
GOOD = "sha256:6eb768b8c37e996e9e63cfa56a9b99e2ef047a085d41051d0c7675ac251ccf07"


def pods(sim: Simulation, app: str) -> list:
    return sorted((p for p in sim.cluster.pods.values() if p.workload == app and not p.deployer and p.deleted < 0),
                  key=lambda p: p.name)


def available(sim: Simulation, service: str) -> bool:
    return sim.cluster.available(sim.cluster.services[(NS, service)])


def upstream_digest(sim: Simulation) -> str:
    return sim.registry("docker.io").repository("gists/lighttpd").tags["latest"]


def test_scenarios_have_docstrings() -> None:
    for builder in (scenarios.broken_upstream, scenarios.scheduled_trigger, scenarios.registry_outage):
        assert "Covers:" in builder.__doc__ and "Scenario:" in builder.__doc__
        assert builder.__name__ in scenarios.__all__


# -------------------------------------------------------------------------------------------
# broken_upstream

def test_broken_upstream_start() -> None:
    sim = scenarios.broken_upstream()
    direct, stream = pods(sim, "direct"), pods(sim, "via-stream")
    assert len(direct) == len(stream) == 2
    assert all(p.ready(sim.time) and p.containers[0].image_id == GOOD for p in direct + stream)
    assert {(c.image, c.pull_policy) for p in direct for c in p.containers} == {
        ("docker.io/gists/lighttpd:latest", "Always")}
    assert {c.image for p in stream for c in p.containers} == {f"docker.io/gists/lighttpd@{GOOD}"}
    assert sim.cluster.workload("Deployment", NS, "direct").triggers == []
    assert not sim.stream("lighttpd").spec["latest"].scheduled


def test_broken_upstream_push_changes_nothing_until_pods_restart() -> None:
    sim = scenarios.broken_upstream()
    start = sim.time
    names = [p.name for p in pods(sim, "direct") + pods(sim, "via-stream")]
    sim.advance(BROKEN_PUSH_AFTER + 60)
    assert upstream_digest(sim) != GOOD
    assert sim.stream("lighttpd").head("latest").image == GOOD
    assert [p.name for p in pods(sim, "direct") + pods(sim, "via-stream")] == names
    assert available(sim, "direct") and available(sim, "via-stream")
    sim.run(start + RESTART_AFTER + 600)
    direct, stream = pods(sim, "direct"), pods(sim, "via-stream")
    assert len(direct) == 2 and not set(names) & {p.name for p in direct + stream}
    broken = upstream_digest(sim)
    assert all(p.containers[0].image_id == broken and p.containers[0].broken for p in direct)
    assert not any(p.ready(sim.time) for p in direct) and not available(sim, "direct")
    assert all(p.containers[0].image_id == GOOD and p.ready(sim.time) for p in stream)
    assert available(sim, "via-stream")


def test_broken_upstream_is_deterministic() -> None:
    a, b = scenarios.broken_upstream(3), scenarios.broken_upstream(3)
    a.advance("3h")
    b.advance("3h")
    assert [(p.name, p.node, p.containers[0].image_id) for p in pods(a, "direct")] == [
        (p.name, p.node, p.containers[0].image_id) for p in pods(b, "direct")]


# -------------------------------------------------------------------------------------------
# scheduled_trigger

def minutes_down(sim: Simulation, minutes: int) -> list[int]:
    down = []
    for minute in range(minutes):
        sim.advance(60)
        if not available(sim, "web"):
            down.append(minute)
    return down


def test_scheduled_trigger_rolling_keeps_serving() -> None:
    sim = scenarios.scheduled_trigger()
    assert sim.stream("lighttpd").spec["latest"].scheduled
    assert sim.cluster.replicasets[(NS, "web-1")].phase == "Complete"
    sim.advance(BROKEN_PUSH_AFTER)
    assert minutes_down(sim, 30) == []
    rc = sim.cluster.replicasets[(NS, "web-2")]
    assert (rc.phase, rc.cause) == ("Failed", "image change")
    assert rc.template.images() == [f"docker.io/gists/lighttpd@{upstream_digest(sim)}"]
    assert sim.cluster.replicasets[(NS, "web-1")].replicas == 2
    assert sim.oc("rollout status dc/web").stderr == 'error: replication controller "web-2" has failed progressing\n'


def test_scheduled_trigger_recreate_takes_the_service_down() -> None:
    sim = scenarios.scheduled_trigger(strategy="Recreate")
    sim.advance(BROKEN_PUSH_AFTER)
    down = minutes_down(sim, 30)
    assert 8 <= len(down) <= 16, down  # from the rollout start until its 10-minute deadline
    assert down == list(range(down[0], down[0] + len(down)))
    assert sim.cluster.replicasets[(NS, "web-2")].phase == "Failed"
    assert available(sim, "web"), "the DC controller gave the replicas back to web-1"


def test_scheduled_trigger_rollback_disables_the_trigger_and_auto_rolls_forward() -> None:
    sim = scenarios.scheduled_trigger()
    start = sim.time
    sim.advance(BROKEN_PUSH_AFTER + 30 * 60)
    result = sim.oc("rollback web")
    assert result.stdout == ("deploymentconfig.apps.openshift.io/web deployment #3 rolled back to web-1\n"
                             "Warning: the following images triggers were disabled: lighttpd:latest\n"
                             "  You can re-enable them with: oc set triggers dc/web --auto\n")
    sim.advance("2m")
    assert sim.cluster.replicasets[(NS, "web-3")].phase == "Complete"
    web = sim.cluster.workload("DeploymentConfig", NS, "web")
    assert web.template.images() == [f"docker.io/gists/lighttpd@{GOOD}"]
    sim.run(start + FIXED_PUSH_AFTER + 20 * 60)
    fixed = upstream_digest(sim)
    assert sim.stream("lighttpd").head("latest").image == fixed
    assert web.revision == 3, "the disabled trigger ignored the fixed image"
    assert sim.oc("set triggers dc/web --auto").stdout == "deploymentconfig.apps.openshift.io/web triggers updated\n"
    assert web.revision == 4 and web.template.images() == [f"docker.io/gists/lighttpd@{fixed}"]
    sim.advance("2m")
    assert sim.oc("rollout status dc/web").stdout == 'replication controller "web-4" successfully rolled out\n'


def test_scheduled_trigger_auto_rolls_forward_to_whatever_the_tag_holds() -> None:
    sim = scenarios.scheduled_trigger(strategy="Recreate")
    sim.advance(BROKEN_PUSH_AFTER + 30 * 60)
    assert sim.oc("rollback web").ok
    sim.advance("2m")
    assert available(sim, "web")
    assert sim.oc("set triggers dc/web --auto").ok
    web = sim.cluster.workload("DeploymentConfig", NS, "web")
    assert web.revision == 4 and web.history[-1] == (4, "image change")
    assert web.template.images() == [f"docker.io/gists/lighttpd@{upstream_digest(sim)}"]  # still the broken one
    sim.advance("1m")
    assert not available(sim, "web")


def test_scheduled_trigger_without_rollback_picks_up_the_fix() -> None:
    sim = scenarios.scheduled_trigger()
    start = sim.time
    sim.run(start + FIXED_PUSH_AFTER + 20 * 60)
    web = sim.cluster.workload("DeploymentConfig", NS, "web")
    assert web.revision == 3 and sim.cluster.replicasets[(NS, "web-3")].phase == "Complete"


def test_scheduled_trigger_checks_its_strategy() -> None:
    with pytest.raises(ValueError, match="strategy"):
        scenarios.scheduled_trigger(strategy="Rollout")


# -------------------------------------------------------------------------------------------
# registry_outage

def test_registry_outage_start() -> None:
    sim = scenarios.registry_outage()
    for app in ("source-app", "local-app"):
        assert sorted(p.node for p in pods(sim, app)) == ["worker-0", "worker-1", "worker-2"]
        assert all(p.ready(sim.time) and p.containers[0].pull_policy == "Always" for p in pods(sim, app))
    assert {p.containers[0].image for p in pods(sim, "source-app")} == {f"docker.io/gists/lighttpd@{GOOD}"}
    assert {p.containers[0].image for p in pods(sim, "local-app")} == {f"{INTERNAL_REGISTRY}/{NS}/local-app@{GOOD}"}


def test_registry_outage_local_pods_come_back_source_pods_wait() -> None:
    sim = scenarios.registry_outage()
    start = sim.time
    sim.run(start + DRAIN_AFTER + 120)
    assert not sim.registry("docker.io").available(sim.time)
    assert "worker-0" in sim.cluster.kubelet.cordoned
    for app in ("source-app", "local-app"):
        assert len(pods(sim, app)) == 3 and all(p.node != "worker-0" for p in pods(sim, app))
    assert all(p.ready(sim.time) for p in pods(sim, "local-app"))
    waiting = [p for p in pods(sim, "source-app") if not p.ready(sim.time)]
    assert len(waiting) == 1 and waiting[0].containers[0].failure_reason == "ErrImagePull"
    assert sim.cluster.available(sim.cluster.services[(NS, "source-app")])  # the other two still serve
    sim.run(start + OUTAGE_AFTER + OUTAGE_LENGTH + 600)
    assert all(p.ready(sim.time) for p in pods(sim, "source-app"))
    assert waiting[0].containers[0].pull_failures > 5


def test_simulation_drain() -> None:
    sim = scenarios.registry_outage()
    evicted = sim.drain("worker-1")
    assert len(evicted) == 2 and all(name.startswith(("source-app-", "local-app-")) for name in evicted)
    assert all(p.node != "worker-1" for app in ("source-app", "local-app") for p in pods(sim, app))
    with pytest.raises(NotFound):
        sim.drain("worker-9")
