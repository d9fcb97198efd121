"""How a Simulation, an ImageStream and an OcResult show themselves: readable text and HTML.

``print(sim)`` and ``print(stream)`` give a small summary table; in Jupyter, ``_repr_html_``
gives the same table as HTML (an ``OcResult`` as a ``<pre>`` block). The short ``repr`` of each
stays as it was: notebooks pin it.

The HTML of a Simulation and of an OcResult is on by default (:data:`HTML_REPRS`); turn it off
with ``imagesim.display.html_reprs(False)`` (it returns the previous setting) to get plain text
in Jupyter. Standard library only.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import TYPE_CHECKING

from .clock import START, format_rfc3339

if TYPE_CHECKING:
    from .imagestream import ImageStream
    from .simulation import Simulation

__all__ = ["HTML_REPRS", "html_reprs", "pre_html", "simulation_html", "simulation_rows", "simulation_text",
           "stream_html", "stream_rows", "stream_text"]

#: Whether Simulation and OcResult have an HTML repr in Jupyter (ImageStream always has one).
HTML_REPRS = True


def html_reprs(enabled: bool = True) -> bool:
    """Turn the HTML reprs of Simulation and OcResult on or off; returns the previous setting."""
    global HTML_REPRS
    previous, HTML_REPRS = HTML_REPRS, bool(enabled)
    return previous


def _table_html(caption: str, header: tuple[str, ...] | None, rows: list[tuple[str, ...]]) -> str:
    e = html.escape
    out = [f'<table><caption style="text-align:left"><b>{e(caption)}</b></caption>']
    if header:
        out.append("<tr>" + "".join(f'<th style="text-align:left">{e(h)}</th>' for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join(f'<td style="text-align:left">{e(c)}</td>' for c in row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _table_text(caption: str, header: tuple[str, ...] | None, rows: list[tuple[str, ...]]) -> str:
    table = ([header] if header else []) + rows
    if not table:
        return caption
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    lines = [caption]
    for r in table:
        lines.append(("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1]).rstrip())
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------
# Simulation

def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"


def simulation_rows(sim: Simulation) -> list[tuple[str, str]]:
    """(what, value) rows of a simulation's summary: time, projects, streams, workloads, pods by
    status, registries down now, events."""
    from .workload_manifests import pod_status

    now = sim.clock.now
    when = sim.clock.timestamp(now)
    if sim._view_at is not None:
        when += " (a read-only view of the past)"
    namespaces = sim.server.namespaces
    streams = {ns: len(found) for ns, found in namespaces.items() if found}
    workloads: dict[str, int] = {}
    for w in sim.cluster.workloads.values():
        workloads[w.kind] = workloads.get(w.kind, 0) + 1
    pods: dict[str, int] = {}
    for pod in sim.cluster.pods.values():
        if pod.deployer:  # the pods `oc get pods` lists, as in reports.pods_frame
            continue
        reason = pod_status(sim, pod, now).reason
        pods[reason] = pods.get(reason, 0) + 1
    down = []
    for host in sorted(sim.registries):
        end = sim.registries[host].outage_end(now)
        if end is not None:
            down.append(f"{host} until {sim.clock.timestamp(end)}")
    return [
        ("time", when),
        ("project", f"{sim.project} (user {sim.user}, seed {sim.seed})"),
        ("projects", ", ".join(sorted(namespaces)) or "none"),
        ("image streams", f"{sum(streams.values())} ({_counted(streams)})" if streams else "0"),
        ("workloads", f"{sum(workloads.values())} ({_counted(workloads)})" if workloads else "0"),
        ("pods", f"{sum(pods.values())} ({_counted(pods)})" if pods else "0"),
        ("registries down", "; ".join(down) or "none"),
        ("events", str(len(sim.log))),
    ]


def simulation_text(sim: Simulation) -> str:
    """The summary as text (``print(sim)``)."""
    return _table_text("Simulation", None, simulation_rows(sim))


def simulation_html(sim: Simulation) -> str | None:
    """The summary as an HTML table (None while :data:`HTML_REPRS` is off)."""
    if not HTML_REPRS:
        return None
    return _table_html("Simulation", None, simulation_rows(sim))


# -------------------------------------------------------------------------------------------
# ImageStream

def _when(t: int | None) -> str:
    return "" if t is None else format_rfc3339(START + timedelta(seconds=t))


def stream_rows(stream: ImageStream) -> list[tuple[str, str, str, str, str]]:
    """(tag, source, image (short digest), updated, history) per tag, in the stream's tag order."""
    rows = []
    for tag in stream.tag_names():
        ref = stream.spec.get(tag)
        history = stream.status.get(tag)
        items = history.items if history is not None else []
        head = items[0] if items else None
        if ref is None:
            source = "(pushed)"
        elif ref.from_kind == "ImageStreamTag":
            source = f"tracks {ref.from_name}" if ":" not in ref.from_name or ref.from_name.startswith(
                stream.name + ":") else f"from {ref.from_name}"
            if ref.from_namespace and ref.from_namespace != stream.namespace:
                source = f"from {ref.from_namespace}/{ref.from_name}"
        elif ref.from_kind:
            source = ref.from_name + (" (scheduled)" if ref.scheduled else "") + (
                " (reference)" if ref.reference else "")
        else:
            source = ""
        if head is None:
            image = "(none)"
        elif head.image:
            image = head.image[:19]
        else:
            image = head.ref
        status = f"{len(items)} item" + ("" if len(items) == 1 else "s")
        if history is not None:
            for condition in history.conditions:
                if condition.type == "ImportSuccess" and condition.status == "False":
                    status += f"; import failed: {condition.reason}"
                    break
        rows.append((tag, source, image, _when(head.created) if head else "", status))
    return rows


_STREAM_HEADER = ("TAG", "FROM", "IMAGE", "UPDATED", "HISTORY")


def stream_text(stream: ImageStream) -> str:
    """The tags and heads of a stream as a text table (``print(stream)``)."""
    return _table_text(f"image stream {stream.namespace}/{stream.name}", _STREAM_HEADER, stream_rows(stream))


def stream_html(stream: ImageStream) -> str:
    """The same table as HTML."""
    return _table_html(f"image stream {stream.namespace}/{stream.name}", _STREAM_HEADER, stream_rows(stream))


# -------------------------------------------------------------------------------------------
# OcResult

def pre_html(text: str, error: bool = False) -> str | None:
    """Terminal text as a ``<pre>`` block (None while :data:`HTML_REPRS` is off)."""
    if not HTML_REPRS:
        return None
    style = ' style="color:#b00020"' if error else ""
    return f"<pre{style}>{html.escape(text)}</pre>"
