"""A stream tag's history over simulated time: what upstream did, what was imported, what rolled out.

:func:`timeline` returns a matplotlib :class:`~matplotlib.figure.Figure` (made without pyplot)
with one lane per source of change, top to bottom:

- **upstream**: the pushes to the upstream tag the stream tag imports from (a green dot for a
  good image, a red cross for a broken one, a grey cross where the tag was deleted);
- **imports**: the imports into the stream tag (or, for an alias, into the tag it tracks): a blue
  dot per import (red cross when the imported image is broken), an orange cross where an import
  failed, a square where an image was pushed into the internal registry;
- **one lane per consumer** (a workload whose image-change trigger follows the tag or an alias of
  it): its rollouts (triangle), completed rollouts (green dot), failed rollouts (red cross) and
  rollbacks.

Outages of the source's registry are shaded spans across every lane; a vertical line marks
"now". The x axis is the simulated time (UTC datetimes). Everything comes from the event log and
the registries' outage windows, so the figure is the same on every run. :func:`timeline_data`
returns the same content as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from ..errors import NotFound
from ..importer import upstream_key
from ..reference import split_istag

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..simulation import Simulation

__all__ = ["MARKERS", "OUTAGE_COLOR", "Lane", "TimelineData", "timeline", "timeline_data"]

#: (marker, colour, legend label) of each kind of point.
MARKERS = {
    "push": ("o", "#2ca02c", "upstream push"),
    "push-broken": ("X", "#d62728", "upstream push (broken image)"),
    "untag": ("x", "#7f7f7f", "upstream tag deleted"),
    "import": ("o", "#1f77b4", "import"),
    "import-broken": ("X", "#d62728", "import of a broken image"),
    "import-failed": ("X", "#ff7f0e", "failed import"),
    "image-pushed": ("s", "#1f77b4", "pushed into the internal registry"),
    "rollout": ("^", "#1f77b4", "rollout started"),
    "rollout-complete": ("o", "#2ca02c", "rollout complete"),
    "rollout-failed": ("X", "#d62728", "rollout failed"),
    "rollback": ("<", "#6a3d9a", "rollback"),
}
#: Colour of the shaded outage spans.
OUTAGE_COLOR = "#fdbf6f"


@dataclass
class Lane:
    """One row of the timeline: its label and its points ``(time, kind, note)``."""

    label: str
    points: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class TimelineData:
    """What :func:`timeline` draws: the tag, its source, lanes top to bottom, outage spans
    ``(start, end)`` of the source's registry, the time window and "now" (simulated seconds)."""

    tag: str
    source: str
    host: str
    lanes: list[Lane]
    outages: list[tuple[int, int]]
    start: int
    end: int
    now: int


def _parse(sim: Simulation, tag: str) -> tuple[str, str, str]:
    text = tag.strip()
    if text.startswith("istag/"):
        text = text[len("istag/"):]
    ns, _, rest = text.rpartition("/")
    name, tag_name, _ = split_istag(rest)
    return ns or sim.project, name, tag_name


def _importing_tag(sim: Simulation, ns: str, name: str, tag: str) -> tuple[str, str, str, str]:
    """The tag whose imports move this one (following aliases and copies) and its DockerImage
    source (``""`` when it has none)."""
    for _ in range(6):
        stream = sim.server.find(ns, name)
        ref = stream.spec.get(tag) if stream is not None else None
        if ref is None or ref.from_kind != "ImageStreamTag":
            return ns, name, tag, ref.from_name if ref is not None and ref.from_kind == "DockerImage" else ""
        source_ns = ref.from_namespace or ns
        source, sep, source_tag = ref.from_name.partition(":")
        if not sep:
            source, source_tag = name, ref.from_name
        ns, name, tag = source_ns, source, source_tag or "latest"
    return ns, name, tag, ""


def _followers(sim: Simulation, ns: str, name: str, tag: str) -> set[tuple[str, str, str]]:
    """The tag and the aliases in its stream that track it (transitively)."""
    found = {(ns, name, tag)}
    stream = sim.server.find(ns, name)
    if stream is None:
        return found
    changed = True
    while changed:
        changed = False
        for ref in stream.spec.values():
            if ref.from_kind != "ImageStreamTag" or (ref.from_namespace or ns) != ns:
                continue
            source, sep, source_tag = ref.from_name.partition(":")
            if not sep:
                source, source_tag = name, ref.from_name
            if source == name and (ns, name, source_tag or "latest") in found and (ns, name, ref.name) not in found:
                found.add((ns, name, ref.name))
                changed = True
    return found


def timeline_data(sim: Simulation, tag: str, *, start: Any = None, end: Any = None) -> TimelineData:
    """The content of :func:`timeline` for ``tag`` (``NAMESPACE/STREAM:TAG`` or ``STREAM:TAG`` in
    the current project), as plain data."""
    ns, name, tag_name = _parse(sim, tag)
    stream = sim.server.find(ns, name)
    if stream is None or (tag_name not in stream.spec and tag_name not in stream.status):
        raise NotFound(f'imagestreamtags.image.openshift.io "{name}:{tag_name}" not found in {ns}')
    label = f"{ns}/{name}:{tag_name}"
    src_ns, src_name, src_tag, source = _importing_tag(sim, ns, name, tag_name)
    importing = f"{src_ns}/{src_name}:{src_tag}"
    host = upstream = ""
    if source:
        try:
            host, path, up_tag, digest = upstream_key(source)
        except ValueError:
            host = ""
        else:
            upstream = f"{host}/{path}:{up_tag}" if not digest else ""

    broken = {d for d, image in sim.server.images.items() if image.broken}
    for registry in sim.registries.values():
        for repo in registry.repositories.values():
            broken.update(d for d, image in repo.images.items() if image.broken)

    followed = _followers(sim, ns, name, tag_name)
    consumers: dict[tuple[str, str], str] = {}  # (namespace, name) -> lane label
    for w in sorted(sim.cluster.workloads.values(), key=lambda w: (w.namespace, w.name, w.kind)):
        for trigger in w.triggers:
            t_name, t_tag, _ = split_istag(trigger.from_name)
            key = (trigger.from_namespace or w.namespace, t_name, t_tag)
            if key in followed:
                via = "" if key == (ns, name, tag_name) else f" (via {t_name}:{t_tag})"
                where = "" if w.namespace == sim.project else f"{w.namespace}: "
                prefix = "dc" if w.kind == "DeploymentConfig" else "deploy"
                consumers.setdefault((w.namespace, w.name), f"{where}{prefix}/{w.name} rollouts{via}")

    lanes: list[Lane] = []
    up_lane = Lane(f"upstream {upstream}") if upstream else None
    import_lane = Lane(f"imports of {importing}" + ("" if importing == label else f" (tracked by {label})"))
    own = f"{ns}/{name}:{tag_name}"
    consumer_lanes = {key: Lane(text) for key, text in consumers.items()}
    for event in sim.log:
        kind, subject = event.kind, event.subject
        if up_lane is not None and kind in ("push", "untag") and subject == upstream:
            if kind == "untag":
                up_lane.points.append((event.time, "untag", ""))
            else:
                bad = event.warning or event.digest in broken
                up_lane.points.append((event.time, "push-broken" if bad else "push", event.digest))
        elif kind in ("import", "import-failed", "image-pushed") and subject in (importing, own):
            if kind == "import":
                import_lane.points.append((event.time, "import-broken" if event.digest in broken else "import",
                                           event.digest))
            elif kind == "import-failed":
                import_lane.points.append((event.time, "import-failed", event.reason))
            else:
                import_lane.points.append((event.time, "image-pushed", event.digest))
        elif kind in ("rollout", "rollout-complete", "rollout-failed", "rollback") and consumer_lanes:
            key = (event.namespace, subject.partition("/")[2])
            lane = consumer_lanes.get(key)
            if lane is not None:
                lane.points.append((event.time, kind, event.message))
    if up_lane is not None:
        lanes.append(up_lane)
    lanes.append(import_lane)
    lanes.extend(consumer_lanes.values())

    now = sim.clock.now
    # from the stream's creation (or its first import, for a restored one); older upstream pushes
    # are left out unless start= asks for them
    times = [t for lane in lanes[1 if up_lane is not None else 0:] for t, _, _ in lane.points]
    first = min([stream.created] + times)
    t0 = sim.clock.resolve(start, what="start") if start is not None else first
    t1 = sim.clock.resolve(end, what="end") if end is not None else now
    if t1 <= t0:
        t1 = t0 + 3600
    registry = sim.registries.get(host) if host else None
    outages = [(max(s, t0), min(e, t1)) for s, e in (registry.outages if registry is not None else ())
               if s < t1 and e > t0 and s <= now]
    return TimelineData(label, upstream, host, lanes, outages, t0, t1, now)


def timeline(sim: Simulation, tag: str, *, ax: Axes | None = None, start: Any = None, end: Any = None) -> Figure:
    """The history of the stream tag ``tag`` (``"openshift/mongodb:3.2"``, or ``"STREAM:TAG"`` in
    the current project) over simulated time, on ``ax`` (default: a new figure). ``start`` and
    ``end`` (datetimes, or durations from the start) narrow the window; by default it runs from
    the stream's creation (or its first import) to now."""
    data = timeline_data(sim, tag, start=start, end=end)
    lanes = data.lanes
    if ax is None:
        fig = Figure(figsize=(11.0, 1.6 + 0.55 * len(lanes)), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    when = sim.clock.to_datetime
    ys = {id(lane): len(lanes) - 1 - i for i, lane in enumerate(lanes)}

    for s, e in data.outages:
        ax.axvspan(when(s), when(e), color=OUTAGE_COLOR, alpha=0.35, linewidth=0, zorder=0, gid="outage",
                   label=f"{data.host} unreachable")
    points: dict[str, tuple[list, list]] = {}
    for lane in lanes:
        for t, kind, _ in lane.points:
            if data.start <= t <= data.end:
                xs, ys_ = points.setdefault(kind, ([], []))
                xs.append(when(t))
                ys_.append(ys[id(lane)])
    for kind, (marker, color, label) in MARKERS.items():
        if kind in points:
            xs, ys_ = points[kind]
            ax.scatter(xs, ys_, marker=marker, s=60 if marker in "Xx" else 45, color=color, edgecolors="white",
                       linewidths=0.6, zorder=3, gid=kind, label=label)
    for lane in lanes:  # short digests beside the pushes and imports
        for t, kind, note in lane.points:
            if note.startswith("sha256:") and data.start <= t <= data.end:
                ax.annotate(note[7:19], (when(t), ys[id(lane)]), xytext=(0, 7), textcoords="offset points",
                            ha="center", fontsize=6, color="#444444")
    if data.start <= data.now <= data.end:
        ax.axvline(when(data.now), color="#555555", linewidth=0.8, linestyle="--", zorder=1, gid="now", label="now")

    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels([lane.label for lane in reversed(lanes)], fontsize=8)
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    span = data.end - data.start
    pad = max(60, span // 40)
    ax.set_xlim(when(data.start - pad), when(data.end + pad))
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{data.tag}: history to {sim.clock.timestamp(data.end)}"
                 + (f" (source {data.source})" if data.source else ""), fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))  # one entry per outage host
    if unique:
        ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
                  frameon=False)
    return fig
