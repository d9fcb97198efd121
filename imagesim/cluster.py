"""The apps side of the cluster: workloads, their rollouts, their pods and services.

``Cluster`` stores DeploymentConfigs, Deployments, ReplicationControllers/ReplicaSets, pods and
services, and runs the controllers that act on them: admission (image lookup, §4.2), the
image trigger controller (§7.1-7.3), the rollout controllers of both kinds (Rolling and
Recreate), and scaling. Pod health comes from the kubelet (``nodes.py``). Everything a long
state costs is computed when asked, so a crash loop or an outage costs the same for a minute
and for a month.

A DeploymentConfig rollout that runs no pods (``replicas: 0``, nothing else under way) is kept
as the facts it is made of (``quiet.QuietRollout``): its revision, history, conditions and events
happen at once, and its ReplicationController and deployer pod are made, as :meth:`rollout` and
:meth:`evaluate` would have made them, when something first reads them (``replicasets``,
``pods``, ``owned``). Controllers that read no such object never pay for making it. The
followers of a stream tag that are all such DeploymentConfigs are rolled out together, a change
of the tag at a time (``quiet.Followers``); so are the followers that all run pods in step with
the tag (``pod_followers.PodFollowers``): their pods are placed, pulled and named as one by one,
and their objects made when something reads them.
"""

from __future__ import annotations

import hashlib
import json
from bisect import insort
from operator import attrgetter
from typing import TYPE_CHECKING

from .clock import collector_paused
from .errors import AlreadyExists, Invalid, NotFound
from .imagestream import resolve_reference
from .nodes import Kubelet
from .pod_followers import PodFollowers
from .quiet import CANCELLED, COMPLETE, IN_PROGRESS, PENDING, Change, Followers, QuietRollout, derive, history_entry
from .reference import split_istag
from .workloads import (
    NAME_ALPHABET,
    Container,
    ContainerRun,
    ImageChangeTrigger,
    Pod,
    PodTemplate,
    ReplicaSet,
    Service,
    Workload,
    default_pull_policy,
    template_hash,
)

if TYPE_CHECKING:
    from .imagestream import ImageStream
    from .simulation import Simulation

__all__ = ["Cluster", "TRIGGERS_ANNOTATION"]

TRIGGERS_ANNOTATION = "image.openshift.io/triggers"
RESOLVE_NAMES = "alpha.image.policy.openshift.io/resolve-names"
PRIORITY_TRIGGER = 40
PRIORITY_ROLLOUT = 50
GRACE = 30


class Cluster:
    #: Keep DeploymentConfig rollouts that run no pods as facts until their objects are asked
    #: for (False: make every RC and deployer pod at once; the same observable state).
    quiet_rollouts = True

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.kubelet = Kubelet(sim)
        self.workloads: dict[tuple[str, str, str], Workload] = {}
        # (namespace, name) -> RC/RS, and -> pod; read through ``replicasets`` and ``pods``. The RC
        # of a quiet rollout (``_quiet``) joins ``_rs`` when it is made; ``replicasets`` lists them
        # all in the order they were created (``ReplicaSet.order``, from ``_created``)
        self._rs: dict[tuple[str, str], ReplicaSet] = {}
        self._created = 0  # RCs/RSs created so far, quiet ones included
        self._unordered = False  # an RC of a quiet rollout was added after newer ones
        # (kind, namespace, owner) -> the RCs/RSs in ``replicasets`` it owns, by revision (and in
        # insertion order among equals): what ``owned`` returns
        self._owned: dict[tuple[str, str, str], list[ReplicaSet]] = {}
        self._pods: dict[tuple[str, str], Pod] = {}
        self._pod_count = 0  # pods created so far (``Pod.order``), those kept as facts included
        self._pods_unordered = False  # a pod kept as facts was made after newer ones
        # DeploymentConfig key -> its rollouts that run no pods, kept as facts (see ``QuietRollout``)
        self._quiet: dict[tuple[str, str, str], list[QuietRollout]] = {}
        # watched tag -> its followers rolled out together (see ``quiet.Followers``)
        self._followers: dict[tuple[str, str, str], Followers] = {}
        # quiet rollouts (or changes of followers) whose evaluation is queued
        self._quiet_batch: list[QuietRollout | Change] | None = None
        self._quiet_batch_seq = -1  # the clock's sequence number when the batch was last added to
        self.services: dict[tuple[str, str], Service] = {}
        self.watchers: dict[tuple[str, str, str], dict[tuple[str, str, str], None]] = {}
        self._trigger_keys: dict[tuple[str, str], tuple[str, str, str]] = {}  # (namespace, from) -> watched key
        self._names = sim.rng_for("pod-names")
        # changes of pod followers whose pods' names are still to be drawn, in order (see ``_suffix``)
        self._owed: list = []
        # a pod that no live RC of its name's prefix owns was ever kept (one made from a manifest,
        # or one a deleted RC left for its grace period): a pod name drawn later could be taken
        self._loose_pods = False
        # an RC or ReplicaSet not made by a DeploymentConfig's rollout was ever added: the name
        # of a DeploymentConfig's next RC could be taken
        self._foreign_rcs = False
        self.clock = sim.clock
        sim.server.listeners.append(self.stream_changed)

    @property
    def now(self) -> int:
        return self.clock.now

    @property
    def replicasets(self) -> dict[tuple[str, str], ReplicaSet]:
        """Every ReplicationController and ReplicaSet by (namespace, name)."""
        if self._quiet:
            self._materialize_all()
        if self._unordered:
            _by_order(self._rs)
            self._unordered = False
        return self._rs

    @property
    def pods(self) -> dict[tuple[str, str], Pod]:
        """Every pod, deployer pods included, by (namespace, name)."""
        if self._quiet:
            self._materialize_all()
        if self._pods_unordered:
            _by_order(self._pods)
            self._pods_unordered = False
        return self._pods

    def pod_order(self, count: int = 1) -> int:
        """Take the places of ``count`` new pods among the cluster's pods; return the first."""
        first = self._pod_count
        self._pod_count = first + count
        return first

    def _uid(self, *parts: object) -> str:
        return _uid_of("/".join(map(str, (self.sim.seed,) + parts)))

    def _suffix(self) -> str:
        """Five letters for a pod's name, drawn after the names owed (``_owe_names``)."""
        if self._owed:
            self._draw_owed()
        return self._draw_suffix()

    def _owe_names(self, change) -> None:
        """Draw the names of ``change``'s pods when first asked for (``change.names``), in
        this place among the draws: a name drawn later draws them first."""
        self._owed.append(change)

    def _draw_owed(self) -> None:
        owed, self._owed = self._owed, []
        for change in owed:
            change.draw_names(self._draw_suffix)

    def _draw_suffix(self) -> str:
        # five draws of ``random.choice(NAME_ALPHABET)``, the same numbers drawn the same way
        bits, size, width = self._names.getrandbits, _ALPHABET_SIZE, _ALPHABET_BITS
        chars = []
        for _ in range(5):
            r = bits(width)
            while r >= size:
                r = bits(width)
            chars.append(NAME_ALPHABET[r])
        return "".join(chars)

    # lookups -------------------------------------------------------------------------------
    def workload(self, kind: str, namespace: str, name: str) -> Workload:
        w = self.workloads.get((kind, namespace, name))
        if w is None:
            resource = "deploymentconfigs.apps.openshift.io" if kind == "DeploymentConfig" else "deployments.apps"
            raise NotFound(f'{resource} "{name}" not found')
        return w

    def list(self, kind: str, namespace: str | None) -> list:
        store = {"workload": self.workloads, "rs": self.replicasets, "pod": self.pods, "svc": self.services}[kind]
        items = [o for o in store.values() if namespace is None or o.namespace == namespace]
        return sorted(items, key=lambda o: (o.namespace, o.name))

    def owned(self, w: Workload) -> list[ReplicaSet]:
        if self._quiet:
            self._materialize(w.key)
        rss = self._owned.get((self._rs_kind(w), w.namespace, w.name))
        return list(rss) if rss else []

    def _add_rs(self, rs: ReplicaSet, order: int = -1) -> None:
        """Add ``rs`` (``order``: its place among the others when it was created earlier, as
        the RC of a quiet rollout)."""
        key = (rs.namespace, rs.name)
        old = self._rs.get(key)
        if old is not None and old is not rs:
            self._unindex_rs(old)
        if old is not None:
            rs.order = old.order  # (it takes the place of the one it replaces)
        elif order >= 0:
            rs.order = order
            self._unordered = True
        else:
            rs.order = self._created
            self._created += 1
        self._rs[key] = rs
        if not rs.owner or rs.kind != "ReplicationController":
            self._foreign_rcs = True
        if old is not rs:
            insort(self._owned.setdefault((rs.kind, rs.namespace, rs.owner), []), rs, key=_REVISION)

    def _unindex_rs(self, rs: ReplicaSet) -> None:
        owner = (rs.kind, rs.namespace, rs.owner)
        rss = self._owned.get(owner)
        if rss is not None and rs in rss:
            rss.remove(rs)
            if not rss:
                del self._owned[owner]

    @staticmethod
    def _rs_kind(w: Workload) -> str:
        return "ReplicationController" if w.is_dc else "ReplicaSet"

    def pods_of(self, rs: ReplicaSet) -> list[Pod]:
        pods = self._pods
        return [pods[(rs.namespace, name)] for name in rs.pods if (rs.namespace, name) in pods]

    def images_in_use(self) -> set[str]:
        if self._quiet:
            self._materialize_all()
        used = set()
        for pod in self._pods.values():
            for run in pod.containers:
                if run.image_id:
                    used.add(run.image_id)
        return used

    # admission: image lookup (§4.2) ------------------------------------------------------------
    def resolve_names(self, namespace: str, template, annotations: dict[str, str]) -> None:
        force = annotations.get(RESOLVE_NAMES) == "*" or template.annotations.get(RESOLVE_NAMES) == "*"
        for container in template.all_containers():
            resolved = self.lookup(namespace, container.image, force)
            if resolved:
                container.image = resolved

    def lookup(self, namespace: str, image: str, force: bool = False) -> str | None:
        if "/" in image or "@" in image:
            return None
        name, _, tag = image.partition(":")
        tag = tag or "latest"
        stream = self.sim.server.find(namespace, name)
        if stream is None or not (stream.lookup_local or force):
            return None
        head = stream.head(tag)
        if head is None or not head.image:
            return f"{stream.status_repository}:{tag}"
        return resolve_reference(stream, tag, head).split("@")[0] + "@" + head.image

    # workloads ---------------------------------------------------------------------------------
    def create(self, w: Workload) -> Workload:
        key, namespace, now = w.key, w.namespace, self.clock.now
        if key in self.workloads:
            resource = "deploymentconfigs.apps.openshift.io" if w.is_dc else "deployments.apps"
            raise AlreadyExists(f'{resource} "{w.name}" already exists')
        self.sim.server.require_namespace(namespace)
        if not w.template.containers:
            raise Invalid(f'The {w.kind} "{w.name}" is invalid: spec.template.spec.containers: Required value')
        w.uid = w.uid or _uid_of(f"{self.sim.seed}/{w.kind}/{namespace}/{w.name}/{now}")  # as self._uid(...) makes it
        w.created = now
        for container in w.template.all_containers():
            container.pull_policy = container.pull_policy or default_pull_policy(container.image)
        self.resolve_names(namespace, w.template, w.annotations)
        if not w.is_dc:
            w.triggers = parse_annotation_triggers(w)
        self.workloads[key] = w
        self._watch(w)
        self.sim.log.record(now, "workload-created", w.subject, namespace, message=w.kind)
        self.apply_triggers(w, initial=True)
        if w.is_dc:
            if (w.config_change or w.triggers) and all(t.last_triggered_image for t in w.triggers) and not w.paused:
                self.rollout(w, "config change", quiet=True)
        elif not w.paused:
            self.rollout(w, "")
        return w

    def delete(self, w: Workload) -> None:
        for rs in self.owned(w):
            self.delete_rs(rs)
        self.workloads.pop(w.key, None)
        for t in w.triggers:
            self.watchers.get(self._trigger_key(w, t), {}).pop(w.key, None)
        self.sim.log.append(self.now, "workload-deleted", f"{w.namespace}/{w.name}", namespace=w.namespace,
                            message=w.kind)

    def delete_rs(self, rs: ReplicaSet) -> None:
        for pod in self.pods_of(rs):
            self._loose_pods = True  # (it stays for its grace period, its RC gone)
            self.delete_pod(pod)
        deployer = self._pods.pop((rs.namespace, f"{rs.name}-deploy"), None)
        if deployer is not None:
            self.sim.log.append(self.now, "pod-deleted", f"{rs.namespace}/{deployer.name}", namespace=rs.namespace)
        removed = self._rs.pop((rs.namespace, rs.name), None)
        if removed is not None:
            self._unindex_rs(removed)

    def _trigger_key(self, w: Workload, t: ImageChangeTrigger) -> tuple[str, str, str]:
        namespace = t.from_namespace or w.namespace
        key = t._key  # noqa: SLF001
        if key is not None and key[0] == namespace:
            return key
        source = (namespace, t.from_name)
        key = self._trigger_keys.get(source)
        if key is None:
            name, tag, _ = split_istag(t.from_name)
            key = self._trigger_keys[source] = (namespace, name, tag)
        t._key = key  # noqa: SLF001
        return key

    def _watch(self, w: Workload) -> None:
        watchers, key = self.watchers, w.key
        for t in w.triggers:
            tkey = self._trigger_key(w, t)
            if self._followers:
                followers = self._followers.get(tkey)
                if followers is not None and followers.changes:  # (one more follows the tag: they
                    followers.write_out()  # go one by one until they are in step again)
            watching = watchers.get(tkey)
            if watching is None:
                watching = watchers[tkey] = {}
            watching[key] = None

    def update_template(self, w: Workload, template, cause: str) -> bool:
        """A template edit; rolls out when the config-change rule says so."""
        self.resolve_names(w.namespace, template, w.annotations)
        if template.signature() == w.template.signature():
            return False
        w.template = template
        w.generation += 1
        if not w.paused and (not w.is_dc or w.config_change):
            self.rollout(w, cause, quiet=True)
        if any(not t.paused and (t.automatic or not w.is_dc) for t in w.triggers):
            # the trigger controller watches the object too: an edited triggered image is put back
            self.clock.post(self.now, self._trigger, w.key, priority=PRIORITY_TRIGGER)
        return True

    # triggers (§7) ----------------------------------------------------------------------------
    def resolve_trigger(self, w: Workload, t: ImageChangeTrigger) -> str | None:
        return self._resolve_key(self._trigger_key(w, t))

    def _resolve_key(self, key: tuple[str, str, str]) -> str | None:
        """The pull spec the stream tag ``key`` (namespace, stream, tag) resolves to, or None."""
        namespace, name, tag = key
        stream = self.sim.server.find(namespace, name)
        if stream is None:
            return None
        head = stream.head(tag)
        return None if head is None else resolve_reference(stream, tag, head)

    def apply_triggers(self, w: Workload, *, initial: bool = False, force: bool = False) -> bool:
        """Resolve the workload's image triggers; return True when the template changed."""
        if w.followers is not None:
            w.followers.write_out()
        if initial and _simple_trigger(w):
            # a workload being created owns its template (admission edits it in place too)
            t = w.triggers[0]
            ref = self.resolve_trigger(w, t)
            if ref is None:
                return False
            t.last_triggered_image = ref
            changed, names = False, t.container_names
            for container in w.template.containers:
                if container.image != ref and container.name in names:
                    container.image = ref
                    changed = True
            return changed
        template = None  # the copy of w.template to change, made when the first image differs
        changed = False
        is_dc = w.is_dc
        for t in w.triggers:
            if t.paused or (is_dc and not t.automatic and not force):
                continue
            ref = self.resolve_trigger(w, t)
            if ref is None:
                continue
            t.last_triggered_image = ref
            if template is None:
                if all(container.image == ref for container in _targets(w.template, t)):
                    continue
                template = _shallow_copy(w.template) if is_dc else w.template.copy()
            for container in _targets(template, t):
                if container.image != ref:
                    if is_dc:  # copy on write: the old template keeps its container
                        container = _own_container(template, container)
                    container.image = ref
                    changed = True
        if not changed or template is None:
            return False
        if initial:
            w.template = template
            return True
        if w.is_dc:
            w.template = template
            w.generation += 1
            latest = self.latest_rs(w)
            if latest is None or _new_images(template, latest.template):
                if not w.paused and (latest is not None or all(t.last_triggered_image for t in w.triggers)):
                    self.rollout(w, "image change" if latest is not None else "config change", quiet=True)
            return True
        return self.update_template(w, template, "")

    def stream_changed(self, stream: ImageStream, changed: list[str]) -> None:
        if not changed:
            return
        watchers, clock = self.watchers, self.clock
        for tag in changed:
            key = (stream.namespace, stream.name, tag)
            if watchers.get(key):
                clock.post_call(clock.now, PRIORITY_TRIGGER, self._tag_changed, (key,))

    def _tag_changed(self, key: tuple[str, str, str]) -> None:
        """The trigger controller's pass over every workload watching a tag that changed, in the
        order they started watching it."""
        watching = self.watchers.get(key)
        if not watching:
            return
        ref: str | None = _UNRESOLVED  # the tag's pull spec, resolved once for every simple DC
        followers = self._followers.get(key) if self._followers else None
        if followers is not None:
            if self.quiet_rollouts:
                ref = followers.resolve()
                if followers.change(ref, self.clock.now, watching):
                    return
            followers.write_out()
        if self.quiet_rollouts:
            if ref is _UNRESOLVED:
                ref = self._resolve_key(key)
            if ref is not None:
                followers = Followers.form(self, key, watching, ref) or PodFollowers.form(self, key, watching, ref)
                if followers is not None:
                    if followers.change(ref, self.clock.now, watching):
                        return
                    followers.write_out()
        workloads, apply_triggers, simple = self.workloads, self.apply_triggers, self._simple_image_change
        for wkey in list(watching):
            w = workloads.get(wkey)
            if w is None:
                continue
            if _simple_trigger(w):
                t = w.triggers[0]
                if ref is _UNRESOLVED:
                    ref = self.resolve_trigger(w, t)
                simple(w, t, ref)
                continue
            apply_triggers(w)

    def _simple_image_change(self, w: Workload, t: ImageChangeTrigger, ref: str | None) -> None:
        """:meth:`apply_triggers` for a DeploymentConfig with one automatic ImageChange trigger
        on containers (not init containers): the same steps, fewer of them."""
        if ref is None:
            return
        if w.followers is not None:
            w.followers.write_out()
        t.last_triggered_image = ref
        template = _with_image(w.template, t, ref)
        if template is None:
            return
        w.template = template
        w.generation += 1
        quiet = self._quiet.get(w.key) if self._quiet else None
        if quiet:
            before = quiet[-1].template
        else:
            owned = self._owned.get(("ReplicationController", w.namespace, w.name))
            before = owned[-1].template if owned else None
        if before is not None and (ref in [c.image for c in before.containers] if len(template.containers) == 1
                                   else not _new_images(template, before)):
            return
        if w.paused:
            return
        cause = "config change" if before is None else "image change"
        if w.replicas or not self.quiet_rollouts or not self._quiet_rollout(w, cause, self.clock.now, quiet):
            self.rollout(w, cause)

    def _trigger(self, key) -> None:
        w = self.workloads.get(key)
        if w is not None:
            self.apply_triggers(w)

    # rollouts ----------------------------------------------------------------------------------
    def latest_rs(self, w: Workload) -> ReplicaSet | None:
        if self._quiet:
            self._materialize(w.key)
        owned = self._owned.get((self._rs_kind(w), w.namespace, w.name))
        return owned[-1] if owned else None

    def rollout(self, w: Workload, cause: str, *, quiet: bool = False) -> ReplicaSet | None:
        """Roll ``w`` out: a new RC (DeploymentConfig) or the ReplicaSet of its template
        (Deployment), returned. With ``quiet``, a DeploymentConfig rollout that runs no pods is
        kept as facts and None is returned (its RC is made when something asks for it)."""
        now = self.clock.now
        is_dc = w.is_dc
        namespace = w.namespace
        if w.followers is not None:
            w.followers.write_out()
        if is_dc:
            if quiet and not w.replicas and self.quiet_rollouts and self._quiet_rollout(
                    w, cause, now, self._quiet.get(w.key) if self._quiet else None):
                return None
            if self._quiet:
                self._materialize(w.key)
        siblings = self._owned.get(("ReplicationController" if is_dc else "ReplicaSet", namespace, w.name))
        owned = list(siblings) if siblings else []  # before this rollout
        if is_dc:
            # a newer version cancels the rollouts still running (the DC controller does so)
            for running in owned:
                if running.phase in IN_PROGRESS:
                    running.phase = "Failed"
                    running.cause = running.cause or "cancelled"
                    self.scale_rs(running, 0)
                    self._finish_deployer(running, failed=True)
        w.revision = revision = w.revision + 1
        # Shared, not copied: a template is never changed in place once it is a workload's
        # (every edit makes a new one and assigns it), so the RC keeps the one it was made from.
        template = w.template
        if is_dc:
            name = f"{w.name}-{revision}"
            seed = self.sim.seed
            rs = ReplicaSet("ReplicationController", namespace, name, w.name, revision, template, now,
                            0, _uid_of(f"{seed}/rc/{namespace}/{name}"), "Pending", cause, now, now + w.timeout)
            self._add_rs(rs)
            deployer_name = name + "-deploy"
            deployer = Pod(namespace, deployer_name, name, "ReplicationController", w.name, self.kubelet.place(),
                           now, {"openshift.io/deployer-pod-for.name": name}, [],
                           _uid_of(f"{seed}/pod/{namespace}/{name}/deploy"), -1, 30, True, self._pod_count)
            self._pod_count += 1
            self._pods[(namespace, deployer_name)] = deployer
            w.history.append(history_entry(revision, cause))
            w.set_condition("Progressing", "True", "NewReplicationControllerCreated",
                            f'replication controller "{name}" is progressing', now)
        else:
            name = f"{w.name}-{template_hash(template)}"
            rs = self._rs.get((w.namespace, name))
            if rs is None:
                rs = ReplicaSet("ReplicaSet", w.namespace, name, w.name, revision, template, now,
                                uid=self._uid("rs", w.namespace, name))
                self._add_rs(rs)
            rs.revision, rs.phase, rs.started, rs.deadline = revision, "Pending", now, now + w.timeout
            rs.deadline_posted = False
            siblings = self._owned.get((rs.kind, rs.namespace, rs.owner))
            if siblings is not None:
                siblings.sort(key=_REVISION)  # keep them by revision: rs has the newest now
            w.history.append(history_entry(revision, cause))
            w.set_condition("Progressing", "True", "NewReplicaSetCreated", f'Created new replica set "{name}"', now)
        self.sim.log.record(now, "rollout", w.subject, namespace,
                            message=f"{w.kind} {w.name} revision {revision} ({name})" + (f": {cause}" if cause else ""))
        old = [o for o in owned if o.replicas > 0 and o is not rs]
        post = self.clock.post
        if w.strategy == "Recreate" and old:
            for o in old:
                self.scale_rs(o, 0)
            post(now + GRACE, self._scale_new, rs, w.replicas, priority=PRIORITY_ROLLOUT)
        elif rs.pods or w.replicas:
            self.scale_rs(rs, w.replicas)
        else:
            rs.replicas = 0
        if w.replicas:  # with no replicas the evaluation below finishes it (or a newer one replaced it)
            rs.deadline_posted = True
            post(rs.deadline, self.evaluate, rs, priority=PRIORITY_ROLLOUT)
        self._evaluate_at(rs, now)
        return rs

    def _scale_new(self, rs: ReplicaSet, replicas: int) -> None:
        if rs.phase in ("Pending", "Running") and self._rs.get((rs.namespace, rs.name)) is rs:
            self.scale_rs(rs, replicas)

    def evaluate(self, rs: ReplicaSet) -> None:
        """Finish or fail a rollout once its pods are ready or its deadline passed."""
        phase = rs.phase
        if phase not in _EVALUATED:
            return  # (most often: the deadline of a rollout that is over)
        is_dc = rs.kind == "ReplicationController"
        namespace = rs.namespace
        wkey = ("DeploymentConfig" if is_dc else "Deployment", namespace, rs.owner)
        w = self.workloads.get(wkey)
        if w is None or self._rs.get((namespace, rs.name)) is not rs:
            return
        if self._quiet:
            self._materialize(wkey)
        owned = self._owned.get((rs.kind, namespace, rs.owner)) or []
        if is_dc and (not owned or owned[-1] is not rs):
            return
        now = self.clock.now
        queued = rs.evaluations
        if queued is not None:
            # the ones queued up to now have run or run now: a later request for now queues another
            rs.evaluations = {t for t in queued if t > now} or None
        stalled = phase == "Stalled"
        rs.phase = "Running"
        ready, known = 0, []  # pods ready now; the times the others get ready, when known
        if rs.pods:
            store = self._pods
            for name in rs.pods:
                pod = store.get((namespace, name))
                if pod is None or pod.deleted >= 0:
                    continue
                at = pod.ready_at()
                if at is not None:
                    if at <= now:
                        ready += 1
                    else:
                        known.append(at)
        if ready >= w.replicas and rs.replicas == w.replicas:
            rs.phase = "Complete"
            for other in list(owned):
                if other is not rs and other.replicas > 0:
                    self.scale_rs(other, 0)
            self._finish_deployer(rs)
            if is_dc:
                w.set_condition("Available", "True", "", "Deployment config has minimum availability.", now)
                w.set_condition("Progressing", "True", "NewReplicationControllerAvailable",
                                f'replication controller "{rs.name}" successfully rolled out', now)
            else:
                w.set_condition("Available", "True", "MinimumReplicasAvailable",
                                "Deployment has minimum availability.", now)
                w.set_condition("Progressing", "True", "NewReplicaSetAvailable",
                                f'ReplicaSet "{rs.name}" has successfully progressed.', now)
            self.sim.log.record(now, "rollout-complete", w.subject, namespace,
                                message=rs.name)
            return
        if stalled:
            rs.phase = "Stalled"  # a Deployment past its deadline still finishes when its pods get ready
        elif now >= rs.deadline:
            if is_dc:
                rs.phase = "Failed"
                self.scale_rs(rs, 0)
                self._finish_deployer(rs, failed=True)
                self.reconcile_active(w)
                w.set_condition("Progressing", "False", "ProgressDeadlineExceeded",
                                f'replication controller "{rs.name}" has failed progressing', now)
            else:
                rs.phase = "Stalled"
                w.set_condition("Progressing", "False", "ProgressDeadlineExceeded",
                                f'ReplicaSet "{rs.name}" has timed out progressing.', now)
            self.sim.log.append(now, "rollout-failed", f"{w.namespace}/{w.name}", namespace=w.namespace,
                                message=rs.name, warning=True)
            return
        if not rs.deadline_posted and rs.deadline > now:
            rs.deadline_posted = True
            self.clock.post(rs.deadline, self.evaluate, rs, priority=PRIORITY_ROLLOUT)
        if known:
            self._evaluate_at(rs, min(known) if stalled else min(min(known), rs.deadline))

    # quiet rollouts ----------------------------------------------------------------------------
    def _quiet_rollout(self, w: Workload, cause: str, now: int, quiet: list[QuietRollout] | None) -> bool:
        """Roll out a DeploymentConfig that runs no pods as facts only, when nothing else is in
        play: no RC of it has pods or replicas or a rollout under way. Everything the rollout
        shows at once (revision, history, condition, event) happens now; its RC and deployer pod
        are made when something asks for them (``_materialize``), exactly as :meth:`rollout`
        and :meth:`evaluate` would have made them. ``quiet``: its quiet rollouts so far."""
        namespace, wname = w.namespace, w.name
        if not quiet:
            rss = self._owned.get(("ReplicationController", namespace, wname))
            if rss:
                for rs in rss:
                    if rs.pods or rs.replicas or rs.phase in IN_PROGRESS:
                        return False
        revision = w.revision + 1
        rss, pods = self._rs, self._pods
        if rss or pods:
            name = f"{wname}-{revision}"
            if (namespace, name) in rss or (pods and (namespace, name + "-deploy") in pods):
                return False  # an object of that name exists: the full rollout replaces it
        if quiet is None:
            quiet = self._quiet[w.key] = []
        elif quiet:
            last = quiet[-1]
            if last.state == PENDING:
                last.state = CANCELLED  # a newer version cancels the one not finished yet
        w.revision = revision
        template = w.template
        rollout = QuietRollout(w, revision, now, w.timeout, template, cause, self.kubelet.place(), self._created)
        self._created += 1  # (its RC takes this place among the others when it is made)
        if quiet:
            derive(quiet[-1], template, self.sim.server.images)
        quiet.append(rollout)
        entry = history_entry(revision, cause)
        w.history.append(entry)
        w.set_condition("Progressing", "True", "NewReplicationControllerCreated", revision, now)  # (its RC's)
        self.sim.log.group(now, "rollout", namespace, rollout)  # (see quiet._rollout_event)
        self.queue_evaluation(rollout, now)
        return True

    def queue_evaluation(self, item: QuietRollout | Change, now: int) -> None:
        """Evaluate the quiet rollout (or a change of followers, each member's) ``item`` like a
        posted :meth:`evaluate`: consecutive ones (nothing else queued between them) share one
        queued call, which evaluates them in the same order."""
        clock = self.clock
        batch = self._quiet_batch
        if batch is not None and self._quiet_batch_seq == clock._seq:  # noqa: SLF001
            batch.append(item)
        else:
            batch = self._quiet_batch = [item]
            clock.post_call(now, PRIORITY_ROLLOUT, self._quiet_evaluate_all, (batch,))
            self._quiet_batch_seq = clock._seq  # noqa: SLF001

    def _quiet_evaluate_all(self, batch: list[QuietRollout | Change]) -> None:
        """:meth:`evaluate` of each quiet rollout in ``batch``, in order, at the time they started
        (of a change of followers: of each member's, in the members' order)."""
        if self._quiet_batch is batch:
            self._quiet_batch = None  # closed: a later one queues its own call
        now = self.clock.now
        group = self.sim.log.group
        join = self.quiet_rollouts
        for item in batch:
            if type(item) is Change:
                state = item.state
                if state == PENDING:  # every member's rollout completes
                    item.state = COMPLETE
                    followers = item.followers
                    group(now, "rollout-complete", followers.namespace, item, len(followers.members))
                    continue
                if type(state) is not list:
                    continue  # cancelled by a newer version
                rollouts = state  # written out meanwhile: the members' rollouts, one by one
            else:
                rollouts = (item,)
            for rollout in rollouts:
                if rollout.rs is not None:  # made into objects meanwhile
                    self.evaluate(rollout.rs)
                    continue
                if rollout.state != PENDING:
                    continue  # cancelled by a newer version
                w = rollout.w
                if w.replicas:  # scaled meanwhile: the full evaluation
                    self._materialize(w.key)
                    self.evaluate(rollout.rs)
                    continue
                rollout.state = COMPLETE
                revision = rollout.revision
                w.set_condition("Available", "True", "", "Deployment config has minimum availability.", now)
                w.set_condition("Progressing", "True", "NewReplicationControllerAvailable", revision, now)
                group(now, "rollout-complete", w.namespace, rollout)  # (see quiet._complete_event)
                if join and _simple_trigger(w):  # in step with the tag it follows: it joins its followers
                    Followers.join(self, w, self._trigger_key(w, w.triggers[0]))

    def _materialize(self, key: tuple[str, str, str]) -> None:
        """Make the RCs and deployer pods of a DeploymentConfig's quiet rollouts, in their state now
        (as :meth:`rollout` made them and :meth:`evaluate` or a newer rollout left them)."""
        if self._followers:
            w = self.workloads.get(key)
            if w is not None and w.followers is not None:
                w.followers.write_out()
        seed, pods, add = self.sim.seed, self._pods, self._add_rs
        rollouts = self._quiet.pop(key, ())
        templates, following = [], None  # each one's template; the next one's
        for rollout in reversed(rollouts):
            template = rollout.template
            if type(template) is str:  # its image's digest (see quiet.derive)
                image = following.containers[0]
                ref = image.image
                template = PodTemplate(following.labels, following.annotations,
                                       [Container(image.name, ref[:ref.rfind("@") + 1] + template, image.pull_policy,
                                                  image.ports)],
                                       following.init_containers)
            templates.append(template)
            following = template
        templates.reverse()
        for rollout, template in zip(rollouts, templates):
            w, revision, started, state = rollout.w, rollout.revision, rollout.time, rollout.state
            namespace = w.namespace
            name = f"{w.name}-{revision}"
            cause = rollout.cause
            if state == COMPLETE:
                phase, grace, labels = "Complete", -1, {_DEPLOYER_FOR: name, "phase": "Succeeded"}
            elif state == CANCELLED:
                phase, grace, labels = "Failed", -2, {_DEPLOYER_FOR: name, "phase": "Failed"}
                cause = cause or "cancelled"
            else:
                phase, grace, labels = "Pending", 30, {_DEPLOYER_FOR: name}
            rs = ReplicaSet("ReplicationController", namespace, name, w.name, revision, template, started,
                            0, _uid_of(f"{seed}/rc/{namespace}/{name}"), phase, cause, started,
                            started + rollout.timeout)
            if state == PENDING:
                rs.evaluations = {started}  # its evaluation is queued (``_quiet_evaluate_all``)
            add(rs, rollout.order)
            deployer_name = name + "-deploy"
            pods[(namespace, deployer_name)] = Pod(
                namespace, deployer_name, name, "ReplicationController", w.name, rollout.node, started, labels, [],
                _uid_of(f"{seed}/pod/{namespace}/{name}/deploy"), -1, grace, True, self._pod_count)
            self._pod_count += 1
            rollout.rs = rs

    def _materialize_all(self) -> None:
        with collector_paused():  # many objects that live on (as in a run)
            for followers in list(self._followers.values()):
                followers.write_out()
            for key in list(self._quiet):
                self._materialize(key)

    def reconcile_active(self, w: Workload) -> None:
        """After a DC rollout ended: the last complete RC runs the DC's replicas, the others none
        (the DeploymentConfig controller's ``reconcileDeployments``)."""
        owned = self.owned(w)
        if not owned or owned[-1].phase not in ("Complete", "Failed"):
            return
        active = next((rs for rs in reversed(owned) if rs.phase == "Complete"), None)
        for rs in owned:
            wanted = w.replicas if rs is active else 0
            if rs.replicas != wanted:
                self.scale_rs(rs, wanted)

    def _finish_deployer(self, rs: ReplicaSet, failed: bool = False) -> None:
        deployer = self._pods.get((rs.namespace, f"{rs.name}-deploy"))
        if deployer is not None:
            deployer.grace = -1 if not failed else -2
            deployer.deleted = -1
            deployer.labels["phase"] = "Failed" if failed else "Succeeded"
            deployer.created = deployer.created

    def pod_ready_known(self, pod: Pod, at: int) -> None:
        rs = self._rs.get((pod.namespace, pod.owner))
        if rs is not None and rs.phase in _EVALUATED:
            self._evaluate_at(rs, max(at, self.clock.now))

    def _evaluate_at(self, rs: ReplicaSet, when: int) -> None:
        """Queue an evaluation of ``rs`` at ``when``, unless one is already queued for then."""
        queued = rs.evaluations
        if queued is None:
            rs.evaluations = {when}
        elif when in queued:
            return
        else:
            queued.add(when)
        self.clock.post(when, self.evaluate, rs, priority=PRIORITY_ROLLOUT)

    # scaling and pods --------------------------------------------------------------------------
    def scale_rs(self, rs: ReplicaSet, replicas: int) -> None:
        if not rs.pods and replicas == 0:  # no pods, none wanted
            rs.replicas = 0
            return
        live = [p for p in self.pods_of(rs) if p.deleted < 0]
        rs.replicas = replicas
        for pod in reversed(live[replicas:]):
            self.delete_pod(pod)
        for _ in range(replicas - len(live)):
            self.create_pod(rs)

    def create_pod(self, rs: ReplicaSet) -> Pod:
        name = f"{rs.name}-{self._suffix()}"
        while (rs.namespace, name) in self._pods:
            name = f"{rs.name}-{self._suffix()}"
        labels = dict(rs.template.labels)
        if not rs.owner:  # a standalone RC/RS (oc apply): its pods carry the template's labels only
            pass
        elif rs.kind == "ReplicaSet":
            labels["pod-template-hash"] = rs.name.rsplit("-", 1)[-1]
        else:
            labels["deployment"] = rs.name
            labels["deploymentconfig"] = rs.owner
        template = rs.template
        inits = template.init_containers
        runs = [ContainerRun(c.name, c.image, c.pull_policy or default_pull_policy(c.image), init=bool(inits) and c in inits)
                for c in (inits + template.containers if inits else template.containers)]
        now = self.clock.now
        pod = Pod(rs.namespace, name, rs.name, rs.kind, rs.owner, self.kubelet.place(), now, labels, runs,
                  uid=_uid_of(f"{self.sim.seed}/pod/{rs.namespace}/{name}"))
        pod.order = self._pod_count
        self._pod_count += 1
        self._pods[(rs.namespace, name)] = pod
        rs.pods.append(name)
        self.sim.log.record(now, "pod-created", f"{pod.namespace}/{name}", pod.namespace, message=pod.node)
        self.kubelet.start(pod)
        return pod

    def delete_pod(self, pod: Pod, grace: int = GRACE) -> None:
        if pod.deleted >= 0:
            return
        pod.deleted = self.now
        pod.grace = grace
        self.kubelet.stopped(pod)
        self.sim.log.record(pod.deleted, "pod-deleted", f"{pod.namespace}/{pod.name}", pod.namespace)
        self.clock.post(pod.deleted + grace, self._remove_pod, pod, priority=PRIORITY_ROLLOUT)

    def _remove_pod(self, pod: Pod) -> None:
        if self._pods.get((pod.namespace, pod.name)) is pod:
            del self._pods[(pod.namespace, pod.name)]
            rs = self._rs.get((pod.namespace, pod.owner))
            if rs is not None and pod.name in rs.pods:
                rs.pods.remove(pod.name)

    # services ----------------------------------------------------------------------------------
    def create_service(self, svc: Service) -> Service:
        key = (svc.namespace, svc.name)
        if key in self.services:
            raise AlreadyExists(f'services "{svc.name}" already exists')
        index = len(self.services) + 10
        svc.cluster_ip = svc.cluster_ip or f"172.30.{(index // 250) % 250}.{index % 250 + 1}"
        svc.uid = svc.uid or self._uid("svc", svc.namespace, svc.name)
        self.services[key] = svc
        return svc

    def endpoints(self, svc: Service) -> list[Pod]:
        if self._quiet:
            self._materialize_all()
        now = self.now
        return [p for p in self._pods.values()
                if p.namespace == svc.namespace and not p.deployer and p.ready(now)
                and all(p.labels.get(k) == v for k, v in svc.selector.items())]

    def available(self, svc: Service) -> bool:
        return bool(self.endpoints(svc))


def _shallow_copy(template: PodTemplate) -> PodTemplate:
    """A new template sharing the labels, annotations and containers of ``template`` (to be
    replaced one by one with :func:`_own_container` before they change). Only for templates that
    nothing changes in place, like a DeploymentConfig's once it is set: admission
    (``resolve_names``) changes the containers of a Deployment's new template in place."""
    return PodTemplate(template.labels, template.annotations, list(template.containers),
                       list(template.init_containers))


def _own_container(template: PodTemplate, container: Container) -> Container:
    """Replace ``container`` (shared with another template) in ``template`` by a copy; return it."""
    copy = Container(container.name, container.image, container.pull_policy, container.ports)
    for items in (template.init_containers, template.containers):
        for index, item in enumerate(items):
            if item is container:
                items[index] = copy
                return copy
    raise ValueError(f"container {container.name!r} is not in the template")


def _uid_of(text: str) -> str:
    h = hashlib.sha256(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


_REVISION = attrgetter("revision")
_ORDER = lambda item: item[1].order  # noqa: E731 - (key, ReplicaSet or Pod) by creation
_DEPLOYER_FOR = "openshift.io/deployer-pod-for.name"
_UNRESOLVED = "\0unresolved"  # (no pull spec is this string)
_ALPHABET_SIZE = len(NAME_ALPHABET)
_ALPHABET_BITS = _ALPHABET_SIZE.bit_length()
_EVALUATED = frozenset({"Pending", "Running", "Stalled"})


def _by_order(objects: dict) -> None:
    """Put the RCs/RSs or pods of ``objects`` in the order they were created (their ``order``)."""
    items = sorted(objects.items(), key=_ORDER)
    objects.clear()
    objects.update(items)


def _simple_trigger(w: Workload) -> bool:
    """A DeploymentConfig with one automatic, unpaused ImageChange trigger on containers (no init
    containers): what most are, and what the trigger controller handles in fewer steps."""
    triggers = w.triggers
    if len(triggers) != 1 or w.kind != "DeploymentConfig" or w.template.init_containers:
        return False
    t = triggers[0]
    return t.automatic and not t.paused and not t.field_path


def _with_image(template: PodTemplate, trigger: ImageChangeTrigger, ref: str) -> PodTemplate | None:
    """A new template whose containers named by ``trigger`` run ``ref`` (copy on write: the old
    template keeps its containers, and shares what did not change), or None when they all do."""
    containers = template.containers
    names = trigger.container_names
    new = None
    for index, container in enumerate(containers):
        if container.image != ref and container.name in names:
            if new is None:
                new = list(containers)
            new[index] = Container(container.name, ref, container.pull_policy, container.ports)
    if new is None:
        return None
    # (the init containers list is shared: it is empty, and templates are never edited in place)
    return PodTemplate(template.labels, template.annotations, new, template.init_containers)


def _new_images(template: PodTemplate, before: PodTemplate) -> bool:
    """Whether ``template`` runs an image that ``before`` does not."""
    if template.init_containers or before.init_containers:
        return bool(set(template.images()) - set(before.images()))
    images = [c.image for c in before.containers]
    return any(c.image not in images for c in template.containers)


def _targets(template, trigger: ImageChangeTrigger) -> list:
    if trigger.field_path:
        return [c for c in template.all_containers() if _path_matches(template, c, trigger.field_path)]
    names = trigger.container_names
    return [c for c in template.all_containers() if c.name in names]


def _path_matches(template, container, path: str) -> bool:
    for group, items in (("initContainers", template.init_containers), ("containers", template.containers)):
        prefix = f"spec.template.spec.{group}"
        if not path.startswith(prefix) or container not in items:
            continue
        rest = path[len(prefix):]
        if rest == f'[?(@.name=="{container.name}")].image':
            return True
        if rest == f"[{items.index(container)}].image":
            return True
    return False


def parse_annotation_triggers(w: Workload) -> list[ImageChangeTrigger]:
    """The ``image.openshift.io/triggers`` annotation of a Deployment (§7.3)."""
    text = w.annotations.get(TRIGGERS_ANNOTATION)
    if not text:
        return []
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as err:
        raise Invalid(f'The Deployment "{w.name}" is invalid: metadata.annotations[{TRIGGERS_ANNOTATION}]: '
                      f"Invalid value: {json.dumps(text)}: {err}") from None
    if not isinstance(entries, list):
        raise Invalid(f'The Deployment "{w.name}" is invalid: metadata.annotations[{TRIGGERS_ANNOTATION}]: '
                      "Invalid value: expected a JSON array")
    triggers, paths = [], set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("from"), dict):
            raise Invalid(f'The Deployment "{w.name}" is invalid: metadata.annotations[{TRIGGERS_ANNOTATION}]: '
                          "Invalid value: each trigger needs a from object")
        path = str(entry.get("fieldPath", ""))
        if path in paths:
            raise Invalid(f'The Deployment "{w.name}" is invalid: metadata.annotations[{TRIGGERS_ANNOTATION}]: '
                          f'Invalid value: duplicate fieldPath "{path}"')
        paths.add(path)
        source = entry["from"]
        trigger = ImageChangeTrigger(str(source.get("name", "")), str(source.get("namespace", "") or ""),
                                     field_path=path, paused=bool(entry.get("paused", False)))
        if not any(_path_matches(w.template, c, path) for c in w.template.all_containers()):
            raise Invalid(f'The Deployment "{w.name}" is invalid: metadata.annotations[{TRIGGERS_ANNOTATION}]: '
                          f'Invalid value: fieldPath "{path}" does not refer to a container of the pod template')
        triggers.append(trigger)
    return triggers


def annotation_text(triggers: list[ImageChangeTrigger], namespace: str) -> str:
    entries = []
    for t in triggers:
        source = {"kind": "ImageStreamTag", "name": t.from_name}
        if t.from_namespace and t.from_namespace != namespace:
            source["namespace"] = t.from_namespace
        entry = {"from": source, "fieldPath": t.field_path}
        if t.paused:
            entry["paused"] = True
        entries.append(entry)
    return json.dumps(entries, separators=(",", ":"))
