"""An interactive explorer of one simulation: pick an object, scrub through time, change upstream.

``explore(sim)`` (or ``Explorer(sim)``) shows, in a notebook, one widget with:

- a dropdown of the workloads, image streams and stream tags of the picture;
- a time slider over the simulation's history (integer seconds; by default it snaps to the times
  something happened), which redraws the layered picture (:func:`imagesim.views.draw.draw`) with
  the chosen object's path highlighted, and the ``oc describe`` text of the object, as they were
  at that moment (:meth:`imagesim.Simulation.at`);
- buttons that change the world now: push a good or a broken image to the upstream tag the
  chosen object comes from, import it now (``oc import-image``), start or end an outage of that
  upstream tag's registry, and advance the clock by 15 minutes or an hour.

The logic lives in :class:`Explorer`'s plain methods (:meth:`~Explorer.state_at`,
:meth:`~Explorer.push`, :meth:`~Explorer.import_now`, :meth:`~Explorer.toggle_outage`,
:meth:`~Explorer.advance`, ...), which tests and scripts call without a browser;
:meth:`~Explorer.widget` wires ipywidgets to them. The widgets show a PNG of the figure and the
text in a ``<pre>`` block, so what they display is the same on every run (only the widget model
ids differ).

Outages: the engine knows an outage as a window whose end is given when it starts
(``sim.outage(host, duration=...)``). An outage started here is open-ended: the explorer keeps it
going by adding a window that covers each of its own clock advances (a second past the new
time), and ending it simply stops adding windows, so the registry is back one second later.
Each window is an ordinary, journaled ``sim.outage`` call (the event log shows one start and one
end per advance). Advancing the simulation by other means while such an outage is open ends it
after that second. An outage the simulation already had (a scenario's) cannot be ended early.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any, Iterable

from ..clock import parse_duration
from ..errors import ImageSimError, NotFound
from ..graph import build_graph
from ..importer import upstream_key
from ..registry import INTERNAL_REGISTRY
from .draw import draw, focus_nodes, layout
from .timeline import _importing_tag

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..oc import OcResult
    from ..simulation import Simulation

__all__ = ["Explorer", "ExplorerUI", "explore", "render_png"]

_DESCRIBE = {"dc": "dc", "deploy": "deployment", "istag": "istag", "is": "is"}
_CACHE_SIZE = 24


def render_png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (Agg; no timestamp in the file, so the same figure gives the same bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or "figure")
    return buffer.getvalue()


def _split_choice(value: str) -> tuple[str, str, str]:
    """(kind, namespace, name) of an option value: ``dc:ns/name``, ``deploy:ns/name``,
    ``istag:ns/stream:tag`` or ``is/ns/name``."""
    if value.startswith("is/"):
        ns, _, name = value[3:].partition("/")
        return "is", ns, name
    kind, _, rest = value.partition(":")
    ns, _, name = rest.partition("/")
    return kind, ns, name


class Explorer:
    """One simulation, explored: a chosen object (:attr:`selected`) and the state at any time.

    ``namespaces`` / ``everything`` choose what the picture holds (see
    :func:`imagesim.views.draw.draw`); ``select`` the first object (default: the first workload).
    """

    def __init__(self, sim: Simulation, select: str | None = None, *, namespaces: Iterable[str] | None = None,
                 everything: bool = False) -> None:
        self.sim = sim
        self.namespaces = sorted(set(namespaces)) if namespaces is not None else None
        self.everything = everything
        self._views: dict[tuple, Simulation] = {}
        self._open_outage: str | None = None  # host of an outage this explorer keeps going
        self._origin: int | None = None
        self._ui: ExplorerUI | None = None
        options = self.options()
        if select is not None:
            self.selected = self._resolve_choice(select)
        else:
            self.selected = options[0][1] if options else None

    def __repr__(self) -> str:
        return (f"<Explorer {self.selected or '(nothing selected)'} "
                f"at {self.sim.clock.timestamp(self.sim.clock.now)}>")

    # what can be chosen ------------------------------------------------------------------------
    def options(self) -> list[tuple[str, str]]:
        """(label, value) of every workload, image stream and stream tag in the picture now:
        workloads first, then streams, then tags, each sorted."""
        picture = layout(self.sim, namespaces=self.namespaces, everything=self.everything)
        project = self.sim.project
        workloads, streams, tags = [], {}, []
        for node in sorted(picture.nodes):
            kind, ns, name = _split_choice(node)
            where = "" if ns == project else ns + "/"
            if kind in ("dc", "deploy"):
                workloads.append((f"{kind}/{where}{name}", node))
            elif kind == "istag":
                tags.append((f"istag/{where}{name}", node))
                stream = name.rpartition(":")[0]
                streams[f"is/{ns}/{stream}"] = f"is/{where}{stream}"
        return workloads + [(label, value) for value, label in sorted(streams.items())] + tags

    def _resolve_choice(self, choice: str) -> str:
        for label, value in self.options():
            if choice in (label, value):
                return value
        graph = build_graph(self.sim)
        nodes = focus_nodes(graph, choice, self.sim.project)  # raises NotFound
        if choice.startswith("is/"):
            kind, _, rest = choice.partition("/")
            return f"is/{rest}" if rest.count("/") else f"is/{self.sim.project}/{rest}"
        return nodes[0]

    def select(self, choice: str) -> str:
        """Choose the object (an option's label or value, or ``dc/NAME`` and the like)."""
        self.selected = self._resolve_choice(choice)
        return self.selected

    # time ----------------------------------------------------------------------------------------
    @property
    def origin(self) -> int:
        """The earliest time a view of the past can show: a simulation built by a scenario starts
        where the scenario's builder left it."""
        if self._origin is None:
            self._origin = min(self.sim.history_start, self.sim.clock.now)
        return self._origin

    def times(self) -> list[int]:
        """The times something happened (from the event log), with :attr:`origin` and now, sorted."""
        now = self.sim.clock.now
        origin = self.origin
        found = {origin, now}
        found.update(e.time for e in self.sim.log if origin <= e.time <= now)
        return sorted(found)

    def snap(self, t: int) -> int:
        """The event time nearest ``t`` (the earlier one on a tie)."""
        times = self.times()
        return min(times, key=lambda s: (abs(s - t), s))

    def view(self, t: int | None = None) -> Simulation:
        """The simulation at ``t`` (seconds since the start; None: now), as a read-only view
        (``t`` is clamped to :attr:`origin` .. now)."""
        now = self.sim.clock.now
        t = now if t is None else max(self.origin, min(int(t), now))
        if t == now:
            return self.sim
        key = (t, len(self.sim.journal), now)
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= _CACHE_SIZE:
                self._views.pop(next(iter(self._views)))
            view = self._views[key] = self.sim.at(t)
        return view

    # what is shown -------------------------------------------------------------------------------
    def describe_command(self) -> str:
        """The ``oc describe`` command line for the chosen object."""
        if self.selected is None:
            return "get all"
        kind, ns, name = _split_choice(self.selected)
        return f"describe {_DESCRIBE.get(kind, kind)}/{name} -n {ns}"

    def state_at(self, t: int | None = None) -> dict[str, Any]:
        """What the explorer shows at ``t`` (None: now): ``time`` (seconds), ``timestamp``,
        ``text`` (the ``oc describe`` output then), ``figure`` (the picture then, with the chosen
        object's path highlighted when it existed), ``note`` (why it is not highlighted)."""
        view = self.view(t)
        when = view.clock.now
        focus = self.selected
        note = ""
        if focus is not None:
            try:
                figure = draw(view, focus=focus, namespaces=self.namespaces, everything=self.everything)
            except NotFound:
                note = f"{self._label()} does not exist at {view.clock.timestamp(when)}"
                figure = draw(view, namespaces=self.namespaces, everything=self.everything)
        else:
            figure = draw(view, namespaces=self.namespaces, everything=self.everything)
        text = str(view.oc(self.describe_command()))
        return {"time": when, "timestamp": view.clock.timestamp(when), "text": text, "figure": figure,
                "note": note}

    def _label(self) -> str:
        for label, value in self.options():
            if value == self.selected:
                return label
        return str(self.selected)

    # the source of the chosen object -------------------------------------------------------------
    def source(self) -> tuple[str, str, str] | None:
        """(upstream tag ``host/path:tag``, its registry host, the importing stream tag
        ``ns/stream:tag`` or ``""``) of the chosen object, or None when it has no upstream tag."""
        if self.selected is None:
            return None
        sim = self.sim
        kind, ns, name = _split_choice(self.selected)
        candidates: list[tuple[str, str, str]] = []
        if kind == "istag":
            stream, _, tag = name.rpartition(":")
            candidates.append((ns, stream, tag))
        elif kind == "is":
            stream = sim.server.find(ns, name)
            if stream is not None:
                candidates.extend((ns, name, tag) for tag in sorted(stream.spec))
        else:
            w = sim.cluster.workloads.get(("DeploymentConfig" if kind == "dc" else "Deployment", ns, name))
            if w is None:
                return None
            from ..reference import split_istag

            for trigger in w.triggers:
                stream, tag, _ = split_istag(trigger.from_name)
                candidates.append((trigger.from_namespace or ns, stream, tag))
            if not candidates:  # a template naming an upstream tag directly
                for container in w.template.all_containers():
                    try:
                        host, path, tag, digest = upstream_key(container.image)
                    except ValueError:
                        continue
                    if not digest and host != INTERNAL_REGISTRY:
                        return f"{host}/{path}:{tag}", host, ""
        for c_ns, c_stream, c_tag in candidates:
            s_ns, s_stream, s_tag, pullspec = _importing_tag(sim, c_ns, c_stream, c_tag)
            if not pullspec:
                continue
            try:
                host, path, tag, digest = upstream_key(pullspec)
            except ValueError:
                continue
            if not digest:
                return f"{host}/{path}:{tag}", host, f"{s_ns}/{s_stream}:{s_tag}"
        return None

    def _need_source(self) -> tuple[str, str, str]:
        source = self.source()
        if source is None:
            raise NotFound(f"{self._label()} has no upstream tag to change")
        return source

    # changing the world (now) --------------------------------------------------------------------
    def push(self, broken: bool = False) -> str:
        """Push a new (good or broken) image to the chosen object's upstream tag; its digest."""
        upstream, _, _ = self._need_source()
        return self.sim.push(upstream, broken=broken)

    def import_now(self) -> OcResult:
        """``oc import-image STREAM:TAG -n NS`` for the stream tag that imports the chosen
        object's upstream tag."""
        _, _, importing = self._need_source()
        if not importing:
            from ..oc import OcResult

            return OcResult("", f"error: {self._label()} names its upstream tag directly: nothing to import\n", 1)
        ns, _, rest = importing.partition("/")
        return self.sim.oc(f"import-image {rest} -n {ns}")

    def outage_host(self) -> str | None:
        """The registry of the chosen object's upstream tag."""
        source = self.source()
        return source[1] if source is not None else None

    def toggle_outage(self) -> str:
        """Start an outage of the chosen object's upstream registry, or end the one this explorer
        started (see the module docstring); returns what happened, in words."""
        sim = self.sim
        now = sim.clock.now
        if self._open_outage is not None:
            host = self._open_outage
            self._open_outage = None
            return f"{host} outage ended: reachable again from {sim.clock.timestamp(now + 1)}"
        host = self.outage_host()
        if host is None:
            raise NotFound(f"{self._label()} has no upstream registry")
        registry = sim.registry(host)
        end = registry.outage_end(now)
        if end is not None and end <= now + 1:  # the last second of one ended here: go on with it
            self._open_outage = host
            return f"{host} unreachable again from {sim.clock.timestamp(now)} until ended"
        if end is not None:
            raise ImageSimError(f"{host} is already down until {sim.clock.timestamp(end)}: that outage was "
                                "not started here and cannot be ended early")
        sim.outage(host, duration=1)
        self._open_outage = host
        return f"{host} unreachable from {sim.clock.timestamp(now)} until ended"

    @property
    def outage_open(self) -> str | None:
        """The host of the outage this explorer keeps going, or None."""
        return self._open_outage

    def advance(self, seconds: Any) -> None:
        """Move the clock forward (``900``, ``"15m"``, ``"1h"``); an open outage goes on."""
        length = parse_duration(seconds)
        if self._open_outage is not None and length > 0:
            self.sim.outage(self._open_outage, duration=length + 1)
        self.sim.advance(length)

    # the widget ----------------------------------------------------------------------------------
    def widget(self) -> ExplorerUI:
        """The ipywidgets user interface (built once)."""
        if self._ui is None:
            self._ui = ExplorerUI(self)
        return self._ui

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.widget().box._repr_mimebundle_(include=include, exclude=exclude)
        bundle = dict(bundle) if bundle else {}
        bundle["text/plain"] = repr(self)
        return bundle


class ExplorerUI:
    """The widgets of an :class:`Explorer` and their wiring: ``box`` is what a notebook shows."""

    STEPS = (("+15m", 900), ("+1h", 3600))

    def __init__(self, explorer: Explorer) -> None:
        import ipywidgets as w

        self.explorer = explorer
        now = explorer.sim.clock.now
        self.choice = w.Dropdown(options=explorer.options(), value=explorer.selected, description="object")
        self.slider = w.IntSlider(min=explorer.origin, max=now, value=now, step=1, description="time",
                                  continuous_update=False, readout=False, layout=w.Layout(width="55%"))
        self.snap = w.Checkbox(value=True, description="snap to events", indent=False)
        self.clock = w.Label()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.text = w.HTML()
        self.status = w.Label()
        self.push_good = w.Button(description="push good", tooltip="push a good image upstream")
        self.push_broken = w.Button(description="push broken", button_style="danger",
                                    tooltip="push a broken image upstream")
        self.import_button = w.Button(description="import now", tooltip="oc import-image")
        self.outage = w.Button(description="start outage")
        self.steps = [w.Button(description=label) for label, _ in self.STEPS]
        self._busy = False

        self.choice.observe(self._on_choice, names="value")
        self.slider.observe(self._on_slider, names="value")
        self.push_good.on_click(lambda _: self._act(lambda: f"pushed {explorer.push()[:19]}"))
        self.push_broken.on_click(lambda _: self._act(lambda: f"pushed broken {explorer.push(broken=True)[:19]}"))
        self.import_button.on_click(lambda _: self._act(self._import))
        self.outage.on_click(lambda _: self._act(explorer.toggle_outage))
        for button, (label, seconds) in zip(self.steps, self.STEPS):
            button.on_click(lambda _, s=seconds, t=label: self._act(lambda: explorer.advance(s) or f"advanced {t}"))

        controls = w.HBox([self.push_good, self.push_broken, self.import_button, self.outage, *self.steps])
        self.box = w.VBox([w.HBox([self.choice, self.clock]), w.HBox([self.slider, self.snap]), controls,
                           self.status, self.image, self.text])
        self.redraw()

    # events ----------------------------------------------------------------------------------
    def _on_choice(self, change) -> None:
        if self._busy or change["new"] is None:
            return
        self.explorer.select(change["new"])
        self.redraw()

    def _on_slider(self, change) -> None:
        if self._busy:
            return
        t = change["new"]
        if self.snap.value:
            snapped = self.explorer.snap(t)
            if snapped != t:
                self._busy = True
                try:
                    self.slider.value = snapped
                finally:
                    self._busy = False
        self.redraw()

    def _import(self) -> str:
        lines = str(self.explorer.import_now()).splitlines()
        return lines[0] if lines else ""

    def _act(self, action) -> None:
        try:
            message = action()
        except ImageSimError as err:
            message = f"error: {err}"
        self.status.value = str(message or "")
        self.refresh()

    # drawing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """After a change: the slider's range ends at the new now, and shows it."""
        explorer = self.explorer
        self._busy = True
        try:
            options = explorer.options()
            if explorer.selected not in [value for _, value in options] and explorer.selected is not None:
                options.append((explorer.selected, explorer.selected))
            self.choice.options = options
            self.choice.value = explorer.selected
            self.slider.max = explorer.sim.clock.now
            self.slider.value = explorer.sim.clock.now
        finally:
            self._busy = False
        self.outage.description = "end outage" if explorer.outage_open else "start outage"
        self.redraw()

    def redraw(self) -> dict[str, Any]:
        """Show the state at the slider's time; returns it (see :meth:`Explorer.state_at`)."""
        state = self.explorer.state_at(self.slider.value)
        self.image.value = render_png(state["figure"])
        self.text.value = f"<pre>{html.escape(state['text'])}</pre>"
        self.clock.value = state["timestamp"] + (f"  ({state['note']})" if state["note"] else "")
        return state


def explore(sim: Simulation, select: str | None = None, **options: Any) -> Explorer:
    """An :class:`Explorer` of ``sim``; a notebook shows its widget."""
    return Explorer(sim, select, **options)
