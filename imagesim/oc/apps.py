"""``oc new-app``, ``oc create deployment``, ``oc rollout …``, ``oc rollback`` and ``oc set
triggers|image-lookup``: the application commands, with the real ``oc`` messages.

The work is done by :mod:`imagesim.rollouts` and :class:`imagesim.cluster.Cluster`; this module
parses arguments, checks them before anything changes, and prints. Time never passes inside a
command: ``oc rollout status`` reports the rollout as it stands now (one ``Waiting for …`` line
while it is still going, like ``--watch=false``); ``sim.advance("5m")`` moves the clock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..clock import human_duration
from ..errors import Invalid, InvalidReference, NotFound, OcUsageError, invalid_text
from ..imagestream import TagReference, resolve_reference
from ..importer import upstream_key
from ..reference import DockerImageReference
from ..registry import RegistryUnavailable
from ..rollouts import (
    RolloutError,
    plural,
    cancel,
    history_rows,
    pause,
    resume,
    retry,
    rollback,
    rollback_target,
    rollout_latest,
    rollout_status,
    set_image_lookup,
    set_triggers,
    trigger_definition,
    undo,
    update_definition,
)
from ..workload_manifests import _name_errors as name_errors  # (the server's check of metadata.name)
from ..workloads import (
    MAX_REPLICAS,
    Container,
    Deployment,
    DeploymentConfig,
    ImageChangeTrigger,
    PodTemplate,
    Service,
    Workload,
)
from . import help as helptext
from .flags import Flag, OcError
from .tabwriter import describe_tabs, tabwrite

if TYPE_CHECKING:
    from .commands import Context

__all__ = [
    "CREATE_FLAGS",
    "NEW_APP_FLAGS",
    "ROLLBACK_FLAGS",
    "ROLLOUT_FLAGS",
    "SET_FLAGS",
    "cmd_create",
    "cmd_new_app",
    "cmd_rollback",
    "cmd_rollout",
    "cmd_set",
]

GENERATED_BY = "openshift.io/generated-by"
DEFAULT_PORT = 8080
_DC = ("dc", "deploymentconfig", "deploymentconfigs", "deploymentconfig.apps.openshift.io",
       "deploymentconfigs.apps.openshift.io")
_DEPLOY = ("deploy", "deployment", "deployments", "deployment.apps", "deployments.apps")
_RC = ("rc", "replicationcontroller", "replicationcontrollers")
_IS = ("is", "imagestream", "imagestreams", "imagestream.image.openshift.io", "imagestreams.image.openshift.io")
_KINDS = {**{a: "DeploymentConfig" for a in _DC}, **{a: "Deployment" for a in _DEPLOY},
          **{a: "ReplicationController" for a in _RC}, **{a: "ImageStream" for a in _IS}}
_PLURAL = {"DeploymentConfig": "deploymentconfigs", "Deployment": "deployments",
           "ReplicationController": "replicationcontrollers", "ImageStream": "imagestreams"}
_APP_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_NO_RESOURCES = ("You must provide one or more resources by argument or filename.\n"
                 "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                 "   '<resource> <name>'\n   '<resource>'")


def _run(fn, *args, **kwargs):
    """Call an engine function; its refusals become ``error: …`` lines."""
    try:
        return fn(*args, **kwargs)
    except RolloutError as err:
        raise OcError(err.message) from None


def _kind(text: str) -> str:
    kind = _KINDS.get(text.lower())
    if kind is None:
        from .commands import resource

        try:
            resource(text)
        except OcUsageError as err:  # the server's "doesn't have a resource type" (no usage hint)
            raise OcError(err.message) from None
        raise OcError(f'{text} is not supported here: use dc/NAME or deployment/NAME')
    return kind


def _targets(args: list[str], usage: str) -> list[tuple[str, str]]:
    """``TYPE/NAME …`` or ``TYPE NAME …`` into [(kind, name)]."""
    if not args:
        raise OcError(usage)
    if "/" in args[0]:
        out = []
        for arg in args:
            kind, sep, name = arg.partition("/")
            if not sep or not name:
                raise OcError("there is no need to specify a resource type as a separate argument when passing "
                              "arguments in resource/name form (e.g. 'oc get resource/<resource_name>' instead "
                              "of 'oc get resource resource/<resource_name>'")
            out.append((_kind(kind), name))
        return out
    kind = _kind(args[0])
    if len(args) == 1:
        raise OcError("resource(s) were provided, but no name was specified")
    return [(kind, name) for name in args[1:]]


def _workload(ctx: Context, kind: str, name: str) -> Workload:
    ctx.sim.server.require_namespace(ctx.namespace)
    return ctx.sim.cluster.workload(kind, ctx.namespace, name)


def _only(values: dict, allowed: tuple[str, ...]) -> None:
    for name in values:
        if name not in allowed and name not in ("namespace", "help"):
            raise OcUsageError(f"unknown flag: --{name}")


def _printed(w: Workload) -> str:
    return f"{w.resource}/{w.name}"


# -------------------------------------------------------------------------------------------
# oc new-app

NEW_APP_FLAGS = (Flag("name", "str"), Flag("as-deployment-config", "bool"), Flag("image", "list"),
                 Flag("docker-image", "list"), Flag("image-stream", "list", "i"))
_NOT_FOUND_HINT = """
Argument '{0}' was classified as an image, image~source, or loaded template reference.

The 'oc new-app' command will match arguments to the following types:

  1. Images tagged into image streams in the current project or the 'openshift' project
     - if you don't specify a tag, we'll add ':latest'
  2. Images in the container storage, on remote registries, or on the local container engine
  3. Templates in the current project or the 'openshift' project
  4. Git repository URLs or local paths that point to Git repositories

--allow-missing-images can be used to point to an image that does not exist yet.

See 'oc new-app -h' for examples."""


def _not_found(ctx: Context, text: str, where: str) -> None:
    ctx.out.error(f'error: unable to locate any {where} with name "{text}"')
    ctx.out.error(_NOT_FOUND_HINT.format(text))


def _locate(ctx: Context, text: str, mode: str):
    """("stream", stream, tag, head) or ("docker", ref, Image); None when nothing matches."""
    server = ctx.sim.server
    try:
        ref = DockerImageReference.parse(text)
    except ValueError:
        return None
    if mode in ("auto", "stream") and not ref.registry and not ref.id and ref.name:
        tag = ref.tag or "latest"
        for namespace in ([ref.namespace] if ref.namespace else [ctx.namespace, "openshift"]):
            stream = server.find(namespace, ref.name)
            head = stream.head(tag) if stream is not None else None
            if head is not None and head.image:
                return ("stream", stream, tag, head)
    if mode == "stream":
        return None
    try:
        host, path, tag, digest = upstream_key(text)
        image = ctx.sim.registry(host).resolve(path, tag, digest, t=ctx.now)
    except (ValueError, NotFound, RegistryUnavailable, InvalidReference):
        return None
    return ("docker", ref, image)


def cmd_new_app(ctx: Context, args: list[str]) -> None:
    values, sim, out = ctx.values, ctx.sim, ctx.out
    components = [(a, "auto") for a in args]
    components += [(v, "docker") for v in values.get("image", []) + values.get("docker-image", [])]
    components += [(v, "stream") for v in values.get("image-stream", [])]
    if not components:
        raise OcError("You must specify one or more images, image streams, templates, or source code locations "
                      "to create an application.")
    if len(components) > 1:
        raise OcError("imagesim's new-app creates one application per command: pass one image or image stream")
    if any(a.startswith(("http://", "https://", "git@")) or "~" in a for a, _ in components):
        raise OcError("builds from source are not simulated by imagesim: pass an image or an image stream tag")
    sim.server.require_namespace(ctx.namespace)
    text, mode = components[0]
    found = _locate(ctx, text, mode)
    if found is None:
        where = ("images in image streams" if mode == "stream" else
                 "images in image streams, templates loaded in accessible projects, template files, "
                 "local docker images")
        _not_found(ctx, text, where)
        return
    namespace = ctx.namespace
    as_dc = bool(values.get("as-deployment-config"))
    if found[0] == "stream":
        _, stream, tag, head = found
        default_name = stream.name
        image = sim.server.images.get(head.image)
        created = image.created if image is not None else head.created
        located = (f'Found image {head.image.partition(":")[2][:7]} ({human_duration(ctx.now - created)} old) '
                   f'in image stream "{stream.namespace}/{stream.name}" under tag "{tag}" for "{text}"')
    else:
        _, ref, image = found
        default_name = ref.name.rsplit("/", 1)[-1]
        registry = ref.registry or "Docker Hub"
        located = (f"Found container image {image.digest.partition(':')[2][:7]} "
                   f'({human_duration(ctx.now - image.created)} old) from {registry} for "{text}"')
    name = values.get("name") or default_name
    if not _APP_NAME.match(name) or len(name) > 58:
        raise OcError(f"invalid name: {name}. Must be an a lowercase alphanumeric (a-z, and 0-9) string with a "
                      "maximum length of 58 characters, where the first character is a letter (a-z), and the '-' "
                      "character is allowed anywhere except the first or last character.")
    labels = {"app": name, "app.kubernetes.io/component": name, "app.kubernetes.io/instance": name}
    if mode == "stream":
        labels["app.kubernetes.io/name"] = found[1].name
    kind = "DeploymentConfig" if as_dc else "Deployment"
    existing = []
    if found[0] == "docker" and sim.server.find(namespace, name) is not None:
        existing.append(f'imagestreams.image.openshift.io "{name}"')
    if (kind, namespace, name) in sim.cluster.workloads:
        existing.append(f'{"deploymentconfigs.apps.openshift.io" if as_dc else "deployments.apps"} "{name}"')
    if (namespace, name) in sim.cluster.services:
        existing.append(f'services "{name}"')
    if existing:
        for what in existing:
            out.error(f"error: {what} already exists")
        return
    # the trigger source, and what it resolves to
    if found[0] == "stream":
        stream, tag = found[1], found[2]
        istag, istag_ns = f"{stream.name}:{tag}", stream.namespace
        image_ref = resolve_reference(stream, tag, found[3])
    else:
        tag = found[1].tag or "latest"
        istag, istag_ns = f"{name}:{tag}", namespace
        image_ref = ""
    out.print(f"--> {located}")
    out.print()
    if found[0] == "docker":
        out.print(f'    * An image stream tag will be created as "{istag}" that will track this image')
    if as_dc:
        out.print(f'    * This image will be deployed in deployment config "{name}"')
        out.print(f'    * Port {DEFAULT_PORT}/tcp will be load balanced by service "{name}"')
        out.print(f'      * Other containers can access this service through the hostname "{name}"')
    out.print()
    out.print("--> Creating resources ...")
    if found[0] == "docker":
        spec = [TagReference(tag, "DockerImage", text, annotations={"openshift.io/imported-from": text})]
        created_stream = sim.server.create(namespace, name, spec, labels=dict(labels),
                                           annotations={GENERATED_BY: "OpenShiftNewApp"})
        sim._settle()
        head = created_stream.head(tag)
        image_ref = resolve_reference(created_stream, tag, head) if head is not None else " "
        out.print(f'    imagestream.image.openshift.io "{name}" created')
    selector_key = "deploymentconfig" if as_dc else "deployment"
    template = PodTemplate({selector_key: name}, {GENERATED_BY: "OpenShiftNewApp"},
                           [Container(name, image_ref or " ", ports=[DEFAULT_PORT])])
    source_ns = "" if istag_ns == namespace else istag_ns
    if as_dc:
        w = DeploymentConfig(namespace, name, ctx.now, labels=dict(labels),
                             annotations={GENERATED_BY: "OpenShiftNewApp"}, selector={selector_key: name},
                             template=template, config_change=True,
                             triggers=[ImageChangeTrigger(istag, source_ns, [name], True)])
    else:
        from ..cluster import TRIGGERS_ANNOTATION, annotation_text

        trigger = ImageChangeTrigger(istag, source_ns,
                                     field_path=f'spec.template.spec.containers[?(@.name=="{name}")].image')
        w = Deployment(namespace, name, ctx.now, labels=dict(labels),
                       annotations={GENERATED_BY: "OpenShiftNewApp",
                                    TRIGGERS_ANNOTATION: annotation_text([trigger], namespace)},
                       selector={selector_key: name}, template=template)
    sim.cluster.create(w)
    out.print(f'    {w.resource} "{name}" created')
    sim.cluster.create_service(Service(namespace, name, {selector_key: name}, [DEFAULT_PORT], ctx.now))
    from ..workload_manifests import set_extra_meta

    set_extra_meta(sim, "Service", namespace, name, {"labels": dict(labels),
                                                    "annotations": {GENERATED_BY: "OpenShiftNewApp"}})
    out.print(f'    service "{name}" created')
    out.print("--> Success")
    out.print("    Application is not exposed. You can expose services to the outside world by executing one or "
              "more of the commands below:")
    out.print(f"     'oc expose service/{name}' ")
    out.print("    Run 'oc status' to view your app.")


# -------------------------------------------------------------------------------------------
# oc create deployment (and oc create -f)

CREATE_FLAGS = (Flag("filename", "list", "f"), Flag("validate", "str"), Flag("image", "list"),
                Flag("replicas", "int", "r"), Flag("port", "int"))


def _container_name(image: str) -> str:
    """kubectl's container name for an image: the last path segment, without tag or digest."""
    base = image.rsplit("/", 1)[-1].split("@")[0].split(":")[0].lower()
    base = re.sub(r"[^a-z0-9-]", "-", base).strip("-")
    return base or "container"


def cmd_create(ctx: Context, args: list[str]) -> None:
    if not args or args[0] not in ("deployment", "deploy"):
        from .commands import cmd_create as create_from_files

        _only(ctx.values, ("filename", "validate"))
        create_from_files(ctx, args)
        return
    values = ctx.values
    _only(values, ("image", "replicas", "port"))
    if len(args) != 2:
        raise OcUsageError(f"exactly one NAME is required, got {len(args) - 1}")
    name = args[1]
    images = values.get("image", [])
    if not images:
        raise OcError('required flag(s) "image" not set')
    replicas = values.get("replicas", 1)
    if replicas < 0:
        raise OcError(f"replicas must be non-negative, got {replicas}")
    if replicas > MAX_REPLICAS:
        raise OcError(f"imagesim simulates at most {MAX_REPLICAS} replicas per workload, not {replicas}")
    errors = name_errors(name)
    if errors:  # the API server's validation of the new Deployment
        raise Invalid(invalid_text("Deployment", name, errors))
    ctx.sim.server.require_namespace(ctx.namespace)
    if ("Deployment", ctx.namespace, name) in ctx.sim.cluster.workloads:
        raise OcError(f'failed to create deployment: deployments.apps "{name}" already exists')
    ports = [values["port"]] if values.get("port") else []
    containers = [Container(_container_name(image), image, ports=list(ports)) for image in images]
    template = PodTemplate({"app": name}, {}, containers)
    w = Deployment(ctx.namespace, name, ctx.now, labels={"app": name}, replicas=replicas, selector={"app": name},
                   template=template)
    ctx.sim.cluster.create(w)
    ctx.out.print(f"deployment.apps/{name} created")


# -------------------------------------------------------------------------------------------
# oc rollout

ROLLOUT_FLAGS = (Flag("to-revision", "int"), Flag("revision", "int"), Flag("watch", "bool", "w"),
                 Flag("timeout", "str"), Flag("again", "bool"))
_SUBCOMMANDS = {
    "cancel": (), "history": ("revision",), "latest": ("again",), "pause": (), "resume": (), "retry": (),
    "status": ("revision", "watch", "timeout"), "undo": ("to-revision",),
}


def cmd_rollout(ctx: Context, args: list[str]) -> None:
    if not args:
        ctx.out.write(helptext.usage("rollout"))
        return
    sub, rest = args[0], args[1:]
    if sub not in _SUBCOMMANDS:
        raise OcUsageError(f'unknown command "{sub}" for "oc rollout"')
    _only(ctx.values, _SUBCOMMANDS[sub])
    if sub == "latest":
        _rollout_latest(ctx, rest)
        return
    usage = (f"Required resource not specified.\nSee 'oc rollout {sub} -h' for help and examples"
             if sub in ("status", "history", "undo", "pause", "resume") else
             f"a resource or filename must be specified\nSee 'oc rollout {sub} -h' for help and examples")
    targets = _targets(rest, usage)
    workloads = []
    for kind, name in targets:
        if kind not in ("DeploymentConfig", "Deployment"):
            raise OcError(f"no {sub} has been implemented for {kind} (use dc/NAME or deployment/NAME)")
        workloads.append(_workload(ctx, kind, name))
    if sub in ("status", "history", "undo") and len(workloads) > 1:
        raise OcError(f"only one resource can be given to 'oc rollout {sub}'")
    handler = {"status": _rollout_status, "history": _rollout_history, "undo": _rollout_undo,
               "pause": _rollout_pause, "resume": _rollout_resume, "cancel": _rollout_cancel,
               "retry": _rollout_retry}[sub]
    handler(ctx, workloads)


def _rollout_latest(ctx: Context, args: list[str]) -> None:
    if len(args) != 1:
        raise OcError("one deployment config name is needed as argument.")
    kind, _, name = args[0].rpartition("/")
    kind = _kind(kind) if kind else "DeploymentConfig"
    ctx.sim.server.require_namespace(ctx.namespace)
    if kind != "DeploymentConfig":
        if kind == "ImageStream":
            ctx.sim.server.get(ctx.namespace, name)
        elif kind == "Deployment":
            ctx.sim.cluster.workload(kind, ctx.namespace, name)
        else:
            raise OcError(f"{args[0]} is not a deployment config")
        raise OcError(f"{name} is not a deployment config")
    w = _workload(ctx, kind, name)
    if ctx.values.get("again"):
        if w.paused:
            raise OcError("cannot deploy a paused deployment config")
        latest = ctx.sim.cluster.latest_rs(w)
        if latest is not None and latest.phase in ("New", "Pending", "Running"):
            raise OcError(f"#{latest.revision} is already in progress ({latest.phase}).")
        ctx.sim.cluster.rollout(w, "manual change")
    else:
        _run(rollout_latest, ctx.sim, w)
    ctx.out.print(f"{_printed(w)} rolled out")


def _rollout_status(ctx: Context, workloads: list[Workload]) -> None:
    w = workloads[0]
    revision = ctx.values.get("revision", 0)
    if revision < 0:
        raise OcError(f"revision must be a positive integer: {revision}")
    if revision > 0 and revision != w.revision:
        raise OcError(f"desired revision ({revision}) is different from the running revision ({w.revision})")
    message, _, error = rollout_status(ctx.sim, w)
    if error:
        raise OcError(error.rstrip("\n"))
    ctx.out.print(message)


def _describe_template(rs) -> str:
    t = rs.template
    lines = ["Pod Template:"]
    labels = sorted(f"{k}={v}" for k, v in t.labels.items()) or ["<none>"]
    lines.append(f"  Labels:\t{labels[0]}")
    lines += [f"\t{label}" for label in labels[1:]]
    if t.annotations:
        notes = sorted(f"{k}: {v}" for k, v in t.annotations.items())
        lines.append(f"  Annotations:\t{notes[0]}")
        lines += [f"\t{note}" for note in notes[1:]]
    for title, containers in (("Init Containers", t.init_containers), ("Containers", t.containers)):
        if not containers and title == "Init Containers":
            continue
        lines.append(f"  {title}:")
        for c in containers:
            lines.append(f"   {c.name}:")
            lines.append(f"    Image:\t{c.image}")
            lines.append(f"    Port:\t{c.ports[0]}/TCP" if c.ports else "    Port:\t<none>")
            lines.append("    Host Port:\t0/TCP" if c.ports else "    Host Port:\t<none>")
            lines.append("    Environment:\t<none>")
            lines.append("    Mounts:\t<none>")
    lines.append("  Volumes:\t<none>")
    return "\n".join(lines) + "\n"


def _rollout_history(ctx: Context, workloads: list[Workload]) -> None:
    w = workloads[0]
    revision = ctx.values.get("revision", 0)
    if revision < 0:
        raise OcError(f"revision must be a positive integer: {revision}")
    rows = history_rows(ctx.sim, w)
    if revision > 0:
        rs = next((r for r in ctx.sim.cluster.owned(w) if r.revision == revision), None)
        if rs is None:
            raise OcError("unable to find the specified revision")
        ctx.out.write(f"{_printed(w)} with revision #{revision}\n{_describe_template(rs)}\n")
        return
    if not rows:
        ctx.out.write(f"{_printed(w)} \nNo rollout history found.\n")
        return
    if w.is_dc:
        text = "REVISION\tSTATUS\tCAUSE\n" + "".join(f"{r}\t{s}\t{c or '<unknown>'}\n" for r, s, c in rows)
        table = describe_tabs(text)
    else:
        text = "REVISION\tCHANGE-CAUSE\n" + "".join(f"{r}\t<none>\n" for r, _, _ in rows)
        table = tabwrite(text, minwidth=0, tabwidth=8, padding=2, padchar=" ")
    ctx.out.write(f"{_printed(w)} \n{table}\n")


def _rollout_undo(ctx: Context, workloads: list[Workload]) -> None:
    w = workloads[0]
    result = _run(undo, ctx.sim, w, ctx.values.get("to-revision", 0))
    ctx.out.print(f"{_printed(w)} {result}")


def _rollout_pause(ctx: Context, workloads: list[Workload]) -> None:
    for w in workloads:  # every object is checked before any is changed
        if w.paused or workloads.count(w) > 1:
            raise OcError(f'{plural(w)} "{w.name}" is already paused')
    for w in workloads:
        _run(pause, ctx.sim, w)
        ctx.out.print(f"{_printed(w)} paused")


def _rollout_resume(ctx: Context, workloads: list[Workload]) -> None:
    for w in workloads:
        if not w.paused or workloads.count(w) > 1:
            raise OcError(f'{plural(w)} "{w.name}" is not paused')
    for w in workloads:
        _run(resume, ctx.sim, w)
        ctx.out.print(f"{_printed(w)} resumed")


def _rollout_cancel(ctx: Context, workloads: list[Workload]) -> None:
    for w in workloads:
        cancelled, errors = _run(cancel, ctx.sim, w)
        if cancelled:
            ctx.out.print(f"{_printed(w)} cancelling")
        else:
            latest = ctx.sim.cluster.latest_rs(w)
            assert latest is not None
            ctx.out.print(f"No rollout is in progress (latest rollout #{latest.revision} {latest.phase.lower()} "
                          f"{human_duration(ctx.now - latest.created).lower()} ago)")
        for error in errors:
            ctx.out.error(f"error: {error}")


def _rollout_retry(ctx: Context, workloads: list[Workload]) -> None:
    for w in workloads:
        rs = _run(retry, ctx.sim, w)
        ctx.out.print(f"{_printed(w)} retried rollout #{rs.revision}")


# -------------------------------------------------------------------------------------------
# oc rollback

ROLLBACK_FLAGS = (Flag("to-version", "int"),)


def cmd_rollback(ctx: Context, args: list[str]) -> None:
    sim = ctx.sim
    if len(args) != 1:
        raise OcError("a deployment or deployment config name is required")
    version = ctx.values.get("to-version", 0)
    if version < 0:
        raise OcError("the to version must be >= 0")
    sim.server.require_namespace(ctx.namespace)
    arg = args[0]
    cluster = sim.cluster
    w, target = None, None
    if "/" in arg:
        kind_text, _, name = arg.partition("/")
        kind = _kind(kind_text)
        if kind == "ReplicationController":
            rc = cluster.replicasets.get((ctx.namespace, name))
            if rc is None or rc.kind != "ReplicationController":
                raise NotFound(f'replicationcontrollers "{name}" not found')
            w, target = cluster.workload("DeploymentConfig", ctx.namespace, rc.owner), rc
        elif kind == "DeploymentConfig":
            w = cluster.workload(kind, ctx.namespace, name)
        else:
            if kind == "Deployment":
                cluster.workload(kind, ctx.namespace, name)
            raise OcError(f"{arg} is not a valid deployment or deployment config")
    else:
        rc = cluster.replicasets.get((ctx.namespace, arg))
        if rc is not None and rc.kind == "ReplicationController":
            w, target = cluster.workloads.get(("DeploymentConfig", ctx.namespace, rc.owner)), rc
            if w is None:
                raise NotFound(f'deploymentconfigs.apps.openshift.io "{rc.owner}" not found')
        else:
            w = cluster.workloads.get(("DeploymentConfig", ctx.namespace, arg))
        if w is None:
            raise OcError(f"{arg} is not a valid deployment or deployment config")
    if w.paused:
        raise OcError("cannot rollback a paused deployment config")
    if target is None:
        target = _run(rollback_target, sim, w, version, complete=True)
    else:
        _run(rollback_target, sim, w, 0)  # the server's own checks (latestVersion 0 or 1)
    _, disabled = _run(rollback, sim, w, target)
    lines = [f"{_printed(w)} deployment #{w.revision} rolled back to {target.name}"]
    for istag in disabled:
        lines.append(f"Warning: the following images triggers were disabled: {istag}")
        lines.append(f"  You can re-enable them with: oc set triggers dc/{w.name} --auto")
    ctx.out.print("\n".join(lines))


# -------------------------------------------------------------------------------------------
# oc set triggers / oc set image-lookup

_WEBHOOKS = {"from-github": "GitHub web hooks", "from-gitlab": "GitLab web hooks",
             "from-bitbucket": "Bitbucket web hooks", "from-webhook": "web hooks"}
SET_FLAGS = (Flag("from-image", "str"), Flag("containers", "str", "c"), Flag("from-config", "bool"),
             Flag("auto", "bool"), Flag("manual", "bool"), Flag("remove", "bool"), Flag("remove-all", "bool"),
             Flag("all", "bool"), Flag("enabled", "bool"), Flag("list", "bool"),
             *(Flag(name, "bool") for name in _WEBHOOKS), Flag("from-webhook-allow-env", "bool"))
_SET_SUBCOMMANDS = {
    "triggers": ("from-image", "containers", "from-config", "auto", "manual", "remove", "remove-all", "all",
                 *_WEBHOOKS, "from-webhook-allow-env"),
    "image-lookup": ("enabled", "all", "list"),
}


def cmd_set(ctx: Context, args: list[str]) -> None:
    if not args:
        ctx.out.write(helptext.usage("set"))
        return
    sub, rest = args[0], args[1:]
    if sub not in _SET_SUBCOMMANDS:
        raise OcUsageError(f'unknown command "{sub}" for "oc set"')
    _only(ctx.values, _SET_SUBCOMMANDS[sub])
    if sub == "triggers":
        _set_triggers(ctx, rest)
    else:
        _set_image_lookup(ctx, rest)


def _workloads_for(ctx: Context, args: list[str]) -> list[Workload]:
    ctx.sim.server.require_namespace(ctx.namespace)
    if ctx.values.get("all") and args and "/" not in args[0] and len(args) == 1:
        kind = _kind(args[0])
        found = [w for w in ctx.sim.cluster.list("workload", ctx.namespace) if w.kind == kind]
        if not found:
            raise OcError(f"no objects passed to {'set'}")
        return found
    workloads = []
    for kind, name in _targets(args, _NO_RESOURCES):
        if kind not in ("DeploymentConfig", "Deployment"):
            if kind == "ImageStream":
                ctx.sim.server.get(ctx.namespace, name)
            raise OcError(f"{_PLURAL[kind]}/{name} does not support triggers")
        workloads.append(_workload(ctx, kind, name))
    return workloads


def _set_triggers(ctx: Context, args: list[str]) -> None:
    values = ctx.values
    from_image, from_namespace = values.get("from-image", ""), ""
    if from_image:
        try:
            ref = DockerImageReference.parse(from_image)
        except ValueError as err:
            raise OcError(f"the value of --from-image does not appear to be a valid reference to an image: "
                          f"{err}") from None
        if ref.registry or ref.id:
            raise OcError("the value of --from-image must point to an image stream tag on this server")
        if not ref.tag:
            raise OcError("the value of --from-image must include the tag you wish to pull from")
        from_image = ref.name_string()
        from_namespace = "" if ref.namespace in ("", ctx.namespace) else ref.namespace
    auto, manual = bool(values.get("auto")), bool(values.get("manual"))
    remove, remove_all = bool(values.get("remove")), bool(values.get("remove-all"))
    from_config = bool(values.get("from-config"))
    hooks = [name for name in _WEBHOOKS if values.get(name)]  # build config triggers: refused below
    count = int(from_config) + int(bool(from_image)) + len(hooks)
    print_table = count == 0 and not remove and not remove_all and not auto and not manual
    if count and not remove_all and not auto and not manual:
        auto = True
    if auto and manual:
        raise OcError("you must specify at most one of --auto or --manual")
    if remove and remove_all:
        raise OcError("you must specify either --remove or --remove-all")
    if remove_all and (count or auto or manual):
        raise OcError("--remove-all may not be used with any other flag")
    if remove and count < 1:
        raise OcError("--remove requires a flag defining a trigger type to be specified")
    if count > 1:
        raise OcError("you may only set one trigger type at a time")
    workloads = _workloads_for(ctx, args)
    if print_table:
        rows = "NAME\tTYPE\tVALUE\tAUTO\n"
        for w in workloads:
            d = trigger_definition(w)
            prefix = f"{_PLURAL[w.kind]}/{w.name}"
            rows += f"{prefix}\tconfig\t\t{str(d.config_change).lower()}\n"
            for t in d.images:
                source = f"{t.namespace}/{t.from_name}" if t.namespace else t.from_name
                value = f"{source} ({', '.join(t.names)})" if t.names else source
                rows += f"{prefix}\timage\t{value}\t{str(t.auto).lower()}\n"
        ctx.out.write(tabwrite(rows, minwidth=0, tabwidth=2, padding=2, padchar=" "))
        return
    if hooks and not remove:  # oc's TriggerDefinition.Apply: web hooks are build config triggers
        for w in workloads:
            what = "deployment configs do not" if w.is_dc else "does not"
            ctx.out.error(f"error: {_PLURAL[w.kind]}/{w.name} {what} support {_WEBHOOKS[hooks[0]]}")
        return
    if hooks:  # --remove of a web hook trigger a workload cannot have: nothing to change
        return
    containers = [c for c in values.get("containers", "").split(",") if c] if values.get("containers") else None
    plans = []
    for w in workloads:
        d = trigger_definition(w)
        update_definition(d, from_image=from_image, from_namespace=from_namespace, containers=containers,
                          from_config=from_config, auto=auto, manual=manual, remove=remove, remove_all=remove_all)
        plans.append((w, d))
    from ..rollouts import _check_names

    errors = []
    for w, d in plans:
        try:
            _check_names(w, d)
        except RolloutError as err:
            errors.append(f"error: {_PLURAL[w.kind]}/{w.name} {err.message}")
    if errors:
        for error in errors:
            ctx.out.error(error)
        return
    for w, d in plans:
        if _run(set_triggers, ctx.sim, w, d):
            ctx.out.print(f"{_printed(w)} triggers updated")


def _set_image_lookup(ctx: Context, args: list[str]) -> None:
    values, sim = ctx.values, ctx.sim
    sim.server.require_namespace(ctx.namespace)
    enabled = values.get("enabled", True)
    listing = (not args and not values.get("all")) or bool(values.get("list"))
    targets: list = []
    if not args:
        targets = sim.server.streams(ctx.namespace)
    else:
        for arg in args:
            kind, sep, name = arg.partition("/")
            if not sep:
                kind, name = "is", arg
            kind = _kind(kind)
            if kind == "ImageStream":
                targets.append(sim.server.get(ctx.namespace, name))
            elif kind in ("DeploymentConfig", "Deployment"):
                targets.append(_workload(ctx, kind, name))
            else:
                raise OcError(f"image lookup on {_PLURAL[kind]} is not simulated: use an image stream, "
                              "dc/NAME or deployment/NAME")
    if listing:
        rows = "NAME\tLOCAL\n"
        for t in targets:
            if isinstance(t, Workload):
                from ..cluster import RESOLVE_NAMES

                rows += f"{_PLURAL[t.kind]}/{t.name}\t{str(t.template.annotations.get(RESOLVE_NAMES) == '*').lower()}\n"
            else:
                rows += f"{t.name}\t{str(t.lookup_local).lower()}\n"
        ctx.out.write(tabwrite(rows, minwidth=0, tabwidth=2, padding=2, padchar=" "))
        return
    for t in targets:
        if set_image_lookup(sim, t, bool(enabled)):
            shown = _printed(t) if isinstance(t, Workload) else f"imagestream.image.openshift.io/{t.name}"
            ctx.out.print(f"{shown} image lookup updated")


# -------------------------------------------------------------------------------------------
# help

helptext._COMMANDS.update({
    "new-app": ("Create a new application",
                "oc new-app (IMAGE | IMAGESTREAM | TEMPLATE | PATH | URL ...) [flags] [options]",
                ["# Create an application from a Docker Hub image (a Deployment, an image stream, a service)",
                 "oc new-app gists/lighttpd",
                 "# The same as a DeploymentConfig with image change and config change triggers",
                 "oc new-app gists/lighttpd --as-deployment-config",
                 "# Deploy an image stream tag of the openshift project", "oc new-app openshift/mongodb:3.2"]),
    "rollout": ("Manage a Kubernetes deployment or OpenShift deployment config",
                "oc rollout SUBCOMMAND [flags] [options]",
                ["# Start a new rollout with the images the triggers point at", "oc rollout latest dc/nginx",
                 "# Where the rollout stands now (time passes with sim.advance('5m'))", "oc rollout status dc/nginx",
                 "# List the revisions", "oc rollout history dc/nginx",
                 "# Go back to the previous revision", "oc rollout undo dc/nginx",
                 "# Stop and restart rollouts", "oc rollout pause dc/nginx", "oc rollout resume dc/nginx",
                 "# Cancel the running rollout, or retry the failed one", "oc rollout cancel dc/nginx",
                 "oc rollout retry dc/nginx"]),
    "rollback": ("Revert part of an application back to a previous deployment",
                 "oc rollback (DEPLOYMENTCONFIG | DEPLOYMENT) [flags] [options]",
                 ["# Roll back to the last successfully completed deployment", "oc rollback frontend",
                  "# Roll back to version 3", "oc rollback frontend --to-version=3"]),
    "set": ("Commands that help set specific features on objects", "oc set COMMAND [flags] [options]",
            ["# Print the triggers of a deployment config", "oc set triggers dc/myapp",
             "# Make all triggers automatic again", "oc set triggers dc/myapp --auto",
             "# Trigger on an image stream tag", "oc set triggers dc/myapp --from-image=myapp:latest -c web",
             "# Let pods use bare image stream names", "oc set image-lookup mysql",
             "# List the image streams and whether they resolve local names", "oc set image-lookup"]),
})
if "create" in helptext._COMMANDS and "deployment" not in helptext._COMMANDS["create"][1]:
    summary, use, examples = helptext._COMMANDS["create"]
    helptext._COMMANDS["create"] = (summary, use + "\n  oc create deployment NAME --image=IMAGE [--replicas=N]",
                                    examples + ["# Create a deployment that runs nginx",
                                                "oc create deployment web --image=nginx:1.25"])
