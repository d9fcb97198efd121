"""Lesson 04: an upstream push that breaks things: who breaks, who does not, and why."""

from __future__ import annotations

from ..scenarios import APP_IMAGE, broken_upstream
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON"]

PROJECT = "myproject"


def builds(sim: Simulation) -> list[str]:
    """What the upstream tag pointed at, oldest first (pushes, including scheduled ones done)."""
    return [e.digest for e in sim.log if e.kind == "push" and e.subject == APP_IMAGE]


def _deployment(sim: Simulation, name: str):
    return sim.cluster.workloads.get(("Deployment", PROJECT, name))


def _good(sim: Simulation) -> str:
    return builds(sim)[0]


def _protected(sim: Simulation) -> tuple[bool, str]:
    w = _deployment(sim, "direct")
    if w is None:
        return False, "the Deployment direct is gone: lab.goto(\"04.1\") starts over"
    if not any(t.from_name in ("lighttpd:latest", "lighttpd") for t in w.triggers):
        return False, "deploy/direct has no image trigger on lighttpd:latest yet"
    image = w.template.images()[0]
    if "@sha256:" not in image:
        return False, f"deploy/direct still runs {image}: the trigger has not resolved it"
    return True, f"deploy/direct now runs {image.split('@')[0]}@{image.split('@')[1][:19]}… through lighttpd:latest"


def _recovered(sim: Simulation) -> tuple[bool, str]:
    good = _good(sim)
    wrong = []
    for name in ("direct", "via-stream"):
        w = _deployment(sim, name)
        if w is None or not w.template.images() or not w.template.images()[0].endswith(good):
            wrong.append(name)
    stream = sim.server.find(PROJECT, "lighttpd")
    head = stream.head("latest") if stream else None
    if head is None or head.image != good:
        return False, "lighttpd:latest does not point at the last good image " + good[:19] + "…"
    if wrong:
        return False, "still on another image: " + ", ".join(f"deploy/{n}" for n in wrong)
    return True, "lighttpd:latest is back on " + good[:19] + "… and both Deployments follow it"


def _after_restart(sim: Simulation) -> str:
    sim.advance("3h")
    return ("Three hours passed: upstream pushed a broken latest after one hour, and after two "
            "hours a node reboot restarted every pod of both apps.")


def _bad_import(sim: Simulation) -> str:
    sim.oc("import-image lighttpd:latest")
    sim.advance("15m")
    return ("Someone ran oc import-image lighttpd:latest: the stream took the broken image, both "
            "triggers rolled out, and the new pods crash.")


def _rollback_commands(sim: Simulation) -> list[str]:
    return [f"tag lighttpd@{_good(sim)} lighttpd:latest"]


LESSON = Lesson("04", "Breaking upstream", broken_upstream, [
    Step("04.1", "Protect the direct app",
         "Before the broken push arrives, make deploy/direct run its image through the stream "
         "tag lighttpd:latest, like via-stream does.",
         _protected,
         "oc set triggers deploy/direct --from-image=lighttpd:latest -c direct: the trigger pins the "
         "pod template to the tag's digest.",
         ["set triggers deploy/direct --from-image=lighttpd:latest -c direct"]),
    Step("04.2", "Undo a bad import",
         "The stream imported the broken image and both apps rolled out onto it. Put lighttpd:latest "
         "back on the last good image; the triggers will follow.",
         _recovered,
         "oc describe is/lighttpd shows the history; oc tag lighttpd@sha256:<good> lighttpd:latest",
         _rollback_commands, before=lambda sim: _after_restart(sim) + "\n" + _bad_import(sim)),
])
