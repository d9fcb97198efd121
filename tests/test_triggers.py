"""Image triggers (§7): DeploymentConfig ImageChange triggers, the ``image.openshift.io/triggers``
annotation of Deployments, ``oc set triggers`` (§7.4) and how rollbacks disable triggers (§7.5)."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation
from imagesim.cluster import TRIGGERS_ANNOTATION
from imagesim.workloads import Container, DeploymentConfig, ImageChangeTrigger, PodTemplate

from test_oc_apps import snapshot

NS = "myproject"
WEB_1 = "sha256:" + "a1" * 32
WEB_2 = "sha256:" + "a2" * 32
WEB_3 = "sha256:" + "a3" * 32
REF = "quay.io/acme/web@{0}"


@pytest.fixture
def sim() -> Simulation:
    """web:latest from quay.io/acme/web:latest (WEB_1); DC ``web`` and Deployment ``api`` follow it."""
    sim = Simulation()
    sim.push("quay.io/acme/web:latest", digest=WEB_1)
    assert sim.oc("tag --source=docker quay.io/acme/web:latest web:latest").ok
    assert sim.oc("new-app web:latest --as-deployment-config").ok
    assert sim.oc("new-app web:latest --name=api").ok
    sim.advance("1m")
    return sim


def dc(sim: Simulation, name: str = "web"):
    return sim.cluster.workload("DeploymentConfig", NS, name)


def deploy(sim: Simulation, name: str = "api"):
    return sim.cluster.workload("Deployment", NS, name)


def push(sim: Simulation, digest: str, broken: bool = False) -> None:
    sim.push("quay.io/acme/web:latest", digest=digest, broken=broken)
    assert sim.oc("import-image web:latest").ok


# -------------------------------------------------------------------------------------------
# the trigger controller (§7.1-7.3)

def test_automatic_triggers_roll_out_a_new_image(sim: Simulation) -> None:
    push(sim, WEB_2)
    w, d = dc(sim), deploy(sim)
    assert w.revision == 2 and w.history[-1] == (2, "image change")
    assert w.template.images() == [REF.format(WEB_2)] and w.triggers[0].last_triggered_image == REF.format(WEB_2)
    assert d.revision == 2 and d.template.images() == [REF.format(WEB_2)]
    sim.advance("1m")
    assert sim.cluster.replicasets[(NS, "web-2")].phase == "Complete"
    assert sim.cluster.replicasets[(NS, "web-1")].replicas == 0


def test_manual_triggers_do_not_roll_out_but_rollout_latest_resolves_them(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --manual").ok
    push(sim, WEB_2)
    w = dc(sim)
    assert w.revision == 1 and w.template.images() == [REF.format(WEB_1)]
    assert sim.oc("rollout latest dc/web").ok
    assert w.revision == 2 and w.template.images() == [REF.format(WEB_2)]
    assert w.history[-1] == (2, "manual change")


def test_initial_deployment_waits_for_every_image(sim: Simulation) -> None:
    template = PodTemplate({"app": "late"}, {}, [Container("late", " ")])
    w = sim.cluster.create(DeploymentConfig(NS, "late", 0, template=template,
                                            triggers=[ImageChangeTrigger("late:1", "", ["late"])]))
    assert w.revision == 0
    assert sim.oc("tag --source=docker quay.io/acme/web:latest late:1").ok
    assert w.revision == 1 and w.history == [(1, "config change")]
    assert w.template.images() == [REF.format(WEB_1)]


def test_image_only_dc_deploys_when_its_image_is_there(sim: Simulation) -> None:
    template = PodTemplate({"app": "x"}, {}, [Container("x", " ")])
    w = sim.cluster.create(DeploymentConfig(NS, "x", 0, template=template, config_change=False,
                                            triggers=[ImageChangeTrigger("web:latest", "", ["x"])]))
    assert w.revision == 1 and w.history == [(1, "config change")]


def test_unresolvable_automatic_trigger_leaves_the_dc_alone(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --from-image=other:latest -c web").ok
    w = dc(sim)
    assert [t.from_name for t in w.triggers] == ["web:latest", "other:latest"]
    assert w.revision == 1


def test_annotation_trigger_reverts_a_manual_image_edit(sim: Simulation) -> None:
    d = deploy(sim)
    template = d.template.copy()
    template.containers[0].image = "quay.io/acme/web:manual"
    sim.cluster.update_template(d, template, "")
    sim._settle()
    assert d.template.images() == [REF.format(WEB_1)]
    assert d.revision == 3


def test_paused_annotation_triggers_are_ignored(sim: Simulation) -> None:
    assert sim.oc("set triggers deploy/api --from-image=web:latest -c api --manual").stdout == (
        "deployment.apps/api triggers updated\n")
    d = deploy(sim)
    assert json.loads(d.annotations[TRIGGERS_ANNOTATION])[0]["paused"] is True
    push(sim, WEB_2)
    assert d.revision == 1 and d.template.images() == [REF.format(WEB_1)]


def test_manual_on_a_deployment_pauses_it_and_auto_resumes(sim: Simulation) -> None:
    d = deploy(sim)
    assert sim.oc("set triggers deploy/api --manual").stdout == "deployment.apps/api triggers updated\n"
    assert d.paused and all(t.paused for t in d.triggers)
    assert sim.oc("set triggers deploy/api").stdout == (
        "NAME             TYPE    VALUE             AUTO\n"
        "deployments/api  config                    false\n"
        "deployments/api  image   web:latest (api)  false\n")
    push(sim, WEB_2)
    assert d.revision == 1
    assert sim.oc("set triggers deploy/api --auto").stdout == "deployment.apps/api triggers updated\n"
    assert not d.paused and not any(t.paused for t in d.triggers)
    assert d.revision == 2 and d.template.images() == [REF.format(WEB_2)]
    assert sim.oc("set triggers deploy/api --auto").stdout == ""  # unchanged: nothing printed


def test_remove_all_on_a_deployment_pauses_it(sim: Simulation) -> None:
    assert sim.oc("set triggers deploy/api --remove-all").ok
    d = deploy(sim)
    assert d.paused and d.triggers == [] and d.annotations[TRIGGERS_ANNOTATION] == "[]"


# -------------------------------------------------------------------------------------------
# rollback disables triggers (§7.5)

def test_rollback_disables_triggers_and_auto_rolls_forward(sim: Simulation) -> None:
    push(sim, WEB_2, broken=True)
    sim.advance("11m")
    w = dc(sim)
    assert sim.cluster.replicasets[(NS, "web-2")].phase == "Failed"
    assert sim.oc("rollback web").ok
    assert [t.automatic for t in w.triggers] == [False]
    sim.advance("1m")
    push(sim, WEB_3)
    assert w.revision == 3, "a disabled trigger does not react to the tag"
    assert sim.oc("set triggers dc/web").stdout == (
        "NAME                   TYPE    VALUE             AUTO\n"
        "deploymentconfigs/web  config                    true\n"
        "deploymentconfigs/web  image   web:latest (web)  false\n")
    result = sim.oc("set triggers dc/web --auto")
    assert result.stdout == "deploymentconfig.apps.openshift.io/web triggers updated\n"
    assert [t.automatic for t in w.triggers] == [True]
    assert w.revision == 4 and w.history[-1] == (4, "image change")
    assert w.template.images() == [REF.format(WEB_3)]
    assert w.triggers[0].last_triggered_image == REF.format(WEB_3)


def test_rollout_undo_dc_disables_triggers_too(sim: Simulation) -> None:
    push(sim, WEB_2)
    sim.advance("1m")
    assert sim.oc("rollout undo dc/web").ok
    assert [t.automatic for t in dc(sim).triggers] == [False]
    push(sim, WEB_3)
    assert dc(sim).revision == 3


def test_auto_when_the_tag_did_not_move_only_reenables(sim: Simulation) -> None:
    push(sim, WEB_2)
    sim.advance("1m")
    assert sim.oc("rollback web").ok  # back to WEB_1 while the tag points at WEB_2
    sim.advance("1m")
    assert sim.oc("set triggers dc/web --manual").ok
    w = dc(sim)
    assert not w.config_change and w.triggers[0].last_triggered_image == ""
    assert sim.oc("rollout latest dc/web").ok
    assert w.revision == 4 and w.template.images() == [REF.format(WEB_2)]
    sim.advance("1m")
    assert sim.oc("set triggers dc/web --auto").ok
    assert w.revision == 4 and w.config_change


# -------------------------------------------------------------------------------------------
# oc set triggers (§7.4)

def test_listing_shows_other_namespaces(sim: Simulation) -> None:
    template = PodTemplate({"app": "x"}, {}, [Container("x", " "), Container("y", " ")])
    sim.cluster.create(DeploymentConfig(NS, "x", 0, template=template, triggers=[
        ImageChangeTrigger("base:1", "shared", ["x", "y"], automatic=False)]))
    assert sim.oc("set triggers dc/x").stdout == (
        "NAME                 TYPE    VALUE                 AUTO\n"
        "deploymentconfigs/x  config                        true\n"
        "deploymentconfigs/x  image   shared/base:1 (x, y)  false\n")


def test_from_image_adds_an_automatic_trigger_and_resolves_it(sim: Simulation) -> None:
    sim.push("quay.io/acme/side:1", digest=WEB_3)
    assert sim.oc("tag --source=docker quay.io/acme/side:1 side:1").ok
    template = PodTemplate({"app": "two"}, {}, [Container("main", REF.format(WEB_1)), Container("side", "busybox")])
    w = sim.cluster.create(DeploymentConfig(NS, "two", 0, template=template))
    assert w.revision == 1
    assert sim.oc("set triggers dc/two --from-image=side:1 -c side").stdout == (
        "deploymentconfig.apps.openshift.io/two triggers updated\n")
    [trigger] = w.triggers
    assert (trigger.from_name, trigger.container_names, trigger.automatic) == ("side:1", ["side"], True)
    assert w.template.images() == [REF.format(WEB_1), f"quay.io/acme/side@{WEB_3}"]
    assert w.revision == 2 and w.history[-1] == (2, "image change")


def test_from_image_with_a_namespace(sim: Simulation) -> None:
    # the same trigger written again: oc's merge drops lastTriggeredImage, so the object changes
    # (and the controller resolves it again to the same image: no rollout)
    assert sim.oc("set triggers dc/web --from-image=myproject/web:latest -c web").stdout == (
        "deploymentconfig.apps.openshift.io/web triggers updated\n")
    assert dc(sim).revision == 1 and dc(sim).triggers[0].last_triggered_image == REF.format(WEB_1)
    assert sim.oc("set triggers deploy/api --from-image=openshift/web:latest -c api").stderr == (
        "error: deployments/api only one trigger may reference each container: api\n")


def test_from_config_remove_stops_config_change_rollouts(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --from-config --remove").ok
    w = dc(sim)
    assert not w.config_change
    template = w.template.copy()
    template.labels["tier"] = "front"
    sim.cluster.update_template(w, template, "config change")
    assert w.revision == 1
    assert sim.oc("set triggers dc/web --from-config").ok
    assert w.config_change and w.revision == 2 and w.history[-1] == (2, "config change")


def test_remove_an_image_trigger(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --remove --from-image=web:latest").stdout == (
        "deploymentconfig.apps.openshift.io/web triggers updated\n")
    assert dc(sim).triggers == [] and dc(sim).config_change
    push(sim, WEB_2)
    assert dc(sim).revision == 1
    assert sim.oc("set triggers deploy/api --remove --from-image=web:latest").ok
    assert deploy(sim).triggers == [] and not deploy(sim).paused


def test_remove_all_on_a_dc(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --remove-all").ok
    w = dc(sim)
    assert w.triggers == [] and not w.config_change
    assert sim.oc("set triggers dc/web").stdout == (
        "NAME                   TYPE    VALUE  AUTO\ndeploymentconfigs/web  config         false\n")


@pytest.mark.parametrize(("command", "error"), [
    ("set triggers dc/web --from-image=quay.io/acme/web:latest -c web",
     "error: the value of --from-image must point to an image stream tag on this server\n"),
    ("set triggers dc/web --from-image=web -c web",
     "error: the value of --from-image must include the tag you wish to pull from\n"),
    (f"set triggers dc/web --from-image=web@{WEB_1} -c web",
     "error: the value of --from-image must point to an image stream tag on this server\n"),
    ("set triggers dc/web --from-image=Web::x -c web",
     "error: the value of --from-image does not appear to be a valid reference to an image: invalid reference "
     "format\n"),
    ("set triggers dc/web --from-image=other:latest",
     "error: deploymentconfigs/web you must specify --containers when setting --from-image\n"),
    ("set triggers dc/web --from-image=other:latest -c nope",
     "error: deploymentconfigs/web not all container names exist: nope (accepts: web)\n"),
    ("set triggers deploy/api --from-image=other:latest -c nope",
     "error: deployments/api not all container names exist: nope (accepts: api)\n"),
    ("set triggers dc/web --auto --manual", "error: you must specify at most one of --auto or --manual\n"),
    ("set triggers dc/web --remove --remove-all", "error: you must specify either --remove or --remove-all\n"),
    ("set triggers dc/web --remove-all --from-config", "error: --remove-all may not be used with any other flag\n"),
    ("set triggers dc/web --remove", "error: --remove requires a flag defining a trigger type to be specified\n"),
    ("set triggers dc/web --from-config --from-image=web:latest -c web",
     "error: you may only set one trigger type at a time\n"),
    ("set triggers dc/nothing --auto", 'Error from server (NotFound): deploymentconfigs.apps.openshift.io "nothing" '
                                       "not found\n"),
    ("set triggers is/web --auto", "error: imagestreams/web does not support triggers\n"),
    ("set triggers dc", "error: resource(s) were provided, but no name was specified\n"),
    ("set nothing dc/web", 'error: unknown command "nothing" for "oc set"\n'),
])
def test_set_triggers_errors_change_nothing(sim: Simulation, command: str, error: str) -> None:
    before = snapshot(sim)
    result = sim.oc(command)
    assert (result.stdout, result.stderr, result.exit_code) == ("", error, 1)
    assert snapshot(sim) == before


def test_set_triggers_without_resources(sim: Simulation) -> None:
    result = sim.oc("set triggers --auto")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: You must provide one or more resources by argument or filename.\n")


def test_a_newer_version_cancels_a_dc_rollout_still_running(sim: Simulation) -> None:
    push(sim, WEB_2)  # web-2 starts; its pods are still pulling
    push(sim, WEB_3)  # web-3 supersedes it at once
    rcs = sim.cluster.replicasets
    assert rcs[(NS, "web-2")].phase == "Failed" and rcs[(NS, "web-2")].replicas == 0
    assert rcs[(NS, "web-3")].phase in ("Pending", "Running")
    sim.advance("1m")
    assert rcs[(NS, "web-3")].phase == "Complete"
    assert [(rc.name, rc.replicas) for rc in sim.cluster.owned(dc(sim))] == [("web-1", 0), ("web-2", 0), ("web-3", 1)]


def test_a_deployment_past_its_deadline_recovers_when_its_pods_get_ready() -> None:
    from imagesim.workloads import Deployment

    sim = Simulation(seed=0)
    sim.push("docker.io/library/nginx:1.25")
    sim.outage("docker.io", duration="2h")
    template = PodTemplate({"app": "web"}, {}, [Container("web", "docker.io/library/nginx:1.25")])
    w = sim.cluster.create(Deployment(NS, "web", 0, selector={"app": "web"}, template=template))
    sim.advance("30m")
    assert w.conditions["Progressing"][:2] == ("False", "ProgressDeadlineExceeded")
    sim.advance("3h")
    assert w.conditions["Progressing"][:2] == ("True", "NewReplicaSetAvailable")
    assert w.conditions["Available"][0] == "True"


def test_deleting_a_dc_removes_its_deployer_pods_and_lets_pods_terminate(sim: Simulation) -> None:
    w = dc(sim)
    pods = [p for p in sim.cluster.pods.values() if p.workload == "web"]
    assert any(p.deployer for p in pods) and any(not p.deployer for p in pods)
    sim.cluster.delete(w)
    left = [p for p in sim.cluster.pods.values() if p.workload == "web"]
    assert left and all(not p.deployer and p.deleted >= 0 for p in left)
    sim.advance("31s")
    assert not [p for p in sim.cluster.pods.values() if p.workload == "web"]
