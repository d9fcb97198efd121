"""``oc adm prune images``: remove old history items (dry run unless ``--confirm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clock import parse_duration
from ..errors import ClockError, OcUsageError
from .flags import Flag

if TYPE_CHECKING:
    from .commands import Context

__all__ = ["ADM_FLAGS", "cmd_adm", "plan_prune"]

ADM_FLAGS = (
    Flag("keep-tag-revisions", "int"), Flag("keep-younger-than", "str"), Flag("confirm", "bool"),
    Flag("all", "bool"), Flag("prune-over-size-limit", "bool"), Flag("registry-url", "str"),
    Flag("prune-registry", "bool"), Flag("force-insecure", "bool"), Flag("ignore-invalid-refs", "bool"),
)


def plan_prune(sim, keep_revisions: int, keep_younger: int) -> list[tuple[object, str, int]]:
    """(stream, tag, index) of every history item ``oc adm prune images`` would remove."""
    now = sim.clock.now
    doomed = []
    for stream in sim.server.streams():
        if now - stream.created < keep_younger:
            continue
        for tag in sorted(stream.status):
            for index, item in enumerate(stream.status[tag].items):
                if now - item.created < keep_younger or index < keep_revisions:
                    continue
                doomed.append((stream, tag, index))
    return doomed


def cmd_adm(ctx: Context, args: list[str]) -> None:
    if args[:2] != ["prune", "images"] or len(args) != 2:
        raise OcUsageError("imagesim supports 'oc adm prune images' only")
    values = ctx.values
    keep = values.get("keep-tag-revisions", 3)
    if keep < 0:
        raise OcUsageError("--keep-tag-revisions must be greater than or equal to 0")
    try:
        younger = parse_duration(values.get("keep-younger-than", "60m"), what="--keep-younger-than")
    except ClockError as err:
        raise OcUsageError(str(err)) from None
    sim = ctx.sim
    doomed = plan_prune(sim, keep, younger)
    confirm = bool(values.get("confirm"))
    if not confirm:
        ctx.out.error("Dry run enabled - no modifications will be made. Add --confirm to remove images", code=0)
    if not doomed:
        ctx.out.print("Summary: deleted 0 objects")
        return
    rows = ["REPO\tIMAGE"]
    removed: dict = {}
    for stream, tag, index in doomed:
        item = stream.status[tag].items[index]
        rows.append(f"{stream.status_repository}\t{item.image or item.ref}")
        removed.setdefault((stream.key, tag), []).append(index)
    from .tabwriter import table

    ctx.out.write(table([r.split("\t") for r in rows]))
    if confirm:
        digests = set()
        for stream, tag, index in sorted(doomed, key=lambda d: (d[0].key, d[1], -d[2])):
            item = stream.status[tag].items.pop(index)
            if item.image:
                digests.add(item.image)
        still_used = {i.image for s in sim.server.streams() for h in s.status.values() for i in h.items}
        for digest in sorted(digests - still_used):
            sim.server.images.pop(digest, None)
        for (key, tag), indexes in removed.items():
            sim.log.append(sim.clock.now, "pruned", f"{key[0]}/{key[1]}:{tag}", namespace=key[0],
                           message=f"Pruned {len(indexes)} old image(s) from tag {tag}")
    ctx.out.print(f"Summary: deleted {len(doomed)} objects")
