"""Workloads as API objects: DeploymentConfigs, Deployments, RCs/RSs, pods and services in and out.

Out: ``workload_to_manifest``, ``rs_to_manifest``, ``pod_to_manifest`` and ``service_to_manifest``
give what ``oc get ... -o json`` shows (``apps.openshift.io/v1`` DeploymentConfig, ``apps/v1``
Deployment and ReplicaSet, ``v1`` ReplicationController, Pod and Service), status included. The
status of a pod is computed from the kubelet's facts at the asked time by :func:`pod_status`
(the same answer the ``oc`` printers show).

In: ``parse_workload`` and ``parse_service`` read what ``oc apply -f`` accepts and check it the
way the API server does (``The DeploymentConfig "x" is invalid: ...``; a ``BadRequest`` for a
field of the wrong JSON type). ``apply_object`` creates or updates the parsed object in a
simulation. Standard library only.

Simulator choices (written down here because the real system decides them elsewhere): pod IPs
are ``10.(128+node).x.y`` from the pod's uid; node IPs ``10.0.128.(2+node)``; containers run on
CRI-O, so ``imageID`` is ``<repository>@<digest>`` and ``containerID`` is ``cri-o://<hex>``; a
Service's labels are its selector (the Service model keeps no labels of its own).
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cluster import TRIGGERS_ANNOTATION, annotation_text, parse_annotation_triggers
from .errors import Invalid
from .nodes import DEFAULT_NODES
from .reference import ImageReference
from .workloads import (
    BACKOFF_CAP,
    BACKOFF_START,
    CRASH_AFTER,
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
    "ParsedService",
    "PodStatus",
    "WORKLOAD_KINDS",
    "apply_object",
    "deployer_end",
    "host_ip",
    "ip_for",
    "parse_object",
    "parse_service",
    "parse_workload",
    "pod_ip",
    "pod_status",
    "pod_to_manifest",
    "rs_to_manifest",
    "scale_workload",
    "service_labels",
    "service_to_manifest",
    "workload_counts",
    "workload_to_manifest",
]

DC_API = "apps.openshift.io/v1"
APPS_API = "apps/v1"
WORKLOAD_KINDS = ("DeploymentConfig", "Deployment", "Service")
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


def rs_labels(sim: Simulation, rs: ReplicaSet) -> dict[str, str]:
    """The labels of a ReplicationController (its DC's labels + the DC name) or a ReplicaSet
    (its template's labels + the pod-template-hash)."""
    if rs.kind == "ReplicationController":
        w = _owner_workload(sim, rs)
        labels = dict(w.labels) if w is not None else {}
        labels["openshift.io/deployment-config.name"] = rs.owner
        return labels
    labels = dict(rs.template.labels)
    labels["pod-template-hash"] = rs.name.rsplit("-", 1)[-1]
    return labels


def rs_selector(sim: Simulation, rs: ReplicaSet) -> dict[str, str]:
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
    status: dict[str, Any] = {}
    if counts.available:
        status["availableReplicas"] = counts.available
    if counts.replicas:
        status["fullyLabeledReplicas"] = counts.replicas
    status["observedGeneration"] = 1
    if counts.ready:
        status["readyReplicas"] = counts.ready
    status["replicas"] = counts.replicas
    return {"apiVersion": APPS_API, "kind": "ReplicaSet",
            "metadata": _meta(sim, rs.name, rs.namespace, rs.created, rs.uid, labels=rs_labels(sim, rs),
                              annotations=annotations, generation=1,
                              owner=_owner(APPS_API, "Deployment", rs.owner, owner_uid)),
            "spec": {"replicas": rs.replicas,
                     "selector": {"matchLabels": dict(sorted(rs_selector(sim, rs).items()))}, "template": template},
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


def pod_annotations(pod: Pod, rs: ReplicaSet | None) -> dict[str, str]:
    annotations = {"openshift.io/scc": "restricted-v2"}
    if pod.deployer:
        annotations.update({"openshift.io/deployment-config.name": pod.workload,
                            "openshift.io/deployment.name": pod.owner})
    elif pod.owner_kind == "ReplicationController":
        annotations.update({"openshift.io/deployment-config.latest-version": str(rs.revision if rs else 0),
                            "openshift.io/deployment-config.name": pod.workload,
                            "openshift.io/deployment.name": pod.owner})
    return annotations


def pod_to_manifest(sim: Simulation, pod: Pod) -> dict:
    """A ``v1`` Pod with ``status.containerStatuses`` at the simulation's current time."""
    now = sim.clock.now
    st = pod_status(sim, pod, now)
    rs = sim.cluster.replicasets.get((pod.namespace, pod.owner))
    meta = _meta(sim, pod.name, pod.namespace, pod.created, pod.uid, labels=pod.labels,
                 annotations=pod_annotations(pod, rs),
                 owner=_owner("v1" if pod.owner_kind == "ReplicationController" else APPS_API, pod.owner_kind,
                              pod.owner, rs.uid if rs is not None else ""))
    if pod.deployer:
        meta["ownerReferences"][0].pop("blockOwnerDeletion")
        meta["ownerReferences"][0].pop("controller")
        meta["labels"] = {k: v for k, v in meta["labels"].items() if k != "phase"}
    else:
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
        if rs is not None:  # the ports come from the template
            ports = {c.name: c.ports for c in rs.template.all_containers()}
            for c in template.all_containers():
                c.ports = list(ports.get(c.name, []))
        containers = [_container_manifest(c) for c in template.containers]
        init = [_container_manifest(c) for c in template.init_containers]
    spec: dict[str, Any] = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True}
    if init:
        spec["initContainers"] = init
    spec.update({"nodeName": pod.node, "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
                 "restartPolicy": "Never" if pod.deployer else "Always", "schedulerName": "default-scheduler",
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


def service_labels(svc: Service) -> dict[str, str]:
    """The labels of a Service: its own when the model has them, else its selector."""
    labels = getattr(svc, "labels", None)
    return dict(labels) if labels is not None else dict(svc.selector)


def service_to_manifest(sim: Simulation, svc: Service) -> dict:
    labels = getattr(svc, "labels", None)
    ports = [{"name": f"{p}-tcp", "port": p, "protocol": "TCP", "targetPort": p} for p in svc.ports]
    spec: dict[str, Any] = {"clusterIP": svc.cluster_ip, "clusterIPs": [svc.cluster_ip],
                            "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                            "ipFamilyPolicy": "SingleStack", "ports": ports}
    if svc.selector:
        spec["selector"] = dict(sorted(svc.selector.items()))
    spec.update({"sessionAffinity": "None", "type": "ClusterIP"})
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": _meta(sim, svc.name, svc.namespace, svc.created, svc.uid, labels=labels),
            "spec": spec, "status": {"loadBalancer": {}}}


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

    @property
    def namespace(self) -> str:
        return self.service.namespace

    @property
    def name(self) -> str:
        return self.service.name


def _invalid(kind: str, name: str, errors: list[str]) -> Invalid:
    text = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return Invalid(f'The {kind} "{name}" is invalid: {text}')


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


def _name_errors(name: str) -> list[str]:
    import re

    if len(name) > 253 or not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name):
        return [f'metadata.name: Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower '
                "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                "character (e.g. 'example.com', regex used for validation is "
                "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
    return []


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
    return replicas


def parse_workload(obj: dict, default_namespace: str) -> Workload:
    """A DeploymentConfig or Deployment manifest as a (not yet created) :class:`Workload`."""
    kind = obj.get("kind")
    if kind == "DeploymentConfig":
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
    name, namespace, labels, _ = _metadata(r, obj, default_namespace)
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
    return ParsedService(Service(namespace, name, selector, ports, 0, cluster_ip=cluster_ip), labels)


def parse_object(obj: dict, default_namespace: str) -> Workload | ParsedService:
    """A DeploymentConfig, Deployment or Service manifest (see :data:`WORKLOAD_KINDS`)."""
    if obj.get("kind") == "Service":
        return parse_service(obj, default_namespace)
    return parse_workload(obj, default_namespace)


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


def apply_object(sim: Simulation, item: Workload | ParsedService) -> str:
    """Create or update a parsed workload or service; return the line ``oc apply`` prints."""
    cluster = sim.cluster
    if isinstance(item, ParsedService):
        svc = item.service
        resource = "service"
        existing = cluster.services.get((svc.namespace, svc.name))
        if existing is None:
            svc.created = sim.clock.now
            cluster.create_service(svc)
            if hasattr(svc, "labels"):
                svc.labels = dict(item.labels)
            return f"{resource}/{svc.name} created"
        changed = existing.selector != svc.selector or existing.ports != svc.ports
        existing.selector, existing.ports = dict(svc.selector), list(svc.ports)
        return f"{resource}/{svc.name} {'configured' if changed else 'unchanged'}"
    w = item
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
