"""DeploymentConfig rollouts that run no pods, kept as the facts they are made of.

A rollout of a DeploymentConfig with no replicas, when nothing else of it is under way, makes
an RC and a deployer pod that nothing runs, and completes at once. The cluster keeps such a
rollout as a :class:`QuietRollout` and makes its objects when something first asks for them
(``Cluster._materialize``).

The followers of a stream tag go further. When every workload that follows a tag is such a
DeploymentConfig, alike in what a change of the tag does to it (one automatic ImageChange
trigger on its one container, running the tag's current image as its latest rollout does, no
replicas, nothing under way, all in one namespace), each change of the tag rolls every one of
them out the same way: a new template running the new image, a new revision and history entry,
a quiet rollout that completes at once and its two events. Such a group is kept as
:class:`Followers`, and a change of the tag is one :class:`Change` however many follow it.
What the changes did to each member is written out (:meth:`Followers.write_out`), exactly as
the one-by-one path would have written it, the first time anything reads or changes a member
(see :class:`imagesim.workloads.Following`) or asks for its RCs; the events are made from the
changes when the log is first read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import group_renderer
from .imagestream import resolve_reference
from .workloads import Container, Following, PodTemplate, Workload

if TYPE_CHECKING:
    from .cluster import Cluster
    from .registry import Image

__all__ = ["CANCELLED", "COMPLETE", "Change", "Followers", "PENDING", "QuietRollout", "derive", "dissolve",
           "follows", "history_entry", "running"]

PENDING, COMPLETE, CANCELLED = 0, 1, 2
IN_PROGRESS = frozenset({"New", "Pending", "Running"})
IMAGE_CHANGE = "image change"


class QuietRollout:
    """A DeploymentConfig rollout that runs no pods, as the facts its RC and deployer pod are
    made from: which revision of which DC, when, its template, cause and timeout, the node of
    its deployer, and how it ended (pending, complete, cancelled by a newer version)."""

    __slots__ = ("w", "revision", "time", "timeout", "template", "cause", "node", "state", "rs", "order")

    def __init__(self, w: Workload, revision: int, time: int, timeout: int, template: PodTemplate, cause: str,
                 node: str, order: int) -> None:
        self.w = w
        self.revision = revision
        self.time = time
        self.timeout = timeout
        # its template, or (see derive) the digest its one container runs, of the repository the
        # next one's runs
        self.template: PodTemplate | str = template
        self.cause = cause
        self.node = node
        self.state = PENDING
        self.rs = None  # its RC, once made
        self.order = order  # its RC's place among the others (``ReplicaSet.order``)


def derive(rollout: QuietRollout, following: PodTemplate, images: dict[str, Image]) -> None:
    """Keep only the digest of ``rollout``'s template when it is ``following`` (the next quiet
    rollout's template) with another digest of the same repository in its one container, as an
    image trigger makes it: ``Cluster._materialize`` makes it again from ``following``. The
    digest kept is the string the cluster's image (in ``images``) holds: a rollout keeps nothing
    of its own."""
    template = rollout.template
    if type(template) is str or template is following:
        return
    containers, others = template.containers, following.containers
    if len(containers) != 1 or len(others) != 1:
        return
    mine, theirs = containers[0], others[0]
    if not (template.labels is following.labels and template.annotations is following.annotations
            and template.init_containers is following.init_containers and mine.name == theirs.name
            and mine.pull_policy == theirs.pull_policy and mine.ports is theirs.ports):
        return
    image, other = mine.image, theirs.image
    if type(image) is not str or type(other) is not str:
        return
    at = image.rfind("@")
    if at < 0 or other.rfind("@") != at or not other.startswith(image[:at + 1]):
        return
    known = images.get(image[at + 1:])
    if known is not None and known.digest == image[at + 1:]:
        rollout.template = known.digest


_HISTORY: dict[str, list[tuple[int, str]]] = {}  # cause -> history entries by revision, shared


def history_entry(revision: int, cause: str) -> tuple[int, str]:
    """``(revision, cause)``, one tuple for every workload whose history has it (the usual causes)."""
    entries = _HISTORY.get(cause)
    if entries is None:
        if cause not in (IMAGE_CHANGE, "config change", "") or type(cause) is not str:
            return (revision, cause)
        entries = _HISTORY[cause] = [(0, cause)]
    if revision < len(entries):
        return entries[revision]
    if revision > 4096:
        return (revision, cause)
    entries.extend((index, cause) for index in range(len(entries), revision + 1))
    return entries[revision]


# the followers of a tag ------------------------------------------------------------------------

class Change:
    """One change of a tag that its :class:`Followers` rolled out: when, the image (the pull
    spec's repository part and its digest, strings shared with other changes and the cluster's
    images), the node of the deployer pods, the place of the first member's RC among the
    cluster's RCs (the others follow it), and how the rollouts ended: :data:`PENDING`,
    :data:`COMPLETE`, :data:`CANCELLED`, or, once written out while pending, the members'
    :class:`QuietRollout` objects that its evaluation finishes."""

    __slots__ = ("followers", "index", "time", "prefix", "digest", "node", "order", "state")

    def __init__(self, followers: Followers, index: int, time: int, prefix: str, digest: str, node: str,
                 order: int) -> None:
        self.followers = followers
        self.index = index  # its place among the followers' changes: their revisions grow by index + 1
        self.time = time
        self.prefix = prefix
        self.digest = digest
        self.node = node
        self.order = order
        self.state: int | list[QuietRollout] = PENDING

    def revisions(self) -> list[tuple[Workload, int]]:
        """Each member and the revision this change rolled it out as, in the members' order."""
        step = self.index + 1
        followers = self.followers
        return [(w, revision + step) for w, revision in zip(followers.members, followers.revisions)]


class Followers:
    """The DeploymentConfigs that follow one stream tag (``key``: namespace, stream, tag) in step,
    in the order they started following it, with the revision each had when the group formed,
    and the changes of the tag rolled out since (see the module's docstring).

    A group forms as its members complete a quiet rollout of the tag's image (:meth:`join`), or
    at a change of the tag, of all who follow it then (:meth:`form`). Until its first change,
    ``members`` and ``revisions`` are lists that joining members add to; from then on they are
    tuples, as the changes' events are made from them."""

    __slots__ = ("cluster", "key", "members", "revisions", "changes", "ref", "namespace")

    def __init__(self, cluster: Cluster, key: tuple[str, str, str], members: list[Workload], ref: str) -> None:
        self.cluster = cluster
        self.key = key
        self.members: list[Workload] | tuple[Workload, ...] = members
        self.revisions: list[int] | tuple[int, ...] = [w.revision for w in members]
        self.changes: list[Change] = []
        self.ref = ref  # the pull spec they all run now
        self.namespace = members[0].namespace

    @staticmethod
    def in_step(cluster: Cluster, w: Workload) -> str | None:
        """The pull spec ``w`` runs, when it is a DeploymentConfig in step with the tag it follows:
        one automatic ImageChange trigger on its one container, which runs what the trigger last
        resolved, as its latest rollout did, a rollout that is over; no replicas, not paused,
        nothing under way. None when it is not."""
        if w.replicas:
            return None
        image = follows(w)
        if image is None:
            return None
        template = w.template
        quiet = cluster._quiet  # noqa: SLF001
        mine = quiet.get(w.key) if quiet else None
        if mine:  # its latest rollout, kept as facts, ran this template and is over
            last = mine[-1]
            return image if last.state == COMPLETE and last.template is template else None
        # made: nothing under way, and the latest is of this template and complete
        rcs = cluster._owned.get(("ReplicationController", w.namespace, w.name))  # noqa: SLF001
        if not rcs or rcs[-1].phase != "Complete" or rcs[-1].template is not template:
            return None
        for rs in rcs:
            if rs.pods or rs.replicas or rs.phase in IN_PROGRESS:
                return None
        return image

    @classmethod
    def join(cls, cluster: Cluster, w: Workload, key: tuple[str, str, str]) -> None:
        """``w``, which follows ``key``, has completed a quiet rollout: it joins the followers of
        the tag when it is in step with them (the first one to do so forms the group)."""
        image = cls.in_step(cluster, w)
        if image is None:
            return
        groups = cluster._followers  # noqa: SLF001
        followers = groups.get(key)
        if followers is None:
            followers = groups[key] = cls(cluster, key, [w], image)
        elif followers.changes or followers.ref != image or followers.namespace != w.namespace:
            return  # (not in step with them: at the tag's next change they go one by one)
        else:
            followers.members.append(w)
            followers.revisions.append(w.revision)
        w.followers = followers
        w.__class__ = Following

    @classmethod
    def form(cls, cluster: Cluster, key: tuple[str, str, str], watching: dict, ref: str) -> Followers | None:
        """The followers of ``key`` (its watchers, ``watching``), when every one is in step with
        the others (:meth:`in_step`) and a change of the tag to ``ref`` rolls it out; None when
        one is not."""
        workloads, quiet, rss, pods = cluster.workloads, cluster._quiet, cluster._rs, cluster._pods  # noqa: SLF001
        members = []
        current = namespace = None
        for wkey in watching:
            w = workloads.get(wkey)
            image = None if w is None else cls.in_step(cluster, w)
            if image is None or image == ref:
                return None
            if current is None:
                current, namespace = image, w.namespace
            elif image != current or w.namespace != namespace:
                return None
            if (rss or pods) and _taken(w, w.revision + 1, rss, pods):
                return None
            members.append(w)
        if not members:
            return None
        for w in members:
            if w.key not in quiet:  # (where the one-by-one path would put it: the same order)
                quiet[w.key] = []
        followers = cluster._followers[key] = cls(cluster, key, members, current)  # noqa: SLF001
        for w in members:
            w.followers = followers
            w.__class__ = Following
        return followers

    def change(self, ref: str | None, now: int, watching: dict) -> bool:
        """The tag now resolves to ``ref``: roll every member out to it (one :class:`Change`), or
        nothing when it is what they run already or nothing. False when the one-by-one path must
        do it instead (then nothing changed here): when the members are not all of the tag's
        watchers (``watching``), in their order, or a rollout of one would replace an object."""
        if len(self.members) != len(watching):
            return False
        if ref is None or ref == self.ref:
            return True  # (each member's trigger finds its template running it already)
        cluster = self.cluster
        if not self.changes:  # the first: they are all the tag's watchers, in their order
            for w, wkey in zip(self.members, watching):
                if w.key != wkey:
                    return False
        at = ref.rfind("@")
        digest = ref[at + 1:]
        known = cluster.sim.server.images.get(digest)
        if at < 0 or known is None:
            return False  # (not an image of the cluster's: each rollout keeps its own template)
        changes = self.changes
        rss, pods = cluster._rs, cluster._pods  # noqa: SLF001
        if rss or pods:
            step = len(changes) + 1
            for w, revision in zip(self.members, self.revisions):
                if _taken(w, revision + step, rss, pods):
                    return False  # an object of that name exists: the full rollout replaces it
        if changes:
            last = changes[-1]
            if last.state == PENDING:
                last.state = CANCELLED  # a newer version cancels the ones not finished yet
        prefix = ref[:at + 1]
        if changes and changes[-1].prefix == prefix:
            prefix = changes[-1].prefix  # (one string for them all)
        if not changes:  # (the events of every change are made from them)
            self.members, self.revisions = tuple(self.members), tuple(self.revisions)
        count = len(self.members)
        change = Change(self, len(changes), now, prefix, known.digest, cluster.kubelet.place(),
                        cluster._created)  # noqa: SLF001
        cluster._created += count  # noqa: SLF001 - (their RCs take these places when they are made)
        changes.append(change)
        self.ref = ref
        cluster.sim.log.group(now, "rollout", self.namespace, change, count)
        cluster.queue_evaluation(change, now)
        return True

    def resolve(self) -> str | None:
        """The pull spec the tag resolves to now (what each member's trigger would resolve)."""
        namespace, name, tag = self.key
        streams = self.cluster.sim.server.namespaces.get(namespace)
        stream = None if streams is None else streams.get(name)
        if stream is None:
            return None
        head = stream.head(tag)
        return None if head is None else resolve_reference(stream, tag, head)

    def write_out(self) -> None:
        """End the group: write out what each change did to each member, as the one-by-one path
        (``Cluster._simple_image_change`` and ``Cluster._quiet_rollout``, then the evaluation)
        would have: template, generation, revision, history, trigger, conditions and the quiet
        rollouts its RCs are made from. A pending change keeps the members' rollouts for its
        evaluation to finish."""
        cluster = self.cluster
        members, changes = self.members, self.changes
        dissolve(self)
        if not changes:
            return
        quiet, images = cluster._quiet, cluster.sim.server.images  # noqa: SLF001
        last = changes[-1]
        waiting = [] if last.state == PENDING else None
        for position, (w, revision) in enumerate(zip(members, self.revisions)):
            base = w.template
            container = base.containers[0]
            trigger = w.triggers[0]
            rollouts = quiet[w.key]
            history, timeout = w.history, w.timeout
            template = base
            for change in changes:
                ref = change.prefix + change.digest
                template = running(base, container, ref)
                revision += 1
                rollout = QuietRollout(w, revision, change.time, timeout, template, IMAGE_CHANGE, change.node,
                                       change.order + position)
                if rollouts:
                    derive(rollouts[-1], template, images)
                rollouts.append(rollout)
                history.append(history_entry(revision, IMAGE_CHANGE))
                w.set_condition("Progressing", "True", "NewReplicationControllerCreated", revision, change.time)
                state = change.state
                if state == COMPLETE:
                    rollout.state = COMPLETE
                    w.set_condition("Available", "True", "", "Deployment config has minimum availability.",
                                    change.time)
                    w.set_condition("Progressing", "True", "NewReplicationControllerAvailable", revision,
                                    change.time)
                elif state == CANCELLED:
                    rollout.state = CANCELLED
            trigger.last_triggered_image = template.containers[0].image
            w.template = template
            w.generation += len(changes)
            w.revision = revision
            if waiting is not None:
                waiting.append(rollouts[-1])
        self.changes = []  # (written out: the log's rows keep the changes they render)
        if waiting is not None:
            last.state = waiting


def running(base: PodTemplate, container: Container, ref: str) -> PodTemplate:
    """``base`` with its one container, ``container``, running ``ref`` (what an image trigger
    makes of it: the rest shared)."""
    return PodTemplate(base.labels, base.annotations,
                       [Container(container.name, ref, container.pull_policy, container.ports)], base.init_containers)


def follows(w: Workload) -> str | None:
    """The pull spec ``w`` runs when it is a DeploymentConfig, not paused nor a member of
    followers yet, with one automatic ImageChange trigger on its one container (no init
    containers), which runs what the trigger last resolved; None otherwise."""
    if w.kind != "DeploymentConfig" or w.followers is not None or w.paused:
        return None
    triggers = w.triggers
    if len(triggers) != 1:
        return None
    t = triggers[0]
    template = w.template
    containers = template.containers
    if not t.automatic or t.paused or t.field_path or template.init_containers or len(containers) != 1:
        return None
    container = containers[0]
    image = container.image
    if container.name not in t.container_names or image != t.last_triggered_image:
        return None
    return image


def dissolve(followers) -> None:
    """Take a group of followers (of either kind) off its cluster and make its members plain
    workloads again (what they were rolled out to is for the caller to write out)."""
    groups = followers.cluster._followers  # noqa: SLF001
    if groups.get(followers.key) is followers:
        del groups[followers.key]
    for w in followers.members:
        w.followers = None
        w.__class__ = Workload


def _taken(w: Workload, revision: int, rss: dict, pods: dict) -> bool:
    """Whether the RC or deployer pod that rolling ``w`` out as ``revision`` makes exists already."""
    name = f"{w.name}-{revision}"
    return (w.namespace, name) in rss or (w.namespace, name + "-deploy") in pods


# events ------------------------------------------------------------------------------------------

@group_renderer("rollout")
def _rollout_event(item: QuietRollout | Change) -> tuple[str, str] | list[tuple[str, str]]:
    """A quiet DeploymentConfig rollout's event (subject, message), or a change's, one a member."""
    if type(item) is Change:
        return [(w.subject, f"DeploymentConfig {w.name} revision {revision} ({w.name}-{revision}): {IMAGE_CHANGE}")
                for w, revision in item.revisions()]
    w, revision, cause = item.w, item.revision, item.cause
    name = w.name
    return w.subject, f"DeploymentConfig {name} revision {revision} ({name}-{revision})" + (f": {cause}" if cause else "")


@group_renderer("rollout-complete")
def _complete_event(item: QuietRollout | Change) -> tuple[str, str] | list[tuple[str, str]]:
    """A quiet DeploymentConfig rollout's completion event: its subject, and its RC's name (or a
    change's, one a member)."""
    if type(item) is Change:
        return [(w.subject, f"{w.name}-{revision}") for w, revision in item.revisions()]
    w = item.w
    return w.subject, f"{w.name}-{item.revision}"
