"""Lesson 02: version history: imports over time, aliases and snapshots, rolling back, pruning."""

from __future__ import annotations

from ..imagestream import ImageStream
from ..reference import ImageReference
from ..scenarios import openshift_catalog
from ..simulation import Simulation
from . import Lesson, Step

__all__ = ["LESSON", "UPSTREAM"]

UPSTREAM = "quay.io/centos7/mongodb-36-centos7:latest"
PROJECT = "myproject"


def _stream(sim: Simulation) -> ImageStream | None:
    return sim.server.find(PROJECT, "db")


def upstream_digests(sim: Simulation) -> list[str]:
    """The digests the upstream tag pointed at, oldest first."""
    subject = "quay.io/centos7/mongodb-36-centos7:latest"
    return [e.digest for e in sim.log if e.kind == "push" and e.subject == subject]


def _tracks_upstream(sim: Simulation) -> tuple[bool, str]:
    stream = _stream(sim)
    if stream is None:
        return False, 'there is no image stream "db" in myproject yet (oc get is)'
    ref = stream.spec.get("3.6")
    if ref is None:
        return False, 'the stream "db" has no tag "3.6" yet'
    if ref.from_kind != "DockerImage" or ref.reference:
        return False, f'db:3.6 comes from {ref.from_kind} "{ref.from_name}", not from the upstream registry'
    try:
        source = ImageReference.parse_normalized(ref.from_name).normalized
    except ValueError:
        source = ref.from_name
    if source != ImageReference.parse_normalized(UPSTREAM).normalized:
        return False, f'db:3.6 imports "{ref.from_name}", but the task asks for {UPSTREAM}'
    if stream.head("3.6") is None:
        return False, "db:3.6 has no image yet: the import failed or has not run"
    return True, f"db:3.6 imports {ref.from_name} and points at {stream.head('3.6').image[:19]}…"


def _reimported(sim: Simulation) -> tuple[bool, str]:
    ok, message = _tracks_upstream(sim)
    if not ok:
        return ok, message
    stream = _stream(sim)
    latest = upstream_digests(sim)[-1]
    head = stream.head("3.6")
    if head.image != latest:
        return False, (f"db:3.6 still points at {head.image[:19]}…, upstream is at {latest[:19]}…: "
                       "import it again")
    count = len(stream.status["3.6"].items)
    return True, f"db:3.6 now points at the new build; its history has {count} items"


def _alias_and_snapshot(sim: Simulation) -> tuple[bool, str]:
    stream = _stream(sim)
    if stream is None:
        return False, 'there is no image stream "db" in myproject'
    latest = stream.spec.get("latest")
    if latest is None:
        return False, 'db has no tag "latest" yet'
    if latest.from_kind != "ImageStreamTag" or latest.from_name not in ("3.6", "db:3.6"):
        return False, f'db:latest comes from {latest.from_kind or "nothing"} "{latest.from_name}": it should track db:3.6 (--alias)'
    stable = stream.spec.get("stable")
    if stable is None:
        return False, 'db has no tag "stable" yet'
    head = stream.head("3.6")
    if stable.from_kind != "ImageStreamImage":
        return False, (f'db:stable comes from {stable.from_kind} "{stable.from_name}": a snapshot is tagged '
                       "from the image (oc tag db:3.6 db:stable, without --alias)")
    if head is None or not stable.from_name.endswith(head.image):
        return False, "db:stable is a snapshot, but not of the image db:3.6 points at now"
    return True, "db:latest follows db:3.6; db:stable is pinned to " + head.image[:19] + "…"


def _broken_imported(sim: Simulation) -> tuple[bool, str]:
    stream = _stream(sim)
    broken = upstream_digests(sim)[-1]
    if stream is None or stream.head("3.6") is None:
        return False, "db:3.6 is missing"
    if stream.head("3.6").image != broken:
        return False, "db:3.6 does not point at the newest upstream build yet: re-import it"
    moved = sorted(t for t in stream.status if stream.head(t) and stream.head(t).image == broken)
    return True, f"the new build reached {', '.join('db:' + t for t in moved)}; db:stable stayed where it was"


def _rolled_back(sim: Simulation) -> tuple[bool, str]:
    stream = _stream(sim)
    digests = upstream_digests(sim)
    if len(digests) < 3:
        return False, "the broken build has not arrived yet: lab.goto(\"02.4\") first"
    good, broken = digests[-2], digests[-1]
    head = stream.head("3.6") if stream else None
    if head is None:
        return False, "db:3.6 is missing"
    if head.image == broken:
        return False, f"db:3.6 still points at the broken build {broken[:19]}…"
    if head.image != good:
        return False, f"db:3.6 points at {head.image[:19]}…, but the build before the broken one is {good[:19]}…"
    return True, f"db:3.6 is back on {good[:19]}…; the broken build is still in its history"


def _pruned(sim: Simulation) -> tuple[bool, str]:
    stream = _stream(sim)
    broken = upstream_digests(sim)[-1]
    if stream is None:
        return False, "db is missing"
    left = [t for t, h in stream.status.items() if any(i.image == broken for i in h.items)]
    if left:
        return False, f"the broken image is still in the history of {', '.join('db:' + t for t in sorted(left))}"
    return True, "the broken build and the oldest one are gone from the history and from the cluster"


def _before_reimport(sim: Simulation) -> str:
    sim.advance("3d")
    digest = sim.push(UPSTREAM)
    sim.advance("1h")
    return (f"Three days later the maintainers pushed a new build: {UPSTREAM} now points at "
            f"{digest}. Nothing in the cluster changed yet.")


def _before_broken(sim: Simulation) -> str:
    sim.advance("1d")
    digest = sim.push(UPSTREAM, broken=True)
    sim.advance("1h")
    return (f"A day later another build was pushed: {UPSTREAM} is now {digest}. "
            "It will turn out to be broken.")


def _rollback_commands(sim: Simulation) -> list[str]:
    digests = upstream_digests(sim)
    if len(digests) < 3:  # asked before the broken build arrived
        return ["tag db@sha256:<digest of the build before the broken one> db:3.6"]
    return [f"tag db@{digests[-2]} db:3.6"]


LESSON = Lesson("02", "Version history", openshift_catalog, [
    Step("02.1", "Track an upstream tag",
         f"In your project, create the tag db:3.6 that imports {UPSTREAM}.",
         _tracks_upstream,
         "oc tag needs --source=docker when the source has no registry host it can recognise; "
         "this one has (quay.io), so `oc tag SOURCE db:3.6` works too.",
         [f"tag --source=docker {UPSTREAM} db:3.6"]),
    Step("02.2", "Re-import after an upstream push",
         "Upstream has moved on. Bring db:3.6 up to date, and look at its history.",
         _reimported, "oc import-image STREAM:TAG looks at the tag's source again.",
         ["import-image db:3.6"], before=_before_reimport),
    Step("02.3", "An alias and a snapshot",
         "Make db:latest follow db:3.6 wherever it goes, and db:stable a snapshot of the image "
         "db:3.6 points at now.",
         _alias_and_snapshot,
         "oc tag --alias SOURCE DEST makes DEST track SOURCE; without --alias, oc tag copies the "
         "image SOURCE points at now.",
         ["tag --alias db:3.6 db:latest", "tag db:3.6 db:stable"]),
    Step("02.4", "A broken build arrives",
         "Re-import db:3.6 again. Which tags moved, and which did not?",
         _broken_imported, "The same command as in 02.2.", ["import-image db:3.6"], before=_before_broken),
    Step("02.5", "Roll the tag back",
         "Point db:3.6 back at the build it had before the broken one, by digest, with oc tag.",
         _rolled_back,
         "oc describe is/db lists the history; `oc tag db@sha256:<digest> db:3.6` tags an image of "
         "the stream by its digest (a prefix of it is enough for oc get isimage, not for oc tag).",
         _rollback_commands),
    Step("02.6", "Prune the history",
         "Remove old revisions: keep one per tag, however young they are "
         "(oc adm prune images; add --confirm to really remove them).",
         _pruned,
         "--keep-tag-revisions=1 --keep-younger-than=0s; run it once without --confirm to see the plan.",
         ["adm prune images --keep-tag-revisions=1 --keep-younger-than=0s --confirm"]),
])
