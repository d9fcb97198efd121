"""Lesson 03: three ways to create image streams: import, new-app, push to the internal registry."""

from __future__ import annotations

from ..registry import INTERNAL_REGISTRY
from ..scenarios import openshift_catalog
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON"]

PROJECT = "myproject"
INTERNAL_REPO = f"{INTERNAL_REGISTRY}/{PROJECT}/lighttpd"


def _imported(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "nginx")
    if stream is None:
        return False, 'there is no image stream "nginx" in myproject yet'
    ref = stream.spec.get("latest")
    if ref is None or ref.from_kind != "DockerImage":
        return False, "nginx:latest should be imported from the nginx image on Docker Hub"
    head = stream.head("latest")
    if head is None:
        return False, "nginx:latest has no image yet: did the import fail? (oc describe is/nginx)"
    return True, f"nginx:latest was imported from {ref.from_name} ({head.image[:19]}…)"


def _new_app(sim: Simulation) -> tuple[bool, str]:
    w = sim.cluster.workloads.get(("DeploymentConfig", PROJECT, "lighttpd"))
    if w is None:
        return False, 'there is no DeploymentConfig "lighttpd" yet (oc new-app … --as-deployment-config)'
    if sim.server.find(PROJECT, "lighttpd") is None:
        return False, 'new-app should have created the image stream "lighttpd"'
    if not any(t.from_name == "lighttpd:latest" for t in w.triggers):
        return False, "dc/lighttpd has no image trigger on lighttpd:latest"
    image = w.template.images()[0] if w.template.images() else ""
    if "@sha256:" not in image:
        return False, f"dc/lighttpd runs {image!r}, not an image pinned by digest"
    if ("myproject", "lighttpd") not in sim.cluster.services:
        return False, 'new-app should have created the service "lighttpd"'
    return True, f"dc/lighttpd runs {image.split('@')[0]}@{image.split('@')[1][:19]}…, through lighttpd:latest"


def _cleaned(sim: Simulation) -> tuple[bool, str]:
    left = [f"{w.kind.lower()}/{w.name}" for w in sim.cluster.workloads.values() if w.namespace == PROJECT]
    left += [f"service/{s.name}" for s in sim.cluster.services.values() if s.namespace == PROJECT]
    left += [f"imagestream/{s.name}" for s in sim.server.streams(PROJECT)]
    if left:
        return False, "still there: " + ", ".join(sorted(left))
    return True, "myproject is empty again"


def _pushed(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "lighttpd")
    if stream is None:
        return False, f"there is no image stream lighttpd yet: push to {INTERNAL_REPO}"
    head = stream.head("latest")
    if head is None:
        return False, "lighttpd has no tag latest yet"
    if "latest" in stream.spec:
        return False, "lighttpd:latest has a spec tag: it was imported or tagged, not pushed"
    if not head.ref.startswith(INTERNAL_REPO + "@"):
        return False, f"lighttpd:latest points at {head.ref}, not at the internal registry"
    return True, "lighttpd:latest was pushed to the internal registry (no spec tag, history item " \
                 f"{head.ref.split('@')[1][:19]}…)"


LESSON = Lesson("03", "Creating image streams", openshift_catalog, [
    Step("03.1", "Import an image",
         "Create the image stream nginx in your project by importing the nginx image from Docker Hub.",
         _imported, "oc import-image NAME --confirm imports NAME:latest into a new stream.",
         ["import-image nginx --confirm"]),
    Step("03.2", "An application from a container image",
         "Run gists/lighttpd as a DeploymentConfig with oc new-app, and look at which image it runs.",
         _new_app, "oc new-app IMAGE --as-deployment-config; then oc describe dc/lighttpd.",
         ["new-app gists/lighttpd --as-deployment-config"]),
    Step("03.3", "Clean up",
         "Delete everything in your project: applications, services, image streams.",
         _cleaned, "oc delete all --all", ["delete all --all"]),
    Step("03.4", "Push an image yourself",
         f"With docker: log in to the internal registry, pull gists/lighttpd, tag it as "
         f"{INTERNAL_REPO} and push it. The push creates the image stream.",
         _pushed,
         "docker login -u developer -p $(oc whoami -t) " + INTERNAL_REGISTRY
         + "; docker pull; docker tag SOURCE TARGET; docker push TARGET",
         [f"docker login -u developer -p $(oc whoami -t) {INTERNAL_REGISTRY}",
          "docker pull gists/lighttpd",
          f"docker tag gists/lighttpd {INTERNAL_REPO}",
          f"docker push {INTERNAL_REPO}"]),
])
