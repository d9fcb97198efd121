"""Workloads: the objects that run images, as the API server stores them.

DeploymentConfigs (``apps.openshift.io/v1``) roll out ReplicationControllers named ``NAME-N``;
Deployments (``apps/v1``) roll out ReplicaSets named ``NAME-<hash>``; both own pods. Services
select pods by label. The behaviour (triggers, rollouts, pulls, crash loops) lives in
``rollout.py``, ``triggers.py`` and ``nodes.py``; this module holds the data and small helpers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "MAX_REPLICAS",
    "Container",
    "ContainerRun",
    "Deployment",
    "DeploymentConfig",
    "ImageChangeTrigger",
    "Pod",
    "PodTemplate",
    "ReplicaSet",
    "Service",
    "default_pull_policy",
    "template_hash",
]

#: The most replicas one workload may ask for in the simulation (pods are simulated one by one).
MAX_REPLICAS = 1000

#: Characters Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def default_pull_policy(image: str) -> str:
    """``Always`` for ``:latest`` or an image with neither tag nor digest, else ``IfNotPresent``."""
    name = image.rsplit("/", 1)[-1]
    if "@" in name:
        return "IfNotPresent"
    if ":" not in name or name.endswith(":latest"):
        return "Always"
    return "IfNotPresent"


@dataclass(slots=True)
class Container:
    name: str
    image: str
    pull_policy: str = ""
    ports: list[int] = field(default_factory=list)

    def copy(self) -> Container:
        return Container(self.name, self.image, self.pull_policy, list(self.ports))


@dataclass(slots=True)
class PodTemplate:
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    containers: list[Container] = field(default_factory=list)
    init_containers: list[Container] = field(default_factory=list)

    def copy(self) -> PodTemplate:
        return PodTemplate(dict(self.labels), dict(self.annotations),
                           [c.copy() for c in self.containers], [c.copy() for c in self.init_containers])

    def all_containers(self) -> list[Container]:
        """The init containers and the containers (the containers' own list when there are no
        init containers: read it, do not change it)."""
        return self.init_containers + self.containers if self.init_containers else self.containers

    def images(self) -> list[str]:
        return [c.image for c in self.all_containers()]

    def signature(self) -> str:
        data = {"labels": sorted(self.labels.items()), "annotations": sorted(self.annotations.items()),
                "containers": [(c.name, c.image, c.pull_policy, c.ports) for c in self.containers],
                "init": [(c.name, c.image, c.pull_policy, c.ports) for c in self.init_containers]}
        return json.dumps(data, sort_keys=True)


def template_hash(template: PodTemplate) -> str:
    """A stable ``pod-template-hash`` (10 characters of the Kubernetes name alphabet)."""
    value = int(hashlib.sha256(template.signature().encode()).hexdigest(), 16)
    chars = []
    for _ in range(10):
        value, rest = divmod(value, len(NAME_ALPHABET))
        chars.append(NAME_ALPHABET[rest])
    return "".join(chars)


@dataclass(slots=True)
class ImageChangeTrigger:
    """A DeploymentConfig ``ImageChange`` trigger (or one entry of the triggers annotation)."""

    from_name: str
    from_namespace: str = ""
    container_names: list[str] = field(default_factory=list)
    automatic: bool = True
    last_triggered_image: str = ""
    field_path: str = ""
    paused: bool = False
    # the (namespace, stream, tag) it watches, once the cluster has worked it out (see
    # ``Cluster._trigger_key``: kept with the namespace it was worked out in)
    _key: tuple[str, str, str] | None = field(default=None, init=False, repr=False, compare=False)


#: A workload condition: (status, reason, message, last update, last transition).
WorkloadCondition = tuple[str, str, str, int, int]
#: The messages the DeploymentConfig controller writes about its RC, ``replication controller
#: "{dc}-{revision}" ...``, by reason: a condition with one of them keeps the revision in its place
#: (the text is written out when read), so that it costs no string per DeploymentConfig.
_RC_MESSAGES = {
    "NewReplicationControllerCreated": "is progressing",
    "NewReplicationControllerAvailable": "successfully rolled out",
    "ProgressDeadlineExceeded": "has failed progressing",
}
#: The condition types a workload keeps, in the order it keeps them.
_CONDITION_TYPES = ("Available", "Progressing")
_NO_CONDITIONS = (None, None)
#: By reason: the last condition kept with it, the other condition kept beside it and the pair of
#: them (tuples: workloads that reach the same conditions at the same time share them).
_RECENT_CONDITIONS: dict[str, tuple[tuple, tuple | None, tuple]] = {}


def _history() -> list:
    """An empty rollout history with room for one entry (a list grown by its first append keeps
    room for four, and most workloads roll out once)."""
    history = [None]
    history.pop()  # (CPython keeps the room of a list that shrinks to less than half of it)
    return history


@dataclass(slots=True)
class Workload:
    """What DeploymentConfigs and Deployments share.

    A DeploymentConfig may be one of the followers of a stream tag that the cluster rolls out
    together (``followers``): it is then a :class:`Following` until they are written out.
    """

    # the followers it is kept with (see imagesim.quiet and imagesim.pod_followers), or None
    followers: object = field(default=None, init=False, repr=False, compare=False)
    kind: str
    namespace: str
    name: str
    created: int
    uid: str = ""
    generation: int = 1
    resource_version: ClassVar[int] = 1  # (nothing changes a workload's: every one reads 1)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    replicas: int = 1
    selector: dict[str, str] = field(default_factory=dict)
    template: PodTemplate = field(default_factory=PodTemplate)
    strategy: str = "Rolling"
    timeout: int = 600
    paused: bool = False
    config_change: bool = True
    triggers: list[ImageChangeTrigger] = field(default_factory=list)
    revision: int = 0
    # the Available and Progressing conditions (None until set), as kept (see :attr:`conditions`)
    _conditions: tuple = field(default=_NO_CONDITIONS, init=False)
    history: list[tuple[int, str]] = field(default_factory=_history)
    _key: tuple[str, str, str] | None = field(default=None, init=False, repr=False, compare=False)
    _subject: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """``(kind, namespace, name)``: one tuple for the workload's life (its identity never changes)."""
        key = self._key
        if key is None:
            key = self._key = (self.kind, self.namespace, self.name)
        return key

    @property
    def subject(self) -> str:
        """``namespace/name``, as events name it: one string for the workload's life."""
        subject = self._subject
        if subject is None:
            subject = self._subject = f"{self.namespace}/{self.name}"
        return subject

    @property
    def is_dc(self) -> bool:
        return self.kind == "DeploymentConfig"

    @property
    def resource(self) -> str:
        return "deploymentconfig.apps.openshift.io" if self.is_dc else "deployment.apps"

    @property
    def short(self) -> str:
        return "dc" if self.is_dc else "deployment"

    @property
    def conditions(self) -> dict[str, WorkloadCondition]:
        """The conditions set so far, by type (a new dict; :meth:`set_condition` changes them)."""
        out = {}
        for ctype, kept in zip(_CONDITION_TYPES, self._conditions):
            if kept is not None:
                status, reason, message, updated, transition = kept
                if type(message) is int:
                    message = f'replication controller "{self.name}-{message}" {_RC_MESSAGES[reason]}'
                out[ctype] = (status, reason, message, updated, transition)
        return out

    def set_condition(self, ctype: str, status: str, reason: str, message: str | int, now: int) -> None:
        """Set a condition. For the three reasons about a DeploymentConfig's RC (``_RC_MESSAGES``)
        the message may be given as the RC's revision: ``replication controller "NAME-N" ...``."""
        available, progressing = self._conditions
        if ctype == "Available":
            old, other = available, progressing
        elif ctype == "Progressing":
            old, other = progressing, available
        else:
            raise ValueError(f"unknown workload condition type: {ctype!r}")
        transition = old[4] if old is not None and old[0] == status else now
        tail = _RC_MESSAGES.get(reason)
        if tail is not None and type(message) is str and \
                message == f'replication controller "{self.name}-{self.revision}" {tail}':
            message = self.revision
        condition = (status, reason, message, now, transition)
        recent = _RECENT_CONDITIONS.get(reason)
        if recent is not None and recent[0] == condition:
            if recent[1] is other:
                self._conditions = recent[2]
                return
            condition = recent[0]
        pair = (condition, other) if ctype == "Available" else (other, condition)
        _RECENT_CONDITIONS[reason] = (condition, other, pair)
        self._conditions = pair


class Following(Workload):
    """A DeploymentConfig kept with the followers of the tag it follows (its ``followers``; see
    :mod:`imagesim.quiet` and :mod:`imagesim.pod_followers`): a workload takes this class while
    it is a member, and is a plain :class:`Workload` again once its followers are written out. Reading ``template``,
    ``generation``, ``revision``, ``history``, ``triggers`` or the conditions, or writing those or
    ``replicas``, ``paused``, ``timeout``, ``strategy``, writes the followers out first, so a member reads as if
    it had been rolled out on its own; plain workloads pay nothing for it."""

    __slots__ = ()

    def __getstate__(self) -> list:
        """The fields as kept (a copy or a pickle writes nothing out: it keeps the followers)."""
        return [slot.__get__(self) for slot in _SLOTS]

    def __setstate__(self, state: list) -> None:
        for slot, value in zip(_SLOTS, state):
            slot.__set__(self, value)

    def __repr__(self) -> str:
        self.followers.write_out()
        return Workload.__repr__(self)

    def __eq__(self, other: object) -> bool:
        self.followers.write_out()
        if type(other) is Following:
            other.followers.write_out()
        return self == other  # (both plain workloads now)

    __hash__ = None  # type: ignore[assignment]


_SLOTS = [Workload.__dict__[name] for name in Workload.__slots__]


def _written_out(cls: type, read: tuple[str, ...], written: tuple[str, ...]) -> None:
    """Put properties on ``cls`` in the place of the fields named in ``read`` and ``written`` that
    write the workload's followers out first (see :class:`Following`): on reading and writing
    the ones in ``read``, on writing the ones in ``written``."""
    for name in read + written:
        slot = Workload.__dict__[name]
        get, put = slot.__get__, slot.__set__

        def read_out(self: Workload, get=get):  # noqa: ANN202
            self.followers.write_out()
            return get(self)

        def write_out(self: Workload, value: object, put=put) -> None:
            self.followers.write_out()
            put(self, value)

        setattr(cls, name, property(read_out if name in read else get, write_out))


_written_out(Following, ("template", "generation", "revision", "history", "_conditions", "triggers"),
             ("replicas", "paused", "timeout", "strategy"))


def DeploymentConfig(namespace: str, name: str, created: int, **fields) -> Workload:  # noqa: N802
    return Workload("DeploymentConfig", namespace, name, created, **fields)


def Deployment(namespace: str, name: str, created: int, **fields) -> Workload:  # noqa: N802
    fields.setdefault("strategy", "RollingUpdate")
    return Workload("Deployment", namespace, name, created, **fields)


@dataclass(slots=True)
class ReplicaSet:
    """A ReplicationController (of a DeploymentConfig) or a ReplicaSet (of a Deployment)."""

    kind: str
    namespace: str
    name: str
    owner: str
    revision: int
    template: PodTemplate
    created: int
    replicas: int = 0
    uid: str = ""
    phase: str = "New"
    cause: str = ""
    started: int = 0
    deadline: int = 0
    pods: list[str] = field(default_factory=list)
    deadline_posted: bool = False  # an evaluation at ``deadline`` is queued
    evaluations: set[int] | None = None  # the times of the evaluations queued for it
    order: int = field(default=0, compare=False, repr=False)  # its place among the cluster's RCs/RSs


@dataclass(slots=True)
class ContainerRun:
    """One container of a pod on a node: its pull and its runs, as computable facts."""

    name: str
    image: str
    pull_policy: str
    image_id: str = ""
    broken: bool = False
    init: bool = False
    pull_failures: int = 0
    first_failure: int = -1
    last_failure: int = -1
    failure_reason: str = ""
    failure_message: str = ""
    retry_at: int = -1
    started: int = -1
    pulled_from_cache: bool = False


CRASH_AFTER = 3
BACKOFF_START = 10
BACKOFF_CAP = 300


def restarts_at(started: int, now: int) -> tuple[int, int, bool]:
    """For a container that crashes ``CRASH_AFTER`` s after each start: (restarts so far, start of
    the current run, running now). Restarts wait 10 s, doubling, capped at 5 minutes; computed in
    closed form, so a long crash loop costs nothing to ask about."""
    if now < started:
        return 0, started, False
    t, k, backoff = started, 0, BACKOFF_START
    while backoff < BACKOFF_CAP:
        crash = t + CRASH_AFTER
        if now < crash:
            return k, t, True
        nxt = crash + backoff
        if now < nxt:
            return k, t, False
        t, k, backoff = nxt, k + 1, backoff * 2
    period = CRASH_AFTER + BACKOFF_CAP
    extra = (now - t) // period
    t += extra * period
    k += extra
    return k, t, now < t + CRASH_AFTER


@dataclass(slots=True)
class Pod:
    namespace: str
    name: str
    owner: str
    owner_kind: str
    workload: str
    node: str
    created: int
    labels: dict[str, str]
    containers: list[ContainerRun]
    uid: str = ""
    deleted: int = -1
    grace: int = 30
    deployer: bool = False
    order: int = field(default=-1, compare=False, repr=False)  # its place among the cluster's pods

    def ready_at(self) -> int | None:
        """When every container is running and ready (None: not yet known or never)."""
        latest = -1
        for c in self.containers:
            if c.broken or c.started < 0:
                return None
            latest = max(latest, c.started + 1)
        return latest

    def ready(self, now: int) -> bool:
        if self.deployer or (0 <= self.deleted <= now):
            return False
        at = self.ready_at()
        return at is not None and at <= now


@dataclass(slots=True)
class Service:
    namespace: str
    name: str
    selector: dict[str, str]
    ports: list[int]
    created: int
    cluster_ip: str = ""
    uid: str = ""
