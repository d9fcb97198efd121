"""What ``oc`` prints for workloads: tables, ``describe`` text, events and container logs.

Tables are kubectl's (space padding 3, ages in kubectl's short form ``5s``/``2m3s``/``3h``, the
``5 (2m3s ago)`` restart suffix of kubectl 1.28+); DeploymentConfig tables and describers are
``oc``'s (tab-aligned describers, ages as "5 minutes ago"); Pods, Deployments and Services use
kubectl's describers (space-aligned, padding 2). Pod status comes from
:func:`imagesim.workload_manifests.pod_status`; events are built from the simulation's event log
plus the counts a closed form gives (pull retries, crash-loop restarts).

The handlers ``commands.py`` routes workload resources to live at the end (``get_workloads``,
``describe_workloads``, ``delete_workloads``, ``cmd_logs``, ``cmd_scale``), so that the shared
command module only holds the hooks.

Simulator choices: container logs are two made-up lines (start, then serving; a broken image
prints ``Error: configuration invalid ...`` and ``container exited with code 1``); a failed rollout
shows a ``ProgressDeadlineExceeded`` warning on the DeploymentConfig/Deployment (the condition's
reason and message); ``oc get events`` lists events by first occurrence (the real order is by
event name, which is close to that). Endpoints are those of Services with a selector (the
endpoints controller's), printed like kubectl (``<none>`` when no pod matches, an empty cell when
the matching pods are not ready); nodes are the three workers, their ``status.images`` the
kubelet's image cache. A pod that every cordoned node kept unscheduled shows a
``FailedScheduling`` event counted every five minutes (the scheduler's retry of unschedulable pods).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from ..clock import human_duration
from ..errors import Invalid, NotFound
from ..nodes import next_retry
from ..workload_manifests import (
    DEPLOYER_IMAGE,
    ContainerState,
    PodStatus,
    ip_for,
    pod_annotations,
    pod_status,
    rs_counts,
    rs_labels,
    rs_selector,
    endpoint_pods,
    node_to_manifest,
    pod_ports,
    service_labels,
    service_own_labels,
    unschedulable_message,
    workload_counts,
)
from ..workloads import (
    BACKOFF_CAP,
    BACKOFF_START,
    CRASH_AFTER,
    MAX_REPLICAS,
    ContainerRun,
    Pod,
    PodTemplate,
    ReplicaSet,
    Service,
    Workload,
    default_pull_policy,
    restarts_at,
)
from .tabwriter import describe_tabs, table, tabwrite

if TYPE_CHECKING:
    from ..simulation import Simulation

__all__ = [
    "EventRecord",
    "KINDS",
    "LabelSelector",
    "WORKLOAD_EVENT_KINDS",
    "WORKLOAD_RESOURCES",
    "cmd_logs",
    "cmd_scale",
    "delete_workloads",
    "describe_dc",
    "describe_deployment",
    "describe_pod",
    "describe_rs",
    "describe_service",
    "describe_workloads",
    "event_records",
    "get_workloads",
    "is_workload_list",
    "kubectl_tabs",
    "pod_logs",
    "rows",
    "short_duration",
]

#: Resource -> (Kind, ``-o name`` prefix, NotFound resource, ``get all`` NAME prefix).
KINDS = {
    "pods": ("Pod", "pod", "pods", "pod"),
    "replicationcontrollers": ("ReplicationController", "replicationcontroller", "replicationcontrollers",
                               "replicationcontroller"),
    "services": ("Service", "service", "services", "service"),
    "deployments": ("Deployment", "deployment.apps", "deployments.apps", "deployment.apps"),
    "replicasets": ("ReplicaSet", "replicaset.apps", "replicasets.apps", "replicaset.apps"),
    "deploymentconfigs": ("DeploymentConfig", "deploymentconfig.apps.openshift.io",
                          "deploymentconfigs.apps.openshift.io", "deploymentconfig.apps.openshift.io"),
    "imagestreams": ("ImageStream", "imagestream.image.openshift.io", "imagestreams.image.openshift.io",
                     "imagestream.image.openshift.io"),
    "endpoints": ("Endpoints", "endpoints", "endpoints", "endpoints"),
    "nodes": ("Node", "node", "nodes", "node"),
}


@dataclass(frozen=True)
class NodeView:
    """A node as the printers see it (the kubelet keeps nodes as names)."""

    name: str
    namespace: str = ""
#: The kinds of ``oc get all``, in the order the API discovery lists them.
ALL_ORDER = ("pods", "replicationcontrollers", "services", "deployments", "replicasets", "deploymentconfigs",
             "imagestreams")


# ---------------------------------------------------------------------------------------------
# small formats


def short_duration(seconds: int) -> str:
    """kubectl's ages (apimachinery ``duration.HumanDuration``): ``5s``, ``2m3s``, ``10m``, ``3h``,
    ``2d3h``, ``25d``, ``3y2d``."""
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = seconds // 3600
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = hours // 24 % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def rfc1123z(sim: Simulation, t: int) -> str:
    """Go's ``time.RFC1123Z`` (``Mon, 03 Mar 2025 09:00:00 +0000``)."""
    return sim.clock.to_datetime(t).strftime("%a, %d %b %Y %H:%M:%S +0000")


def kubectl_tabs(text: str) -> str:
    """A kubectl describer's output: Go tabwriter with spaces, padding 2."""
    return tabwrite(text, minwidth=0, tabwidth=8, padding=2, padchar=" ")


def format_labels(values: dict[str, str]) -> str:
    """``labels.Set.String()``: sorted ``k=v`` joined by commas ("" when empty)."""
    return ",".join(f"{k}={v}" for k, v in sorted(values.items()))


def _ago_long(now: int, t: int) -> str:
    return f"{human_duration(now - t)} ago"


class LabelSelector:
    """A ``-l`` selector: ``k=v``, ``k==v``, ``k!=v``, ``k``, ``!k``, ``k in (a,b)``, ``k notin (a,b)``,
    comma-separated (all must match)."""

    _TERM = re.compile(r"^(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)(?:(==|=|!=)([-A-Za-z0-9_.]*))?$")
    _SET = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_./]*)\s+(in|notin)\s+\(([^()]*)\)$")

    def __init__(self, text: str) -> None:
        self.terms: list[tuple[str, str, object]] = []
        depth, part, parts = 0, "", []
        for ch in text:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                parts.append(part)
                part = ""
            else:
                part += ch
        parts.append(part)
        for raw in parts:
            term = raw.strip()
            match = self._TERM.match(term)
            set_match = self._SET.match(term)
            if set_match is not None:
                values = frozenset(v.strip() for v in set_match[3].split(",") if v.strip())
                self.terms.append((set_match[1], set_match[2], values))
                continue
            if not term or match is None or (match[1] and match[3]):
                raise Invalid(f"error: unable to parse requirement: found '{term}', expected: identifier",
                              reason="BadRequest")
            op = "!" if match[1] else (match[3] or "exists")
            self.terms.append((match[2], "=" if op == "==" else op, match[4] or ""))

    def matches(self, labels: dict[str, str]) -> bool:
        for key, op, value in self.terms:
            if op == "exists" and key not in labels:
                return False
            if op == "!" and key in labels:
                return False
            if op == "=" and labels.get(key) != value:
                return False
            if op == "!=" and labels.get(key) == value:
                return False
            if op == "in" and labels.get(key) not in value:
                return False
            if op == "notin" and key in labels and labels[key] in value:
                return False
        return True


# ---------------------------------------------------------------------------------------------
# objects of a kind


def objects(sim: Simulation, kind: str, namespace: str | None) -> list:
    cluster = sim.cluster
    if kind == "pods":
        return cluster.list("pod", namespace)
    if kind == "services":
        return cluster.list("svc", namespace)
    if kind in ("replicationcontrollers", "replicasets"):
        want = "ReplicationController" if kind == "replicationcontrollers" else "ReplicaSet"
        return [rs for rs in cluster.list("rs", namespace) if rs.kind == want]
    if kind in ("deploymentconfigs", "deployments"):
        want = "DeploymentConfig" if kind == "deploymentconfigs" else "Deployment"
        return [w for w in cluster.list("workload", namespace) if w.kind == want]
    if kind == "imagestreams":
        return sim.server.streams(namespace)
    if kind == "endpoints":  # the Endpoints of a Service with a selector (the endpoints controller's)
        return [svc for svc in cluster.list("svc", namespace) if svc.selector]
    if kind == "nodes":  # cluster-scoped
        return [NodeView(n) for n in sorted(cluster.kubelet.nodes)]
    raise ValueError(kind)


def find(sim: Simulation, kind: str, namespace: str, name: str):
    cluster = sim.cluster
    if kind == "pods":
        return cluster.pods.get((namespace, name))
    if kind == "services":
        return cluster.services.get((namespace, name))
    if kind in ("replicationcontrollers", "replicasets"):
        rs = cluster.replicasets.get((namespace, name))
        want = "ReplicationController" if kind == "replicationcontrollers" else "ReplicaSet"
        return rs if rs is not None and rs.kind == want else None
    if kind in ("deploymentconfigs", "deployments"):
        return cluster.workloads.get(("DeploymentConfig" if kind == "deploymentconfigs" else "Deployment",
                                      namespace, name))
    if kind == "imagestreams":
        return sim.server.find(namespace, name)
    if kind == "endpoints":
        svc = cluster.services.get((namespace, name))
        return svc if svc is not None and svc.selector else None
    if kind == "nodes":
        return NodeView(name) if name in cluster.kubelet.nodes else None
    raise ValueError(kind)


def not_found(kind: str, name: str) -> NotFound:
    return NotFound(f'{KINDS[kind][2]} "{name}" not found')


def labels_of(sim: Simulation, kind: str, obj) -> dict[str, str]:
    if kind == "pods":
        return {k: v for k, v in obj.labels.items() if not (obj.deployer and k == "phase")}
    if kind == "services":
        return service_labels(obj, sim)
    if kind in ("replicationcontrollers", "replicasets"):
        return rs_labels(sim, obj)
    if kind == "endpoints":
        return service_own_labels(sim, obj) or {}
    if kind == "nodes":
        return node_to_manifest(sim, obj.name)["metadata"]["labels"]
    return dict(obj.labels)


def own_labels(sim: Simulation, kind: str, obj) -> dict[str, str]:
    """The labels an object shows (``--show-labels``), without the selector fallback of services."""
    if kind == "services":
        return service_own_labels(sim, obj) or {}
    return labels_of(sim, kind, obj)


# ---------------------------------------------------------------------------------------------
# tables


def restarts_text(st: PodStatus, now: int) -> str:
    if st.restarts and st.last_restart is not None:
        return f"{st.restarts} ({short_duration(now - st.last_restart)} ago)"
    return str(st.restarts)


def _images(template: PodTemplate) -> tuple[str, str]:
    return (",".join(c.name for c in template.containers), ",".join(c.image for c in template.containers))


def dc_triggered_by(w: Workload) -> str:
    names = {c.name for c in w.template.containers}
    triggers = set()
    if w.config_change:
        triggers.add("config")
    for t in w.triggers:
        if not t.automatic:
            continue
        prefix = ""
        if len(names) != 1 and not set(t.container_names) <= names:
            prefix = ",".join(sorted(t.container_names)) + ":"
        triggers.add(f"image({prefix}{t.from_name})")
    return ",".join(sorted(triggers))


def header(kind: str, wide: bool) -> list[str]:
    if kind == "pods":
        return ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] + (
            ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] if wide else [])
    if kind == "deploymentconfigs":
        return ["NAME", "REVISION", "DESIRED", "CURRENT", "TRIGGERED BY"]
    if kind == "deployments":
        return ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] + (["CONTAINERS", "IMAGES", "SELECTOR"] if wide else [])
    if kind in ("replicationcontrollers", "replicasets"):
        return ["NAME", "DESIRED", "CURRENT", "READY", "AGE"] + (["CONTAINERS", "IMAGES", "SELECTOR"] if wide else [])
    if kind == "services":
        return ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] + (["SELECTOR"] if wide else [])
    if kind == "imagestreams":
        return ["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"]
    if kind == "endpoints":
        return ["NAME", "ENDPOINTS", "AGE"]
    if kind == "nodes":
        return ["NAME", "STATUS", "ROLES", "AGE", "VERSION"] + (
            ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] if wide else [])
    raise ValueError(kind)


def row(sim: Simulation, kind: str, obj, now: int, wide: bool) -> list[str]:
    if kind == "pods":
        st = pod_status(sim, obj, now)
        cells = [obj.name, f"{st.ready}/{st.total}", st.reason, restarts_text(st, now),
                 short_duration(now - obj.created)]
        if wide:
            cells += [st.ip or "<none>", obj.node or "<none>", "<none>", "<none>"]
        return cells
    if kind == "deploymentconfigs":
        counts = workload_counts(sim, obj, now)
        return [obj.name, str(obj.revision), str(obj.replicas), str(counts.updated), dc_triggered_by(obj)]
    if kind == "deployments":
        counts = workload_counts(sim, obj, now)
        cells = [obj.name, f"{counts.ready}/{obj.replicas}", str(counts.updated), str(counts.available),
                 short_duration(now - obj.created)]
        if wide:
            cells += list(_images(obj.template)) + [format_labels(obj.selector)]
        return cells
    if kind in ("replicationcontrollers", "replicasets"):
        counts = rs_counts(sim, obj, now)
        cells = [obj.name, str(obj.replicas), str(counts.replicas), str(counts.ready),
                 short_duration(now - obj.created)]
        if wide:
            cells += list(_images(obj.template)) + [format_labels(rs_selector(sim, obj))]
        return cells
    if kind == "services":
        ports = ",".join(f"{p}/TCP" for p in obj.ports) or "<none>"
        cells = [obj.name, "ClusterIP", obj.cluster_ip or "None", "<none>", ports, short_duration(now - obj.created)]
        if wide:
            cells.append(format_labels(obj.selector) or "<none>")
        return cells
    if kind == "imagestreams":
        from .printers import stream_repository, tags_up_to_width

        heads = [h.items[0].created for h in obj.status.values() if h.items]
        return [obj.name, stream_repository(obj), tags_up_to_width(obj), _ago_long(now, max(heads)) if heads else ""]
    if kind == "endpoints":
        return [obj.name, endpoints_text(sim, obj, now), short_duration(now - obj.created)]
    if kind == "nodes":
        from ..workload_manifests import NODE_INFO, host_ip

        cordoned = obj.name in sim.cluster.kubelet.cordoned
        cells = [obj.name, "Ready,SchedulingDisabled" if cordoned else "Ready", "worker", short_duration(now),
                 NODE_INFO["kubeletVersion"]]
        if wide:
            cells += [host_ip(obj.name), "<none>", NODE_INFO["osImage"], NODE_INFO["kernelVersion"],
                      NODE_INFO["containerRuntimeVersion"]]
        return cells
    raise ValueError(kind)


def endpoints_text(sim: Simulation, svc: Service, now: int, port: int | None = None) -> str:
    """kubectl's ``formatEndpoints``: the ready ``ip:port`` pairs, three at most then ``+ N more...``;
    ``<none>`` when no pod matches at all, empty when the matching pods are not ready."""
    from ..workload_manifests import pod_ip

    ready, not_ready = endpoint_pods(sim, svc, now)
    if not ready and not not_ready:
        return "<none>"
    pairs = [f"{pod_ip(p)}:{q}" for q in ([port] if port is not None else svc.ports) for p in ready]
    return ",".join(pairs[:3]) + (f" + {len(pairs) - 3} more..." if len(pairs) > 3 else "")


def rows(sim: Simulation, kind: str, items: Iterable, now: int, *, wide: bool = False, with_namespace: bool = False,
         prefixed: bool = False, show_labels: bool = False, headers: bool = True) -> str:
    """A kubectl table of ``items`` (all of ``kind``)."""
    out = []
    if headers:
        out.append((["NAMESPACE"] if with_namespace else []) + header(kind, wide) + (["LABELS"] if show_labels else []))
    for obj in items:
        cells = row(sim, kind, obj, now, wide)
        if prefixed:
            cells[0] = f"{KINDS[kind][3]}/{cells[0]}"
        if show_labels:
            cells.append(format_labels(own_labels(sim, kind, obj)) or "<none>")
        out.append(([obj.namespace] if with_namespace else []) + cells)
    return table(out) if out else ""


# ---------------------------------------------------------------------------------------------
# events


@dataclass
class EventRecord:
    """One (aggregated) event as ``oc get events`` and the describers show it."""

    namespace: str
    obj: str
    type: str
    reason: str
    source: str
    message: str
    first: int
    last: int
    count: int
    seq: float

    def key(self) -> tuple:
        return (self.namespace, self.obj, self.type, self.reason, self.source, self.message)


_ROLLOUT = re.compile(r"^(DeploymentConfig|Deployment) (\S+) revision (\d+) \((\S+)\)")


def _attempt_time(first: int, i: int) -> int:
    """The time of pull attempt ``i`` (0-based) after a first failure at ``first`` (10 s doubling
    to 5 minutes, as :func:`imagesim.nodes.next_retry` counts them)."""
    if i <= 5:
        return first + BACKOFF_START * (2 ** i - 1)
    return first + BACKOFF_START * 31 + BACKOFF_CAP * (i - 5)


def _attempts_until(first: int, end: int, inclusive: bool) -> int:
    """How many pull attempts happen at times ``< end`` (or ``<= end``)."""
    return next_retry(first, end + 1 if inclusive else end)[0] if end >= first else 0


@dataclass
class _Run:
    """What a container did, from the pod (when it still exists) or rebuilt from the log."""

    name: str
    image: str
    pull_policy: str
    first_failure: int = -1
    failure_reason: str = ""
    failure_message: str = ""
    pulled_at: int = -1
    pull_reason: str = ""
    started: int = -1
    broken: bool = False


def _pod_runs(sim: Simulation, ns: str, name: str, pod: Pod | None, events: list) -> list[_Run]:
    pulled = [e for e in events if e.kind == "pulled"]
    if pod is not None:
        runs = [_Run(r.name, r.image, r.pull_policy or default_pull_policy(r.image), r.first_failure,
                     r.failure_reason, r.failure_message, -1, "", r.started, r.broken) for r in pod.containers]
    else:
        from ..workload_manifests import extra_meta

        rs = sim.cluster.replicasets.get((ns, name.rsplit("-", 1)[0]))
        standalone = extra_meta(sim, "Pod", ns, name).get("containers")
        if standalone and any(e.kind == "pod-created" and e.reason in ("standalone", "bound") for e in events):
            runs = [_Run(cname, image, policy) for cname, image, policy in standalone]
        elif rs is None:
            return []
        else:
            runs = [_Run(c.name, c.image, c.pull_policy or default_pull_policy(c.image))
                    for c in rs.template.all_containers()]
        for e in events:
            if e.kind == "pull-failed":
                run = next((r for r in runs if r.started < 0), None)
                if run is not None:
                    if run.first_failure < 0:
                        run.first_failure = e.time
                    run.failure_reason, run.failure_message = e.reason, e.message
            elif e.kind == "pulled":
                run = next((r for r in runs if r.image == e.message and r.started < 0), None)
                if run is not None:
                    run.started = e.time + (1 if e.reason == "cached" else 5)
            elif e.kind == "crashloop":
                run = next((r for r in runs if r.name == e.message), None)
                if run is not None:
                    run.broken = True
    used: set[int] = set()
    for run in runs:
        for e in pulled:
            if e.seq not in used and e.message == run.image and (run.started < 0 or e.time <= run.started):
                run.pulled_at, run.pull_reason = e.time, e.reason
                used.add(e.seq)
                break
    return runs


def _pod_records(sim: Simulation, ns: str, name: str, pod: Pod | None, events: list, now: int) -> list[EventRecord]:
    obj = f"pod/{name}"
    out: list[EventRecord] = []
    created = next((e for e in events if e.kind == "pod-created"), None)
    deleted = next((e.time for e in events if e.kind == "pod-deleted"), None)
    end = now if deleted is None else min(now, deleted)
    base = created.seq * 10 if created is not None else 0
    uid = pod.uid if pod is not None else sim.cluster._uid("pod", ns, name)  # noqa: SLF001 - the same uid again

    def add(kind: str, reason: str, source: str, message: str, first: int, last: int | None = None,
            count: int = 1) -> None:
        if first > now or count < 1:
            return
        out.append(EventRecord(ns, obj, kind, reason, source, message, first, min(last if last is not None else first,
                                                                                      now), count, base + len(out)))

    if created is not None and created.reason not in ("standalone", "bound"):  # a standalone pod: no creator
        owner = pod.owner if pod is not None else name.rsplit("-", 1)[0]
        rs = sim.cluster.replicasets.get((ns, owner)) if pod is None else None
        kind = pod.owner_kind if pod is not None else rs.kind if rs is not None else (
            "ReplicationController" if re.search(r"-\d+$", owner) else "ReplicaSet")
        if kind == "ReplicationController":
            out.append(EventRecord(ns, f"replicationcontroller/{owner}", "Normal", "SuccessfulCreate",
                                   "replication-controller", f"Created pod: {name}", created.time, created.time, 1,
                                   base - 0.5))
        else:
            out.append(EventRecord(ns, f"replicaset/{owner}", "Normal", "SuccessfulCreate", "replicaset-controller",
                                   f"Created pod: {name}", created.time, created.time, 1, base - 0.5))
    if created is not None:
        scheduled = created if created.message else next((e for e in events if e.kind == "pod-scheduled"), None)
        if not created.message:  # every node was cordoned: the scheduler keeps trying
            tried = end if scheduled is None else min(end, scheduled.time)
            retries = max(0, tried - created.time - 1) // 300  # unschedulable pods are retried every 5 minutes
            add("Warning", "FailedScheduling", "default-scheduler", unschedulable_message(sim), created.time,
                created.time + 300 * retries, 1 + retries)
        if scheduled is not None:
            node = scheduled.message
            if created.reason != "bound":  # a pod applied with spec.nodeName skips the scheduler
                add("Normal", "Scheduled", "default-scheduler", f"Successfully assigned {ns}/{name} to {node}",
                    scheduled.time)
            if node in sim.cluster.kubelet.nodes:
                add("Normal", "AddedInterface", "multus", f"Add eth0 [{ip_for(uid, node)}/23] from ovn-kubernetes",
                    scheduled.time)
    for run in _pod_runs(sim, ns, name, pod, events):
        image = run.image
        if run.first_failure >= 0:
            success = run.pulled_at if run.pulled_at >= run.first_failure else -1
            if run.failure_reason in ("InvalidImageName", "ErrImageNeverPull"):
                reason = "InspectFailed" if run.failure_reason == "InvalidImageName" else "ErrImageNeverPull"
                add("Warning", reason, "kubelet", run.failure_message, run.first_failure)
                add("Warning", "Failed", "kubelet", f"Error: {run.failure_reason}", run.first_failure)
            else:
                n = _attempts_until(run.first_failure, success if success >= 0 else end, inclusive=success < 0)
                if n:
                    last = _attempt_time(run.first_failure, n - 1)
                    add("Normal", "Pulling", "kubelet", f'Pulling image "{image}"', run.first_failure, last, n)
                    add("Warning", "Failed", "kubelet", f'Failed to pull image "{image}": {run.failure_message}',
                        run.first_failure, last, n)
                    add("Warning", "Failed", "kubelet", "Error: ErrImagePull", run.first_failure, last, n)
                    backoff_last = min(end, success if success >= 0 else end)
                    add("Normal", "BackOff", "kubelet", f'Back-off pulling image "{image}"', run.first_failure + 1,
                        max(backoff_last, run.first_failure + 1), n)
                    add("Warning", "Failed", "kubelet", "Error: ImagePullBackOff", run.first_failure + 1,
                        max(backoff_last, run.first_failure + 1), n)
        if run.pulled_at < 0 or run.started < 0:
            continue
        if run.pull_reason == "cached" and run.pull_policy != "Always":
            add("Normal", "Pulled", "kubelet", f'Container image "{image}" already present on machine', run.pulled_at)
        else:
            took = run.started - run.pulled_at
            add("Normal", "Pulling", "kubelet", f'Pulling image "{image}"', run.pulled_at)
            add("Normal", "Pulled", "kubelet", f'Successfully pulled image "{image}" in {took}s ({took}s including '
                                               "waiting)", run.started)
        if run.started > end:
            continue
        if run.broken:
            k, start, running = restarts_at(run.started, end)
            starts = k + 1
            crashes = k + (0 if running else 1)
            add("Normal", "Created", "kubelet", f"Created container {run.name}", run.started, start, starts)
            add("Normal", "Started", "kubelet", f"Started container {run.name}", run.started, start, starts)
            if crashes:
                last_crash = start + CRASH_AFTER if not running else restarts_at(run.started, start - 1)[1] + CRASH_AFTER
                add("Warning", "BackOff", "kubelet", f"Back-off restarting failed container {run.name} in pod "
                    f"{name}_{ns}({uid})", run.started + CRASH_AFTER, last_crash, crashes)
        else:
            add("Normal", "Created", "kubelet", f"Created container {run.name}", run.started)
            add("Normal", "Started", "kubelet", f"Started container {run.name}", run.started)
        if deleted is not None:
            add("Normal", "Killing", "kubelet", f"Stopping container {run.name}", deleted)
    return out


def _deployer_records(sim: Simulation, ns: str, rs_name: str, t: int, seq: float, now: int) -> list[EventRecord]:
    pod = sim.cluster.pods.get((ns, f"{rs_name}-deploy"))
    if pod is None or t > now:
        return []
    obj = f"pod/{pod.name}"
    ip = pod_status(sim, pod, now).ip
    items = [("Scheduled", "default-scheduler", f"Successfully assigned {ns}/{pod.name} to {pod.node}"),
             ("AddedInterface", "multus", f"Add eth0 [{ip}/23] from ovn-kubernetes"),
             ("Pulled", "kubelet", f'Container image "{DEPLOYER_IMAGE}" already present on machine'),
             ("Created", "kubelet", "Created container deployment"),
             ("Started", "kubelet", "Started container deployment")]
    return [EventRecord(ns, obj, "Normal", reason, source, message, t, t, 1, seq + i / 10)
            for i, (reason, source, message) in enumerate(items)]


# while describe_workloads runs: (namespace, now) -> the event records of each object
_DESCRIBING: dict | None = None


def object_events(sim: Simulation, namespace: str, now: int, obj: str) -> list[EventRecord]:
    """The event records of ``obj`` (``kind/name``): while one command describes many objects,
    every object's records come from one pass over the log."""
    cache = _DESCRIBING
    if cache is None:
        return [r for r in event_records(sim, namespace, now) if r.obj == obj]
    grouped = cache.get((namespace, now))
    if grouped is None:
        grouped = cache[(namespace, now)] = {}
        for r in event_records(sim, namespace, now):
            grouped.setdefault(r.obj, []).append(r)
    return grouped.get(obj, [])


def event_records(sim: Simulation, namespace: str | None, now: int) -> list[EventRecord]:
    """The events of workloads, their replication controllers / replica sets and pods, aggregated
    like the API server does (same object, reason and message: one event with a count)."""
    records: list[EventRecord] = []
    by_pod: dict[tuple[str, str], list[list]] = {}  # a pod name's incarnations (a name can be used again)
    completed: dict[tuple[str, str], str] = {}
    scalings: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for e in sim.log.of_kind("scaled"):
        scalings.setdefault(tuple(e.subject.split("/", 1)), []).append((e.seq, e.message.split()[1]))

    def replicas_at(ns: str, wname: str, seq: int, w: Workload | None) -> str:
        """The workload's replicas when event ``seq`` happened: before the next ``oc scale``."""
        later = [old for s, old in scalings.get((ns, wname), []) if s > seq]
        return later[0] if later else str(w.replicas if w is not None else 1)

    for e in sim.log:
        if not e.namespace or (namespace is not None and e.namespace != namespace):
            continue
        if e.kind in ("pod-created", "pod-scheduled", "pulled", "pull-failed", "crashloop", "pod-deleted"):
            ns, _, pod_name = e.subject.partition("/")
            lives = by_pod.setdefault((ns, pod_name), [])
            if not lives or (e.kind == "pod-created" and any(x.kind == "pod-created" for x in lives[-1])):
                lives.append([])
            lives[-1].append(e)
            continue
        if e.time > now:
            continue
        ns, _, wname = e.subject.partition("/")
        if e.kind == "rollout":
            match = _ROLLOUT.match(e.message)
            if match is None:
                continue
            kind, _, revision, rs_name = match.groups()
            if e.message.endswith(": retried"):  # oc rollout retry: the same RC, a new deployer pod
                records += _deployer_records(sim, ns, rs_name, e.time, e.seq * 10 + 1, now)
                continue
            if kind == "DeploymentConfig":
                records.append(EventRecord(ns, f"deploymentconfig/{wname}", "Normal", "DeploymentCreated",
                                           "deploymentconfig-controller",
                                           f'Created new replication controller "{rs_name}" for version {revision}',
                                           e.time, e.time, 1, e.seq * 10))
                records += _deployer_records(sim, ns, rs_name, e.time, e.seq * 10 + 1, now)
            else:
                w = sim.cluster.workloads.get(("Deployment", ns, wname))
                replicas = replicas_at(ns, wname, e.seq, w)
                records.append(EventRecord(ns, f"deployment/{wname}", "Normal", "ScalingReplicaSet",
                                           "deployment-controller", f"Scaled up replica set {rs_name} to {replicas}",
                                           e.time, e.time, 1, e.seq * 10))
        elif e.kind == "rollout-complete":
            w = sim.cluster.workloads.get(("Deployment", ns, wname))
            previous = completed.get((ns, wname))
            completed[(ns, wname)] = e.message
            if w is not None and previous and previous != e.message:
                records.append(EventRecord(ns, f"deployment/{wname}", "Normal", "ScalingReplicaSet",
                                           "deployment-controller",
                                           f"Scaled down replica set {previous} to 0 from "
                                           f"{replicas_at(ns, wname, e.seq, w)}",
                                           e.time, e.time, 1, e.seq * 10))
        elif e.kind == "rollout-failed":
            rs_name, _, cause = e.message.partition(": ")
            rs = sim.cluster.replicasets.get((ns, rs_name))
            is_dc = rs.kind == "ReplicationController" if rs is not None else \
                ("DeploymentConfig", ns, wname) in sim.cluster.workloads
            if is_dc and cause == "cancelled by the user":
                records.append(EventRecord(ns, f"deploymentconfig/{wname}", "Normal", "RolloutCancelled",
                                           "deployer-controller", f'Rollout for "{ns}/{rs_name}" cancelled',
                                           e.time, e.time, 1, e.seq * 10))
            elif is_dc and cause:
                w = sim.cluster.workloads.get(("DeploymentConfig", ns, wname))
                version = w.revision if w is not None else (rs.revision + 1 if rs is not None else 0)
                records.append(EventRecord(ns, f"deploymentconfig/{wname}", "Normal", "DeploymentCancelled",
                                           "deploymentconfig-controller",
                                           f'Cancelled deployment "{rs_name}" superceded by version {version}',
                                           e.time, e.time, 1, e.seq * 10))
            elif is_dc:
                records.append(EventRecord(ns, f"deploymentconfig/{wname}", "Warning", "ProgressDeadlineExceeded",
                                           "deploymentconfig-controller",
                                           f'replication controller "{rs_name}" has failed progressing',
                                           e.time, e.time, 1, e.seq * 10))
            else:
                records.append(EventRecord(ns, f"deployment/{wname}", "Warning", "ProgressDeadlineExceeded",
                                           "deployment-controller",
                                           f'ReplicaSet "{rs_name}" has timed out progressing.',
                                           e.time, e.time, 1, e.seq * 10))
        elif e.kind == "scaled":
            rs_name, old, new = (e.message.split() + ["", "", ""])[:3]
            if e.reason == "DeploymentConfig":
                records.append(EventRecord(ns, f"deploymentconfig/{wname}", "Normal", "ReplicationControllerScaled",
                                           "deploymentconfig-controller",
                                           f'Scaled replication controller "{rs_name}" from {old} to {new}',
                                           e.time, e.time, 1, e.seq * 10))
            else:
                way = "up" if new.isdigit() and old.isdigit() and int(new) > int(old) else "down"
                records.append(EventRecord(ns, f"deployment/{wname}", "Normal", "ScalingReplicaSet",
                                           "deployment-controller",
                                           f"Scaled {way} replica set {rs_name} to {new} from {old}",
                                           e.time, e.time, 1, e.seq * 10))
    for (ns, pod_name), lives in by_pod.items():
        pod = sim.cluster.pods.get((ns, pod_name))
        for i, events in enumerate(lives):
            current = pod if i == len(lives) - 1 else None
            records += _pod_records(sim, ns, pod_name, current, events, now)
    merged: dict[tuple, EventRecord] = {}
    for r in records:
        old = merged.get(r.key())
        if old is None:
            merged[r.key()] = EventRecord(**vars(r))
        else:
            old.first, old.last = min(old.first, r.first), max(old.last, r.last)
            old.count += r.count
            old.seq = min(old.seq, r.seq)
    return sorted(merged.values(), key=lambda r: (r.first, r.seq))


def _events_section(sim: Simulation, records: list[EventRecord], now: int, *, limit: int | None = None) -> list[str]:
    if limit is not None:
        records = sorted(records, key=lambda r: (r.first, r.seq))[-limit:]
    if not records:
        return ["Events:\t<none>"]
    records = sorted(records, key=lambda r: (r.last, r.seq))
    lines = ["Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------"]
    for r in records:
        age = short_duration(now - r.first)
        if r.count > 1:
            age = f"{short_duration(now - r.last)} (x{r.count} over {age})"
        lines.append(f"  {r.type}\t{r.reason}\t{age}\t{r.source}\t{r.message.strip()}")
    return lines


# ---------------------------------------------------------------------------------------------
# describers


def _labels_multiline(title: str, values: dict[str, str], indent: str = "") -> list[str]:
    if not values:
        return [f"{indent}{title}:\t<none>"]
    keys = sorted(values)
    return [f"{indent}{title}:\t{keys[0]}={values[keys[0]]}"] + [f"{indent}\t{k}={values[k]}" for k in keys[1:]]


def _annotations_multiline(title: str, values: dict[str, str]) -> list[str]:
    keys = sorted(k for k in values if k != "kubectl.kubernetes.io/last-applied-configuration")
    if not keys:
        return [f"{title}:\t<none>"]
    lines = []
    for i, key in enumerate(keys):
        value = values[key].rstrip("\n")
        prefix = f"{title}:\t" if i == 0 else "\t"
        if len(value) + len(key) + 2 > 140 or "\n" in value:
            lines.append(f"{prefix}{key}:")
            for part in value.split("\n"):
                lines.append(f"\t  {part[:138] + '...' if len(part) > 138 else part}")
        else:
            lines.append(f"{prefix}{key}: {value}")
    return lines


def _ports(ports: list[int]) -> tuple[str, str]:
    text = ", ".join(f"{p}/TCP" for p in ports)
    host = ", ".join("0/TCP" for _ in ports)
    port_line = f"Ports:\t{text}" if "," in text else f"Port:\t{text or '<none>'}"
    host_line = f"Host Ports:\t{host}" if "," in host else f"Host Port:\t{host or '<none>'}"
    return port_line, host_line


def _pod_template_lines(template: PodTemplate, *, labels: dict | None = None, annotations: dict | None = None) -> list[str]:
    lines = ["Pod Template:"]
    lines += _labels_multiline("Labels", dict(template.labels, **(labels or {})), "  ")
    all_annotations = dict(template.annotations, **(annotations or {}))
    if all_annotations:
        lines += ["  " + x if i == 0 else x for i, x in enumerate(_annotations_multiline("Annotations", all_annotations))]
    for label, group in (("Init Containers", template.init_containers), ("Containers", template.containers)):
        if label == "Init Containers" and not group:
            continue
        lines.append(f"  {label}:" + ("" if group else " <none>"))
        for c in group:
            port_line, host_line = _ports(c.ports)
            lines += [f"   {c.name}:", f"    Image:\t{c.image}", f"    {port_line}", f"    {host_line}",
                      "    Environment:\t<none>", "    Mounts:\t<none>"]
    lines += ["  Volumes:\t<none>", "  Node-Selectors:\t<none>", "  Tolerations:\t<none>"]
    return lines


def _state_lines(sim: Simulation, label: str, state: ContainerState) -> list[str]:
    if state.kind == "running":
        return [f"    {label}:\tRunning", f"      Started:\t{rfc1123z(sim, state.started)}"]
    if state.kind == "waiting":
        return [f"    {label}:\tWaiting"] + ([f"      Reason:\t{state.reason}"] if state.reason else [])
    lines = [f"    {label}:\tTerminated"]
    if state.reason:
        lines.append(f"      Reason:\t{state.reason}")
    if state.message:
        lines.append(f"      Message:\t{state.message}")
    lines += [f"      Exit Code:\t{state.exit_code}", f"      Started:\t{rfc1123z(sim, state.started)}",
              f"      Finished:\t{rfc1123z(sim, state.finished)}"]
    return lines


def describe_pod(sim: Simulation, pod: Pod, now: int) -> str:
    st = pod_status(sim, pod, now)
    rs = sim.cluster.replicasets.get((pod.namespace, pod.owner)) if pod.owner else None
    lines = [f"Name:\t{pod.name}", f"Namespace:\t{pod.namespace}", "Priority:\t0",
             f"Service Account:\t{'deployer' if pod.deployer else 'default'}"]
    if st.scheduled:
        lines += [f"Node:\t{pod.node}/{st.host_ip}", f"Start Time:\t{rfc1123z(sim, pod.created)}"]
    else:
        lines.append(f"Node:\t{pod.node or '<none>'}")
    lines += _labels_multiline("Labels", {k: v for k, v in pod.labels.items() if not (pod.deployer and k == "phase")})
    lines += _annotations_multiline("Annotations", pod_annotations(pod, rs, sim))
    if st.terminating and st.phase not in ("Succeeded", "Failed"):
        lines.append(f"Status:\tTerminating (lasts {short_duration(now - pod.deleted)})")
        lines.append(f"Termination Grace Period:\t{pod.grace}s")
    else:
        lines.append(f"Status:\t{st.phase}")
    if st.ip:
        lines += [f"IP:\t{st.ip}", "IPs:", f"  IP:\t{st.ip}"]
    else:
        lines += ["IP:\t", "IPs:\t<none>"]
    if not pod.deployer and pod.owner:
        lines.append(f"Controlled By:\t{pod.owner_kind}/{pod.owner}")
    ports = pod_ports(sim, pod, rs)
    for label, statuses in (("Init Containers", [s for s in st.containers if s.init]),
                            ("Containers", [s for s in st.containers if not s.init])):
        if label == "Init Containers" and not statuses:
            continue
        lines.append(f"{label}:")
        for s in statuses:
            port_line, host_line = _ports(ports.get(s.name, []))
            if not st.scheduled:  # no container status yet: the spec only
                lines += [f"  {s.name}:", f"    Image:\t{s.image}", f"    {port_line}", f"    {host_line}",
                          "    Environment:\t<none>", "    Mounts:\t<none>"]
                continue
            lines += [f"  {s.name}:", f"    Container ID:\t{s.container_id}", f"    Image:\t{s.image}",
                      f"    Image ID:\t{s.image_id}", f"    {port_line}", f"    {host_line}"]
            lines += _state_lines(sim, "State", s.state)
            if s.last_state is not None:
                lines += _state_lines(sim, "Last State", s.last_state)
            lines += [f"    Ready:\t{'True' if s.ready else 'False'}", f"    Restart Count:\t{s.restarts}",
                      "    Environment:\t<none>", "    Mounts:\t<none>"]
    ready = "True" if st.all_ready else "False"
    if not st.scheduled:
        lines += ["Conditions:", "  Type\tStatus", "  PodScheduled \tFalse "] if not pod.node else []
    else:
        lines += ["Conditions:", "  Type\tStatus", "  PodReadyToStartContainers \tTrue ",
                  f"  Initialized \t{'True' if st.initialized else 'False'} ", f"  Ready \t{ready} ",
                  f"  ContainersReady \t{ready} ", "  PodScheduled \tTrue "]
    lines += ["Volumes:\t<none>", "QoS Class:\tBestEffort", "Node-Selectors:\t<none>",
              "Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
              "\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s"]
    records = object_events(sim, pod.namespace, now, f"pod/{pod.name}")
    lines += _events_section(sim, records, now)
    return kubectl_tabs("\n".join(lines) + "\n")


def _conditions(w: Workload) -> list[tuple[str, str, str]]:
    out = []
    for ctype in ("Available", "Progressing", "ReplicaFailure"):
        cond = w.conditions.get(ctype)
        if cond is not None:
            out.append((ctype, cond[0], cond[1]))
    return out


def describe_deployment(sim: Simulation, w: Workload, now: int) -> str:
    from ..workload_manifests import workload_to_manifest

    counts = workload_counts(sim, w, now)
    annotations = workload_to_manifest(sim, w)["metadata"].get("annotations", {})
    lines = [f"Name:\t{w.name}", f"Namespace:\t{w.namespace}", f"CreationTimestamp:\t{rfc1123z(sim, w.created)}"]
    lines += _labels_multiline("Labels", w.labels)
    lines += _annotations_multiline("Annotations", annotations)
    lines.append(f"Selector:\t{format_labels(w.selector)}")
    lines.append(f"Replicas:\t{w.replicas} desired | {counts.updated} updated | {counts.replicas} total | "
                 f"{counts.available} available | {max(0, w.replicas - counts.available)} unavailable")
    lines.append(f"StrategyType:\t{w.strategy}")
    lines.append("MinReadySeconds:\t0")
    if w.strategy == "RollingUpdate":
        lines.append("RollingUpdateStrategy:\t25% max unavailable, 25% max surge")
    lines += _pod_template_lines(w.template)
    conditions = _conditions(w)
    if conditions:
        lines += ["Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------"]
        lines += [f"  {t} \t{s}\t{r}" for t, s, r in conditions]
    owned = sim.cluster.owned(w)
    if owned:
        new = owned[-1]

        def fmt(rs_list: list[ReplicaSet]) -> str:
            return ", ".join(f"{rs.name} ({rs_counts(sim, rs, now).replicas}/{rs.replicas} replicas created)"
                             for rs in rs_list) or "<none>"

        old = [rs for rs in owned[:-1] if rs.replicas > 0 or rs_counts(sim, rs, now).replicas > 0]
        lines += [f"OldReplicaSets:\t{fmt(old)}", f"NewReplicaSet:\t{fmt([new])}"]
    records = object_events(sim, w.namespace, now, f"deployment/{w.name}")
    lines += _events_section(sim, records, now)
    return kubectl_tabs("\n".join(lines) + "\n")


def _oc_map_lines(label: str, values: dict[str, str]) -> list[str]:
    if not values:
        return [f"{label}:\t<none>"]
    keys = sorted(values)
    return [f"{label}:\t{keys[0]}={values[keys[0]]}"] + [f"\t{k}={values[k]}" for k in keys[1:]]


def _pods_status(sim: Simulation, rs: ReplicaSet, now: int) -> str:
    phases = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in sim.cluster.pods_of(rs):
        phases[pod_status(sim, pod, now).phase] += 1
    return (f"{phases['Running']} Running / {phases['Pending']} Waiting / {phases['Succeeded']} Succeeded / "
            f"{phases['Failed']} Failed")


def describe_dc(sim: Simulation, w: Workload, now: int) -> str:
    lines = [f"Name:\t{w.name}", f"Namespace:\t{w.namespace}", f"Created:\t{_ago_long(now, w.created)}"]
    lines += _oc_map_lines("Labels", w.labels)
    annotations = dict(w.annotations)
    description = annotations.pop("description", "")
    if description:
        lines.append(f"Description:\t{description}")
    lines += _oc_map_lines("Annotations", annotations)
    lines.append(f"Latest Version:\t{w.revision if w.revision else 'Not deployed'}")
    lines.append(f"Selector:\t{format_labels(w.selector) or '<none>'}")
    lines.append(f"Replicas:\t{w.replicas}")
    if w.paused:
        lines.append("Paused:\tyes")
    triggers = ["Config"] if w.config_change else []
    for t in w.triggers:
        name, _, tag = t.from_name.partition(":")
        triggers.append(f"Image({name}@{tag}, auto={'true' if t.automatic else 'false'})")
    lines.append(f"Triggers:\t{', '.join(triggers) or '<none>'}")
    lines.append(f"Strategy:\t{w.strategy}")
    lines.append("Template:")
    lines += _pod_template_lines(w.template)
    lines.append("")
    owned = sim.cluster.owned(w)
    latest = next((rs for rs in owned if rs.revision == w.revision), None)
    if latest is None:
        lines.append("Latest Deployment:\t<none>")
    else:
        complete = [rs for rs in owned if rs.phase == "Complete"]
        active = complete[-1].name if complete else ""

        def block(rs: ReplicaSet, title: str, verbose: bool) -> list[str]:
            out = [f"{title}:"]
            if verbose:
                out.append(f"\tName:\t{rs.name}")
            phase = {"Stalled": "Running"}.get(rs.phase, rs.phase)
            out += [f"\tCreated:\t{_ago_long(now, rs.created).lower()}", f"\tStatus:\t{phase}",
                    f"\tReplicas:\t{rs_counts(sim, rs, now).replicas} current / {rs.replicas} desired"]
            if verbose:
                out += [f"\tSelector:\t{format_labels(rs_selector(sim, rs))}",
                        f"\tLabels:\t{format_labels(rs_labels(sim, rs))}",
                        f"\tPods Status:\t{_pods_status(sim, rs, now)}"]
            return out

        lines += block(latest, f"Deployment #{latest.revision} (latest)", latest.name == active or len(owned) == 1)
        others = sorted((rs for rs in owned if rs is not latest), key=lambda r: (r.created, r.name), reverse=True)
        for rs in others[:2]:
            lines += block(rs, f"Deployment #{rs.revision}", rs.name == active)
    records = object_events(sim, w.namespace, now, f"deploymentconfig/{w.name}")
    lines.append("")
    lines += _events_section(sim, records, now, limit=8)
    return describe_tabs("\n".join(lines) + "\n")


def describe_service(sim: Simulation, svc: Service, now: int) -> str:
    lines = [f"Name:\t{svc.name}", f"Namespace:\t{svc.namespace}"]
    lines += _labels_multiline("Labels", own_labels(sim, "services", svc))
    from ..workload_manifests import extra_meta

    lines += _annotations_multiline("Annotations", extra_meta(sim, "Service", svc.namespace, svc.name)
                                    .get("annotations", {}))
    lines += [f"Selector:\t{format_labels(svc.selector)}", "Type:\tClusterIP", "IP Family Policy:\tSingleStack",
              "IP Families:\tIPv4", f"IP:\t{svc.cluster_ip}", f"IPs:\t{svc.cluster_ip}"]
    endpoints = sorted(sim.cluster.endpoints(svc), key=lambda p: p.name)
    for port in svc.ports:
        addresses = [f"{pod_status(sim, p, now).ip}:{port}" for p in endpoints]
        text = ",".join(addresses[:3]) + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")
        lines += [f"Port:\t{port}-tcp\t{port}/TCP", f"TargetPort:\t{port}/TCP", f"Endpoints:\t{text}"]
    lines += ["Session Affinity:\tNone", "Internal Traffic Policy:\tCluster", "Events:\t<none>"]
    return kubectl_tabs("\n".join(lines) + "\n")


def describe_rs(sim: Simulation, rs: ReplicaSet, now: int) -> str:
    counts = rs_counts(sim, rs, now)
    lines = [f"Name:\t{rs.name}", f"Namespace:\t{rs.namespace}", f"Selector:\t{format_labels(rs_selector(sim, rs))}"]
    lines += _labels_multiline("Labels", rs_labels(sim, rs))
    from ..workload_manifests import rs_to_manifest

    lines += _annotations_multiline("Annotations", rs_to_manifest(sim, rs)["metadata"].get("annotations", {}))
    owner_kind = "DeploymentConfig" if rs.kind == "ReplicationController" else "Deployment"
    if rs.owner:
        lines.append(f"Controlled By:\t{owner_kind}/{rs.owner}")
    lines.append(f"Replicas:\t{counts.replicas} current / {rs.replicas} desired")
    lines.append(f"Pods Status:\t{_pods_status(sim, rs, now)}")
    kind = rs.kind.lower()
    if not rs.owner:  # a standalone RC/RS: its template as applied
        lines += _pod_template_lines(rs.template)
    elif rs.kind == "ReplicationController":
        lines += _pod_template_lines(rs.template, labels={"deployment": rs.name, "deploymentconfig": rs.owner},
                                     annotations={"openshift.io/deployment-config.latest-version": str(rs.revision),
                                                  "openshift.io/deployment-config.name": rs.owner,
                                                  "openshift.io/deployment.name": rs.name})
        kind = "replicationcontroller"
    else:
        lines += _pod_template_lines(rs.template, labels={"pod-template-hash": rs.name.rsplit("-", 1)[-1]})
        kind = "replicaset"
    records = object_events(sim, rs.namespace, now, f"{kind}/{rs.name}")
    lines += _events_section(sim, records, now)
    return kubectl_tabs("\n".join(lines) + "\n")


def describe_endpoints(sim: Simulation, svc: Service, now: int) -> str:
    """kubectl's Endpoints describer."""
    from ..workload_manifests import pod_ip

    ready, not_ready = endpoint_pods(sim, svc, now)
    lines = [f"Name:\t{svc.name}", f"Namespace:\t{svc.namespace}"]
    lines += _labels_multiline("Labels", service_own_labels(sim, svc) or {})
    lines += ["Annotations:\t<none>", "Subsets:"]
    if ready or not_ready:
        lines.append(f"  Addresses:\t{','.join(pod_ip(p) for p in ready) or '<none>'}")
        lines.append(f"  NotReadyAddresses:\t{','.join(pod_ip(p) for p in not_ready) or '<none>'}")
        lines += ["  Ports:", "    Name\tPort\tProtocol", "    ----\t----\t--------"]
        lines += [f"    {p}-tcp\t{p}\tTCP" for p in svc.ports]
    lines += ["", "Events:\t<none>"]
    return kubectl_tabs("\n".join(lines) + "\n")


def describe_node(sim: Simulation, node: NodeView, now: int) -> str:
    """kubectl's Node describer (the parts the simulation knows): cordon, system info, the pods on it."""
    from ..workload_manifests import NODE_INFO, host_ip

    cordoned = node.name in sim.cluster.kubelet.cordoned
    labels = node_to_manifest(sim, node.name)["metadata"]["labels"]
    lines = [f"Name:\t{node.name}", "Roles:\tworker"]
    lines += _labels_multiline("Labels", labels)
    lines += ["Annotations:\t<none>", f"CreationTimestamp:\t{rfc1123z(sim, 0)}",
              f"Taints:\t{'node.kubernetes.io/unschedulable:NoSchedule' if cordoned else '<none>'}",
              f"Unschedulable:\t{'true' if cordoned else 'false'}",
              "Addresses:", f"  InternalIP:\t{host_ip(node.name)}", f"  Hostname:\t{node.name}",
              "System Info:", f"  Kernel Version:\t{NODE_INFO['kernelVersion']}",
              f"  OS Image:\t{NODE_INFO['osImage']}", f"  Operating System:\t{NODE_INFO['operatingSystem']}",
              f"  Architecture:\t{NODE_INFO['architecture']}",
              f"  Container Runtime Version:\t{NODE_INFO['containerRuntimeVersion']}",
              f"  Kubelet Version:\t{NODE_INFO['kubeletVersion']}",
              f"  Kube-Proxy Version:\t{NODE_INFO['kubeProxyVersion']}"]
    pods = sorted((p for p in sim.cluster.pods.values() if p.node == node.name and not (0 <= p.deleted <= now)
                   and not (p.deployer and p.labels.get("phase"))), key=lambda p: (p.namespace, p.name))
    lines.append(f"Non-terminated Pods:\t({len(pods)} in total)")
    lines.append("  Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge")
    lines.append("  ---------\t----\t------------\t----------\t---------------\t-------------\t---")
    lines += [f"  {p.namespace}\t{p.name}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{short_duration(now - p.created)}"
              for p in pods]
    lines.append("Events:\t<none>")
    return kubectl_tabs("\n".join(lines) + "\n")


DESCRIBERS: dict[str, Callable] = {
    "endpoints": describe_endpoints,
    "nodes": describe_node,
    "pods": describe_pod,
    "deployments": describe_deployment,
    "deploymentconfigs": describe_dc,
    "services": describe_service,
    "replicationcontrollers": describe_rs,
    "replicasets": describe_rs,
}


# ---------------------------------------------------------------------------------------------
# logs


def _repo_name(image: str) -> str:
    name = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return name or "app"


def _deployer_log(sim: Simulation, pod: Pod, now: int) -> str:
    rs = sim.cluster.replicasets.get((pod.namespace, pod.owner))
    if rs is None:
        return ""
    w = sim.cluster.workloads.get(("DeploymentConfig", rs.namespace, rs.owner))
    replicas = w.replicas if w is not None else rs.replicas
    older = [o for o in sim.cluster.owned(w) if o.revision < rs.revision and o.phase == "Complete"] if w else []
    old = older[-1] if older else None
    strategy = w.strategy if w is not None else "Rolling"
    lines = []
    if old is None:
        lines.append(f"--> Scaling {rs.name} to {replicas}")
    elif strategy == "Recreate":
        lines += [f"--> Scaling {old.name} down to zero", f"--> Scaling {rs.name} to {replicas}"]
    else:
        surge = max(1, -(-replicas // 4))
        keep = replicas - replicas // 4
        lines += [f"--> Scaling up {rs.name} from 0 to {replicas}, scaling down {old.name} from {replicas} to 0 "
                  f"(keep {keep} pods available, don't exceed {replicas + surge} pods)",
                  f"    Scaling {rs.name} up to {replicas}"]
    phase = pod.labels.get("phase", "")
    if phase == "Succeeded":
        if old is not None and strategy != "Recreate":
            lines.append(f"    Scaling {old.name} down to 0")
        lines.append("--> Success")
    elif phase == "Failed" and "cancel" not in rs.cause and "newer" not in rs.cause:  # else: cancelled, killed
        timeout = w.timeout if w is not None else 600
        lines.append(f"error: update acceptor rejected {rs.name}: pods for rc '{rs.namespace}/{rs.name}' took "
                     f"longer than {timeout} seconds to become available")
    return "\n".join(lines) + "\n"


def pod_logs(sim: Simulation, pod: Pod, container: str | None, now: int, *, previous: bool = False) -> tuple[str, str]:
    """(stdout, stderr notice) of ``oc logs POD [-c CONTAINER] [-p]``; raises ``Invalid``
    (BadRequest) like the API server when there is nothing to show."""
    if pod.deployer:
        if container not in (None, "deployment"):
            raise Invalid(f"Error from server (BadRequest): container {container} is not valid for pod {pod.name}",
                          reason="BadRequest")
        if previous:
            raise Invalid(f'Error from server (BadRequest): previous terminated container "deployment" in pod '
                          f'"{pod.name}" not found', reason="BadRequest")
        return _deployer_log(sim, pod, now), ""
    st = pod_status(sim, pod, now)
    names = [s.name for s in st.containers if not s.init]
    notice = ""
    if not st.scheduled and (container is None or container in [r.name for r in pod.containers]) and not previous:
        return "", ""  # no node yet: the API server has nowhere to read logs from, and says nothing
    if container is None:
        container = names[0] if names else ""
        if len(names) > 1:
            notice = f'Defaulted container "{container}" out of: {", ".join(names)}\n'
    status = next((s for s in st.containers if s.name == container), None)
    run = next((r for r in pod.containers if r.name == container), None)
    if status is None or run is None:
        raise Invalid(f"Error from server (BadRequest): container {container} is not valid for pod {pod.name}",
                      reason="BadRequest")
    if previous:
        if status.last_state is None:
            raise Invalid(f'Error from server (BadRequest): previous terminated container "{container}" in pod '
                          f'"{pod.name}" not found', reason="BadRequest")
        return _run_log(sim, pod, run, status.last_state.started, crashed=True), notice
    if status.state.kind == "waiting" and status.last_state is None:
        reason = status.state.reason
        why = {"ErrImagePull": "trying and failing to pull image", "ImagePullBackOff": "trying and failing to pull image",
               "InvalidImageName": "image can't be pulled", "ErrImageNeverPull": "image can't be pulled"}.get(reason,
                                                                                                            reason)
        raise Invalid(f'Error from server (BadRequest): container "{container}" in pod "{pod.name}" is waiting to '
                      f"start: {why}", reason="BadRequest")
    if status.state.kind == "waiting":  # CrashLoopBackOff: the last run's log
        return _run_log(sim, pod, run, status.last_state.started, crashed=True), notice
    crashed = status.state.kind == "terminated" or (run.broken and now >= status.state.started + CRASH_AFTER)
    return _run_log(sim, pod, run, status.state.started, crashed=run.broken and crashed, now=now), notice


def _run_log(sim: Simulation, pod: Pod, run: ContainerRun, start: int, *, crashed: bool, now: int | None = None) -> str:
    ts = sim.clock.timestamp
    rs = sim.cluster.replicasets.get((pod.namespace, pod.owner)) if pod.owner else None
    ports = pod_ports(sim, pod, rs).get(run.name, [])
    port = ports[0] if ports else 8080
    image = run.image
    name = _repo_name(run.image)
    if run.broken:
        lines = [f"{ts(start)} {name}: starting (image {image})"]
        if crashed:
            lines += [f"Error: configuration invalid in /etc/{name}/{name}.conf: unexpected end of file",
                      "container exited with code 1"]
        return "\n".join(lines) + "\n"
    lines = [f"{ts(start)} {name}: starting (image {image})"]
    if now is None or now >= start + 1:
        lines.append(f"{ts(start + 1)} {name}: serving on 0.0.0.0:{port}")
    return "\n".join(lines) + "\n"


def pick_pod(sim: Simulation, pods: list[Pod], now: int) -> Pod | None:
    """The pod ``oc logs deploy/X`` picks: running and ready first, then the oldest."""
    live = [p for p in pods if not (0 <= p.deleted <= now)] or pods
    if not live:
        return None

    def rank(p: Pod) -> tuple:
        st = pod_status(sim, p, now)
        return (0 if st.phase == "Running" else 1, 0 if st.all_ready else 1, p.created, p.name)

    return min(live, key=rank)


# ---------------------------------------------------------------------------------------------
# the command handlers commands.py routes workload resources to


WORKLOAD_RESOURCES = ("pods", "deploymentconfigs", "deployments", "replicationcontrollers", "replicasets",
                      "services", "endpoints", "nodes")
#: Log event kinds that ``oc get events`` shows through :func:`event_records`.
WORKLOAD_EVENT_KINDS = frozenset({"workload-created", "workload-deleted", "rollout", "rollout-complete",
                                  "rollout-failed", "pod-created", "pod-scheduled", "pulled", "pull-failed",
                                  "crashloop", "pod-deleted", "scaled", "rollback", "triggers-updated"})


def _manifest(sim: Simulation, kind: str, obj) -> dict:
    from ..manifests import stream_to_manifest
    from ..workload_manifests import pod_to_manifest, rs_to_manifest, service_to_manifest, workload_to_manifest

    if kind == "pods":
        return pod_to_manifest(sim, obj)
    if kind in ("replicationcontrollers", "replicasets"):
        return rs_to_manifest(sim, obj)
    if kind == "services":
        return service_to_manifest(sim, obj)
    if kind == "imagestreams":
        return stream_to_manifest(obj, sim.clock)
    if kind == "endpoints":
        from ..workload_manifests import endpoints_to_manifest

        return endpoints_to_manifest(sim, obj)
    if kind == "nodes":
        return node_to_manifest(sim, obj.name)
    return workload_to_manifest(sim, obj)


def _dump(output: str, items: list[dict], single: bool) -> str:
    from ..manifests import dump_json, dump_yaml

    obj = items[0] if single and len(items) == 1 else {
        "apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    return dump_json(obj) if output == "json" else dump_yaml(obj)


def _selector(ctx) -> LabelSelector | None:
    text = ctx.values.get("selector")
    return LabelSelector(text) if text else None


def _where(namespace: str | None) -> str:
    return f" in {namespace} namespace" if namespace is not None else ""


def expand_kinds(kind: str) -> tuple[str, ...]:
    """``all``, one resource, or a comma-separated list of resources (already canonical or aliases)."""
    if kind == "all":
        return ALL_ORDER
    if "," not in kind:
        return (kind,)
    from .commands import resource

    out: list[str] = []
    for part in kind.split(","):
        if not part:
            continue
        canonical = resource(part)
        for k in (ALL_ORDER if canonical == "all" else (canonical,)):
            if k not in out:
                out.append(k)
    return tuple(out)


def is_workload_list(text: str) -> bool:
    """Whether ``text`` is a comma-separated list of kinds the workload printers handle."""
    try:
        kinds = expand_kinds(text)
    except Exception:  # noqa: BLE001 - an unknown type: let the caller report it the usual way
        return False
    return bool(kinds) and all(k in KINDS for k in kinds)


def get_workloads(ctx, kind: str, names: list[str], output: str, namespace: str | None, all_ns: bool) -> None:
    """``oc get pods|dc|deploy|rc|rs|svc|all|dc,svc [NAME...]`` with ``-o wide|name|json|yaml``, ``-l``,
    ``-A``; several kinds print one table each, names as ``kind/name``."""
    sim, out, now = ctx.sim, ctx.out, ctx.now
    selector = _selector(ctx)
    kinds = expand_kinds(kind)
    several = len(kinds) > 1
    groups: list[tuple[str, list]] = []
    missing: list[NotFound] = []
    for k in kinds:
        if names:
            items = []
            for name in names:
                obj = find(sim, k, ctx.namespace, name)
                if obj is None:
                    missing.append(not_found(k, name))
                else:
                    items.append(obj)
        else:
            items = objects(sim, k, namespace)
        if selector is not None:
            items = [o for o in items if selector.matches(labels_of(sim, k, o))]
        groups.append((k, items))
    total = sum(len(items) for _, items in groups)
    if output in ("json", "yaml"):
        if total or not missing:
            manifests = [_manifest(sim, k, o) for k, items in groups for o in items]
            out.write(_dump(output, manifests, single=len(names) == 1 and not several and not missing))
    elif output == "name":
        for k, items in groups:
            for o in items:
                out.print(f"{KINDS[k][1]}/{o.name}")
    elif total:
        tables = []
        for k, items in groups:
            if items:
                tables.append(rows(sim, k, items, now, wide=output == "wide", with_namespace=all_ns and k != "nodes",
                                   prefixed=several, show_labels=bool(ctx.values.get("show-labels")),
                                   headers=not ctx.values.get("no-headers")))
        out.write("\n".join(tables))
    if not total and not missing and output not in ("json", "yaml"):
        out.error(f"No resources found{_where(namespace)}.", code=0)
    for err in missing:
        out.error(f"Error from server (NotFound): {err.message}")


def describe_workloads(ctx, kind: str, names: list[str]) -> None:
    sim, now = ctx.sim, ctx.now
    kinds = [k for k in expand_kinds(kind) if k != "imagestreams" or kind == "imagestreams"]
    targets = []
    for k in kinds:
        if names:
            for name in names:
                obj = find(sim, k, ctx.namespace, name)
                if obj is None:
                    if len(kinds) == 1:
                        raise not_found(k, name)
                    continue
                targets.append((k, obj))
        else:
            targets += [(k, o) for o in objects(sim, k, ctx.namespace)]
    selector = _selector(ctx)
    if selector is not None:
        targets = [(k, o) for k, o in targets if selector.matches(labels_of(sim, k, o))]
    if not targets:
        if names:
            raise not_found(kinds[0], names[0])
        ctx.out.error(f"No resources found in {ctx.namespace} namespace.", code=0)
        return
    global _DESCRIBING
    _DESCRIBING = {}
    try:
        texts = [DESCRIBERS[k](sim, o, now) for k, o in targets]
    finally:
        _DESCRIBING = None
    ctx.out.write("\n\n".join(t.rstrip("\n") + "\n" for t in texts))


def delete_workloads(ctx, kind: str, names: list[str]) -> None:
    """``oc delete pod/x``, ``dc/x``, ``deploy/x``, ``rc/x``, ``rs/x``, ``svc/x``, ``all --all``,
    ``all -l k=v``; pods go Terminating and their RC/RS creates a replacement."""
    from ..errors import OcUsageError

    sim, out = ctx.sim, ctx.out
    cluster = sim.cluster
    delete_all = bool(ctx.values.get("all"))
    selector = _selector(ctx)
    kinds = expand_kinds(kind)
    if names and (delete_all or selector is not None):
        raise OcUsageError("name cannot be provided when a selector is specified" if selector is not None else
                           "names cannot be provided when --all is specified")
    if not names and not delete_all and selector is None:
        raise OcUsageError("resource(s) were provided, but no name was specified")
    targets: list[tuple[str, object]] = []
    for k in kinds:
        if names:
            for name in names:
                obj = find(sim, k, ctx.namespace, name)
                if obj is None:
                    if len(kinds) > 1:
                        continue
                    raise not_found(k, name)
                targets.append((k, obj))
        else:
            items = objects(sim, k, ctx.namespace)
            if selector is not None:
                items = [o for o in items if selector.matches(labels_of(sim, k, o))]
            targets += [(k, o) for o in items]
    if not targets:
        if names:
            raise not_found(kinds[0], names[0])
        out.error(f"No resources found{_where(ctx.namespace)}.", code=0)
        return
    if any(k == "nodes" for k, _ in targets):
        from .flags import OcError

        raise OcError("imagesim does not delete nodes: the cluster keeps its three workers (oc adm cordon, "
                      "oc adm drain and oc adm uncordon take one out of service and back)")
    grace = ctx.values.get("grace-period")
    force = bool(ctx.values.get("force"))
    if grace is not None and grace < 0:
        grace = None
    if force and grace is None:
        grace = 0
    if force and grace == 0:
        out.error("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                  "terminated. The resource may continue to run on the cluster indefinitely.", code=0)
    doomed = {id(o) for _, o in targets}
    for k, obj in targets:
        name = obj.name
        if k == "pods":
            cluster.delete_pod(obj, grace=30 if grace is None else grace)
            rs = cluster.replicasets.get((obj.namespace, obj.owner))
            w = cluster.workloads.get(("DeploymentConfig" if obj.owner_kind == "ReplicationController" else
                                       "Deployment", obj.namespace, obj.workload))
            if rs is not None and not obj.deployer and id(rs) not in doomed and (w is None or id(w) not in doomed):
                cluster.scale_rs(rs, rs.replicas)  # the RC/RS controller replaces the pod
        elif k in ("replicationcontrollers", "replicasets"):
            _delete_deployer(cluster, obj)
            cluster.delete_rs(obj)
        elif k == "services":
            cluster.services.pop((obj.namespace, obj.name), None)
        elif k in ("deploymentconfigs", "deployments"):
            if obj.key in cluster.workloads:
                for rs in cluster.owned(obj):
                    _delete_deployer(cluster, rs)
                cluster.delete(obj)
        elif k == "imagestreams":
            sim.server.delete(obj.namespace, obj.name)
        # endpoints: the endpoints controller makes them again at once (nothing changes)
        word = "force deleted" if force and grace == 0 else "deleted"
        out.print(f'{KINDS[k][1]} "{name}" {word}')


def _delete_deployer(cluster, rs: ReplicaSet) -> None:
    """The garbage collector removes a deleted RC's deployer pod too (it is owned by the RC)."""
    deployer = cluster.pods.get((rs.namespace, f"{rs.name}-deploy"))
    if deployer is not None and deployer.deployer:
        cluster.delete_pod(deployer, grace=0)


def cmd_logs(ctx, args: list[str]) -> None:
    """``oc logs POD|TYPE/NAME [-c CONTAINER] [-p] [--tail=N]``."""
    from ..errors import OcUsageError
    from .commands import resource

    sim, out, now = ctx.sim, ctx.out, ctx.now
    if not args:
        raise OcUsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a "
                           "required argument for the logs command")
    if len(args) > 2:
        raise OcUsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a "
                           "required argument for the logs command")
    sim.server.require_namespace(ctx.namespace)
    target = args[0]
    container = ctx.values.get("container") or (args[1] if len(args) == 2 else None)
    kind, sep, name = target.partition("/")
    kind = resource(kind) if sep else "pods"
    if not sep:
        name = target
    if not name:
        raise OcUsageError("arguments in resource/name form must have a single resource and name")
    notice = ""
    if kind == "pods":
        pod = sim.cluster.pods.get((ctx.namespace, name))
        if pod is None:
            raise not_found("pods", name)
    elif kind == "deploymentconfigs":
        w = find(sim, kind, ctx.namespace, name)
        if w is None:
            raise not_found(kind, name)
        latest = next((rs for rs in sim.cluster.owned(w) if rs.revision == w.revision), None)
        if latest is None:
            from .flags import OcError

            raise OcError(f'deploymentconfig "{name}" has no deployments yet')
        pod = sim.cluster.pods.get((ctx.namespace, f"{latest.name}-deploy")) or \
            pick_pod(sim, sim.cluster.pods_of(latest), now)
        if pod is None:
            from .flags import OcError

            raise OcError(f'no pods found for replication controller "{latest.name}"')
    elif kind in ("deployments", "replicationcontrollers", "replicasets"):
        obj = find(sim, kind, ctx.namespace, name)
        if obj is None:
            raise not_found(kind, name)
        rss = sim.cluster.owned(obj) if kind == "deployments" else [obj]
        pods = [p for rs in rss for p in sim.cluster.pods_of(rs)]
        pod = pick_pod(sim, pods, now)
        if pod is None:
            from .flags import OcError

            raise OcError(f"timed out waiting for the condition: no pods found for {KINDS[kind][1]}/{name}")
        live = [p for p in pods if not (0 <= p.deleted <= now)]
        if len(live) > 1:
            notice = f"Found {len(live)} pods, using pod/{pod.name}\n"
    else:
        raise OcUsageError(f"cannot get the logs from {KINDS.get(kind, (kind, kind))[1] if kind in KINDS else kind}")
    text, default_notice = pod_logs(sim, pod, container, now, previous=bool(ctx.values.get("previous")))
    tail = ctx.values.get("tail")
    if tail is not None and tail >= 0:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[len(lines) - tail:]) if tail else ""
    for message in (notice, default_notice):
        if message:
            out.error(message, code=0)
    out.write(text)


def cmd_scale(ctx, args: list[str]) -> None:
    """``oc scale dc/NAME --replicas=N`` (also deploy, rc, rs)."""
    from ..errors import OcUsageError
    from ..workload_manifests import scale_workload
    from .commands import split_targets
    from .flags import OcError

    sim, out = ctx.sim, ctx.out
    if "replicas" not in ctx.values:
        raise OcError('required flag(s) "replicas" not set')
    replicas = ctx.values["replicas"]
    if replicas < 0:
        raise OcError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if replicas > MAX_REPLICAS:
        raise OcError(f"imagesim simulates at most {MAX_REPLICAS} replicas per workload, not {replicas}")
    kind, names = split_targets(args)
    if kind not in ("deploymentconfigs", "deployments", "replicationcontrollers", "replicasets"):
        raise OcUsageError(f'cannot scale {kind}: only deploymentconfigs, deployments, replicationcontrollers and '
                           "replicasets can be scaled")
    if not names:
        raise OcUsageError("resource(s) were provided, but no name was specified")
    sim.server.require_namespace(ctx.namespace)
    targets = []
    for name in names:
        obj = find(sim, kind, ctx.namespace, name)
        if obj is None:
            raise not_found(kind, name)
        targets.append(obj)
    current = ctx.values.get("current-replicas")
    if current is not None and current >= 0:
        for obj in targets:
            if obj.replicas != current:
                raise OcError(f"Expected replicas to be {current}, was {obj.replicas}")
    for obj in targets:
        if kind in ("deploymentconfigs", "deployments"):
            scale_workload(sim, obj, replicas)
        else:
            sim.cluster.scale_rs(obj, replicas)
        out.print(f"{KINDS[kind][1]}/{obj.name} scaled")
