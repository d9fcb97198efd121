"""DeploymentConfigs that run pods, following one stream tag in step, rolled out together.

When every workload that follows a tag is a DeploymentConfig whose rollouts are over and whose
pods all run the tag's current image (one automatic ImageChange trigger on its one container,
the Rolling strategy, every pod ready, nothing else under way; all with the same replicas and
pull policy), a change of the tag rolls each of them out the same way: a new RC and deployer
pod, its pods scheduled, pulled and started, and, once they are ready, the old RC's pods
deleted. Such a group is kept as :class:`PodFollowers`, and each change of the tag as one
:class:`PodChange`, whose cost does not grow with the number of pods.

What couples a change to the rest of the world happens at once, as the one-by-one path makes it
happen, computed rather than played pod by pod: each pod goes to the least loaded node (by name
among equals), so the pods of a change fill the nodes level by level (:func:`fill`), and a
node's pod counts and image cache, the pull counts and which pods start late (the first on a
node that lacked the image) follow from the nodes' counts before the change. The pods' names
are drawn from the cluster's shared random stream when something first needs a name (the
draws keep their order: ``Cluster._suffix`` draws the ones owed first). The rest is kept as
facts until something reads a member or asks for RCs or pods: the RC, deployer and pod objects,
conditions and history, the events (rendered when the log is read), and one queued call per
change and moment instead of one per pod (the evaluations, the removal of the deleted pods after
their grace period, the deadline). Writing the group out (:meth:`PodFollowers.write_out`) makes
every object in the state the one-by-one path would have left it in; the queued calls then act
on those objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import group_renderer
from .nodes import PULL_SECONDS
from .quiet import IMAGE_CHANGE, IN_PROGRESS, Followers, _taken, dissolve, follows, history_entry, running
from .workloads import ContainerRun, Following, Pod, ReplicaSet, Workload

if TYPE_CHECKING:
    from .cluster import Cluster

__all__ = ["PodChange", "PodFollowers", "fill", "levels", "node_at"]

PRIORITY = 50  # the rollout controllers' (``cluster.PRIORITY_ROLLOUT``)
GRACE = 30  # a deleted pod's grace period (``cluster.GRACE``)
DEPLOYER_FOR = "openshift.io/deployer-pod-for.name"
_PULL_POLICIES = ("IfNotPresent", "Always")
FAST, SLOW = 2, PULL_SECONDS + 1  # a pod is ready this long after the change


# placement -----------------------------------------------------------------------------------

def levels(loads: tuple[int, ...]) -> list[tuple[int, tuple[int, ...], int]]:
    """The rounds of placing pods one at a time on the least loaded node (the lowest index among
    equals) from ``loads``: ``(first pod's index, nodes taking one pod each in turn, pods of the
    rounds)``, the pods of the last without end (-1). Nodes join when the others reach their
    load."""
    count = len(loads)
    order = sorted(range(count), key=loads.__getitem__)  # (a stable sort: by index among equals)
    out = []
    base = j = 0
    while True:
        level = loads[order[j]]
        while j < count and loads[order[j]] == level:
            j += 1
        group = tuple(sorted(order[:j]))
        if j == count:
            out.append((base, group, -1))
            return out
        pods = (loads[order[j]] - level) * j
        out.append((base, group, pods))
        base += pods


def node_at(rounds: list[tuple[int, tuple[int, ...], int]], k: int) -> int:
    """The node (index) of the ``k``-th pod placed in ``rounds`` (see :func:`levels`)."""
    for base, group, pods in rounds:
        if pods < 0 or k < base + pods:
            return group[(k - base) % len(group)]
    raise AssertionError("unreachable")  # pragma: no cover


def fill(rounds: list[tuple[int, tuple[int, ...], int]], nodes: int, total: int) -> tuple[list[int], list[int]]:
    """Place ``total`` pods in ``rounds`` (see :func:`levels`) on ``nodes`` nodes: (the pods each
    node takes, the index of the first pod each node takes or -1)."""
    added, first = [0] * nodes, [-1] * nodes
    for base, group, pods in rounds:
        if base >= total:
            break
        size = len(group)
        for rank, i in enumerate(group):
            if first[i] < 0 and base + rank < total:
                first[i] = base + rank
        span = total - base if pods < 0 or total - base < pods else pods
        whole, rest = divmod(span, size)
        for rank, i in enumerate(group):
            added[i] += whole + (rank < rest)
    return added, first


def placed(loads: tuple[int, ...], members: int, replicas: int, held: tuple[bool, ...]
           ) -> tuple[list, tuple[int, ...], tuple[int, ...], tuple[int, ...], int]:
    """Where the pods of a change go on nodes with ``loads`` pods, of which those ``held`` have
    the image: (the rounds of :func:`levels`, the pods each node takes, the indexes of the pods
    that start late (the first on a node without the image), ascending, their members, and how
    many moments the members complete at: 1, or 2 when some start a pod late and some do not).
    Only the differences between the loads count: the answer for each is worked out once."""
    low = min(loads) if loads else 0
    key = (tuple([load - low for load in loads]) if low else loads, members, replicas, held)
    found = _PLACED.get(key)
    if found is not None:
        return found
    rounds = levels(key[0])
    added, first = fill(rounds, len(loads), members * replicas)
    late = sorted(k for node, k in enumerate(first) if k >= 0 and not held[node])
    slow: list[int] = []  # their members
    for k in late:
        if not slow or slow[-1] != k // replicas:
            slow.append(k // replicas)
    # the moments members complete: time + FAST unless each starts a pod late, time + SLOW when one does
    found = (rounds, tuple(added), tuple(late), tuple(slow), (len(slow) < members) + (len(slow) > 0))
    if len(_PLACED) >= 4096:
        _PLACED.clear()
    _PLACED[key] = found
    return found


_PLACED: dict[tuple, tuple] = {}  # (load differences, members, replicas, held) -> placed(...)


class PodChange:
    """One change of a tag that its :class:`PodFollowers` rolled out at ``time``: the image (the
    pull spec's repository part and digest), the places of the members' RCs among the cluster's
    RCs and of their pods among its pods, the nodes (by name) and their pod counts before it,
    the pods each node took, and the pods that start late (the first on a node that did not
    hold the image, ``held`` when made: their members complete at ``time + SLOW``, the others at
    ``time + FAST``). ``ran`` holds the moments whose queued evaluation has run, ``removed``
    the completion moments whose deleted pods were removed. ``names``: the pods' names once
    drawn; ``rcs``: each member's RC once written out, and ``to_remove`` the deleted pods each
    removal call takes away."""

    __slots__ = ("followers", "previous", "index", "time", "prefix", "digest", "order", "pod_order", "nodes",
                 "loads", "rounds", "added", "late", "slow", "completions", "ran", "removed", "to_remove",
                 "names", "rcs", "_pods", "_slow_old")

    def __init__(self, followers: PodFollowers, previous: PodChange | None, time: int, prefix: str, digest: str,
                 order: int, pod_order: int, nodes: tuple[str, ...], loads: tuple[int, ...],
                 held: tuple[bool, ...]) -> None:
        self.followers = followers
        self.previous = previous  # the followers' change before it, or None
        self.index = 0 if previous is None else previous.index + 1
        self.time = time
        self.prefix = prefix
        self.digest = digest
        self.order = order
        self.pod_order = pod_order  # the place of the first member's deployer pod among the cluster's pods
        self.nodes = nodes
        self.loads = loads
        self.rounds, self.added, self.late, self.slow, self.completions = placed(
            loads, len(followers.members), followers.replicas, held)
        self.ran: set[int] = set()
        self.removed: set[int] = set()
        self.to_remove: dict[int, list[Pod]] = {}
        self.names: list[str] | None = None
        self.rcs: list[ReplicaSet] | None = None
        self._pods: list[tuple[str, str, int, bool]] | None = None
        self._slow_old: tuple | None = None  # the previous change's pods of self.slow on each node, and the others'

    def revisions(self) -> list[tuple[Workload, int]]:
        step = self.index + 1
        followers = self.followers
        return [(w, revision + step) for w, revision in zip(followers.members, followers.revisions)]

    def completing(self, moment: int) -> list[int]:
        """The members (positions) all of whose pods are ready at ``moment``."""
        if moment == self.time + SLOW:
            return self.slow
        slow = set(self.slow)
        return [p for p in range(len(self.followers.members)) if p not in slow]

    def pod_moments(self, position: int) -> tuple[int, ...]:
        """The moments the pods of member ``position`` get ready, ascending (its evaluations)."""
        replicas = self.followers.replicas
        first = position * replicas
        late = [k for k in self.late if first <= k < first + replicas]
        if not late:
            return (self.time + FAST,)
        return (self.time + SLOW,) if len(late) == replicas else (self.time + FAST, self.time + SLOW)

    def pods(self) -> list[tuple[str, str, int, bool]]:
        """Every pod, in the order they were made: (name, node, container start, pulled from cache)."""
        made = self._pods
        if made is None:
            if self.names is None:
                self.followers.cluster._draw_owed()  # noqa: SLF001
            names, nodes, late = self.names, self.nodes, set(self.late)
            loads = list(self.loads)
            now = self.time
            made = []
            for k, name in enumerate(names):
                node = min(range(len(loads)), key=lambda i: (loads[i], i))
                loads[node] += 1
                if k in late:
                    made.append((name, nodes[node], now + PULL_SECONDS, False))
                else:
                    made.append((name, nodes[node], now + 1, True))
            self._pods = made
        return made

    def member_pods(self, position: int) -> list[tuple[str, str, int, bool]]:
        replicas = self.followers.replicas
        return self.pods()[position * replicas:(position + 1) * replicas]

    def deployer_node(self, position: int) -> str:
        """The node of member ``position``'s deployer pod: where its first pod went (nothing was
        placed between them)."""
        return self.pods()[position * self.followers.replicas][1]

    def old_pods(self, position: int) -> list:
        """What member ``position``'s completion deletes: the pods of its previous RC, as made
        (the first change's) or as kept (a later change's, see :meth:`member_pods`)."""
        if self.previous is not None:
            return self.previous.member_pods(position)
        return self.followers.old[position]

    def settled(self) -> bool:
        """Every member's rollout complete and its deleted pods removed."""
        return len(self.removed) == self.completions  # (a removal comes after its completion)

    def draw_names(self, suffix) -> None:
        """Draw the pods' names (``suffix``: the cluster's draw of five letters), as the one-by-one
        path draws them: member after member, a name again when it is taken by one of its own."""
        names: list[str] = []
        replicas = self.followers.replicas
        for w, revision in self.revisions():
            prefix = f"{w.name}-{revision}-"
            start = len(names)
            for _ in range(replicas):
                name = prefix + suffix()
                while name in names[start:]:
                    name = prefix + suffix()
                names.append(name)
        self.names = names

    # the queued calls ---------------------------------------------------------------------------
    def evaluate(self, moment: int) -> None:
        """The evaluations queued for ``moment``: each member's whose rollout started then or
        has a pod getting ready then; a member all of whose pods are ready completes."""
        self.ran.add(moment)
        start = moment == self.time
        if start and self.rcs is None:
            return  # (the RCs turn Running: their pods are not ready yet)
        followers = self.followers
        cluster = followers.cluster
        if self.rcs is not None:  # written out: the cluster's evaluation of each one's RC
            for position, rc in enumerate(self.rcs):
                if start or moment in self.pod_moments(position):
                    cluster.evaluate(rc)
            return
        kubelet = cluster.kubelet
        load = kubelet.load
        previous = self.previous
        slow = moment == self.time + SLOW
        members = len(self.slow) if slow else len(followers.members) - len(self.slow)
        if not members:
            return  # (none completes now: each has a pod that starts late)
        if previous is None:  # the old pods are objects: deleted now, removed after their grace period
            removing = self.to_remove.setdefault(moment, [])
            for position in self.completing(moment):
                followers.latest[position].replicas = 0
                for pod in reversed(followers.old[position]):
                    pod.deleted = moment
                    pod.grace = GRACE
                    load[pod.node] = max(0, load.get(pod.node, 0) - 1)
                    removing.append(pod)
        else:  # the old pods are kept as facts: their nodes' counts go down
            gone = self._slow_old
            if gone is None:  # (the old pods of the members that start a pod late, and of the others)
                gone = self._slow_old = _on_nodes(previous, self.slow)
            for node, count in zip(previous.nodes, gone[0] if slow else gone[1]):
                if count:
                    load[node] = max(0, load.get(node, 0) - count)
        kubelet._placed = None  # noqa: SLF001 - (the nodes' pod counts changed)
        count = members * (followers.replicas + 1)
        cluster.sim.log.group(moment, "rollout-complete+pods", followers.namespace, (self, moment), count)
        cluster.clock.post_call(moment + GRACE, PRIORITY, self.remove, (moment,))

    def remove(self, moment: int) -> None:
        """The removal of the pods deleted at ``moment`` once their grace period is over."""
        self.removed.add(moment)
        if self.to_remove:
            remove = self.followers.cluster._remove_pod  # noqa: SLF001
            for pod in self.to_remove.pop(moment, ()):
                remove(pod)

    def deadline(self) -> None:
        """The evaluations at each member's deadline (its rollout is complete by then, unless
        something changed it: then it was written out)."""
        if self.rcs is not None:
            evaluate = self.followers.cluster.evaluate
            for rc in self.rcs:
                evaluate(rc)


def _on_nodes(change: PodChange, positions: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """How many pods of the members at ``positions`` each node took in ``change``, and how many
    of the other members'. Worked out once for each placement (see :func:`placed`)."""
    rounds, replicas = change.rounds, change.followers.replicas
    key = (id(rounds), replicas, positions)
    found = _ON_NODES.get(key)
    if found is not None and found[0] is rounds:
        return found[1]
    counts = [0] * len(change.nodes)
    for position in positions:
        for k in range(position * replicas, (position + 1) * replicas):
            counts[node_at(rounds, k)] += 1
    found = (rounds, (tuple(counts), tuple([all_ - mine for all_, mine in zip(change.added, counts)])))
    if len(_ON_NODES) >= 4096:
        _ON_NODES.clear()
    _ON_NODES[key] = found  # (kept with the rounds it was worked out for: an id is only unique while they live)
    return found[1]


_ON_NODES: dict[tuple, tuple] = {}  # (id of a placement's rounds, replicas, positions) -> (rounds, counts)


class PodFollowers:
    """The DeploymentConfigs that run pods and follow one stream tag (``key``) in step, in the
    order they started following it, with the revision each had when the group formed, its
    latest RC then and that RC's pods, and the changes of the tag rolled out since (see the
    module's docstring). The same interface as :class:`imagesim.quiet.Followers`."""

    __slots__ = ("cluster", "key", "members", "revisions", "latest", "old", "changes", "ref", "namespace", "timeout",
                 "replicas", "always", "source", "node_names")

    def __init__(self, cluster: Cluster, key: tuple[str, str, str], members: list[Workload], latest: list[ReplicaSet],
                 old: list[list[Pod]], ref: str) -> None:
        self.cluster = cluster
        self.key = key
        self.members = tuple(members)
        self.revisions = tuple(w.revision for w in members)
        self.latest = latest
        self.old = old
        self.changes: list[PodChange] = []
        self.ref = ref
        first = members[0]
        self.namespace = first.namespace
        self.timeout = first.timeout
        self.replicas = first.replicas
        self.always = first.template.containers[0].pull_policy == "Always"
        self.source: tuple | None = None  # (a prefix of the tag's pull specs, its registry, repository)
        self.node_names = tuple(sorted(cluster.kubelet.nodes))  # (the kubelet's nodes are only ever added)

    @staticmethod
    def in_step(cluster: Cluster, w: Workload, now: int) -> tuple[str, ReplicaSet, list[Pod]] | None:
        """``(image, latest RC, its pods)`` when ``w`` can be a member: a DeploymentConfig that
        runs pods, with one automatic ImageChange trigger on its one container (pull policy
        ``IfNotPresent`` or ``Always``), Rolling, not paused, whose latest RC is complete, runs
        its template and has its replicas as ready pods, while no other RC has pods or replicas
        or is under way."""
        if not w.replicas or w.strategy != "Rolling" or w.timeout <= SLOW:
            return None
        image = follows(w)
        if image is None or "@" not in image:
            return None
        template = w.template
        if template.containers[0].pull_policy not in _PULL_POLICIES:
            return None
        if cluster._quiet.get(w.key):  # noqa: SLF001
            return None
        rcs = cluster._owned.get(("ReplicationController", w.namespace, w.name))  # noqa: SLF001
        if not rcs:
            return None
        latest = rcs[-1]
        if latest.phase != "Complete" or latest.template is not template or latest.replicas != w.replicas \
                or latest.evaluations is not None or len(latest.pods) != w.replicas:
            return None
        for rs in rcs:
            if rs is not latest and (rs.pods or rs.replicas or rs.phase in IN_PROGRESS):
                return None
        pods = cluster._pods  # noqa: SLF001
        namespace = w.namespace
        live = []
        for name in latest.pods:
            pod = pods.get((namespace, name))
            if pod is None or pod.deleted >= 0 or len(pod.containers) != 1:
                return None
            run = pod.containers[0]  # (Pod.ready_at of its one container)
            if run.broken or run.started < 0 or run.started + 1 > now:
                return None
            live.append(pod)
        return image, latest, live

    @classmethod
    def form(cls, cluster: Cluster, key: tuple[str, str, str], watching: dict, ref: str) -> PodFollowers | None:
        """The followers of ``key`` (its watchers, ``watching``) when each can be a member and
        they all run one image in one namespace, with one timeout, number of replicas and pull
        policy; None otherwise."""
        if cluster._loose_pods:  # noqa: SLF001
            return None
        workloads, now = cluster.workloads, cluster.clock.now
        members, latest, old = [], [], []
        current = first = None
        rss, pods = cluster._rs, cluster._pods  # noqa: SLF001
        foreign = cluster._foreign_rcs  # noqa: SLF001 - (otherwise no RC or deployer pod has the name)
        for wkey in watching:
            w = workloads.get(wkey)
            found = None if w is None else cls.in_step(cluster, w, now)
            if found is None:
                return None
            image, rc, live = found
            if image == ref:
                return None
            if first is None:
                current, first = image, w
            elif image != current or w.namespace != first.namespace or w.timeout != first.timeout \
                    or w.replicas != first.replicas \
                    or w.template.containers[0].pull_policy != first.template.containers[0].pull_policy:
                return None
            if foreign and _taken(w, w.revision + 1, rss, pods):
                return None
            members.append(w)
            latest.append(rc)
            old.append(live)
        if not members:
            return None
        quiet = cluster._quiet  # noqa: SLF001 - (a member's RCs are asked for through it: see Cluster.owned)
        followers = cluster._followers[key] = cls(cluster, key, members, latest, old, current)  # noqa: SLF001
        for w in members:
            if w.key not in quiet:
                quiet[w.key] = []
            w.followers = followers
            w.__class__ = Following
        return followers

    def resolve(self) -> str | None:
        """The pull spec the tag resolves to now (what each member's trigger would resolve)."""
        return Followers.resolve(self)  # type: ignore[arg-type]

    def change(self, ref: str | None, now: int, watching: dict) -> bool:
        """The tag now resolves to ``ref``: roll every member out to it (one :class:`PodChange`),
        or nothing when they run it already. False when the one-by-one path must do it instead
        (then nothing changed here)."""
        if len(self.members) != len(watching):
            return False
        if ref is None or ref == self.ref:
            return True
        cluster = self.cluster
        changes = self.changes
        if not changes:
            for w, wkey in zip(self.members, watching):
                if w.key != wkey:
                    return False
        elif not changes[-1].settled():
            return False  # (the last change is still under way)
        if cluster._loose_pods:  # noqa: SLF001 - (a pod's name could be taken: see Cluster._loose_pods)
            return False
        at = ref.rfind("@")
        known = cluster.sim.server.images.get(ref[at + 1:])
        if at < 0 or known is None or known.broken:
            return False
        kubelet = cluster.kubelet
        if kubelet._cordoned:  # noqa: SLF001
            return False
        digest = known.digest  # (one string for the cluster's image and its rollouts)
        prefix = ref[:at + 1]
        if changes and changes[-1].prefix == prefix:
            prefix = changes[-1].prefix  # (one string for them all)
        source = self.source
        if source is None or source[0] is not prefix:  # (the registry and repository it names)
            found = kubelet.source(ref[:at], digest, now)
            if found is None:
                return False
            source = self.source = (prefix, found[0], found[1])
        registry, repository = source[1], source[2]
        if registry.outages and not registry.available(now):
            return False
        repo = registry.repositories.get(repository)
        image = None if repo is None else repo.images.get(digest)
        if image is None or image.broken:
            return False
        step = len(changes) + 1
        if cluster._foreign_rcs:  # noqa: SLF001 - (an RC not of a rollout: its name could be taken)
            rss, pods = cluster._rs, cluster._pods  # noqa: SLF001
            for w, revision in zip(self.members, self.revisions):
                if _taken(w, revision + step, rss, pods):
                    return False
        count = len(self.members)
        total = count * self.replicas
        # the nodes' pod counts and what they held, before; then the pods go onto them
        nodes = kubelet.nodes
        names = self.node_names
        if len(names) != len(nodes):
            names = self.node_names = tuple(sorted(nodes))
        load = kubelet.load
        held = kubelet._held  # noqa: SLF001
        before = tuple(map(load.__getitem__, names))
        had = tuple([held.get(name, _NOTHING).get(digest, 0) > 0 for name in names])
        change = PodChange(self, changes[-1] if changes else None, now, prefix, digest,
                           cluster._created, cluster.pod_order(total + count), names, before, had)  # noqa: SLF001
        cluster._created += count  # noqa: SLF001 - (their RCs take these places when they are made)
        changes.append(change)
        self.ref = ref
        pulls, store = 0, kubelet.store
        for name, added in zip(names, change.added):
            if not added:
                continue
            load[name] += added
            if self.always:
                pulls += added
                store(name, ref, digest)  # (the pulls after the first change nothing)
            elif nodes[name].get(ref) != digest:
                pulls += 1  # (the first pulls; the node has it for the others)
                store(name, ref, digest)
        kubelet._placed = None  # noqa: SLF001 - (the nodes' pod counts changed)
        kubelet.pulls += pulls
        registry.requests += pulls
        cluster._owe_names(change)  # noqa: SLF001
        # what stands for the one-by-one path's events and queued calls
        cluster.sim.log.group(now, "rollout+pods", self.namespace, change, count * (1 + 2 * self.replicas))
        post = cluster.clock.post_call
        if len(change.late) < total:
            post(now + FAST, PRIORITY, change.evaluate, (now + FAST,))
        if change.late:
            post(now + SLOW, PRIORITY, change.evaluate, (now + SLOW,))
        post(now + self.timeout, PRIORITY, change.deadline, ())
        post(now, PRIORITY, change.evaluate, (now,))
        return True

    def write_out(self) -> None:
        """End the group: make what each change did to each member, as the one-by-one path
        would have (template, generation, revision, history, trigger, conditions; the RC, the
        deployer pod and the pods, in their state now; the old RC scaled down and its pods
        deleted, or removed), and let the queued calls act on those objects from now on."""
        cluster = self.cluster
        members, changes = self.members, self.changes
        dissolve(self)
        if not changes:
            return
        from .cluster import _uid_of

        seed, pods, add = cluster.sim.seed, cluster._pods, cluster._add_rs  # noqa: SLF001
        namespace, replicas = self.namespace, self.replicas
        for change in changes:
            change.rcs = []
        cluster._pods_unordered = True  # noqa: SLF001
        for position, w in enumerate(members):
            base = w.template
            container = base.containers[0]
            history, timeout = w.history, w.timeout
            labels = base.labels
            revision = self.revisions[position]
            previous_rc = self.latest[position]
            previous_pods: list[Pod] | None = None  # (the first change's old pods are objects already)
            template = base
            for change in changes:
                ref = change.prefix + change.digest
                template = running(base, container, ref)
                revision += 1
                started = change.time
                history.append(history_entry(revision, IMAGE_CHANGE))
                w.set_condition("Progressing", "True", "NewReplicationControllerCreated", revision, started)
                name = f"{w.name}-{revision}"
                moments, ran = change.pod_moments(position), change.ran
                ready = moments[-1]
                complete = ready in ran
                phase = "Complete" if complete else "Running" if started in ran else "Pending"
                rc = ReplicaSet("ReplicationController", namespace, name, w.name, revision, template, started,
                                replicas, _uid_of(f"{seed}/rc/{namespace}/{name}"), phase, IMAGE_CHANGE, started,
                                started + timeout)
                rc.deadline_posted = True
                rc.evaluations = {m for m in (started, *moments) if m not in ran} or None
                add(rc, change.order + position)
                change.rcs.append(rc)
                place = change.pod_order + position * (replicas + 1)
                deployer_name = name + "-deploy"
                deployer_labels = {DEPLOYER_FOR: name}
                if complete:
                    deployer_labels["phase"] = "Succeeded"
                pods[(namespace, deployer_name)] = Pod(
                    namespace, deployer_name, name, "ReplicationController", w.name, change.deployer_node(position),
                    started, deployer_labels, [], _uid_of(f"{seed}/pod/{namespace}/{name}/deploy"), -1,
                    -1 if complete else GRACE, True, place)
                made = []
                for pod_name, node, container_start, from_cache in change.member_pods(position):
                    place += 1
                    run = ContainerRun(container.name, ref, container.pull_policy)
                    run.image_id = change.digest
                    run.started = container_start
                    run.pulled_from_cache = from_cache
                    pod_labels = dict(labels)
                    pod_labels["deployment"] = name
                    pod_labels["deploymentconfig"] = w.name
                    pod = Pod(namespace, pod_name, name, "ReplicationController", w.name, node, started, pod_labels,
                              [run], _uid_of(f"{seed}/pod/{namespace}/{pod_name}"), order=place)
                    pods[(namespace, pod_name)] = pod
                    rc.pods.append(pod_name)
                    made.append(pod)
                if complete:
                    w.set_condition("Available", "True", "", "Deployment config has minimum availability.", ready)
                    w.set_condition("Progressing", "True", "NewReplicationControllerAvailable", revision, ready)
                    previous_rc.replicas = 0
                    if previous_pods is not None:  # made just now: deleted at the completion
                        gone = ready in change.removed
                        removing = None if gone else change.to_remove.setdefault(ready, [])
                        for pod in reversed(previous_pods):
                            if gone:
                                del pods[(namespace, pod.name)]
                                previous_rc.pods.remove(pod.name)
                            else:
                                pod.deleted = ready
                                pod.grace = GRACE
                                removing.append(pod)
                previous_rc, previous_pods = rc, made
            w.triggers[0].last_triggered_image = template.containers[0].image
            w.template = template
            w.generation += len(changes)
            w.revision = revision
        self.changes = []  # (written out: the log's rows keep the changes they render)


_NOTHING: dict[str, int] = {}


# events ------------------------------------------------------------------------------------------

@group_renderer("rollout+pods")
def _started_events(change: PodChange) -> list[tuple]:
    """A change's events at its time: each member's rollout, then each pod's creation and pull."""
    out = []
    namespace, digest = change.followers.namespace, change.digest
    image = change.prefix + digest
    for position, (w, revision) in enumerate(change.revisions()):
        name = w.name
        out.append(("rollout", w.subject, "", "", f"DeploymentConfig {name} revision {revision} ({name}-{revision}): "
                    f"{IMAGE_CHANGE}", False))
        for pod_name, node, _, from_cache in change.member_pods(position):
            subject = f"{namespace}/{pod_name}"
            out.append(("pod-created", subject, "", "", node, False))
            out.append(("pulled", subject, digest, "cached" if from_cache else "pulled", image, False))
    return out


@group_renderer("rollout-complete+pods")
def _completed_events(item: tuple[PodChange, int]) -> list[tuple]:
    """The events of the members that completed at a moment: the old pods deleted (the last
    first), then the rollout's completion."""
    change, moment = item
    namespace = change.followers.namespace
    revisions = change.revisions()
    out = []
    for position in change.completing(moment):
        w, revision = revisions[position]
        for pod in reversed(change.old_pods(position)):
            pod_name = pod[0] if type(pod) is tuple else pod.name
            out.append(("pod-deleted", f"{namespace}/{pod_name}", "", "", "", False))
        out.append(("rollout-complete", w.subject, "", "", f"{w.name}-{revision}", False))
    return out
