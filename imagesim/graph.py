"""The networkx view of a Simulation: building the graph, and the helpers its questions share.

:func:`build_graph` turns a simulation into a :class:`networkx.MultiDiGraph`. It is a view built on
demand: the core never imports this module (``sim.graph()`` imports it inside the method).
The questions asked of it live next door and are importable from here too:
:func:`~imagesim.blast.blast_radius` (:mod:`imagesim.blast`) answers "what does a push to this
upstream tag reach, when, and what is shielded from it and why"; :func:`~imagesim.explain.explain`
(:mod:`imagesim.explain`) answers "why does this workload, pod or stream tag run what it runs, and
why did it not follow upstream".

Nodes: the id is a readable string; every node has ``kind`` and ``label`` (plus the attributes
named here, and ``namespace``/``name`` where the object has them):

- ``Registry`` ``registry:docker.io`` (``host``, ``internal``, ``available``, ``outages``);
- ``Repository`` ``repo:docker.io/library/nginx`` (``host``, ``path``);
- ``UpstreamTag`` ``upstream:docker.io/library/nginx:latest`` (``digest`` it points at,
  ``exists``: False for a tag something names but nobody pushed);
- ``Image`` ``image:sha256:…`` (``digest``, ``broken``, ``repository``, ``created``, ``size``);
- ``ImageStream`` ``is:openshift/mongodb`` (``lookup_local``, ``generation``);
- ``ImageStreamTag`` ``istag:openshift/mongodb:3.2``: its spec (``from_kind``, ``from_name``,
  ``scheduled``, ``reference``, ``reference_policy``) and status (``image``, ``ref``, ``updated``,
  ``items``, ``import_error``);
- ``DeploymentConfig`` ``dc:myproject/web`` and ``Deployment`` ``deploy:myproject/web``
  (``revision``, ``replicas``, ``paused``, ``triggered``, ``images``);
- ``ReplicationController`` ``rc:myproject/web-2`` and ``ReplicaSet`` ``rs:myproject/web-5d8f…``
  (``revision``, ``phase``, ``cause``, ``replicas``, ``workload``);
- ``Pod`` ``pod:myproject/web-2-x7k2p`` (``node``, ``terminating``, ``broken``, ``waiting``,
  ``workload``, ``owner``).

Edges point from the dependent object to what it depends on. The edge key is the relation
(``relation`` is also an attribute), suffixed where one pair can have several edges:

- ``repository_of`` (Repository → Registry), ``tag_of`` (UpstreamTag → Repository,
  ImageStreamTag → ImageStream), ``stored_in`` (Image → Repository);
- ``points_at`` (UpstreamTag or ImageStreamTag → the Image it points at now);
- ``history:<index>`` (ImageStreamTag → Image; ``index``, ``created``, ``ref``, ``generation``);
- ``imports_from`` (ImageStreamTag → UpstreamTag; ``scheduled``, ``reference``, ``source``);
- ``tracks`` (ImageStreamTag → ImageStreamTag; ``follows``: an alias in the same stream follows
  its source, an ``ImageStreamTag`` source in another stream is copied once);
- ``pins`` (ImageStreamTag → Image: an ``ImageStreamImage`` snapshot or a ``DockerImage@digest``);
- ``triggers:<n>`` (workload → ImageStreamTag; ``automatic``, ``paused``, ``containers``);
- ``uses:<container>`` (workload or Pod → what its container image names: an UpstreamTag, an
  ImageStreamTag through the internal registry, or an Image by digest; ``pull_policy``);
- ``rs_of`` (RC/RS → workload), ``pod_of`` (Pod → RC/RS);
- ``runs:<container>`` (Pod → Image), ``pulled_from:<container>`` (Pod → Registry).

Deployer pods are left out. ``at=`` builds the graph as it stood at an earlier time, as far as the
current state still records it (history items, objects' creation and deletion times, the log of
upstream pushes); objects deleted since are gone from the simulation and so from the graph.
"""

from __future__ import annotations

import gc
import re
import weakref
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import networkx as nx

from .clock import format_rfc3339
from .errors import ClockError
from .importer import upstream_key
from .reference import ImageReference, split_istag
from .registry import INTERNAL_REGISTRY

if TYPE_CHECKING:
    from .events import Event
    from .imagestream import ImageStream
    from .simulation import Simulation
    from .workloads import ImageChangeTrigger, Workload

__all__ = [
    "BlastRadius",
    "Explanation",
    "Hit",
    "Reason",
    "Step",
    "blast_radius",
    "build_graph",
    "explain",
    "image_node",
    "istag_node",
    "next_import_check",
    "pod_node",
    "rollback_disabled",
    "upstream_node",
    "workload_node",
]

WORKLOAD_KINDS = ("DeploymentConfig", "Deployment")
_WORKLOAD_PREFIX = {"DeploymentConfig": "dc", "Deployment": "deploy"}
_RS_PREFIX = {"ReplicationController": "rc", "ReplicaSet": "rs"}


# -------------------------------------------------------------------------------------------
# node ids

def image_node(digest: str) -> str:
    return "image:" + digest


def istag_node(namespace: str, stream: str, tag: str) -> str:
    return f"istag:{namespace}/{stream}:{tag}"


def upstream_node(pullspec: str) -> str:
    """``upstream:<host>/<path>:<tag>`` of a pull spec, Docker-normalized."""
    host, path, tag, _ = upstream_key(pullspec)
    return f"upstream:{host}/{path}:{tag}"


def workload_node(kind: str, namespace: str, name: str) -> str:
    return f"{_WORKLOAD_PREFIX[kind]}:{namespace}/{name}"


def pod_node(namespace: str, name: str) -> str:
    return f"pod:{namespace}/{name}"


_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_COMMON = re.compile(
    rf"(?:(?P<host>(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::[0-9]+)?|localhost(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+)/)?"
    rf"(?P<path>{_COMPONENT}(?:/{_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?")


def _split(image: str) -> tuple[str, str, str, str] | None:
    """(host, path, tag, digest) of a container image, Docker-normalized; None when it does not
    parse. The common spellings take a one-regex path; the rest go to the full grammar."""
    match = _COMMON.fullmatch(image)
    if match is not None and match["host"] not in ("index.docker.io", "registry-1.docker.io"):
        host, path, tag, digest = match.group("host", "path", "tag", "digest")
        if host is None:
            host = "docker.io"
            if "/" not in path:
                path = "library/" + path
        return host, path, tag or ("" if digest else "latest"), digest or ""
    try:
        ref = ImageReference.parse_normalized(image)
    except ValueError:
        return None
    return ref.domain, ref.path, ref.tag or ("" if ref.digest else "latest"), ref.digest


# -------------------------------------------------------------------------------------------
# building the graph

def _resolve_at(sim: Simulation, at: Any) -> int:
    if at is None:
        return sim.clock.now
    t = sim.clock.resolve(at, what="at")
    if t > sim.clock.now:
        raise ClockError(f"at={at!r} is in the future: the simulation is at {sim.clock.timestamp(sim.clock.now)}")
    return t


def _upstream_tags_at(sim: Simulation, t: int) -> dict[tuple[str, str, str], str]:
    """What every upstream tag pointed at at time ``t`` (from the log of pushes and untags)."""
    tags: dict[tuple[str, str, str], str] = {}
    for event in sim.log:  # in seq order; times are not monotonic (a crash is logged ahead)
        if event.time > t:
            continue
        if event.kind in ("push", "untag"):
            repo, _, tag = event.subject.rpartition(":")
            host, _, path = repo.partition("/")
            if event.kind == "push":
                tags[(host, path, tag)] = event.digest
            else:
                tags.pop((host, path, tag), None)
    return tags


class _Builder:
    """Collects the nodes (id -> attributes) and keyed edges of the graph, layer by layer."""

    def __init__(self, sim: Simulation, t: int) -> None:
        self.sim = sim
        self.t = t
        self.past = t < sim.clock.now
        self.nodes: dict[str, dict] = {}  # node id -> attributes, in insertion order
        self.edges: list[tuple[str, str, str, dict]] = []
        self.targets: dict[str, tuple[str, str] | None] = {}

    def node(self, node_id: str, attrs: dict) -> None:
        if node_id not in self.nodes:
            self.nodes[node_id] = attrs

    # placeholders for things named but not (or no longer) present ------------------------------
    def registry(self, host: str) -> str:
        node_id = "registry:" + host
        if node_id not in self.nodes:
            self.node(node_id, {"kind": "Registry", "label": host, "host": host,
                                "internal": host == INTERNAL_REGISTRY, "available": True, "outages": ()})
        return node_id

    def repository(self, host: str, path: str) -> str:
        node_id = f"repo:{host}/{path}"
        if node_id not in self.nodes:
            self.node(node_id, {"kind": "Repository", "label": f"{host}/{path}", "host": host, "path": path})
            self.edges.append((node_id, self.registry(host), "repository_of", {"relation": "repository_of"}))
        return node_id

    def upstream(self, host: str, path: str, tag: str) -> str:
        node_id = f"upstream:{host}/{path}:{tag}"
        if node_id not in self.nodes:
            self.node(node_id, {"kind": "UpstreamTag", "label": f"{host}/{path}:{tag}", "host": host,
                                "repository": f"{host}/{path}", "tag": tag, "digest": "", "exists": False})
            self.edges.append((node_id, self.repository(host, path), "tag_of", {"relation": "tag_of"}))
        return node_id

    def image(self, digest: str) -> str:
        node_id = "image:" + digest
        if node_id not in self.nodes:
            self.node(node_id, {"kind": "Image", "label": _short(digest), "digest": digest, "repository": "",
                                "broken": False, "created": None, "size": None, "known": False})
        return node_id

    def istag(self, namespace: str, stream: str, tag: str) -> str:
        node_id = f"istag:{namespace}/{stream}:{tag}"
        if node_id not in self.nodes:
            self.node(node_id, {"kind": "ImageStreamTag", "label": f"{namespace}/{stream}:{tag}",
                                "namespace": namespace, "stream": stream, "tag": tag, "exists": False,
                                "spec": False, "from_kind": "", "from_name": "", "from_namespace": "",
                                "scheduled": False, "reference": False, "reference_policy": "Source",
                                "image": "", "ref": "", "updated": None, "items": 0, "import_error": ""})
        return node_id

    def target(self, image: str) -> tuple[str, str] | None:
        """(node, registry node) of what a container image names (memoized: templates repeat
        their images): an Image by digest, a stream tag of the internal registry, an upstream tag."""
        found = self.targets.get(image, False)
        if found is not False:
            return found
        parts = _split(image)
        if parts is None:
            found = None
        else:
            host, path, tag, digest = parts
            if digest:
                node_id = self.image(digest)
            elif host == INTERNAL_REGISTRY and path.count("/") == 1:
                namespace, _, stream = path.partition("/")
                node_id = self.istag(namespace, stream, tag)
            else:
                node_id = self.upstream(host, path, tag)
            found = (node_id, self.registry(host))
        self.targets[image] = found
        return found

    # the layers ------------------------------------------------------------------------------
    def registries(self) -> None:
        sim, t = self.sim, self.t
        images: dict[str, tuple] = {}
        pushed = _upstream_tags_at(sim, t) if self.past else None
        tag_edges = []
        for host in sorted(sim.registries):
            registry = sim.registries[host]
            self.node("registry:" + host, {"kind": "Registry", "label": host, "host": host,
                                           "internal": host == INTERNAL_REGISTRY, "available": registry.available(t),
                                           "outages": tuple(registry.outages)})
            for path in sorted(registry.repositories):
                repo = registry.repositories[path]
                repo_id = self.repository(host, path)
                for digest, image in repo.images.items():
                    if image.created <= t:
                        images.setdefault(digest, (image, []))[1].append(repo_id)
                tags = repo.tags if pushed is None else {tag: d for (h, p, tag), d in pushed.items()
                                                         if h == host and p == path}
                for tag in sorted(tags):
                    tag_id = f"upstream:{host}/{path}:{tag}"
                    self.node(tag_id, {"kind": "UpstreamTag", "label": f"{host}/{path}:{tag}", "host": host,
                                       "repository": f"{host}/{path}", "tag": tag, "digest": tags[tag],
                                       "exists": True})
                    self.edges.append((tag_id, repo_id, "tag_of", {"relation": "tag_of"}))
                    tag_edges.append((tag_id, tags[tag]))
        for digest, image in sim.server.images.items():
            if digest not in images and image.created <= t:
                images[digest] = (image, [])
        for digest in sorted(images):
            image, repos = images[digest]
            node_id = "image:" + digest
            self.nodes[node_id] = {"kind": "Image", "label": _short(digest), "digest": digest,
                                   "repository": image.repository, "broken": image.broken, "created": image.created,
                                   "size": image.size, "known": True}
            for repo_id in repos:
                self.edges.append((node_id, repo_id, "stored_in", {"relation": "stored_in"}))
        for tag_id, digest in tag_edges:
            self.edges.append((tag_id, self.image(digest), "points_at", {"relation": "points_at"}))

    def streams(self) -> None:
        t, past, edges = self.t, self.past, self.edges
        for stream in self.sim.server.streams():
            if stream.created > t:
                continue
            ns, name = stream.namespace, stream.name
            stream_id = f"is:{ns}/{name}"
            self.node(stream_id, {"kind": "ImageStream", "label": f"{ns}/{name}", "namespace": ns, "name": name,
                                  "lookup_local": stream.lookup_local, "generation": stream.generation,
                                  "created": stream.created})
            for tag in stream.tag_names():
                ref = stream.spec.get(tag)
                history = stream.status.get(tag)
                items = history.items if history is not None else []
                if past:
                    items = [item for item in items if item.created <= t]
                head = items[0] if items else None
                error = ""
                if history is not None and not past:
                    for condition in history.conditions:
                        if condition.type == "ImportSuccess" and condition.status == "False":
                            error = f"{condition.reason}: {condition.message}"
                            break
                node_id = f"istag:{ns}/{name}:{tag}"
                self.nodes[node_id] = {  # replaces the placeholder a tracking tag may have made
                    "kind": "ImageStreamTag", "label": f"{ns}/{name}:{tag}", "namespace": ns, "stream": name,
                    "tag": tag, "exists": True, "spec": ref is not None,
                    "from_kind": ref.from_kind if ref else "", "from_name": ref.from_name if ref else "",
                    "from_namespace": ref.from_namespace if ref else "",
                    "scheduled": bool(ref and ref.scheduled), "reference": bool(ref and ref.reference),
                    "reference_policy": ref.reference_policy if ref else "Source",
                    "image": head.image if head else "", "ref": head.ref if head else "",
                    "updated": head.created if head else None, "items": len(items), "import_error": error}
                edges.append((node_id, stream_id, "tag_of", {"relation": "tag_of"}))
                if head is not None and head.image:
                    edges.append((node_id, self.image(head.image), "points_at", {"relation": "points_at"}))
                for index, item in enumerate(items):
                    if item.image:
                        edges.append((node_id, self.image(item.image), f"history:{index}",
                                      {"relation": "history", "index": index, "created": item.created,
                                       "ref": item.ref, "generation": item.generation}))
                if ref is not None:
                    self.source(stream, ref, node_id)

    def source(self, stream: ImageStream, ref, node_id: str) -> None:
        kind = ref.from_kind
        if kind == "DockerImage":
            parts = _split(ref.from_name)
            if parts is None:
                return
            host, path, tag, digest = parts
            if digest:
                self.edges.append((node_id, self.image(digest), "pins",
                                   {"relation": "pins", "source_kind": kind, "source": ref.from_name}))
            else:
                self.edges.append((node_id, self.upstream(host, path, tag), "imports_from",
                                   {"relation": "imports_from", "scheduled": ref.scheduled,
                                    "reference": ref.reference, "source": ref.from_name}))
        elif kind == "ImageStreamTag":
            namespace = ref.from_namespace or stream.namespace
            name, sep, tag = ref.from_name.partition(":")
            if not sep:
                name, tag = stream.name, ref.from_name
            tag = tag or "latest"
            follows = (namespace, name) == stream.key
            self.edges.append((node_id, self.istag(namespace, name, tag), "tracks",
                               {"relation": "tracks", "follows": follows, "source": ref.from_name}))
        elif kind == "ImageStreamImage":
            name, sep, image_id = ref.from_name.partition("@")
            if not sep:
                name, image_id = stream.name, ref.from_name
            head = stream.head(ref.name)
            digest = head.image if head is not None and head.image else (image_id if len(image_id) == 71 else "")
            if digest:
                namespace = ref.from_namespace or stream.namespace
                self.edges.append((node_id, self.image(digest), "pins",
                                   {"relation": "pins", "source_kind": kind,
                                    "source": f"{namespace}/{name}@{image_id}"}))

    def workloads(self) -> None:
        t, past, edges, nodes, target = self.t, self.past, self.edges, self.nodes, self.target
        add = edges.append
        cluster = self.sim.cluster
        rolled: dict[tuple[str, str, str], object] = {}
        if past:  # a workload's template then: the one of its newest RC/RS created by then
            for rs in sorted(cluster.replicasets.values(), key=lambda r: (r.created, r.revision)):
                if rs.created <= t:
                    rolled[(rs.kind, rs.namespace, rs.owner)] = rs.template
        for w in cluster.workloads.values():
            if w.created > t:
                continue
            ns, name = w.namespace, w.name
            prefix = "dc" if w.kind == "DeploymentConfig" else "deploy"
            node_id = f"{prefix}:{ns}/{name}"
            template = w.template
            if past:
                kind = "ReplicationController" if prefix == "dc" else "ReplicaSet"
                template = rolled.get((kind, ns, name), template)
            containers = template.init_containers + template.containers
            nodes[node_id] = {"kind": w.kind, "label": f"{prefix}/{name}", "namespace": ns, "name": name,
                              "revision": w.revision, "replicas": w.replicas, "paused": w.paused,
                              "triggered": bool(w.triggers), "created": w.created,
                              "images": tuple(c.image for c in containers)}
            for index, trigger in enumerate(w.triggers):
                stream, tag, _ = split_istag(trigger.from_name)
                add((node_id, self.istag(trigger.from_namespace or ns, stream, tag), f"triggers:{index}",
                     {"relation": "triggers", "automatic": trigger.automatic or prefix == "deploy",
                      "paused": trigger.paused, "containers": _trigger_containers(w, trigger),
                      "last_triggered_image": trigger.last_triggered_image}))
            for c in containers:
                goal = target(c.image)
                if goal is not None:
                    add((node_id, goal[0], "uses:" + c.name, {"relation": "uses", "container": c.name,
                                                               "image": c.image, "pull_policy": c.pull_policy}))
        for rs in cluster.replicasets.values():
            if rs.created > t:
                continue
            ns = rs.namespace
            prefix, owner_prefix = ("rc", "dc:") if rs.kind == "ReplicationController" else ("rs", "deploy:")
            node_id = f"{prefix}:{ns}/{rs.name}"
            owner = f"{owner_prefix}{ns}/{rs.owner}"
            nodes[node_id] = {"kind": rs.kind, "label": f"{prefix}/{rs.name}", "namespace": ns, "name": rs.name,
                              "revision": rs.revision, "phase": rs.phase, "cause": rs.cause,
                              "replicas": rs.replicas, "created": rs.created, "workload": owner}
            if owner in nodes:
                add((node_id, owner, "rs_of", {"relation": "rs_of"}))
        for pod in cluster.pods.values():
            if pod.deployer or pod.created > t or (past and 0 <= pod.deleted <= t):
                continue
            ns = pod.namespace
            prefix, owner_prefix = ("rc", "dc:") if pod.owner_kind == "ReplicationController" else ("rs", "deploy:")
            node_id = f"pod:{ns}/{pod.name}"
            owner = f"{prefix}:{ns}/{pod.owner}"
            broken = waiting = False
            for run in pod.containers:
                broken = broken or run.broken
                waiting = waiting or run.started < 0 or run.started > t
            nodes[node_id] = {"kind": "Pod", "label": pod.name, "namespace": ns, "name": pod.name,
                              "node": pod.node, "created": pod.created, "terminating": 0 <= pod.deleted <= t,
                              "broken": broken, "waiting": waiting,
                              "workload": f"{owner_prefix}{ns}/{pod.workload}", "owner": owner}
            if owner in nodes:
                add((node_id, owner, "pod_of", {"relation": "pod_of"}))
            for run in pod.containers:
                goal = target(run.image)
                if goal is None:
                    continue
                add((node_id, goal[0], "uses:" + run.name, {"relation": "uses", "container": run.name,
                                                             "image": run.image, "pull_policy": run.pull_policy}))
                if run.image_id and (not past or 0 <= run.started <= t):
                    add((node_id, self.image(run.image_id), "runs:" + run.name,
                         {"relation": "runs", "container": run.name, "image": run.image,
                          "cached": run.pulled_from_cache}))
                    add((node_id, goal[1], "pulled_from:" + run.name,
                         {"relation": "pulled_from", "container": run.name, "cached": run.pulled_from_cache}))


def _trigger_containers(w: Workload, trigger: ImageChangeTrigger) -> tuple[str, ...]:
    if trigger.container_names:
        return tuple(trigger.container_names)
    path = trigger.field_path
    start = path.find('name=="')
    if start >= 0:
        return (path[start + 7: path.find('"', start + 7)],)
    return ()


def build_graph(sim: Simulation, at: Any = None) -> nx.MultiDiGraph:
    """The simulation as a :class:`networkx.MultiDiGraph` (see the module docstring for the node
    and edge vocabulary). ``at`` (a datetime, or a duration from the start) shows an earlier time.

    >>> from imagesim import scenarios
    >>> g = build_graph(scenarios.openshift_catalog())
    >>> g.nodes["istag:openshift/mongodb:latest"]["from_kind"]
    'ImageStreamTag'
    """
    t = _resolve_at(sim, at)
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: generational GC passes would double the time
    try:
        builder = _Builder(sim, t)
        builder.registries()
        builder.streams()
        builder.workloads()
        graph = nx.MultiDiGraph(time=t, timestamp=sim.clock.timestamp(t), seed=sim.seed)
        _assemble(graph, builder.nodes, builder.edges)
    finally:
        if collecting:
            gc.enable()
    return graph


def _assemble(graph: nx.MultiDiGraph, nodes: dict[str, dict], edges: list[tuple[str, str, str, dict]]) -> None:
    """Fill an empty MultiDiGraph with ``nodes`` and keyed ``edges``.

    The result is exactly what ``add_nodes_from(nodes)`` and ``add_edges_from(edges)`` build (a
    test checks it), written into networkx's documented dict-of-dicts storage directly:
    ``add_edges_from`` goes through ``add_edge`` once per edge and costs about five times as much.
    Falls back to the public calls when the graph class uses other dict factories.
    """
    plain = (graph.node_dict_factory is dict and graph.adjlist_outer_dict_factory is dict
             and graph.adjlist_inner_dict_factory is dict and graph.edge_key_dict_factory is dict
             and not graph._node)
    if not plain:  # pragma: no cover - a networkx that changed its storage
        graph.add_nodes_from(nodes.items())
        graph.add_edges_from(edges)
        return
    node, succ, pred = graph._node, graph._succ, graph._pred
    node.update(nodes)
    succ.update({node_id: {} for node_id in nodes})
    pred.update({node_id: {} for node_id in nodes})
    for u, v, key, data in edges:
        targets = succ[u]
        keys = targets.get(v)
        if keys is not None:
            keys[key] = data
            continue
        try:
            pred[v][u] = keys = {key: data}
        except KeyError:  # an edge to something never described: a bare node, as networkx makes
            node[v], succ[v], pred[v] = {}, {}, {u: {key: data}}
            keys = pred[v][u]
        targets[v] = keys
    nx._clear_cache(graph)


def _display(node: str) -> str:
    """``dc myproject/web`` for ``dc:myproject/web``: the node id, readable in a table."""
    prefix, _, rest = node.partition(":")
    return f"{prefix} {rest}"


def _short_ref(ref: str) -> str:
    """A pull spec with its digest shortened (``…/mongodb@sha256:d4dc006a25db``)."""
    name, at, digest = ref.partition("@")
    return f"{name}@{_short(digest)}" if at else ref


def _short(digest: str) -> str:
    return digest[:19] if digest.startswith("sha256:") else digest[:12]


# -------------------------------------------------------------------------------------------
# shared helpers for the questions

def _when(start_dt, t: int | None) -> str:
    return "" if t is None else format_rfc3339(start_dt + timedelta(seconds=t))


def _delta(seconds: int) -> str:
    """``+15m``, ``+1h30m``, ``+2d3h``, ``now``."""
    if seconds <= 0:
        return "now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return "+" + "".join(parts[:2])


def next_import_check(sim: Simulation, namespace: str, stream: str, t: int, host: str = "") -> tuple[int | None, str]:
    """When the scheduled import of ``namespace/stream`` first looks upstream at or after ``t``
    (None when the stream is not scheduled), and a note when ``host`` is down then."""
    importer = sim.importer
    schedule = importer.schedules.get((namespace, stream))
    if schedule is None:
        return None, ""
    due = importer.next_grid(schedule, t)
    if due <= schedule.checked:
        due = importer.next_grid(schedule, schedule.checked + 1)
    note = ""
    registry = sim.registries.get(host) if host else None
    if registry is not None and registry.outages:
        for _ in range(len(registry.outages) + 1):
            if registry.available(due):
                break
            end = registry.outage_end(due)
            if end is None:
                break
            note = f"{host} is down until {sim.clock.timestamp(end)}"
            due = importer.next_grid(schedule, end)
    return due, note


_ROLLBACKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def rollback_disabled(sim: Simulation, namespace: str, name: str) -> Event | None:
    """The ``oc rollback`` event that left the DeploymentConfig's triggers manual, or None (when
    there was none, or ``oc set triggers`` changed them afterwards). The log is indexed once."""
    log = sim.log
    seen, last = _ROLLBACKS.get(log, (0, {}))
    if seen < len(log):
        for i in range(seen, len(log)):
            event = log[i]
            if event.kind in ("rollback", "triggers-updated", "workload-created"):
                last[(event.namespace, event.subject.partition("/")[2])] = event
        _ROLLBACKS[log] = (len(log), last)
    event = last.get((namespace, name))
    return event if event is not None and event.kind == "rollback" else None


# -------------------------------------------------------------------------------------------
# the questions, re-exported: ``from imagesim.graph import blast_radius, explain`` keeps working

_QUESTIONS = {
    "BlastRadius": "blast", "Hit": "blast", "blast_radius": "blast",
    "Explanation": "explain", "Reason": "explain", "Step": "explain", "explain": "explain",
}


def __getattr__(name: str) -> Any:
    """The blast-radius and explain names, imported on first use (they import this module)."""
    module = _QUESTIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__package__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_QUESTIONS))
