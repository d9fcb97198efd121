"""The networkx view of a Simulation, and the questions asked of it.

:func:`build_graph` turns a simulation into a :class:`networkx.MultiDiGraph`. It is a view built on
demand: the core never imports this module (``sim.graph()`` imports it inside the method).
:func:`blast_radius` answers "what does a push to this upstream tag reach, when, and what is
shielded from it and why"; :func:`explain` answers "why does this workload, pod or stream tag run
what it runs, and why did it not follow upstream".

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
import html
import re
import weakref
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from .clock import format_rfc3339
from .errors import ClockError, Invalid, NotFound
from .imagestream import resolve_reference
from .importer import upstream_key
from .reference import ImageReference, split_istag
from .registry import INTERNAL_REGISTRY

if TYPE_CHECKING:
    from .events import Event
    from .imagestream import ImageStream, TagEvent
    from .simulation import Simulation
    from .workloads import ImageChangeTrigger, Pod, ReplicaSet, Workload

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
# blast radius

class Hit(NamedTuple):
    """One object in a blast radius: ``status`` is ``reached`` (at ``when``), ``next-start`` (when
    the pod or its replacement next starts) or ``shielded`` (``why`` says by what)."""

    node: str
    kind: str
    label: str
    status: str
    when: int | None
    why: str
    via: str


_KIND_ORDER = {"ImageStreamTag": 0, "DeploymentConfig": 1, "Deployment": 1, "Pod": 2}
_SHORT_KIND = {"ImageStreamTag": "istag", "DeploymentConfig": "dc", "Deployment": "deploy", "Pod": "pod"}


class BlastRadius:
    """What a push to one upstream tag reaches. ``hits`` in discovery order; ``reached``,
    ``shielded``, ``stream_tags``, ``workloads`` and ``pods`` summarize them."""

    __slots__ = ("source", "digest", "time", "hits", "_start")

    def __init__(self, source: str, digest: str, time: int, hits: list[Hit], start) -> None:
        self.source = source
        self.digest = digest
        self.time = time
        self.hits = hits
        self._start = start

    @property
    def reached(self) -> dict[str, int | None]:
        """Node -> when it is hit (None: at the next start of the pod)."""
        return {h.node: h.when for h in self.hits if h.status != "shielded"}

    @property
    def shielded(self) -> dict[str, str]:
        """Node -> why the push does not reach it by itself."""
        return {h.node: h.why for h in self.hits if h.status == "shielded"}

    def _of(self, kinds: tuple[str, ...]) -> list[str]:
        return sorted(h.node for h in self.hits if h.status != "shielded" and h.kind in kinds)

    @property
    def stream_tags(self) -> list[str]:
        return self._of(("ImageStreamTag",))

    @property
    def workloads(self) -> list[str]:
        return self._of(WORKLOAD_KINDS)

    @property
    def pods(self) -> list[str]:
        return self._of(("Pod",))

    def hit(self, node: str) -> Hit:
        for h in self.hits:
            if h.node == node:
                return h
        raise KeyError(node)

    def __len__(self) -> int:
        return len(self.hits)

    def _rows(self) -> list[tuple[int, Hit]]:
        children: dict[str, list[Hit]] = {}
        for h in self.hits:
            children.setdefault(h.via, []).append(h)
        rows: list[tuple[int, Hit]] = []

        def walk(parent: str, depth: int) -> None:
            for h in sorted(children.get(parent, ()), key=lambda h: (_KIND_ORDER.get(h.kind, 3), h.node)):
                rows.append((depth, h))
                walk(h.node, depth + 1)

        walk("", 0)
        return rows

    def _head(self) -> str:
        now = _when(self._start, self.time)
        digest = f"now {_short(self.digest)}" if self.digest else "not pushed yet"
        return f"Blast radius of a push to {self.source} ({digest}) at {now}"

    def _summary(self) -> str:
        count = {k: 0 for k in ("ImageStreamTag", "workload", "Pod")}
        for h in self.hits:
            if h.status != "shielded":
                count["workload" if h.kind in WORKLOAD_KINDS else h.kind] += 1
        shielded = sum(1 for h in self.hits if h.status == "shielded")
        return (f"reached: {count['ImageStreamTag']} stream tags, {count['workload']} workloads, "
                f"{count['Pod']} pods; shielded: {shielded}")

    def _cells(self, h: Hit) -> tuple[str, str]:
        if h.status == "reached" and h.when is not None:
            return h.status, f"{_when(self._start, h.when)} ({_delta(h.when - self.time)})"
        return h.status, "at next start" if h.status == "next-start" else "-"

    def __str__(self) -> str:
        rows = self._rows()
        lines = [self._head()]
        if not rows:
            lines.append("  nothing imports, tracks or runs this tag")
        else:
            table = [("STATUS", "WHEN", "OBJECT", "WHY")]
            for depth, h in rows:
                status, when = self._cells(h)
                table.append((status, when, "  " * depth + _display(h.node), h.why))
            widths = [max(len(r[i]) for r in table) for i in range(3)]
            for r in table:
                lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3])
        lines.append(self._summary())
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        out = [f"<div><p><b>{html.escape(self._head())}</b></p><table>",
               "<tr><th>status</th><th>when</th><th>object</th><th>why</th></tr>"]
        for depth, h in self._rows():
            status, when = self._cells(h)
            out.append(f'<tr><td>{status}</td><td>{html.escape(when)}</td>'
                       f'<td style="text-align:left;padding-left:{0.3 + 1.5 * depth:.1f}em">'
                       f"{html.escape(_display(h.node))}</td>"
                       f'<td style="text-align:left">{html.escape(h.why)}</td></tr>')
        out.append(f"</table><p>{html.escape(self._summary())}</p></div>")
        return "".join(out)


def blast_radius(sim: Simulation, ref: str, graph: nx.MultiDiGraph | None = None, at: Any = None) -> BlastRadius:
    """Which stream tags, workloads and pods a push to the upstream tag ``ref`` reaches, through
    which aliases and triggers, when, and which are shielded and why.

    ``at`` is when the push happens (default: now). Pass a prebuilt ``graph`` (from
    :func:`build_graph`) to ask about many tags without rebuilding it.
    """
    G = graph if graph is not None else build_graph(sim)
    t = sim.clock.now if at is None else sim._at(at)
    if ref.startswith("upstream:"):
        node = ref
        source = ref[len("upstream:"):]
    else:
        parts = _split(ref)
        host, path, tag, digest = parts if parts is not None else upstream_key(ref)  # the latter raises
        if digest:
            raise Invalid(f"a push needs a tag, not a digest: {ref!r}", reason="BadRequest")
        source = f"{host}/{path}:{tag}"
        node = "upstream:" + source
    nodes, pred = G._node, G._pred  # direct adjacency access: this is the hot path
    hits: list[Hit] = []
    attrs = nodes.get(node)
    if attrs is None:
        return BlastRadius(source, "", t, hits, sim.clock.start)
    host = attrs["host"]
    digest = attrs["digest"]
    add = hits.append
    seen = {node}
    direct_pods: list[tuple[str, dict, str]] = []
    for u, keys in pred[node].items():
        a = nodes[u]
        kind = a["kind"]
        if kind == "ImageStreamTag":
            edge = keys.get("imports_from")
            if edge is None or u in seen:
                continue
            seen.add(u)
            if edge["reference"]:
                add(Hit(u, kind, a["label"], "next-start", None,
                        "reference tag: consumers get the upstream tag itself and pull it at their next start", ""))
                _consumers(sim, G, u, "next-start", None, hits, seen)
                continue
            when = None
            note = ""
            if edge["scheduled"]:
                when, note = next_import_check(sim, a["namespace"], a["stream"], t, host)
            if when is not None:
                why = "scheduled import: next check" + (f" ({note})" if note else "")
                add(Hit(u, kind, a["label"], "reached", when, why, ""))
                _consumers(sim, G, u, "reached", when, hits, seen)
            else:
                why = ("no scheduled import: reached only at the next manual import "
                       f"(oc import-image {a['stream']}:{a['tag']} -n {a['namespace']})")
                add(Hit(u, kind, a["label"], "shielded", None, why, ""))
                _consumers(sim, G, u, "shielded", None, hits, seen)
        elif kind in WORKLOAD_KINDS:
            if u not in seen:
                seen.add(u)
                add(Hit(u, kind, a["label"], "next-start", None,
                        "names the upstream tag directly (no trigger, no rollout): pods get the new image "
                        "when they start", ""))
        elif kind == "Pod":
            for key, edge in keys.items():
                direct_pods.append((u, edge, a["workload"]))
                break
    for u, edge, workload in direct_pods:
        if u in seen or nodes[u]["terminating"]:
            continue
        seen.add(u)
        a = nodes[u]
        parent = workload if workload in seen else ""
        if edge["pull_policy"] == "Always":
            add(Hit(u, "Pod", a["label"], "next-start", None,
                    "pull policy Always: pulls the tag again at its next start", parent))
        else:
            add(Hit(u, "Pod", a["label"], "shielded", None,
                    f"pull policy {edge['pull_policy']}: keeps the copy of the tag cached on {a['node']}", parent))
    if digest:
        _pinned(G, image_node(digest), hits, seen)
    return BlastRadius(source, digest, t, hits, sim.clock.start)


def _consumers(sim: Simulation, G, tag: str, status: str, when: int | None, hits: list[Hit], seen: set[str]) -> None:
    """Everything that follows the stream tag ``tag`` (reached with ``status`` at ``when``)."""
    nodes, pred = G._node, G._pred
    add = hits.append
    shielded = status == "shielded"
    label = nodes[tag]["label"]
    for u, keys in pred[tag].items():
        if u in seen:
            continue
        a = nodes[u]
        kind = a["kind"]
        if kind == "ImageStreamTag":
            edge = keys.get("tracks")
            if edge is None:
                continue
            seen.add(u)
            if not edge["follows"]:
                add(Hit(u, kind, a["label"], "shielded", None,
                        f"copied from {label} when its spec was written: does not follow it", tag))
            elif shielded:
                add(Hit(u, kind, a["label"], "shielded", None, f"alias of {label}, which is shielded", tag))
            else:
                add(Hit(u, kind, a["label"], status, when, f"alias: tracks {label}", tag))
                _consumers(sim, G, u, status, when, hits, seen)
                continue
            _consumers(sim, G, u, "shielded", None, hits, seen)
        elif kind in WORKLOAD_KINDS:
            seen.add(u)
            for edge in keys.values():
                if edge["relation"] in ("triggers", "uses"):
                    break
            else:
                continue
            if edge["relation"] == "uses":
                add(Hit(u, kind, a["label"], "shielded" if shielded else "next-start", None,
                        "pulls the stream tag through the internal registry at each pod start", tag))
                continue
            why, fires = _trigger_state(sim, a, edge)
            if status == "next-start":  # a reference tag: the trigger's image is the upstream tag itself
                add(Hit(u, kind, a["label"], "next-start" if fires else "shielded", None,
                        "its trigger gives the upstream tag itself: pods pull it at their next start"
                        if fires else why, tag))
                continue
            if shielded or not fires:
                add(Hit(u, kind, a["label"], "shielded", None,
                        f"automatic trigger, but {label} is shielded" if fires else why, tag))
                continue
            add(Hit(u, kind, a["label"], status, when, why, tag))
            for rs, rs_keys in pred[u].items():
                if "rs_of" not in rs_keys:
                    continue
                for pod, pod_keys in pred[rs].items():
                    p = nodes[pod]
                    if "pod_of" in pod_keys and not p["terminating"] and pod not in seen:
                        seen.add(pod)
                        add(Hit(pod, "Pod", p["label"], status, when, "replaced by the rollout", u))


def _trigger_state(sim: Simulation, w: dict, edge: dict) -> tuple[str, bool]:
    """(why, whether the trigger rolls the workload out) for a trigger edge of workload ``w``."""
    if edge["paused"]:
        return "trigger paused", False
    if not edge["automatic"]:
        event = rollback_disabled(sim, w["namespace"], w["name"])
        if event is not None:
            return (f"manual trigger (automatic: false) since oc rollback at "
                    f"{sim.clock.timestamp(event.time)}", False)
        return "manual trigger (automatic: false)", False
    if w["paused"]:
        return f"{w['kind']} paused: the trigger updates the template, no rollout", False
    return "automatic trigger: rollout", True


def _pinned(G, image: str, hits: list[Hit], seen: set[str]) -> None:
    """Stream tags and untriggered workloads pinned to the digest the upstream tag has now."""
    nodes, pred = G._node, G._pred
    if image not in pred:
        return
    add = hits.append
    for u, keys in pred[image].items():
        if u in seen:
            continue
        a = nodes[u]
        kind = a["kind"]
        if kind == "ImageStreamTag" and "pins" in keys:
            seen.add(u)
            edge = keys["pins"]
            what = "snapshot of " if edge["source_kind"] == "ImageStreamImage" else ""
            add(Hit(u, kind, a["label"], "shielded", None, f"pinned by digest ({what}{_short_ref(edge['source'])})", ""))
        elif kind in WORKLOAD_KINDS and not a["triggered"]:
            seen.add(u)
            add(Hit(u, kind, a["label"], "shielded", None, "pinned by digest in its pod template", ""))


# -------------------------------------------------------------------------------------------
# explain

class Step(NamedTuple):
    """One link of a causal chain: when, what kind of link, the object, what it says."""

    time: int | None
    kind: str
    subject: str
    detail: str


class Reason(NamedTuple):
    """Why something did not (or will not) follow upstream; ``code`` is stable for checks."""

    code: str
    message: str


class Explanation:
    """The causal chain behind what an object runs now (newest first) and the reasons it did
    not follow upstream. ``codes`` lists the reasons' codes."""

    __slots__ = ("target", "namespace", "status", "chain", "reasons", "_start")

    def __init__(self, target: str, namespace: str, status: str, chain: list[Step], reasons: list[Reason],
                 start) -> None:
        self.target = target
        self.namespace = namespace
        self.status = status
        self.chain = tuple(chain)
        self.reasons = tuple(reasons)
        self._start = start

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def reason(self, code: str) -> Reason:
        for r in self.reasons:
            if r.code == code:
                return r
        raise KeyError(code)

    def __str__(self) -> str:
        lines = [f"explain {self.target} -n {self.namespace}: {self.status}", "Causal chain (newest first):"]
        width = max((len(s.kind) for s in self.chain), default=0)
        for s in self.chain:
            when = _when(self._start, s.time) if s.time is not None else "-".ljust(20)
            lines.append(f"  {when}  {s.kind.ljust(width)}  {s.subject}: {s.detail}")
        lines.append("Why it did not follow upstream:" if self.status.startswith("behind")
                     else "What keeps it from following upstream by itself:")
        for r in self.reasons:
            lines.append(f"  - [{r.code}] {r.message}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        e = html.escape
        out = [f"<div><p><b>explain {e(self.target)} -n {e(self.namespace)}</b>: {e(self.status)}</p>",
               "<table><tr><th>when</th><th>link</th><th>object</th><th>detail</th></tr>"]
        for s in self.chain:
            out.append(f"<tr><td>{e(_when(self._start, s.time) or '-')}</td><td>{e(s.kind)}</td>"
                       f'<td style="text-align:left">{e(s.subject)}</td>'
                       f'<td style="text-align:left">{e(s.detail)}</td></tr>')
        out.append("</table><ul>")
        for r in self.reasons:
            out.append(f"<li><code>{e(r.code)}</code> {e(r.message)}</li>")
        out.append("</ul></div>")
        return "".join(out)


_TARGET_KINDS = {
    "dc": "DeploymentConfig", "deploymentconfig": "DeploymentConfig", "deploymentconfigs": "DeploymentConfig",
    "deploy": "Deployment", "deployment": "Deployment", "deployments": "Deployment",
    "po": "Pod", "pod": "Pod", "pods": "Pod",
    "istag": "ImageStreamTag", "imagestreamtag": "ImageStreamTag", "imagestreamtags": "ImageStreamTag",
}


def explain(sim: Simulation, target: str, namespace: str | None = None) -> Explanation:
    """Why ``target`` (``dc/NAME``, ``deploy/NAME``, ``pod/NAME`` or ``istag/STREAM:TAG``, in
    ``namespace``, default the current project) runs what it runs, and why it did not follow
    upstream."""
    ns = namespace or sim.project
    kind_text, sep, name = target.partition("/")
    kind = _TARGET_KINDS.get(kind_text.lower())
    if not sep or not name or kind is None:
        raise Invalid(f"explain takes dc/NAME, deploy/NAME, pod/NAME or istag/STREAM:TAG, not {target!r}",
                      reason="BadRequest")
    ex = _Explainer(sim, ns)
    if kind == "Pod":
        pod = sim.cluster.pods.get((ns, name))
        if pod is None or pod.deployer:
            raise NotFound(f'pods "{name}" not found')
        ex.pod(pod)
    elif kind == "ImageStreamTag":
        stream_name, tag, has_tag = split_istag(name)
        stream = sim.server.find(ns, stream_name)
        if not has_tag or stream is None or tag not in stream.spec and tag not in stream.status:
            raise NotFound(f'imagestreamtags.image.openshift.io "{name}" not found')
        head = stream.head(tag)
        ex.istag(stream, tag, head.image if head else "")
    else:
        ex.workload(sim.cluster.workload(kind, ns, name))
    return Explanation(f"{_SHORT_KIND[kind]}/{name}", ns, ex.status(), ex.chain, ex.reasons, sim.clock.start)


class _Explainer:
    def __init__(self, sim: Simulation, namespace: str) -> None:
        self.sim = sim
        self.namespace = namespace
        self.now = sim.clock.now
        self.chain: list[Step] = []
        self.reasons: list[Reason] = []
        self.behind: list[str] = []
        self.problems: list[str] = []
        self._by_subject: dict[str, list[Event]] | None = None

    def ts(self, t: int) -> str:
        return self.sim.clock.timestamp(t)

    def step(self, t: int | None, kind: str, subject: str, detail: str) -> None:
        self.chain.append(Step(t, kind, subject, detail))

    def reason(self, code: str, message: str) -> None:
        if (code, message) not in {(r.code, r.message) for r in self.reasons}:
            self.reasons.append(Reason(code, message))

    def status(self) -> str:
        parts = []
        if self.behind:
            parts.append("behind upstream: " + "; ".join(dict.fromkeys(self.behind)))
        if self.problems:
            parts.append("in trouble: " + "; ".join(dict.fromkeys(self.problems)))
        if not self.behind:
            self.reasons.insert(0, Reason("up-to-date", "it runs what its source points at now"))
        return " / ".join(parts) or "up to date"

    # log lookups ------------------------------------------------------------------------------
    def events(self, subject: str) -> list[Event]:
        """The log's events about ``subject`` in order (the log is indexed on first use)."""
        if self._by_subject is None:
            index: dict[str, list[Event]] = {}
            for event in self.sim.log:
                index.setdefault(event.subject, []).append(event)
            self._by_subject = index
        return self._by_subject.get(subject, [])

    def last_event(self, kinds: tuple[str, ...], subject: str, digest: str = "") -> Event | None:
        for event in reversed(self.events(subject)):
            if event.kind in kinds and (not digest or event.digest == digest):
                return event
        return None

    # pods ---------------------------------------------------------------------------------
    def pod(self, pod: Pod) -> None:
        from .workload_manifests import pod_status

        sim = self.sim
        status = pod_status(sim, pod, self.now)
        self.step(pod.created, "pod", f"pod/{pod.name}", f"on {pod.node}, {status.reason}")
        digests = []
        for run in pod.containers:
            self.container(pod, run)
            if run.image_id:
                digests.append(run.image_id)
        rs = sim.cluster.replicasets.get((pod.namespace, pod.owner))
        kind = "DeploymentConfig" if pod.owner_kind == "ReplicationController" else "Deployment"
        w = sim.cluster.workloads.get((kind, pod.namespace, pod.workload))
        if rs is not None and w is not None:
            self.rs(rs)
            self.sources(w, rs, digests[0] if digests else "")
            self.rollout_state(w, rs)

    def container(self, pod: Pod, run) -> None:
        sim = self.sim
        subject = f"pod/{pod.name}"
        parts = _split(run.image)
        host = parts[0] if parts else ""
        if run.image_id:
            broken = ", broken: it crashes" if run.broken else ""
            if run.pulled_from_cache and run.pull_policy != "Always":
                how = "from the node's cache"
            elif run.pulled_from_cache:
                how = f"through {host} (its layers were already on {pod.node})"
            else:
                how = f"from {host}"
            pulled = self.last_event(("pulled",), f"{pod.namespace}/{pod.name}", run.image_id)
            self.step(pulled.time if pulled else None, "image",
                      subject, f"container {run.name} runs {_short(run.image_id)}{broken}, pulled {how} "
                      f"as {run.image} (pull policy {run.pull_policy})")
            self.pull_history(pod, run, host, pulled.time if pulled else pod.created)
            self.broken(run)
        elif run.failure_reason:
            registry = sim.registries.get(host)
            end = registry.outage_end(self.now) if registry is not None else None
            down = f"; {host} is down until {self.ts(end)}" if end is not None else ""
            self.step(run.last_failure, "pull", subject,
                      f"container {run.name} cannot pull {run.image}: {run.failure_reason}")
            self.reason("pull-failed", f"{run.failure_reason}: {run.failure_message}{down}")
            self.problems.append(f"{pod.name} cannot pull its image ({run.failure_reason})")

    def broken(self, run) -> None:
        if run.broken:
            parts = _split(run.image)
            push = None
            for event in self.sim.log.of_kind("push") if parts else ():
                if event.digest == run.image_id:
                    push = event
            where = f", pushed to {push.subject} at {self.ts(push.time)}" if push is not None else ""
            self.reason("broken-image", f"{_short(run.image_id)} is broken: its containers crash{where}")
            self.problems.append(f"it runs the broken image {_short(run.image_id)}")

    def pull_history(self, pod: Pod, run, host: str, pulled: int) -> None:
        """Outages around the pull: pulled before one, or served by the pull-through cache."""
        sim = self.sim
        if host == INTERNAL_REGISTRY:
            parts = _split(run.image)
            assert parts is not None
            namespace, _, name = parts[1].partition("/")
            stream = sim.server.find(namespace, name)
            upstream = None
            if stream is not None:
                for history in stream.status.values():
                    for item in history.items:
                        if item.image == run.image_id and not item.ref.startswith(INTERNAL_REGISTRY + "/"):
                            upstream = item.ref
                            break
            if upstream is None:
                return
            up_host = _split(upstream)[0] if _split(upstream) else ""
            registry = sim.registries.get(up_host)
            outages = [(s, e) for s, e in registry.outages if s <= self.now] if registry is not None else []
            first = self.first_pull_through(namespace, name, run.image_id)
            during = [(s, e) for s, e in outages if s <= pulled < e]
            if during:
                s, e = during[0]
                self.reason("pull-through-cache",
                            f"{pod.name} started during the {up_host} outage ({self.ts(s)} to {self.ts(e)}): the "
                            f"internal registry served {_short(run.image_id)} from its pull-through cache "
                            f"(it pulled it from {up_host} at {self.ts(first) if first is not None else 'an earlier time'}, "
                            "before the outage)")
            elif outages:
                s, e = outages[-1]
                self.reason("pull-through-cache",
                            f"pulled through the internal registry, which keeps {_short(run.image_id)} cached: "
                            f"new pods start even while {up_host} is down ({self.ts(s)} to {self.ts(e)})")
            return
        registry = sim.registries.get(host)
        if registry is None:
            return
        for start, end in registry.outages:
            if pulled < start <= self.now:
                self.reason("pulled-before-outage",
                            f"{pod.name} pulled {_short(run.image_id)} from {host} at {self.ts(pulled)}, before the "
                            f"{host} outage ({self.ts(start)} to {self.ts(end)}); it keeps running from "
                            f"{pod.node}'s copy, but a new pod would have to pull from {host}")
                break

    def first_pull_through(self, namespace: str, name: str, digest: str) -> int | None:
        prefix = f"{INTERNAL_REGISTRY}/{namespace}/{name}@"
        first = None
        for pod in self.sim.cluster.pods.values():
            if pod.namespace != namespace:
                continue
            for event in self.events(f"{namespace}/{pod.name}"):
                if event.kind == "pulled" and event.digest == digest and event.message.startswith(prefix):
                    first = event.time if first is None else min(first, event.time)
        return first

    # workloads -------------------------------------------------------------------------------
    def workload(self, w: Workload) -> None:
        from .rollouts import live_pods

        cluster = self.sim.cluster
        owned = cluster.owned(w)
        active = [rs for rs in owned if live_pods(self.sim, rs)]
        digests = []
        for rs in reversed(active):
            for pod in live_pods(self.sim, rs):
                for run in pod.containers:
                    if run.image_id:
                        broken = " (broken: it crashes)" if run.broken else ""
                        self.step(pod.created, "pod", f"pod/{pod.name}",
                                  f"{rs.name}: container {run.name} runs {_short(run.image_id)}{broken} on {pod.node}")
                        self.broken(run)
                        pulled = self.last_event(("pulled",), f"{pod.namespace}/{pod.name}", run.image_id)
                        self.pull_history(pod, run, (_split(run.image) or ("",))[0],
                                          pulled.time if pulled is not None else pod.created)
                        digests.append(run.image_id)
                    elif run.failure_reason:
                        self.container(pod, run)
        rs = active[-1] if active else (owned[-1] if owned else None)
        if rs is None:
            self.step(w.created, w.short, f"{w.short}/{w.name}", "not rolled out yet")
            if w.triggers and not all(t.last_triggered_image for t in w.triggers):
                self.reason("waiting-for-image", "a DeploymentConfig waits for every trigger's tag to have an image")
            self.sources(w, None, "")
            return
        self.rs(rs)
        self.sources(w, rs, digests[0] if digests else "")
        self.rollout_state(w, rs)

    def rs(self, rs: ReplicaSet) -> None:
        what = "ReplicationController" if rs.kind == "ReplicationController" else "ReplicaSet"
        cause = f", cause: {rs.cause}" if rs.cause else ""
        self.step(rs.created, "revision", f"{_RS_PREFIX[rs.kind]}/{rs.name}",
                  f"{what} revision {rs.revision} ({rs.phase}{cause})")

    def rollout_state(self, w: Workload, running: ReplicaSet) -> None:
        latest = self.sim.cluster.latest_rs(w)
        if latest is None or latest is running:
            if latest is not None and latest.phase in ("Pending", "Running"):
                self.reason("rollout-in-progress", f"revision {latest.revision} ({latest.name}) is still rolling out")
            return
        if latest.phase == "Failed":
            failed = self.last_event(("rollout-failed",), f"{w.namespace}/{w.name}")
            why = ""
            if failed is not None and failed.message.partition(": ")[0] == latest.name:
                why = failed.message.partition(": ")[2] or "its pods were not ready before the deadline"
            self.reason("rollout-failed", f"revision {latest.revision} ({latest.name}) failed"
                        + (f" at {self.ts(failed.time)} ({why})" if failed is not None and why else "")
                        + f"; {running.name} kept serving")
            self.behind.append(f"its newest revision {latest.name} failed")
        elif latest.phase == "Stalled":
            self.reason("rollout-stalled", f"revision {latest.revision} ({latest.name}) exceeded its progress deadline")
            self.behind.append(f"its newest revision {latest.name} is stalled")
        elif latest.phase in ("Pending", "Running"):
            self.reason("rollout-in-progress", f"revision {latest.revision} ({latest.name}) is still rolling out")

    def sources(self, w: Workload, rs: ReplicaSet | None, digest: str) -> None:
        """Where the workload's images come from: triggers, or the template as written."""
        sim = self.sim
        if w.paused:
            self.reason("workload-paused", f"{w.short}/{w.name} is paused: image changes do not roll out "
                        f"(oc rollout resume {w.short}/{w.name})")
        template = rs.template if rs is not None else w.template
        triggered: set[str] = set()
        for trigger in w.triggers:
            self.trigger(w, trigger, digest)
            triggered.update(_trigger_containers(w, trigger))
        for container in template.all_containers():
            if container.name in triggered:
                continue
            self.direct(w, container, digest)

    def trigger(self, w: Workload, trigger: ImageChangeTrigger, digest: str) -> None:
        sim = self.sim
        name, tag, _ = split_istag(trigger.from_name)
        namespace = trigger.from_namespace or w.namespace
        label = f"{namespace}/{name}:{tag}"
        automatic = trigger.automatic or not w.is_dc
        mode = "paused" if trigger.paused else ("automatic" if automatic else "manual")
        self.step(None, "trigger", f"{w.short}/{w.name}",
                  f"ImageChange trigger on {label} ({mode}), last triggered image "
                  f"{trigger.last_triggered_image or '(none)'}")
        stream = sim.server.find(namespace, name)
        head = stream.head(tag) if stream is not None else None
        if trigger.paused:
            self.reason("trigger-paused", f"the trigger on {label} is paused: tag changes are ignored "
                        f"(oc set triggers {w.short}/{w.name} --auto)")
        elif not automatic:
            event = rollback_disabled(sim, w.namespace, w.name)
            if event is not None:
                self.reason("rollback-disabled-trigger",
                            f"oc rollback at {self.ts(event.time)} ({event.message}) set automatic: false on the "
                            f"trigger on {label}; re-enable it with oc set triggers {w.short}/{w.name} --auto")
            else:
                self.reason("trigger-manual", f"the trigger on {label} is manual (automatic: false): tag changes "
                            f"roll out only with oc rollout latest {w.short}/{w.name}")
        if stream is None or head is None:
            self.reason("tag-missing", f"{label} has no image yet")
            return
        current = resolve_reference(stream, tag, head)
        if digest and head.image != digest:
            if trigger.paused or not automatic or w.paused:
                self.behind.append(f"{label} moved to {_short(head.image)} at {self.ts(head.created)}, "
                                   f"the workload runs {_short(digest)}")
        policy = stream.spec[tag].reference_policy if tag in stream.spec else "Source"
        if policy == "Local":
            self.reason("reference-policy", f"{label} has reference policy Local: pods pull {current} through "
                        "the internal registry, which keeps serving images it pulled before")
        else:
            host = (_split(current) or ("its registry",))[0]
            where = "the internal registry" if host == INTERNAL_REGISTRY else f"{host} directly"
            self.reason("reference-policy", f"{label} has reference policy Source: pods pull {current} from {where}")
        self.istag(stream, tag, digest or head.image)

    def direct(self, w: Workload, container, digest: str) -> None:
        """A container without a trigger: the template's image is all there is."""
        sim = self.sim
        image = container.image
        subject = f"{w.short}/{w.name}"
        if "/" not in image and "@" not in image:
            stream_name, _, tag = image.partition(":")
            stream = sim.server.find(w.namespace, stream_name)
            if stream is not None:
                self.step(None, "template", subject, f"container {container.name} names {image!r}")
                self.reason("lookup-policy-off",
                            f"{image!r} is a bare name, and image stream {stream_name} has lookupPolicy.local "
                            f"false: it was not resolved through the stream, so the kubelet pulls "
                            f"{ImageReference.parse_normalized(image).normalized if _split(image) else image} "
                            f"(oc set image-lookup {stream_name})")
                return
        parts = _split(image)
        if parts is None:
            return
        host, path, tag, pinned = parts
        if pinned:
            resolved = self.lookup_source(w.namespace, pinned, image)
            if resolved is not None:
                stream, stream_tag = resolved
                self.step(w.created, "template", subject,
                          f"container {container.name} was resolved to {image} through image stream "
                          f"{stream.name} (lookupPolicy.local) when it was created")
                self.reason("lookup-resolved-once",
                            f"lookupPolicy.local resolved {stream.name}:{stream_tag} to a digest once, at admission; "
                            "without a trigger the workload does not follow the tag")
                self.istag(stream, stream_tag, pinned)
                return
            self.step(None, "template", subject, f"container {container.name} names {image} (by digest)")
            self.reason("pinned-by-digest", f"container {container.name} names an image by digest: nothing "
                        "upstream changes it")
            return
        if host == INTERNAL_REGISTRY:
            namespace, _, stream_name = path.partition("/")
            stream = sim.server.find(namespace, stream_name)
            self.step(None, "template", subject, f"container {container.name} pulls {image} from the internal "
                      "registry at each start")
            if stream is not None:
                self.istag(stream, tag, digest or "")
            return
        self.step(None, "template", subject, f"container {container.name} names the upstream tag {image} "
                  f"directly (pull policy {container.pull_policy})")
        self.upstream_chain(host, path, tag, digest)
        repo = sim.registry(host).repository(path)
        now_digest = repo.tags.get(tag) if repo is not None else None
        if container.pull_policy == "Always":
            self.reason("direct-reference", f"no image stream and no trigger: pods pull {host}/{path}:{tag} "
                        "again at each start (pull policy Always), so running pods keep what they pulled")
        else:
            self.reason("direct-reference", f"no image stream and no trigger: with pull policy "
                        f"{container.pull_policy} a node reuses its cached copy of {host}/{path}:{tag}")
        if digest and now_digest and now_digest != digest:
            push = self.last_event(("push",), f"{host}/{path}:{tag}", now_digest)
            self.behind.append(f"{host}/{path}:{tag} moved to {_short(now_digest)}"
                               + (f" at {self.ts(push.time)}" if push else "") + f", pods run {_short(digest)}")

    def lookup_source(self, namespace: str, digest: str, image: str):
        """The stream tag a lookup-policy rewrite came from, if the image looks like one."""
        for stream in self.sim.server.streams(namespace):
            if not stream.lookup_local:
                continue
            for tag, history in stream.status.items():
                if image.endswith("@" + digest) and any(item.image == digest for item in history.items):
                    return stream, tag
        return None

    # stream tags -----------------------------------------------------------------------------
    def istag(self, stream: ImageStream, tag: str, digest: str, depth: int = 0) -> None:
        sim = self.sim
        label = f"{stream.namespace}/{stream.name}:{tag}"
        history = stream.status.get(tag)
        items = history.items if history is not None else []
        index = next((i for i, item in enumerate(items) if item.image == digest), None) if digest else None
        item = items[index] if index is not None else (items[0] if items else None)
        ref = stream.spec.get(tag)
        if item is not None:
            where = "the current image" if items and items[0] is item else f"{index} items behind the head"
            self.step(item.created, "history", f"istag/{label}",
                      f"item {items.index(item)}: {_short(item.image) if item.image else item.ref} "
                      f"(generation {item.generation}, {where})")
            if index is not None and index > 0:
                self.reason("tag-moved-on", f"{label} now points at {_short(items[0].image)} "
                            f"(since {self.ts(items[0].created)}); the workload still runs {_short(digest)}")
        else:
            self.step(None, "history", f"istag/{label}", "no history: the tag never got an image")
        if history is not None:
            for condition in history.conditions:
                if condition.type == "ImportSuccess" and condition.status == "False":
                    self.reason("import-failed", f"the last import of {label} failed at "
                                f"{self.ts(condition.last_transition)}: {condition.reason}: {condition.message}")
                    break
        subject = f"{stream.namespace}/{stream.name}:{tag}"
        if item is not None and item.image:
            pushed = self.last_event(("image-pushed",), subject, item.image)
            if pushed is not None:
                self.step(pushed.time, "push", f"istag/{label}", f"pushed into the internal registry as "
                          f"{_short(pushed.digest)}")
        if ref is None:
            return
        if ref.from_kind == "ImageStreamTag":
            namespace = ref.from_namespace or stream.namespace
            name, sep, source_tag = ref.from_name.partition(":")
            if not sep:
                name, source_tag = stream.name, ref.from_name
            source_tag = source_tag or "latest"
            source = sim.server.find(namespace, name)
            follows = source is stream
            self.step(item.created if item else None, "tracks", f"istag/{label}",
                      f"{'alias: tracks' if follows else 'copied from'} {namespace}/{name}:{source_tag}")
            if not follows:
                self.reason("copied-once", f"{label} names {namespace}/{name}:{source_tag} in another stream: it "
                            "was copied when the spec was written and does not follow it")
            if source is not None and depth < 5:
                self.istag(source, source_tag, item.image if item else "", depth + 1)
            return
        if ref.from_kind == "ImageStreamImage":
            self.step(item.created if item else None, "snapshot", f"istag/{label}",
                      f"copied from {ref.from_namespace or stream.namespace}/{ref.from_name} by oc tag")
            self.reason("pinned-by-digest", f"{label} is a snapshot (ImageStreamImage "
                        f"{ref.from_name}): pinned by digest, it never follows its source")
            return
        if ref.from_kind != "DockerImage":
            return
        parts = _split(ref.from_name)
        if parts is None:
            return
        host, path, up_tag, pinned = parts
        if item is not None and item.image:
            event = self.last_event(("import",), subject, item.image)
            if event is not None:
                self.step(event.time, "import", f"istag/{label}", f"imported {_short(event.digest)} from "
                          f"{event.message}" + (f" (was {_short(event.previous)})" if event.previous else ""))
        if ref.reference:
            self.reason("reference-only", f"{label} is a reference tag (--reference): nothing is imported; "
                        f"consumers get {ref.from_name} as written")
            return
        if pinned:
            self.reason("pinned-by-digest", f"{label} imports {ref.from_name}: pinned by digest")
            return
        self.upstream_chain(host, path, up_tag, item.image if item else "")
        self.import_policy(stream, tag, ref, host, path, up_tag, items[0] if items else None)

    def upstream_chain(self, host: str, path: str, tag: str, digest: str) -> None:
        if not digest:
            return
        subject = f"{host}/{path}:{tag}"
        push = self.last_event(("push",), subject, digest)
        if push is not None:
            self.step(push.time, "push", subject, f"upstream pushed {_short(digest)}"
                      + (f" (replacing {_short(push.previous)})" if push.previous else ""))

    def import_policy(self, stream: ImageStream, tag: str, ref, host: str, path: str, up_tag: str,
                      item: TagEvent | None) -> None:
        sim = self.sim
        label = f"{stream.namespace}/{stream.name}:{tag}"
        upstream = f"{host}/{path}:{up_tag}"
        repo = sim.registry(host).repository(path)
        now_digest = repo.tags.get(up_tag) if repo is not None else None
        current = item.image if item is not None else ""
        registry = sim.registries.get(host)
        end = registry.outage_end(self.now) if registry is not None else None
        if end is not None:
            self.reason("registry-unavailable", f"{host} is unreachable until {self.ts(end)}: imports of "
                        f"{upstream} fail until then")
        if not ref.scheduled:
            moved = now_digest is not None and now_digest != current
            self.reason("scheduled-import-off",
                        f"{label} is not scheduled (importPolicy.scheduled: false): "
                        + (f"upstream {upstream} moved to {_short(now_digest)}, but the tag only changes on "
                           if moved else "an upstream change reaches the tag only on ")
                        + f"oc import-image {stream.name}:{tag} -n {stream.namespace}")
        if now_digest is None:
            self.reason("upstream-missing", f"{upstream} does not exist upstream (deleted or never pushed)")
            self.behind.append(f"{upstream} no longer exists")
            return
        if now_digest == current:
            return
        push = self.last_event(("push",), upstream, now_digest)
        self.behind.append(f"upstream {upstream} is {_short(now_digest)}"
                           + (f" (pushed {self.ts(push.time)})" if push else "")
                           + f", {label} has {_short(current) if current else 'no image'}")
        if ref.scheduled:
            when, note = next_import_check(sim, stream.namespace, stream.name, self.now, host)
            if when is not None:
                self.reason("import-pending", f"the next scheduled check of {label} at {self.ts(when)} will import "
                            f"it" + (f" ({note})" if note else ""))
