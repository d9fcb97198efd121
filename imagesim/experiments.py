"""What-if experiments: replay one timeline of upstream events under several configurations.

A :class:`Timeline` is what happens upstream and to the cluster's nodes: good and broken pushes
(:class:`Push`), deleted tags (:class:`Untag`), registry outages (:class:`Outage`), rate-limit
windows (:class:`RateLimit`) and node drains (:class:`Drain`). Write one by hand, or draw one
from seeded rates with :meth:`Timeline.generate`. A :class:`Configuration` is one way to run the
same application: a direct reference to the upstream tag or an image stream; scheduled or manual
import; automatic or manual image triggers; ``Source`` or ``Local`` reference policy; Rolling or
Recreate; a pull policy; a pinned digest.

:func:`run_one` builds a fresh :class:`~imagesim.Simulation` for one (configuration, timeline,
seed), plays the timeline and returns a plain, picklable record of metrics.
:func:`run_experiment` does so for every (configuration, seed) pair on any
:class:`concurrent.futures.Executor` (a process pool by default; ``distributed.Client(...)
.get_executor()`` runs on a Dask cluster) and returns a tidy ``pandas.DataFrame`` (one row per
run, built by :func:`imagesim.reports.experiment_frame`). The simulation is deterministic: the same
configuration, timeline and seed give the same record on any executor. With a timeline *factory*
(``seed -> Timeline``, e.g. ``functools.partial(Timeline.generate, days=1, ...)``) each seed
draws its own timeline and every configuration replays that same timeline, so configurations are
compared on common random numbers.

The world of a run (built with ``sim.apply``, the way ``oc apply -f`` would):

- upstream image ``timeline.image`` (default :data:`DEFAULT_IMAGE`), pushed once (a good image)
  at simulated time 0;
- in project ``myproject``: a DeploymentConfig ``app`` (``replicas`` pods labelled ``app=app``,
  ConfigChange trigger, strategy Rolling or Recreate, the default 10-minute rollout timeout) and
  a Service ``app`` selecting them; with ``via_stream`` an image stream ``app`` whose tag (named
  like the upstream tag) is imported from upstream (``importPolicy.scheduled`` and
  ``referencePolicy`` as configured) and an ImageChange trigger on it (``automatic`` as
  configured; a manual trigger needs one ``oc rollout latest dc/app`` to deploy at all, which the
  world does at once);
- three worker nodes with empty image caches.

The timeline starts :data:`WARMUP` seconds (one scheduled-import interval) after the world is
built, when the first rollout is long complete; every time in a timeline counts from that moment,
and the metrics measure the window ``[0, until]`` of the timeline. Because the warm-up is a whole
import interval, the scheduled-import checks fall on the timeline's multiples of 15 minutes: a
push at 1 h 05 min is imported at 1 h 15 min.

At equal times, upstream pushes and outage edges happen first (they are scheduled in advance with
``sim.push(at=...)`` and ``sim.outage(start=...)``), then what the cluster's controllers do in
answer, then deleted tags, drains, uncordons and the manual steps of :attr:`Configuration.manual_every`.

Metrics of one run (times in minutes, exact: computed from each pod's facts, never by sampling):

``outage_minutes``
    Time in the window with no ready pod behind the service (no endpoints).
``impaired_minutes``, ``incidents``, ``time_to_recover_minutes``, ``recovered``
    The application is *impaired* while fewer than ``replicas`` pods are ready, or while a pod
    runs a broken image (from its container's start to its deletion). ``impaired_minutes`` is
    the total; an incident is a maximal impaired interval; ``time_to_recover_minutes`` is the
    longest incident (an incident still open when the window ends counts up to the end, and then
    ``recovered`` is False).
``rollouts``, ``broken_rollouts``
    Rollouts (new ReplicationControllers) started in the window, and those whose own first pods
    ran a broken image. Pods that a drain recreates on a broken tag are not a rollout.
``pods_on_broken_image``
    The most pods running a broken image at once.
``good_pushes``, ``staleness_minutes``, ``versions_never_run``
    For each good push of the application's upstream tag in the window: how long until a ready
    pod ran that image, or an image of a later good push (the fix is superseded by a newer fix).
    ``staleness_minutes`` is the mean over the good pushes (NaN when there is none); a version
    still waiting when the window ends counts up to the end and is one of ``versions_never_run``.
``registry_pulls``
    Requests the application's upstream registry answered in the window (imports, pulls, and
    the internal registry's pull-through): what a rate limit such as Docker Hub's counts.
``rate_limited``
    Requests that registry refused because a :class:`RateLimit` window was used up.

Standard library only (pandas is imported by :func:`run_experiment`, through
:mod:`imagesim.reports`; tqdm when a progress bar is asked for and installed).
"""

from __future__ import annotations

import math
import os
import pickle
import random
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, Union

from .clock import parse_duration
from .importer import IMPORT_INTERVAL, upstream_key
from .nodes import DEFAULT_NODES
from .registry import Registry, RegistryUnavailable
from .simulation import Simulation

if TYPE_CHECKING:
    import pandas

__all__ = [
    "BASELINES",
    "DEFAULT_IMAGE",
    "METRICS",
    "RECORD_COLUMNS",
    "WARMUP",
    "Configuration",
    "Drain",
    "InlineExecutor",
    "Outage",
    "Push",
    "RateLimit",
    "Timeline",
    "Untag",
    "grid",
    "run_experiment",
    "run_one",
]

#: The upstream image the application runs unless a timeline names another.
DEFAULT_IMAGE = "docker.io/gists/lighttpd:latest"
#: Seconds between building the world and the timeline's time 0 (one scheduled-import interval).
WARMUP = IMPORT_INTERVAL
APP = "app"
NAMESPACE = "myproject"
DAY = 86400
_NEVER = float("inf")

#: The metric columns of a record, in order.
METRICS = (
    "outage_minutes",
    "impaired_minutes",
    "incidents",
    "time_to_recover_minutes",
    "recovered",
    "rollouts",
    "broken_rollouts",
    "pods_on_broken_image",
    "good_pushes",
    "staleness_minutes",
    "versions_never_run",
    "registry_pulls",
    "rate_limited",
)
#: Every column of a record (and of the experiment DataFrame), in order.
RECORD_COLUMNS = (
    "timeline",
    "configuration",
    "seed",
    "via_stream",
    "scheduled",
    "automatic",
    "reference_policy",
    "strategy",
    "pull_policy",
    "pinned",
    "replicas",
    "manual_every_hours",
) + METRICS


def _seconds(value: Any, what: str) -> int:
    return parse_duration(value, what=what)


# ---------------------------------------------------------------------------------------------
# the timeline


class _Instant:
    """An event that happens at one moment ``at``."""

    at: int

    @property
    def time(self) -> int:
        return self.at

    @property
    def end(self) -> int:
        return self.at


@dataclass(frozen=True)
class Push(_Instant):
    """Upstream pushes new content to ``pullspec`` (default: the timeline's image) at ``at``."""

    at: int
    pullspec: str | None = None
    broken: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", _seconds(self.at, "at"))
        object.__setattr__(self, "broken", bool(self.broken))


@dataclass(frozen=True)
class Untag(_Instant):
    """Upstream deletes the tag ``pullspec`` (default: the timeline's image) at ``at``; nothing
    happens if the tag does not exist then. A later push brings it back."""

    at: int
    pullspec: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", _seconds(self.at, "at"))


class _Window:
    """An event that lasts from ``start`` for ``duration``."""

    start: int
    duration: int

    @property
    def time(self) -> int:
        return self.start

    @property
    def end(self) -> int:
        return self.start + self.duration

    def _check_window(self, what: str) -> None:
        object.__setattr__(self, "start", _seconds(self.start, "start"))
        object.__setattr__(self, "duration", _seconds(self.duration, "duration"))
        if self.duration <= 0:
            raise ValueError(f"{what} needs a positive duration")


@dataclass(frozen=True)
class Outage(_Window):
    """Registry ``host`` is unreachable from ``start`` for ``duration``."""

    host: str
    start: int
    duration: int

    def __post_init__(self) -> None:
        _check_host(self.host)
        self._check_window("an outage")


@dataclass(frozen=True)
class RateLimit(_Window):
    """From ``start`` for ``duration``, registry ``host`` answers ``limit`` requests; it refuses
    the later ones (``toomanyrequests``) until the window ends, like an outage."""

    host: str
    start: int
    duration: int
    limit: int = 100

    def __post_init__(self) -> None:
        _check_host(self.host)
        self._check_window("a rate-limit window")
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 0:
            raise ValueError(f"limit must be a non-negative number of requests, not {self.limit!r}")


@dataclass(frozen=True)
class Drain:
    """``oc adm drain node`` at ``at``: cordon it and evict its pods (recreated elsewhere);
    uncordoned again after ``duration`` (None: it stays cordoned)."""

    at: int
    node: str = DEFAULT_NODES[0]
    duration: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", _seconds(self.at, "at"))
        if self.duration is not None:
            object.__setattr__(self, "duration", _seconds(self.duration, "duration"))
        if self.node not in DEFAULT_NODES:
            raise ValueError(f"node must be one of {', '.join(DEFAULT_NODES)}, not {self.node!r}")

    @property
    def time(self) -> int:
        return self.at

    @property
    def end(self) -> int:
        return self.at + (self.duration or 0)


Event = Union[Push, Untag, Outage, RateLimit, Drain]
_EVENT_TYPES = (Push, Untag, Outage, RateLimit, Drain)


def _check_host(host: Any) -> None:
    if not isinstance(host, str) or not host or "/" in host:
        raise ValueError(f"a registry host such as 'docker.io' is required, not {host!r}")


def _check_tag_pullspec(pullspec: str, what: str) -> tuple[str, str, str]:
    try:
        host, path, tag, digest = upstream_key(pullspec)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None
    if digest:
        raise ValueError(f"{what} must name a tag, not a digest: {pullspec!r}")
    return host, path, tag


@dataclass(frozen=True)
class Timeline:
    """What happens upstream and to the nodes, in seconds from the timeline's start.

    ``events`` are kept sorted by time (stably). ``until`` is the end of the measured window
    (default: one day after the last event ends, rounded up to a whole hour). ``image`` is the
    upstream tag the application follows.

    >>> t = Timeline([Push("1h"), Outage("docker.io", "2h", "2h")], until="1d")
    >>> t.until, [type(e).__name__ for e in t.events]
    (86400, ['Push', 'Outage'])
    """

    events: tuple = ()
    until: int | None = None
    image: str = DEFAULT_IMAGE

    def __post_init__(self) -> None:
        events = tuple(self.events)
        for event in events:
            if not isinstance(event, _EVENT_TYPES):
                raise TypeError(f"not a timeline event: {event!r} (expected Push, Untag, Outage, RateLimit, Drain)")
        events = tuple(sorted(events, key=lambda e: e.time))
        object.__setattr__(self, "events", events)
        _check_tag_pullspec(self.image, "the timeline's image")
        for event in events:
            if isinstance(event, (Push, Untag)) and event.pullspec is not None:
                _check_tag_pullspec(event.pullspec, type(event).__name__)
        if self.until is None:
            last = max((e.end for e in events), default=0)
            until = -(-(last + DAY) // 3600) * 3600
        else:
            until = _seconds(self.until, "until")
        if until <= 0:
            raise ValueError("a timeline needs a positive length (until)")
        late = [e for e in events if e.time > until]
        if late:
            raise ValueError(f"{late[0]!r} starts after the end of the timeline (until={until}s)")
        object.__setattr__(self, "until", until)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def host(self) -> str:
        """The registry host of the application's image."""
        return upstream_key(self.image)[0]

    def rows(self) -> list[dict]:
        """The events as plain rows (kind, start and end in seconds, what) for tables and plots."""
        out = []
        for e in self.events:
            if isinstance(e, Push):
                what = (e.pullspec or self.image) + (" (broken)" if e.broken else "")
            elif isinstance(e, Untag):
                what = e.pullspec or self.image
            elif isinstance(e, Outage):
                what = e.host
            elif isinstance(e, RateLimit):
                what = f"{e.host} ({e.limit} requests)"
            else:
                what = e.node
            out.append({"kind": type(e).__name__.lower(), "start": e.time, "end": e.end, "what": what})
        return out

    @classmethod
    def generate(cls, seed: int, *, days: float = 7, image: str = DEFAULT_IMAGE,
                 push_rate_per_day: float = 1.0, broken_fraction: float = 0.0,
                 fix_after_hours: float | None = None, untag_rate_per_day: float = 0.0,
                 outage_rate_per_day: float = 0.0, outage_hours: float = 2.0,
                 drain_rate_per_day: float = 0.0, drains_during_outages: bool = False,
                 drain_hours: float | None = 1.0, rate_limit_rate_per_day: float = 0.0,
                 rate_limit_hours: float = 6.0, rate_limit: int = 100) -> Timeline:
        """A timeline of ``days`` drawn from ``seed``.

        Pushes, deleted tags, outages, drains and rate-limit windows start at the times of
        independent Poisson processes with the given rates per day (each kind from its own random
        stream, so changing one rate leaves the other kinds' times alone), rounded up to whole
        seconds. Each push is broken with probability ``broken_fraction``; with
        ``fix_after_hours``, upstream pushes a good image that long after each broken one.
        Outages last ``outage_hours`` and, with ``drains_during_outages``, each comes with a drain
        at a uniformly drawn moment inside it. Drains hit a node drawn among the three workers and
        last ``drain_hours`` (None: the node stays cordoned). Rate-limit windows on the image's
        registry last ``rate_limit_hours`` and answer ``rate_limit`` requests.
        """
        until = int(round(days * DAY))
        if until <= 0:
            raise ValueError("days must be positive")
        for name, value in (("push_rate_per_day", push_rate_per_day), ("untag_rate_per_day", untag_rate_per_day),
                            ("outage_rate_per_day", outage_rate_per_day),
                            ("drain_rate_per_day", drain_rate_per_day),
                            ("rate_limit_rate_per_day", rate_limit_rate_per_day)):
            if not value >= 0:
                raise ValueError(f"{name} must be >= 0, not {value!r}")
        if not 0 <= broken_fraction <= 1:
            raise ValueError(f"broken_fraction must be between 0 and 1, not {broken_fraction!r}")
        host = _check_tag_pullspec(image, "image")[0]

        def rng(name: str) -> random.Random:
            return random.Random(f"imagesim.experiments/{seed}/{name}")

        def arrivals(name: str, rate: float) -> list[int]:
            if rate <= 0:
                return []
            stream, t, out = rng(name), 0.0, []
            while True:
                t += stream.expovariate(rate / DAY)
                second = max(1, math.ceil(t))
                if second >= until:
                    return out
                out.append(second)

        events: list = []
        broken_draws = rng("broken")
        for t in arrivals("pushes", push_rate_per_day):
            broken = broken_draws.random() < broken_fraction
            events.append(Push(t, broken=broken))
            if broken and fix_after_hours is not None:
                fix = t + _hours(fix_after_hours, "fix_after_hours")
                if fix <= until:
                    events.append(Push(fix))
        events += [Untag(t) for t in arrivals("untags", untag_rate_per_day)]
        outage = _hours(outage_hours, "outage_hours")
        drain_length = None if drain_hours is None else _hours(drain_hours, "drain_hours")
        inside, inside_nodes = rng("drain-in-outage"), rng("drain-in-outage-nodes")
        for t in arrivals("outages", outage_rate_per_day):
            events.append(Outage(host, t, outage))
            if drains_during_outages:
                at = t + int(inside.random() * outage)
                if at <= until:
                    events.append(Drain(at, inside_nodes.choice(DEFAULT_NODES), drain_length))
        nodes = rng("drain-nodes")
        events += [Drain(t, nodes.choice(DEFAULT_NODES), drain_length) for t in arrivals("drains", drain_rate_per_day)]
        window = _hours(rate_limit_hours, "rate_limit_hours")
        events += [RateLimit(host, t, window, rate_limit) for t in arrivals("rate-limits", rate_limit_rate_per_day)]
        return cls(tuple(events), until, image)


def _hours(value: float, what: str) -> int:
    seconds = int(round(value * 3600))
    if seconds <= 0:
        raise ValueError(f"{what} must be positive, not {value!r}")
    return seconds


# ---------------------------------------------------------------------------------------------
# configurations

_PULL_POLICIES = (None, "Always", "IfNotPresent", "Never")


@dataclass(frozen=True)
class Configuration:
    """One way to run the application (see the module docstring for the world it builds).

    ``via_stream``: an image stream and an ImageChange trigger (else the DeploymentConfig names
    the upstream image directly; ``scheduled``, ``automatic`` and ``reference_policy`` then do not
    apply). ``scheduled``: the stream tag's ``importPolicy.scheduled`` (checks every 15 minutes).
    ``automatic``: the ImageChange trigger's ``automatic``. ``reference_policy``: ``"Source"``
    (pods pull from upstream) or ``"Local"`` (pods pull through the internal registry, which
    keeps serving what it pulled before). ``strategy``: ``"Rolling"`` or ``"Recreate"``.
    ``pull_policy``: the container's ``imagePullPolicy`` (None: the API server's default for the
    manifest, ``Always`` for a tag, ``IfNotPresent`` for a digest). ``pinned``: the reference
    (direct, or the stream tag's source) names the initial image by digest, so nothing upstream
    ever reaches the pods. ``manual_every``: how often someone does the steps the configuration
    leaves to people (None: nobody does): ``oc import-image`` when import is not scheduled,
    ``oc rollout latest dc/app`` when the trigger is manual and the stream tag moved, and with a
    direct (unpinned) reference ``oc rollout latest dc/app`` to pick up whatever the tag means.
    """

    name: str
    via_stream: bool = True
    scheduled: bool = True
    automatic: bool = True
    reference_policy: str = "Source"
    strategy: str = "Rolling"
    pull_policy: str | None = None
    pinned: bool = False
    replicas: int = 2
    manual_every: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("a configuration needs a name")
        if self.reference_policy not in ("Source", "Local"):
            raise ValueError(f"reference_policy must be 'Source' or 'Local', not {self.reference_policy!r}")
        if self.strategy not in ("Rolling", "Recreate"):
            raise ValueError(f"strategy must be 'Rolling' or 'Recreate', not {self.strategy!r}")
        if self.pull_policy not in _PULL_POLICIES:
            raise ValueError(f"pull_policy must be None, 'Always', 'IfNotPresent' or 'Never', not {self.pull_policy!r}")
        if isinstance(self.replicas, bool) or not isinstance(self.replicas, int) or self.replicas < 1:
            raise ValueError(f"replicas must be a positive integer, not {self.replicas!r}")
        if self.manual_every is not None:
            every = _seconds(self.manual_every, "manual_every")
            if every <= 0:
                raise ValueError("manual_every must be a positive duration (or None)")
            object.__setattr__(self, "manual_every", every)
        for name in ("via_stream", "scheduled", "automatic", "pinned"):
            object.__setattr__(self, name, bool(getattr(self, name)))

    def columns(self) -> dict:
        """The configuration's columns of a record (what does not apply is False or None)."""
        stream = self.via_stream
        return {"via_stream": stream, "scheduled": stream and self.scheduled, "automatic": stream and self.automatic,
                "reference_policy": self.reference_policy if stream else None, "strategy": self.strategy,
                "pull_policy": self.pull_policy, "pinned": self.pinned, "replicas": self.replicas,
                "manual_every_hours": None if self.manual_every is None else self.manual_every / 3600}


def grid(base: Configuration | None = None, **axes: Iterable) -> list[Configuration]:
    """Every combination of the values of ``axes`` (fields of :class:`Configuration`) applied to
    ``base``, named ``"field=value, ..."`` in the order given.

    >>> [c.name for c in grid(strategy=["Rolling", "Recreate"], reference_policy=["Source", "Local"])]
    ['strategy=Rolling, reference_policy=Source', 'strategy=Rolling, reference_policy=Local', \
'strategy=Recreate, reference_policy=Source', 'strategy=Recreate, reference_policy=Local']
    """
    import itertools

    known = {f.name for f in fields(Configuration)} - {"name"}
    unknown = sorted(set(axes) - known)
    if unknown:
        raise ValueError(f"unknown configuration fields: {', '.join(unknown)}")
    base = base or Configuration("base")
    names = list(axes)
    out = []
    for values in itertools.product(*(list(axes[n]) for n in names)):
        settings = {f.name: getattr(base, f.name) for f in fields(Configuration)}
        settings.update(zip(names, values))
        settings["name"] = ", ".join(f"{n}={v}" for n, v in zip(names, values)) or base.name
        out.append(Configuration(**settings))
    return out


#: The configurations behind the usual questions, ready to compare.
BASELINES = (
    Configuration("direct", via_stream=False),
    Configuration("pinned digest", via_stream=False, pinned=True),
    Configuration("stream, manual import", scheduled=False),
    Configuration("stream, scheduled", scheduled=True),
    Configuration("stream, scheduled, Local", scheduled=True, reference_policy="Local"),
)


# ---------------------------------------------------------------------------------------------
# one run

_TOO_MANY = ("toomanyrequests: You have reached your pull rate limit. You may increase the limit by "
             "authenticating and upgrading: https://www.docker.com/increase-rate-limit")


class _MeteredRegistry(Registry):
    """An upstream registry that counts the requests it answers and enforces rate-limit windows:
    once a window's requests are used up, it refuses the others until the window ends (clients
    see it as unavailable until then, and retry after)."""

    def __init__(self, host: str, windows: Sequence[tuple[int, int, int]] = ()) -> None:
        super().__init__(host)
        self.windows = [[start, end, limit, 0] for start, end, limit in sorted(windows)]
        self.answered = 0
        self.refused = 0

    def _exhausted(self, t: int) -> int | None:
        end = None
        for start, stop, limit, used in self.windows:
            if start <= t < stop and used >= limit:
                end = stop if end is None else max(end, stop)
        return end

    def resolve(self, path: str, tag: str = "", digest: str = "", *, t: int = 0):
        if self.available(t) and self._exhausted(t) is not None:
            self.requests += 1
            self.refused += 1
            raise RegistryUnavailable(self.host, _TOO_MANY)
        image = super().resolve(path, tag, digest, t=t)
        self.answered += 1
        for window in self.windows:
            if window[0] <= t < window[1]:
                window[3] += 1
        return image

    def outage_end(self, t: int) -> int | None:
        """The end of the outages and used-up windows covering ``t``, merged."""
        end = t
        while True:
            later = [stop for start, stop in self.outages if start <= end < stop]
            exhausted = self._exhausted(end)
            if exhausted is not None:
                later.append(exhausted)
            if not later:
                return None if end == t else end
            end = max(later)


def _pullspec(host: str, path: str, tag: str) -> str:
    return f"{host}/{path}:{tag}"


class _Run:
    """One configuration playing one timeline in a fresh simulation."""

    def __init__(self, config: Configuration, timeline: Timeline, seed: int) -> None:
        self.config = config
        self.timeline = timeline
        self.seed = seed
        self.sim = sim = Simulation(seed)
        self.start = WARMUP
        self.end = WARMUP + timeline.until
        self.host, self.path, self.tag = _check_tag_pullspec(timeline.image, "the timeline's image")
        self.image = _pullspec(self.host, self.path, self.tag)
        self.pods: list = []
        self._log_seen = 0
        self.actions: list[tuple[int, int, Callable, tuple]] = []
        self.pushes: list[tuple[int, str, bool]] = []  # (time, digest, broken) of the app's tag
        windows: dict[str, list[tuple[int, int, int]]] = {self.host: []}
        for e in timeline.events:
            if isinstance(e, RateLimit):
                windows.setdefault(e.host, []).append((self.start + e.start, self.start + e.end, e.limit))
        for host, host_windows in windows.items():
            sim.registries[host] = _MeteredRegistry(host, host_windows)
        self.registry: _MeteredRegistry = sim.registries[self.host]  # type: ignore[assignment]
        self.initial = sim.push(self.image)
        self._build()
        self._plan()

    # the world -------------------------------------------------------------------------------
    def _build(self) -> None:
        c, sim = self.config, self.sim
        repository = f"{self.host}/{self.path}"
        source = f"{repository}@{self.initial}" if c.pinned else self.image
        container: dict = {"name": APP, "image": f"{APP}:{self.tag}" if c.via_stream else source,
                           "ports": [{"containerPort": 8080}]}
        if c.pull_policy:
            container["imagePullPolicy"] = c.pull_policy
        triggers: list[dict] = [{"type": "ConfigChange"}]
        objects: list[dict] = []
        if c.via_stream:
            objects.append({
                "apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": APP},
                "spec": {"tags": [{"name": self.tag, "from": {"kind": "DockerImage", "name": source},
                                   "importPolicy": {"scheduled": c.scheduled},
                                   "referencePolicy": {"type": c.reference_policy}}]}})
            triggers.append({"type": "ImageChange", "imageChangeParams": {
                "automatic": c.automatic, "containerNames": [APP],
                "from": {"kind": "ImageStreamTag", "name": f"{APP}:{self.tag}"}}})
        objects.append({
            "apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": APP, "labels": {"app": APP}},
            "spec": {"replicas": c.replicas, "selector": {"app": APP}, "strategy": {"type": c.strategy},
                     "triggers": triggers,
                     "template": {"metadata": {"labels": {"app": APP}}, "spec": {"containers": [container]}}}})
        objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": APP},
                        "spec": {"selector": {"app": APP}, "ports": [{"port": 8080}]}})
        sim.apply(objects)
        if c.via_stream and not c.automatic:
            self._oc("rollout latest dc/app", required=True)
        self.workload = sim.cluster.workload("DeploymentConfig", NAMESPACE, APP)
        self.service = sim.cluster.services[(NAMESPACE, APP)]

    def _oc(self, command: str, required: bool = False) -> bool:
        result = self.sim.oc(command)
        if required and not result.ok:  # pragma: no cover - the world's own commands are fixed
            raise RuntimeError(f"experiment setup failed: oc {command}\n{result}")
        return result.ok

    def _plan(self) -> None:
        sim, start = self.sim, self.start
        order = 0

        def action(t: int, fn: Callable, *args: Any) -> None:
            nonlocal order
            order += 1
            if t <= self.end:  # what would happen after the window cannot change its metrics
                self.actions.append((t, order, fn, args))

        for e in self.timeline.events:
            if isinstance(e, Push):
                pullspec = e.pullspec or self.image
                digest = sim.push(pullspec, broken=e.broken, at=start + e.at)
                if upstream_key(pullspec)[:3] == (self.host, self.path, self.tag):
                    self.pushes.append((start + e.at, digest, e.broken))
            elif isinstance(e, Outage):
                sim.outage(e.host, start=start + e.start, duration=e.duration)
            elif isinstance(e, Untag):
                action(start + e.at, self._untag, e.pullspec or self.image)
            elif isinstance(e, Drain):
                action(start + e.at, self._drain, e.node)
                if e.duration is not None:
                    action(start + e.at + e.duration, self._uncordon, e.node)
        every = self.config.manual_every
        if every is not None:
            t = start + every
            while t <= self.end:
                action(t, self._manual_steps)
                t += every
        self.actions.sort(key=lambda a: (a[0], a[1]))

    def _untag(self, pullspec: str) -> None:
        host, path, tag, _ = upstream_key(pullspec)
        repo = self.sim.registry(host).repository(path)
        if repo is not None and tag in repo.tags:
            self.sim.untag(pullspec)

    def _drain(self, node: str) -> None:
        self.sim.drain(node)

    def _uncordon(self, node: str) -> None:
        from .rollouts import uncordon

        uncordon(self.sim, node)

    def _manual_steps(self) -> None:
        c = self.config
        if c.pinned:
            return
        if not c.via_stream:
            self._oc("rollout latest dc/app")
            return
        if not c.scheduled:
            self._oc(f"import-image {APP}:{self.tag}")
        if not c.automatic:
            w = self.workload
            wanted = self.sim.cluster.resolve_trigger(w, w.triggers[0])
            if wanted and wanted not in w.template.images():
                self._oc("rollout latest dc/app")

    # playing -----------------------------------------------------------------------------------
    def _harvest(self) -> None:
        """Keep every pod of the application (the cluster forgets deleted pods after their grace)."""
        log = self.sim.log
        n = len(log)
        pods = self.sim.cluster.pods
        for i in range(self._log_seen, n):
            event = log[i]
            if event.kind == "pod-created":
                namespace, _, name = event.subject.partition("/")
                pod = pods.get((namespace, name))
                if pod is not None and not pod.deployer and all(
                        pod.labels.get(k) == v for k, v in self.service.selector.items()):
                    self.pods.append(pod)
        self._log_seen = n

    def _run_to(self, t: int) -> None:
        clock = self.sim.clock
        while True:
            due = clock.peek()
            if due is None or due > t:
                break
            clock.step()
            self._harvest()
        clock.run(t)

    def play(self) -> dict:
        self._harvest()
        self._run_to(self.start - 1)
        answered, refused = self.registry.answered, self.registry.refused
        for t, _, fn, args in self.actions:
            self._run_to(t)
            fn(*args)
            self._harvest()
        self._run_to(self.end)
        self._harvest()
        return self._metrics(self.registry.answered - answered, self.registry.refused - refused)

    # metrics -----------------------------------------------------------------------------------
    def _metrics(self, pulls: int, refused: int) -> dict:
        t0, t1 = self.start, self.end
        replicas = self.config.replicas
        ready: list[tuple[int, float]] = []
        broken: list[tuple[int, float]] = []
        first_ready: dict[str, int] = {}
        for pod in self.pods:
            gone = pod.deleted if pod.deleted >= 0 else _NEVER
            at = pod.ready_at()
            if at is not None and at < gone and at <= t1:
                ready.append((at, gone))
                for run in pod.containers:
                    if run.image_id and at >= t0:
                        first_ready[run.image_id] = min(first_ready.get(run.image_id, at), at)
            for run in pod.containers:
                if run.broken and 0 <= run.started < gone:
                    broken.append((run.started, gone))
                    break
        # sweep the window: the counts only change at interval ends
        deltas: dict[float, list[int]] = {}
        for intervals, index in ((ready, 0), (broken, 1)):
            for begin, finish in intervals:
                begin, finish = max(begin, t0), min(finish, t1)
                if begin >= finish:
                    continue
                deltas.setdefault(begin, [0, 0])[index] += 1
                deltas.setdefault(finish, [0, 0])[index] -= 1
        times = sorted(set(deltas) | {t0, t1})
        n_ready = n_broken = 0
        outage = impaired = 0
        incidents, longest, current = 0, 0, 0
        most_broken = 0
        for a, b in zip(times, times[1:]):
            step = deltas.get(a)
            if step:
                n_ready += step[0]
                n_broken += step[1]
            if b <= a:
                continue
            length = int(b - a)
            most_broken = max(most_broken, n_broken)
            if n_ready == 0:
                outage += length
            if n_ready < replicas or n_broken > 0:
                impaired += length
                if current == 0:
                    incidents += 1
                current += length
                longest = max(longest, current)
            else:
                current = 0
        recovered = current == 0

        # rollouts in the window, and the broken ones (judged by the pods each one started first)
        by_owner: dict[str, list] = {}
        for pod in self.pods:
            by_owner.setdefault(pod.owner, []).append(pod)
        rollouts = broken_rollouts = 0
        for rs in self.sim.cluster.owned(self.workload):
            if not t0 <= rs.started <= t1:
                continue
            rollouts += 1
            own = by_owner.get(rs.name, [])
            if own:
                first = min(p.created for p in own)
                if any(r.broken for p in own if p.created == first for r in p.containers):
                    broken_rollouts += 1

        # staleness of good pushes
        good = [(t, digest) for t, digest, is_broken in self.pushes if not is_broken]
        waits, never = [], 0
        for i, (pushed, digest) in enumerate(good):
            seen = [first_ready[d] for _, d in good[i:] if d in first_ready and first_ready[d] >= pushed]
            if seen:
                waits.append(min(seen) - pushed)
            else:
                waits.append(t1 - pushed)
                never += 1
        staleness = sum(waits) / len(waits) / 60 if waits else None

        return {
            "outage_minutes": outage / 60,
            "impaired_minutes": impaired / 60,
            "incidents": incidents,
            "time_to_recover_minutes": longest / 60,
            "recovered": recovered,
            "rollouts": rollouts,
            "broken_rollouts": broken_rollouts,
            "pods_on_broken_image": most_broken,
            "good_pushes": len(good),
            "staleness_minutes": staleness,
            "versions_never_run": never,
            "registry_pulls": pulls,
            "rate_limited": refused,
        }


TimelineSource = Union[Timeline, Callable[[int], Timeline]]


def _timeline_for(timeline: TimelineSource, seed: int) -> Timeline:
    if isinstance(timeline, Timeline):
        return timeline
    if callable(timeline):
        made = timeline(seed)
        if not isinstance(made, Timeline):
            raise TypeError(f"the timeline factory returned {type(made).__name__}, not a Timeline")
        return made
    raise TypeError(f"expected a Timeline or a function seed -> Timeline, not {type(timeline).__name__}")


def run_one(configuration: Configuration, timeline: TimelineSource, seed: int = 0, *, label: str = "") -> dict:
    """Play ``timeline`` (or ``timeline(seed)`` for a factory) under ``configuration`` in a fresh
    simulation seeded with ``seed``; return the record (a plain dict with :data:`RECORD_COLUMNS`)."""
    if not isinstance(configuration, Configuration):
        raise TypeError(f"expected a Configuration, not {type(configuration).__name__}")
    run = _Run(configuration, _timeline_for(timeline, seed), seed)
    metrics = run.play()
    record = {"timeline": label, "configuration": configuration.name, "seed": seed}
    record.update(configuration.columns())
    if record["pull_policy"] is None:  # what the API server defaulted it to
        record["pull_policy"] = run.workload.template.containers[0].pull_policy
    record.update(metrics)
    return record


def _run_batch(configuration: Configuration, timeline: TimelineSource, seeds: Sequence[int], label: str) -> list[dict]:
    """The work of one executor task: several seeds of one configuration."""
    return [run_one(configuration, timeline, seed, label=label) for seed in seeds]


# ---------------------------------------------------------------------------------------------
# many runs


class InlineExecutor(Executor):
    """An executor that runs each task at once in the calling process (no pickling, no workers):
    for debugging, small runs, and places where processes cannot be started."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(err)
        return future


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="runs", unit="run")


def run_experiment(configurations: Configuration | Iterable[Configuration],
                   timeline: TimelineSource | Mapping[str, TimelineSource],
                   seeds: Iterable[int] = range(10), *, executor: Executor | None = None,
                   progress: bool = True, batch_size: int | None = None) -> pandas.DataFrame:
    """Run every (configuration, seed) pair on ``timeline`` and return one row per run.

    ``timeline`` is a :class:`Timeline` (the same for every seed), a function ``seed ->
    Timeline`` (each seed draws its own timeline, replayed by every configuration; with a
    process pool it must be picklable: a module-level function or a ``functools.partial`` of
    :meth:`Timeline.generate`), or a mapping ``{label: timeline}`` to sweep several (the label
    goes in the ``timeline`` column). ``executor`` is any :class:`concurrent.futures.Executor`;
    the default is a process pool with one worker per CPU, shut down afterwards. Runs are sent in
    batches of ``batch_size`` seeds (default: about four batches per CPU). ``progress`` shows a
    tqdm bar (the notebook-aware ``tqdm.auto``) when tqdm is installed.

    Rows are ordered by timeline and configuration (in the order given), then seed (ascending);
    the columns are :data:`RECORD_COLUMNS`. The numbers depend only on the inputs, never on the
    executor.
    """
    if isinstance(configurations, Configuration):
        configurations = [configurations]
    configurations = list(configurations)
    if not configurations:
        raise ValueError("no configurations to run")
    for c in configurations:
        if not isinstance(c, Configuration):
            raise TypeError(f"expected Configuration objects, not {type(c).__name__}")
    names = [c.name for c in configurations]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"configuration names must be unique: {', '.join(duplicates)}")
    if isinstance(timeline, Mapping):
        timelines = [(str(label), source) for label, source in timeline.items()]
        if not timelines:
            raise ValueError("no timelines to run")
    else:
        timelines = [("", timeline)]
    seeds = sorted(seeds)
    if not seeds:
        raise ValueError("no seeds to run")
    for _, source in timelines:  # fail here, not in a worker, on a bad timeline or factory
        _timeline_for(source, seeds[0])
    workers = os.cpu_count() or 1
    if batch_size is None:
        total = len(timelines) * len(configurations) * len(seeds)
        batch_size = max(1, min(64, -(-total // (4 * workers))))
    tasks = [(config, source, seeds[i:i + batch_size], label)
             for label, source in timelines for config in configurations
             for i in range(0, len(seeds), batch_size)]
    own = executor is None
    if own or isinstance(executor, ProcessPoolExecutor):
        for _, source in timelines:
            try:
                pickle.dumps(source)
            except (pickle.PicklingError, AttributeError, TypeError):
                raise TypeError("a process pool needs a picklable timeline factory: a module-level function or "
                                "functools.partial(Timeline.generate, ...), not a lambda or a local function "
                                "(those work with InlineExecutor() or a Dask executor)") from None
    if own:
        executor = ProcessPoolExecutor(max_workers=workers)
    bar = _progress_bar(sum(len(task[2]) for task in tasks), progress)
    try:
        futures = {executor.submit(_run_batch, *task): index for index, task in enumerate(tasks)}
        results: list[list[dict] | None] = [None] * len(tasks)
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if bar is not None:
                bar.update(len(tasks[index][2]))
    finally:
        if bar is not None:
            bar.close()
        if own:
            executor.shutdown(cancel_futures=True)
    records = [record for batch in results for record in (batch or [])]
    from .reports import experiment_frame

    return experiment_frame(records)
