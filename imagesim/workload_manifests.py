"""Workloads as API objects: DeploymentConfigs, Deployments, RCs/RSs, pods, services, endpoints
and nodes in and out.

Out: ``workload_to_manifest``, ``rs_to_manifest``, ``pod_to_manifest``, ``service_to_manifest``,
``endpoints_to_manifest`` and ``node_to_manifest`` give what ``oc get ... -o json`` shows
(``apps.openshift.io/v1`` DeploymentConfig, ``apps/v1`` Deployment and ReplicaSet, ``v1``
ReplicationController, Pod, Service, Endpoints and Node), status included. The status of a pod
is computed from the kubelet's facts at the asked time by :func:`pod_status` (the same answer
the ``oc`` printers show).

In: ``parse_object`` reads what ``oc apply -f`` accepts (all of the kinds above) and checks it
the way the API server does (``The DeploymentConfig "x" is invalid: ...``; a ``BadRequest`` for
a field of the wrong JSON type); ``check_object`` adds the checks that need the cluster's
state; ``apply_object`` creates or updates the parsed object in a simulation. Standard library
only.

Simulator choices (written down here because the real system decides them elsewhere): pod IPs
are ``10.(128+node).x.y`` from the pod's uid; node IPs ``10.0.128.(2+node)``; the nodes are
three RHCOS workers of OpenShift 4.16 (:data:`NODE_INFO`) that exist from the start; containers
run on CRI-O, so ``imageID`` is ``<repository>@<digest>`` and ``containerID`` is
``cri-o://<hex>``; a Service made through the Python API without labels is selected by its
selector (``oc new-app`` and ``oc apply`` give services their real labels). Applied pods support
``restartPolicy`` ``Always`` and ``OnFailure`` (the same thing here: containers only stop when
they crash); changing the image of a running pod is refused (delete it and apply it again).
Objects copied from another cluster whose owners are gone are garbage-collected at once (see
:func:`apply_object`).
"""

from __future__ import annotations

import hashlib
import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cluster import TRIGGERS_ANNOTATION, annotation_text, parse_annotation_triggers
from .errors import Invalid, invalid_text
from .manifests import ParsedStream, plain_strings, read_plain_stream
from .nodes import DEFAULT_NODES
from .reference import ImageReference
from .workloads import (
    BACKOFF_CAP,
    BACKOFF_START,
    CRASH_AFTER,
    MAX_REPLICAS,
    Container,
    ContainerRun,
    ImageChangeTrigger,
    Pod,
    PodTemplate,
    ReplicaSet,
    Service,
    Workload,
    restarts_at,
)

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = [
    "ContainerState",
    "ContainerStatus",
    "DEPLOYER_IMAGE",
    "NODE_INFO",
    "ParsedEndpoints",
    "ParsedNode",
    "ParsedPod",
    "ParsedReplicaSet",
    "ParsedService",
    "PodStatus",
    "WORKLOAD_KINDS",
    "apply_object",
    "check_object",
    "check_objects",
    "deployer_end",
    "endpoint_pods",
    "endpoints_to_manifest",
    "extra_meta",
    "host_ip",
    "ip_for",
    "node_images",
    "node_to_manifest",
    "parse_endpoints",
    "parse_node",
    "parse_object",
    "parse_pod",
    "parse_replicaset",
    "parse_service",
    "parse_workload",
    "pod_ip",
    "pod_ports",
    "pod_status",
    "pod_to_manifest",
    "read_plain",
    "rs_to_manifest",
    "scale_workload",
    "service_labels",
    "service_own_labels",
    "service_to_manifest",
    "set_extra_meta",
    "unschedulable_message",
    "workload_counts",
    "workload_to_manifest",
]

DC_API = "apps.openshift.io/v1"
APPS_API = "apps/v1"
WORKLOAD_KINDS = ("DeploymentConfig", "Deployment", "Service", "Pod", "ReplicationController", "ReplicaSet",
                  "Endpoints", "Node")
#: The image of the deployer pods of DeploymentConfigs (OCP 4 ships it in the release payload).
DEPLOYER_IMAGE = ("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:"
                  + hashlib.sha256(b"imagesim/deployer").hexdigest())
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]


# ---------------------------------------------------------------------------------------------
# pod status: what the kubelet reports at a given time


@dataclass(frozen=True, slots=True)
class ContainerState:
    """One of ``waiting`` (with a reason), ``running`` (since ``started``) or ``terminated``."""

    kind: str
    reason: str = ""
    message: str = ""
    started: int = -1
    finished: int = -1
    exit_code: int = 0


@dataclass(frozen=True, slots=True)
class ContainerStatus:
    name: str
    image: str
    image_id: str
    ready: bool
    restarts: int
    state: ContainerState
    last_state: ContainerState | None
    started: bool
    init: bool = False
    container_id: str = ""

    @property
    def last_restart(self) -> int | None:
        return self.last_state.finished if self.last_state is not None else None


@dataclass(frozen=True, slots=True)
class PodStatus:
    """A pod at one moment: its phase, the STATUS column ``oc get pods`` prints, its containers."""

    phase: str
    reason: str
    ready: int
    total: int
    restarts: int
    last_restart: int | None
    containers: tuple[ContainerStatus, ...]
    ip: str
    host_ip: str
    terminating: bool
    initialized: bool = True
    scheduled: bool = True

    @property
    def all_ready(self) -> bool:
        return self.total > 0 and self.ready == self.total and not self.terminating


def _node_index(node: str) -> int:
    if node in DEFAULT_NODES:
        return DEFAULT_NODES.index(node)
    return int(hashlib.sha256(node.encode()).hexdigest()[:4], 16) % 64


def pod_ip(pod: Pod) -> str:
    """A deterministic pod IP in the node's /23 of OpenShift's 10.128.0.0/14 cluster network."""
    return ip_for(pod.uid or pod.name, pod.node)


def ip_for(uid: str, node: str) -> str:
    value = int(hashlib.sha256(uid.encode()).hexdigest()[:8], 16)
    return f"10.{128 + _node_index(node)}.{value % 2}.{value // 2 % 250 + 3}"


def host_ip(node: str) -> str:
    return f"10.0.128.{2 + _node_index(node)}"


def _container_id(pod: Pod, name: str, start: int) -> str:
    return "cri-o://" + hashlib.sha256(f"{pod.uid}/{name}/{start}".encode()).hexdigest()


def _image_id(run: ContainerRun) -> str:
    if not run.image_id:
        return ""
    try:
        ref = ImageReference.parse_normalized(run.image)
    except ValueError:
        return run.image_id
    return f"{ref.domain}/{ref.path}@{run.image_id}"


def _normalized_image(image: str) -> str:
    try:
        ref = ImageReference.parse_normalized(image)
    except ValueError:
        return image
    base = f"{ref.domain}/{ref.path}"
    if ref.digest:
        return f"{base}@{ref.digest}"
    return f"{base}:{ref.tag or 'latest'}"


def _backoff_after(restarts: int) -> int:
    return min(BACKOFF_START * 2 ** restarts, BACKOFF_CAP)


def _run_status(pod: Pod, run: ContainerRun, now: int, ending: bool) -> ContainerStatus:
    image_id = _image_id(run)
    waiting_pull = run.started < 0 or now < run.started
    if waiting_pull:
        if run.failure_reason in ("InvalidImageName", "ErrImageNeverPull"):
            state = ContainerState("waiting", run.failure_reason, run.failure_message)
        elif run.first_failure >= 0 and now >= run.first_failure:
            if run.started < 0 and now < run.first_failure + BACKOFF_START:
                state = ContainerState("waiting", "ErrImagePull", run.failure_message)
            else:
                state = ContainerState("waiting", "ImagePullBackOff", f'Back-off pulling image "{run.image}"')
        else:
            state = ContainerState("waiting", "PodInitializing" if run.init else "ContainerCreating")
        return ContainerStatus(run.name, run.image, "", False, 0, state, None, False, run.init)
    if run.init and not run.broken:
        state = ContainerState("terminated", "Completed", "", run.started, run.started + 1, 0)
        return ContainerStatus(run.name, run.image, image_id, False, 0, state, None, False, True,
                               _container_id(pod, run.name, run.started))
    if not run.broken:
        state = ContainerState("running", started=run.started)
        ready = now >= run.started + 1 and not ending
        return ContainerStatus(run.name, run.image, image_id, ready, 0, state, None, True, run.init,
                               _container_id(pod, run.name, run.started))
    restarts, start, running = restarts_at(run.started, now)
    crash = start + CRASH_AFTER
    last = None
    if running and restarts > 0:
        _, previous, _ = restarts_at(run.started, start - 1)
        last = ContainerState("terminated", "Error", "", previous, previous + CRASH_AFTER, 1)
    if running:
        state = ContainerState("running", started=start)
    elif restarts == 0:
        state = ContainerState("terminated", "Error", "", start, crash, 1)
    else:
        state = ContainerState("waiting", "CrashLoopBackOff",
                               f"back-off {_duration_text(_backoff_after(restarts))} restarting failed container="
                               f"{run.name} pod={pod.name}_{pod.namespace}({pod.uid})")
        last = ContainerState("terminated", "Error", "", start, crash, 1)
    return ContainerStatus(run.name, run.image, image_id, False, restarts, state, last, running, run.init,
                           _container_id(pod, run.name, start))


def _duration_text(seconds: int) -> str:
    """Go's ``time.Duration`` String for whole seconds (``10s``, ``5m0s``)."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes}m{rest}s"
    if minutes:
        return f"{minutes}m{rest}s"
    return f"{rest}s"


_ROLLOUT_ENDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def deployer_end(sim: Simulation, rs_namespace: str, rs_name: str) -> int | None:
    """When the rollout of ``rs_name`` completed or failed (from the event log, indexed once)."""
    log = sim.log
    seen, ends = _ROLLOUT_ENDS.get(log, (0, {}))
    if seen < len(log):
        for i in range(seen, len(log)):
            event = log[i]
            if event.kind in ("rollout-complete", "rollout-failed"):  # message: "NAME" or "NAME: cause"
                ends[(event.namespace, event.message.partition(": ")[0])] = event.time
        _ROLLOUT_ENDS[log] = (len(log), ends)
    return ends.get((rs_namespace, rs_name))


def pod_status(sim: Simulation, pod: Pod, now: int) -> PodStatus:
    """The status of ``pod`` at ``now`` as the kubelet reports it and ``oc get pods`` prints it."""
    terminating = 0 <= pod.deleted <= now
    if pod.node not in sim.cluster.kubelet.nodes and not (pod.deployer and pod.labels.get("phase")):
        # not bound to a node (every node cordoned) or bound to one that does not exist: Pending, no IP
        waiting = ContainerState("waiting")
        statuses = tuple(ContainerStatus(r.name, r.image, "", False, 0, waiting, None, False, r.init)
                         for r in pod.containers)
        total = 1 if pod.deployer else sum(1 for r in pod.containers if not r.init)
        return PodStatus("Pending", "Terminating" if terminating else "Pending", 0, total, 0, None, statuses, "", "",
                         terminating, not any(r.init for r in pod.containers), scheduled=False)
    ip, hip = pod_ip(pod), host_ip(pod.node)
    if pod.deployer:
        phase_label = pod.labels.get("phase", "")
        if phase_label:
            end = deployer_end(sim, pod.namespace, pod.owner)
            end = end if end is not None else now
            failed = phase_label == "Failed"
            state = ContainerState("terminated", "Error" if failed else "Completed", "", pod.created,
                                   end, 1 if failed else 0)
            status = ContainerStatus("deployment", DEPLOYER_IMAGE, DEPLOYER_IMAGE, False, 0, state, None, False,
                                     container_id=_container_id(pod, "deployment", pod.created))
            reason = "Terminating" if terminating else ("Error" if failed else "Completed")
            return PodStatus("Failed" if failed else "Succeeded", reason, 0, 1, 0, None, (status,), ip, hip,
                             terminating)
        state = ContainerState("running", started=pod.created)
        status = ContainerStatus("deployment", DEPLOYER_IMAGE, DEPLOYER_IMAGE, not terminating, 0, state, None, True,
                                 container_id=_container_id(pod, "deployment", pod.created))
        return PodStatus("Running", "Terminating" if terminating else "Running", 0 if terminating else 1, 1, 0,
                         None, (status,), ip, hip, terminating)
    inits = [_run_status(pod, r, now, terminating) for r in pod.containers if r.init]
    initialized = all(s.state.kind == "terminated" and s.state.exit_code == 0 for s in inits)
    regular = []
    for run in pod.containers:
        if run.init:
            continue
        if not initialized:
            regular.append(ContainerStatus(run.name, run.image, "", False, 0,
                                           ContainerState("waiting", "PodInitializing"), None, False))
        else:
            regular.append(_run_status(pod, run, now, terminating))
    statuses = tuple(inits + regular)
    started = any(s.state.kind != "waiting" or s.restarts for s in regular) or (
        bool(inits) and any(s.state.kind != "waiting" for s in inits))
    phase = "Running" if started and initialized else "Pending"
    # the STATUS column: kubectl's printPod
    reason = phase
    restarts = 0
    last_restart = None
    if not initialized:
        for i, s in enumerate(inits):
            restarts += s.restarts
            if s.state.kind == "terminated" and s.state.exit_code == 0:
                continue
            if s.state.kind == "terminated":
                reason = f"Init:{s.state.reason or 'Error'}"
            elif s.state.kind == "waiting" and s.state.reason and s.state.reason != "PodInitializing":
                reason = f"Init:{s.state.reason}"
            else:
                reason = f"Init:{i}/{len(inits)}"
            break
    else:
        has_running = False
        for s in reversed(regular):
            restarts += s.restarts
            if s.last_restart is not None:
                last_restart = s.last_restart if last_restart is None else max(last_restart, s.last_restart)
            if s.state.kind == "waiting" and s.state.reason:
                reason = s.state.reason
            elif s.state.kind == "terminated" and s.state.reason:
                reason = s.state.reason
            elif s.state.kind == "running":
                has_running = True
        if reason == "Completed" and has_running:
            reason = "Running"
    if terminating:
        reason = "Terminating"
    ready = sum(1 for s in regular if s.ready and s.state.kind == "running")
    return PodStatus(phase, reason, ready, len(regular), restarts, last_restart, statuses, ip, hip, terminating,
                     initialized)


# ---------------------------------------------------------------------------------------------
# counts of workloads and their replica sets


@dataclass(frozen=True, slots=True)
class Counts:
    replicas: int = 0
    updated: int = 0
    ready: int = 0
    available: int = 0


def _live(sim: Simulation, rs: ReplicaSet, now: int) -> list[Pod]:
    return [p for p in sim.cluster.pods_of(rs) if not (0 <= p.deleted <= now)]


def rs_counts(sim: Simulation, rs: ReplicaSet, now: int) -> Counts:
    live = _live(sim, rs, now)
    ready = sum(1 for p in live if p.ready(now))
    return Counts(len(live), len(live), ready, ready)


def workload_counts(sim: Simulation, w: Workload, now: int) -> Counts:
    """Replica counts of a workload's status (all its RCs/RSs, and the newest one)."""
    owned = sim.cluster.owned(w)
    total = ready = 0
    for rs in owned:
        c = rs_counts(sim, rs, now)
        total += c.replicas
        ready += c.ready
    updated = rs_counts(sim, owned[-1], now).replicas if owned else 0
    return Counts(total, updated, ready, ready)


# ---------------------------------------------------------------------------------------------
# out


def _meta(sim: Simulation, name: str, namespace: str, created: int, uid: str, *, labels=None, annotations=None,
          generation: int | None = None, resource_version: int = 1, owner: dict | None = None) -> dict:
    meta: dict[str, Any] = {}
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    meta["creationTimestamp"] = sim.clock.timestamp(created)
    if generation is not None:
        meta["generation"] = generation
    if labels:
        meta["labels"] = dict(sorted(labels.items()))
    meta["name"] = name
    meta["namespace"] = namespace
    if owner is not None:
        meta["ownerReferences"] = [owner]
    meta["resourceVersion"] = str(resource_version)
    meta["uid"] = uid
    return meta


def _owner(api: str, kind: str, name: str, uid: str) -> dict:
    return {"apiVersion": api, "blockOwnerDeletion": True, "controller": True, "kind": kind, "name": name,
            "uid": uid}


def _container_manifest(c: Container) -> dict:
    out: dict[str, Any] = {"image": c.image, "imagePullPolicy": c.pull_policy or "IfNotPresent", "name": c.name}
    if c.ports:
        out["ports"] = [{"containerPort": p, "protocol": "TCP"} for p in c.ports]
    out.update({"resources": {}, "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"})
    return out


def template_to_manifest(template: PodTemplate, *, labels: dict | None = None,
                         annotations: dict | None = None) -> dict:
    meta: dict[str, Any] = {}
    all_annotations = dict(template.annotations, **(annotations or {}))
    if all_annotations:
        meta["annotations"] = dict(sorted(all_annotations.items()))
    meta["creationTimestamp"] = None
    all_labels = dict(template.labels, **(labels or {}))
    if all_labels:
        meta["labels"] = dict(sorted(all_labels.items()))
    spec: dict[str, Any] = {"containers": [_container_manifest(c) for c in template.containers],
                            "dnsPolicy": "ClusterFirst"}
    if template.init_containers:
        spec["initContainers"] = [_container_manifest(c) for c in template.init_containers]
    spec.update({"restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
                 "terminationGracePeriodSeconds": 30})
    return {"metadata": meta, "spec": spec}


def _conditions(sim: Simulation, w: Workload) -> list[dict]:
    out = []
    for ctype in ("Available", "Progressing", "ReplicaFailure"):
        cond = w.conditions.get(ctype)
        if cond is None:
            continue
        status, reason, message, updated, transition = cond
        item: dict[str, Any] = {"lastTransitionTime": sim.clock.timestamp(transition),
                                "lastUpdateTime": sim.clock.timestamp(updated), "message": message}
        if reason:
            item["reason"] = reason
        item.update({"status": status, "type": ctype})
        out.append(item)
    return out


def _dc_trigger_manifest(w: Workload, t: ImageChangeTrigger) -> dict:
    params: dict[str, Any] = {"automatic": t.automatic}
    if t.container_names:
        params["containerNames"] = list(t.container_names)
    params["from"] = {"kind": "ImageStreamTag", "name": t.from_name, "namespace": t.from_namespace or w.namespace}
    if t.last_triggered_image:
        params["lastTriggeredImage"] = t.last_triggered_image
    return {"imageChangeParams": params, "type": "ImageChange"}


def _triggers_annotation(w: Workload) -> str | None:
    stored = w.annotations.get(TRIGGERS_ANNOTATION)
    if not w.triggers:
        return stored
    generated = annotation_text(w.triggers, w.namespace)
    if stored is not None:
        try:
            same = annotation_text(parse_annotation_triggers(w), w.namespace) == generated
        except Invalid:
            same = False
        if same:
            return stored
    return generated


def workload_to_manifest(sim: Simulation, w: Workload) -> dict:
    """A DeploymentConfig (``apps.openshift.io/v1``) or Deployment (``apps/v1``), status included."""
    now = sim.clock.now
    counts = workload_counts(sim, w, now)
    if w.is_dc:
        spec: dict[str, Any] = {}
        if w.paused:
            spec["paused"] = True
        spec.update({"replicas": w.replicas, "revisionHistoryLimit": 10, "selector": dict(sorted(w.selector.items()))})
        if w.strategy == "Recreate":
            strategy = {"activeDeadlineSeconds": 21600, "recreateParams": {"timeoutSeconds": w.timeout},
                        "resources": {}, "type": "Recreate"}
        else:
            strategy = {"activeDeadlineSeconds": 21600, "resources": {},
                        "rollingParams": {"intervalSeconds": 1, "maxSurge": "25%", "maxUnavailable": "25%",
                                          "timeoutSeconds": w.timeout, "updatePeriodSeconds": 1},
                        "type": "Rolling"}
        spec["strategy"] = strategy
        spec["template"] = template_to_manifest(w.template)
        spec["test"] = False
        triggers = [{"type": "ConfigChange"}] if w.config_change else []
        triggers += [_dc_trigger_manifest(w, t) for t in w.triggers]
        spec["triggers"] = triggers
        status: dict[str, Any] = {"availableReplicas": counts.available, "conditions": _conditions(sim, w)}
        if w.history:
            cause = w.history[-1][1]
            if cause == "image change":
                image = next((t.last_triggered_image for t in w.triggers if t.last_triggered_image), "")
                causes = [{"imageTrigger": {"from": {"kind": "DockerImage", "name": image}}, "type": "ImageChange"}]
            elif cause == "manual change":
                causes = [{"type": "Manual"}]
            else:
                causes = [{"type": "ConfigChange"}]
            status["details"] = {"causes": causes, "message": cause or "config change"}
        status.update({"latestVersion": w.revision, "observedGeneration": w.generation,
                       "readyReplicas": counts.ready, "replicas": counts.replicas,
                       "unavailableReplicas": max(0, counts.replicas - counts.available),
                       "updatedReplicas": counts.updated})
        return {"apiVersion": DC_API, "kind": "DeploymentConfig",
                "metadata": _meta(sim, w.name, w.namespace, w.created, w.uid, labels=w.labels,
                                  annotations=w.annotations, generation=w.generation,
                                  resource_version=w.resource_version),
                "spec": spec, "status": status}
    annotations = dict(w.annotations)
    annotations.pop(TRIGGERS_ANNOTATION, None)
    text = _triggers_annotation(w)
    if text is not None:
        annotations[TRIGGERS_ANNOTATION] = text
    if w.revision:
        annotations[REVISION_ANNOTATION] = str(w.revision)
    spec = {}
    if w.paused:
        spec["paused"] = True
    spec.update({"progressDeadlineSeconds": w.timeout, "replicas": w.replicas, "revisionHistoryLimit": 10,
                 "selector": {"matchLabels": dict(sorted(w.selector.items()))}})
    if w.strategy == "Recreate":
        spec["strategy"] = {"type": "Recreate"}
    else:
        spec["strategy"] = {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"}
    spec["template"] = template_to_manifest(w.template)
    status = {}
    if counts.available:
        status["availableReplicas"] = counts.available
    status["conditions"] = _conditions(sim, w)
    status["observedGeneration"] = w.generation
    if counts.ready:
        status["readyReplicas"] = counts.ready
    if counts.replicas:
        status["replicas"] = counts.replicas
    unavailable = max(0, w.replicas - counts.available)
    if unavailable:
        status["unavailableReplicas"] = unavailable
    if counts.updated:
        status["updatedReplicas"] = counts.updated
    return {"apiVersion": APPS_API, "kind": "Deployment",
            "metadata": _meta(sim, w.name, w.namespace, w.created, w.uid, labels=w.labels, annotations=annotations,
                              generation=w.generation, resource_version=w.resource_version),
            "spec": spec, "status": status}


def _owner_workload(sim: Simulation, rs: ReplicaSet) -> Workload | None:
    kind = "DeploymentConfig" if rs.kind == "ReplicationController" else "Deployment"
    return sim.cluster.workloads.get((kind, rs.namespace, rs.owner))


# ---------------------------------------------------------------------------------------------
# standalone objects (applied Pods, ReplicationControllers and ReplicaSets that no workload owns)

#: Per cluster: (kind, namespace, name) -> what an object was created with that the engine's records
#: do not keep: ``labels``, ``annotations``, ``selector``, ``ports``, ``restartPolicy`` of standalone
#: Pods / RCs / RSs, and the ``labels`` of Services.
_EXTRA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def extra_meta(sim: Simulation, kind: str, namespace: str, name: str) -> dict:
    """What a Service or a standalone Pod / RC / RS was created with besides its spec (``{}`` if nothing)."""
    return _EXTRA.get(sim.cluster, {}).get((kind, namespace, name), {})


def set_extra_meta(sim: Simulation, kind: str, namespace: str, name: str, meta: dict) -> None:
    _EXTRA.setdefault(sim.cluster, {})[(kind, namespace, name)] = meta


def rs_labels(sim: Simulation, rs: ReplicaSet) -> dict[str, str]:
    """The labels of a ReplicationController (its DC's labels + the DC name) or a ReplicaSet
    (its template's labels + the pod-template-hash); a standalone one's own labels."""
    if not rs.owner:
        meta = extra_meta(sim, rs.kind, rs.namespace, rs.name)
        return dict(meta.get("labels", rs.template.labels))
    if rs.kind == "ReplicationController":
        w = _owner_workload(sim, rs)
        labels = dict(w.labels) if w is not None else {}
        labels["openshift.io/deployment-config.name"] = rs.owner
        return labels
    labels = dict(rs.template.labels)
    labels["pod-template-hash"] = rs.name.rsplit("-", 1)[-1]
    return labels


def rs_selector(sim: Simulation, rs: ReplicaSet) -> dict[str, str]:
    if not rs.owner:
        return dict(extra_meta(sim, rs.kind, rs.namespace, rs.name).get("selector", rs.template.labels))
    w = _owner_workload(sim, rs)
    selector = dict(w.selector) if w is not None else dict(rs.template.labels)
    if rs.kind == "ReplicationController":
        selector.update({"deployment": rs.name, "deploymentconfig": rs.owner})
    else:
        selector["pod-template-hash"] = rs.name.rsplit("-", 1)[-1]
    return selector


def _rs_phase(rs: ReplicaSet) -> str:
    return {"Stalled": "Running"}.get(rs.phase, rs.phase)


def rs_to_manifest(sim: Simulation, rs: ReplicaSet) -> dict:
    """A ReplicationController (``v1``, of a DeploymentConfig) or a ReplicaSet (``apps/v1``)."""
    now = sim.clock.now
    counts = rs_counts(sim, rs, now)
    if not rs.owner:
        return _standalone_rs_manifest(sim, rs, counts)
    w = _owner_workload(sim, rs)
    owner_uid = w.uid if w is not None else ""
    if rs.kind == "ReplicationController":
        annotations = {"openshift.io/deployer-pod.name": f"{rs.name}-deploy",
                       "openshift.io/deployment-config.latest-version": str(rs.revision),
                       "openshift.io/deployment-config.name": rs.owner,
                       "openshift.io/deployment.phase": _rs_phase(rs),
                       "openshift.io/deployment.replicas": str(rs.replicas)}
        if rs.cause:
            annotations["openshift.io/deployment.status-reason"] = rs.cause
        pod_annotations = {"openshift.io/deployment-config.latest-version": str(rs.revision),
                           "openshift.io/deployment-config.name": rs.owner, "openshift.io/deployment.name": rs.name}
        selector = rs_selector(sim, rs)
        template = template_to_manifest(rs.template, labels={"deployment": rs.name, "deploymentconfig": rs.owner},
                                        annotations=pod_annotations)
        status = {"availableReplicas": counts.available, "fullyLabeledReplicas": counts.replicas,
                  "observedGeneration": 1, "readyReplicas": counts.ready, "replicas": counts.replicas}
        return {"apiVersion": "v1", "kind": "ReplicationController",
                "metadata": _meta(sim, rs.name, rs.namespace, rs.created, rs.uid, labels=rs_labels(sim, rs),
                                  annotations=annotations, generation=1,
                                  owner=_owner(DC_API, "DeploymentConfig", rs.owner, owner_uid)),
                "spec": {"replicas": rs.replicas, "selector": dict(sorted(selector.items())), "template": template},
                "status": status}
    replicas = w.replicas if w is not None else rs.replicas
    annotations = {"deployment.kubernetes.io/desired-replicas": str(replicas),
                   "deployment.kubernetes.io/max-replicas": str(replicas + max(1, (replicas + 3) // 4)),
                   REVISION_ANNOTATION: str(rs.revision)}
    template = template_to_manifest(rs.template, labels={"pod-template-hash": rs.name.rsplit("-", 1)[-1]})
    status = _rs_status(counts)
    return {"apiVersion": APPS_API, "kind": "ReplicaSet",
            "metadata": _meta(sim, rs.name, rs.namespace, rs.created, rs.uid, labels=rs_labels(sim, rs),
                              annotations=annotations, generation=1,
                              owner=_owner(APPS_API, "Deployment", rs.owner, owner_uid)),
            "spec": {"replicas": rs.replicas,
                     "selector": {"matchLabels": dict(sorted(rs_selector(sim, rs).items()))}, "template": template},
            "status": status}


def _rs_status(counts: Counts) -> dict[str, Any]:
    """The status of a ReplicaSet or ReplicationController (omitempty fields left out)."""
    status: dict[str, Any] = {}
    if counts.available:
        status["availableReplicas"] = counts.available
    if counts.replicas:
        status["fullyLabeledReplicas"] = counts.replicas
    status["observedGeneration"] = 1
    if counts.ready:
        status["readyReplicas"] = counts.ready
    status["replicas"] = counts.replicas
    return status


def _standalone_rs_manifest(sim: Simulation, rs: ReplicaSet, counts: Counts) -> dict:
    """A ReplicationController or ReplicaSet that ``oc apply`` created on its own (no owner)."""
    meta = extra_meta(sim, rs.kind, rs.namespace, rs.name)
    selector = dict(sorted(rs_selector(sim, rs).items()))
    status = _rs_status(counts)
    rc = rs.kind == "ReplicationController"
    return {"apiVersion": "v1" if rc else APPS_API, "kind": rs.kind,
            "metadata": _meta(sim, rs.name, rs.namespace, rs.created, rs.uid, labels=rs_labels(sim, rs),
                              annotations=meta.get("annotations"), generation=1),
            "spec": {"replicas": rs.replicas, "selector": selector if rc else {"matchLabels": selector},
                     "template": template_to_manifest(rs.template)},
            "status": status}


def _state_manifest(sim: Simulation, state: ContainerState) -> dict:
    if state.kind == "running":
        return {"running": {"startedAt": sim.clock.timestamp(state.started)}}
    if state.kind == "terminated":
        out = {"containerID": "", "exitCode": state.exit_code, "finishedAt": sim.clock.timestamp(state.finished),
               "reason": state.reason, "startedAt": sim.clock.timestamp(state.started)}
        return {"terminated": out}
    waiting: dict[str, Any] = {}
    if state.message:
        waiting["message"] = state.message
    waiting["reason"] = state.reason
    return {"waiting": waiting}


def _container_status_manifest(sim: Simulation, s: ContainerStatus) -> dict:
    out: dict[str, Any] = {}
    if s.container_id:
        out["containerID"] = s.container_id
    out["image"] = _normalized_image(s.image)
    out["imageID"] = s.image_id
    out["lastState"] = _state_manifest(sim, s.last_state) if s.last_state is not None else {}
    if s.last_state is not None:
        out["lastState"]["terminated"]["containerID"] = s.container_id
    out["name"] = s.name
    out["ready"] = s.ready
    out["restartCount"] = s.restarts
    out["started"] = s.started
    out["state"] = _state_manifest(sim, s.state)
    if s.state.kind == "terminated":
        out["state"]["terminated"]["containerID"] = s.container_id
    return out


def pod_annotations(pod: Pod, rs: ReplicaSet | None, sim: Simulation | None = None) -> dict[str, str]:
    annotations = {"openshift.io/scc": "restricted-v2"}
    if pod.deployer:
        annotations.update({"openshift.io/deployment-config.name": pod.workload,
                            "openshift.io/deployment.name": pod.owner})
    elif pod.owner_kind == "ReplicationController" and pod.workload:
        annotations.update({"openshift.io/deployment-config.latest-version": str(rs.revision if rs else 0),
                            "openshift.io/deployment-config.name": pod.workload,
                            "openshift.io/deployment.name": pod.owner})
    elif not pod.owner and sim is not None:  # a standalone pod keeps the annotations it was applied with
        annotations = dict(extra_meta(sim, "Pod", pod.namespace, pod.name).get("annotations", {}), **annotations)
    return annotations


def unschedulable_message(sim: Simulation) -> str:
    n = len(sim.cluster.kubelet.nodes)
    return (f"0/{n} nodes are available: {n} node(s) were unschedulable. preemption: 0/{n} nodes are available: "
            f"{n} Preemption is not helpful for scheduling.")


def pod_ports(sim: Simulation, pod: Pod, rs: ReplicaSet | None) -> dict[str, list[int]]:
    """Container name -> ports: from the RC/RS template, or what a standalone pod was applied with."""
    if rs is not None:
        return {c.name: list(c.ports) for c in rs.template.all_containers()}
    return dict(extra_meta(sim, "Pod", pod.namespace, pod.name).get("ports", {}))


def pod_to_manifest(sim: Simulation, pod: Pod) -> dict:
    """A ``v1`` Pod with ``status.containerStatuses`` at the simulation's current time."""
    now = sim.clock.now
    st = pod_status(sim, pod, now)
    rs = sim.cluster.replicasets.get((pod.namespace, pod.owner)) if pod.owner else None
    owner = _owner("v1" if pod.owner_kind == "ReplicationController" else APPS_API, pod.owner_kind,
                   pod.owner, rs.uid if rs is not None else "") if pod.owner else None
    meta = _meta(sim, pod.name, pod.namespace, pod.created, pod.uid, labels=pod.labels,
                 annotations=pod_annotations(pod, rs, sim), owner=owner)
    if pod.deployer:
        meta["ownerReferences"][0].pop("blockOwnerDeletion")
        meta["ownerReferences"][0].pop("controller")
        meta["labels"] = {k: v for k, v in meta["labels"].items() if k != "phase"}
    elif pod.owner:
        meta["generateName"] = f"{pod.owner}-"
    if st.terminating:
        meta["deletionGracePeriodSeconds"] = pod.grace
        meta["deletionTimestamp"] = sim.clock.timestamp(pod.deleted + pod.grace)
    meta = dict(sorted(meta.items()))
    if pod.deployer:
        containers = [{"image": DEPLOYER_IMAGE, "imagePullPolicy": "IfNotPresent", "name": "deployment",
                       "resources": {}, "terminationMessagePath": "/dev/termination-log",
                       "terminationMessagePolicy": "File"}]
        init: list = []
    else:
        template = PodTemplate(containers=[Container(r.name, r.image, r.pull_policy) for r in pod.containers
                                           if not r.init],
                               init_containers=[Container(r.name, r.image, r.pull_policy) for r in pod.containers
                                                if r.init])
        ports = pod_ports(sim, pod, rs)  # the ports come from the template (or the applied pod)
        for c in template.all_containers():
            c.ports = list(ports.get(c.name, []))
        containers = [_container_manifest(c) for c in template.containers]
        init = [_container_manifest(c) for c in template.init_containers]
    spec: dict[str, Any] = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True}
    if init:
        spec["initContainers"] = init
    if pod.node:
        spec["nodeName"] = pod.node
    spec.update({"preemptionPolicy": "PreemptLowerPriority", "priority": 0,
                 "restartPolicy": "Never" if pod.deployer else
                 extra_meta(sim, "Pod", pod.namespace, pod.name).get("restartPolicy", "Always") if not pod.owner
                 else "Always", "schedulerName": "default-scheduler",
                 "securityContext": {}, "serviceAccount": "deployer" if pod.deployer else "default",
                 "serviceAccountName": "deployer" if pod.deployer else "default",
                 "terminationGracePeriodSeconds": 10 if pod.deployer else 30,
                 "tolerations": [dict(t) for t in _TOLERATIONS]})
    created = sim.clock.timestamp(pod.created)
    ready_at = pod.ready_at()
    ready = st.all_ready
    ready_time = sim.clock.timestamp(ready_at) if ready and ready_at is not None else created
    conditions = [
        {"lastProbeTime": None, "lastTransitionTime": created, "status": "True", "type": "PodReadyToStartContainers"},
        {"lastProbeTime": None, "lastTransitionTime": created, "status": "True" if st.initialized else "False",
         "type": "Initialized"},
        {"lastProbeTime": None, "lastTransitionTime": ready_time, "status": "True" if ready else "False",
         "type": "Ready"},
        {"lastProbeTime": None, "lastTransitionTime": ready_time, "status": "True" if ready else "False",
         "type": "ContainersReady"},
        {"lastProbeTime": None, "lastTransitionTime": created, "status": "True", "type": "PodScheduled"},
    ]
    for cond in conditions[2:4]:
        if not ready:
            cond["message"] = "containers with unready status: [" + " ".join(
                s.name for s in st.containers if not s.init and not s.ready) + "]"
            cond["reason"] = "ContainersNotReady"
    if not st.scheduled:  # the scheduler found no node: no IP, no container statuses yet
        pending: dict[str, Any] = {}
        if not pod.node:  # (a pod bound to a node that does not exist has no conditions at all)
            pending["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": created,
                                      "message": unschedulable_message(sim), "reason": "Unschedulable",
                                      "status": "False", "type": "PodScheduled"}]
        pending.update({"phase": "Pending", "qosClass": "BestEffort"})
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": pending}
    status: dict[str, Any] = {"conditions": conditions}
    regular = [s for s in st.containers if not s.init]
    inits = [s for s in st.containers if s.init]
    status["containerStatuses"] = [_container_status_manifest(sim, s) for s in regular]
    status["hostIP"] = st.host_ip
    status["hostIPs"] = [{"ip": st.host_ip}]
    if inits:
        status["initContainerStatuses"] = [_container_status_manifest(sim, s) for s in inits]
    status["phase"] = st.phase
    status["podIP"] = st.ip
    status["podIPs"] = [{"ip": st.ip}]
    status["qosClass"] = "BestEffort"
    status["startTime"] = created
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def service_own_labels(sim: Simulation | None, svc: Service) -> dict[str, str] | None:
    """The labels a Service was created with (``oc new-app``, ``oc apply``); None when unknown."""
    if sim is not None:
        meta = extra_meta(sim, "Service", svc.namespace, svc.name)
        if "labels" in meta:
            return dict(meta["labels"])
    labels = getattr(svc, "labels", None)
    return dict(labels) if labels is not None else None


def service_labels(svc: Service, sim: Simulation | None = None) -> dict[str, str]:
    """The labels of a Service: its own when known, else its selector (a Service made through the
    Python API without labels)."""
    labels = service_own_labels(sim, svc)
    return labels if labels is not None else dict(svc.selector)


def service_to_manifest(sim: Simulation, svc: Service) -> dict:
    labels = service_own_labels(sim, svc)
    ports = [{"name": f"{p}-tcp", "port": p, "protocol": "TCP", "targetPort": p} for p in svc.ports]
    spec: dict[str, Any] = {"clusterIP": svc.cluster_ip, "clusterIPs": [svc.cluster_ip],
                            "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                            "ipFamilyPolicy": "SingleStack", "ports": ports}
    if svc.selector:
        spec["selector"] = dict(sorted(svc.selector.items()))
    spec.update({"sessionAffinity": "None", "type": "ClusterIP"})
    annotations = extra_meta(sim, "Service", svc.namespace, svc.name).get("annotations")
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": _meta(sim, svc.name, svc.namespace, svc.created, svc.uid, labels=labels,
                              annotations=annotations),
            "spec": spec, "status": {"loadBalancer": {}}}


def endpoint_pods(sim: Simulation, svc: Service, now: int) -> tuple[list[Pod], list[Pod]]:
    """The pods behind a Service, as its Endpoints list them: (ready, not ready), each ordered by IP.
    A pod counts when it matches the selector, is bound to a node (so it has an IP) and is not
    terminating. A Service without a selector has no managed Endpoints."""
    if not svc.selector:
        return [], []
    nodes = sim.cluster.kubelet.nodes
    ready, not_ready = [], []
    for pod in sim.cluster.pods.values():
        if (pod.namespace != svc.namespace or pod.deployer or 0 <= pod.deleted <= now or pod.node not in nodes
                or any(pod.labels.get(k) != v for k, v in svc.selector.items())):
            continue
        (ready if pod.ready(now) else not_ready).append(pod)

    def order(pod: Pod) -> tuple[str, str]:
        return (pod_ip(pod), pod.uid)

    return sorted(ready, key=order), sorted(not_ready, key=order)


def endpoints_to_manifest(sim: Simulation, svc: Service) -> dict:
    """The ``v1`` Endpoints the endpoints controller keeps for a Service with a selector."""
    ready, not_ready = endpoint_pods(sim, svc, sim.clock.now)

    def address(pod: Pod) -> dict:
        return {"ip": pod_ip(pod), "nodeName": pod.node,
                "targetRef": {"kind": "Pod", "name": pod.name, "namespace": pod.namespace, "uid": pod.uid}}

    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Endpoints",
                           "metadata": _meta(sim, svc.name, svc.namespace, svc.created,
                                             sim.cluster._uid("endpoints", svc.namespace, svc.name),  # noqa: SLF001
                                             labels=service_own_labels(sim, svc))}
    if ready or not_ready:
        subset: dict[str, Any] = {}
        if ready:
            subset["addresses"] = [address(p) for p in ready]
        if not_ready:
            subset["notReadyAddresses"] = [address(p) for p in not_ready]
        subset["ports"] = [{"name": f"{p}-tcp", "port": p, "protocol": "TCP"} for p in svc.ports]
        out["subsets"] = [subset]
    return out


#: What the simulated nodes report (OpenShift 4.16 on RHCOS; a simulator choice).
NODE_INFO = {"architecture": "amd64", "containerRuntimeVersion": "cri-o://1.29.6-3.rhaos4.16.git7a4a35a.el9",
             "kernelVersion": "5.14.0-427.26.1.el9_4.x86_64", "kubeProxyVersion": "v1.29.6+aba1e8d",
             "kubeletVersion": "v1.29.6+aba1e8d", "operatingSystem": "linux",
             "osImage": "Red Hat Enterprise Linux CoreOS 416.94.202407081958-0 (Plow)"}


def node_images(sim: Simulation, node: str) -> list[tuple[list[str], int]]:
    """The images in a node's cache: (names, size in bytes), largest first (the kubelet's order)."""
    cache = sim.cluster.kubelet.nodes.get(node, {})
    names: dict[str, set[str]] = {}
    for ref, digest in cache.items():
        if ref == digest:
            continue
        normalized = _normalized_image(ref)
        repo = normalized.split("@")[0] if "@" in normalized else normalized.rsplit(":", 1)[0]
        entry = names.setdefault(digest, set())
        entry.add(f"{repo}@{digest}")
        if "@" not in normalized:
            entry.add(normalized)
    out = []
    for digest, refs in names.items():
        image = sim.server.images.get(digest)
        if image is None:
            for registry in sim.registries.values():
                image = next((r.images[digest] for r in registry.repositories.values() if digest in r.images), None)
                if image is not None:
                    break
        size = sum(s for _, s in image.layers) if image is not None else 0
        out.append((sorted(refs, key=lambda n: ("@" not in n, n)), size))
    return sorted(out, key=lambda item: (-item[1], item[0]))


def node_to_manifest(sim: Simulation, node: str) -> dict:
    """A ``v1`` Node: its cordon (``spec.unschedulable`` and the taint) and its image cache
    (``status.images``)."""
    kubelet = sim.cluster.kubelet
    cordoned = node in kubelet.cordoned
    start = sim.clock.timestamp(0)
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "kubernetes.io/hostname": node, "kubernetes.io/os": "linux", "node-role.kubernetes.io/worker": "",
              "node.openshift.io/os_id": "rhcos"}
    spec: dict[str, Any] = {}
    if cordoned:
        spec["taints"] = [{"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable",
                           "timeAdded": sim.clock.timestamp(sim.clock.now)}]
        spec["unschedulable"] = True
    conditions = [
        {"lastHeartbeatTime": sim.clock.timestamp(sim.clock.now), "lastTransitionTime": start,
         "message": f"kubelet has {reason}", "reason": f"Kubelet{kind}", "status": status, "type": ctype}
        for ctype, status, kind, reason in (
            ("MemoryPressure", "False", "HasSufficientMemory", "sufficient memory available"),
            ("DiskPressure", "False", "HasNoDiskPressure", "no disk pressure"),
            ("PIDPressure", "False", "HasSufficientPID", "sufficient PID available"),
            ("Ready", "True", "Ready", "posted ready status"))]
    conditions[-1]["message"] = "kubelet is posting ready status"
    status = {"addresses": [{"address": host_ip(node), "type": "InternalIP"}, {"address": node, "type": "Hostname"}],
              "conditions": conditions,
              "images": [{"names": names, "sizeBytes": size} for names, size in node_images(sim, node)],
              "nodeInfo": dict(NODE_INFO)}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"creationTimestamp": start, "labels": labels, "name": node, "resourceVersion": "1",
                         "uid": sim.cluster._uid("node", node)},  # noqa: SLF001
            "spec": spec, "status": status}


# ---------------------------------------------------------------------------------------------
# in


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


class _Reader:
    """Reads one object's fields with the API server's type errors (a ``BadRequest``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def fail(self, detail: str) -> Invalid:
        return Invalid(f'{self.kind} in version "v1" cannot be handled as a {self.kind}: {detail}',
                       reason="BadRequest")

    def get(self, value: Any, types: tuple, what: str, go_type: str) -> Any:
        if value is None:
            return None
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if int in types and isinstance(value, float) and value.is_integer():
            return int(value)
        if not ok:
            raise self.fail(f"json: cannot unmarshal {_json_type(value)} into Go struct field {what} of type {go_type}")
        return value

    def string_map(self, value: Any, what: str) -> dict[str, str]:
        value = self.get(value, (dict,), what, "map[string]string") or {}
        out = {}
        for key, item in value.items():
            if not isinstance(item, str):
                raise self.fail(f"json: cannot unmarshal {_json_type(item)} into Go struct field {what} of type string")
            out[str(key)] = item
        return out


@dataclass
class ParsedService:
    service: Service
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def namespace(self) -> str:
        return self.service.namespace

    @property
    def name(self) -> str:
        return self.service.name


def _invalid(kind: str, name: str, errors: list[str]) -> Invalid:
    return Invalid(invalid_text(kind, name, errors))


def _go_map(values: dict[str, str]) -> str:
    return "map[string]string{" + ", ".join(f'"{k}":"{v}"' for k, v in sorted(values.items())) + "}"


def _check_api(obj: dict, kind: str, allowed: tuple[str, ...]) -> None:
    api = obj.get("apiVersion", "")
    if api not in allowed:
        meta = obj.get("metadata")
        name = meta.get("name", "") if isinstance(meta, dict) else ""
        raise Invalid(f'error: resource mapping not found for name: "{name}" namespace: "" from "STDIN": '
                      f'no matches for kind "{kind}" in version "{api}"', reason="BadRequest")


def _metadata(r: _Reader, obj: dict, default_namespace: str) -> tuple[str, str, dict, dict]:
    meta = r.get(obj.get("metadata"), (dict,), f"{r.kind}.metadata", "v1.ObjectMeta") or {}
    name = r.get(meta.get("name"), (str,), "ObjectMeta.metadata.name", "string") or ""
    if not name:
        raise Invalid("resource name may not be empty", reason="BadRequest")
    namespace = r.get(meta.get("namespace"), (str,), "ObjectMeta.metadata.namespace", "string") or default_namespace
    labels = r.string_map(meta.get("labels"), "ObjectMeta.metadata.labels")
    annotations = r.string_map(meta.get("annotations"), "ObjectMeta.metadata.annotations")
    return name, namespace, labels, annotations


_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def _name_errors(name: str) -> list[str]:
    """The API server's check of ``metadata.name`` (an RFC 1123 subdomain): one error per rule broken."""
    errors = []
    if len(name) > 253:
        errors.append(f'metadata.name: Invalid value: "{name}": must be no more than 253 characters')
    if not _DNS_SUBDOMAIN.fullmatch(name):
        errors.append(f'metadata.name: Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of '
                      "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                      "character (e.g. 'example.com', regex used for validation is "
                      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    return errors


def _containers(r: _Reader, raw: Any, path: str, errors: list[str]) -> list[Container]:
    items = r.get(raw, (list,), f"PodSpec.{path}", "[]v1.Container") or []
    out, seen = [], set()
    for i, item in enumerate(items):
        item = r.get(item, (dict,), f"PodSpec.{path}", "v1.Container") or {}
        name = r.get(item.get("name"), (str,), f"Container.{path}.name", "string") or ""
        image = r.get(item.get("image"), (str,), f"Container.{path}.image", "string") or ""
        policy = r.get(item.get("imagePullPolicy"), (str,), f"Container.{path}.imagePullPolicy", "string") or ""
        ports = []
        for j, port in enumerate(r.get(item.get("ports"), (list,), f"Container.{path}.ports", "[]v1.ContainerPort")
                                 or []):
            port = r.get(port, (dict,), f"Container.{path}.ports", "v1.ContainerPort") or {}
            number = r.get(port.get("containerPort"), (int,), f"ContainerPort.{path}.ports.containerPort", "int32")
            if number is None:
                errors.append(f"{path}[{i}].ports[{j}].containerPort: Required value")
            elif not 1 <= number <= 65535:
                errors.append(f"{path}[{i}].ports[{j}].containerPort: Invalid value: {number}: must be between 1 "
                              "and 65535, inclusive")
            else:
                ports.append(number)
        if not name:
            errors.append(f"{path}[{i}].name: Required value")
        elif name in seen:
            errors.append(f'{path}[{i}].name: Duplicate value: "{name}"')
        seen.add(name)
        if not image.strip():
            errors.append(f"{path}[{i}].image: Required value")
        if policy and policy not in ("Always", "IfNotPresent", "Never"):
            errors.append(f'{path}[{i}].imagePullPolicy: Unsupported value: "{policy}": supported values: '
                          '"Always", "IfNotPresent", "Never"')
        out.append(Container(name, image, policy, ports))
    return out


def _template(r: _Reader, raw: Any, errors: list[str]) -> PodTemplate:
    template = r.get(raw, (dict,), "spec.template", "v1.PodTemplateSpec") or {}
    meta = r.get(template.get("metadata"), (dict,), "PodTemplateSpec.spec.template.metadata", "v1.ObjectMeta") or {}
    spec = r.get(template.get("spec"), (dict,), "PodTemplateSpec.spec.template.spec", "v1.PodSpec") or {}
    labels = r.string_map(meta.get("labels"), "ObjectMeta.spec.template.metadata.labels")
    annotations = r.string_map(meta.get("annotations"), "ObjectMeta.spec.template.metadata.annotations")
    containers = _containers(r, spec.get("containers"), "spec.template.spec.containers", errors)
    inits = _containers(r, spec.get("initContainers"), "spec.template.spec.initContainers", errors)
    if not containers:
        errors.insert(0, "spec.template.spec.containers: Required value")
    return PodTemplate(labels, annotations, containers, inits)


def _replicas(r: _Reader, spec: dict, errors: list[str], what: str) -> int:
    replicas = r.get(spec.get("replicas"), (int,), f"{what}.spec.replicas", "int32")
    if replicas is None:
        return 1
    if replicas < 0:
        errors.append(f"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0")
    elif replicas > MAX_REPLICAS:
        errors.append(f"spec.replicas: Invalid value: {replicas}: imagesim simulates at most "
                      f"{MAX_REPLICAS} replicas per workload")
    return replicas


def _plain_containers(raw: Any, seen: set[str]) -> list[Container] | None:
    """Well-formed containers (names not in ``seen``, which gets them), or None when anything
    would be converted, defaulted or refused."""
    if type(raw) is not list:
        return None
    out = []
    for item in raw:
        if type(item) is not dict:
            return None
        get = item.get
        name, image, policy, raw_ports = get("name"), get("image"), get("imagePullPolicy"), get("ports")
        if type(name) is not str or not name or name in seen or type(image) is not str or not image.strip():
            return None
        if policy is None:
            policy = ""
        elif type(policy) is not str or policy not in _PULL_POLICIES:
            return None
        ports = _NO_PORTS
        if raw_ports is not None:
            if type(raw_ports) is not list:
                return None
            if raw_ports:
                ports = []
            for port in raw_ports:
                number = port.get("containerPort") if type(port) is dict else None
                if type(number) is not int or not 1 <= number <= 65535:
                    return None
                ports.append(number)
        seen.add(name)
        out.append(Container(name, image, policy, ports))
    return out[:]  # (a copy of its size: a list grown by appends keeps room for more)


_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
# Empty lists that the templates read here share (nothing edits a template's containers or ports in
# place: a change makes new lists, see cluster.py), so that they cost no object each.
_NO_PORTS: list[int] = []
_NO_CONTAINERS: list[Container] = []
# Likewise for the label and annotation maps of a DeploymentConfig and its template: an edit
# assigns a new map (``oc apply``) or edits a copy (``PodTemplate.copy``), never the one read here.
_NO_STRINGS: dict[str, str] = {}
# The ``containerNames`` of image triggers, one shared list per name (nothing edits one in place).
_CONTAINER_NAMES: dict[str, list[str]] = {}


def _plain_map(value: Any) -> dict[str, str] | None:
    """:func:`plain_strings` of a map that may be absent or empty (then the shared empty map)."""
    if value is None or (type(value) is dict and not value):
        return _NO_STRINGS
    return plain_strings(value)
_dns_subdomain = _DNS_SUBDOMAIN.fullmatch


def _plain_dc(obj: dict, default_namespace: str) -> Workload | None:
    """A well-formed DeploymentConfig manifest as :func:`parse_workload` makes it, or None when
    the manifest needs its full checks (a conversion, a default it cannot take here, an error).
    It compares values only once they are known to be strings, numbers or booleans."""
    api, meta, spec = obj.get("apiVersion"), obj.get("metadata"), obj.get("spec")
    if type(api) is not str or api != DC_API or type(meta) is not dict or type(spec) is not dict:
        return None
    get = meta.get
    name, namespace, labels, annotations = get("name"), get("namespace"), get("labels"), get("annotations")
    if type(name) is not str or not name or len(name) > 253 or not _dns_subdomain(name):
        return None
    if type(namespace) is not str:
        if namespace is not None:
            return None
        namespace = default_namespace
    elif not namespace:
        namespace = default_namespace
    labels, annotations = _plain_map(labels), _plain_map(annotations)
    if labels is None or annotations is None:
        return None
    get = spec.get
    replicas, paused, raw_template = get("replicas"), get("paused"), get("template")
    if replicas is None:
        replicas = 1
    elif type(replicas) is not int or not 0 <= replicas <= MAX_REPLICAS:
        return None
    if (paused is not None and type(paused) is not bool) or type(raw_template) is not dict:
        return None
    template_meta, pod = raw_template.get("metadata"), raw_template.get("spec")
    if template_meta is None:
        template_labels, template_annotations = _NO_STRINGS, _NO_STRINGS
    elif type(template_meta) is dict:
        template_labels = _plain_map(template_meta.get("labels"))
        template_annotations = _plain_map(template_meta.get("annotations"))
        if template_labels is None or template_annotations is None:
            return None
    else:
        return None
    if type(pod) is not dict:
        return None  # (no pod spec has no containers either)
    seen: set[str] = set()
    containers = _plain_containers(pod.get("containers"), seen)
    if not containers:
        return None
    raw_inits = pod.get("initContainers")
    if raw_inits is None:
        inits: list[Container] = _NO_CONTAINERS
        names = seen
    else:
        inits = _plain_containers(raw_inits, set())
        if inits is None:
            return None
        names = set()
        for c in inits:
            if c.name in seen:
                return None
            names.add(c.name)
        names.update(seen)
    if not template_labels:
        return None  # (an empty selector and no labels is fine, but rare: the full checks decide)
    # the selector is the template's labels (one map for both) unless it picks fewer of them
    selector = spec.get("selector")
    if selector is None:
        selector = template_labels
    elif type(selector) is not dict:
        return None
    else:
        for key, value in selector.items():
            if type(key) is not str or type(value) is not str or template_labels.get(key) != value:
                return None
        if not selector or len(selector) == len(template_labels):
            selector = template_labels
        else:
            selector = dict(selector)
    strategy = spec.get("strategy")
    stype, timeout = "Rolling", 600
    if strategy is not None:
        if type(strategy) is not dict:
            return None
        stype = strategy.get("type")
        if stype is None:
            stype = "Rolling"
        elif type(stype) is not str:
            return None
        elif stype not in ("Rolling", "Recreate"):
            if stype:
                return None
            stype = "Rolling"
        params = strategy.get("rollingParams" if stype == "Rolling" else "recreateParams")
        if params is not None:
            if type(params) is not dict:
                return None
            timeout = params.get("timeoutSeconds")
            if timeout is None:
                timeout = 600
            elif type(timeout) is not int or timeout < 1:
                return None
    raw_triggers = spec.get("triggers")
    triggers: list[ImageChangeTrigger] = []
    if raw_triggers is None:
        config_change = True
    elif type(raw_triggers) is not list:
        return None
    else:
        config_change = False
        for raw in raw_triggers:
            if type(raw) is not dict:
                return None
            ttype = raw.get("type")
            if type(ttype) is not str:
                return None
            if ttype == "ConfigChange":
                config_change = True
                continue
            params = raw.get("imageChangeParams")
            if ttype != "ImageChange" or type(params) is not dict:
                return None
            get = params.get
            source, cnames, automatic, last = get("from"), get("containerNames"), get("automatic"), \
                get("lastTriggeredImage")
            if type(source) is not dict or type(cnames) is not list or not cnames:
                return None
            if automatic is None:
                automatic = True
            elif type(automatic) is not bool:
                return None
            if last is None:
                last = ""
            elif type(last) is not str:
                return None
            get = source.get
            fkind, fname, fns = get("kind"), get("name"), get("namespace")
            if fns is None:
                fns = ""
            if type(fkind) is not str or type(fname) is not str or type(fns) is not str or fkind != "ImageStreamTag":
                return None
            stream, _, tag = fname.partition(":")
            if not stream or not tag or ":" in tag or "@" in fname:
                return None
            for cname in cnames:
                if type(cname) is not str or cname not in names:
                    return None
            if len(cnames) == 1:
                names_list = _CONTAINER_NAMES.get(cnames[0])
                if names_list is None:
                    names_list = _CONTAINER_NAMES[cnames[0]] = [cnames[0]]
            else:
                names_list = list(cnames)
            triggers.append(ImageChangeTrigger(fname, fns if fns != namespace else "", names_list, automatic, last))
    template = PodTemplate(template_labels, template_annotations, containers, inits)
    return Workload("DeploymentConfig", namespace, name, 0, labels=labels, annotations=annotations,
                    replicas=replicas, selector=selector, template=template, strategy=stype,
                    timeout=timeout, paused=paused is True, config_change=config_change, triggers=triggers[:])


def read_plain(obj: Any, default_namespace: str) -> Workload | ParsedStream | None:
    """What :func:`parse_object` (or, for an ImageStream, ``parse_stream``) makes of a well-formed
    DeploymentConfig or ImageStream manifest, read without its full checks and without running any
    code of the values in it; None for any other manifest (which then takes the full checks)."""
    if type(obj) is not dict:
        return None
    kind = obj.get("kind")
    if type(kind) is not str:
        return None
    try:  # (a dict key of a type of its own may compare itself with the names looked up)
        if kind == "DeploymentConfig":
            return _plain_dc(obj, default_namespace)
        if kind == "ImageStream":
            return read_plain_stream(obj, default_namespace)
    except Exception:  # noqa: BLE001 - the full checks read it
        return None
    return None


def parse_workload(obj: dict, default_namespace: str) -> Workload:
    """A DeploymentConfig or Deployment manifest as a (not yet created) :class:`Workload`."""
    kind = obj.get("kind")
    if kind == "DeploymentConfig":
        workload = _plain_dc(obj, default_namespace)
        if workload is not None:
            return workload
        _check_api(obj, kind, (DC_API,))
    elif kind == "Deployment":
        _check_api(obj, kind, (APPS_API,))
    else:
        raise Invalid(f'no matches for kind "{kind}"', reason="BadRequest")
    r = _Reader(kind)
    name, namespace, labels, annotations = _metadata(r, obj, default_namespace)
    errors = _name_errors(name)
    spec = r.get(obj.get("spec"), (dict,), f"{kind}.spec", f"v1.{kind}Spec") or {}
    replicas = _replicas(r, spec, errors, f"{kind}Spec")
    paused = bool(r.get(spec.get("paused"), (bool,), f"{kind}Spec.spec.paused", "bool"))
    template = _template(r, spec.get("template"), errors)
    if "template" not in spec or spec.get("template") is None:
        errors[:] = [e for e in errors if not e.startswith("spec.template.spec.containers: Required")]
        errors.insert(0, "spec.template: Required value")
    names = {c.name for c in template.all_containers()}
    if kind == "DeploymentConfig":
        selector = r.string_map(spec.get("selector"), "DeploymentConfigSpec.spec.selector") or dict(template.labels)
        strategy = r.get(spec.get("strategy"), (dict,), "DeploymentConfigSpec.spec.strategy",
                         "v1.DeploymentStrategy") or {}
        stype = r.get(strategy.get("type"), (str,), "DeploymentStrategy.spec.strategy.type", "string") or "Rolling"
        if stype not in ("Rolling", "Recreate"):
            errors.append(f'spec.strategy.type: Unsupported value: "{stype}": supported values: "Recreate", "Rolling"')
        params_key = "rollingParams" if stype == "Rolling" else "recreateParams"
        params = r.get(strategy.get(params_key), (dict,), f"DeploymentStrategy.spec.strategy.{params_key}",
                       "v1.RollingDeploymentStrategyParams") or {}
        timeout = r.get(params.get("timeoutSeconds"), (int,), f"spec.strategy.{params_key}.timeoutSeconds",
                        "int64")
        if timeout is not None and timeout < 1:
            errors.append(f"spec.strategy.{params_key}.timeoutSeconds: Invalid value: {timeout}: must be greater "
                          "than zero")
        raw_triggers = spec.get("triggers")
        triggers_list = r.get(raw_triggers, (list,), "DeploymentConfigSpec.spec.triggers",
                              "[]v1.DeploymentTriggerPolicy")
        config_change = raw_triggers is None
        triggers: list[ImageChangeTrigger] = []
        for i, raw in enumerate(triggers_list or []):
            raw = r.get(raw, (dict,), "DeploymentConfigSpec.spec.triggers", "v1.DeploymentTriggerPolicy") or {}
            ttype = r.get(raw.get("type"), (str,), "DeploymentTriggerPolicy.spec.triggers.type", "string") or ""
            path = f"spec.triggers[{i}]"
            if ttype == "ConfigChange":
                config_change = True
                continue
            if ttype != "ImageChange":
                errors.append(f'{path}.type: Invalid value: "{ttype}": invalid trigger type' if ttype else
                              f"{path}.type: Required value")
                continue
            params = r.get(raw.get("imageChangeParams"), (dict,),
                           "DeploymentTriggerPolicy.spec.triggers.imageChangeParams",
                           "v1.DeploymentTriggerImageChangeParams")
            if params is None:
                errors.append(f"{path}.imageChangeParams: Required value")
                continue
            source = r.get(params.get("from"), (dict,), "DeploymentTriggerImageChangeParams.spec.triggers."
                           "imageChangeParams.from", "v1.ObjectReference") or {}
            fkind = r.get(source.get("kind"), (str,), "ObjectReference.spec.triggers.imageChangeParams.from.kind",
                          "string") or ""
            fname = r.get(source.get("name"), (str,), "ObjectReference.spec.triggers.imageChangeParams.from.name",
                          "string") or ""
            fns = r.get(source.get("namespace"), (str,),
                        "ObjectReference.spec.triggers.imageChangeParams.from.namespace", "string") or ""
            cnames = r.get(params.get("containerNames"), (list,), "DeploymentTriggerImageChangeParams.spec.triggers."
                           "imageChangeParams.containerNames", "[]string") or []
            for c in cnames:
                if not isinstance(c, str):
                    raise r.fail("json: cannot unmarshal " + _json_type(c) + " into Go struct field "
                                 "DeploymentTriggerImageChangeParams.spec.triggers.imageChangeParams.containerNames "
                                 "of type string")
            automatic = r.get(params.get("automatic"), (bool,), "DeploymentTriggerImageChangeParams.spec.triggers."
                              "imageChangeParams.automatic", "bool")
            last = r.get(params.get("lastTriggeredImage"), (str,), "DeploymentTriggerImageChangeParams.spec."
                         "triggers.imageChangeParams.lastTriggeredImage", "string") or ""
            ppath = f"{path}.imageChangeParams"
            if not fname:
                errors.append(f"{ppath}.from.name: Required value")
            else:
                if fkind != "ImageStreamTag":
                    errors.append(f'{ppath}.from.kind: Invalid value: "{fkind}": kind must be an ImageStreamTag')
                stream, sep, tag = fname.partition(":")
                if not sep or not stream or not tag or ":" in tag or "@" in fname:
                    errors.append(f'{ppath}.from.name: Invalid value: "{fname}": must be of the form '
                                  "<stream_name>:<tag>")
            if not cnames:
                errors.append(f"{ppath}.containerNames: Required value")
            for j, cname in enumerate(cnames):
                if cname not in names:
                    errors.append(f'{ppath}.containerNames[{j}]: Invalid value: "{cname}": must match a '
                                  "container name")
            triggers.append(ImageChangeTrigger(fname, fns if fns != namespace else "", list(cnames),
                                               True if automatic is None else automatic, last))
        w = Workload("DeploymentConfig", namespace, name, 0, labels=labels, annotations=annotations,
                     replicas=replicas, selector=selector, template=template, strategy=stype,
                     timeout=timeout or 600, paused=paused, config_change=config_change, triggers=triggers)
    else:
        raw_selector = r.get(spec.get("selector"), (dict,), "DeploymentSpec.spec.selector", "v1.LabelSelector")
        selector = r.string_map((raw_selector or {}).get("matchLabels"), "LabelSelector.spec.selector.matchLabels")
        if (raw_selector or {}).get("matchExpressions"):
            errors.append("spec.selector.matchExpressions: Forbidden: not supported by imagesim; use matchLabels")
        if not selector and not (raw_selector or {}).get("matchExpressions"):
            errors.append("spec.selector: Required value")
        strategy = r.get(spec.get("strategy"), (dict,), "DeploymentSpec.spec.strategy", "v1.DeploymentStrategy") or {}
        stype = r.get(strategy.get("type"), (str,), "DeploymentStrategy.spec.strategy.type", "string") or "RollingUpdate"
        if stype not in ("RollingUpdate", "Recreate"):
            errors.append(f'spec.strategy.type: Unsupported value: "{stype}": supported values: "Recreate", '
                          '"RollingUpdate"')
        deadline = r.get(spec.get("progressDeadlineSeconds"), (int,), "DeploymentSpec.spec.progressDeadlineSeconds",
                         "int32")
        if deadline is not None and deadline < 1:
            errors.append(f"spec.progressDeadlineSeconds: Invalid value: {deadline}: must be greater than "
                          "minReadySeconds")
        annotations.pop(REVISION_ANNOTATION, None)
        w = Workload("Deployment", namespace, name, 0, labels=labels, annotations=annotations, replicas=replicas,
                     selector=selector, template=template, strategy=stype, timeout=deadline or 600, paused=paused)
    if selector and template.labels and any(template.labels.get(k) != v for k, v in selector.items()):
        errors.append(f"spec.template.metadata.labels: Invalid value: {_go_map(template.labels)}: "
                      "`selector` does not match template `labels`")
    elif selector and not template.labels:
        errors.append(f"spec.template.metadata.labels: Invalid value: {_go_map({})}: "
                      "`selector` does not match template `labels`")
    if errors:
        raise _invalid(kind, name, errors)
    if kind == "Deployment":
        w.triggers = parse_annotation_triggers(w)  # raises Invalid like the trigger controller would report
    return w


def parse_service(obj: dict, default_namespace: str) -> ParsedService:
    """A ``v1`` Service manifest (ClusterIP, TCP ports) as a (not yet created) :class:`Service`."""
    _check_api(obj, "Service", ("v1",))
    r = _Reader("Service")
    name, namespace, labels, annotations = _metadata(r, obj, default_namespace)
    errors = _name_errors(name)
    spec = r.get(obj.get("spec"), (dict,), "Service.spec", "v1.ServiceSpec") or {}
    selector = r.string_map(spec.get("selector"), "ServiceSpec.spec.selector")
    stype = r.get(spec.get("type"), (str,), "ServiceSpec.spec.type", "string") or "ClusterIP"
    if stype != "ClusterIP":
        errors.append(f'spec.type: Unsupported value: "{stype}": supported values: "ClusterIP" (imagesim)')
    cluster_ip = r.get(spec.get("clusterIP"), (str,), "ServiceSpec.spec.clusterIP", "string") or ""
    ports = []
    raw_ports = r.get(spec.get("ports"), (list,), "ServiceSpec.spec.ports", "[]v1.ServicePort") or []
    if not raw_ports:
        errors.append("spec.ports: Required value")
    for i, raw in enumerate(raw_ports):
        raw = r.get(raw, (dict,), "ServiceSpec.spec.ports", "v1.ServicePort") or {}
        port = r.get(raw.get("port"), (int,), "ServicePort.spec.ports.port", "int32")
        protocol = r.get(raw.get("protocol"), (str,), "ServicePort.spec.ports.protocol", "string") or "TCP"
        if port is None:
            errors.append(f"spec.ports[{i}].port: Required value")
        elif not 1 <= port <= 65535:
            errors.append(f"spec.ports[{i}].port: Invalid value: {port}: must be between 1 and 65535, inclusive")
        else:
            ports.append(port)
        if protocol != "TCP":
            errors.append(f'spec.ports[{i}].protocol: Unsupported value: "{protocol}": supported values: "TCP" '
                          "(imagesim)")
    if errors:
        raise _invalid("Service", name, errors)
    return ParsedService(Service(namespace, name, selector, ports, 0, cluster_ip=cluster_ip), labels, annotations)


def _owner_refs(r: _Reader, obj: dict, errors: list[str]) -> list[tuple[str, str, str, bool]]:
    """``metadata.ownerReferences`` as (kind, name, uid, controller), checked like the API server."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    out = []
    for ref in r.get(meta.get("ownerReferences"), (list,), "ObjectMeta.metadata.ownerReferences",
                     "[]v1.OwnerReference") or []:
        ref = r.get(ref, (dict,), "ObjectMeta.metadata.ownerReferences", "v1.OwnerReference") or {}
        values = {}
        for key, what in (("apiVersion", "version"), ("kind", "kind"), ("name", "name"), ("uid", "uid")):
            values[key] = r.get(ref.get(key), (str,), f"OwnerReference.metadata.ownerReferences.{key}", "string") or ""
            if not values[key]:
                errors.append(f'metadata.ownerReferences.{key}: Invalid value: "": {what} must not be empty')
        controller = r.get(ref.get("controller"), (bool,), "OwnerReference.metadata.ownerReferences.controller",
                           "bool")
        out.append((values["kind"], values["name"], values["uid"], bool(controller)))
    return out


@dataclass
class ParsedPod:
    """A ``v1`` Pod to create on its own (``oc apply -f pod.yaml``), or to update."""

    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    template: PodTemplate
    node_name: str = ""
    restart_policy: str = "Always"
    owners: list[tuple[str, str, str, bool]] = field(default_factory=list)

    kind = "Pod"


@dataclass
class ParsedReplicaSet:
    """A ``v1`` ReplicationController or ``apps/v1`` ReplicaSet to create on its own, or to update."""

    kind: str
    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    replicas: int
    selector: dict[str, str]
    template: PodTemplate
    owners: list[tuple[str, str, str, bool]] = field(default_factory=list)


@dataclass
class ParsedEndpoints:
    """A ``v1`` Endpoints object (the endpoints controller manages those of Services with a selector)."""

    namespace: str
    name: str

    kind = "Endpoints"


@dataclass
class ParsedNode:
    """A ``v1`` Node: only its ``spec.unschedulable`` (the cordon) is taken from the manifest."""

    name: str
    unschedulable: bool
    namespace: str = ""

    kind = "Node"


def parse_pod(obj: dict, default_namespace: str) -> ParsedPod:
    """A ``v1`` Pod manifest: a standalone pod that the kubelet starts and nothing recreates."""
    _check_api(obj, "Pod", ("v1",))
    r = _Reader("Pod")
    name, namespace, labels, annotations = _metadata(r, obj, default_namespace)
    errors = _name_errors(name)
    owners = _owner_refs(r, obj, errors)
    spec = r.get(obj.get("spec"), (dict,), "Pod.spec", "v1.PodSpec") or {}
    containers = _containers(r, spec.get("containers"), "spec.containers", errors)
    inits = _containers(r, spec.get("initContainers"), "spec.initContainers", errors)
    if not containers:
        errors.insert(0, "spec.containers: Required value")
    names = [c.name for c in containers]
    for i, c in enumerate(inits):
        if c.name and c.name in names:
            errors.append(f'spec.initContainers[{i}].name: Duplicate value: "{c.name}"')
    policy = r.get(spec.get("restartPolicy"), (str,), "PodSpec.spec.restartPolicy", "string") or "Always"
    if policy not in ("Always", "OnFailure", "Never"):
        errors.append(f'spec.restartPolicy: Unsupported value: "{policy}": supported values: "Always", "OnFailure", '
                      '"Never"')
    node = r.get(spec.get("nodeName"), (str,), "PodSpec.spec.nodeName", "string") or ""
    if errors:
        raise _invalid("Pod", name, errors)
    return ParsedPod(namespace, name, labels, annotations, PodTemplate(dict(labels), dict(annotations), containers,
                                                                          inits), node, policy, owners)


def parse_replicaset(obj: dict, default_namespace: str) -> ParsedReplicaSet:
    """A ``v1`` ReplicationController or ``apps/v1`` ReplicaSet manifest: one that keeps N pods."""
    kind = str(obj.get("kind"))
    rc = kind == "ReplicationController"
    _check_api(obj, kind, ("v1",) if rc else (APPS_API,))
    r = _Reader(kind)
    name, namespace, labels, annotations = _metadata(r, obj, default_namespace)
    errors = _name_errors(name)
    owners = _owner_refs(r, obj, errors)
    spec = r.get(obj.get("spec"), (dict,), f"{kind}.spec", f"v1.{kind}Spec") or {}
    replicas = _replicas(r, spec, errors, f"{kind}Spec")
    template = _template(r, spec.get("template"), errors)
    if "template" not in spec or spec.get("template") is None:
        errors[:] = [e for e in errors if not e.startswith("spec.template.spec.containers: Required")]
        errors.insert(0, "spec.template: Required value")
    if rc:
        selector = (r.string_map(spec.get("selector"), "ReplicationControllerSpec.spec.selector")
                    or dict(template.labels))
        labels = labels or dict(template.labels)  # the API server's defaults for an RC
        if not selector:
            errors.append("spec.selector: Required value")
    else:
        raw_selector = r.get(spec.get("selector"), (dict,), "ReplicaSetSpec.spec.selector", "v1.LabelSelector")
        selector = r.string_map((raw_selector or {}).get("matchLabels"), "LabelSelector.spec.selector.matchLabels")
        if (raw_selector or {}).get("matchExpressions"):
            errors.append("spec.selector.matchExpressions: Forbidden: not supported by imagesim; use matchLabels")
        elif not selector:
            errors.append("spec.selector: Required value")
    if selector and any(template.labels.get(k) != v for k, v in selector.items()):
        errors.append(f"spec.template.metadata.labels: Invalid value: {_go_map(template.labels)}: "
                      "`selector` does not match template `labels`")
    if errors:
        raise _invalid(kind, name, errors)
    return ParsedReplicaSet(kind, namespace, name, labels, annotations, replicas, selector, template, owners)


def parse_endpoints(obj: dict, default_namespace: str) -> ParsedEndpoints:
    _check_api(obj, "Endpoints", ("v1",))
    r = _Reader("Endpoints")
    name, namespace, _, _ = _metadata(r, obj, default_namespace)
    errors = _name_errors(name)
    r.get(obj.get("subsets"), (list,), "Endpoints.subsets", "[]v1.EndpointSubset")
    if errors:
        raise _invalid("Endpoints", name, errors)
    return ParsedEndpoints(namespace, name)


def parse_node(obj: dict, default_namespace: str) -> ParsedNode:
    _check_api(obj, "Node", ("v1",))
    r = _Reader("Node")
    meta = r.get(obj.get("metadata"), (dict,), "Node.metadata", "v1.ObjectMeta") or {}
    name = r.get(meta.get("name"), (str,), "ObjectMeta.metadata.name", "string") or ""
    if not name:
        raise Invalid("resource name may not be empty", reason="BadRequest")
    spec = r.get(obj.get("spec"), (dict,), "Node.spec", "v1.NodeSpec") or {}
    unschedulable = r.get(spec.get("unschedulable"), (bool,), "NodeSpec.spec.unschedulable", "bool")
    return ParsedNode(name, bool(unschedulable))


_PARSERS = {"Service": parse_service, "Pod": parse_pod, "ReplicationController": parse_replicaset,
            "ReplicaSet": parse_replicaset, "Endpoints": parse_endpoints, "Node": parse_node}


def parse_object(obj: dict, default_namespace: str):
    """A manifest of one of :data:`WORKLOAD_KINDS` (DeploymentConfig, Deployment, Service, Pod,
    ReplicationController, ReplicaSet, Endpoints, Node), checked like the API server does."""
    parser = _PARSERS.get(str(obj.get("kind")), parse_workload)
    return parser(obj, default_namespace)


# ---------------------------------------------------------------------------------------------
# apply


def _keep_triggered_images(w: Workload, template: PodTemplate) -> None:
    """An automatic, resolved image trigger owns its containers' images: an applied template
    that names the tag (or an older image) keeps the image the trigger set (§7.3)."""
    from .cluster import _targets

    for t in w.triggers:
        if t.paused or (w.is_dc and not t.automatic) or not t.last_triggered_image:
            continue
        for container in _targets(template, t):
            container.image = t.last_triggered_image


def _same_triggers(a: list[ImageChangeTrigger], b: list[ImageChangeTrigger]) -> bool:
    def key(t: ImageChangeTrigger) -> tuple:
        return (t.from_name, t.from_namespace, tuple(t.container_names), t.automatic, t.field_path, t.paused)

    return [key(t) for t in a] == [key(t) for t in b]


def _owner_alive(sim: Simulation, namespace: str, owners: list[tuple[str, str, str, bool]]):
    """The owner (its controller first) that still exists with the uid the references name, or
    None: the garbage collector then deletes the object at once."""
    cluster = sim.cluster
    for kind, name, uid, _ in sorted(owners, key=lambda o: not o[3]):
        if kind in ("ReplicationController", "ReplicaSet"):
            obj = cluster.replicasets.get((namespace, name))
            if obj is not None and obj.kind == kind and obj.uid == uid:
                return obj
        elif kind in ("DeploymentConfig", "Deployment"):
            obj = cluster.workloads.get((kind, namespace, name))
            if obj is not None and obj.uid == uid:
                return obj
    return None


def _admitted(sim: Simulation, namespace: str, template: PodTemplate, annotations: dict[str, str]) -> PodTemplate:
    """A pod template after API defaulting (pull policies) and admission (image lookup, §4.2)."""
    from .workloads import default_pull_policy

    template = template.copy()
    for c in template.all_containers():
        c.pull_policy = c.pull_policy or default_pull_policy(c.image)
    sim.cluster.resolve_names(namespace, template, annotations)
    return template


_POD_UPDATE_FORBIDDEN = ("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
                         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
                         "to 1 if it was previously negative)")


def check_object(sim: Simulation, item, batch: list | tuple = ()) -> None:
    """The checks that need the cluster as it is now (``sim.apply`` runs them for every object
    before it changes anything). ``batch`` is everything applied together."""
    cluster = sim.cluster
    if isinstance(item, ParsedPod):
        existing = cluster.pods.get((item.namespace, item.name))
        if existing is not None and existing.deployer:
            if [c.image for c in item.template.all_containers()] != [DEPLOYER_IMAGE]:
                raise _invalid("Pod", item.name, [_POD_UPDATE_FORBIDDEN])
            return
        if existing is not None:
            raw = item.template.init_containers + item.template.containers  # the order of the pod's runs
            template = _admitted(sim, item.namespace, item.template, item.annotations)
            images = [c.image for c in template.init_containers + template.containers]
            runs = existing.containers
            policy = extra_meta(sim, "Pod", existing.namespace, existing.name).get("restartPolicy", "Always")
            same_spec = len(raw) == len(runs) and all(
                c.name == r.name and (c in item.template.init_containers) == r.init
                and c.pull_policy in ("", r.pull_policy) for c, r in zip(raw, runs))
            if (not same_spec or (item.node_name and item.node_name != existing.node)
                    or item.restart_policy != policy):
                raise _invalid("Pod", item.name, [_POD_UPDATE_FORBIDDEN])
            if images != [r.image for r in runs]:
                raise Invalid(f'error: pod "{item.name}": imagesim does not simulate changing the image of a '
                              "running pod: delete the pod and apply it again", reason="BadRequest")
            return
        if item.owners and _owner_alive(sim, item.namespace, item.owners) is None:
            return  # garbage: created and deleted at once, whatever it asks for
        if item.restart_policy == "Never":
            raise _invalid("Pod", item.name, ['spec.restartPolicy: Unsupported value: "Never": supported values: '
                                              '"Always", "OnFailure" (imagesim: containers only stop when they '
                                              "crash, and crash loops are what it simulates)"])
    elif isinstance(item, ParsedReplicaSet):
        existing = cluster.replicasets.get((item.namespace, item.name))
        if existing is not None and existing.kind != item.kind:
            raise Invalid(f'error: {item.kind} "{item.name}": imagesim keeps ReplicationControllers and '
                          f'ReplicaSets under one set of names, and {existing.kind} "{item.name}" exists in '
                          f'namespace "{item.namespace}"', reason="BadRequest")
        if existing is not None and existing.kind == "ReplicaSet" and not existing.owner:
            old = rs_selector(sim, existing)
            if old != item.selector:
                raise _invalid("ReplicaSet", item.name, [
                    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:" + _go_map(item.selector)
                    + ", MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"])
        if existing is None and item.owners:
            owner = _owner_alive(sim, item.namespace, item.owners)
            if owner is not None:
                how = (f"start a new rollout instead (oc rollout latest dc/{owner.name})" if owner.is_dc else
                       "the Deployment makes its ReplicaSets itself")
                raise Invalid(f'error: {item.kind} "{item.name}" belongs to {owner.short}/{owner.name}: imagesim '
                              f"does not re-create the ReplicationControllers and ReplicaSets of a workload; {how}",
                              reason="BadRequest")
    elif isinstance(item, ParsedEndpoints):
        svc = cluster.services.get((item.namespace, item.name))
        batch_svc = any(isinstance(o, ParsedService) and o.namespace == item.namespace and o.name == item.name
                        and o.service.selector for o in batch)
        if not ((svc is not None and svc.selector) or batch_svc):
            raise Invalid(f'error: endpoints "{item.name}": imagesim only has the Endpoints that the endpoints '
                          "controller keeps for a Service with a selector; create the Service", reason="BadRequest")
    elif isinstance(item, ParsedNode):
        nodes = cluster.kubelet.nodes
        if item.name not in nodes:
            raise Invalid(f'error: node "{item.name}": the simulated cluster has the nodes {", ".join(nodes)}; '
                          "imagesim does not add nodes", reason="BadRequest")


_CHECKED = (ParsedPod, ParsedReplicaSet, ParsedEndpoints, ParsedNode)  # what check_object has checks for


def check_objects(sim: Simulation, batch: list) -> None:
    """:func:`check_object` of everything in ``batch`` (applied together), in order."""
    checked = _CHECKED
    for item in batch:
        if isinstance(item, checked):
            check_object(sim, item, batch)


def _apply_pod(sim: Simulation, item: ParsedPod) -> str:
    cluster, now = sim.cluster, sim.clock.now
    key = (item.namespace, item.name)
    resource = f"pod/{item.name}"
    existing = cluster.pods.get(key)
    if existing is not None:  # check_object allowed only metadata changes
        changed = False
        if not existing.deployer and existing.labels != item.labels:
            existing.labels = dict(item.labels)
            changed = True
        if not existing.owner:
            meta = extra_meta(sim, "Pod", existing.namespace, existing.name)
            if meta.get("annotations", {}) != item.annotations:
                set_extra_meta(sim, "Pod", existing.namespace, existing.name,
                               dict(meta, annotations=dict(item.annotations)))
                changed = True
        return f"{resource} {'configured' if changed else 'unchanged'}"
    live = _owner_alive(sim, item.namespace, item.owners) if item.owners else None
    if item.owners and live is None:
        return f"{resource} created"  # its owner is gone: the garbage collector deletes it at once
    template = _admitted(sim, item.namespace, item.template, item.annotations)
    runs = [ContainerRun(c.name, c.image, c.pull_policy, init=True) for c in template.init_containers]
    runs += [ContainerRun(c.name, c.image, c.pull_policy) for c in template.containers]
    rs = live if isinstance(live, ReplicaSet) and all(item.labels.get(k) == v
                                                      for k, v in rs_selector(sim, live).items()) else None
    node = item.node_name or cluster.kubelet.place()
    pod = Pod(item.namespace, item.name, rs.name if rs else "", rs.kind if rs else "", rs.owner if rs else "",
              node, now, dict(item.labels), runs, uid=cluster._uid("pod", item.namespace, item.name),  # noqa: SLF001
              order=cluster.pod_order())
    cluster._loose_pods = True  # noqa: SLF001 - (a pod named by a manifest)
    cluster.pods[key] = pod
    if rs is not None:  # adopted by the RC/RS it names
        rs.pods.append(pod.name)
    else:
        set_extra_meta(sim, "Pod", item.namespace, item.name,
                       {"annotations": dict(item.annotations), "restartPolicy": item.restart_policy,
                        "ports": {c.name: list(c.ports) for c in template.all_containers()},
                        "containers": [(r.name, r.image, r.pull_policy) for r in runs]})
    sim.log.append(now, "pod-created", f"{pod.namespace}/{pod.name}", namespace=pod.namespace, message=pod.node,
                   reason="" if rs is not None else "bound" if item.node_name else "standalone")
    cluster.kubelet.start(pod)
    if rs is not None:
        cluster.scale_rs(rs, rs.replicas)  # one too many now: the controller deletes one
    return f"{resource} created"


def _apply_rs(sim: Simulation, item: ParsedReplicaSet) -> str:
    cluster = sim.cluster
    key = (item.namespace, item.name)
    resource = f"{'replicationcontroller' if item.kind == 'ReplicationController' else 'replicaset.apps'}/{item.name}"
    existing = cluster.replicasets.get(key)
    meta = {"labels": dict(item.labels), "annotations": dict(item.annotations), "selector": dict(item.selector)}
    if existing is not None:
        changed = False
        if not existing.owner:
            template = _admitted(sim, item.namespace, item.template, item.template.annotations)
            if extra_meta(sim, existing.kind, existing.namespace, existing.name) != meta:
                set_extra_meta(sim, existing.kind, existing.namespace, existing.name, meta)
                changed = True
            if template.signature() != existing.template.signature():
                existing.template = template  # the pods it makes from now on; running pods stay as they are
                changed = True
        if existing.replicas != item.replicas:
            cluster.scale_rs(existing, item.replicas)
            changed = True
        return f"{resource} {'configured' if changed else 'unchanged'}"
    if item.owners:
        return f"{resource} created"  # its owner is gone: the garbage collector deletes it at once
    template = _admitted(sim, item.namespace, item.template, item.template.annotations)
    now = sim.clock.now
    rs = ReplicaSet(item.kind, item.namespace, item.name, "", 0, template, now,
                    uid=cluster._uid(item.kind, item.namespace, item.name, now), phase="")  # noqa: SLF001
    add = getattr(cluster, "_add_rs", None)
    if add is not None:
        add(rs)
    else:  # pragma: no cover - older engines keep no owner index
        cluster.replicasets[key] = rs
    set_extra_meta(sim, item.kind, item.namespace, item.name, meta)
    cluster.scale_rs(rs, item.replicas)
    return f"{resource} created"


def _apply_node(sim: Simulation, item: ParsedNode) -> str:
    from .rollouts import cordon, uncordon

    cordoned = item.name in sim.cluster.kubelet.cordoned
    if item.unschedulable == cordoned:
        return f"node/{item.name} unchanged"
    (cordon if item.unschedulable else uncordon)(sim, item.name)
    return f"node/{item.name} configured"


def apply_object(sim: Simulation, item) -> str:
    """Create or update a parsed object (see :func:`parse_object`); return the line ``oc apply`` prints.

    Pods, ReplicationControllers and ReplicaSets that no workload owns are standalone: the
    kubelet starts the pod (nothing recreates it when it is deleted); the RC/RS keeps its
    replicas running. One whose ``ownerReferences`` name an owner that no longer exists (with
    that uid), such as one copied from another cluster's ``-o yaml``, is deleted at once by the
    garbage collector, as on a real cluster: ``oc apply`` reports it created and it is gone.
    A pod that names its live RC/RS as controller is adopted by it. Endpoints are the endpoints
    controller's (applying them changes nothing); a Node manifest cordons or uncordons the node.
    """
    cluster = sim.cluster
    if isinstance(item, Workload):
        return _apply_workload(sim, item)
    if isinstance(item, ParsedPod):
        return _apply_pod(sim, item)
    if isinstance(item, ParsedReplicaSet):
        return _apply_rs(sim, item)
    if isinstance(item, ParsedEndpoints):
        return f"endpoints/{item.name} unchanged"
    if isinstance(item, ParsedNode):
        return _apply_node(sim, item)
    if isinstance(item, ParsedService):
        svc = item.service
        resource = "service"
        existing = cluster.services.get((svc.namespace, svc.name))
        if existing is None:
            svc.created = sim.clock.now
            cluster.create_service(svc)
            set_extra_meta(sim, "Service", svc.namespace, svc.name, {"labels": dict(item.labels),
                                                                      "annotations": dict(item.annotations)})
            return f"{resource}/{svc.name} created"
        labels = service_own_labels(sim, existing)
        meta = extra_meta(sim, "Service", svc.namespace, svc.name)
        relabel = ((labels if labels is not None else {}) != item.labels
                   or meta.get("annotations", {}) != item.annotations)
        changed = existing.selector != svc.selector or existing.ports != svc.ports or relabel
        existing.selector, existing.ports = dict(svc.selector), list(svc.ports)
        if relabel:
            set_extra_meta(sim, "Service", svc.namespace, svc.name, {"labels": dict(item.labels),
                                                                    "annotations": dict(item.annotations)})
        return f"{resource}/{svc.name} {'configured' if changed else 'unchanged'}"
    return _apply_workload(sim, item)


def _apply_workload(sim: Simulation, w: Workload) -> str:
    cluster = sim.cluster
    resource = w.resource
    existing = cluster.workloads.get(w.key)
    if existing is None:
        cluster.create(w)
        return f"{resource}/{w.name} created"
    changed = False
    if existing.labels != w.labels or existing.annotations != w.annotations:
        existing.labels, existing.annotations = dict(w.labels), dict(w.annotations)
        changed = True
    if not _same_triggers(existing.triggers, w.triggers) or existing.config_change != w.config_change:
        last = {(t.from_name, t.from_namespace): t.last_triggered_image for t in existing.triggers}
        for t in w.triggers:
            t.last_triggered_image = t.last_triggered_image or last.get((t.from_name, t.from_namespace), "")
        existing.triggers = w.triggers
        existing.config_change = w.config_change
        cluster._watch(existing)  # noqa: SLF001 - the cluster has no public "triggers changed" yet
        existing.generation += 1
        changed = True
    if (existing.strategy, existing.timeout, existing.selector) != (w.strategy, w.timeout, w.selector):
        existing.strategy, existing.timeout, existing.selector = w.strategy, w.timeout, dict(w.selector)
        existing.generation += 1
        changed = True
    if existing.paused != w.paused:
        existing.paused = w.paused
        existing.generation += 1
        changed = True
    template = w.template.copy()
    _keep_triggered_images(existing, template)
    for container in template.all_containers():
        old = next((c for c in existing.template.all_containers() if c.name == container.name), None)
        if not container.pull_policy:
            container.pull_policy = old.pull_policy if old is not None and old.image == container.image else ""
        if not container.pull_policy:
            from .workloads import default_pull_policy

            container.pull_policy = default_pull_policy(container.image)
    if cluster.update_template(existing, template, "config change" if existing.is_dc else ""):
        changed = True
    if existing.replicas != w.replicas:
        scale_workload(sim, existing, w.replicas)
        changed = True
    if changed and not existing.paused:
        cluster.apply_triggers(existing)
    return f"{resource}/{w.name} {'configured' if changed else 'unchanged'}"


def scale_workload(sim: Simulation, w: Workload, replicas: int) -> None:
    """``oc scale``: set ``spec.replicas`` and scale the RC/RS that serves the workload."""
    cluster = sim.cluster
    owned = cluster.owned(w)
    target = None
    if owned and owned[-1].phase in ("Complete", "Pending", "Running", "Stalled", "New"):
        target = owned[-1]
    else:
        complete = [rs for rs in owned if rs.phase == "Complete"]
        target = complete[-1] if complete else None
    if w.replicas != replicas:
        w.generation += 1
    w.replicas = replicas
    if target is not None:
        before = target.replicas
        cluster.scale_rs(target, replicas)
        if before != replicas:
            sim.log.append(sim.clock.now, "scaled", f"{w.namespace}/{w.name}", namespace=w.namespace,
                           message=f"{target.name} {before} {replicas}", reason=w.kind)
        if target.phase in ("Pending", "Running"):
            sim.clock.schedule(sim.clock.now, cluster.evaluate, target, priority=50)
