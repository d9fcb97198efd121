"""Named, seeded worlds for the labs.

Each builder returns a fresh :class:`~imagesim.Simulation`; the same seed always gives the same
world (digests, times, histories).
"""

from __future__ import annotations

import copy

from .catalog_data import OPENSHIFT_STREAMS, PINNED_DIGESTS
from .simulation import Simulation

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
