"""Pictures of a simulation (``imagesim.views.draw``, ``imagesim.views.timeline``) and the reprs
of Simulation, ImageStream and OcResult (``imagesim.display``).

Figures are checked by what they hold (titles, the labels drawn, the colours of the boxes and
markers, the highlighted path's lines, legend entries, the time range and the shaded outages),
never by pixels.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("networkx")

from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.dates import num2date  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import imagesim  # noqa: E402
from imagesim import NotFound, Simulation, scenarios  # noqa: E402
from imagesim.display import html_reprs  # noqa: E402
from imagesim.views.draw import COLORS, HIGHLIGHT, HIGHLIGHT_WIDTH, draw, layout  # noqa: E402
from imagesim.views.explorer import render_png  # noqa: E402
from imagesim.views.timeline import MARKERS, OUTAGE_COLOR, timeline, timeline_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = "docker.io/gists/lighttpd:latest"
UPSTREAM = "upstream:" + APP
NS = "myproject"


# -------------------------------------------------------------------------------------------
# worlds and helpers

@pytest.fixture(scope="module")
def broken() -> Simulation:
    """broken_upstream after the restart: ``direct`` crash-loops on the broken image,
    ``via-stream`` runs the good digest its stream tag imported."""
    sim = scenarios.broken_upstream()
    sim.advance("3h")
    return sim


@pytest.fixture(scope="module")
def outage() -> Simulation:
    """registry_outage during the outage: the drained source-app pod cannot pull."""
    sim = scenarios.registry_outage()
    sim.advance("2h")
    return sim


@pytest.fixture(scope="module")
def scheduled() -> Simulation:
    """scheduled_trigger with a 50-minute docker.io outage before the broken push: a failed
    scheduled import, the broken import and rollout (failed), the fixed one (complete)."""
    sim = scenarios.scheduled_trigger()
    sim.advance("30m")
    sim.outage("docker.io", duration="50m")
    sim.advance("4h")
    return sim


def texts(fig: Figure) -> dict[str, object]:
    """gid -> Text of the boxes and column titles drawn."""
    ax = fig.axes[0]
    return {t.get_gid(): t for t in ax.texts if t.get_gid()}


def face(text) -> tuple | None:
    patch = text.get_bbox_patch()
    return tuple(patch.get_facecolor()) if patch is not None else None


def edge(text) -> tuple:
    return tuple(text.get_bbox_patch().get_edgecolor())


def collection(ax, gid: str):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, f"{gid}: {[c.get_gid() for c in ax.collections]}"
    return found[0]


def pods_of(sim: Simulation, workload: str) -> list[str]:
    return sorted(p.name for p in sim.cluster.pods.values()
                  if p.workload == workload and not p.deployer and p.deleted < 0)


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# -------------------------------------------------------------------------------------------
# draw: what is in the picture

def test_draw_returns_a_figure_with_columns_title_and_the_project_only(broken: Simulation) -> None:
    fig = draw(broken)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == f"myproject at {broken.clock.timestamp(broken.time)}"
    drawn = texts(fig)
    assert [drawn[f"column:{key}"].get_text() for key in ("upstream", "image", "istag", "workload", "pod")] == \
        ["upstream tags", "images", "stream tags", "workloads", "pods"]
    boxes = sorted(gid for gid in drawn if not gid.startswith("column:"))
    pods = [f"pod:{NS}/{name}" for name in pods_of(broken, "direct") + pods_of(broken, "via-stream")]
    good, bad = broken.log.of_kind("push")[-1].previous, broken.log.of_kind("push")[-1].digest
    assert boxes == sorted([UPSTREAM, f"image:{good}", f"image:{bad}", f"istag:{NS}/lighttpd:latest",
                            f"deploy:{NS}/direct", f"deploy:{NS}/via-stream", *pods])
    # the labels a student reads
    assert drawn[UPSTREAM].get_text() == APP
    assert drawn[f"istag:{NS}/lighttpd:latest"].get_text() == "myproject/lighttpd:latest"
    assert drawn[f"deploy:{NS}/direct"].get_text() == "deploy/direct"
    assert drawn[f"image:{bad}"].get_text() == f"{bad[:19]} (broken)"
    crashing = pods_of(broken, "direct")[0]
    assert drawn[f"pod:{NS}/{crashing}"].get_text() == f"{crashing}  CrashLoopBackOff"
    # columns left to right
    xs = {gid: drawn[gid].get_position()[0] for gid in boxes}
    assert xs[UPSTREAM] < xs[f"image:{bad}"] < xs[f"istag:{NS}/lighttpd:latest"] < xs[f"deploy:{NS}/direct"] \
        < xs[f"pod:{NS}/{crashing}"]
    # nothing from the openshift catalog (nobody here uses it)
    assert not [gid for gid in boxes if "openshift/" in gid]


def test_health_colours(broken: Simulation, outage: Simulation) -> None:
    drawn = texts(draw(broken))
    bad = broken.log.of_kind("push")[-1].digest
    good = broken.log.of_kind("push")[-1].previous
    assert face(drawn[f"image:{bad}"]) == to_rgba(COLORS["broken"]) == to_rgba("#d62728")
    assert face(drawn[f"image:{good}"]) == to_rgba(COLORS["image"])
    for name in pods_of(broken, "direct"):
        assert face(drawn[f"pod:{NS}/{name}"]) == to_rgba(COLORS["crashloop"])
        assert drawn[f"pod:{NS}/{name}"].get_color() == "white"
    for name in pods_of(broken, "via-stream"):
        assert face(drawn[f"pod:{NS}/{name}"]) == to_rgba(COLORS["ready"]) == to_rgba("#2ca02c")

    drawn = texts(draw(outage))
    states = {gid: face(t) for gid, t in drawn.items() if gid.startswith("pod:")}
    backoff = [gid for gid, colour in states.items() if colour == to_rgba(COLORS["backoff"])]
    assert len(backoff) == 1 and backoff[0].startswith(f"pod:{NS}/source-app-")
    assert drawn[backoff[0]].get_text().endswith("ImagePullBackOff")
    assert sum(colour == to_rgba(COLORS["ready"]) for colour in states.values()) == 5
    assert face(drawn[UPSTREAM]) == to_rgba(COLORS["registry-down"])
    assert drawn[UPSTREAM].get_text() == APP + " (down)"


def test_focus_pod_highlights_its_path_to_the_upstream_tag(broken: Simulation) -> None:
    pod = pods_of(broken, "direct")[0]
    fig = draw(broken, focus=f"pod/{pod}")
    ax = fig.axes[0]
    assert ax.get_title().endswith(f" · path of pod/{pod}")
    path = collection(ax, "focus-path")
    assert tuple(path.get_colors()[0]) == pytest.approx(to_rgba(HIGHLIGHT, alpha=path.get_alpha()))
    assert list(path.get_linewidths()) == [HIGHLIGHT_WIDTH]
    assert HIGHLIGHT_WIDTH > max(collection(ax, "edges").get_linewidths())
    drawn = texts(fig)
    position = {gid: tuple(t.get_position()) for gid, t in drawn.items()}
    segments = {(tuple(map(tuple, s))[0], tuple(map(tuple, s))[-1]) for s in path.get_segments()}
    bad = broken.log.of_kind("push")[-1].digest
    pod_id, direct = f"pod:{NS}/{pod}", f"deploy:{NS}/direct"
    expected = {(pod_id, direct), (pod_id, f"image:{bad}"), (direct, UPSTREAM), (UPSTREAM, f"image:{bad}")}
    assert segments == {(position[u], position[v]) for u, v in expected}
    # the boxes on the path have the highlight's outline, the others do not
    on_path = {gid for gid, t in drawn.items() if not gid.startswith("column:") and edge(t) == to_rgba(HIGHLIGHT)}
    assert on_path == {pod_id, direct, UPSTREAM, f"image:{bad}"}


def test_focus_on_a_stream_tag_and_a_workload(broken: Simulation) -> None:
    picture = layout(broken, "deploy/via-stream")
    good = broken.log.of_kind("push")[-1].previous
    tag = f"istag:{NS}/lighttpd:latest"
    assert set(picture.path_edges) == {(f"deploy:{NS}/via-stream", tag), (tag, UPSTREAM), (tag, f"image:{good}"),
                                       (UPSTREAM, f"image:{broken.log.of_kind('push')[-1].digest}")}
    assert layout(broken, "istag/lighttpd:latest").path_edges == layout(broken, tag).path_edges
    # a stream tag of another namespace brings its chain with it, alias arc included
    picture = layout(broken, "istag/openshift/mongodb:latest")
    assert {n for n, node in picture.nodes.items() if node.on_path} == {
        "istag:openshift/mongodb:latest", "istag:openshift/mongodb:3.2",
        "upstream:docker.io/centos/mongodb-32-centos7:latest",
        "image:sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1"}
    fig = draw(broken, focus="istag/openshift/mongodb:latest")
    tracks = collection(fig.axes[0], "edges-tracks")
    assert len(tracks.get_segments()) == 1 and len(tracks.get_segments()[0]) > 2  # an arc, not a line
    assert tracks.get_linestyle()[0][1] is not None  # dotted
    assert collection(fig.axes[0], "edges-imports").get_segments()  # dashed: imports from
    with pytest.raises(NotFound, match="not in the picture"):
        draw(broken, focus="pod/nope")
    with pytest.raises(NotFound, match="cannot focus"):
        draw(broken, focus="banana")


def test_legend_entries(broken: Simulation) -> None:
    ax = draw(broken).axes[0]
    labels = legend_labels(ax)
    for entry in ("upstream tag", "image", "broken image", "stream tag", "workload", "pod ready",
                  "pod crash-looping", "pod cannot pull (back-off)", "imports from", "tracks (alias)",
                  "path of the focus"):
        assert entry in labels
    handles = dict(zip(labels, ax.get_legend().legend_handles))
    assert tuple(handles["broken image"].get_facecolor()) == to_rgba(COLORS["broken"])
    assert tuple(handles["pod crash-looping"].get_facecolor()) == to_rgba(COLORS["crashloop"])
    assert handles["path of the focus"].get_color() == HIGHLIGHT
    assert handles["path of the focus"].get_linewidth() == HIGHLIGHT_WIDTH


def test_at_draws_the_past(broken: Simulation) -> None:
    push = broken.log.of_kind("push")[-1]
    before = push.time - 60
    fig = draw(broken, at=before)
    ax = fig.axes[0]
    assert ax.get_title() == f"myproject at {broken.clock.timestamp(before)}"
    drawn = texts(fig)
    assert f"image:{push.digest}" not in drawn  # not pushed yet
    pods = {gid: face(t) for gid, t in drawn.items() if gid.startswith("pod:")}
    assert len(pods) == 4 and set(pods.values()) == {to_rgba(COLORS["ready"])}
    # the same as drawing the view of the past
    view = broken.at(before)
    again = texts(draw(view))
    assert {g: (t.get_text(), t.get_position(), face(t)) for g, t in again.items()} == \
        {g: (t.get_text(), t.get_position(), face(t)) for g, t in drawn.items()}
    with pytest.raises(imagesim.ClockError):
        draw(broken, at=broken.time + 10)


def test_scope_options(broken: Simulation) -> None:
    catalog = layout(broken, namespaces=["openshift"])
    assert "istag:openshift/mongodb:3.2" in catalog.nodes
    assert not [n for n in catalog.nodes if n.startswith(("deploy:", "pod:", f"istag:{NS}/"))]
    everything = layout(broken, everything=True)
    assert set(layout(broken).nodes) < set(everything.nodes)
    assert set(catalog.nodes) <= set(everything.nodes)
    assert draw(broken, everything=True).axes[0].get_title().startswith("every namespace at ")


def test_draw_on_given_axes_and_determinism(broken: Simulation) -> None:
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    assert draw(broken, ax=ax) is fig
    assert ax.get_legend() is not None
    pod = pods_of(broken, "direct")[0]
    first = render_png(draw(broken, focus=f"pod/{pod}"))
    second = render_png(draw(broken, focus=f"pod/{pod}"))
    assert first == second and first.startswith(b"\x89PNG")
    # a fresh copy of the same world draws the same picture
    twin = scenarios.broken_upstream()
    twin.advance("3h")
    assert render_png(draw(twin, focus=f"pod/{pod}")) == first


def test_layout_is_sorted_and_evenly_spaced(broken: Simulation) -> None:
    picture = layout(broken, everything=True)
    for index in range(5):
        column = picture.column(index)
        ys = [node.y for node in column]
        gaps = {round(a - b, 9) for a, b in zip(ys, ys[1:])}
        assert len(gaps) <= 1  # evenly spaced
        assert all(node.x == index for node in column)


def _big_world() -> Simulation:
    sim = scenarios.registry_outage()
    for i, tag in enumerate(["openshift/mongodb:3.2", "openshift/nginx:latest", "openshift/redis:latest",
                             "openshift/mysql:latest", "openshift/php:latest", "openshift/python:latest",
                             "openshift/ruby:latest", "openshift/nodejs:latest", "openshift/httpd:latest",
                             "openshift/perl:latest"]):
        assert sim.oc(f"new-app {tag} --name=app{i}").ok
        assert sim.oc(f"scale deploy/app{i} --replicas=3").ok
    sim.advance("1h")
    return sim


def test_a_200_node_picture_renders_quickly(capsys) -> None:
    sim = _big_world()
    picture = layout(sim, everything=True)
    assert len(picture.nodes) >= 200
    render_png(draw(sim, everything=True))  # warm up fonts and caches
    times = []
    gc.collect()
    for _ in range(3):
        start = time.perf_counter()
        fig = draw(sim, everything=True, focus="deploy/app0")
        png = render_png(fig)
        times.append(time.perf_counter() - start)
    assert png.startswith(b"\x89PNG")
    with capsys.disabled():
        print(f"\n[views] {len(picture.nodes)}-node picture (draw + PNG at {fig.dpi:.0f} dpi): "
              f"best {min(times):.2f}s, worst {max(times):.2f}s")


# -------------------------------------------------------------------------------------------
# timeline

def test_timeline_lanes_markers_and_range(scheduled: Simulation) -> None:
    fig = timeline(scheduled, "lighttpd:latest")
    ax = fig.axes[0]
    assert ax.get_title() == (f"myproject/lighttpd:latest: history to {scheduled.clock.timestamp(scheduled.time)} "
                              f"(source {APP})")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "dc/web rollouts", "imports of myproject/lighttpd:latest", f"upstream {APP}"]
    # x: simulated time as datetimes, from the stream's creation to now (with a little margin)
    created = scheduled.stream("lighttpd").created
    left, right = (num2date(x) for x in ax.get_xlim())
    assert left <= scheduled.clock.to_datetime(created) and right >= scheduled.now
    assert (scheduled.clock.to_datetime(created) - left).total_seconds() < 0.05 * (scheduled.time - created)
    assert (right - scheduled.now).total_seconds() < 0.05 * (scheduled.time - created)

    def points(gid: str) -> list:
        found = [c for c in ax.collections if c.get_gid() == gid]
        if not found:
            return []
        return [(num2date(x), y) for x, y in found[0].get_offsets()]

    pushes = [e for e in scheduled.log.of_kind("push") if e.subject == APP and e.time >= created]
    bad = [e for e in pushes if e.warning]
    assert [p[0] for p in points("push-broken")] == [scheduled.clock.to_datetime(e.time) for e in bad]
    assert {p[1] for p in points("push-broken")} == {2}  # the top lane
    assert len(points("push")) == len(pushes) - len(bad) == 1
    broken_marker = next(c for c in ax.collections if c.get_gid() == "push-broken")
    assert tuple(broken_marker.get_facecolor()[0]) == to_rgba(MARKERS["push-broken"][1]) == to_rgba("#d62728")
    failed = [e for e in scheduled.log.of_kind("import-failed") if e.subject == f"{NS}/lighttpd:latest"]
    assert len(failed) == 1 and [p[0] for p in points("import-failed")] == [scheduled.clock.to_datetime(failed[0].time)]
    assert len(points("import-broken")) == 1 and len(points("import")) == 2
    assert {p[1] for p in points("rollout-failed")} == {0} and len(points("rollout-failed")) == 1
    assert len(points("rollout-complete")) == 2
    # the docker.io outage, shaded
    spans = [p for p in ax.patches if p.get_gid() == "outage"]
    assert len(spans) == 1
    (s, e), = scheduled.registry("docker.io").outages
    x0, x1 = _span(spans[0])
    assert num2date(x0) == scheduled.clock.to_datetime(s) and num2date(x1) == scheduled.clock.to_datetime(e)
    assert tuple(spans[0].get_facecolor()[:3]) == to_rgba(OUTAGE_COLOR)[:3]
    labels = legend_labels(ax)
    assert labels[0] == "docker.io unreachable"
    assert {"upstream push", "upstream push (broken image)", "failed import", "rollout failed", "now"} <= set(labels)
    assert render_png(fig) == render_png(timeline(scheduled, "myproject/lighttpd:latest"))


def _span(patch) -> tuple[float, float]:
    """The data x range of an axvspan (a Rectangle since matplotlib 3.9, a Polygon before)."""
    if hasattr(patch, "get_x") and hasattr(patch, "get_width"):
        return patch.get_x(), patch.get_x() + patch.get_width()
    xs = [x for x, _ in patch.get_xy()]
    return min(xs), max(xs)


def test_timeline_of_an_alias_and_errors(broken: Simulation) -> None:
    data = timeline_data(broken, "openshift/mongodb:latest")
    assert data.source == "docker.io/centos/mongodb-32-centos7:latest" and data.host == "docker.io"
    assert [lane.label for lane in data.lanes] == [
        "upstream docker.io/centos/mongodb-32-centos7:latest",
        "imports of openshift/mongodb:3.2 (tracked by openshift/mongodb:latest)"]
    assert [kind for _, kind, _ in data.lanes[1].points] == ["import"]
    assert data.start == 0 and data.end == broken.time and data.outages == []
    with pytest.raises(NotFound):
        timeline(broken, "openshift/mongodb:9.9")
    with pytest.raises(NotFound):
        timeline(broken, "nope:latest")
    # a narrower window
    window = timeline_data(broken, "lighttpd:latest", start=broken.time - 7200)
    assert window.start == broken.time - 7200 and window.end == broken.time
    # consumers: the workload whose trigger follows the tag
    data = timeline_data(broken, "lighttpd:latest")
    assert [lane.label for lane in data.lanes][-1] == "deploy/via-stream rollouts"


# -------------------------------------------------------------------------------------------
# reprs

def test_simulation_text_and_html_reprs(broken: Simulation) -> None:
    assert repr(broken) == f"<Simulation seed=0 now={broken.clock.timestamp(broken.time)} streams=16>"
    text = str(broken)
    assert text.splitlines()[0] == "Simulation"
    assert f"  time             {broken.clock.timestamp(broken.time)}" in text
    assert "  workloads        2 (Deployment 2)" in text
    assert "  pods             4 (CrashLoopBackOff 2, Running 2)" in text
    previous = html_reprs(True)  # the default: on
    assert previous is True
    try:
        page = broken._repr_html_()
        assert page.startswith("<table>") and "<td style=\"text-align:left\">pods</td>" in page
        assert "CrashLoopBackOff 2, Running 2" in page
        result = broken.oc("get is")
        assert result._repr_html_().startswith("<pre>") and result._repr_html_().endswith("</pre>")
        error = broken.oc("get nothing")
        assert error._repr_html_().startswith('<pre style="color:#b00020">error: ')
        assert "&quot;nothing&quot;" in error._repr_html_()
    finally:
        html_reprs(previous)
    html_reprs(False)
    try:
        result = broken.oc("get is")
        assert repr(result) == result.stdout.rstrip("\n") and result._repr_html_() is None
        assert broken._repr_html_() is None
    finally:
        html_reprs(previous)
    view = broken.at(broken.time - 3600)
    assert "(a read-only view of the past)" in str(view)


def test_image_stream_reprs(broken: Simulation) -> None:
    stream = broken.stream("mongodb", "openshift")
    assert repr(stream) == "ImageStream('openshift/mongodb', tags=['2.4', '2.6', '3.2', 'latest'])"
    lines = str(stream).splitlines()
    assert lines[0] == "image stream openshift/mongodb"
    assert lines[1].split() == ["TAG", "FROM", "IMAGE", "UPDATED", "HISTORY"]
    assert lines[-1].split() == ["latest", "tracks", "3.2", "sha256:d4dc006a25db", "2025-03-03T09:00:00Z", "1", "item"]
    page = stream._repr_html_()
    assert page.count("<tr>") == 5 and "tracks 3.2" in page and page.startswith("<table>")


def test_use_is_lazy_and_sorted() -> None:
    assert "use" in imagesim.__all__
    assert imagesim.__all__ == sorted(imagesim.__all__)
    probe = ("import json, sys, imagesim\n"
             "sim = imagesim.Simulation(seed=3)\n"
             "chosen = imagesim.use(sim)\n"
             "from imagesim.oc.magic import current\n"
             "print(json.dumps([chosen is sim, current() is sim, 'IPython' in sys.modules,"
             " 'matplotlib' in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [True, True, False, False]
    from imagesim.oc import magic

    assert imagesim.use is magic.use


def test_graph_reexports_the_questions() -> None:
    from imagesim import blast, explain, graph

    assert graph.blast_radius is blast.blast_radius and graph.BlastRadius is blast.BlastRadius
    assert graph.explain is explain.explain and graph.Explanation is explain.Explanation
    assert {"blast_radius", "explain", "build_graph"} <= set(dir(graph))
    with pytest.raises(AttributeError):
        graph.nothing_here  # noqa: B018


def test_blast_radius_html_when_nothing_is_reached(broken: Simulation) -> None:
    from imagesim.blast import blast_radius

    page = blast_radius(broken, "quay.io/nobody/nothing:1")._repr_html_()
    assert "nothing imports, tracks or runs this tag" in page and "<table>" not in page
