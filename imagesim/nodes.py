"""Nodes and the kubelet: where pods run, how their images are pulled, how containers fail.

Each node keeps an image cache. A pull resolves the pod's image reference at the registry it
names: an upstream host, or the internal registry, which serves images pushed to it and pulls
through from upstream the images of ``Local``-policy tags (and keeps serving those while upstream
is down). Pull policy ``Always`` contacts the registry on every container start;
``IfNotPresent`` uses the node's cache. Failed pulls back off 10 s, doubling to 5 minutes; only
the retry that can succeed is scheduled (after an outage ends, or when the missing tag is
pushed), and the failed retries in between are counted in closed form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import NotFound
from .reference import ImageReference
from .registry import INTERNAL_REGISTRY, Image, Registry, RegistryUnavailable
from .workloads import BACKOFF_CAP, BACKOFF_START, ContainerRun, Pod

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = ["DEFAULT_NODES", "Kubelet", "PullFailure", "next_retry"]

DEFAULT_NODES = ("worker-0", "worker-1", "worker-2")
PULL_SECONDS = 5
PRIORITY_KUBELET = 45


class PullFailure(Exception):
    def __init__(self, reason: str, message: str, host: str, retry_from: int | None, key: tuple | None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.host = host
        self.retry_from = retry_from
        self.key = key


def next_retry(first: int, t: int) -> tuple[int, int]:
    """Attempts happen at ``first``, then 10 s later, doubling to 5 min. Return (number of
    attempts before ``t``, time of the first attempt at or after ``t``)."""
    attempt, n, backoff = first, 0, BACKOFF_START
    while attempt < t and backoff < BACKOFF_CAP:
        attempt += backoff
        n += 1
        backoff *= 2
    if attempt < t:
        steps = -(-(t - attempt) // BACKOFF_CAP)
        attempt += steps * BACKOFF_CAP
        n += steps
    return n, attempt


class Kubelet:
    """All nodes of the cluster: placement, image caches, pulls and container starts."""

    def __init__(self, sim: Simulation, nodes: tuple[str, ...] = DEFAULT_NODES) -> None:
        self.sim = sim
        self.nodes: dict[str, dict[str, str]] = {name: {} for name in nodes}
        self.load: dict[str, int] = {name: 0 for name in nodes}
        self._cordoned: set[str] = set()
        self._placed: str | None = None  # what place() answers while no load or cordon changes
        self.waiting: dict[tuple, dict[tuple[str, str, int], None]] = {}
        self.pulls = 0
        self._refs: dict[str, ImageReference] = {}  # image -> ImageReference.parse_normalized(image)
        # node -> digest -> how many keys of the node's image cache map to it (the cache is only
        # written in _attempt, which keeps this in step): "is the digest in the cache" at once
        self._held: dict[str, dict[str, int]] = {}

    # placement ---------------------------------------------------------------------------------
    @property
    def cordoned(self) -> frozenset[str]:
        """The nodes that take no new pods (:meth:`cordon`, :meth:`uncordon`)."""
        return frozenset(self._cordoned)

    def cordon(self, node: str) -> None:
        self._cordoned.add(node)
        self._placed = None

    def uncordon(self, node: str) -> None:
        self._cordoned.discard(node)
        self._placed = None

    def place(self) -> str:
        # the least loaded schedulable node, by name among equals; "" when every node is cordoned
        # (the pod stays Pending until one is uncordoned)
        best = self._placed
        if best is not None:
            return best
        load, cordoned = self.load, self._cordoned
        best, least = "", -1
        for name in self.nodes:
            if name in cordoned:
                continue
            count = load[name]
            if least < 0 or count < least or (count == least and name < best):
                best, least = name, count
        self._placed = best
        return best

    # pulls -------------------------------------------------------------------------------------
    def resolve(self, image: str, t: int) -> Image:
        """The image a pull of ``image`` gets at time ``t`` (raises PullFailure)."""
        try:
            ref = self._refs.get(image)
            if ref is None:
                ref = self._refs[image] = ImageReference.parse_normalized(image)
        except ValueError as err:
            raise PullFailure("InvalidImageName", f'Failed to apply default image tag "{image}": '
                              f'couldn\'t parse image name "{image}": {err}', "", None, None) from None
        host, path = ref.domain, ref.path
        tag = ref.tag or ("" if ref.digest else "latest")
        key = (host, path, tag)
        registry = self.sim.registry(host)
        try:
            if host == INTERNAL_REGISTRY:
                return self._internal(path, tag, ref.digest, t)
            return registry.resolve(path, tag, ref.digest, t=t)
        except RegistryUnavailable as err:
            end = self.sim.registry(err.host).outage_end(t)
            raise PullFailure("ErrImagePull", f'rpc error: code = Unknown desc = pinging container registry '
                              f'{err.host}: {err.message}', err.host, end, None) from None
        except NotFound:
            raise PullFailure("ErrImagePull", f"rpc error: code = NotFound desc = failed to pull and unpack "
                              f'image "{ref.normalized}": {ref.normalized}: not found', host, None, key) from None

    def _internal(self, path: str, tag: str, digest: str, t: int) -> Image:
        registry = self.sim.registry(INTERNAL_REGISTRY)
        registry.requests += 1
        if not registry.available(t):
            raise RegistryUnavailable(INTERNAL_REGISTRY, f'Get "https://{INTERNAL_REGISTRY}/v2/": dial tcp: i/o timeout')
        repo = registry.repository(path)
        namespace, _, name = path.partition("/")
        stream = self.sim.server.find(namespace, name)
        if not digest:
            head = stream.head(tag) if stream else None
            if head is None or not head.image:
                raise NotFound(path)
            digest = head.image
        if repo is not None and digest in repo.images:
            return repo.images[digest]
        # pull-through: the image of an imported tag comes from the item's upstream reference
        source = None
        if stream is not None:
            for history in stream.status.values():
                for item in history.items:
                    if item.image == digest and not item.ref.startswith(INTERNAL_REGISTRY + "/"):
                        source = item.ref
                        break
                if source:
                    break
        if source is None:
            raise NotFound(path)
        upstream = ImageReference.parse_normalized(source)
        try:
            image = self.sim.registry(upstream.domain).resolve(upstream.path, "", digest, t=t)
        except RegistryUnavailable as err:  # the kubelet sees the internal registry's answer, not upstream's
            raise PullFailure("ErrImagePull", f"rpc error: code = Unknown desc = reading manifest {digest} in "
                              f"{INTERNAL_REGISTRY}/{path}: manifest unknown: manifest unknown", INTERNAL_REGISTRY,
                              self.sim.registry(err.host).outage_end(t), None) from None
        registry.repository(path, create=True).images[digest] = image
        return image

    # container starts --------------------------------------------------------------------------
    def start(self, pod: Pod) -> None:
        if pod.node not in self.nodes:  # not scheduled (Pending), or bound to a node that does not exist
            return
        self.load[pod.node] = self.load.get(pod.node, 0) + 1
        self._placed = None
        self._next(pod)

    def _next(self, pod: Pod) -> None:
        """Start the next init container, one at a time; the others once every init container completed."""
        if pod.deleted >= 0:
            return
        runs = pod.containers
        if runs and not runs[0].init:  # no init containers (they come first): start every container
            for run in runs:
                if run.started < 0 and run.first_failure < 0:
                    self._attempt(pod, run)
            return
        now = self.sim.clock.now
        for run in runs:
            if not run.init:
                continue
            if run.started < 0:
                if run.first_failure < 0:
                    self._attempt(pod, run)
                return
            if run.broken or now < run.started + 1:
                return  # crash-looping, or still running (``_started`` scheduled the next step)
        for run in pod.containers:
            if not run.init and run.started < 0 and run.first_failure < 0:
                self._attempt(pod, run)

    def stopped(self, pod: Pod) -> None:
        self.load[pod.node] = max(0, self.load.get(pod.node, 0) - 1)
        self._placed = None

    def _attempt(self, pod: Pod, run: ContainerRun) -> None:
        if pod.deleted >= 0:
            return
        try:
            image, cached, at = self.pull(pod.node, run.image, run.pull_policy, self.sim.clock.now)
        except PullFailure as failure:
            self._failed(pod, run, failure)
            return
        run.pulled_from_cache = cached
        self._started(pod, run, image, at)

    def pull(self, node: str, image: str, pull_policy: str, now: int) -> tuple[Image, bool, int]:
        """Get ``image`` onto ``node`` for a container start at ``now``, as ``pull_policy`` says:
        (the image, whether the node had it already, when the container starts). Raises
        PullFailure; a pull that happens counts in :attr:`pulls` and updates the node's cache."""
        cache = self.nodes.get(node)
        if cache is None:
            cache = self.nodes[node] = {}
        cached = cache.get(image)
        if pull_policy in ("IfNotPresent", "Never") and cached is not None:
            return self.sim.server.images.get(cached) or self._cached_image(cached), True, now + 1
        if pull_policy == "Never":
            raise PullFailure("ErrImageNeverPull", f'Container image "{image}" is not present with pull policy '
                              'of Never', "", None, None)
        self.pulls += 1
        got = self.resolve(image, now)
        from_cache = self.store(node, image, got.digest)
        return got, from_cache, now + (1 if from_cache else PULL_SECONDS)

    def store(self, node: str, image: str, digest: str) -> bool:
        """Keep ``digest``, just pulled as ``image``, in ``node``'s cache; return whether the
        node had that digest already (its layers: the container starts at once)."""
        cache = self.nodes[node]
        held = self._held.get(node)
        if held is None:
            held = self._held[node] = {}
        had = held.get(digest, 0) > 0  # digest in cache.values()
        for key in (image, digest):
            old = cache.get(key)
            if old is not None:
                held[old] -= 1
            cache[key] = digest
            held[digest] = held.get(digest, 0) + 1
        return had

    def source(self, repository: str, digest: str, t: int) -> tuple[Registry, str] | None:
        """Where a pull of ``repository@digest`` (an upstream repository, as the pull spec of a
        stream tag names it) at ``t`` gets a healthy image: (its registry, the repository's path
        there), asked without pulling (nothing is counted); None when such a pull would fail or
        get a broken image, or when the registry is not a plain :class:`Registry`."""
        try:
            ref = ImageReference.parse_normalized(repository)
        except ValueError:
            return None
        registry = self.sim.registries.get(ref.domain)
        if ref.domain == INTERNAL_REGISTRY or type(registry) is not Registry \
                or (registry.outages and not registry.available(t)):
            return None  # (a registry of another kind may answer a pull otherwise: it is asked)
        repo = registry.repositories.get(ref.path)
        image = None if repo is None else repo.images.get(digest)
        return (registry, ref.path) if image is not None and not image.broken else None

    def _cached_image(self, digest: str) -> Image:
        for registry in self.sim.registries.values():
            for repo in registry.repositories.values():
                if digest in repo.images:
                    return repo.images[digest]
        return Image.build(digest, "", 0)

    def _started(self, pod: Pod, run: ContainerRun, image: Image, at: int) -> None:
        run.image_id = image.digest
        run.broken = image.broken
        run.started = at
        self.sim.log.record(self.sim.clock.now, "pulled", f"{pod.namespace}/{pod.name}", pod.namespace,
                            image.digest, reason="cached" if run.pulled_from_cache else "pulled", message=run.image)
        if image.broken:
            self.sim.log.record(at, "crashloop", f"{pod.namespace}/{pod.name}", namespace=pod.namespace,
                                digest=image.digest, message=run.name, warning=True)
        if run.init and not image.broken:  # it completes a second after it starts; then the next one
            self.sim.clock.schedule(at + 1, self._next, pod, priority=PRIORITY_KUBELET)
        ready = pod.ready_at()
        if ready is not None:
            self.sim.cluster.pod_ready_known(pod, ready)

    def _failed(self, pod: Pod, run: ContainerRun, failure: PullFailure) -> None:
        now = self.sim.clock.now
        if run.first_failure < 0:
            run.first_failure = now
        run.last_failure = now
        run.pull_failures += 1
        run.failure_reason = failure.reason
        run.failure_message = failure.message
        self.sim.log.append(now, "pull-failed", f"{pod.namespace}/{pod.name}", namespace=pod.namespace,
                            reason=failure.reason, message=failure.message, warning=True)
        if failure.retry_from is not None:
            self._retry_at(pod, run, failure.retry_from)
        elif failure.key is not None:
            self.waiting.setdefault(failure.key, {})[(pod.namespace, pod.name, pod.containers.index(run))] = None

    def _retry_at(self, pod: Pod, run: ContainerRun, t: int) -> None:
        count, at = next_retry(run.first_failure, max(t, self.sim.clock.now + 1))
        run.retry_at = at
        self.sim.clock.schedule(at, self._retry, pod, run, priority=PRIORITY_KUBELET)

    def _retry(self, pod: Pod, run: ContainerRun) -> None:
        count, _ = next_retry(run.first_failure, self.sim.clock.now)
        run.pull_failures = max(run.pull_failures, count)
        if run.started < 0:
            self._attempt(pod, run)

    def upstream_changed(self, host: str, path: str, tag: str) -> None:
        """A tag was pushed upstream: retry the pulls that waited for it."""
        waiting = self.waiting.pop((host, path, tag), None)
        if not waiting:
            return
        for namespace, name, index in waiting:
            pod = self.sim.cluster.pods.get((namespace, name))
            if pod is None or pod.deleted >= 0:
                continue
            run = pod.containers[index]
            if run.started < 0:
                self._retry_at(pod, run, self.sim.clock.now)

    # status --------------------------------------------------------------------------------
    @staticmethod
    def backoff_restarts(run: ContainerRun, now: int) -> int:
        if run.first_failure < 0:
            return 0
        count, _ = next_retry(run.first_failure, now + 1)
        return count
