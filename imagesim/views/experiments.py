"""Plots of what-if experiments: each metric's distribution per configuration.

The functions take the DataFrame of :func:`imagesim.experiments.run_experiment` and return a
matplotlib :class:`~matplotlib.figure.Figure`, made without pyplot: nothing global changes and
nothing is shown until a notebook displays the returned figure (or ``fig.savefig`` writes it).
They are deterministic: the same frame gives the same picture (the points beside each box are
spread by a fixed low-discrepancy sequence, not a random jitter).

Configurations are drawn top to bottom in the frame's order; when the frame holds several
timelines, each (timeline, configuration) pair is its own row. Yes/no metrics (``recovered``) are
drawn as the share of runs; the others as a box (quartiles, whiskers at 1.5 IQR), every run as a
dot, and the mean as a diamond.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from matplotlib.figure import Figure

if TYPE_CHECKING:
    import pandas
    from matplotlib.axes import Axes

__all__ = ["DEFAULT_METRICS", "LABELS", "plot_experiment", "plot_metric"]

#: What :func:`plot_experiment` draws unless told otherwise.
DEFAULT_METRICS = (
    "outage_minutes",
    "time_to_recover_minutes",
    "broken_rollouts",
    "pods_on_broken_image",
    "staleness_minutes",
    "registry_pulls",
)

#: Axis titles of the metrics.
LABELS = {
    "outage_minutes": "minutes without a ready pod",
    "impaired_minutes": "minutes impaired",
    "incidents": "incidents",
    "time_to_recover_minutes": "longest incident (minutes)",
    "recovered": "share of runs recovered at the end",
    "rollouts": "rollouts",
    "broken_rollouts": "broken rollouts",
    "pods_on_broken_image": "most pods on a broken image at once",
    "good_pushes": "good upstream pushes",
    "staleness_minutes": "minutes a good push waited to run (mean)",
    "versions_never_run": "good pushes never run",
    "registry_pulls": "upstream registry requests",
    "rate_limited": "requests refused by a rate limit",
}

_GOLDEN = 0.6180339887498949
_BOX_COLOR = "#4c72b0"
_DOT_COLOR = "#333333"
_MEAN_COLOR = "#dd8452"


def _groups(frame: pandas.DataFrame, metric: str) -> list[tuple[str, list]]:
    """(label, values) per configuration (and timeline), in the frame's order, NaN dropped."""
    if metric not in frame.columns:
        raise KeyError(f"no column {metric!r} in the frame (columns: {', '.join(map(str, frame.columns))})")
    several = "timeline" in frame.columns and frame["timeline"].nunique() > 1
    keys = ["timeline", "configuration"] if several else ["configuration"]
    out: dict[str, list] = {}
    for row in frame[keys + [metric]].itertuples(index=False):
        label = " · ".join(str(v) for v in row[:-1])
        values = out.setdefault(label, [])
        value = row[-1]
        if value is not None and value == value:  # NaN != NaN
            values.append(value)
    return list(out.items())


def _boxplot(ax: Axes, data: list, positions: list[float]) -> None:
    style = dict(positions=positions, widths=0.5, patch_artist=True, showfliers=False,
                 boxprops={"facecolor": _BOX_COLOR, "alpha": 0.35, "edgecolor": _BOX_COLOR},
                 medianprops={"color": _BOX_COLOR, "linewidth": 2},
                 whiskerprops={"color": _BOX_COLOR}, capprops={"color": _BOX_COLOR})
    try:
        ax.boxplot(data, orientation="horizontal", **style)
    except TypeError:  # matplotlib < 3.10
        ax.boxplot(data, vert=False, **style)


def plot_metric(frame: pandas.DataFrame, metric: str, *, ax: Axes | None = None,
                title: str | None = None, xscale: str = "linear") -> Figure:
    """One metric's distribution per configuration, on ``ax`` (default: a new figure).
    ``xscale="symlog"`` spreads heavy tails (and keeps the zeros)."""
    groups = _groups(frame, metric)
    if ax is None:
        fig = Figure(figsize=(6.4, 0.9 + 0.45 * max(1, len(groups))), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    positions = list(range(len(groups), 0, -1))  # the first configuration on top
    labels = [label for label, _ in groups]
    flag = metric == "recovered" or all(isinstance(v, bool) for _, values in groups for v in values)
    if flag:
        shares = [sum(bool(v) for v in values) / len(values) if values else 0.0 for _, values in groups]
        ax.barh(positions, shares, height=0.5, color=_BOX_COLOR, alpha=0.6)
        for y, share, (_, values) in zip(positions, shares, groups):
            ax.text(share, y, f" {share:.0%}" if values else " n/a", va="center", fontsize="small")
        ax.set_xlim(0, 1.15)
    else:
        present = [(y, [float(v) for v in values]) for y, (_, values) in zip(positions, groups) if values]
        if present:
            _boxplot(ax, [values for _, values in present], [y for y, _ in present])
        for y, values in present:
            spread = [((i * _GOLDEN) % 1.0 - 0.5) * 0.5 for i in range(len(values))]
            ax.scatter(values, [y + s for s in spread], s=8, color=_DOT_COLOR, alpha=0.45, linewidths=0,
                       zorder=3)
            ax.scatter([sum(values) / len(values)], [y], marker="D", s=30, color=_MEAN_COLOR,
                       edgecolors="white", zorder=4)
        for y, (_, values) in zip(positions, groups):
            if not values:
                ax.text(0.5, y, "n/a", va="center", ha="center", fontsize="small",
                        transform=ax.get_yaxis_transform())
    ax.set_yticks(positions)
    ax.set_yticklabels(labels)
    ax.set_ylim(0.4, len(groups) + 0.6)
    ax.set_xlabel(LABELS.get(metric, metric))
    if not flag and xscale != "linear":
        ax.set_xscale(xscale)
        if xscale == "symlog" and all(v >= 0 for _, values in groups for v in values):
            ax.set_xlim(left=-0.5)  # no empty negative half; the zeros stay visible
    ax.grid(axis="x", alpha=0.3)
    if title is not None:
        ax.set_title(title)
    return fig


def plot_experiment(frame: pandas.DataFrame, metrics: Sequence[str] = DEFAULT_METRICS, *, ncols: int = 2,
                    title: str | None = None, xscale: str = "linear") -> Figure:
    """A grid of :func:`plot_metric` panels, one per metric (by default :data:`DEFAULT_METRICS`),
    titled with the number of runs and configurations; ``xscale`` applies to every panel."""
    metrics = list(metrics)
    if not metrics:
        raise ValueError("no metrics to plot")
    ncols = max(1, min(ncols, len(metrics)))
    nrows = -(-len(metrics) // ncols)
    rows = len(_groups(frame, metrics[0]))
    fig = Figure(figsize=(6.0 * ncols, (0.9 + 0.45 * max(1, rows)) * nrows + 0.4), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, metric in enumerate(metrics):
        ax = axes[i // ncols][i % ncols]
        plot_metric(frame, metric, ax=ax, xscale=xscale)
        if i % ncols:
            ax.set_yticklabels([])
    for j in range(len(metrics), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    runs = len(frame)
    configurations = frame["configuration"].nunique() if "configuration" in frame.columns else 0
    fig.suptitle(title or f"{runs} runs, {configurations} configurations")
    return fig
