"""The application commands: ``oc new-app``, ``oc create deployment``, ``oc rollout …``,
``oc rollback`` and ``oc set image-lookup`` (§4.2, §7): objects, exact output, and the rule that a
failing command prints an oc-style error and changes nothing."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation, scenarios
from imagesim.cluster import RESOLVE_NAMES, TRIGGERS_ANNOTATION

NS = "myproject"
LIGHTTPD = "sha256:6eb768b8c37e996e9e63cfa56a9b99e2ef047a085d41051d0c7675ac251ccf07"
WEB_1 = "sha256:" + "a1" * 32
WEB_2 = "sha256:" + "a2" * 32


def snapshot(sim: Simulation) -> tuple:
    """Everything a command could change."""
    cluster = sim.cluster
    workloads = tuple(
        (w.key, w.template.signature(), w.revision, w.generation, w.paused, w.config_change, w.replicas,
         tuple(sorted(w.annotations.items())),
         tuple((t.from_name, t.from_namespace, tuple(t.container_names), t.automatic, t.last_triggered_image,
                t.field_path, t.paused) for t in w.triggers))
        for w in sorted(cluster.workloads.values(), key=lambda w: w.key))
    rss = tuple((rs.name, rs.phase, rs.replicas, rs.revision, rs.cause, rs.deadline)
                for rs in cluster.list("rs", None))
    pods = tuple((p.name, p.deleted) for p in cluster.list("pod", None))
    services = tuple(sorted(cluster.services))
    streams = sim.oc("get is -A -o json").stdout
    return workloads, rss, pods, services, streams, len(sim.log), sim.clock.pending()


def workload(sim: Simulation, name: str, kind: str = "Deployment"):
    return sim.cluster.workload(kind, NS, name)


@pytest.fixture
def catalog() -> Simulation:
    return scenarios.openshift_catalog(0)


@pytest.fixture
def sim() -> Simulation:
    """web:latest imported from quay.io/acme/web:latest (WEB_1); DC ``web`` follows it and is
    complete; Deployment ``api`` follows it too."""
    sim = Simulation()
    sim.push("quay.io/acme/web:latest", digest=WEB_1)
    assert sim.oc("tag --source=docker quay.io/acme/web:latest web:latest").ok
    assert sim.oc("new-app web:latest --as-deployment-config").ok
    assert sim.oc("new-app web:latest --name=api").ok
    sim.advance("1m")
    return sim


def new_image(sim: Simulation, digest: str = WEB_2, broken: bool = False) -> None:
    sim.push("quay.io/acme/web:latest", digest=digest, broken=broken)
    assert sim.oc("import-image web:latest").ok


# -------------------------------------------------------------------------------------------
# oc new-app

NEW_APP = """\
--> Found container image 6eb768b (22 hours old) from Docker Hub for "gists/lighttpd"

    * An image stream tag will be created as "lighttpd:latest" that will track this image

--> Creating resources ...
    imagestream.image.openshift.io "lighttpd" created
    {0} "lighttpd" created
    service "lighttpd" created
--> Success
    Application is not exposed. You can expose services to the outside world by executing one or more of the commands below:
     'oc expose service/lighttpd' 
    Run 'oc status' to view your app.
"""


def test_new_app_deployment_output_and_objects(catalog: Simulation) -> None:
    result = catalog.oc("new-app gists/lighttpd")
    assert (result.stdout, result.stderr, result.exit_code) == (NEW_APP.format("deployment.apps"), "", 0)
    stream = json.loads(catalog.oc("get is lighttpd -o json").stdout)
    assert stream["spec"]["tags"][0]["from"] == {"kind": "DockerImage", "name": "gists/lighttpd"}
    assert stream["spec"]["tags"][0]["annotations"] == {"openshift.io/imported-from": "gists/lighttpd"}
    assert stream["status"]["tags"][0]["items"][0]["image"] == LIGHTTPD
    labels = {"app": "lighttpd", "app.kubernetes.io/component": "lighttpd", "app.kubernetes.io/instance": "lighttpd"}
    assert stream["metadata"]["labels"] == labels
    w = workload(catalog, "lighttpd")
    assert w.labels == labels and w.selector == {"deployment": "lighttpd"}
    assert json.loads(w.annotations[TRIGGERS_ANNOTATION]) == [
        {"from": {"kind": "ImageStreamTag", "name": "lighttpd:latest"},
         "fieldPath": 'spec.template.spec.containers[?(@.name=="lighttpd")].image'}]
    assert w.template.containers[0].image == f"gists/lighttpd@{LIGHTTPD}"
    assert w.revision == 1
    svc = catalog.cluster.services[(NS, "lighttpd")]
    assert (svc.ports, svc.selector) == ([8080], {"deployment": "lighttpd"})
    catalog.advance("1m")
    assert catalog.cluster.available(svc)


def test_new_app_deployment_config_output_and_triggers(catalog: Simulation) -> None:
    result = catalog.oc("new-app gists/lighttpd --as-deployment-config")
    dc_lines = ('    * This image will be deployed in deployment config "lighttpd"\n'
                '    * Port 8080/tcp will be load balanced by service "lighttpd"\n'
                '      * Other containers can access this service through the hostname "lighttpd"\n')
    expected = NEW_APP.format("deploymentconfig.apps.openshift.io").replace(
        "that will track this image\n", "that will track this image\n" + dc_lines, 1)
    assert result.stdout == expected
    w = workload(catalog, "lighttpd", "DeploymentConfig")
    assert w.config_change and w.selector == {"deploymentconfig": "lighttpd"}
    [trigger] = w.triggers
    assert (trigger.from_name, trigger.from_namespace, trigger.container_names, trigger.automatic) == (
        "lighttpd:latest", "", ["lighttpd"], True)
    assert trigger.last_triggered_image == f"gists/lighttpd@{LIGHTTPD}"
    assert w.history == [(1, "config change")]
    assert catalog.oc("rollout status dc/lighttpd").stdout == (
        "Waiting for rollout to finish: 0 of 1 updated replicas are available...\n")
    catalog.advance("1m")
    assert catalog.oc("rollout status dc/lighttpd").stdout == (
        'replication controller "lighttpd-1" successfully rolled out\n')


def test_new_app_from_an_image_stream_tag_creates_no_stream(catalog: Simulation) -> None:
    streams = len(catalog.server.streams(NS))
    result = catalog.oc("new-app openshift/mongodb:3.2")
    assert result.stdout.startswith(
        '--> Found image d4dc006 (22 hours old) in image stream "openshift/mongodb" under tag "3.2" for '
        '"openshift/mongodb:3.2"\n\n\n--> Creating resources ...\n    deployment.apps "mongodb" created\n')
    assert len(catalog.server.streams(NS)) == streams
    [trigger] = workload(catalog, "mongodb").triggers
    assert (trigger.from_name, trigger.from_namespace) == ("mongodb:3.2", "openshift")
    dc = catalog.oc("new-app mongodb:3.2 --name=db --as-deployment-config")
    assert dc.ok and "under tag \"3.2\" for \"mongodb:3.2\"" in dc.stdout
    assert workload(catalog, "db", "DeploymentConfig").triggers[0].from_namespace == "openshift"


def test_new_app_name_and_full_reference(catalog: Simulation) -> None:
    result = catalog.oc("new-app docker.io/library/nginx:1.25 --name=web")
    assert result.stdout.splitlines()[:3] == [
        result.stdout.splitlines()[0], "", '    * An image stream tag will be created as "web:1.25" that will track '
        "this image"]
    assert " from docker.io for \"docker.io/library/nginx:1.25\"" in result.stdout.splitlines()[0]
    assert catalog.stream("web").spec["1.25"].from_name == "docker.io/library/nginx:1.25"
    assert workload(catalog, "web").template.containers[0].image.startswith("docker.io/library/nginx@sha256:")


def test_new_app_image_not_found(catalog: Simulation) -> None:
    before = snapshot(catalog)
    result = catalog.oc("new-app acme/nothing")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        'error: unable to locate any images in image streams, templates loaded in accessible projects, template '
        'files, local docker images with name "acme/nothing"')
    assert "--allow-missing-images can be used to point to an image that does not exist yet." in result.stderr
    assert result.stderr.rstrip().endswith("See 'oc new-app -h' for examples.")
    assert snapshot(catalog) == before


def test_new_app_refuses_existing_objects(catalog: Simulation) -> None:
    assert catalog.oc("new-app gists/lighttpd").ok
    before = snapshot(catalog)
    result = catalog.oc("new-app gists/lighttpd")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ('error: imagestreams.image.openshift.io "lighttpd" already exists\n'
                             'error: deployments.apps "lighttpd" already exists\n'
                             'error: services "lighttpd" already exists\n')
    assert snapshot(catalog) == before


@pytest.mark.parametrize("command", ["new-app gists/lighttpd --name=Bad_Name", "new-app", "new-app a b",
                                     "new-app https://github.com/sclorg/nodejs-ex"])
def test_new_app_usage_errors_change_nothing(catalog: Simulation, command: str) -> None:
    before = snapshot(catalog)
    result = catalog.oc(command)
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    assert snapshot(catalog) == before


# -------------------------------------------------------------------------------------------
# oc create deployment

def test_create_deployment_is_a_plain_deployment(catalog: Simulation) -> None:
    result = catalog.oc("create deployment web --image=docker.io/library/nginx:1.25 --replicas=2")
    assert (result.stdout, result.exit_code) == ("deployment.apps/web created\n", 0)
    w = workload(catalog, "web")
    assert (w.labels, w.selector, w.template.labels, w.replicas) == ({"app": "web"}, {"app": "web"},
                                                                       {"app": "web"}, 2)
    assert w.triggers == [] and TRIGGERS_ANNOTATION not in w.annotations
    assert [(c.name, c.image, c.pull_policy) for c in w.template.containers] == [
        ("nginx", "docker.io/library/nginx:1.25", "IfNotPresent")]
    catalog.advance("1m")
    assert catalog.oc("rollout status deployment/web").stdout == 'deployment "web" successfully rolled out\n'


def test_create_deployment_goes_through_image_lookup(catalog: Simulation) -> None:
    assert catalog.oc("tag --source=docker docker.io/library/nginx:1.25 nginx:1.25").ok
    assert catalog.oc("create deployment plain --image=nginx:1.25").ok
    assert workload(catalog, "plain").template.containers[0].image == "nginx:1.25"
    assert catalog.oc("set image-lookup nginx").stdout == "imagestream.image.openshift.io/nginx image lookup updated\n"
    assert catalog.oc("create deployment local --image=nginx:1.25").ok
    digest = catalog.stream("nginx").head("1.25").image
    assert workload(catalog, "local").template.containers[0].image == f"docker.io/library/nginx@{digest}"


@pytest.mark.parametrize(("command", "error"), [
    ("create deployment web", 'error: required flag(s) "image" not set\n'),
    ("create deployment web --image=nginx --replicas=-1", "error: replicas must be non-negative, got -1\n"),
    ("create deployment web --image=nginx --image-stream=x", "error: unknown flag: --image-stream\n"
                                                             "See 'oc create -h' for help and examples\n"),
    ("create deployment Web_1 --image=nginx",
     'The Deployment "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must '
     "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
     "character (e.g. 'example.com', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
])
def test_create_deployment_errors(catalog: Simulation, command: str, error: str) -> None:
    before = snapshot(catalog)
    result = catalog.oc(command)
    assert (result.stderr, result.exit_code) == (error, 1)
    assert snapshot(catalog) == before


def test_create_deployment_takes_any_name_the_server_takes(catalog: Simulation) -> None:
    for name in ("1web", "web.v2", "a" * 253):
        assert catalog.oc(f"create deployment {name} --image=nginx").ok, name
    before = snapshot(catalog)
    long = "a" * 254
    result = catalog.oc(f"create deployment {long} --image=nginx")
    assert (result.exit_code, result.stderr) == (1, f'The Deployment "{long}" is invalid: metadata.name: Invalid '
                                                    f'value: "{long}": must be no more than 253 characters\n')
    # more than one cause: oc lists them under the first line
    result = catalog.oc(f"create deployment {long}_ --image=nginx")
    assert result.stderr.startswith(f'The Deployment "{long}_" is invalid: \n* metadata.name: Invalid value: '
                                    f'"{long}_": must be no more than 253 characters\n* metadata.name: Invalid '
                                    f'value: "{long}_": a lowercase RFC 1123 subdomain must consist of')
    assert snapshot(catalog) == before


def test_create_deployment_twice(catalog: Simulation) -> None:
    assert catalog.oc("create deployment web --image=nginx").ok
    before = snapshot(catalog)
    result = catalog.oc("create deployment web --image=nginx")
    assert result.stderr == 'error: failed to create deployment: deployments.apps "web" already exists\n'
    assert snapshot(catalog) == before


def test_create_from_a_file_still_works(catalog: Simulation, tmp_path) -> None:
    path = tmp_path / "is.yaml"
    path.write_text("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: fresh\n")
    assert catalog.oc(f"create -f {path}").stdout == "imagestream.image.openshift.io/fresh created\n"


# -------------------------------------------------------------------------------------------
# oc rollout status / history

def test_rollout_status_of_a_failing_rollout(sim: Simulation) -> None:
    new_image(sim, broken=True)
    assert sim.oc("rollout status dc/web").stdout == (
        "Waiting for rollout to finish: 1 old replicas are pending termination...\n")
    assert sim.oc("rollout status deploy/api").stdout == (
        'Waiting for deployment "api" rollout to finish: 1 old replicas are pending termination...\n')
    sim.advance("11m")
    dc = sim.oc("rollout status dc/web")
    assert (dc.stdout, dc.stderr, dc.exit_code) == ("", 'error: replication controller "web-2" has failed '
                                                        "progressing\n", 1)
    deploy = sim.oc("rollout status deployment/api")
    assert (deploy.stderr, deploy.exit_code) == ('error: deployment "api" exceeded its progress deadline\n', 1)


def test_rollout_status_waits_for_an_image(sim: Simulation) -> None:
    assert sim.oc("create deployment x --image=quay.io/acme/web:latest").ok
    from imagesim.workloads import Container, DeploymentConfig, ImageChangeTrigger, PodTemplate

    sim.cluster.create(DeploymentConfig(NS, "later", 0, template=PodTemplate({}, {}, [Container("c", " ")]),
                                        triggers=[ImageChangeTrigger("missing:1", "", ["c"])]))
    assert sim.oc("rollout status dc/later").stdout == 'Deployment config "later" waiting on image update\n'
    assert sim.oc("rollout status dc/later --revision=2").stderr == (
        "error: desired revision (2) is different from the running revision (0)\n")


def test_rollout_history(sim: Simulation) -> None:
    new_image(sim)
    sim.advance("1m")
    dc = sim.oc("rollout history dc/web")
    assert dc.stdout == ("deploymentconfig.apps.openshift.io/web \n"
                         "REVISION\tSTATUS\t\tCAUSE\n"
                         "1\t\tComplete\tconfig change\n"
                         "2\t\tComplete\timage change\n\n")
    deploy = sim.oc("rollout history deployment/api")
    assert deploy.stdout == ("deployment.apps/api \n"
                             "REVISION  CHANGE-CAUSE\n"
                             "1         <none>\n"
                             "2         <none>\n\n")
    one = sim.oc("rollout history dc/web --revision=1")
    assert one.stdout.startswith("deploymentconfig.apps.openshift.io/web with revision #1\nPod Template:\n")
    assert f"    Image:\tquay.io/acme/web@{WEB_1}\n" in one.stdout
    assert sim.oc("rollout history dc/web --revision=7").stderr == "error: unable to find the specified revision\n"


# -------------------------------------------------------------------------------------------
# oc rollout latest / undo / pause / resume / cancel / retry

def test_rollout_latest_resolves_manual_triggers(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --manual").ok
    new_image(sim)
    sim.advance("1m")
    w = workload(sim, "web", "DeploymentConfig")
    assert w.revision == 1 and w.template.images() == [f"quay.io/acme/web@{WEB_1}"]
    result = sim.oc("rollout latest dc/web")
    assert (result.stdout, result.exit_code) == ("deploymentconfig.apps.openshift.io/web rolled out\n", 0)
    assert w.revision == 2 and w.history[-1] == (2, "manual change")
    assert w.template.images() == [f"quay.io/acme/web@{WEB_2}"]
    assert w.triggers[0].last_triggered_image == f"quay.io/acme/web@{WEB_2}"
    assert not w.triggers[0].automatic


def test_rollout_latest_again_keeps_the_template(sim: Simulation) -> None:
    assert sim.oc("set triggers dc/web --manual").ok
    new_image(sim)
    assert sim.oc("rollout latest web --again").ok
    w = workload(sim, "web", "DeploymentConfig")
    assert w.revision == 2 and w.template.images() == [f"quay.io/acme/web@{WEB_1}"]


def test_rollout_latest_with_unresolved_images(sim: Simulation) -> None:
    from imagesim.workloads import Container, DeploymentConfig, ImageChangeTrigger, PodTemplate

    sim.cluster.create(DeploymentConfig(NS, "later", 0, template=PodTemplate({}, {}, [Container("c", " ")]),
                                        triggers=[ImageChangeTrigger("missing:1", "", ["c"], automatic=False)]))
    before = snapshot(sim)
    result = sim.oc("rollout latest dc/later")
    assert (result.stderr, result.exit_code) == (
        'Error from server (BadRequest): cannot trigger a deployment for "later" because it contains unresolved '
        "images\n", 1)
    assert snapshot(sim) == before


def test_rollout_undo_deployment_config(sim: Simulation) -> None:
    new_image(sim, broken=True)
    sim.advance("11m")
    result = sim.oc("rollout undo dc/web")
    assert result.stdout == "deploymentconfig.apps.openshift.io/web rolled back\n"
    w = workload(sim, "web", "DeploymentConfig")
    assert w.revision == 3 and w.template.images() == [f"quay.io/acme/web@{WEB_1}"]
    assert [t.automatic for t in w.triggers] == [False]
    sim.advance("1m")
    assert sim.oc("rollout status dc/web").stdout == 'replication controller "web-3" successfully rolled out\n'


def test_rollout_undo_deployment_is_reverted_by_its_trigger(sim: Simulation) -> None:
    new_image(sim)
    sim.advance("1m")
    w = workload(sim, "api")
    assert w.revision == 2
    result = sim.oc("rollout undo deployment/api")
    assert result.stdout == "deployment.apps/api rolled back\n"
    # the undo rolled out revision 3 (WEB_1), then the unpaused trigger put the tag's image back
    assert w.revision == 4 and w.template.images() == [f"quay.io/acme/web@{WEB_2}"]
    assert [rs.revision for rs in sim.cluster.owned(w)] == [3, 4]


def test_rollout_undo_deployment_sticks_when_the_trigger_is_paused(sim: Simulation) -> None:
    new_image(sim)
    sim.advance("1m")
    assert sim.oc("set triggers deploy/api --from-image=web:latest -c api --manual").ok
    w = workload(sim, "api")
    assert not w.paused and [t.paused for t in w.triggers] == [True]
    assert sim.oc("rollout undo deployment/api").ok
    assert w.revision == 3 and w.template.images() == [f"quay.io/acme/web@{WEB_1}"]
    assert sim.oc("rollout undo deployment/api").stdout == "deployment.apps/api rolled back\n"
    assert sim.oc("rollout undo deployment/api --to-revision=4").stdout == (
        "deployment.apps/api skipped rollback (current template already matches revision 4)\n")


def test_pause_and_resume(sim: Simulation) -> None:
    assert sim.oc("rollout pause dc/web").stdout == "deploymentconfig.apps.openshift.io/web paused\n"
    assert sim.oc("rollout pause deploy/api").stdout == "deployment.apps/api paused\n"
    new_image(sim)
    sim.advance("1m")
    dc, api = workload(sim, "web", "DeploymentConfig"), workload(sim, "api")
    assert (dc.revision, api.revision) == (1, 1)
    again = sim.oc("rollout pause deploy/api")
    assert (again.stderr, again.exit_code) == ('error: deployments.apps "api" is already paused\n', 1)
    assert sim.oc("rollout resume dc/web").stdout == "deploymentconfig.apps.openshift.io/web resumed\n"
    assert sim.oc("rollout resume deploy/api").stdout == "deployment.apps/api resumed\n"
    assert dc.revision == 2 and dc.history[-1] == (2, "image change")
    assert api.revision == 2 and api.template.images() == [f"quay.io/acme/web@{WEB_2}"]
    assert sim.oc("rollout resume dc/web").stderr == (
        'error: deploymentconfigs.apps.openshift.io "web" is not paused\n')


def test_paused_deployment_configs_cannot_be_rolled_back(sim: Simulation) -> None:
    new_image(sim)
    sim.advance("1m")
    assert sim.oc("rollout pause dc/web").ok
    before = snapshot(sim)
    assert sim.oc("rollback web").stderr == "error: cannot rollback a paused deployment config\n"
    assert sim.oc("rollout undo dc/web").stderr == (
        "error: cannot rollback a paused config; resume it first with 'rollout resume dc/web' and try again\n")
    assert sim.oc("rollout latest dc/web").stderr == "error: cannot deploy a paused deployment config\n"
    assert sim.oc("rollout status dc/web").stderr == (
        'error: Deployment config "web" is paused. Resume to continue watching the status of the rollout.\n')
    assert snapshot(sim) == before


def test_rollout_cancel(sim: Simulation) -> None:
    new_image(sim, broken=True)
    result = sim.oc("rollout cancel dc/web")
    assert result.stdout == "deploymentconfig.apps.openshift.io/web cancelling\n"
    rc = sim.cluster.replicasets[(NS, "web-2")]
    assert (rc.phase, rc.replicas, rc.cause) == ("Failed", 0, "cancelled by the user")
    assert sim.cluster.replicasets[(NS, "web-1")].replicas == 1
    assert sim.oc("rollout status dc/web").stderr == (
        'error: rollout of replication controller "web-2" was cancelled\n')
    assert "2\t\tFailed\t\tcancelled by the user\n" in sim.oc("rollout history dc/web").stdout
    sim.advance("3m")
    assert sim.oc("rollout cancel dc/web").stdout == (
        "No rollout is in progress (latest rollout #2 failed 3 minutes ago)\n")
    assert sim.oc("rollout cancel deploy/api").stderr == "error: expected deployment configuration, got deployments\n"


def test_rollout_retry(sim: Simulation) -> None:
    new_image(sim, broken=True)
    refused = sim.oc("rollout retry dc/web")
    assert refused.stderr == ("error: rollout #2 is running; only failed deployments can be retried.\n"
                              "Optionally, you can cancel this deployment with 'oc rollout cancel dc/web'.\n")
    sim.advance("11m")
    assert sim.cluster.replicasets[(NS, "web-2")].phase == "Failed"
    result = sim.oc("rollout retry dc/web")
    assert result.stdout == "deploymentconfig.apps.openshift.io/web retried rollout #2\n"
    rc = sim.cluster.replicasets[(NS, "web-2")]
    assert (rc.phase, rc.replicas, rc.deadline) == ("Running", 1, sim.time + 600)
    assert "2\t\tRunning\t\t<unknown>\n" in sim.oc("rollout history dc/web").stdout
    sim.advance("11m")
    assert rc.phase == "Failed"
    complete = Simulation()
    complete.push("quay.io/acme/web:latest", digest=WEB_1)
    assert complete.oc("tag --source=docker quay.io/acme/web:latest web:latest").ok
    assert complete.oc("new-app web:latest --as-deployment-config").ok
    complete.advance("1m")
    assert complete.oc("rollout retry dc/web").stderr == (
        "error: rollout #1 is complete; only failed deployments can be retried.\n"
        "You can start a new deployment with 'oc rollout latest dc/web'.\n")


# -------------------------------------------------------------------------------------------
# oc rollback (§7.5)

ROLLBACK = """\
deploymentconfig.apps.openshift.io/web deployment #3 rolled back to web-1
Warning: the following images triggers were disabled: web:latest
  You can re-enable them with: oc set triggers dc/web --auto
"""


def test_rollback_output_and_effect(sim: Simulation) -> None:
    new_image(sim, broken=True)
    sim.advance("11m")
    result = sim.oc("rollback web")
    assert (result.stdout, result.stderr, result.exit_code) == (ROLLBACK, "", 0)
    w = workload(sim, "web", "DeploymentConfig")
    assert w.template.images() == [f"quay.io/acme/web@{WEB_1}"]
    assert [t.automatic for t in w.triggers] == [False]
    sim.advance("1m")
    assert sim.cluster.replicasets[(NS, "web-3")].phase == "Complete"


def test_rollback_to_a_version_and_by_rc_name(sim: Simulation) -> None:
    new_image(sim)
    sim.advance("1m")
    assert sim.oc("rollback web --to-version=2").stderr == (
        'The DeploymentConfigRollback "web" is invalid: name: Invalid value: "web": version 2 is already the latest\n')
    assert sim.oc("rollback web --to-version=1").stdout == ROLLBACK
    sim.advance("1m")
    assert sim.oc("rollback web-2").stdout.startswith(
        "deploymentconfig.apps.openshift.io/web deployment #4 rolled back to web-2\n")
    assert workload(sim, "web", "DeploymentConfig").template.images() == [f"quay.io/acme/web@{WEB_2}"]


@pytest.mark.parametrize(("command", "error"), [
    ("rollback web", "error: couldn't find deployment for rollback\n"),
    ("rollback web --to-version=1", 'The DeploymentConfigRollback "web" is invalid: name: Invalid value: "web": '
                                    'no previous deployment exists for "myproject/web"\n'),
    ("rollout undo dc/web", 'The DeploymentConfigRollback "web" is invalid: name: Invalid value: "web": no previous '
                            'deployment exists for "myproject/web"\n'),
    ("rollback nothing", "error: nothing is not a valid deployment or deployment config\n"),
    ("rollback dc/nothing", 'Error from server (NotFound): deploymentconfigs.apps.openshift.io "nothing" not found\n'),
    ("rollback web --to-version=-1", "error: the to version must be >= 0\n"),
    ("rollback", "error: a deployment or deployment config name is required\n"),
    ("rollout undo deploy/api", 'error: no rollout history found for deployment "api"\n'),
    ("rollout undo deploy/api --to-revision=5", "error: unable to find specified revision 5 in history\n"),
    ("rollout latest deploy/api", "error: api is not a deployment config\n"),
    ("rollout latest", "error: one deployment config name is needed as argument.\n"),
    ("rollout status web", 'error: the server doesn\'t have a resource type "web"\n'),
    ("rollout status", "error: Required resource not specified.\nSee 'oc rollout status -h' for help and examples\n"),
    ("rollout status dc/nothing", 'Error from server (NotFound): deploymentconfigs.apps.openshift.io "nothing" not '
                                  "found\n"),
    ("rollout nothing dc/web", 'error: unknown command "nothing" for "oc rollout"\n'),
    ("rollout status dc/web --to-revision=1", "error: unknown flag: --to-revision\n"
                                              "See 'oc rollout -h' for help and examples\n"),
    ("rollout resume dc/web", 'error: deploymentconfigs.apps.openshift.io "web" is not paused\n'),
])
def test_failing_rollout_commands_change_nothing(sim: Simulation, command: str, error: str) -> None:
    before = snapshot(sim)
    result = sim.oc(command)
    assert (result.stdout, result.stderr, result.exit_code) == ("", error, 1)
    assert snapshot(sim) == before


# -------------------------------------------------------------------------------------------
# oc set image-lookup (§4.2)

def test_set_image_lookup_on_streams(sim: Simulation) -> None:
    assert sim.oc("tag --source=docker quay.io/acme/web:latest mysql:latest").ok
    assert sim.oc("set image-lookup").stdout == "NAME   LOCAL\nmysql  false\nweb    false\n"
    assert sim.oc("set image-lookup mysql").stdout == "imagestream.image.openshift.io/mysql image lookup updated\n"
    assert sim.oc("set image-lookup mysql").stdout == ""  # nothing changed, nothing printed
    assert sim.stream("mysql").lookup_local
    assert sim.oc("set image-lookup").stdout == "NAME   LOCAL\nmysql  true\nweb    false\n"
    assert sim.oc("set image-lookup is/mysql --enabled=false").stdout == (
        "imagestream.image.openshift.io/mysql image lookup updated\n")
    assert not sim.stream("mysql").lookup_local
    missing = sim.oc("set image-lookup nothing")
    assert (missing.stderr, missing.exit_code) == (
        'Error from server (NotFound): imagestreams.image.openshift.io "nothing" not found\n', 1)


def test_set_image_lookup_on_a_deployment_resolves_names(sim: Simulation) -> None:
    assert sim.oc("create deployment bare --image=web:latest").ok
    w = workload(sim, "bare")
    assert w.template.images() == ["web:latest"]
    assert sim.oc("set image-lookup deploy/bare").stdout == "deployment.apps/bare image lookup updated\n"
    assert w.template.annotations[RESOLVE_NAMES] == "*"
    assert w.template.images() == [f"quay.io/acme/web@{WEB_1}"] and w.revision == 2
    assert sim.oc("set image-lookup --list deploy/bare").stdout == "NAME              LOCAL\ndeployments/bare  true\n"
    assert sim.oc("set image-lookup deploy/bare --enabled=false").ok
    assert RESOLVE_NAMES not in w.template.annotations
