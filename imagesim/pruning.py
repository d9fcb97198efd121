"""Image pruning: which old history items and images ``oc adm prune images`` removes.

Per tag, a history item is kept when it is younger than ``keep_younger`` seconds, when its index
is below ``keep_revisions``, or when its image is in use by a workload; streams younger than
``keep_younger`` keep everything. An image is pruned when no kept item anywhere refers to it;
then every history item that refers to it goes. A tag left without items is deleted from status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PrunePlan", "apply_plan", "plan_prune"]


@dataclass
class PrunePlan:
    """What pruning would do: images to delete, and per stream the tags updated or deleted."""

    images: list[str] = field(default_factory=list)
    streams: list[tuple[object, list[str], list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.images


def plan_prune(sim, keep_revisions: int = 3, keep_younger: int = 3600,
               in_use: set[str] | frozenset[str] = frozenset()) -> PrunePlan:
    now = sim.clock.now
    kept: set[str] = set(in_use)
    candidates: dict[str, None] = {}
    streams = sim.server.streams()
    for stream in streams:
        young_stream = now - stream.created < keep_younger
        for tag in sorted(stream.status):
            for index, item in enumerate(stream.status[tag].items):
                if not item.image:
                    continue
                if young_stream or now - item.created < keep_younger or index < keep_revisions:
                    kept.add(item.image)
                else:
                    candidates.setdefault(item.image, None)
    doomed = sorted(d for d in candidates if d not in kept)
    plan = PrunePlan(images=doomed)
    gone = set(doomed)
    for stream in streams:
        updated, deleted = [], []
        for tag in sorted(stream.status):
            items = stream.status[tag].items
            left = [i for i in items if i.image not in gone]
            if len(left) == len(items):
                continue
            (updated if left else deleted).append(tag)
        if updated or deleted:
            plan.streams.append((stream, updated, deleted))
    return plan


def apply_plan(sim, plan: PrunePlan) -> None:
    gone = set(plan.images)
    for stream, updated, deleted in plan.streams:
        for tag in updated + deleted:
            history = stream.status[tag]
            removed = sum(1 for i in history.items if i.image in gone)
            history.items = [i for i in history.items if i.image not in gone]
            if not history.items:
                del stream.status[tag]
            sim.log.append(sim.clock.now, "pruned", f"{stream.namespace}/{stream.name}:{tag}",
                           namespace=stream.namespace,
                           message=f"Pruned {removed} old image(s) from tag {tag}")
        sim.server._bump(stream)
    for digest in plan.images:
        sim.server.images.pop(digest, None)
