"""Blast radius: what a push to one upstream tag reaches, when, and what is shielded from it.

:func:`blast_radius` walks the graph of :func:`imagesim.graph.build_graph` backwards from an
upstream tag: the stream tags that import it (now, at the next scheduled check, or only by hand),
the aliases that track them, the workloads whose triggers fire, their pods, and the pods and
workloads that name the tag directly. Everything it does not reach by itself is listed as
shielded, with the reason. ``from imagesim.graph import blast_radius`` works too.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import Invalid
from .graph import (
    WORKLOAD_KINDS,
    _delta,
    _display,
    _short,
    _short_ref,
    _split,
    _when,
    build_graph,
    image_node,
    next_import_check,
    rollback_disabled,
)
from .importer import upstream_key

if TYPE_CHECKING:
    import networkx as nx

    from .simulation import Simulation

__all__ = ["BlastRadius", "Hit", "blast_radius"]


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
        rows = self._rows()
        if not rows:
            return (f"<div><p><b>{html.escape(self._head())}</b></p><p>nothing imports, tracks or runs this tag</p>"
                    f"<p>{html.escape(self._summary())}</p></div>")
        out = [f"<div><p><b>{html.escape(self._head())}</b></p><table>",
               "<tr><th>status</th><th>when</th><th>object</th><th>why</th></tr>"]
        for depth, h in rows:
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
