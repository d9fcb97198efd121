"""What users do to rollouts, and what the controllers do in answer.

These functions are the server and controller side of ``oc rollout latest|undo|pause|resume|
cancel|retry|status|history``, ``oc rollback``, ``oc set triggers`` and ``oc set image-lookup``
(openshift-semantics.md §4.2, §7), plus node cordons and drains (``oc adm``), and the scheduler's
binding of Pending pods when a node is uncordoned. Each one checks everything before it changes
anything, so a refused request leaves the simulation as it was. They raise
:class:`RolloutError` (printed by ``oc`` as ``error: …``) or the API errors of
:mod:`imagesim.errors`.

Rules taken from the real code, beyond the spec's text:

- ``oc rollback`` / ``oc rollout undo dc/X`` copy the target RC's pod template, bump
  ``latestVersion`` and set every ImageChange trigger to ``automatic: false``. The new RC's
  history cause is the DC's previous ``status.details`` message (the rollback does not write a
  new one), e.g. ``image change`` (derived).
- ``oc rollout undo dc/X`` asks the server for ``latestVersion-1`` (or ``--to-revision``);
  ``oc rollback X`` takes the newest *complete* RC older than ``latestVersion``.
- ``oc set triggers`` on a DC rewrites the trigger list; a rewritten ImageChange trigger loses
  its ``lastTriggeredImage`` (oc's ``mergeDeployTriggers`` keeps only identical entries), so
  automatic triggers are resolved again at once and roll forward when the tag moved.
- On a Deployment, the ``config`` trigger is ``!spec.paused``: ``--manual``, ``--remove-all``
  and ``--from-config --remove`` pause it, ``--auto`` unpauses it.
- When a DC rollout fails or is cancelled, the last complete RC gets the replicas back
  (the DC controller's ``reconcileDeployments``).
- ``oc rollout retry`` clears the RC's status reason, so the history shows ``<unknown>``.

Time does not pass inside these functions: ``sim.advance("5m")`` is how a rollout makes
progress, and ``oc rollout status`` reports where it stands at the current simulated time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cluster import RESOLVE_NAMES, TRIGGERS_ANNOTATION, parse_annotation_triggers
from .errors import ImageSimError, Invalid
from .workloads import ImageChangeTrigger, Pod, ReplicaSet, Workload

if TYPE_CHECKING:
    from .imagestream import ImageStream
    from .simulation import Simulation

__all__ = [
    "CANCELLED_BY_USER",
    "RolloutError",
    "TriggerDefinition",
    "TriggerSpec",
    "cancel",
    "cordon",
    "delete_pod",
    "drain",
    "drain_pods",
    "history_rows",
    "live_pods",
    "pause",
    "plural",
    "resume",
    "retry",
    "rollback",
    "rollback_target",
    "rollout_latest",
    "rollout_status",
    "schedule_pending",
    "set_image_lookup",
    "set_triggers",
    "sync_dc",
    "trigger_definition",
    "uncordon",
    "undo",
    "update_definition",
]

ACTIVE = ("New", "Pending", "Running")
CANCELLED_BY_USER = "cancelled by the user"
NEWER_EXISTS = "newer deployment was found running"


class RolloutError(ImageSimError, ValueError):
    """A request ``oc`` refuses with ``error: <message>`` (the command's own error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plural(w: Workload) -> str:
    """``deploymentconfigs.apps.openshift.io`` / ``deployments.apps``."""
    return "deploymentconfigs.apps.openshift.io" if w.is_dc else "deployments.apps"


def live_pods(sim: Simulation, rs: ReplicaSet) -> list[Pod]:
    return [p for p in sim.cluster.pods_of(rs) if p.deleted < 0 and not p.deployer]


# -------------------------------------------------------------------------------------------
# the DeploymentConfig controller (triggerActivated) and the deployer

def sync_dc(sim: Simulation, w: Workload) -> ReplicaSet | None:
    """Start the rollout a DC update calls for: the first one once every image trigger has an
    image, later ones when a template image is not in the latest RC (``image change``) or, with
    a ConfigChange trigger, when the template differs (``config change``)."""
    cluster = sim.cluster
    if not w.is_dc or w.paused or (not w.triggers and not w.config_change):
        return None
    latest = cluster.latest_rs(w)
    if latest is None:
        if all(t.last_triggered_image for t in w.triggers):
            return cluster.rollout(w, "config change")
        return None
    if latest.phase in ACTIVE:
        return None
    if w.triggers and set(w.template.images()) - set(latest.template.images()):
        return cluster.rollout(w, "image change")
    if w.config_change and w.template.signature() != latest.template.signature():
        return cluster.rollout(w, "config change")
    return None


def _fail_rc(sim: Simulation, w: Workload, rs: ReplicaSet, cause: str) -> None:
    """The deployer gives up on ``rs``: Failed, scaled to 0, the last complete RC scaled back."""
    cluster = sim.cluster
    rs.phase = "Failed"
    rs.cause = cause
    cluster.scale_rs(rs, 0)
    cluster._finish_deployer(rs, failed=True)
    if rs is cluster.latest_rs(w):
        if cause == CANCELLED_BY_USER:
            w.set_condition("Progressing", "False", "RolloutCancelled",
                            f'rollout of replication controller "{rs.name}" was cancelled', sim.clock.now)
        cluster.reconcile_active(w)
    sim.log.append(sim.clock.now, "rollout-failed", f"{w.namespace}/{w.name}", namespace=w.namespace,
                   message=f"{rs.name}: {cause}", warning=True)


def _new_rollout(sim: Simulation, w: Workload, cause: str) -> ReplicaSet:
    """A DC rollout asked for by a user (rollback, latest): running ones are superseded."""
    for rs in sim.cluster.owned(w):
        if rs.phase in ACTIVE:
            _fail_rc(sim, w, rs, NEWER_EXISTS)
    return sim.cluster.rollout(w, cause)


# -------------------------------------------------------------------------------------------
# oc rollout latest (§7.2)

def rollout_latest(sim: Simulation, w: Workload) -> ReplicaSet:
    """Resolve every image trigger, automatic or not, and start a ``manual change`` rollout."""
    cluster = sim.cluster
    if not w.is_dc:
        raise RolloutError(f"{w.name} is not a deployment config")
    if w.paused:
        raise RolloutError("cannot deploy a paused deployment config")
    latest = cluster.latest_rs(w)
    if latest is not None and latest.phase in ACTIVE:
        raise RolloutError(f"#{latest.revision} is already in progress ({latest.phase}).")
    resolved = [(t, cluster.resolve_trigger(w, t)) for t in w.triggers]
    if any(ref is None and not t.last_triggered_image for t, ref in resolved):
        raise Invalid(f'Error from server (BadRequest): cannot trigger a deployment for "{w.name}" because '
                      "it contains unresolved images", reason="BadRequest")
    template = w.template.copy()
    for t, ref in resolved:
        if ref is None:
            continue
        t.last_triggered_image = ref
        for container in template.all_containers():
            if container.name in t.container_names:
                container.image = ref
    if template.signature() != w.template.signature():
        w.template = template
    w.generation += 1
    return _new_rollout(sim, w, "manual change")


# -------------------------------------------------------------------------------------------
# rollback (§7.5)

def _rollback_invalid(w: Workload, reason: str) -> Invalid:
    return Invalid(f'The DeploymentConfigRollback "{w.name}" is invalid: name: Invalid value: "{w.name}": {reason}')


def rollback_target(sim: Simulation, w: Workload, revision: int = 0, *, complete: bool = False) -> ReplicaSet:
    """The RC a rollback copies its template from.

    ``revision`` > 0 names it. Otherwise ``complete=True`` (``oc rollback``) takes the newest
    complete RC older than ``latestVersion``; ``complete=False`` (``oc rollout undo``) asks the
    server for ``latestVersion - 1``. The server's checks come first either way.
    """
    if not w.is_dc:
        raise RolloutError(f"{w.name} is not a deployment config")
    if complete and revision <= 0:
        target = next((rs for rs in reversed(sim.cluster.owned(w))
                       if rs.revision < w.revision and rs.phase == "Complete"), None)
        if target is None:
            raise RolloutError("couldn't find deployment for rollback")
    if w.revision == 0:
        raise _rollback_invalid(w, "cannot rollback an undeployed config")
    if w.revision == 1:
        raise _rollback_invalid(w, f'no previous deployment exists for "{w.namespace}/{w.name}"')
    if revision == w.revision:
        raise _rollback_invalid(w, f"version {revision} is already the latest")
    if complete and revision <= 0:
        return target
    number = revision if revision > 0 else w.revision - 1
    name = f"{w.name}-{number}"
    rs = sim.cluster.replicasets.get((w.namespace, name))
    if rs is None or rs.owner != w.name or rs.kind != "ReplicationController":
        if complete:
            raise RolloutError("couldn't find deployment for rollback")
        raise _rollback_invalid(w, f'replicationcontrollers "{name}" not found')
    return rs


def rollback(sim: Simulation, w: Workload, target: ReplicaSet) -> tuple[ReplicaSet, list[str]]:
    """Roll ``w`` back to ``target``'s pod template. Returns the new RC and the image stream
    tags of the triggers now disabled (every ImageChange trigger)."""
    if w.paused:
        raise RolloutError("cannot rollback a paused deployment config")
    w.template = target.template.copy()
    w.generation += 1
    disabled = []
    for t in w.triggers:
        t.automatic = False
        disabled.append(t.from_name)
    cause = w.history[-1][1] if w.history else ""
    sim.log.append(sim.clock.now, "rollback", f"{w.namespace}/{w.name}", namespace=w.namespace,
                   message=f"{w.kind} {w.name} rolled back to {target.name}")
    return _new_rollout(sim, w, cause), disabled


def undo(sim: Simulation, w: Workload, to_revision: int = 0) -> str:
    """``oc rollout undo``: returns what ``oc`` prints after the object name."""
    if w.is_dc:
        if w.paused:
            raise RolloutError(f"cannot rollback a paused config; resume it first with 'rollout resume "
                               f"dc/{w.name}' and try again")
        target = rollback_target(sim, w, to_revision)
        rollback(sim, w, target)
        return "rolled back"
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    if w.paused:
        raise RolloutError(f"you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
                           f"resume deployment/{w.name}' and try again")
    owned = sim.cluster.owned(w)
    if to_revision == 0:
        if len(owned) <= 1:
            raise RolloutError(f'no rollout history found for deployment "{w.name}"')
        to_revision = owned[-2].revision
    target = next((rs for rs in owned if rs.revision == to_revision), None)
    if target is None:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    if target.template.signature() == w.template.signature():
        return f"skipped rollback (current template already matches revision {to_revision})"
    sim.log.append(sim.clock.now, "rollback", f"{w.namespace}/{w.name}", namespace=w.namespace,
                   message=f"{w.kind} {w.name} rolled back to revision {to_revision} ({target.name})")
    sim.cluster.update_template(w, target.template.copy(), "")
    return "rolled back"


# -------------------------------------------------------------------------------------------
# pause / resume / cancel / retry

def pause(sim: Simulation, w: Workload) -> None:
    if w.paused:
        raise RolloutError(f'{plural(w)} "{w.name}" is already paused')
    w.paused = True
    w.generation += 1
    w.set_condition("Progressing", "Unknown", "DeploymentConfigPaused" if w.is_dc else "DeploymentPaused",
                    "Deployment config is paused" if w.is_dc else "Deployment is paused", sim.clock.now)


def resume(sim: Simulation, w: Workload) -> ReplicaSet | None:
    if not w.paused:
        raise RolloutError(f'{plural(w)} "{w.name}" is not paused')
    w.paused = False
    w.generation += 1
    return _sync(sim, w)


def _sync(sim: Simulation, w: Workload) -> ReplicaSet | None:
    """Roll out whatever an unpaused workload's spec asks for now."""
    if w.is_dc:
        return sync_dc(sim, w)
    if w.paused:
        return None
    latest = sim.cluster.latest_rs(w)
    if latest is None or latest.template.signature() != w.template.signature():
        return sim.cluster.rollout(w, "")
    return None


def cancel(sim: Simulation, w: Workload) -> tuple[list[ReplicaSet], list[str]]:
    """Cancel the DC's running rollouts. Returns (cancelled RCs, errors to print afterwards)."""
    if not w.is_dc:
        raise RolloutError("expected deployment configuration, got deployments")
    owned = sim.cluster.owned(w)
    if not owned:
        raise RolloutError(f"there have been no replication controllers for {w.namespace}/{w.name}\n")
    errors = [f"unable to cancel paused deployment {w.namespace}/{w.name}"] if w.paused else []
    cancelled = []
    for rs in reversed(owned):
        if rs.phase in ACTIVE:
            _fail_rc(sim, w, rs, CANCELLED_BY_USER)
            cancelled.append(rs)
    return cancelled, errors


def retry(sim: Simulation, w: Workload) -> ReplicaSet:
    """Run the latest failed rollout of a DC again (same RC, new deployer, new deadline)."""
    cluster = sim.cluster
    if not w.is_dc:
        raise RolloutError("expected deployment configuration, got *v1.Deployment")
    if w.paused:
        raise RolloutError(f'unable to retry paused deployment config "{w.name}"')
    if w.revision == 0:
        raise RolloutError(f'no rollouts found for "{w.name}"')
    rs = cluster.replicasets.get((w.namespace, f"{w.name}-{w.revision}"))
    if rs is None:
        raise RolloutError(f"unable to find the latest rollout (#{w.revision}).\n"
                           f"You can start a new rollout with 'oc rollout latest dc/{w.name}'.")
    if rs.phase != "Failed":
        message = f"rollout #{w.revision} is {rs.phase.lower()}; only failed deployments can be retried.\n"
        if rs.phase == "Complete":
            message += f"You can start a new deployment with 'oc rollout latest dc/{w.name}'."
        else:
            message += f"Optionally, you can cancel this deployment with 'oc rollout cancel dc/{w.name}'."
        raise RolloutError(message)
    now = sim.clock.now
    deployer_key = (rs.namespace, f"{rs.name}-deploy")
    cluster.pods.pop(deployer_key, None)
    cluster.pods[deployer_key] = Pod(rs.namespace, f"{rs.name}-deploy", rs.name, "ReplicationController", w.name,
                                     cluster.kubelet.place(), now,
                                     {"openshift.io/deployer-pod-for.name": rs.name}, [], deployer=True,
                                     uid=cluster._uid("pod", rs.namespace, rs.name, "deploy", now),
                                     order=cluster.pod_order())
    rs.phase, rs.cause, rs.started, rs.deadline = "Pending", "", now, now + w.timeout
    w.set_condition("Progressing", "True", "NewReplicationControllerCreated",
                    f'replication controller "{rs.name}" is progressing', now)
    sim.log.append(now, "rollout", f"{w.namespace}/{w.name}", namespace=w.namespace,
                   message=f"{w.kind} {w.name} revision {rs.revision} ({rs.name}): retried")
    old = [o for o in cluster.owned(w) if o is not rs and o.replicas > 0]
    if w.strategy == "Recreate" and old:
        for o in old:
            cluster.scale_rs(o, 0)
        sim.clock.schedule(now + 30, cluster._scale_new, rs, w.replicas, priority=50)
    else:
        cluster.scale_rs(rs, w.replicas)
    sim.clock.schedule(rs.deadline, cluster.evaluate, rs, priority=50)
    sim.clock.schedule(now, cluster.evaluate, rs, priority=50)
    return rs


# -------------------------------------------------------------------------------------------
# rollout status and history

def rollout_status(sim: Simulation, w: Workload) -> tuple[str, bool, str]:
    """(message, done, error) as ``oc rollout status`` computes them from the current state."""
    cluster = sim.cluster
    owned = cluster.owned(w)
    latest = owned[-1] if owned else None
    now = sim.clock.now
    updated = len(live_pods(sim, latest)) if latest is not None else 0
    total = sum(len(live_pods(sim, rs)) for rs in owned)
    available = sum(1 for rs in owned for p in live_pods(sim, rs) if p.ready(now))
    if w.is_dc:
        if w.revision == 0:
            if w.triggers:
                return f'Deployment config "{w.name}" waiting on image update', False, ""
            if not w.config_change:
                return "", True, (f'Deployment config "{w.name}" waiting on manual update '
                                  f"(use 'oc rollout latest {w.name}')")
        if w.paused:
            return "", True, (f'Deployment config "{w.name}" is paused. Resume to continue watching the status '
                              "of the rollout.\n")
        if latest is not None and latest.phase == "Complete":
            return f'replication controller "{latest.name}" successfully rolled out', True, ""
        if latest is not None and latest.phase == "Failed":
            if latest.cause == CANCELLED_BY_USER:
                return "", True, f'rollout of replication controller "{latest.name}" was cancelled'
            return "", True, f'replication controller "{latest.name}" has failed progressing'
        prefix = "Waiting for rollout to finish: "
        if updated < w.replicas:
            return f"{prefix}{updated} out of {w.replicas} new replicas have been updated...", False, ""
        if total > updated:
            return f"{prefix}{total - updated} old replicas are pending termination...", False, ""
        if available < updated:
            return f"{prefix}{available} of {updated} updated replicas are available...", False, ""
        return "Waiting for latest deployment config spec to be observed by the controller loop...", False, ""
    if latest is not None and latest.phase == "Stalled":
        return "", True, f'deployment "{w.name}" exceeded its progress deadline'
    prefix = f'Waiting for deployment "{w.name}" rollout to finish: '
    if latest is not None and latest.template.signature() != w.template.signature():
        updated = 0
    if updated < w.replicas:
        return f"{prefix}{updated} out of {w.replicas} new replicas have been updated...", False, ""
    if total > updated:
        return f"{prefix}{total - updated} old replicas are pending termination...", False, ""
    if available < updated:
        return f"{prefix}{available} of {updated} updated replicas are available...", False, ""
    return f'deployment "{w.name}" successfully rolled out', True, ""


def history_rows(sim: Simulation, w: Workload) -> list[tuple[int, str, str]]:
    """(revision, status, cause) per RC/RS, oldest first (status is empty for ReplicaSets)."""
    rows = []
    for rs in sim.cluster.owned(w):
        status = "" if not w.is_dc else ("Complete" if rs.phase == "Complete" else rs.phase)
        rows.append((rs.revision, status, rs.cause))
    return rows


# -------------------------------------------------------------------------------------------
# oc set triggers (§7.4)

@dataclass
class TriggerSpec:
    """One image trigger as ``oc set triggers`` sees it (oc's ``ImageChangeTrigger``)."""

    from_name: str
    namespace: str = ""
    names: list[str] = field(default_factory=list)
    auto: bool = True


@dataclass
class TriggerDefinition:
    """The triggers of a workload as ``oc set triggers`` sees them (oc's ``TriggerDefinition``)."""

    config_change: bool = False
    images: list[TriggerSpec] = field(default_factory=list)


def _ns(namespace: str, default: str) -> str:
    return "" if namespace == default else namespace


def trigger_definition(w: Workload) -> TriggerDefinition:
    if w.is_dc:
        return TriggerDefinition(w.config_change, [TriggerSpec(t.from_name, _ns(t.from_namespace, w.namespace),
                                                               list(t.container_names), t.automatic)
                                                   for t in w.triggers])
    images = []
    for t in w.triggers:
        containers = [c for c in w.template.all_containers() if _matches(w, c, t)]
        if containers:
            images.append(TriggerSpec(t.from_name, _ns(t.from_namespace, w.namespace), [containers[0].name],
                                      not t.paused))
    return TriggerDefinition(not w.paused, images)


def _matches(w: Workload, container, t: ImageChangeTrigger) -> bool:
    from .cluster import _path_matches

    return _path_matches(w.template, container, t.field_path)


def update_definition(d: TriggerDefinition, *, from_image: str = "", from_namespace: str = "",
                      containers: list[str] | None = None, from_config: bool = False, auto: bool = False,
                      manual: bool = False, remove: bool = False, remove_all: bool = False) -> None:
    """oc's ``updateTriggers``: change only what the flags name."""
    if remove_all:
        d.config_change, d.images = False, []
        return
    if remove:
        if from_config:
            d.config_change = False
        if from_image:
            d.images = [t for t in d.images if t.from_name != from_image]
        return
    if not from_config and not from_image:  # --auto / --manual on everything
        d.config_change = auto
        for t in d.images:
            t.auto = auto
        return
    if from_config:
        d.config_change = True
    if from_image:
        for t in d.images:
            if t.from_name == from_image and t.namespace == from_namespace:
                t.auto, t.names = not manual, list(containers or [])
                break
        else:
            d.images.append(TriggerSpec(from_image, from_namespace, list(containers or []), not manual))


def _container_names(w: Workload) -> set[str]:
    return {c.name for c in w.template.all_containers()}


def _check_names(w: Workload, d: TriggerDefinition) -> None:
    names = _container_names(w)
    seen: set[str] = set()
    for t in d.images:
        if not t.names:
            raise RolloutError("you must specify --containers when setting --from-image")
        missing = sorted(set(t.names) - names)
        if missing:
            raise RolloutError(f"not all container names exist: {', '.join(missing)} "
                               f"(accepts: {', '.join(sorted(names))})")
        if not w.is_dc:
            overlap = sorted(seen & set(t.names))
            if overlap:
                raise RolloutError(f"only one trigger may reference each container: {', '.join(overlap)}")
            seen.update(t.names)


def _dc_signature(w: Workload) -> tuple:
    return (w.config_change, tuple((t.from_name, t.from_namespace, tuple(t.container_names), t.automatic,
                                    t.last_triggered_image) for t in w.triggers))


def set_triggers(sim: Simulation, w: Workload, d: TriggerDefinition) -> bool:
    """Write ``d`` back onto ``w`` (oc's ``TriggerDefinition.Apply``), then let the trigger and
    rollout controllers react. Returns False when nothing changed (``oc`` then prints nothing)."""
    _check_names(w, d)
    cluster = sim.cluster
    old_keys = [cluster._trigger_key(w, t) for t in w.triggers]
    if w.is_dc:
        before = _dc_signature(w)
        wanted = [ImageChangeTrigger(t.from_name, t.namespace, list(t.names), t.auto) for t in d.images]
        kept = []
        for new in wanted:  # identical entries survive with their lastTriggeredImage; others are new
            same = next((t for t in w.triggers if (t.from_name, t.from_namespace, t.container_names, t.automatic,
                                                   t.last_triggered_image) ==
                         (new.from_name, new.from_namespace, new.container_names, new.automatic, "")), None)
            kept.append(same or new)
        w.triggers, w.config_change = kept, d.config_change
        if _dc_signature(w) == before:
            return False
    else:
        entries = []
        for t in d.images:
            namespace = "" if t.namespace in ("", w.namespace) else t.namespace
            for name in t.names:
                path = f'spec.template.spec.containers[?(@.name=="{name}")].image'
                entries.append(ImageChangeTrigger(t.from_name, namespace, field_path=path, paused=not t.auto))
        text = json.dumps([_annotation_entry(e) for e in entries], separators=(",", ":"))
        if w.annotations.get(TRIGGERS_ANNOTATION) == text and w.paused == (not d.config_change):
            return False
        previous = w.annotations.get(TRIGGERS_ANNOTATION)
        w.annotations[TRIGGERS_ANNOTATION] = text
        try:
            triggers = parse_annotation_triggers(w)
        except Invalid:
            if previous is None:
                del w.annotations[TRIGGERS_ANNOTATION]
            else:
                w.annotations[TRIGGERS_ANNOTATION] = previous
            raise
        w.triggers = triggers
        w.paused = not d.config_change
    w.generation += 1
    for key in old_keys:
        cluster.watchers.get(key, {}).pop(w.key, None)
    cluster._watch(w)
    sim.log.append(sim.clock.now, "triggers-updated", f"{w.namespace}/{w.name}", namespace=w.namespace,
                   message=w.kind)
    cluster.apply_triggers(w)
    _sync(sim, w)
    return True


def _annotation_entry(t: ImageChangeTrigger) -> dict:
    source = {"kind": "ImageStreamTag", "name": t.from_name}
    if t.from_namespace:
        source["namespace"] = t.from_namespace
    entry: dict = {"from": source, "fieldPath": t.field_path}
    if t.paused:
        entry["paused"] = True
    return entry


# -------------------------------------------------------------------------------------------
# oc set image-lookup (§4.2)

def set_image_lookup(sim: Simulation, target: ImageStream | Workload, enabled: bool) -> bool:
    """Turn local lookup on or off for a stream (``lookupPolicy.local``) or a workload (the
    ``resolve-names`` annotation on its pod template). Returns False when nothing changed."""
    if isinstance(target, Workload):
        w = target
        template = w.template.copy()
        if enabled:
            template.annotations[RESOLVE_NAMES] = "*"
        else:
            template.annotations.pop(RESOLVE_NAMES, None)
        if template.annotations == w.template.annotations:
            return False
        sim.cluster.update_template(w, template, "config change" if w.is_dc else "")
        return True
    stream = target
    if stream.lookup_local == enabled:
        return False
    sim.server.update(stream, sim.server.copy_spec(stream), lookup_local=enabled)
    return True


# -------------------------------------------------------------------------------------------
# pods and nodes

def delete_pod(sim: Simulation, pod: Pod) -> Pod | None:
    """Delete a pod the way ``oc delete pod`` does: its RC/RS makes a replacement at once.
    Returns the replacement (None when the owner no longer wants the pod)."""
    cluster = sim.cluster
    cluster.delete_pod(pod)
    rs = cluster.replicasets.get((pod.namespace, pod.owner))
    if rs is None or pod.deployer or len(live_pods(sim, rs)) >= rs.replicas:
        return None
    return cluster.create_pod(rs)


def _node(sim: Simulation, node: str) -> None:
    if node not in sim.cluster.kubelet.nodes:
        from .errors import NotFound

        raise NotFound(f'nodes "{node}" not found')


def drain_pods(sim: Simulation, node: str) -> list[Pod]:
    """The pods a drain of ``node`` evicts (its running pods; deployer pods finish on their own)."""
    _node(sim, node)
    return [p for p in sorted(sim.cluster.pods.values(), key=lambda p: (p.namespace, p.name))
            if p.node == node and p.deleted < 0 and not p.deployer]


def drain(sim: Simulation, node: str) -> list[tuple[Pod, Pod | None]]:
    """``oc adm drain``: cordon ``node`` and evict its pods; their RCs/RSs recreate them on the
    other nodes (which pull the image again unless their cache has it). A standalone pod is
    deleted for good (``oc adm drain`` asks for ``--force`` first). When every node is cordoned,
    the replacements stay Pending until a node is uncordoned."""
    evicted = drain_pods(sim, node)
    sim.cluster.kubelet.cordon(node)
    sim.log.append(sim.clock.now, "node-drained", node, warning=True)
    return [(pod, delete_pod(sim, pod)) for pod in evicted]


def cordon(sim: Simulation, node: str) -> bool:
    """``oc adm cordon``: no new pods on ``node``. False when it already was cordoned."""
    _node(sim, node)
    if node in sim.cluster.kubelet.cordoned:
        return False
    sim.cluster.kubelet.cordon(node)
    sim.log.append(sim.clock.now, "node-cordoned", node)
    return True


def uncordon(sim: Simulation, node: str) -> bool:
    """``oc adm uncordon``: ``node`` takes pods again, starting with the Pending ones. False when
    it was not cordoned."""
    _node(sim, node)
    if node not in sim.cluster.kubelet.cordoned:
        return False
    sim.cluster.kubelet.uncordon(node)
    sim.log.append(sim.clock.now, "node-uncordoned", node)
    schedule_pending(sim)
    return True


def schedule_pending(sim: Simulation) -> list[Pod]:
    """The scheduler: bind the pods that wait for a node (every node was cordoned when they were
    created), oldest first, to the schedulable nodes; the kubelet then starts them."""
    cluster = sim.cluster
    waiting = sorted((p for p in cluster.pods.values() if not p.node and p.deleted < 0),
                     key=lambda p: (p.created, p.namespace, p.name))
    bound = []
    for pod in waiting:
        node = cluster.kubelet.place()
        if not node:
            break
        pod.node = node
        sim.log.append(sim.clock.now, "pod-scheduled", f"{pod.namespace}/{pod.name}", namespace=pod.namespace,
                       message=node)
        if not pod.deployer:
            cluster.kubelet.start(pod)
        bound.append(pod)
    return bound

