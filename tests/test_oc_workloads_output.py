"""What ``oc`` prints for workloads: pods, DeploymentConfigs, Deployments, RCs/RSs, services,
``get all``, describers, logs, scale, delete and events (shapes of real oc/kubectl output)."""

from __future__ import annotations

import re

import pytest

from imagesim import Simulation
from imagesim.oc import OcResult
from imagesim.oc.workload_printers import short_duration
from imagesim.workloads import Container, Deployment, DeploymentConfig, ImageChangeTrigger, PodTemplate, Service

LIGHTTPD = "docker.io/gists/lighttpd@sha256:6eb768b8c37e996e9e63cfa56a9b99e2ef047a085d41051d0c7675ac251ccf07"


def build(replicas: int = 2, outage: bool = False) -> Simulation:
    """A small world: stream lighttpd:latest tracking Docker Hub, a DC with an image trigger,
    a Deployment of nginx:1.25 and a Service in front of the DC's pods."""
    sim = Simulation(seed=0)
    sim.push("docker.io/gists/lighttpd:latest")
    sim.push("docker.io/library/nginx:1.25")
    sim.oc("tag --source=docker docker.io/gists/lighttpd:latest lighttpd:latest")
    if outage:
        sim.outage("docker.io", duration="2h")
    dc = DeploymentConfig("myproject", "lighttpd", 0, replicas=replicas, selector={"app": "lighttpd"},
                          labels={"app": "lighttpd"},
                          template=PodTemplate({"app": "lighttpd"}, {}, [Container("web", "lighttpd:latest", ports=[8080])]),
                          triggers=[ImageChangeTrigger("lighttpd:latest", container_names=["web"])])
    sim.cluster.create(dc)
    deploy = Deployment("myproject", "nginx", 0, replicas=1, selector={"app": "nginx"}, labels={"app": "nginx"},
                        template=PodTemplate({"app": "nginx"}, {},
                                             [Container("web", "docker.io/library/nginx:1.25", ports=[80])]))
    sim.cluster.create(deploy)
    sim.cluster.create_service(Service("myproject", "lighttpd", {"app": "lighttpd"}, [8080], sim.time))
    sim._settle()
    return sim


@pytest.fixture(scope="module")
def world() -> Simulation:
    """Read-only: get/describe/logs change nothing."""
    sim = build()
    sim.advance("2m3s")
    return sim


def ok(result: OcResult) -> str:
    assert (result.exit_code, result.stderr) == (0, ""), result
    return result.stdout


def pod_row(sim: Simulation, prefix: str) -> list[str]:
    lines = [line for line in sim.oc("get pods").stdout.splitlines()
             if line.startswith(prefix) and "-deploy" not in line]
    assert len(lines) == 1, lines
    return re.split(r"\s{2,}", lines[0])


# ages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "text"), [
    (-5, "<invalid>"), (-1, "0s"), (0, "0s"), (5, "5s"), (119, "119s"), (120, "2m"), (123, "2m3s"), (599, "9m59s"),
    (600, "10m"), (10799, "179m"), (3 * 3600, "3h"), (3 * 3600 + 300, "3h5m"), (8 * 3600 + 300, "8h"),
    (47 * 3600, "47h"), (51 * 3600, "2d3h"), (8 * 86400, "8d"), (25 * 86400, "25d"), (800 * 86400, "2y70d"),
    (9 * 365 * 86400, "9y"),
])
def test_short_durations_are_kubectls(seconds, text):
    assert short_duration(seconds) == text


# tables --------------------------------------------------------------------------------------


def test_get_pods(world):
    assert ok(world.oc("get pods")) == (
        "NAME                     READY   STATUS      RESTARTS   AGE\n"
        "lighttpd-1-4pj5f         1/1     Running     0          2m3s\n"
        "lighttpd-1-deploy        0/1     Completed   0          2m3s\n"
        "lighttpd-1-g7tk5         1/1     Running     0          2m3s\n"
        "nginx-nsgsjjxzlw-nwjt4   1/1     Running     0          2m3s\n")
    assert world.oc("get po").stdout == world.oc("get pod").stdout == world.oc("get pods").stdout


def test_get_pods_wide(world):
    assert ok(world.oc("get pods -o wide")) == (
        "NAME                     READY   STATUS      RESTARTS   AGE    IP             NODE       NOMINATED NODE   "
        "READINESS GATES\n"
        "lighttpd-1-4pj5f         1/1     Running     0          2m3s   10.129.0.242   worker-1   <none>           <none>\n"
        "lighttpd-1-deploy        0/1     Completed   0          2m3s   10.128.1.158   worker-0   <none>           <none>\n"
        "lighttpd-1-g7tk5         1/1     Running     0          2m3s   10.128.0.224   worker-0   <none>           <none>\n"
        "nginx-nsgsjjxzlw-nwjt4   1/1     Running     0          2m3s   10.130.0.218   worker-2   <none>           <none>\n")


@pytest.mark.parametrize(("command", "expected"), [
    ("get dc", "NAME       REVISION   DESIRED   CURRENT   TRIGGERED BY\n"
               "lighttpd   1          2         2         config,image(lighttpd:latest)\n"),
    ("get deploy", "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
                   "nginx   1/1     1            1           2m3s\n"),
    ("get rc", "NAME         DESIRED   CURRENT   READY   AGE\n"
               "lighttpd-1   2         2         2       2m3s\n"),
    ("get rs", "NAME               DESIRED   CURRENT   READY   AGE\n"
               "nginx-nsgsjjxzlw   1         1         1       2m3s\n"),
    ("get svc", "NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE\n"
                "lighttpd   ClusterIP   172.30.0.11   <none>        8080/TCP   2m3s\n"),
    ("get svc -o wide", "NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE    SELECTOR\n"
                        "lighttpd   ClusterIP   172.30.0.11   <none>        8080/TCP   2m3s   app=lighttpd\n"),
    ("get deploy -o wide", "NAME    READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES"
                           "                         SELECTOR\n"
                           "nginx   1/1     1            1           2m3s   web          docker.io/library/nginx:1.25"
                           "   app=nginx\n"),
    ("get rc -o wide", "NAME         DESIRED   CURRENT   READY   AGE    CONTAINERS   IMAGES" + " " * (len(LIGHTTPD) - 3)
                       + "SELECTOR\n"
                       f"lighttpd-1   2         2         2       2m3s   web          {LIGHTTPD}   "
                       "app=lighttpd,deployment=lighttpd-1,deploymentconfig=lighttpd\n"),
    ("get dc lighttpd", "NAME       REVISION   DESIRED   CURRENT   TRIGGERED BY\n"
                        "lighttpd   1          2         2         config,image(lighttpd:latest)\n"),
    ("get deploymentconfig.apps.openshift.io/lighttpd -o name", "deploymentconfig.apps.openshift.io/lighttpd\n"),
    ("get deployments -o name", "deployment.apps/nginx\n"),
    ("get replicationcontrollers -o name", "replicationcontroller/lighttpd-1\n"),
    ("get replicaset -o name", "replicaset.apps/nginx-nsgsjjxzlw\n"),
    ("get services -o name", "service/lighttpd\n"),
    ("get pods -l app=lighttpd -o name", "pod/lighttpd-1-4pj5f\npod/lighttpd-1-g7tk5\n"),
    ("get pods -l 'app!=lighttpd,app' -o name", "pod/nginx-nsgsjjxzlw-nwjt4\n"),
    ("get pods -l 'app in (nginx,x),!deployment' -o name", "pod/nginx-nsgsjjxzlw-nwjt4\n"),
    ("get pods -l 'app notin (nginx)' -o name", "pod/lighttpd-1-4pj5f\npod/lighttpd-1-deploy\npod/lighttpd-1-g7tk5\n"),
])
def test_get_tables(world, command, expected):
    assert ok(world.oc(command)) == expected


def test_get_all(world):
    assert ok(world.oc("get all")) == (
        "NAME                         READY   STATUS      RESTARTS   AGE\n"
        "pod/lighttpd-1-4pj5f         1/1     Running     0          2m3s\n"
        "pod/lighttpd-1-deploy        0/1     Completed   0          2m3s\n"
        "pod/lighttpd-1-g7tk5         1/1     Running     0          2m3s\n"
        "pod/nginx-nsgsjjxzlw-nwjt4   1/1     Running     0          2m3s\n"
        "\n"
        "NAME                               DESIRED   CURRENT   READY   AGE\n"
        "replicationcontroller/lighttpd-1   2         2         2       2m3s\n"
        "\n"
        "NAME               TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE\n"
        "service/lighttpd   ClusterIP   172.30.0.11   <none>        8080/TCP   2m3s\n"
        "\n"
        "NAME                    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/nginx   1/1     1            1           2m3s\n"
        "\n"
        "NAME                               DESIRED   CURRENT   READY   AGE\n"
        "replicaset.apps/nginx-nsgsjjxzlw   1         1         1       2m3s\n"
        "\n"
        "NAME                                          REVISION   DESIRED   CURRENT   TRIGGERED BY\n"
        "deploymentconfig.apps.openshift.io/lighttpd   1          2         2         config,image(lighttpd:latest)\n"
        "\n"
        "NAME                                      IMAGE REPOSITORY"
        "                                                      TAGS     UPDATED\n"
        "imagestream.image.openshift.io/lighttpd   image-registry.openshift-image-registry.svc:5000/myproject/lighttpd"
        "   latest   2 minutes ago\n")


def test_get_all_names_namespaces_and_kind_lists(world):
    assert ok(world.oc("get all -o name")).splitlines() == [
        "pod/lighttpd-1-4pj5f", "pod/lighttpd-1-deploy", "pod/lighttpd-1-g7tk5", "pod/nginx-nsgsjjxzlw-nwjt4",
        "replicationcontroller/lighttpd-1", "service/lighttpd", "deployment.apps/nginx",
        "replicaset.apps/nginx-nsgsjjxzlw", "deploymentconfig.apps.openshift.io/lighttpd",
        "imagestream.image.openshift.io/lighttpd"]
    lines = ok(world.oc("get all -A")).splitlines()
    assert lines[0] == "NAMESPACE   NAME                         READY   STATUS      RESTARTS   AGE"
    assert lines[1] == "myproject   pod/lighttpd-1-4pj5f         1/1     Running     0          2m3s"
    assert ok(world.oc("get dc,svc -o name")) == "deploymentconfig.apps.openshift.io/lighttpd\nservice/lighttpd\n"
    assert ok(world.oc("get all -l app=nginx -o name")) == (
        "pod/nginx-nsgsjjxzlw-nwjt4\ndeployment.apps/nginx\nreplicaset.apps/nginx-nsgsjjxzlw\n")


def test_no_resources_goes_to_stderr_with_exit_zero(world):
    for command in ("get pods -n default", "get all -n default", "get dc -n openshift", "get svc -l app=nope"):
        result = world.oc(command)
        assert (result.stdout, result.exit_code) == ("", 0)
    assert world.oc("get pods -n default").stderr == "No resources found in default namespace.\n"
    assert world.oc("get svc -l app=nope").stderr == "No resources found in myproject namespace.\n"


@pytest.mark.parametrize(("command", "message"), [
    ("get pods x", 'pods "x" not found'),
    ("get pod/x", 'pods "x" not found'),
    ("get dc x", 'deploymentconfigs.apps.openshift.io "x" not found'),
    ("describe dc/x", 'deploymentconfigs.apps.openshift.io "x" not found'),
    ("describe deployment x", 'deployments.apps "x" not found'),
    ("get deploy/x", 'deployments.apps "x" not found'),
    ("describe pod/x", 'pods "x" not found'),
    ("describe svc/x", 'services "x" not found'),
    ("get rc x", 'replicationcontrollers "x" not found'),
    ("get rs x", 'replicasets.apps "x" not found'),
    ("logs x", 'pods "x" not found'),
    ("scale dc/x --replicas=1", 'deploymentconfigs.apps.openshift.io "x" not found'),
    ("delete svc/x", 'services "x" not found'),
])
def test_not_found(world, command, message):
    result = world.oc(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error from server (NotFound): {message}\n")


# pod status over time ------------------------------------------------------------------------


def test_broken_image_crash_loop_sequence():
    sim = build(replicas=1)
    sim.advance("1m")
    sim.push("docker.io/gists/lighttpd:latest", broken=True)
    ok(sim.oc("import-image lighttpd:latest"))
    start = sim.time
    expected = [
        (1, "0/1", "ContainerCreating", "0"),
        (5, "0/1", "Running", "0"),
        (8, "0/1", "Error", "0"),
        (17, "0/1", "Error", "0"),
        (18, "0/1", "Running", "1 (10s ago)"),
        (30, "0/1", "CrashLoopBackOff", "1 (9s ago)"),
        (41, "0/1", "Running", "2 (20s ago)"),
        (60, "0/1", "CrashLoopBackOff", "2 (16s ago)"),
        (200, "0/1", "CrashLoopBackOff", "4 (30s ago)"),
        (500, "0/1", "CrashLoopBackOff", "5 (2m47s ago)"),
    ]
    for offset, ready, status, restarts in expected:
        sim.run(start + offset)
        assert pod_row(sim, "lighttpd-2-")[1:4] == [ready, status, restarts], offset
    # the old RC keeps serving while the new one crash-loops; the rollout fails at its deadline
    assert pod_row(sim, "lighttpd-1-")[1:3] == ["1/1", "Running"]
    sim.run(start + 605)
    assert pod_row(sim, "lighttpd-2-")[2] == "Terminating"
    deployer = [line.split() for line in sim.oc("get pods").stdout.splitlines() if line.startswith("lighttpd-2-deploy")]
    assert deployer == [["lighttpd-2-deploy", "0/1", "Error", "0", "10m"]]


def test_crash_loop_describe_and_logs():
    sim = build(replicas=1)
    sim.advance("1m")
    sim.push("docker.io/gists/lighttpd:latest", broken=True)
    sim.oc("import-image lighttpd:latest")
    sim.advance(30)
    name = next(n for _, n in sim.cluster.pods if n.startswith("lighttpd-2-") and not n.endswith("deploy"))
    text = ok(sim.oc(f"describe pod {name}"))
    assert "    State:          Waiting\n      Reason:       CrashLoopBackOff\n" in text
    assert "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n" in text
    assert "    Ready:          False\n    Restart Count:  1\n" in text
    assert re.search(r"Warning  BackOff +9s \(x2 over 22s\) +kubelet +Back-off restarting failed container web in "
                     rf"pod {name}_myproject\(", text)
    assert re.search(r"Normal   Started +12s \(x2 over 25s\) +kubelet +Started container web", text)
    logs = ok(sim.oc(f"logs {name}"))
    assert logs.splitlines()[1:] == ["Error: configuration invalid in /etc/lighttpd/lighttpd.conf: unexpected end of file",
                                     "container exited with code 1"]
    assert ok(sim.oc(f"logs {name} -p")) == logs


def test_outage_image_pull_back_off_then_recovery():
    sim = build(outage=True)
    start = sim.time
    sim.run(start + 5)
    assert pod_row(sim, "nginx-")[1:4] == ["0/1", "ErrImagePull", "0"]
    sim.run(start + 60)
    assert pod_row(sim, "nginx-")[1:4] == ["0/1", "ImagePullBackOff", "0"]
    sim.run(start + 3600)
    assert pod_row(sim, "nginx-")[1:5] == ["0/1", "ImagePullBackOff", "0", "60m"]
    name = pod_row(sim, "nginx-")[0]
    assert sim.oc(f"logs {name}").stderr == (f'Error from server (BadRequest): container "web" in pod "{name}" is '
                                             "waiting to start: trying and failing to pull image\n")
    text = ok(sim.oc(f"describe pod/{name}"))
    assert "Status:           Pending\n" in text
    assert "    State:          Waiting\n      Reason:       ImagePullBackOff\n" in text
    assert re.search(r"Normal   Pulling +4m50s \(x16 over 60m\) +kubelet +Pulling image \"docker.io/library/nginx:1.25\"",
                     text)
    assert re.search(r"Warning  Failed +4m50s \(x16 over 60m\) +kubelet +Failed to pull image "
                     r"\"docker.io/library/nginx:1.25\": rpc error: code = Unknown desc = pinging container registry "
                     r"docker.io", text)
    assert re.search(r"Warning  Failed +0s \(x16 over 59m\) +kubelet +Error: ImagePullBackOff", text)
    sim.run(start + 7200 + 16)  # the outage ends, the next retry pulls, the container starts
    assert pod_row(sim, "nginx-")[1:3] == ["1/1", "Running"]
    assert ok(sim.oc("get deploy")).splitlines()[1].split()[:4] == ["nginx", "1/1", "1", "1"]


def test_deleted_pod_terminates_for_30s_and_is_replaced():
    sim = build()
    sim.advance("2m")
    assert ok(sim.oc("delete pod/lighttpd-1-4pj5f")) == 'pod "lighttpd-1-4pj5f" deleted\n'
    lines = ok(sim.oc("get pods")).splitlines()
    assert "lighttpd-1-4pj5f         0/1     Terminating         0          2m" in lines
    assert "lighttpd-1-kpfdk         0/1     ContainerCreating   0          0s" in lines
    sim.advance(29)
    assert "Terminating" in sim.oc("get pod lighttpd-1-4pj5f").stdout
    assert re.search(r"\nStatus: +Terminating \(lasts 29s\)\nTermination Grace Period:  30s\n",
                     sim.oc("describe pod lighttpd-1-4pj5f").stdout)
    sim.advance(1)
    assert sim.oc("get pod lighttpd-1-4pj5f").stderr == 'Error from server (NotFound): pods "lighttpd-1-4pj5f" not found\n'
    assert ok(sim.oc("get rc")).splitlines()[1].split() == ["lighttpd-1", "2", "2", "2", "2m30s"]
    events = ok(sim.oc("get events"))
    assert re.search(r"\n30s +Normal +Killing +pod/lighttpd-1-4pj5f +Stopping container web\n", events)


# describers ----------------------------------------------------------------------------------


def test_describe_dc(world):
    assert ok(world.oc("describe dc/lighttpd")).expandtabs(8) == (
        "Name:           lighttpd\n"
        "Namespace:      myproject\n"
        "Created:        2 minutes ago\n"
        "Labels:         app=lighttpd\n"
        "Annotations:    <none>\n"
        "Latest Version: 1\n"
        "Selector:       app=lighttpd\n"
        "Replicas:       2\n"
        "Triggers:       Config, Image(lighttpd@latest, auto=true)\n"
        "Strategy:       Rolling\n"
        "Template:\n"
        "Pod Template:\n"
        "  Labels:       app=lighttpd\n"
        "  Containers:\n"
        "   web:\n"
        f"    Image:              {LIGHTTPD}\n"
        "    Port:               8080/TCP\n"
        "    Host Port:          0/TCP\n"
        "    Environment:        <none>\n"
        "    Mounts:             <none>\n"
        "  Volumes:              <none>\n"
        "  Node-Selectors:       <none>\n"
        "  Tolerations:          <none>\n"
        "\n"
        "Deployment #1 (latest):\n"
        "        Name:           lighttpd-1\n"
        "        Created:        2 minutes ago\n"
        "        Status:         Complete\n"
        "        Replicas:       2 current / 2 desired\n"
        "        Selector:       app=lighttpd,deployment=lighttpd-1,deploymentconfig=lighttpd\n"
        "        Labels:         app=lighttpd,openshift.io/deployment-config.name=lighttpd\n"
        "        Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "\n"
        "Events:\n"
        "  Type          Reason                  Age     From                            Message\n"
        "  ----          ------                  ----    ----                            -------\n"
        "  Normal        DeploymentCreated       2m3s    deploymentconfig-controller     "
        'Created new replication controller "lighttpd-1" for version 1\n')
    raw = world.oc("describe dc lighttpd").stdout
    assert raw.startswith("Name:\t\tlighttpd\nNamespace:\tmyproject\n")
    assert "\n\tName:\t\tlighttpd-1\n" in raw


def test_describe_deployment(world):
    assert ok(world.oc("describe deployment nginx")) == ok(world.oc("describe deploy/nginx")) == (
        "Name:                   nginx\n"
        "Namespace:              myproject\n"
        "CreationTimestamp:      Mon, 03 Mar 2025 09:00:00 +0000\n"
        "Labels:                 app=nginx\n"
        "Annotations:            deployment.kubernetes.io/revision: 1\n"
        "Selector:               app=nginx\n"
        "Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable\n"
        "StrategyType:           RollingUpdate\n"
        "MinReadySeconds:        0\n"
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:         docker.io/library/nginx:1.25\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Conditions:\n"
        "  Type           Status  Reason\n"
        "  ----           ------  ------\n"
        "  Available      True    MinimumReplicasAvailable\n"
        "  Progressing    True    NewReplicaSetAvailable\n"
        "OldReplicaSets:  <none>\n"
        "NewReplicaSet:   nginx-nsgsjjxzlw (1/1 replicas created)\n"
        "Events:\n"
        "  Type    Reason             Age   From                   Message\n"
        "  ----    ------             ----  ----                   -------\n"
        "  Normal  ScalingReplicaSet  2m3s  deployment-controller  Scaled up replica set nginx-nsgsjjxzlw to 1\n")


def test_describe_pod(world):
    assert ok(world.oc("describe pod/lighttpd-1-4pj5f")) == (
        "Name:             lighttpd-1-4pj5f\n"
        "Namespace:        myproject\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             worker-1/10.0.128.3\n"
        "Start Time:       Mon, 03 Mar 2025 09:00:00 +0000\n"
        "Labels:           app=lighttpd\n"
        "                  deployment=lighttpd-1\n"
        "                  deploymentconfig=lighttpd\n"
        "Annotations:      openshift.io/deployment-config.latest-version: 1\n"
        "                  openshift.io/deployment-config.name: lighttpd\n"
        "                  openshift.io/deployment.name: lighttpd-1\n"
        "                  openshift.io/scc: restricted-v2\n"
        "Status:           Running\n"
        "IP:               10.129.0.242\n"
        "IPs:\n"
        "  IP:           10.129.0.242\n"
        "Controlled By:  ReplicationController/lighttpd-1\n"
        "Containers:\n"
        "  web:\n"
        "    Container ID:   cri-o://4b2502154a9c3a1dcf6d8e19fa794b34744ab9adbe43e1f273d92c4d5fa4e8a0\n"
        f"    Image:          {LIGHTTPD}\n"
        f"    Image ID:       {LIGHTTPD}\n"
        "    Port:           8080/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Mon, 03 Mar 2025 09:00:05 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:         <none>\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:                      <none>\n"
        "QoS Class:                    BestEffort\n"
        "Node-Selectors:               <none>\n"
        "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason          Age   From               Message\n"
        "  ----    ------          ----  ----               -------\n"
        "  Normal  Scheduled       2m3s  default-scheduler  Successfully assigned myproject/lighttpd-1-4pj5f to worker-1\n"
        "  Normal  AddedInterface  2m3s  multus             Add eth0 [10.129.0.242/23] from ovn-kubernetes\n"
        f'  Normal  Pulling         2m3s  kubelet            Pulling image "{LIGHTTPD}"\n'
        f'  Normal  Pulled          118s  kubelet            Successfully pulled image "{LIGHTTPD}" in 5s (5s including '
        "waiting)\n"
        "  Normal  Created         118s  kubelet            Created container web\n"
        "  Normal  Started         118s  kubelet            Started container web\n")


def test_describe_service(world):
    assert ok(world.oc("describe svc/lighttpd")) == ok(world.oc("describe service lighttpd")) == (
        "Name:                     lighttpd\n"
        "Namespace:                myproject\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=lighttpd\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       172.30.0.11\n"
        "IPs:                      172.30.0.11\n"
        "Port:                     8080-tcp  8080/TCP\n"
        "TargetPort:               8080/TCP\n"
        "Endpoints:                10.129.0.242:8080,10.128.0.224:8080\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n")


def test_describe_several_are_separated_by_two_blank_lines(world):
    text = ok(world.oc("describe pods -l app=lighttpd"))
    assert text.count("\n\n\nName:             lighttpd-1-") == 1


# logs, scale, delete -------------------------------------------------------------------------


def test_logs(world):
    assert ok(world.oc("logs lighttpd-1-4pj5f")) == (
        f"2025-03-03T09:00:05Z lighttpd: starting (image {LIGHTTPD})\n"
        "2025-03-03T09:00:06Z lighttpd: serving on 0.0.0.0:8080\n")
    assert ok(world.oc("logs dc/lighttpd")) == "--> Scaling lighttpd-1 to 2\n--> Success\n"
    assert ok(world.oc("logs lighttpd-1-deploy")) == ok(world.oc("logs dc/lighttpd"))
    assert ok(world.oc("logs deploy/nginx")).startswith("2025-03-03T09:00:05Z nginx: starting (image "
                                                         "docker.io/library/nginx:1.25)\n")
    assert ok(world.oc("logs pod/lighttpd-1-4pj5f --tail=1")) == "2025-03-03T09:00:06Z lighttpd: serving on 0.0.0.0:8080\n"
    result = world.oc("logs rc/lighttpd-1")
    assert result.stderr == "Found 2 pods, using pod/lighttpd-1-4pj5f\n" and result.exit_code == 0
    assert world.oc("logs lighttpd-1-4pj5f -c nope").stderr == (
        "Error from server (BadRequest): container nope is not valid for pod lighttpd-1-4pj5f\n")
    assert world.oc("logs lighttpd-1-4pj5f -p").stderr == (
        'Error from server (BadRequest): previous terminated container "web" in pod "lighttpd-1-4pj5f" not found\n')


def test_rollout_logs_show_the_rolling_update():
    sim = build(replicas=2)
    sim.advance("1m")
    sim.push("docker.io/gists/lighttpd:latest")
    sim.oc("import-image lighttpd:latest")
    sim.advance("1m")
    assert ok(sim.oc("logs dc/lighttpd")) == (
        "--> Scaling up lighttpd-2 from 0 to 2, scaling down lighttpd-1 from 2 to 0 (keep 2 pods available, "
        "don't exceed 3 pods)\n"
        "    Scaling lighttpd-2 up to 2\n"
        "    Scaling lighttpd-1 down to 0\n"
        "--> Success\n")
    assert ok(sim.oc("get dc")).splitlines()[1].split()[:4] == ["lighttpd", "2", "2", "2"]


def test_scale():
    sim = build()
    sim.advance("1m")
    assert ok(sim.oc("scale dc/lighttpd --replicas=3")) == "deploymentconfig.apps.openshift.io/lighttpd scaled\n"
    assert sim.cluster.workloads[("DeploymentConfig", "myproject", "lighttpd")].replicas == 3
    sim.advance(10)
    assert ok(sim.oc("get dc")).splitlines()[1].split()[:4] == ["lighttpd", "1", "3", "3"]
    assert ok(sim.oc("get rc")).splitlines()[1].split()[:4] == ["lighttpd-1", "3", "3", "3"]
    assert ok(sim.oc("scale deploy/nginx --replicas=0")) == "deployment.apps/nginx scaled\n"
    assert ok(sim.oc("scale deployment nginx --replicas=2")) == "deployment.apps/nginx scaled\n"
    sim.advance(10)
    assert ok(sim.oc("get deploy")).splitlines()[1].split()[:4] == ["nginx", "2/2", "2", "2"]
    result = sim.oc("scale dc/lighttpd")
    assert (result.exit_code, result.stderr) == (1, 'error: required flag(s) "replicas" not set\n')
    events = ok(sim.oc("get events"))
    assert 'Normal   ReplicationControllerScaled   deploymentconfig/lighttpd          Scaled replication ' \
           'controller "lighttpd-1" from 2 to 3' in events
    assert "Scaled down replica set nginx-nsgsjjxzlw to 0 from 1" in events
    assert "Scaled up replica set nginx-nsgsjjxzlw to 2 from 0" in events


def test_delete_all_all():
    sim = build()
    sim.advance("1m")
    assert ok(sim.oc("delete all --all")) == (
        'pod "lighttpd-1-4pj5f" deleted\n'
        'pod "lighttpd-1-deploy" deleted\n'
        'pod "lighttpd-1-g7tk5" deleted\n'
        'pod "nginx-nsgsjjxzlw-nwjt4" deleted\n'
        'replicationcontroller "lighttpd-1" deleted\n'
        'service "lighttpd" deleted\n'
        'deployment.apps "nginx" deleted\n'
        'replicaset.apps "nginx-nsgsjjxzlw" deleted\n'
        'deploymentconfig.apps.openshift.io "lighttpd" deleted\n'
        'imagestream.image.openshift.io "lighttpd" deleted\n')
    lines = ok(sim.oc("get all")).splitlines()
    # the running pods terminate for 30 s; the completed deployer pod goes at once
    assert [line.split()[2] for line in lines[1:]] == ["Terminating"] * 3
    sim.advance(30)
    result = sim.oc("get all")
    assert (result.stdout, result.stderr, result.exit_code) == ("", "No resources found in myproject namespace.\n", 0)


def test_delete_all_by_label_keeps_the_rest():
    sim = build()
    sim.advance("1m")
    assert ok(sim.oc("delete all -l app=lighttpd")) == (
        'pod "lighttpd-1-4pj5f" deleted\n'
        'pod "lighttpd-1-g7tk5" deleted\n'
        'replicationcontroller "lighttpd-1" deleted\n'
        'service "lighttpd" deleted\n'
        'deploymentconfig.apps.openshift.io "lighttpd" deleted\n')
    sim.advance(30)
    assert ok(sim.oc("get all -o name")) == ("pod/nginx-nsgsjjxzlw-nwjt4\ndeployment.apps/nginx\n"
                                             "replicaset.apps/nginx-nsgsjjxzlw\nimagestream.image.openshift.io/lighttpd\n")
    assert ok(sim.oc("delete deploy/nginx")) == 'deployment.apps "nginx" deleted\n'
    result = sim.oc("delete all -l app=nope")
    assert (result.stderr, result.exit_code) == ("No resources found in myproject namespace.\n", 0)


def test_delete_svc_and_rc():
    sim = build()
    sim.advance("1m")
    assert ok(sim.oc("delete svc/lighttpd")) == 'service "lighttpd" deleted\n'
    assert ok(sim.oc("delete rc lighttpd-1")) == 'replicationcontroller "lighttpd-1" deleted\n'
    pods = [line.split() for line in sim.oc("get pods").stdout.splitlines() if line.startswith("lighttpd")]
    assert [p[2] for p in pods] == ["Terminating", "Terminating"]
    sim.advance(30)
    assert "lighttpd" not in sim.oc("get pods").stdout


# events --------------------------------------------------------------------------------------


def test_events_show_the_whole_chain():
    sim = build(replicas=1)
    sim.advance("1m")
    sim.push("docker.io/gists/lighttpd:latest", broken=True)
    sim.oc("import-image lighttpd:latest")
    sim.advance("11m")
    text = ok(sim.oc("get events"))
    assert text.splitlines()[0] == "LAST SEEN   TYPE      REASON                     OBJECT                             MESSAGE"
    found = [re.split(r"\s{2,}", line)[1:4] for line in text.splitlines()[1:]]
    pod = "pod/" + re.search(r"Created pod: (lighttpd-2-\S+)", text)[1]
    chain = [["Normal", "Imported", "imagestream/lighttpd"],
             ["Normal", "DeploymentCreated", "deploymentconfig/lighttpd"],
             ["Normal", "SuccessfulCreate", "replicationcontroller/lighttpd-2"],
             ["Normal", "Scheduled", pod],
             ["Normal", "Pulling", pod],
             ["Normal", "Pulled", pod],
             ["Normal", "Started", pod],
             ["Warning", "BackOff", pod],
             ["Normal", "Killing", pod],
             ["Warning", "ProgressDeadlineExceeded", "deploymentconfig/lighttpd"]]
    positions = [found.index(item) for item in chain]
    assert positions == sorted(positions)
    assert 'Created new replication controller "lighttpd-2" for version 2' in text
    assert 'replication controller "lighttpd-2" has failed progressing' in text
    all_ns = ok(sim.oc("get events -A")).splitlines()
    assert all_ns[0].startswith("NAMESPACE   LAST SEEN   TYPE")


def test_events_during_an_outage():
    sim = build(outage=True)
    sim.advance("10m")
    text = ok(sim.oc("get events"))
    assert re.search(r"\n4m50s +Warning +Failed +pod/nginx-\S+ +Failed to pull image \"docker.io/library/nginx:1.25\"",
                     text)
    assert re.search(r"\n4m50s +Warning +Failed +pod/nginx-\S+ +Error: ErrImagePull\n", text)
    assert re.search(r"\n0s +Normal +BackOff +pod/nginx-\S+ +Back-off pulling image", text)
    assert re.search(r"\n0s +Warning +Failed +pod/nginx-\S+ +Error: ImagePullBackOff", text)


# robustness ----------------------------------------------------------------------------------


MALFORMED = [
    "get pods -o jsonpath", "get po/", "get pods -l", "get pods -l 'a b'", "get dc -A x", "get all x y",
    "get pods,bogus", "describe pod", "describe dc", "describe all nope", "describe rs/", "logs", "logs a b c",
    "logs dc/", "logs is/lighttpd", "logs lighttpd-1-deploy -c nope", "logs lighttpd-1-deploy -p",
    "logs deploy/nginx --tail=x", "scale", "scale dc/lighttpd --replicas=-3", "scale dc/lighttpd --replicas=x",
    "scale pod/x --replicas=1", "scale dc --replicas=2", "scale dc/lighttpd --replicas=2 --current-replicas=9",
    "delete pod", "delete all", "delete pod x --all", "delete all -l '=='", "delete dc/x dc/y", "delete svc",
    "delete rc/nope --grace-period=x", "get events -n nope", "scale rs/nope --replicas=1", "describe svc -l '!'",
]


@pytest.mark.parametrize("command", MALFORMED)
def test_malformed_workload_commands_never_raise(world, command):
    result = world.oc(command)
    assert isinstance(result, OcResult)
    assert result.exit_code != 0 or result.stdout or result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_commands_change_nothing():
    sim = build()
    sim.advance("1m")
    before = sim.oc("get all -o yaml").stdout
    for command in MALFORMED:
        if command.startswith(("scale", "delete")):
            sim.oc(command)
    assert sim.oc("get all -o yaml").stdout == before


def test_init_containers_and_rc_describer():
    sim = build()
    sim.push("docker.io/library/busybox:bad", broken=True)
    sim.cluster.create(Deployment("myproject", "setup", 0, replicas=1, selector={"app": "setup"},
                                  template=PodTemplate({"app": "setup"}, {}, [Container("web", "docker.io/library/nginx:1.25")],
                                                       [Container("init", "docker.io/library/busybox:bad")])))
    sim._settle()
    sim.advance(2)
    assert pod_row(sim, "setup-")[1:4] == ["0/1", "Init:0/1", "0"]
    sim.advance(8)
    assert pod_row(sim, "setup-")[1:4] == ["0/1", "Init:Error", "0"]
    sim.advance(60)
    assert pod_row(sim, "setup-")[1:3] == ["0/1", "Init:CrashLoopBackOff"]
    name = pod_row(sim, "setup-")[0]
    assert sim.oc(f"logs {name}").stderr == (f'Error from server (BadRequest): container "web" in pod "{name}" is '
                                             "waiting to start: PodInitializing\n")
    assert "container exited with code 1" in ok(sim.oc(f"logs {name} -c init"))
    text = ok(sim.oc(f"describe pod {name}"))
    assert "Init Containers:\n  init:\n" in text and "  Initialized                 False \n" in text
    rc = ok(sim.oc("describe rc lighttpd-1")).splitlines()
    assert rc[:3] == ["Name:           lighttpd-1", "Namespace:      myproject",
                      "Selector:       app=lighttpd,deployment=lighttpd-1,deploymentconfig=lighttpd"]
    assert "Controlled By:  DeploymentConfig/lighttpd" in rc
    assert "Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed" in rc
