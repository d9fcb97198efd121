"""``oc adm prune images``: remove old history items (dry run unless ``--confirm``); and
``oc adm cordon|uncordon|drain NODE``: take a node out of service and back.

Drain checks before it changes anything: a pod that no controller owns (a standalone pod) is
only deleted with ``--force`` (kubectl also cordons the node before it refuses; here a refused
drain changes nothing). Deployer pods are left to finish. Evicted pods are Terminating when the
command returns (time does not pass inside a command); their RCs/RSs have made replacements on
the other nodes, or Pending ones when every node is cordoned."""

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
    Flag("force", "bool"), Flag("ignore-daemonsets", "bool"), Flag("delete-emptydir-data", "bool"),
    Flag("grace-period", "int"), Flag("timeout", "str"),
)
_PRUNE_ONLY = ("keep-tag-revisions", "keep-younger-than", "confirm", "all", "prune-over-size-limit", "registry-url",
               "prune-registry", "force-insecure", "ignore-invalid-refs")
_DRAIN_ONLY = ("force", "ignore-daemonsets", "delete-emptydir-data", "grace-period", "timeout")


def cmd_adm(ctx: Context, args: list[str]) -> None:
    if args and args[0] in ("cordon", "uncordon", "drain"):
        _node_command(ctx, args[0], args[1:])
        return
    if args[:2] != ["prune", "images"] or len(args) != 2:
        raise OcUsageError("imagesim supports 'oc adm prune images' and 'oc adm cordon|uncordon|drain NODE' only")
    for name in _DRAIN_ONLY:
        if name in ctx.values:
            raise OcUsageError(f"unknown flag: --{name}")
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


def _node_command(ctx: Context, verb: str, args: list[str]) -> None:
    from ..errors import NotFound
    from ..rollouts import cordon, drain, drain_pods, uncordon
    from .flags import OcError

    for name in _PRUNE_ONLY + (_DRAIN_ONLY if verb != "drain" else ()):
        if name in ctx.values:
            raise OcUsageError(f"unknown flag: --{name}")
    if not args:
        raise OcUsageError("USAGE: oc adm " + verb + " NODE [flags]")
    if len(args) > 1 and verb != "drain":
        raise OcUsageError(f"only one node may be given to {verb}: got {', '.join(args)}")
    sim = ctx.sim
    for node in args:
        if node not in sim.cluster.kubelet.nodes:
            raise NotFound(f'nodes "{node}" not found')
    if verb == "cordon":
        word = "cordoned" if cordon(sim, args[0]) else "already cordoned"
        ctx.out.print(f"node/{args[0]} {word}")
        return
    if verb == "uncordon":
        word = "uncordoned" if uncordon(sim, args[0]) else "already uncordoned"
        ctx.out.print(f"node/{args[0]} {word}")
        return
    force = bool(ctx.values.get("force"))
    plans = []
    for node in args:
        pods = drain_pods(sim, node)
        bare = [p for p in pods if not p.owner]
        if bare and not force:
            names = ", ".join(f"{p.namespace}/{p.name}" for p in bare)
            raise OcError(f'unable to drain node "{node}" due to error: cannot delete Pods declare no controller '
                          f"(use --force to override): {names}")
        plans.append((node, pods, bare))
    for node, pods, bare in plans:
        already = node in sim.cluster.kubelet.cordoned
        ctx.out.print(f"node/{node} {'already cordoned' if already else 'cordoned'}")
        if bare:
            ctx.out.error("Warning: deleting Pods that declare no controller: "
                          + ", ".join(f"{p.namespace}/{p.name}" for p in bare), code=0)
        for pod in pods:
            ctx.out.print(f"evicting pod {pod.namespace}/{pod.name}")
        drain(sim, node)
        for pod in pods:
            ctx.out.print(f"pod/{pod.name} evicted")
        ctx.out.print(f"node/{node} drained")
