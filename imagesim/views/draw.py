"""A layered picture of the indirection: upstream tags -> images <- stream tags <- workloads <- pods.

:func:`draw` returns a matplotlib :class:`~matplotlib.figure.Figure` made without pyplot (nothing
global changes; a notebook shows the returned figure). It reads :func:`imagesim.graph.build_graph`
and lays the objects out in five columns, left to right:

- **upstream tags** (``docker.io/gists/lighttpd:latest``), each pointing at an image;
- **images** (by digest; a broken image is red);
- **stream tags** (``myproject/lighttpd:latest``): dashed lines to the upstream tag they import
  from, dotted arcs to the stream tag they track, a solid line to the image they point at now;
- **workloads** (DeploymentConfigs and Deployments): a line to each stream tag their triggers
  follow, or to the upstream tag or image their template names directly;
- **pods**: a line to their workload and to the image they run; green when ready, red when
  crash-looping, orange when they cannot pull their image.

The layout is deterministic: no random or force-directed placement. Each column is sorted (first
by the position of the things it is connected to in the columns already placed, then by name) and
spread evenly over the picture's height, so the same simulation always gives the same picture.

``focus="pod/NAME"`` (or ``"dc/NAME"``, ``"deploy/NAME"``, ``"istag/STREAM:TAG"``,
``"istag/NAMESPACE/STREAM:TAG"``, ``"is/STREAM"``, or a graph node id) highlights the path from
that object to the upstream tag its image comes from. ``at=`` draws the simulation as it was at
an earlier time (:meth:`imagesim.Simulation.at`).

By default the picture holds the current project's workloads, pods and image streams, and the
stream tags, upstream tags and images they lead to (plus the focus and its path): a lab-sized
picture. ``namespaces=[...]`` picks other namespaces; ``everything=True`` draws every upstream
tag, image, stream tag, workload and pod.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..errors import NotFound
from ..graph import build_graph

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from ..simulation import Simulation

__all__ = [
    "COLORS",
    "COLUMNS",
    "HIGHLIGHT",
    "HIGHLIGHT_WIDTH",
    "LEGEND",
    "Picture",
    "PictureNode",
    "draw",
    "focus_nodes",
    "layout",
    "view_at",
]

#: The columns, left to right: (key, title).
COLUMNS = (
    ("upstream", "upstream tags"),
    ("image", "images"),
    ("istag", "stream tags"),
    ("workload", "workloads"),
    ("pod", "pods"),
)
_COLUMN_OF = {"UpstreamTag": 0, "Image": 1, "ImageStreamTag": 2, "DeploymentConfig": 3, "Deployment": 3, "Pod": 4}

#: Face colour of a node's box, by its state.
COLORS = {
    "upstream": "#e3dcf2",        # an upstream tag
    "upstream-missing": "#ffffff",  # named, but nobody pushed it (or it was deleted)
    "registry-down": "#fdbf6f",   # an upstream tag whose registry is unreachable now
    "image": "#dbe9f6",           # an image
    "broken": "#d62728",          # a broken image: its containers crash
    "istag": "#eeeeee",           # a stream tag with an image
    "istag-empty": "#ffffff",     # a stream tag without an image yet
    "import-failed": "#fdbf6f",   # a stream tag whose last import failed
    "workload": "#c6dbef",        # a DeploymentConfig or Deployment
    "ready": "#2ca02c",           # a ready pod
    "starting": "#ffe17a",        # a pod not ready yet (creating, starting)
    "crashloop": "#d62728",       # a pod crash-looping (CrashLoopBackOff, Error)
    "backoff": "#ff7f0e",         # a pod that cannot pull its image (ErrImagePull, ImagePullBackOff)
    "terminating": "#c7c7c7",     # a pod being deleted
}
_DARK = {"broken", "ready", "crashloop"}  # white text on these

#: The colour and width of the path from the focus to its upstream tag.
HIGHLIGHT = "#6a3d9a"
HIGHLIGHT_WIDTH = 3.0
_EDGE = "#9a9a9a"

#: The legend: (label, state or line style).
LEGEND = (
    ("upstream tag", "upstream"),
    ("image", "image"),
    ("broken image", "broken"),
    ("stream tag", "istag"),
    ("import failing / registry down", "import-failed"),
    ("workload", "workload"),
    ("pod ready", "ready"),
    ("pod starting", "starting"),
    ("pod crash-looping", "crashloop"),
    ("pod cannot pull (back-off)", "backoff"),
    ("points at / follows", "-"),
    ("runs (pod to image)", "runs"),
    ("imports from", "--"),
    ("tracks (alias)", ":"),
    ("path of the focus", "focus"),
)

# relations followed from an object towards where its image comes from
_UPSTREAM_RELATIONS = {
    "Pod": ("runs", "uses"),
    "DeploymentConfig": ("triggers", "uses"),
    "Deployment": ("triggers", "uses"),
    "ImageStreamTag": ("tracks", "imports_from", "points_at", "pins"),
    "UpstreamTag": ("points_at",),
}
_STYLE = {"imports_from": "--", "tracks": ":", "runs": "runs"}


@dataclass
class PictureNode:
    """One box of the picture: its graph node, column, place, text and state (a :data:`COLORS` key)."""

    node: str
    column: int
    x: float
    y: float
    label: str
    state: str
    on_path: bool = False


@dataclass
class Picture:
    """What :func:`draw` draws, as plain data: boxes, lines (``(u, v, style)``), the path's lines,
    the title; ``time`` is the simulated second it shows."""

    title: str
    time: int
    nodes: dict[str, PictureNode] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    path_edges: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 1

    def column(self, index: int) -> list[PictureNode]:
        """The boxes of one column, top to bottom."""
        return sorted((n for n in self.nodes.values() if n.column == index), key=lambda n: -n.y)


# -------------------------------------------------------------------------------------------
# what to draw

def view_at(sim: Simulation, at: Any = None) -> Simulation:
    """``sim`` itself (``at`` None or now) or its read-only view of the past (``sim.at(at)``)."""
    if at is None:
        return sim
    t = sim.clock.resolve(at, what="at")
    return sim if t == sim.clock.now else sim.at(at)


_PREFIX = {"pod": "pod", "pods": "pod", "po": "pod", "dc": "dc", "deploymentconfig": "dc", "deploy": "deploy",
           "deployment": "deploy", "istag": "istag", "imagestreamtag": "istag", "is": "is", "imagestream": "is",
           "upstream": "upstream", "image": "image"}


def focus_nodes(graph: nx.MultiDiGraph, focus: str, namespace: str) -> list[str]:
    """The graph nodes ``focus`` names (``pod/x``, ``dc/x``, ``deploy/x``, ``istag/s:t``,
    ``istag/ns/s:t``, ``is/s``, ``is/ns/s`` or a node id); raises NotFound when there are none."""
    text = focus.strip()
    if text in graph:
        return [text]
    kind, sep, rest = text.partition("/")
    prefix = _PREFIX.get(kind.lower())
    if not sep or not rest or prefix is None:
        raise NotFound(f"cannot focus on {focus!r}: use pod/NAME, dc/NAME, deploy/NAME, istag/STREAM:TAG or is/STREAM")
    if prefix in ("upstream", "image"):
        found = [f"{prefix}:{rest}"]
    elif prefix == "is":
        ns, _, name = rest.rpartition("/")
        stream = f"{ns or namespace}/{name}"
        found = sorted(n for n, a in graph.nodes(data=True)
                       if a.get("kind") == "ImageStreamTag" and f"{a['namespace']}/{a['stream']}" == stream)
    elif prefix == "istag" and rest.count("/") == 1:
        found = [f"istag:{rest}"]
    else:
        found = [f"{prefix}:{namespace}/{rest}"]
    found = [n for n in found if n in graph]
    if not found:
        raise NotFound(f"{focus} is not in the picture at {graph.graph.get('timestamp', '')}".rstrip())
    return found


def _upstream_steps(graph: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str]]:
    """(relation, target) of the edges from ``node`` towards where its image comes from; a pod
    also leads to its workload."""
    attrs = graph.nodes[node]
    kind = attrs.get("kind")
    relations = _UPSTREAM_RELATIONS.get(kind, ())
    if kind == "Pod" and attrs.get("workload") in graph:
        yield "pod_of", attrs["workload"]
    succ = graph._succ[node]
    runs = kind == "Pod" and any(d.get("relation") == "runs" for keys in succ.values() for d in keys.values())
    triggered = {c for keys in succ.values() for d in keys.values() if d.get("relation") == "triggers"
                 for c in d.get("containers", ())}
    for target, keys in succ.items():
        for data in keys.values():
            relation = data.get("relation")
            if relation not in relations:
                continue
            if relation == "uses" and (runs or data.get("container") in triggered):
                continue  # what a pod runs, or the trigger a container follows, says more
            yield relation, target


def _closure(graph: nx.MultiDiGraph, start: Iterable[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """Everything reachable from ``start`` towards upstream, and the edges on the way."""
    seen: set[str] = set()
    edges: set[tuple[str, str]] = set()
    stack = sorted(set(start))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, target in _upstream_steps(graph, node):
            if graph.nodes[target].get("kind") in _COLUMN_OF:
                edges.add((node, target))
                if target not in seen:
                    stack.append(target)
    return seen, edges


def _pod_state(sim: Simulation, attrs: dict) -> tuple[str, str]:
    """(state, STATUS column) of a pod node."""
    from ..workload_manifests import pod_status

    pod = sim.cluster.pods.get((attrs["namespace"], attrs["name"]))
    if pod is None:
        return "terminating", "Terminating"
    status = pod_status(sim, pod, sim.clock.now)
    reason = status.reason
    if status.terminating:
        return "terminating", reason
    if attrs.get("broken") or reason in ("CrashLoopBackOff", "Error") or reason.startswith("Init:CrashLoop"):
        return "crashloop", reason
    if reason in ("ErrImagePull", "ImagePullBackOff", "InvalidImageName") or "ImagePull" in reason:
        return "backoff", reason
    if status.all_ready:
        return "ready", reason
    return "starting", reason


def _state(sim: Simulation, attrs: dict) -> tuple[str, str]:
    """(state, extra label text) of a node."""
    kind = attrs["kind"]
    if kind == "Image":
        return ("broken", " (broken)") if attrs.get("broken") else ("image", "")
    if kind == "UpstreamTag":
        registry = sim.registries.get(attrs["host"])
        if registry is not None and not registry.available(sim.clock.now):
            return "registry-down", " (down)"
        return ("upstream", "") if attrs.get("exists") else ("upstream-missing", " (missing)")
    if kind == "ImageStreamTag":
        if attrs.get("import_error"):
            return "import-failed", " (import failing)"
        return ("istag", "") if attrs.get("image") or attrs.get("ref") else ("istag-empty", " (no image)")
    if kind == "Pod":
        state, reason = _pod_state(sim, attrs)
        return state, f"  {reason}"
    return "workload", " (paused)" if attrs.get("paused") else ""


def _label(attrs: dict, namespace: str, several: bool) -> str:
    kind = attrs["kind"]
    if kind == "Image":
        digest = attrs["digest"]
        return digest[:19] if digest.startswith("sha256:") else digest[:12]
    if kind in ("DeploymentConfig", "Deployment"):
        return attrs["label"] if attrs["namespace"] == namespace and not several else \
            f"{attrs['namespace']}: {attrs['label']}"
    if kind == "Pod":
        return attrs["name"] if attrs["namespace"] == namespace and not several else \
            f"{attrs['namespace']}/{attrs['name']}"
    return attrs["label"]


def _readable(focus: str, namespace: str) -> str:
    """``dc/web`` for the node id ``dc:myproject/web`` (in the current project), ``is/lighttpd``
    for ``is/myproject/lighttpd``; anything else as given."""
    prefix, sep, rest = focus.partition(":")
    if sep and prefix in ("dc", "deploy", "istag", "pod") and "/" in rest:
        ns, _, name = rest.partition("/")
        return f"{prefix}/{name}" if ns == namespace else f"{prefix}/{rest}"
    if focus.startswith("is/") and focus.count("/") == 2:
        _, ns, name = focus.split("/")
        return f"is/{name}" if ns == namespace else focus
    return focus


def _order(names: list[str], neighbours: dict[str, set[str]], placed: dict[str, float]) -> list[str]:
    """Sort a column: by the mean place of its already placed neighbours, then by name."""
    def key(name: str) -> tuple:
        places = sorted(placed[m] for m in neighbours.get(name, ()) if m in placed)
        return (sum(places) / len(places) if places else math.inf, name)

    return sorted(names, key=key)


def layout(sim: Simulation, focus: str | None = None, *, at: Any = None, namespaces: Iterable[str] | None = None,
           everything: bool = False, graph: nx.MultiDiGraph | None = None) -> Picture:
    """What :func:`draw` draws, as a :class:`Picture` (see :func:`draw` for the arguments)."""
    view = view_at(sim, at)
    G = graph if graph is not None else build_graph(view)
    namespace = view.project
    scope = sorted(set(namespaces)) if namespaces is not None else [namespace]
    kinds = {n: a.get("kind") for n, a in G.nodes(data=True)}

    # which nodes
    if everything:
        chosen = {n for n, k in kinds.items() if k in _COLUMN_OF}
        _, edges = _closure(G, chosen)
    else:
        roots = [n for n, k in kinds.items() if k in ("DeploymentConfig", "Deployment", "Pod", "ImageStreamTag")
                 and G.nodes[n].get("namespace") in scope]
        chosen, edges = _closure(G, roots)
    path: set[str] = set()
    path_edges: set[tuple[str, str]] = set()
    starts: list[str] = []
    if focus:
        starts = focus_nodes(G, focus, namespace)
        path, path_edges = _closure(G, starts)
        chosen |= path
        edges |= path_edges
    chosen = {n for n in chosen if kinds.get(n) in _COLUMN_OF}

    # edges: (u, v, style); a pod's `uses` only when it runs nothing yet
    drawn: list[tuple[str, str, str]] = []
    for u, v in sorted(edges):
        if u not in chosen or v not in chosen:
            continue
        style = "-"
        for data in G._succ[u].get(v, {}).values():
            style = _STYLE.get(data.get("relation"), style)
        drawn.append((u, v, style))
    neighbours: dict[str, set[str]] = {}
    for u, v, _ in drawn:
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)

    # columns, sorted right to left from the workloads (their names are what a student knows)
    columns: list[list[str]] = [[] for _ in COLUMNS]
    for n in chosen:
        columns[_COLUMN_OF[kinds[n]]].append(n)
    placed: dict[str, float] = {}

    def place(index: int, passes: int = 1) -> None:
        names = sorted(columns[index])
        for _ in range(passes):
            names = _order(names, neighbours, placed)
            count = len(names)
            for i, name in enumerate(names):
                placed[name] = (i + 0.5) / count
        columns[index] = names

    place(3)
    place(4)
    place(2, passes=2)  # a second pass puts tracked tags next to the tags that track them
    place(0)
    place(1)
    place(0)  # upstream tags next to the images they point at (for those no stream tag imports)

    rows = max(1, max(len(c) for c in columns))
    several = len({G.nodes[n].get("namespace") for n in columns[3] + columns[4]}) > 1
    t = view.clock.now
    where = "every namespace" if everything else ", ".join(scope)
    title = f"{where} at {view.clock.timestamp(t)}" + (f" · path of {_readable(focus, namespace)}" if focus else "")
    picture = Picture(title, t, rows=rows)
    for index, names in enumerate(columns):
        count = len(names)
        for i, name in enumerate(names):
            attrs = G.nodes[name]
            state, extra = _state(view, attrs)
            y = rows - (i + 0.5) * rows / count  # evenly spread over the height, top to bottom
            picture.nodes[name] = PictureNode(name, index, float(index), y, _label(attrs, namespace, several) + extra,
                                              state, name in path)
    picture.edges = drawn
    picture.path_edges = sorted((u, v) for u, v in path_edges if u in chosen and v in chosen)
    return picture


# -------------------------------------------------------------------------------------------
# drawing

def _segment(a: PictureNode, b: PictureNode) -> list[tuple[float, float]]:
    if a.column != b.column:
        return [(a.x, a.y), (b.x, b.y)]
    # an arc to the left for a tag tracking another tag in the same column
    bulge = 0.18 + 0.02 * min(abs(a.y - b.y), 10)
    points = []
    for i in range(13):
        s = i / 12
        points.append((a.x - bulge * 4 * s * (1 - s), a.y + (b.y - a.y) * s))
    return points


def _legend_handles() -> list:
    handles = []
    for label, key in LEGEND:
        if key in COLORS:
            handles.append(Patch(facecolor=COLORS[key], edgecolor="#555555", linewidth=0.6, label=label))
        elif key == "focus":
            handles.append(Line2D([], [], color=HIGHLIGHT, linewidth=HIGHLIGHT_WIDTH, label=label))
        else:
            handles.append(Line2D([], [], color=_EDGE, linewidth=0.6 if key == "runs" else 1.0,
                                  alpha=0.5 if key == "runs" else 1.0,
                                  linestyle="-" if key == "runs" else key, label=label))
    return handles


def draw(sim: Simulation, focus: str | None = None, at: Any = None, ax: Axes | None = None, *,
         namespaces: Iterable[str] | None = None, everything: bool = False,
         graph: nx.MultiDiGraph | None = None) -> Figure:
    """The layered picture of ``sim`` (see the module docstring), on ``ax`` (default: a new
    figure sized to the picture). Returns the figure.

    ``focus`` highlights the path from a pod, workload or stream tag to its upstream tag; ``at``
    shows an earlier time; ``namespaces`` / ``everything`` choose what is drawn; ``graph`` reuses
    a graph already built from the same simulation at the same time.
    """
    picture = layout(sim, focus, at=at, namespaces=namespaces, everything=everything, graph=graph)
    return draw_picture(picture, ax=ax)


def draw_picture(picture: Picture, ax: Axes | None = None) -> Figure:
    """Render a :class:`Picture` (what :func:`draw` does after :func:`layout`)."""
    rows = picture.rows
    if ax is None:
        # margins computed here rather than by a layout engine: saving the figure then takes one
        # drawing pass, not two (the picture has hundreds of texts)
        height = max(3.6, 0.26 * rows + 2.0)
        top, bottom = 0.45 / height, 0.75 / height
        fig = Figure(figsize=(14.0, height), dpi=100 if rows <= 40 else 72)
        ax = fig.add_axes((0.01, bottom, 0.98, 1.0 - top - bottom))
    else:
        fig = ax.figure
    nodes = picture.nodes
    fontsize = 7 if rows <= 40 else 6

    # lines first (under the boxes), grouped by style
    by_style: dict[str, list] = {"-": [], "--": [], ":": [], "runs": []}
    for u, v, style in picture.edges:
        by_style[style].append(_segment(nodes[u], nodes[v]))
    for style, gid in (("-", "edges"), ("--", "edges-imports"), (":", "edges-tracks"), ("runs", "edges-runs")):
        width, alpha = (0.5, 0.45) if style == "runs" else (0.8, 1.0)
        ax.add_collection(LineCollection(by_style[style], colors=_EDGE, linewidths=width, alpha=alpha,
                                         linestyles="-" if style == "runs" else style, zorder=1, gid=gid))
    path = [_segment(nodes[u], nodes[v]) for u, v in picture.path_edges]
    ax.add_collection(LineCollection(path, colors=HIGHLIGHT, linewidths=HIGHLIGHT_WIDTH, zorder=2, alpha=0.85,
                                     gid="focus-path", label="path of the focus"))

    for name in sorted(nodes, key=lambda n: (nodes[n].column, -nodes[n].y)):
        n = nodes[name]
        face = COLORS[n.state]
        text = ax.text(n.x, n.y, n.label, ha="center", va="center", fontsize=fontsize, gid=name, zorder=3,
                       color="white" if n.state in _DARK else "black", clip_on=False,
                       bbox={"boxstyle": "round,pad=0.3", "facecolor": face,
                             "edgecolor": HIGHLIGHT if n.on_path else "#555555",
                             "linewidth": 2.2 if n.on_path else 0.6})
        text.set_in_layout(False)  # inside the axes anyway; a tight bounding box need not measure it
    for index, (key, title) in enumerate(COLUMNS):
        ax.text(index, rows + 0.35, title, ha="center", va="bottom", fontsize=fontsize + 2, fontweight="bold",
                gid="column:" + key, clip_on=False)

    ax.set_xlim(-0.6, len(COLUMNS) - 0.4)
    ax.set_ylim(-0.2, rows + 0.9)
    ax.set_axis_off()
    ax.set_title(picture.title, fontsize=fontsize + 3)
    ax.legend(handles=_legend_handles(), loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=5,
              fontsize=fontsize, frameon=False)
    return fig
