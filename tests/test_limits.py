"""Limits that keep a careless command from hanging the simulation, and help for every command."""

from __future__ import annotations

import pytest

from imagesim import Invalid, scenarios
from imagesim.oc.commands import _commands
from imagesim.workloads import MAX_REPLICAS


@pytest.fixture(scope="module")
def sim():
    return scenarios.scheduled_trigger(seed=0)


@pytest.mark.parametrize("command", [
    f"scale dc/web --replicas={MAX_REPLICAS + 1}",
    "scale dc/web --replicas=2147483647",
    "create deployment big --image=quay.io/acme/app:1.0 --replicas=2147483648",
])
def test_replica_counts_beyond_the_limit_are_refused(sim, command):
    before = str(sim.oc("get all"))
    result = sim.oc(command)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: imagesim simulates at most {MAX_REPLICAS} replicas per workload")
    assert str(sim.oc("get all")) == before


def test_a_manifest_with_too_many_replicas_is_invalid(sim):
    manifest = {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig", "metadata": {"name": "x"},
                "spec": {"replicas": 2**31, "selector": {"a": "b"},
                         "template": {"metadata": {"labels": {"a": "b"}},
                                      "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    with pytest.raises(Invalid, match="spec.replicas: Invalid value: 2147483648"):
        sim.apply(manifest)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_has_help(sim, command):
    for line in (f"{command} -h", f"{command} --help", f"help {command}"):
        result = sim.oc(line)
        assert result.exit_code == 0, (line, result.stderr)
        assert result.stdout.strip()


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "3650000d", 10**12, "99999999999999"])
def test_durations_that_would_overflow_the_calendar_are_refused(value):
    from imagesim import ClockError, Simulation

    sim = Simulation()
    with pytest.raises(ClockError):
        sim.advance(value)
    assert sim.time == 0 and str(sim.oc("get is")) == str(Simulation().oc("get is"))


def test_a_list_with_one_object_twice_applies_all_or_nothing():
    from imagesim import Simulation

    def stream(tags):
        return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "a"},
                "spec": {"tags": tags}}

    sim = Simulation()
    bad = [{"name": "v1", "from": {"kind": "ImageStreamImage", "name": "quay.io/acme/app:1.0"}}]
    with pytest.raises(Invalid, match="error generating tag event"):
        sim.apply([stream([]), stream(bad)])
    assert sim.server.find("myproject", "a") is None
    assert sim.apply([stream([]), stream([])]) == ["imagestream.image.openshift.io/a created",
                                                  "imagestream.image.openshift.io/a unchanged"]
