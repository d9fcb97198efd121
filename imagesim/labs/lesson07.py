"""Lesson 07: the explorer: find things out in a simulation's history, then change its future."""

from __future__ import annotations

from datetime import datetime

from ..clock import parse_rfc3339
from ..errors import ClockError
from ..scenarios import APP_IMAGE, scheduled_trigger
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON", "world"]

PROJECT = "myproject"


def world(seed: int = 0) -> Simulation:
    """scheduled_trigger with the Recreate strategy, two hours later: the broken build has been
    pushed, imported and rolled out, and the rollout has failed."""
    sim = scheduled_trigger(seed, strategy="Recreate")
    sim.advance("2h")
    return sim


def _rollout_time(sim: Simulation, revision: int) -> int | None:
    for event in sim.log:
        if event.kind == "rollout" and event.subject == f"{PROJECT}/web" and f"revision {revision} " in event.message:
            return event.time
    return None


def _broken_digest(sim: Simulation) -> str:
    return next(e.digest for e in sim.log if e.kind == "push" and e.subject == APP_IMAGE and e.warning)


def _as_time(sim: Simulation, answer: object) -> int | None:
    if isinstance(answer, datetime):
        try:
            return sim.clock.from_datetime(answer)
        except ClockError:
            return None
    if isinstance(answer, str):
        try:
            return sim.clock.from_datetime(parse_rfc3339(answer.strip()))
        except ClockError:
            return None
    if isinstance(answer, int) and not isinstance(answer, bool):
        return answer
    return None


def _when_down(sim: Simulation, answer: object) -> tuple[bool, str]:
    truth = _rollout_time(sim, 2)
    given = _as_time(sim, answer)
    if given is None:
        return False, "give a time: a datetime, an RFC 3339 string like 2025-03-04T08:15:00Z, or seconds"
    if abs(given - truth) <= 60:
        return True, f"right: web-2 started at {sim.clock.timestamp(truth)}, and Recreate scaled web-1 down first"
    direction = "too early" if given < truth else "too late"
    return False, f"{sim.clock.timestamp(given)} is {direction}: scrub the slider to when web-1's pods went away"


def _which_digest(sim: Simulation, answer: object) -> tuple[bool, str]:
    truth = _broken_digest(sim)
    text = str(answer).strip()
    if text.startswith("sha256:"):
        text = text[len("sha256:"):]
    if len(text) < 12:
        return False, "give at least the first 12 hex digits of the digest"
    if truth[len("sha256:"):].startswith(text):
        return True, f"right: web-2 ran {truth}"
    return False, "that is not the image web-2 ran (oc describe dc/web at that time, or the timeline)"


def _recovered(sim: Simulation) -> tuple[bool, str]:
    w = sim.cluster.workloads.get(("DeploymentConfig", PROJECT, "web"))
    svc = sim.cluster.services.get((PROJECT, "web"))
    if w is None or svc is None:
        return False, "dc/web or its service is missing"
    broken = _broken_digest(sim)
    rs = sim.cluster.latest_rs(w)
    if rs is None or rs.template.images()[0].endswith(broken):
        return False, "the latest rollout of dc/web still runs the broken image"
    serving = "serves again" if sim.cluster.available(svc) else "is starting its pods (advance the clock a minute)"
    return True, f"dc/web rolled back to a good image (revision {w.revision}) and {serving}"


LESSON = Lesson("07", "Exploring a simulation", world, [
    Step("07.1", "When did the service go down?",
         "With the Recreate strategy the service had no endpoints while web-2 tried to start. Find the "
         "moment it started (the explorer's time slider, the timeline, or oc get events), and answer "
         "with lab.check(\"07.1\", answer=<time>).",
         _when_down, "Recreate scales the old pods down when the new version's rollout starts.",
         ["rollout history dc/web", "get events"], expected=lambda sim: sim.clock.to_datetime(_rollout_time(sim, 2))),
    Step("07.2", "Which image broke it?",
         "Which digest did web-2 run? Answer with lab.check(\"07.2\", answer=\"sha256:…\") (12 hex digits are enough).",
         _which_digest, "oc describe dc/web shows the deployments; the timeline shows the broken push.",
         ["describe dc/web"], expected=_broken_digest),
    Step("07.3", "Recover for good",
         "Roll dc/web back to the last good version, then let a minute pass and check the service.",
         _recovered, "oc rollback web; then lab.sim.advance(\"1m\") and oc get pods.",
         ["rollback web"]),
])
