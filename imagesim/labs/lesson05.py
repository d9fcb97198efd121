"""Lesson 05: image-change triggers and scheduled imports; manual triggers, rollback, re-enabling."""

from __future__ import annotations

from ..scenarios import openshift_catalog
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON", "UPSTREAM"]

UPSTREAM = "docker.io/gists/lighttpd:latest"
PROJECT = "myproject"


def builds(sim: Simulation) -> list[str]:
    """The digests the upstream tag pointed at, oldest first."""
    return [e.digest for e in sim.log if e.kind == "push" and e.subject == UPSTREAM]


def _dc(sim: Simulation):
    return sim.cluster.workloads.get(("DeploymentConfig", PROJECT, "web"))


def _image_of_latest_rc(sim: Simulation) -> str:
    w = _dc(sim)
    rs = sim.cluster.latest_rs(w) if w else None
    return rs.template.images()[0] if rs and rs.template.images() else ""


def _scheduled(sim: Simulation) -> tuple[bool, str]:
    stream = sim.server.find(PROJECT, "web")
    ref = stream.spec.get("latest") if stream else None
    if ref is None:
        return False, "there is no tag web:latest in myproject yet"
    if ref.from_kind != "DockerImage" or "gists/lighttpd" not in ref.from_name:
        return False, f"web:latest comes from {ref.from_kind} {ref.from_name!r}, not from gists/lighttpd"
    if not ref.scheduled:
        return False, "web:latest is imported once, not on a schedule (--scheduled)"
    return True, "web:latest is re-imported every 15 minutes from " + ref.from_name


def _triggered(sim: Simulation) -> tuple[bool, str]:
    w = _dc(sim)
    if w is None:
        return False, 'there is no DeploymentConfig "web" yet'
    triggers = [t for t in w.triggers if t.from_name in ("web:latest", "web")]
    if not triggers:
        return False, "dc/web has no image trigger on web:latest"
    if not all(t.automatic for t in triggers):
        return False, "the image trigger of dc/web is manual"
    if w.revision < 1:
        return False, "dc/web has not rolled out yet"
    return True, f"dc/web runs revision {w.revision}, triggered by web:latest"


def _manual(sim: Simulation) -> tuple[bool, str]:
    w = _dc(sim)
    if w is None or not w.triggers:
        return False, "dc/web or its image trigger is missing"
    if any(t.automatic for t in w.triggers):
        return False, "the image trigger of dc/web is still automatic"
    return True, "dc/web no longer rolls out by itself when web:latest changes"


def _rolled_out_by_hand(sim: Simulation) -> tuple[bool, str]:
    broken = builds(sim)[-1]
    image = _image_of_latest_rc(sim)
    if not image.endswith(broken):
        return False, "the latest rollout of dc/web does not run the newly imported image yet"
    return True, f"revision {_dc(sim).revision} runs the new image (it crashes: watch oc get pods)"


def _rolled_back(sim: Simulation) -> tuple[bool, str]:
    all_builds = builds(sim)
    if len(all_builds) < 3:
        return False, "the broken build has not arrived yet"
    good, broken = all_builds[-2], all_builds[-1]
    image = _image_of_latest_rc(sim)
    if image.endswith(broken):
        return False, "the latest rollout still runs the broken image"
    if not image.endswith(good):
        return False, "the latest rollout does not run the last good image"
    return True, f"dc/web is back on the last good image in revision {_dc(sim).revision}"


def _reenabled(sim: Simulation) -> tuple[bool, str]:
    w = _dc(sim)
    fixed = builds(sim)[-1]
    if w is None or not w.triggers or not all(t.automatic for t in w.triggers):
        return False, "the image trigger of dc/web is not automatic again"
    if not _image_of_latest_rc(sim).endswith(fixed):
        return False, "dc/web has not rolled forward to the fixed build (has web:latest imported it?)"
    return True, f"dc/web follows web:latest again and runs the fixed build (revision {w.revision})"


def _before_good(sim: Simulation) -> str:
    sim.advance("10m")
    digest = sim.push(UPSTREAM)
    sim.advance("20m")
    return (f"Upstream pushed a new build ({digest[:19]}…); 20 minutes passed, so the scheduled "
            "import has seen it.")


def _before_broken(sim: Simulation) -> str:
    sim.advance("1h")
    digest = sim.push(UPSTREAM, broken=True)
    sim.advance("20m")
    return f"Upstream pushed another build ({digest[:19]}…); 20 minutes passed."


def _before_fixed(sim: Simulation) -> str:
    sim.advance("1h")
    digest = sim.push(UPSTREAM)
    sim.advance("20m")
    return f"Upstream pushed a fixed build ({digest[:19]}…); 20 minutes passed."


def _wait_for_failure(sim: Simulation) -> str:
    sim.advance("15m")
    return "15 minutes passed: the rollout of the broken image hit its 10-minute timeout."


LESSON = Lesson("05", "Triggers and scheduled imports", openshift_catalog, [
    Step("05.1", "Import on a schedule",
         f"Create web:latest in your project from {UPSTREAM}, re-imported every 15 minutes.",
         _scheduled, "oc tag --source=docker SOURCE DEST --scheduled",
         ["tag --source=docker gists/lighttpd:latest web:latest --scheduled"]),
    Step("05.2", "An automatic image trigger",
         "Run web:latest as the DeploymentConfig web (oc new-app … --as-deployment-config).",
         _triggered, "oc new-app web:latest --as-deployment-config makes an automatic trigger on web:latest.",
         ["new-app web:latest --as-deployment-config"]),
    Step("05.3", "Make the trigger manual",
         "Upstream has moved and dc/web followed on its own. Make its triggers manual, so that "
         "nothing rolls out without you.",
         _manual, "oc set triggers dc/web --manual", ["set triggers dc/web --manual"], before=_before_good),
    Step("05.4", "Roll out by hand",
         "Another build was imported; dc/web did not follow. Roll it out yourself.",
         _rolled_out_by_hand, "oc rollout latest dc/web resolves every image trigger, automatic or not.",
         ["rollout latest dc/web"], before=_before_broken),
    Step("05.5", "Roll back",
         "The new build crashes and the rollout failed. Go back to the last good deployment.",
         _rolled_back, "oc rollback web (it also switches the image triggers to manual)",
         ["rollback web"], before=_wait_for_failure),
    Step("05.6", "Follow upstream again",
         "A fixed build is out and imported. Make dc/web follow web:latest again.",
         _reenabled, "oc set triggers dc/web --auto re-enables the triggers and rolls forward if needed.",
         ["set triggers dc/web --auto"], before=_before_fixed),
])
