"""Lesson 06: what if the registry is down? Source vs Local reference policy during an outage."""

from __future__ import annotations

from ..registry import INTERNAL_REGISTRY
from ..scenarios import registry_outage
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON"]

PROJECT = "myproject"


def _local(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "source-app")
    ref = stream.spec.get("latest") if stream else None
    if ref is None:
        return False, "the tag source-app:latest is missing"
    if ref.reference_policy != "Local":
        return False, "source-app:latest still has reference policy Source: pods pull from docker.io"
    w = sim.cluster.workloads.get(("Deployment", PROJECT, "source-app"))
    image = w.template.images()[0] if w and w.template.images() else ""
    if not image.startswith(INTERNAL_REGISTRY + "/"):
        return False, f"deploy/source-app still runs {image.split('@')[0]}: its trigger has not followed yet"
    return True, "source-app pulls through the internal registry now: " + image.split("@")[0]


LESSON = Lesson("06", "What if the registry is down?", registry_outage, [
    Step("06.1", "Pull through the internal registry",
         "Before docker.io goes down, make source-app's pods pull through the internal registry, "
         "like local-app's do.",
         _local,
         "oc tag --source=docker docker.io/gists/lighttpd:latest source-app:latest --reference-policy=local "
         "rewrites the tag with the Local policy; the trigger follows.",
         ["tag --source=docker docker.io/gists/lighttpd:latest source-app:latest --reference-policy=local"]),
])
