"""The interactive explorer (``imagesim.views.explorer``), through its plain methods and, without
a browser, through its widgets' values and callbacks."""

from __future__ import annotations

import gc
import time

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("networkx")

from matplotlib.colors import to_rgba  # noqa: E402

from imagesim import ImageSimError, NotFound, Simulation, scenarios  # noqa: E402
from imagesim.views.draw import COLORS  # noqa: E402
from imagesim.views.explorer import Explorer, explore, render_png  # noqa: E402

APP = "docker.io/gists/lighttpd:latest"
NS = "myproject"


def boxes(figure) -> dict[str, tuple]:
    """gid -> (label, face colour) of the picture's boxes."""
    return {t.get_gid(): (t.get_text(), tuple(t.get_bbox_patch().get_facecolor()))
            for t in figure.axes[0].texts if t.get_gid() and not t.get_gid().startswith("column:")}


@pytest.fixture
def web() -> Simulation:
    """scheduled_trigger, before anything happened upstream: dc/web on lighttpd:latest (scheduled)."""
    return scenarios.scheduled_trigger()


def test_options_selection_and_repr(web: Simulation) -> None:
    ex = Explorer(web)
    assert ex.options() == [("dc/web", "dc:myproject/web"), ("is/lighttpd", "is/myproject/lighttpd"),
                            ("istag/lighttpd:latest", "istag:myproject/lighttpd:latest")]
    assert ex.selected == "dc:myproject/web"
    assert repr(ex) == "<Explorer dc:myproject/web at 2025-03-04T07:05:00Z>"
    assert ex.select("istag/lighttpd:latest") == "istag:myproject/lighttpd:latest"
    assert ex.select("is/lighttpd") == "is/myproject/lighttpd"
    assert ex.select("istag/openshift/mongodb:3.2") == "istag:openshift/mongodb:3.2"  # not in the picture: fine
    with pytest.raises(NotFound):
        ex.select("dc/nope")
    assert explore(web, "istag/lighttpd:latest").selected == "istag:myproject/lighttpd:latest"
    assert ex.source() == ("docker.io/centos/mongodb-32-centos7:latest", "docker.io", "openshift/mongodb:3.2")
    ex.select("dc/web")
    assert ex.source() == (APP, "docker.io", "myproject/lighttpd:latest")
    assert ex.describe_command() == "describe dc/web -n myproject"


def test_state_at_now_is_the_picture_and_describe(web: Simulation) -> None:
    ex = Explorer(web)
    state = ex.state_at()
    assert state["time"] == web.time and state["timestamp"] == "2025-03-04T07:05:00Z" and state["note"] == ""
    assert state["text"] == str(web.oc("describe dc/web -n myproject"))
    ax = state["figure"].axes[0]
    assert ax.get_title() == "myproject at 2025-03-04T07:05:00Z · path of dc/web"
    ex.select("is/lighttpd")
    assert ex.state_at()["text"].startswith("Name:\t\t\tlighttpd\nNamespace:\t\tmyproject\n")


def test_push_broken_then_scrub_back_shows_the_old_state(web: Simulation) -> None:
    ex = Explorer(web)
    ex.advance(60)
    before = web.time  # 07:06
    good = web.stream("lighttpd").head("latest").image
    bad = ex.push(broken=True)
    assert web.registry("docker.io").repository("gists/lighttpd").tags["latest"] == bad
    ex.advance("14m")  # the scheduled check (07:15) imports it; the trigger rolls web-2 out
    assert web.stream("lighttpd").head("latest").image == bad
    now = ex.state_at()
    assert "Latest Version:\t2" in now["text"]
    shown = boxes(now["figure"])
    assert shown[f"image:{bad}"] == (f"{bad[:19]} (broken)", to_rgba(COLORS["broken"]))
    crashing = [gid for gid, (label, colour) in shown.items()
                if gid.startswith("pod:myproject/web-2-") and colour == to_rgba(COLORS["crashloop"])]
    assert len(crashing) == 2
    # the slider back at the start: the old state, nothing broken
    then = ex.state_at(before - 1)
    assert then["time"] == before - 1 and then["timestamp"] == "2025-03-04T07:05:59Z"
    assert "Latest Version:\t1" in then["text"] and "web-2" not in then["text"]
    shown = boxes(then["figure"])
    assert f"image:{bad}" not in shown and f"image:{good}" in shown
    assert {colour for gid, (_, colour) in shown.items() if gid.startswith("pod:")} == {to_rgba(COLORS["ready"])}
    # and forward again: the same as before scrubbing (views are cached, the live sim untouched)
    assert ex.state_at()["text"] == now["text"]
    assert web.time == before + 840


def test_times_snap_and_origin(web: Simulation) -> None:
    ex = Explorer(web)
    assert ex.origin == web.time  # a scenario's world starts where its builder left it
    ex.push()
    ex.advance("1h")
    times = ex.times()
    assert times[0] == ex.origin and times[-1] == web.time and times == sorted(set(times))
    imports = [e.time for e in web.log.of_kind("import") if e.time > ex.origin]
    assert imports and set(imports) <= set(times)
    a, b = next((a, b) for a, b in zip(times, times[1:]) if b - a > 10)
    assert ex.snap(a + 2) == a and ex.snap(b - 2) == b
    assert ex.snap(web.time + 100) == web.time
    assert ex.view(ex.origin - 100).clock.now == ex.origin  # clamped to what can be shown
    plain = Simulation(seed=1)
    assert Explorer(plain).origin == 0 and Explorer(plain).selected is None


def test_outage_toggling(web: Simulation) -> None:
    ex = Explorer(web)
    registry = web.registry("docker.io")
    assert ex.outage_host() == "docker.io" and ex.outage_open is None
    message = ex.toggle_outage()
    assert message == "docker.io unreachable from 2025-03-04T07:05:00Z until ended"
    assert not registry.available(web.time) and ex.outage_open == "docker.io"
    ex.push()
    ex.advance(900)
    assert not registry.available(web.time)  # still down: the explorer keeps it going
    result = ex.import_now()
    assert result.exit_code != 0 and "i/o timeout" in str(result)
    assert ex.toggle_outage() == "docker.io outage ended: reachable again from 2025-03-04T07:20:01Z"
    assert ex.outage_open is None
    ex.advance(60)
    assert registry.available(web.time)
    result = ex.import_now()
    assert result.ok and result.stdout.startswith("imagestream.image.openshift.io/lighttpd imported")
    # start again, end at once: down for the one second the engine needs
    ex.toggle_outage()
    ex.toggle_outage()
    assert not registry.available(web.time) and registry.available(web.time + 1)
    # the outages are in the journal: a view of the past has them too
    assert [k for k in (e.kind for e in web.log) if k.startswith("outage")] == \
        [k for k in (e.kind for e in web.at(web.time).log) if k.startswith("outage")]


def test_an_outage_not_started_here_cannot_be_ended() -> None:
    sim = scenarios.registry_outage()
    sim.advance("90m")
    ex = Explorer(sim, "deploy/source-app")
    with pytest.raises(ImageSimError, match="already down until"):
        ex.toggle_outage()


def test_advance_and_actions_without_a_source() -> None:
    sim = scenarios.broken_upstream()
    ex = Explorer(sim, "deploy/direct")
    assert ex.source() == (APP, "docker.io", "")  # the template names the upstream tag directly
    result = ex.import_now()
    assert result.exit_code == 1 and "names its upstream tag directly" in result.stderr
    start = sim.time
    ex.advance("1h")
    ex.advance(900)
    assert sim.time == start + 4500
    empty = Explorer(Simulation(seed=0))
    with pytest.raises(NotFound):
        empty.push()


def test_widget_wiring_without_a_browser(web: Simulation) -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    ex = Explorer(web)
    ui = ex.widget()
    assert ex.widget() is ui and isinstance(ui.box, ipywidgets.VBox)
    assert (ui.slider.min, ui.slider.max, ui.slider.value) == (ex.origin, web.time, web.time)
    assert bytes(ui.image.value).startswith(b"\x89PNG") and ui.text.value.startswith("<pre>Name:\t\tweb\n")
    assert ui.clock.value == "2025-03-04T07:05:00Z"
    ui.push_broken.click()
    assert ui.status.value.startswith("pushed broken sha256:")
    ui.steps[1].click()  # +1h
    assert ui.status.value == "advanced +1h" and ui.slider.max == web.time == ui.slider.value
    latest = bytes(ui.image.value)
    # scrubbing: the slider snaps to the nearest event time and redraws the past
    ui.slider.value = ex.origin + 7
    assert ui.slider.value == ex.origin and ui.clock.value == "2025-03-04T07:05:00Z"
    assert "web-2" not in ui.text.value and bytes(ui.image.value) != latest
    ui.snap.value = False
    ui.slider.value = ex.origin + 7
    assert ui.slider.value == ex.origin + 7 and ui.clock.value == "2025-03-04T07:05:07Z"
    ui.outage.click()
    assert ui.outage.description == "end outage" and ui.status.value.startswith("docker.io unreachable")
    ui.outage.click()
    assert ui.outage.description == "start outage"
    ui.steps[0].click()  # the registry is back a second after the end
    ui.import_button.click()
    assert ui.status.value == "imagestream.image.openshift.io/lighttpd imported"
    ui.choice.value = "istag:myproject/lighttpd:latest"
    assert ex.selected == "istag:myproject/lighttpd:latest" and ui.text.value.startswith("<pre>Image Name:")
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"] == repr(ex) and "application/vnd.jupyter.widget-view+json" in bundle
    # an error is shown, not raised
    other = Explorer(scenarios.registry_outage(), "deploy/source-app")
    other.sim.advance("90m")
    other_ui = other.widget()
    other_ui.outage.click()
    assert other_ui.status.value.startswith("error: docker.io is already down until")


def test_widget_output_is_deterministic() -> None:
    pytest.importorskip("ipywidgets")
    shown = []
    for _ in range(2):
        sim = scenarios.broken_upstream()
        sim.advance("3h")
        ui = Explorer(sim).widget()
        ui.slider.value = sim.time - 3 * 3600
        shown.append((bytes(ui.image.value), ui.text.value, ui.clock.value, ui.slider.value,
                      [label for label, _ in ui.choice.options]))
    assert shown[0] == shown[1]


def test_redraw_time_on_the_lab_worlds(capsys) -> None:
    pytest.importorskip("ipywidgets")
    report = []
    for name in ("broken_upstream", "scheduled_trigger", "registry_outage"):
        sim = getattr(scenarios, name)()
        sim.advance("4h")
        ui = Explorer(sim).widget()
        times = ui.explorer.times()
        gc.collect()
        took = []
        for t in times[1:6] + [times[-1]]:
            start = time.perf_counter()
            ui.slider.value = t  # snaps (already an event time) and redraws: view, picture, PNG, describe
            took.append(time.perf_counter() - start)
        report.append(f"{name} {max(took) * 1000:.0f} ms worst, {sum(took) / len(took) * 1000:.0f} ms mean")
    with capsys.disabled():
        print("\n[explorer] redraw on the slider: " + "; ".join(report))


def test_render_png_is_stable(web: Simulation) -> None:
    ex = Explorer(web)
    assert render_png(ex.state_at()["figure"]) == render_png(ex.state_at()["figure"])
