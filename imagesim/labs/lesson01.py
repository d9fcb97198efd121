"""Lesson 01: image streams as a layer of indirection: tags, digests, re-imports, snapshots."""

from __future__ import annotations

from ..scenarios import openshift_catalog
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON", "UPSTREAM"]

UPSTREAM = "docker.io/centos/mongodb-32-centos7:latest"
PROJECT = "myproject"


def builds(sim: Simulation) -> list[str]:
    return [e.digest for e in sim.log if e.kind == "push" and e.subject == UPSTREAM]


def _tracking(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "mongodb")
    ref = stream.spec.get("3.2") if stream else None
    if ref is None:
        return False, "there is no tag mongodb:3.2 in myproject yet"
    if ref.from_kind != "DockerImage" or "mongodb-32-centos7" not in ref.from_name:
        return False, f"mongodb:3.2 comes from {ref.from_kind} {ref.from_name!r}, not from the upstream tag"
    head = stream.head("3.2")
    if head is None:
        return False, "mongodb:3.2 has no image yet"
    return True, f"mongodb:3.2 tracks {ref.from_name} and points at {head.image[:19]}…"


def _pinned(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "mongodb")
    ref = stream.spec.get("pinned") if stream else None
    if ref is None:
        return False, "there is no tag mongodb:pinned in myproject yet"
    if ref.from_kind != "ImageStreamImage":
        return False, (f"mongodb:pinned comes from {ref.from_kind} {ref.from_name!r}: tag it from "
                       "openshift/mongodb:3.2 without --alias, so it copies the digest")
    first = builds(sim)[0]
    if not ref.from_name.endswith(first):
        return False, "mongodb:pinned is pinned to another image than openshift/mongodb:3.2's"
    return True, f"mongodb:pinned is pinned to {first[:19]}…"


def _reimported(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "mongodb")
    head = stream.head("3.2") if stream else None
    latest = builds(sim)[-1]
    if head is None:
        return False, "mongodb:3.2 is missing"
    if head.image != latest:
        return False, f"mongodb:3.2 still points at {head.image[:19]}…; upstream is at {latest[:19]}…"
    pinned = stream.head("pinned")
    if pinned is None or pinned.image != builds(sim)[0]:
        return False, "mongodb:pinned moved: it should stay on the first image"
    return True, (f"mongodb:3.2 has {len(stream.status['3.2'].items)} history items; "
                  "mongodb:pinned stayed on the first image")


def _upstream_moves(sim: Simulation) -> str:
    digest = sim.push(UPSTREAM)
    sim.advance("1h")
    return (f"The maintainers pushed a new build: {UPSTREAM} now points at {digest}. "
            "An hour passed; nothing in the cluster changed.")


LESSON = Lesson("01", "Image streams are a layer of indirection", openshift_catalog, [
    Step("01.1", "A tag that tracks an upstream tag",
         "In your project, create mongodb:3.2 imported from centos/mongodb-32-centos7:latest.",
         _tracking, "oc tag --source=docker SOURCE mongodb:3.2 (the source has no registry host, so "
         "--source=docker tells oc it is an upstream image, not a stream tag)",
         ["tag --source=docker centos/mongodb-32-centos7:latest mongodb:3.2"]),
    Step("01.2", "A snapshot",
         "Create mongodb:pinned from openshift/mongodb:3.2: oc tag copies the digest that tag points at now.",
         _pinned, "oc tag openshift/mongodb:3.2 mongodb:pinned",
         ["tag openshift/mongodb:3.2 mongodb:pinned"]),
    Step("01.3", "Re-import",
         "Upstream moved. Re-import mongodb:3.2 and compare it with mongodb:pinned.",
         _reimported, "oc import-image mongodb:3.2", ["import-image mongodb:3.2"], before=_upstream_moves),
])
