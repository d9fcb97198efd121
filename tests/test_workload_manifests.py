"""Workloads as API objects: the ``-o json|yaml`` shapes of every kind, ``oc apply -f`` of
DeploymentConfigs, Deployments and Services (validation, updates), and the round trip."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from imagesim import Invalid, Simulation
from imagesim.workload_manifests import parse_service, parse_workload

TRIGGERS = ('[{"from":{"kind":"ImageStreamTag","name":"lighttpd:latest"},'
            '"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]')


def upstream() -> Simulation:
    sim = Simulation(seed=0)
    sim.push("docker.io/gists/lighttpd:latest")
    sim.push("docker.io/library/nginx:1.25")
    return sim


def dc_manifest(**spec) -> dict:
    body = {"replicas": 2, "selector": {"app": "lighttpd"},
            "template": {"metadata": {"labels": {"app": "lighttpd"}},
                         "spec": {"containers": [{"name": "web", "image": "lighttpd:latest",
                                                  "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}},
            "triggers": [{"type": "ConfigChange"},
                         {"type": "ImageChange", "imageChangeParams": {
                             "automatic": True, "containerNames": ["web"],
                             "from": {"kind": "ImageStreamTag", "name": "lighttpd:latest"}}}]}
    body.update(spec)
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "lighttpd", "labels": {"app": "lighttpd"}}, "spec": body}


def deploy_manifest(annotations: dict | None = None, **spec) -> dict:
    body = {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": "docker.io/library/nginx:1.25"}]}}}
    body.update(spec)
    meta = {"name": "web", "labels": {"app": "web"}}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": body}


SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lighttpd"},
           "spec": {"selector": {"app": "lighttpd"}, "ports": [{"port": 8080, "protocol": "TCP", "targetPort": 8080}]}}


@pytest.fixture(scope="module")
def applied() -> Simulation:
    """A world made with ``oc apply``: a stream, a DC with an image trigger, a Deployment whose
    triggers annotation follows the same tag, and a Service."""
    sim = upstream()
    assert sim.oc("tag --source=docker docker.io/gists/lighttpd:latest lighttpd:latest").exit_code == 0
    result = sim.oc_stdin("apply -f -", json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        dc_manifest(), deploy_manifest({"image.openshift.io/triggers": TRIGGERS}), SERVICE]}))
    assert result.stdout == ("deploymentconfig.apps.openshift.io/lighttpd created\ndeployment.apps/web created\n"
                             "service/lighttpd created\n"), result
    sim.advance("1m")
    return sim


def get(sim: Simulation, what: str, output: str = "json"):
    result = sim.oc(f"get {what} -o {output}")
    assert (result.exit_code, result.stderr) == (0, ""), result
    return json.loads(result.stdout) if output == "json" else yaml.safe_load(result.stdout)


# shapes ----------------------------------------------------------------------------------------


def test_deploymentconfig_shape(applied):
    dc = get(applied, "dc/lighttpd")
    assert (dc["apiVersion"], dc["kind"]) == ("apps.openshift.io/v1", "DeploymentConfig")
    assert dc["metadata"]["labels"] == {"app": "lighttpd"}
    image = applied.stream("lighttpd").head("latest")
    ref = f"docker.io/gists/lighttpd@{image.image}"
    assert dc["spec"]["triggers"] == [
        {"type": "ConfigChange"},
        {"imageChangeParams": {"automatic": True, "containerNames": ["web"],
                               "from": {"kind": "ImageStreamTag", "name": "lighttpd:latest", "namespace": "myproject"},
                               "lastTriggeredImage": ref},
         "type": "ImageChange"}]
    assert dc["spec"]["strategy"]["type"] == "Rolling"
    assert dc["spec"]["strategy"]["rollingParams"]["timeoutSeconds"] == 600
    assert dc["spec"]["template"]["spec"]["containers"][0]["image"] == ref
    assert dc["spec"]["template"]["spec"]["containers"][0]["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    status = dc["status"]
    assert (status["latestVersion"], status["replicas"], status["readyReplicas"], status["updatedReplicas"]) == (1, 2, 2, 2)
    assert [(c["type"], c["status"]) for c in status["conditions"]] == [("Available", "True"), ("Progressing", "True")]
    assert status["conditions"][1]["reason"] == "NewReplicationControllerAvailable"
    assert status["details"] == {"causes": [{"type": "ConfigChange"}], "message": "config change"}


def test_deployment_shape(applied):
    d = get(applied, "deploy/web")
    assert (d["apiVersion"], d["kind"]) == ("apps/v1", "Deployment")
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1",
                                            "image.openshift.io/triggers": TRIGGERS}
    assert "paused" not in d["spec"]
    assert d["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert d["spec"]["strategy"]["type"] == "RollingUpdate"
    head = applied.stream("lighttpd").head("latest").image
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == f"docker.io/gists/lighttpd@{head}"
    assert [(c["type"], c["status"], c["reason"]) for c in d["status"]["conditions"]] == [
        ("Available", "True", "MinimumReplicasAvailable"), ("Progressing", "True", "NewReplicaSetAvailable")]
    assert (d["status"]["replicas"], d["status"]["readyReplicas"], d["status"]["availableReplicas"]) == (1, 1, 1)
    applied_paused = upstream()
    applied_paused.apply(deploy_manifest(paused=True))
    paused = get(applied_paused, "deploy/web")
    assert paused["spec"]["paused"] is True
    assert "replicas" not in paused["status"]


def test_pod_shape(applied):
    pods = get(applied, "pods -l app=lighttpd")
    assert (pods["apiVersion"], pods["kind"], len(pods["items"])) == ("v1", "List", 2)
    pod = pods["items"][0]
    assert (pod["apiVersion"], pod["kind"]) == ("v1", "Pod")
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"
    assert pod["metadata"]["ownerReferences"][0]["controller"] is True
    status = pod["status"]
    assert status["phase"] == "Running"
    (cs,) = status["containerStatuses"]
    head = applied.stream("lighttpd").head("latest").image
    assert cs["image"] == f"docker.io/gists/lighttpd@{head}"
    assert cs["imageID"] == f"docker.io/gists/lighttpd@{head}"
    assert (cs["name"], cs["ready"], cs["restartCount"], cs["started"]) == ("web", True, 0, True)
    assert list(cs["state"]) == ["running"] and cs["state"]["running"]["startedAt"].endswith("Z")
    assert cs["containerID"].startswith("cri-o://")
    assert [c["type"] for c in status["conditions"]] == ["PodReadyToStartContainers", "Initialized", "Ready",
                                                         "ContainersReady", "PodScheduled"]
    assert status["podIP"].startswith("10.1")


def test_pod_shape_while_pulling_fails_and_terminating():
    sim = upstream()
    sim.outage("docker.io", duration="1h")
    sim.apply(deploy_manifest())
    sim.advance("5m")
    (pod,) = get(sim, "pods")["items"]
    (cs,) = pod["status"]["containerStatuses"]
    assert pod["status"]["phase"] == "Pending"
    assert cs["state"] == {"waiting": {"message": 'Back-off pulling image "docker.io/library/nginx:1.25"',
                                       "reason": "ImagePullBackOff"}}
    assert (cs["ready"], cs["imageID"], cs["started"]) == (False, "", False)
    name = pod["metadata"]["name"]
    sim.oc(f"delete pod {name}")
    terminating = get(sim, f"pod/{name}")
    assert terminating["kind"] == "Pod"
    assert terminating["metadata"]["deletionGracePeriodSeconds"] == 30
    assert "deletionTimestamp" in terminating["metadata"]


def test_rc_rs_and_service_shapes(applied):
    rc = get(applied, "rc/lighttpd-1")
    assert (rc["apiVersion"], rc["kind"]) == ("v1", "ReplicationController")
    assert rc["metadata"]["annotations"]["openshift.io/deployment.phase"] == "Complete"
    assert rc["metadata"]["ownerReferences"][0]["kind"] == "DeploymentConfig"
    assert rc["spec"]["selector"] == {"app": "lighttpd", "deployment": "lighttpd-1", "deploymentconfig": "lighttpd"}
    assert (rc["spec"]["replicas"], rc["status"]["replicas"], rc["status"]["readyReplicas"]) == (2, 2, 2)
    (rs,) = get(applied, "rs")["items"]
    assert (rs["apiVersion"], rs["kind"]) == ("apps/v1", "ReplicaSet")
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert rs["spec"]["selector"]["matchLabels"]["pod-template-hash"] == rs["metadata"]["name"].rsplit("-", 1)[1]
    svc = get(applied, "svc/lighttpd")
    assert (svc["apiVersion"], svc["kind"]) == ("v1", "Service")
    assert svc["spec"]["ports"] == [{"name": "8080-tcp", "port": 8080, "protocol": "TCP", "targetPort": 8080}]
    assert (svc["spec"]["type"], svc["spec"]["selector"]) == ("ClusterIP", {"app": "lighttpd"})


def test_yaml_and_json_agree(applied):
    for what in ("dc/lighttpd", "deploy/web", "svc/lighttpd", "pods", "rc", "rs", "all"):
        assert get(applied, what, "yaml") == get(applied, what, "json"), what


# parse and validate --------------------------------------------------------------------------


@pytest.mark.parametrize(("obj", "message"), [
    (dc_manifest(replicas=-1), 'The DeploymentConfig "lighttpd" is invalid: spec.replicas: Invalid value: -1: '
                               "must be greater than or equal to 0"),
    (dc_manifest(template={"metadata": {"labels": {"app": "lighttpd"}}, "spec": {"containers": []}}),
     'The DeploymentConfig "lighttpd" is invalid: \n* spec.template.spec.containers: Required value\n'
     '* spec.triggers[1].imageChangeParams.containerNames[0]: Invalid value: "web": must match a container name'),
    (dc_manifest(triggers=[{"type": "ImageChange", "imageChangeParams": {
        "from": {"kind": "DockerImage", "name": "lighttpd:latest"}, "containerNames": ["web"]}}]),
     'The DeploymentConfig "lighttpd" is invalid: spec.triggers[0].imageChangeParams.from.kind: Invalid value: '
     '"DockerImage": kind must be an ImageStreamTag'),
    (dc_manifest(triggers=[{"type": "ImageChange", "imageChangeParams": {
        "from": {"kind": "ImageStreamTag", "name": "lighttpd"}, "containerNames": ["nope"]}}]),
     'The DeploymentConfig "lighttpd" is invalid: \n* spec.triggers[0].imageChangeParams.from.name: Invalid value: '
     '"lighttpd": must be of the form <stream_name>:<tag>\n* spec.triggers[0].imageChangeParams.containerNames[0]: '
     'Invalid value: "nope": must match a container name'),
    (dc_manifest(triggers=[{"type": "Webhook"}]),
     'The DeploymentConfig "lighttpd" is invalid: spec.triggers[0].type: Invalid value: "Webhook": invalid trigger type'),
    (deploy_manifest(selector={}), 'The Deployment "web" is invalid: spec.selector: Required value'),
    (deploy_manifest(template={"metadata": {"labels": {"app": "other"}},
                               "spec": {"containers": [{"name": "web", "image": "nginx"}]}}),
     'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: '
     "`selector` does not match template `labels`"),
    (deploy_manifest(template={"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web"}]}}),
     'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value'),
    (deploy_manifest({"image.openshift.io/triggers": '[{"from":{"kind":"ImageStreamTag","name":"x:y"},'
                                                     '"fieldPath":"spec.template.spec.containers[?(@.name==\\"db\\")].image"}]'}),
     'The Deployment "web" is invalid: metadata.annotations[image.openshift.io/triggers]: Invalid value: fieldPath '
     '"spec.template.spec.containers[?(@.name=="db")].image" does not refer to a container of the pod template'),
])
def test_invalid_objects_are_refused_with_the_servers_words(obj, message):
    sim = upstream()
    result = sim.oc_stdin("apply -f -", json.dumps(obj))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert not sim.cluster.workloads


CREATING = 'Error from server (BadRequest): error when creating "STDIN": '
DC_REPLICAS = ('DeploymentConfig in version "v1" cannot be handled as a DeploymentConfig: json: cannot unmarshal '
               "string into Go struct field DeploymentConfigSpec.spec.replicas of type int32")


@pytest.mark.parametrize(("obj", "message"), [
    (dc_manifest(replicas="2"), CREATING + DC_REPLICAS),
    (deploy_manifest(template=[]), CREATING + 'Deployment in version "v1" cannot be handled as a Deployment: json: '
                                   "cannot unmarshal array into Go struct field spec.template of type "
                                   "v1.PodTemplateSpec"),
    (dict(SERVICE, spec={"ports": [{"port": "http"}]}),
     CREATING + 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct '
     "field ServicePort.spec.ports.port of type int32"),
    (dict(SERVICE, spec={"ports": []}), 'The Service "lighttpd" is invalid: spec.ports: Required value'),
    ({"apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": {"name": "old"}},
     'error: resource mapping not found for name: "old" namespace: "" from "STDIN": no matches for kind "Deployment" '
     'in version "extensions/v1beta1"'),
    ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {}},
     'error: error when retrieving current configuration of:\nResource: "apps/v1, Resource=deployments", '
     'GroupVersionKind: "apps/v1, Kind=Deployment"\nName: "", Namespace: "myproject"\nfrom server for: "STDIN": '
     "resource name may not be empty"),
    ({"apiVersion": "v1", "kind": "Service", "metadata": {"namespace": "other"}, "spec": {"ports": [{"port": 80}]}},
     'error: error when retrieving current configuration of:\nResource: "/v1, Resource=services", '
     'GroupVersionKind: "/v1, Kind=Service"\nName: "", Namespace: "other"\nfrom server for: "STDIN": '
     "resource name may not be empty"),
])
def test_bad_requests(obj, message):
    sim = upstream()
    result = sim.oc_stdin("apply -f -", json.dumps(obj))
    assert (result.exit_code, result.stderr) == (1, message + "\n")


def test_bad_requests_name_their_file_and_what_they_were_doing(tmp_path):
    sim = upstream()
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.json"
    good.write_text(json.dumps(deploy_manifest()))
    bad.write_text(json.dumps(dc_manifest(replicas="2")))
    result = sim.oc(f"apply -f {good} -f {bad}")
    assert (result.exit_code, result.stderr) == (1, f'Error from server (BadRequest): error when creating "{bad}": '
                                                    f"{DC_REPLICAS}\n")
    assert not sim.cluster.workloads  # (nothing of the list is applied)
    # an object that exists is patched: oc says so around the server's words
    assert sim.oc_stdin("apply -f -", json.dumps(dc_manifest())).exit_code == 0
    result = sim.oc_stdin("apply -f -", json.dumps(dc_manifest(replicas="2")))
    assert result.stderr == f"Error from server (BadRequest): {DC_REPLICAS}\n"
    # oc create of an object with no name: the server's validation of the new object
    nameless = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {}}
    result = sim.oc_stdin("create -f -", json.dumps(nameless))
    assert result.stderr == 'The Deployment "" is invalid: metadata.name: Required value: name or generateName is required\n'
    # the Python API raises the server's own text
    with pytest.raises(Invalid, match="^DeploymentConfig in version"):
        sim.apply(dc_manifest(replicas="2"))


def test_nothing_is_applied_from_a_list_with_an_invalid_object():
    sim = upstream()
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": [SERVICE, deploy_manifest(), dc_manifest(replicas=-2)]})
    result = sim.oc_stdin("apply -f -", text)
    assert result.exit_code == 1
    assert not sim.cluster.workloads and not sim.cluster.services and not sim.cluster.pods
    with pytest.raises(Invalid):
        sim.apply(json.loads(text))


def test_parse_functions_directly():
    w = parse_workload(dc_manifest(), "team")
    assert (w.kind, w.namespace, w.name, w.replicas, w.config_change) == ("DeploymentConfig", "team", "lighttpd", 2, True)
    assert [(t.from_name, t.container_names, t.automatic) for t in w.triggers] == [("lighttpd:latest", ["web"], True)]
    d = parse_workload(deploy_manifest({"image.openshift.io/triggers": TRIGGERS}), "team")
    assert (d.kind, d.strategy, d.timeout, [t.from_name for t in d.triggers]) == (
        "Deployment", "RollingUpdate", 600, ["lighttpd:latest"])
    svc = parse_service(SERVICE, "team").service
    assert (svc.namespace, svc.selector, svc.ports) == ("team", {"app": "lighttpd"}, [8080])
    no_triggers = parse_workload(dict(dc_manifest(), spec={k: v for k, v in dc_manifest()["spec"].items()
                                                          if k != "triggers"}), "team")
    assert no_triggers.config_change and not no_triggers.triggers


# apply updates -------------------------------------------------------------------------------


def test_apply_updates():
    sim = upstream()
    sim.oc("tag --source=docker docker.io/gists/lighttpd:latest lighttpd:latest")
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": [dc_manifest(), deploy_manifest(), SERVICE]})
    sim.oc_stdin("apply -f -", text)
    sim.advance("1m")
    again = sim.oc_stdin("apply -f -", text)  # the placeholder image stays owned by the trigger
    assert again.stdout == ("deploymentconfig.apps.openshift.io/lighttpd unchanged\ndeployment.apps/web unchanged\n"
                            "service/lighttpd unchanged\n")
    changed = dc_manifest(replicas=3)
    changed["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 9090}]
    assert sim.oc_stdin("apply -f -", json.dumps(changed)).stdout == "deploymentconfig.apps.openshift.io/lighttpd configured\n"
    web = deploy_manifest()
    web["spec"]["template"]["spec"]["containers"][0]["image"] = "docker.io/gists/lighttpd:latest"
    assert sim.oc_stdin("apply -f -", json.dumps(web)).stdout == "deployment.apps/web configured\n"
    sim.advance("1m")
    assert sim.oc("get dc").stdout.splitlines()[1].split()[:4] == ["lighttpd", "2", "3", "3"]
    assert len(sim.oc("get rs -o name").stdout.splitlines()) == 2
    assert sim.oc("get deploy").stdout.splitlines()[1].split()[:4] == ["web", "1/1", "1", "1"]
    moved = dict(SERVICE, spec=dict(SERVICE["spec"], ports=[{"port": 80}]))
    assert sim.oc_stdin("apply -f -", json.dumps(moved)).stdout == "service/lighttpd configured\n"
    assert sim.cluster.services[("myproject", "lighttpd")].ports == [80]


def test_restore_recreates_workloads():
    sim = upstream()
    lines = sim.restore({"apiVersion": "v1", "kind": "List", "items": [deploy_manifest(), SERVICE]})
    assert lines == ["deployment.apps/web restored", "service/lighttpd restored"]
    sim.advance("1m")
    assert sim.oc("get deploy").stdout.splitlines()[1].split()[:2] == ["web", "1/1"]


# round trip ----------------------------------------------------------------------------------


def test_round_trip_through_yaml_and_apply(applied):
    dump = get(applied, "all", "yaml")
    kinds = [item["kind"] for item in dump["items"]]
    assert kinds == ["Pod", "Pod", "Pod", "Pod", "ReplicationController", "Service", "Deployment", "ReplicaSet",
                     "DeploymentConfig", "ImageStream"]
    appliable = [item for item in dump["items"] if item["kind"] in ("Service", "Deployment", "DeploymentConfig",
                                                                     "ImageStream")]
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": copy.deepcopy(appliable)})
    fresh = upstream()
    result = fresh.oc_stdin("apply -f -", text)
    assert result.stdout == ("service/lighttpd created\ndeployment.apps/web created\n"
                             "deploymentconfig.apps.openshift.io/lighttpd created\n"
                             "imagestream.image.openshift.io/lighttpd created\n"), result
    fresh.advance("1m")
    for what in ("dc/lighttpd", "deploy/web", "svc/lighttpd", "is/lighttpd"):
        assert get(fresh, what, "yaml")["spec"] == get(applied, what, "yaml")["spec"], what
    def summary(sim: Simulation) -> list[list[str]]:
        return sorted(line.split()[1:4] for line in sim.oc("get pods").stdout.splitlines()[1:])

    assert summary(fresh) == summary(applied)
    assert fresh.oc_stdin("apply -f -", text).stdout == (
        "service/lighttpd unchanged\ndeployment.apps/web unchanged\n"
        "deploymentconfig.apps.openshift.io/lighttpd unchanged\nimagestream.image.openshift.io/lighttpd unchanged\n")
    # pods, RCs and RSs re-export in the same shape
    for what in ("pods", "rc", "rs"):
        mine = [(i["kind"], sorted(i["spec"]), sorted(i["status"])) for i in get(fresh, what)["items"]]
        theirs = [(i["kind"], sorted(i["spec"]), sorted(i["status"])) for i in get(applied, what)["items"]]
        assert mine == theirs, what
