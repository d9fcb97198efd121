"""The Simulation: one seeded, simulated cluster with its registries, clock and event log.

It is the facade the notebooks and the ``oc`` emulator use: upstream changes (``push``,
``untag``, ``outage``), objects in (``apply``, ``restore``), time (``advance``, ``run``) and
``oc``. Every simulation owns its state; several can live side by side.
"""

from __future__ import annotations

import hashlib
import random
import weakref
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from .apiserver import ApiServer
from .cluster import Cluster
from .clock import MAX_SECONDS, Clock, collector_paused, parse_duration
from .errors import ClockError, Invalid, InvalidReference, NotFound
from .events import EventLog
from .imagestream import ImageStream, TagHistory
from .importer import Importer, upstream_key
from .journal import Entry, Journal, ReadAhead, journaled
from .manifests import ParsedStream, flatten_objects, load_objects, parse_stream
from .reference import ImageReference
from .registry import INTERNAL_REGISTRY, KNOWN_REGISTRIES, Image, Registry, build_digest, new_image
from .workload_manifests import WORKLOAD_KINDS, apply_object, check_objects, parse_object, read_plain
from .workloads import Workload

if TYPE_CHECKING:
    from .oc import OcResult

__all__ = ["Simulation", "latest_simulation"]

PRIORITY_UPSTREAM = 10
_latest: weakref.ref | None = None


def latest_simulation() -> Simulation | None:
    """The simulation created most recently (what ``%oc`` uses unless told otherwise)."""
    return _latest() if _latest is not None else None


class Simulation:
    """A simulated OpenShift cluster and the registries around it.

    >>> sim = Simulation(seed=0)
    >>> sim.now.isoformat()
    '2025-03-03T09:00:00+00:00'
    """

    def __init__(self, seed: int = 0, *, project: str = "myproject", user: str = "developer") -> None:
        global _latest
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = Clock()
        self.log = EventLog()
        self.registries: dict[str, Registry] = {host: Registry(host) for host in KNOWN_REGISTRIES}
        self.server = ApiServer(self.clock, self.log, seed)
        for namespace in ("default", "openshift", project):
            self.server.add_namespace(namespace)
        self.importer = Importer(self.server, self.registry, self.log)
        self.cluster = Cluster(self)
        self.project = project
        self.user = user
        self._journal = Journal([Entry(0, "new", {"seed": seed, "project": project, "user": user})])
        self._journal_depth = 0
        self._view_at: int | None = None
        self.clock.handlers["push"] = self._do_push  # (queued pushes are plain data: clock.schedule_plain)
        # an upstream pull spec pushed to -> its push target ((host, path, tag), the event subject
        # of its pushes ``host/path:tag``: often the pull spec itself)
        self._push_targets: dict[str, tuple[tuple[str, str, str], str]] = self.importer.pushed
        _latest = weakref.ref(self)

    def __repr__(self) -> str:
        streams = sum(len(s) for s in self.server.namespaces.values())
        return f"<Simulation seed={self.seed} now={self.clock.timestamp(self.clock.now)} streams={streams}>"

    def __str__(self) -> str:
        """A summary table: time, projects, streams, workloads, pods by status (imagesim.display)."""
        from .display import simulation_text

        return simulation_text(self)

    def _repr_html_(self) -> str | None:
        from .display import simulation_html

        return simulation_html(self)

    @property
    def journal(self) -> Journal:
        """Every input this simulation received, in order (:mod:`imagesim.journal`)."""
        return self._journal

    @journal.setter
    def journal(self, entries: Iterable[Entry]) -> None:
        self._journal = Journal(entries)

    # time ------------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        """The simulated time, as a timezone-aware datetime."""
        return self.clock.to_datetime(self.clock.now)

    @property
    def time(self) -> int:
        """The simulated time in seconds since the start."""
        return self.clock.now

    def _at(self, at: Any, what: str = "at") -> int:
        if at is None:
            return self.clock.now
        t = at if type(at) is int and 0 <= at <= MAX_SECONDS else self.clock.resolve(at, what=what)
        if t < self.clock.now:
            raise ClockError(f"{what}={at!r} is in the past: the simulation is already at "
                             f"{self.clock.timestamp(self.clock.now)}")
        return t

    def _settle(self) -> None:
        """Run whatever is due now (controllers reacting to the last change)."""
        self.clock.run(self.clock.now)

    @journaled("advance")
    def advance(self, duration: Any) -> None:
        """Move the clock forward by ``duration`` ("15m", "2h", a timedelta, seconds)."""
        self.clock.run(self.clock.now + parse_duration(duration))

    @journaled("run")
    def run(self, until: Any) -> None:
        """Run to an absolute time: a datetime, or a duration counted from the start."""
        self.clock.run(self._at(until, "until"))

    # registries ------------------------------------------------------------------------------
    def registry(self, host: str) -> Registry:
        """The registry at ``host`` (any host exists on first use)."""
        registry = self.registries.get(host)
        if registry is None:
            registry = self.registries[host] = Registry(host)
        return registry

    @journaled("push")
    def push(self, pullspec: str, digest: str | None = None, broken: bool = False, at: Any = None) -> str:
        """Push new content to ``pullspec`` (a tag) upstream, or into the internal registry.

        Returns the digest (computed from the content, or ``digest`` when given). ``at`` delays
        the push to a later simulated time. ``broken=True`` makes an image that crashes.
        """
        target = self._push_targets.get(pullspec) if type(pullspec) is str else None
        if target is None:
            ref = ImageReference.parse_normalized(pullspec)
            if ref.digest:
                raise InvalidReference("a push needs a tag, not a digest", pullspec)
            domain, tag = ref.domain, ref.tag or "latest"  # (the parse keeps one string of each name)
            subject = f"{domain}/{ref.path}:{tag}"
            target = ((domain, ref.path, tag), pullspec if subject == pullspec else subject)
            if ref.domain != INTERNAL_REGISTRY:  # (an internal one depends on the project existing)
                self._push_targets[pullspec] = target
        (domain, path, tag), subject = target
        if digest is not None:
            _check_digest(digest)
        if domain == INTERNAL_REGISTRY:
            parts = path.split("/")
            if len(parts) != 2:
                raise InvalidReference(f"the internal registry takes <project>/<stream>, not {path!r}", pullspec)
            self.server.require_namespace(parts[0])
        t = self._at(at)
        registry = self.registries.get(domain) or self.registry(domain)
        repo = registry.repositories.get(path) or registry.repository(path, create=True)
        repo.builds += 1  # type: ignore[union-attr]
        if digest is None:
            digest = build_digest(self.seed, repo.name, tag, repo.builds, bool(broken))
        # (the queued push names its target by the pull spec, or an internal one by its subject:
        # strings only, so that the collector stops tracking it at its first pass)
        queued = subject if domain == INTERNAL_REGISTRY else pullspec
        self.clock.schedule_plain(t, "push", (queued, digest, bool(broken)), priority=PRIORITY_UPSTREAM)
        self._settle()
        return digest

    def _do_push(self, queued: str, digest: str, broken: bool) -> None:
        target = self._push_targets.get(queued)
        if target is None:  # into the internal registry
            subject = queued
            ref = ImageReference.parse_normalized(subject)
            watch = host, path, tag = ref.domain, ref.path, ref.tag
        else:
            watch, subject = target
            host, path, tag = watch
        registry = self.registries.get(host) or self.registry(host)
        now = self.clock.now
        repo = registry.repositories.get(path) or registry.repository(path, create=True)
        image = repo.images.get(digest) or new_image(digest, repo.name, now, broken)  # type: ignore[union-attr]
        previous = registry.push(path, tag, image)
        self.log.record(now, "push", subject, "", digest, previous or "", "", "broken image" if broken else "", broken)
        if host == INTERNAL_REGISTRY:
            namespace, name = path.split("/")
            self.server.push(namespace, name, tag, image)
        elif self.importer.lean_imports:
            self.importer.tag_pushed(watch)
        else:
            self.importer.upstream_changed(host, path, tag)
        kubelet = self.cluster.kubelet
        if kubelet.waiting:  # (pulls that wait for an upstream tag)
            kubelet.upstream_changed(host, path, tag)

    @journaled("untag")
    def untag(self, pullspec: str, at: Any = None) -> None:
        """Upstream deletes a tag: later imports of it fail with NotFound."""
        host, path, tag, digest = upstream_key(pullspec)
        if digest:
            raise InvalidReference("untag needs a tag, not a digest", pullspec)
        repo = self.registry(host).repository(path)
        if repo is None or tag not in repo.tags:
            raise NotFound(f'tag "{tag}" not found in repository "{host}/{path}"')
        self.clock.schedule(self._at(at), self._do_untag, host, path, tag, priority=PRIORITY_UPSTREAM)
        self._settle()

    def _do_untag(self, host: str, path: str, tag: str) -> None:
        registry = self.registry(host)
        repo = registry.repository(path)
        if repo is None or tag not in repo.tags:
            return
        previous = registry.untag(path, tag)
        self.log.append(self.clock.now, "untag", f"{host}/{path}:{tag}", previous=previous, warning=True)
        self.importer.upstream_changed(host, path, tag)

    @journaled("outage")
    def outage(self, host: str, start: Any = None, duration: Any = "2h") -> None:
        """Make ``host`` unreachable from ``start`` (default now) for ``duration``."""
        if not isinstance(host, str) or not host:
            raise InvalidReference("a registry host is required", str(host))
        begin = self._at(start, "start")
        length = parse_duration(duration, what="duration")
        if length <= 0:
            raise ClockError("an outage needs a positive duration")
        registry = self.registry(host)
        registry.add_outage(begin, begin + length)
        self.clock.schedule(begin, self._outage_edge, host, "outage-start", length, priority=PRIORITY_UPSTREAM)
        self.clock.schedule(begin + length, self._outage_edge, host, "outage-end", length,
                            priority=PRIORITY_UPSTREAM)
        self._settle()

    def _outage_edge(self, host: str, kind: str, length: int) -> None:
        self.log.append(self.clock.now, kind, host, warning=kind == "outage-start",
                        message=f"{host} unreachable for {length}s" if kind == "outage-start" else "")
        self.importer.upstream_changed(host)

    def images_in_use(self) -> set[str]:
        """Digests that workloads use now (pruning keeps them)."""
        return self.cluster.images_in_use()

    @journaled("drain")
    def drain(self, node: str) -> list[str]:
        """Cordon ``node`` and evict its pods, like ``oc adm drain``: their ReplicationControllers
        and ReplicaSets recreate them on the other nodes. Returns the evicted pods' names."""
        from .rollouts import drain

        evicted = drain(self, node)
        self._settle()
        return [pod.name for pod, _ in evicted]

    def rng_for(self, name: str) -> random.Random:
        """A random stream of its own for ``name``, derived from the simulation's seed."""
        digest = hashlib.sha256(f"{self.seed}/{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    # objects ---------------------------------------------------------------------------------
    def stream(self, name: str, namespace: str | None = None) -> ImageStream:
        """The image stream ``name`` in ``namespace`` (default: the current project)."""
        return self.server.get(namespace or self.project, name)

    def _parse(self, objects: Any, *, with_status: bool) -> list[ParsedStream]:
        streamed = type(objects) is ReadAhead  # (manifests as the journal read them: see journaled)
        if streamed:
            items = []
            for obj in objects:
                if isinstance(obj, (Workload, ParsedStream)):
                    items.append(obj)
                else:
                    items.extend(flatten_objects([obj]))
        elif isinstance(objects, str):
            items = load_objects(objects)
        elif isinstance(objects, dict):
            items = flatten_objects([objects])
        elif isinstance(objects, Iterable):
            items = flatten_objects(list(objects))
        else:
            raise Invalid(f"cannot apply {type(objects).__name__}: expected API objects", reason="BadRequest")
        parsed: list = []
        server, project = self.server, self.project
        ensure = server.add_namespace if with_status else server.require_namespace
        known = None  # the namespace ensured last (consecutive objects mostly share one)
        for obj in items:
            if streamed and isinstance(obj, (Workload, ParsedStream)):  # read already
                read = obj
                kind = obj.kind if type(obj) is Workload else "ImageStream"
            else:
                kind = obj.get("kind")
                read = None
            if kind in WORKLOAD_KINDS:  # DeploymentConfig, Deployment, Service, Pod, RC, RS, Endpoints, Node
                workload = read if type(read) is Workload else parse_object(obj, project)
                if kind != "Node":  # nodes belong to no namespace
                    namespace = workload.namespace
                    if namespace != known:
                        ensure(namespace)
                        known = namespace
                parsed.append(workload)
                continue
            if kind != "ImageStream":
                raise Invalid(f'error: resource mapping not found for name: "{_name(obj)}" namespace: "" '
                              f'from "STDIN": no matches for kind "{kind}" in version '
                              f'"{obj.get("apiVersion", "")}"', reason="BadRequest")
            item = read if type(read) is ParsedStream else parse_stream(obj, project, self.clock,
                                                                        with_status=with_status)
            if item.namespace != known:
                ensure(item.namespace)
                known = item.namespace
            server.validate(item.namespace, item.name, item.spec, check_sources=not with_status)
            parsed.append(item)
        check_objects(self, parsed)  # the checks against the cluster's state, before anything changes
        return parsed

    @journaled("apply", read_ahead=lambda sim, chunk: [read_plain(obj, sim.project) for obj in chunk])
    def apply(self, objects: Any) -> list[str]:
        """Create or update objects like ``oc apply -f`` (status is ignored).

        ``objects``: a YAML or JSON text, a manifest (a dict), or a list or other iterable of
        manifests. An iterator (a generator, say) is read a chunk at a time, so a long stream of
        manifests is never all in memory at once. Everything is checked first: when one object
        is invalid, nothing is applied. Returns the lines ``oc apply`` prints.
        """
        with collector_paused():  # many new objects that live on, and no cycles to collect
            return self._apply(objects)

    def _apply(self, objects: Any) -> list[str]:
        parsed = self._parse(objects, with_status=False)
        if len({item.name for item in parsed}) < len(parsed):  # (one object twice shares its name)
            keys = [item.key if type(item) is Workload else  # (kind, namespace, name)
                    (type(item).__name__, getattr(item, "kind", ""), getattr(item, "namespace", ""), item.name)
                    for item in parsed]
        else:
            keys = []
        if len(set(keys)) < len(keys):
            # one object twice in a list: later copies are checked against the earlier ones only
            # when applied, so apply the list to a copy first; nothing changes here if that fails
            import copy

            copy.deepcopy(self)._apply_parsed(copy.deepcopy(parsed))
        return self._apply_parsed(parsed)

    def _apply_parsed(self, parsed: list) -> list[str]:
        out = []
        append, clock, server = out.append, self.clock, self.server
        settle = clock.run  # (what _settle does, after each object)
        for item in parsed:
            if type(item) is not ParsedStream:
                append(apply_object(self, item))
                settle(clock.now)
                continue
            existing = server.find(item.namespace, item.name)
            if existing is None:
                server.create(item.namespace, item.name, item.spec, lookup_local=item.lookup_local,
                              annotations=item.annotations, labels=item.labels,
                              docker_image_repository=item.docker_image_repository, validated=True)
                append(f"imagestream.image.openshift.io/{item.name} created")
            else:
                before = (existing.spec_signature(), dict(existing.annotations), dict(existing.labels))
                annotations = dict(existing.annotations)
                annotations.update(item.annotations)
                labels = dict(existing.labels)
                labels.update(item.labels)
                server.update(existing, item.spec, lookup_local=item.lookup_local,
                              annotations=annotations, labels=labels,
                              docker_image_repository=item.docker_image_repository)
                after = (existing.spec_signature(), existing.annotations, existing.labels)
                state = "unchanged" if before == after else "configured"
                append(f"imagestream.image.openshift.io/{item.name} {state}")
            settle(clock.now)
        return out

    @journaled("restore")
    def restore(self, objects: Any) -> list[str]:
        """Load objects including their status, such as a real cluster's ``oc get is -o json``.

        Upstream tags the simulation has never seen are set to the digest the restored history
        shows, so a re-import finds the cluster in step with upstream.
        """
        parsed = self._parse(objects, with_status=True)
        out = []
        for item in parsed:
            if not isinstance(item, ParsedStream):  # workloads are created again (their status is not restored)
                out.append(apply_object(self, item).rsplit(" ", 1)[0] + " restored")
                continue
            created = item.created if item.created is not None else self.clock.now
            stream = ImageStream(item.namespace, item.name, created, uid=item.uid,
                                 generation=item.generation or 1, labels=item.labels,
                                 annotations=item.annotations, lookup_local=item.lookup_local,
                                 docker_image_repository=item.docker_image_repository)
            for ref in item.spec:
                if ref.generation is None:
                    ref.generation = stream.generation
                stream.spec[ref.name] = ref
            stream.status = {tag: TagHistory(h.items, h.conditions) for tag, h in item.status.items()}
            self._seed_upstream(stream)
            self.server.restore(stream)
            out.append(f"imagestream.image.openshift.io/{item.name} restored")
        self._settle()
        return out

    def _seed_upstream(self, stream: ImageStream) -> None:
        for name, ref in stream.spec.items():
            head = stream.head(name)
            if not ref.importable or head is None or not head.image:
                continue
            try:
                host, path, tag, digest = upstream_key(ref.from_name)
            except ValueError:
                continue
            registry = self.registry(host)
            repo = registry.repository(path, create=True)
            assert repo is not None
            image = repo.images.get(head.image) or Image.build(head.image, f"{host}/{path}", head.created)
            repo.images.setdefault(head.image, image)
            if not digest and tag not in repo.tags:
                repo.tags[tag] = head.image

    # the oc emulator -------------------------------------------------------------------------
    @journaled("oc")
    def oc(self, command: str) -> OcResult:
        """Run an ``oc`` command line against this simulation; never raises for user mistakes."""
        from .oc import run

        return run(self, command)

    @journaled("oc_stdin")
    def oc_stdin(self, command: str, stdin: str) -> OcResult:
        """Run an ``oc`` command with ``stdin`` as its standard input (``oc apply -f -``)."""
        from .oc import run

        return run(self, command, stdin)

    @journaled("docker")
    def docker(self, command: str) -> OcResult:
        """Run a ``docker`` command line on the student's machine (pull, tag, push into the
        internal registry...); never raises for user mistakes."""
        from .oc.docker import run_docker

        return run_docker(self, command)

    def graph(self, at: Any = None):
        """The networkx view of this simulation (:func:`imagesim.graph.build_graph`)."""
        from .graph import build_graph

        return build_graph(self, at=at)

    # history: time travel, save and load -------------------------------------------------------
    @property
    def history_start(self) -> int:
        """The earliest time :meth:`at` can show (a scenario's world starts where its builder
        left it)."""
        origin = self.journal[0]
        return origin.time if origin.op == "scenario" else 0

    def at(self, time: Any) -> Simulation:
        """A read-only view of this simulation as it was at ``time`` (a datetime, or a duration
        counted from the start): ``oc get``/``describe``, graphs and reports work on it; commands
        that would change it are refused."""
        from .journal import replay

        t = self.clock.resolve(time, what="time")
        if t < self.history_start:
            origin = self.journal[0]
            raise ClockError(f"time={time!r} is before this world was built by scenario "
                             f"{origin.args.get('name')} (at {self.clock.timestamp(origin.time)}): "
                             "there is nothing to show earlier")
        if t > self.clock.now:
            raise ClockError(f"time={time!r} is in the future: the simulation is at "
                             f"{self.clock.timestamp(self.clock.now)}")
        view = replay(self.journal, until=t)
        view._view_at = t
        return view

    def save(self, path: Any) -> None:
        """Write the whole lab (its inputs, its state and its event log) to one JSON file."""
        from .saving import save

        save(self, path)

    @classmethod
    def load(cls, path: Any) -> Simulation:
        """A simulation saved with :meth:`save`, rebuilt and checked against what was saved."""
        from .saving import load

        return load(path)


def _name(obj: dict) -> str:
    meta = obj.get("metadata")
    return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def _check_digest(digest: str) -> None:
    algorithm, _, hexpart = str(digest).partition(":")
    if algorithm != "sha256" or len(hexpart) != 64 or any(c not in "0123456789abcdef" for c in hexpart):
        raise InvalidReference("invalid checksum digest format", str(digest))
