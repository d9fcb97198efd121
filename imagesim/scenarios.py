"""Named, seeded worlds for the labs.

Each builder returns a fresh :class:`~imagesim.Simulation`; the same seed always gives the same
world (digests, times, histories).
"""

from __future__ import annotations

import copy
import functools
from typing import Callable

from .catalog_data import OPENSHIFT_STREAMS, PINNED_DIGESTS
from .journal import Entry
from .simulation import Simulation


def scenario(builder: Callable[..., Simulation]) -> Callable[..., Simulation]:
    """Mark a world builder: the simulation it returns remembers how it was built, so its
    journal (``save``, ``at``) starts from the builder instead of every step inside it."""

    @functools.wraps(builder)
    def build(*args, **kwargs) -> Simulation:
        names = builder.__code__.co_varnames[:builder.__code__.co_argcount]
        recorded = dict(zip(names, args))
        recorded.update(kwargs)
        sim = builder(**recorded)
        sim.journal = [Entry(sim.clock.now, "scenario", {"name": builder.__name__, "kwargs": recorded})]
        return sim

    build.is_scenario = True  # type: ignore[attr-defined]
    return build

__all__ = ["openshift_catalog"]

#: How long before "now" the default catalog was imported (the lesson shows "22 hours ago").
CATALOG_AGE = 22 * 3600

#: Popular upstream images that exist in the default world besides the catalog's sources, so
#: that ``oc import-image mongo:4.4 --confirm`` or ``oc tag --source=docker nginx:1.25 ...`` work.
UPSTREAM_EXTRAS = (
    "docker.io/library/mongo:4.4",
    "docker.io/library/mongo:5.0",
    "docker.io/library/mongo:6.0",
    "docker.io/library/mongo:latest",
    "docker.io/library/nginx:1.25",
    "docker.io/library/nginx:latest",
    "docker.io/library/httpd:2.4",
    "docker.io/library/redis:7",
    "docker.io/library/busybox:latest",
    "docker.io/gists/lighttpd:latest",
    "quay.io/centos7/mongodb-36-centos7:latest",
)


@scenario
def openshift_catalog(seed: int = 0) -> Simulation:
    """The default world: the classic ``openshift`` image streams, imported 22 hours ago.

    Covers: image streams as a virtual view over upstream registries; aliases (``latest``
    tracking a version tag); the reference notation.

    Scenario: the upstream repositories of every sample stream exist (one image per tag;
    ``centos/mongodb-32-centos7:latest`` has the lesson's real digest), and so do a few popular
    Docker Hub images (:data:`UPSTREAM_EXTRAS`). The streams are created
    in the ``openshift`` namespace at the simulation's start and imported at once; the clock then
    stands 22 hours later. The current project is ``myproject``.
    """
    sim = Simulation(seed=seed)
    manifests = copy.deepcopy(OPENSHIFT_STREAMS)
    pushed: set[str] = set()
    for manifest in manifests:
        for tag in manifest["spec"]["tags"]:
            source = tag.get("from", {})
            if source.get("kind") == "DockerImage" and source["name"] not in pushed:
                pushed.add(source["name"])
                sim.push(source["name"], digest=PINNED_DIGESTS.get(source["name"]))
    for pullspec in UPSTREAM_EXTRAS:
        sim.push(pullspec)
    sim.apply(manifests)
    sim.advance(CATALOG_AGE)
    return sim


# -------------------------------------------------------------------------------------------------
# Workload scenarios: what upstream changes do to running applications.

#: The upstream image the workload scenarios run (it exists in the default world).
APP_IMAGE = "docker.io/gists/lighttpd:latest"
#: When things happen in the workload scenarios, in seconds after the builder returns.
BROKEN_PUSH_AFTER = 3600
RESTART_AFTER = 2 * 3600
FIXED_PUSH_AFTER = 3 * 3600
OUTAGE_AFTER = 3600
OUTAGE_LENGTH = 2 * 3600
DRAIN_AFTER = 3600 + 30 * 60


def _deployment(sim: Simulation, name: str, image: str = " ", *, stream_tag: str = "", replicas: int = 2,
                pull_policy: str = "", dc: bool = False, strategy: str = "Rolling"):
    """A Deployment (annotation trigger on ``stream_tag`` if given) or a DeploymentConfig (automatic
    ImageChange + ConfigChange triggers), labelled ``app=<name>``, with a service on 8080."""
    from .cluster import TRIGGERS_ANNOTATION, annotation_text
    from .workloads import Container, Deployment, DeploymentConfig, ImageChangeTrigger, PodTemplate, Service

    namespace = sim.project
    template = PodTemplate({"app": name}, {}, [Container(name, image, pull_policy, [8080])])
    labels = {"app": name}
    if dc:
        triggers = [ImageChangeTrigger(stream_tag, "", [name], True)] if stream_tag else []
        w = DeploymentConfig(namespace, name, sim.time, labels=labels, replicas=replicas, selector={"app": name},
                             template=template, strategy=strategy, triggers=triggers)
    else:
        annotations = {}
        if stream_tag:
            path = f'spec.template.spec.containers[?(@.name=="{name}")].image'
            annotations[TRIGGERS_ANNOTATION] = annotation_text([ImageChangeTrigger(stream_tag, field_path=path)],
                                                               namespace)
        w = Deployment(namespace, name, sim.time, labels=labels, annotations=annotations, replicas=replicas,
                       selector={"app": name}, template=template)
    sim.cluster.create(w)
    sim.cluster.create_service(Service(namespace, name, {"app": name}, [8080], sim.time))
    sim._settle()
    return w


def _must(sim: Simulation, command: str) -> None:
    result = sim.oc(command)
    if not result.ok:  # pragma: no cover - the builders' own commands are fixed
        raise RuntimeError(f"scenario command failed: oc {command}\n{result}")


def _restart_pods(sim: Simulation, names: tuple[str, ...]) -> None:
    from .rollouts import delete_pod

    for pod in sorted(sim.cluster.pods.values(), key=lambda p: p.name):
        if pod.workload in names and pod.deleted < 0 and not pod.deployer:
            delete_pod(sim, pod)


@scenario
def broken_upstream(seed: int = 0) -> Simulation:
    """The same Docker Hub image run two ways, and an upstream push that breaks it.

    Covers: a tag is not a version (``:latest`` moves upstream); pull policy ``Always`` on a
    direct reference pulls whatever the tag means *now*; an image stream pins the digest it
    imported, so restarts keep running the image that worked.

    Scenario: the default world (:func:`openshift_catalog`), then in ``myproject``:

    - ``direct``: a Deployment (2 replicas, no triggers) running ``docker.io/gists/lighttpd:latest``
      directly, pull policy ``Always``; service ``direct``.
    - ``via-stream``: image stream ``lighttpd`` with ``latest`` tagged from that image once (no
      scheduled import), and a Deployment (2 replicas) whose annotation trigger follows
      ``lighttpd:latest``, so its pods run ``docker.io/gists/lighttpd@sha256:…``; service
      ``via-stream``.

    Both apps are running when the builder returns. :data:`BROKEN_PUSH_AFTER` (1 h) later,
    upstream pushes a broken ``latest``; nothing changes in the cluster. :data:`RESTART_AFTER`
    (2 h) after the start, every pod of both apps is deleted (a node reboot) and recreated:
    ``direct`` pulls the broken image and crash-loops (CrashLoopBackOff, no endpoints),
    ``via-stream`` comes back on its good digest. ``sim.advance("3h")`` shows the end state.
    """
    sim = openshift_catalog(seed)
    _deployment(sim, "direct", APP_IMAGE, pull_policy="Always")
    _must(sim, f"tag --source=docker {APP_IMAGE} lighttpd:latest")
    _deployment(sim, "via-stream", stream_tag="lighttpd:latest")
    sim.advance("5m")
    start = sim.time
    sim.push(APP_IMAGE, broken=True, at=start + BROKEN_PUSH_AFTER)
    sim.clock.schedule(start + RESTART_AFTER, _restart_pods, sim, ("direct", "via-stream"), priority=60)
    return sim


@scenario
def scheduled_trigger(seed: int = 0, strategy: str = "Rolling") -> Simulation:
    """Scheduled import plus an automatic trigger: a broken upstream push rolls out by itself.

    Covers: ``importPolicy.scheduled`` (checks every 15 minutes); DeploymentConfig ImageChange
    triggers; Rolling vs Recreate when the new pods never get ready; ``oc rollback`` (which
    disables the image triggers) and ``oc set triggers --auto`` (which re-resolves the tag and
    rolls forward).

    Scenario: the default world, then in ``myproject`` image stream ``lighttpd`` with ``latest``
    imported from ``docker.io/gists/lighttpd:latest`` with ``--scheduled``, and DeploymentConfig
    ``web`` (2 replicas, ``strategy`` ``"Rolling"`` or ``"Recreate"``, ConfigChange trigger and an
    automatic ImageChange trigger on ``lighttpd:latest``) with service ``web``; ``web-1`` is
    complete when the builder returns.

    Timeline (seconds after the builder returns): at :data:`BROKEN_PUSH_AFTER` (1 h) upstream
    pushes a broken ``latest``; the next scheduled check (within 15 minutes) imports it, the
    trigger fires and ``web-2`` rolls out the broken image. Rolling keeps ``web-1``'s pods serving
    while ``web-2`` never gets ready; Recreate scales ``web-1`` down first, so the service has no
    endpoints. After the 10-minute deadline ``web-2`` fails and the DC controller gives the
    replicas back to ``web-1``. At :data:`FIXED_PUSH_AFTER` (3 h) upstream pushes a fixed
    ``latest``, which the schedule imports and the trigger rolls out, unless someone ran
    ``oc rollback web`` in the meantime: that disables the trigger, and only
    ``oc set triggers dc/web --auto`` (or ``oc rollout latest dc/web``) rolls forward.
    """
    if strategy not in ("Rolling", "Recreate"):
        raise ValueError(f"strategy must be 'Rolling' or 'Recreate', not {strategy!r}")
    sim = openshift_catalog(seed)
    _must(sim, f"tag --source=docker {APP_IMAGE} lighttpd:latest --scheduled")
    _deployment(sim, "web", dc=True, stream_tag="lighttpd:latest", strategy=strategy)
    sim.advance("5m")
    start = sim.time
    sim.push(APP_IMAGE, broken=True, at=start + BROKEN_PUSH_AFTER)
    sim.push(APP_IMAGE, at=start + FIXED_PUSH_AFTER)
    return sim


@scenario
def registry_outage(seed: int = 0) -> Simulation:
    """Docker Hub is down for two hours while a node is drained: which pods come back?

    Covers: ``referencePolicy`` ``Source`` vs ``Local``; pull-through in the internal registry
    (it keeps serving images it pulled before, while upstream is down); pull policy ``Always``;
    ErrImagePull/ImagePullBackOff and recovery when the registry returns.

    Scenario: the default world, then in ``myproject`` two image streams tagged from
    ``docker.io/gists/lighttpd:latest``: ``source-app:latest`` (reference policy ``Source``: pods
    pull ``docker.io/gists/lighttpd@sha256:…``) and ``local-app:latest`` (``--reference-policy=local``:
    pods pull ``image-registry.openshift-image-registry.svc:5000/myproject/local-app@sha256:…``
    through the internal registry). Deployments ``source-app`` and ``local-app`` (3 replicas each,
    one pod per node, pull policy ``Always``) follow them with annotation triggers; all pods run
    when the builder returns.

    Timeline (seconds after the builder returns): at :data:`OUTAGE_AFTER` (1 h) ``docker.io``
    becomes unreachable for :data:`OUTAGE_LENGTH` (2 h); at :data:`DRAIN_AFTER` (1 h 30 min)
    ``worker-0`` is drained (cordoned, pods evicted and recreated on the other nodes). The new
    ``local-app`` pod starts from the internal registry; the new ``source-app`` pod cannot pull
    and backs off until docker.io is back, then starts.
    """
    from .rollouts import drain

    sim = openshift_catalog(seed)
    _must(sim, f"tag --source=docker {APP_IMAGE} source-app:latest")
    _must(sim, f"tag --source=docker {APP_IMAGE} local-app:latest --reference-policy=local")
    _deployment(sim, "source-app", stream_tag="source-app:latest", replicas=3, pull_policy="Always")
    _deployment(sim, "local-app", stream_tag="local-app:latest", replicas=3, pull_policy="Always")
    sim.advance("5m")
    start = sim.time
    sim.outage("docker.io", start=start + OUTAGE_AFTER, duration=OUTAGE_LENGTH)
    sim.clock.schedule(start + DRAIN_AFTER, drain, sim, "worker-0", priority=60)
    return sim


__all__ += ["broken_upstream", "registry_outage", "scheduled_trigger"]
