"""DeploymentConfigs read from manifests share what nothing edits in place (empty label and
annotation maps, a selector equal to the template's labels, trigger container names, equal
condition tuples): an edit of one of them leaves the others as they were."""

from __future__ import annotations

import copy

import pytest

from imagesim import Simulation
from imagesim.workloads import DeploymentConfig

NAMESPACE = "myproject"


def _stream(name: str = "app") -> dict:
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": {"tags": [{"name": "latest", "from": {"kind": "DockerImage",
                                                          "name": f"quay.io/acme/{name}:latest"}}]}}


def _dc(name: str, replicas: int = 0, **spec) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": {"replicas": replicas, "selector": dict(labels),
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": "app", "image": "app:latest"}]}},
                     "triggers": [{"type": "ConfigChange"},
                                  {"type": "ImageChange", "imageChangeParams": {
                                      "automatic": True, "containerNames": ["app"],
                                      "from": {"kind": "ImageStreamTag", "name": "app:latest"}}}],
                     **spec}}


def _world(*manifests: dict) -> Simulation:
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/app:latest")
    sim.push("quay.io/acme/other:latest")
    sim.apply([_stream(), _stream("other")])
    sim.apply(list(manifests) or [_dc("a"), _dc("b"), _dc("c")])
    return sim


def _yaml(sim: Simulation, name: str) -> str:
    result = sim.oc(f"get dc/{name} -o yaml")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _dc_of(sim: Simulation, name: str):
    return sim.cluster.workloads[("DeploymentConfig", NAMESPACE, name)]


def test_dcs_read_alike_share_their_empty_maps_and_selector():
    sim = _world()
    a, b = _dc_of(sim, "a"), _dc_of(sim, "b")
    assert a.labels is b.labels and a.annotations is b.annotations
    assert a.template.annotations is b.template.annotations
    assert a.selector is a.template.labels == {"app": "a"}
    assert a.triggers[0].container_names is b.triggers[0].container_names == ["app"]


def test_applying_labels_and_annotations_to_one_dc_leaves_the_others():
    sim = _world()
    before_b, before_c = _yaml(sim, "b"), _yaml(sim, "c")
    changed = _dc("a")
    changed["metadata"].update(labels={"team": "x"}, annotations={"note": "y"})
    changed["spec"]["template"]["metadata"]["annotations"] = {"t": "z"}
    assert sim.apply([changed]) == ["deploymentconfig.apps.openshift.io/a configured"]
    a, b = _dc_of(sim, "a"), _dc_of(sim, "b")
    assert (a.labels, a.annotations, a.template.annotations) == ({"team": "x"}, {"note": "y"}, {"t": "z"})
    assert (b.labels, b.annotations, b.template.annotations) == ({}, {}, {})
    assert _yaml(sim, "b") == before_b and _yaml(sim, "c") == before_c
    # a DC applied later still reads as empty
    sim.apply([_dc("d")])
    d = _dc_of(sim, "d")
    assert (d.labels, d.annotations, d.template.annotations) == ({}, {}, {})


def test_applying_a_new_selector_or_template_labels_to_one_dc_leaves_the_others():
    sim = _world(_dc("a"), _dc("b", selector=None))  # (no selector: the template's labels)
    before = _yaml(sim, "b")
    changed = _dc("a")
    changed["spec"]["template"]["metadata"]["labels"] = {"app": "a", "tier": "web"}
    changed["spec"]["selector"] = {"app": "a"}
    sim.apply([changed])
    a = _dc_of(sim, "a")
    assert a.selector == {"app": "a"} and a.template.labels == {"app": "a", "tier": "web"}
    assert a.selector is not a.template.labels
    assert _dc_of(sim, "b").selector == {"app": "b"} == _dc_of(sim, "b").template.labels
    assert _yaml(sim, "b") == before


def test_set_image_lookup_and_set_triggers_of_one_dc_leave_the_others():
    sim = _world()
    before = _yaml(sim, "b")
    assert sim.oc("set image-lookup dc/a").exit_code == 0
    assert _dc_of(sim, "a").template.annotations == {"alpha.image.policy.openshift.io/resolve-names": "*"}
    result = sim.oc("set triggers dc/a --from-image=other:latest -c app")
    assert result.exit_code == 0, result.stderr
    assert sim.oc("set triggers dc/c --manual").exit_code == 0
    assert [t.from_name for t in _dc_of(sim, "a").triggers] == ["app:latest", "other:latest"]
    b = _dc_of(sim, "b")
    assert b.template.annotations == {} and b.triggers[0].container_names == ["app"]
    assert b.triggers[0].automatic and not _dc_of(sim, "c").triggers[0].automatic
    assert _yaml(sim, "b") == before


def test_a_deployments_trigger_annotation_does_not_reach_the_dcs():
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "d", "namespace": NAMESPACE},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "d"}},
                           "template": {"metadata": {"labels": {"app": "d"}},
                                        "spec": {"containers": [{"name": "app", "image": "app:latest"}]}}}}
    sim = _world(_dc("a"), deployment, _dc("b"))
    result = sim.oc("set triggers deploy/d --from-image=app:latest -c app")
    assert result.exit_code == 0, result.stderr
    assert _dc_of(sim, "a").annotations == {} == _dc_of(sim, "b").annotations


def test_rollback_and_scale_of_one_dc_leave_the_others():
    sim = _world()
    sim.push("quay.io/acme/app:latest")
    assert sim.oc("import-image app:latest").exit_code == 0
    sim.run("1m")
    before = _yaml(sim, "b")
    assert sim.oc("rollout undo dc/a").exit_code == 0
    assert sim.oc("scale dc/c --replicas=1").exit_code == 0
    sim.run("1m")
    a, b, c = _dc_of(sim, "a"), _dc_of(sim, "b"), _dc_of(sim, "c")
    assert not a.triggers[0].automatic and a.revision == 3 and c.replicas == 1
    assert b.triggers[0].automatic and b.revision == 2 and b.replicas == 0
    assert _yaml(sim, "b") == before


def test_a_copied_world_keeps_the_dcs_apart():
    sim = _world()
    world = copy.deepcopy(sim)
    changed = _dc("a")
    changed["metadata"]["labels"] = {"team": "x"}
    world.apply([changed])
    assert _dc_of(world, "a").labels == {"team": "x"}
    assert _dc_of(world, "b").labels == {} == _dc_of(sim, "a").labels


def test_conditions_read_as_a_map_and_equal_ones_are_shared():
    sim = _world()
    a, b = _dc_of(sim, "a"), _dc_of(sim, "b")
    assert list(a.conditions) == ["Available", "Progressing"]
    assert a._conditions is b._conditions  # noqa: SLF001
    assert a.conditions["Progressing"][2] == 'replication controller "a-1" successfully rolled out'
    shared = b.conditions["Available"]
    a.set_condition("Available", "False", "Gone", "no pods", sim.clock.now + 5)
    assert a.conditions["Available"][:4] == ("False", "Gone", "no pods", sim.clock.now + 5)
    assert b.conditions["Available"] == shared and shared[0] == "True"
    a.conditions["Available"] = ("x",)  # (a new map each time: it changes nothing)
    assert a.conditions["Available"][0] == "False"


def test_condition_transition_times():
    w = DeploymentConfig(NAMESPACE, "w", 0)
    assert w.conditions == {}
    w.set_condition("Progressing", "True", "A", "m", 10)
    w.set_condition("Progressing", "True", "B", "n", 20)
    assert w.conditions == {"Progressing": ("True", "B", "n", 20, 10)}
    w.set_condition("Progressing", "False", "C", "o", 30)
    assert w.conditions["Progressing"] == ("False", "C", "o", 30, 30)
    with pytest.raises(ValueError, match="ReplicaFailure"):
        w.set_condition("ReplicaFailure", "True", "", "", 40)


def test_rc_messages_read_back_as_written():
    w = DeploymentConfig(NAMESPACE, "w", 0, revision=3)
    for message in ('replication controller "w-3" is progressing', 'replication controller "w-2" is progressing',
                    'replication controller "w-3" is progressing.', "anything"):
        w.set_condition("Progressing", "True", "NewReplicationControllerCreated", message, 10)
        assert w.conditions["Progressing"][2] == message
    w.set_condition("Progressing", "False", "ProgressDeadlineExceeded",
                    'replication controller "w-3" has failed progressing', 20)
    assert w.conditions["Progressing"] == ("False", "ProgressDeadlineExceeded",
                                           'replication controller "w-3" has failed progressing', 20, 20)
    assert w.resource_version == 1
