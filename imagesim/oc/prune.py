"""``oc adm prune images``: remove old history items (dry run unless ``--confirm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clock import parse_duration
from ..errors import ClockError, OcUsageError
from ..pruning import apply_plan, plan_prune
from .flags import Flag
from .tabwriter import tabwrite

if TYPE_CHECKING:
    from .commands import Context

__all__ = ["ADM_FLAGS", "cmd_adm"]

ADM_FLAGS = (
    Flag("keep-tag-revisions", "int"), Flag("keep-younger-than", "str"), Flag("confirm", "bool"),
    Flag("all", "bool"), Flag("prune-over-size-limit", "bool"), Flag("registry-url", "str"),
    Flag("prune-registry", "bool"), Flag("force-insecure", "bool"), Flag("ignore-invalid-refs", "bool"),
)


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
    plan = plan_prune(sim, keep, younger, sim.images_in_use())
    confirm = bool(values.get("confirm"))
    if not confirm:
        ctx.out.error("Dry run enabled - no modifications will be made. Add --confirm to remove images", code=0)
    if plan.empty:
        return
    lines = ["Deleting references from image streams to images ...", "STREAM\tACTION\tTAGS"]
    for stream, updated, deleted in plan.streams:
        if updated:
            lines.append(f"{stream.namespace}/{stream.name}\tUpdated\t{', '.join(updated)}")
        if deleted:
            lines.append(f"{stream.namespace}/{stream.name}\tDeleted\t{', '.join(deleted)}")
    lines += ["", "Deleting images from server ...", "IMAGE"] + plan.images
    ctx.out.write(tabwrite("\n".join(lines), minwidth=10, tabwidth=4, padding=3, padchar=" ") + "\n")
    if confirm:
        apply_plan(sim, plan)
