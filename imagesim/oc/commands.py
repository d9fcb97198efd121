"""The ``oc`` commands for projects, image streams and objects: get, describe, delete, apply...

``dispatch`` routes a parsed command line to its handler. Handlers check everything before
they change anything, so a failing command leaves the simulation as it was.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Callable

from ..errors import AlreadyExists, Invalid, InvalidReference, NotFound, OcUsageError
from ..manifests import dump_json, dump_yaml, load_objects, stream_to_manifest
from ..reference import parse_isimage_name, parse_istag_name
from . import help as helptext
from .flags import Flag, parse
from .printers import describe_image, describe_stream, istag_rows, itag_rows, stream_rows
from .tabwriter import table
from .workload_printers import (
    WORKLOAD_RESOURCES,
    cmd_logs,
    cmd_scale,
    delete_workloads,
    describe_workloads,
    get_workloads,
    is_workload_list,
)

if TYPE_CHECKING:
    from ..simulation import Simulation
    from . import Output

__all__ = ["SERVER", "dispatch"]

SERVER = "https://api.imagesim.example:6443"
OUTPUTS = ("", "wide", "name", "json", "yaml")
_OUTPUT_ERROR = ('unable to match a printer suitable for the output format "{0}", allowed formats are: '
                 "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                 "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")

RESOURCES = {
    "imagestreams": ("is", "imagestream", "imagestreams", "imagestream.image.openshift.io",
                     "imagestreams.image.openshift.io"),
    "imagestreamtags": ("istag", "imagestreamtag", "imagestreamtags", "imagestreamtag.image.openshift.io",
                        "imagestreamtags.image.openshift.io"),
    "imagestreamimages": ("isimage", "imagestreamimage", "imagestreamimages",
                          "imagestreamimage.image.openshift.io", "imagestreamimages.image.openshift.io"),
    "imagetags": ("itag", "imagetag", "imagetags", "imagetag.image.openshift.io", "imagetags.image.openshift.io"),
    "events": ("ev", "event", "events"),
    "projects": ("project", "projects", "project.project.openshift.io", "projects.project.openshift.io"),
    # workloads (imagesim/oc/workload_printers.py)
    "pods": ("po", "pod", "pods"),
    "deploymentconfigs": ("dc", "deploymentconfig", "deploymentconfigs", "deploymentconfig.apps.openshift.io",
                          "deploymentconfigs.apps.openshift.io"),
    "deployments": ("deploy", "deployment", "deployments", "deployment.apps", "deployments.apps"),
    "replicationcontrollers": ("rc", "replicationcontroller", "replicationcontrollers"),
    "replicasets": ("rs", "replicaset", "replicasets", "replicaset.apps", "replicasets.apps"),
    "services": ("svc", "service", "services"),
    "endpoints": ("ep", "endpoints"),
    "nodes": ("no", "node", "nodes"),
    "all": ("all",),
}
_ALIASES = {alias: canonical for canonical, names in RESOURCES.items() for alias in names}
_SINGULAR = {"imagestreams": "imagestream.image.openshift.io",
             "imagestreamtags": "imagestreamtag.image.openshift.io",
             "imagestreamimages": "imagestreamimage.image.openshift.io",
             "imagetags": "imagetag.image.openshift.io", "events": "event", "projects": "project.project.openshift.io",
             "pods": "pod", "deploymentconfigs": "deploymentconfig.apps.openshift.io",
             "deployments": "deployment.apps", "replicationcontrollers": "replicationcontroller",
             "replicasets": "replicaset.apps", "services": "service", "endpoints": "endpoints", "nodes": "node"}
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


class Context:
    """One command's view: the simulation, its namespace and what was asked for."""

    def __init__(self, sim: Simulation, values: dict, out: Output, stdin: str | None) -> None:
        self.sim = sim
        self.values = values
        self.out = out
        self.stdin = stdin
        namespace = values.get("namespace")
        if namespace is not None and not namespace:
            raise OcUsageError("a resource cannot be retrieved by name across all namespaces")
        self.namespace = namespace or sim.project
        self.explicit_namespace = namespace is not None

    @property
    def now(self) -> int:
        return self.sim.clock.now


def _istag_name(name: str) -> tuple[str, str]:
    """The server's split of an ImageStreamTag name (a BadRequest when it is not ``name:tag``)."""
    try:
        return parse_istag_name(name)
    except InvalidReference:
        raise Invalid("Error from server (BadRequest): ImageStreamTags must be retrieved with <name>:<tag>",
                      reason="BadRequest") from None


def _isimage_name(name: str) -> tuple[str, str]:
    """The server's split of an ImageStreamImage name (a BadRequest when it is not ``name@id``)."""
    try:
        return parse_isimage_name(name)
    except InvalidReference:
        raise Invalid("Error from server (BadRequest): ImageStreamImages must be retrieved with <name>@<id>",
                      reason="BadRequest") from None


def resource(name: str) -> str:
    canonical = _ALIASES.get(name.lower())
    if canonical is None:
        raise OcUsageError(f'the server doesn\'t have a resource type "{name}"')
    return canonical


def split_targets(args: list[str], *, need_type: bool = True) -> tuple[str, list[str]]:
    """``is NAME...`` or ``is/NAME ...`` into (resource, names)."""
    if not args:
        if need_type:
            raise OcUsageError("You must specify the type of resource to get. Use \"oc api-resources\" "
                               "for a complete list of supported resources.")
        return "", []
    if "/" in args[0]:
        kinds, names = set(), []
        for arg in args:
            kind, sep, name = arg.partition("/")
            if not sep or not name:
                raise OcUsageError("there is no need to specify a resource type as a separate argument "
                                   "when passing arguments in resource/name form (e.g. 'oc get "
                                   "resource/<resource_name>' instead of 'oc get resource "
                                   "resource/<resource_name>'")
            kinds.add(resource(kind))
            names.append(name)
        if len(kinds) > 1:
            raise OcUsageError("mixed resource types are not supported by imagesim; run one command per type")
        return kinds.pop(), names
    kind = args[0]
    if "," in kind:
        raise OcUsageError("lists of resource types are not supported by imagesim; run one command per type")
    return resource(kind), args[1:]


# -------------------------------------------------------------------------------------------
# get

GET_FLAGS = (Flag("output", "str", "o"), Flag("all-namespaces", "bool", "A"), Flag("show-labels", "bool"),
             Flag("selector", "str", "l"), Flag("watch", "bool", "w"), Flag("no-headers", "bool"))


def cmd_get(ctx: Context, args: list[str]) -> None:
    if args and "," in args[0] and "/" not in args[0] and is_workload_list(args[0]):  # oc get dc,svc
        kind, names = args[0], args[1:]
    else:
        kind, names = split_targets(args)
    output = ctx.values.get("output", "")
    if output not in OUTPUTS:
        raise OcUsageError(_OUTPUT_ERROR.format(output))
    if ctx.values.get("watch"):
        raise OcUsageError("watch is not supported by the simulation: use sim.advance() and get again")
    all_ns = bool(ctx.values.get("all-namespaces"))
    if all_ns and names:
        raise OcUsageError("a resource cannot be retrieved by name across all namespaces")
    sim, out = ctx.sim, ctx.out
    namespace = None if all_ns else ctx.namespace
    if namespace is not None and kind != "projects":
        sim.server.require_namespace(namespace)
    if kind == "projects":
        _get_projects(ctx, names, output)
        return
    if kind == "events":
        _get_events(ctx, namespace, output)
        return
    if kind in WORKLOAD_RESOURCES or kind == "all" or "," in kind or (kind == "imagestreams"
                                                                      and ctx.values.get("selector")):
        get_workloads(ctx, kind, names, output, namespace, all_ns)
        return
    if kind == "imagestreamimages":
        if not names:
            err = NotFound("the server does not allow this method on the requested resource")
            err.reason = "MethodNotAllowed"
            raise err
        _get_isimages(ctx, names, output)
        return
    if kind == "imagestreamtags" and names:
        _get_istags(ctx, names, output)
        return
    if names:
        streams = []
        for name in names:
            stream = sim.server.find(ctx.namespace, name)
            if stream is None:
                if kind == "imagetags":
                    raise NotFound(f'imagetags.image.openshift.io "{name}" not found')
                raise NotFound(f'imagestreams.image.openshift.io "{name}" not found')
            streams.append(stream)
    else:
        streams = sim.server.streams(namespace)
    if not streams and output in ("", "wide", "name"):
        where = f" in {namespace} namespace" if namespace is not None else ""
        out.error(f"No resources found{where}.", code=0)
        return
    if kind == "imagestreams":
        _print_streams(ctx, streams, output, all_ns, single=bool(names) and len(names) == 1)
    elif kind == "imagestreamtags":
        if output in ("json", "yaml"):
            items = [_istag_object(ctx, s, t) for s in streams for t in sorted(s.status)
                     if s.head(t) is not None and s.head(t).image]
            _print_objects(ctx, items, output, single=False)
        elif output == "name":
            for s in streams:
                for t in sorted(s.status):
                    if s.head(t) is not None and s.head(t).image:
                        out.print(f"imagestreamtag.image.openshift.io/{s.name}:{t}")
        else:
            text = istag_rows(streams, ctx.now, wide=output == "wide", with_namespace=all_ns)
            if text.count("\n") <= 1:
                where = f" in {namespace} namespace" if namespace is not None else ""
                out.error(f"No resources found{where}.", code=0)
                return
            out.write(text)
    elif kind == "imagetags":
        if output == "name":
            for s in streams:
                for t in sorted(set(s.spec) | set(s.status)):
                    out.print(f"imagetag.image.openshift.io/{s.name}:{t}")
        elif output in ("json", "yaml"):
            raise OcUsageError("-o json/yaml of imagetags is not supported by imagesim; use imagestreams")
        else:
            out.write(itag_rows(streams, ctx.now, with_namespace=all_ns))


def _print_streams(ctx: Context, streams: list, output: str, all_ns: bool, single: bool) -> None:
    if output in ("json", "yaml"):
        items = [stream_to_manifest(s, ctx.sim.clock) for s in streams]
        _print_objects(ctx, items, output, single=single)
    elif output == "name":
        for s in streams:
            ctx.out.print(f"imagestream.image.openshift.io/{s.name}")
    else:
        ctx.out.write(stream_rows(streams, ctx.now, with_namespace=all_ns))


def _print_objects(ctx: Context, items: list[dict], output: str, *, single: bool) -> None:
    obj = items[0] if single and len(items) == 1 else {
        "apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    ctx.out.write(dump_json(obj) if output == "json" else dump_yaml(obj))


def _istag_object(ctx: Context, stream, tag: str) -> dict:
    _, head, pullspec = ctx.sim.server.istag(stream.namespace, stream.name, tag)
    clock = ctx.sim.clock
    ref = stream.spec.get(tag)
    from ..manifests import tag_to_manifest

    image = ctx.sim.server.images.get(head.image)
    layers = [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "name": d, "size": s}
              for d, s in (image.layers if image else ())]
    return {
        "apiVersion": "image.openshift.io/v1",
        "generation": head.generation,
        "image": {
            "dockerImageLayers": layers,
            "dockerImageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "dockerImageMetadataVersion": "1.0",
            "dockerImageReference": pullspec,
            "metadata": {"annotations": {"image.openshift.io/dockerLayersOrder": "ascending"},
                         "creationTimestamp": clock.timestamp(head.created), "name": head.image},
        },
        "kind": "ImageStreamTag",
        "lookupPolicy": {"local": stream.lookup_local},
        "metadata": {"creationTimestamp": clock.timestamp(head.created), "name": f"{stream.name}:{tag}",
                     "namespace": stream.namespace, "resourceVersion": str(stream.resource_version),
                     "uid": stream.uid},
        "tag": tag_to_manifest(ref) if ref is not None else None,
    }


def _get_istags(ctx: Context, names: list[str], output: str) -> None:
    rows_for = []
    for name in names:
        stream_name, tag = _istag_name(name)
        stream, _, _ = ctx.sim.server.istag(ctx.namespace, stream_name, tag)
        rows_for.append((stream, tag))
    if output in ("json", "yaml"):
        items = [_istag_object(ctx, s, t) for s, t in rows_for]
        _print_objects(ctx, items, output, single=len(items) == 1)
        return
    if output == "name":
        for s, t in rows_for:
            ctx.out.print(f"imagestreamtag.image.openshift.io/{s.name}:{t}")
        return
    all_rows = [["NAME", "IMAGE REFERENCE", "UPDATED"] + (["IMAGE NAME"] if output == "wide" else [])]
    for stream, tag in rows_for:
        _, head_item, pullspec = ctx.sim.server.istag(ctx.namespace, stream.name, tag)
        from .printers import ago

        row = [f"{stream.name}:{tag}", pullspec, ago(ctx.now, head_item.created)]
        if output == "wide":
            row.append(head_item.image)
        all_rows.append(row)
    ctx.out.write(table(all_rows))


def _get_isimages(ctx: Context, names: list[str], output: str) -> None:
    from .printers import ago

    found = []
    for name in names:
        stream_name, image_id = _isimage_name(name)
        stream, item = ctx.sim.server.isimage(ctx.namespace, stream_name, image_id)
        found.append((f"{stream_name}@{image_id}", stream, item))
    if output == "name":
        for name, _, _ in found:
            ctx.out.print(f"imagestreamimage.image.openshift.io/{name}")
        return
    if output in ("json", "yaml"):
        items = [{"apiVersion": "image.openshift.io/v1", "kind": "ImageStreamImage",
                  "image": {"dockerImageReference": item.ref,
                            "metadata": {"creationTimestamp": ctx.sim.clock.timestamp(item.created),
                                         "name": item.image}},
                  "metadata": {"creationTimestamp": ctx.sim.clock.timestamp(item.created), "name": name,
                               "namespace": stream.namespace, "uid": stream.uid}}
                 for name, stream, item in found]
        _print_objects(ctx, items, output, single=len(items) == 1)
        return
    rows = [["NAME", "UPDATED"] + (["IMAGE REFERENCE", "IMAGE NAME"] if output == "wide" else [])]
    for name, _, item in found:
        row = [name, ago(ctx.now, item.created)]
        if output == "wide":
            row += [item.ref, item.image]
        rows.append(row)
    ctx.out.write(table(rows))


def _get_events(ctx: Context, namespace: str | None, output: str) -> None:
    from .workload_printers import WORKLOAD_EVENT_KINDS, event_records, short_duration

    now = ctx.now
    found = []  # (first seen, order, namespace, type, reason, object, message, last seen)
    for e in ctx.sim.log:
        if not e.namespace or (namespace is not None and e.namespace != namespace) or e.time > now \
                or e.kind in WORKLOAD_EVENT_KINDS:
            continue
        reason, obj, message = describe_event(e)
        found.append((e.time, e.seq * 10, e.namespace, "Warning" if e.warning else "Normal", reason, obj, message,
                      e.time))
    for r in event_records(ctx.sim, namespace, now):
        found.append((r.first, r.seq, r.namespace, r.type, r.reason, r.obj, r.message, r.last))
    if not found:
        where = f" in {namespace} namespace" if namespace is not None else ""
        ctx.out.error(f"No resources found{where}.", code=0)
        return
    rows = [(["NAMESPACE"] if namespace is None else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for first, _, ns, etype, reason, obj, message, last in sorted(found, key=lambda f: (f[0], f[1])):
        row = [short_duration(now - last), etype, reason, obj, message]
        rows.append(([ns] if namespace is None else []) + row)
    ctx.out.write(table(rows))


def describe_event(event) -> tuple[str, str, str]:
    """(reason, object, message) of a log event, as ``oc get events`` shows it."""
    stream = event.subject.split("/", 1)[-1].split(":")[0]
    tag = event.subject.rpartition(":")[2] if ":" in event.subject.split("/", 1)[-1] else ""
    obj = f"imagestream/{stream}"
    if event.kind == "import":
        return "Imported", obj, f"Tag {tag} imported {event.message} as {event.digest}"
    if event.kind == "import-failed":
        return "ImportFailed", obj, f"Tag {tag} import failed ({event.reason}): {event.message}"
    if event.kind == "image-pushed":
        return "Pushed", obj, f"Image {event.digest} pushed to tag {tag}"
    if event.kind == "tag-deleted":
        return "TagDeleted", obj, f"Tag {tag} deleted"
    if event.kind == "stream-created":
        return "Created", obj, f"Image stream {stream} created"
    if event.kind == "stream-deleted":
        return "Deleted", obj, f"Image stream {stream} deleted"
    if event.kind == "stream-restored":
        return "Restored", obj, f"Image stream {stream} restored with its history"
    if event.kind == "pruned":
        return "Pruned", obj, event.message
    return event.kind, obj, event.message


def _get_projects(ctx: Context, names: list[str], output: str) -> None:
    spaces = sorted(ctx.sim.server.namespaces)
    for name in names:
        if name not in spaces:
            raise NotFound(f'projects.project.openshift.io "{name}" not found')
    chosen = names or spaces
    if output == "name":
        for name in chosen:
            ctx.out.print(f"project.project.openshift.io/{name}")
        return
    if output in ("json", "yaml"):
        items = [{"apiVersion": "project.openshift.io/v1", "kind": "Project", "metadata": {"name": n},
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}} for n in chosen]
        _print_objects(ctx, items, output, single=len(items) == 1 and bool(names))
        return
    rows = [["NAME", "DISPLAY NAME", "STATUS"]] + [[n, "", "Active"] for n in chosen]
    ctx.out.write(table(rows))


# -------------------------------------------------------------------------------------------
# describe

def cmd_describe(ctx: Context, args: list[str]) -> None:
    kind, names = split_targets(args)
    sim = ctx.sim
    sim.server.require_namespace(ctx.namespace)
    if kind in WORKLOAD_RESOURCES or kind == "all":
        describe_workloads(ctx, kind, names)
        return
    texts = []
    if kind == "imagestreams":
        streams = [sim.server.get(ctx.namespace, n) for n in names] if names else sim.server.streams(ctx.namespace)
        if not streams:
            ctx.out.error(f"No resources found in {ctx.namespace} namespace.", code=0)
            return
        texts = [describe_stream(s, ctx.now) for s in streams]
    elif kind == "imagestreamtags":
        if not names:
            raise OcUsageError("describe of all imagestreamtags is not supported: name one, like mongodb:3.2")
        for name in names:
            stream_name, tag = _istag_name(name if ":" in name else f"{name}:latest")
            stream, head, pullspec = sim.server.istag(ctx.namespace, stream_name, tag)
            texts.append(describe_image(sim.server.images.get(head.image), head, pullspec, ctx.now, head.image))
    elif kind == "imagestreamimages":
        if not names:
            raise OcUsageError("describe of all imagestreamimages is not supported: name one, like mongodb@sha256:d4dc")
        for name in names:
            stream_name, image_id = _isimage_name(name)
            stream, item = sim.server.isimage(ctx.namespace, stream_name, image_id)
            texts.append(describe_image(sim.server.images.get(item.image), item, item.ref, ctx.now, item.image))
    else:
        raise OcUsageError(f"describe of {kind} is not supported by imagesim")
    ctx.out.write("\n\n".join(t.rstrip("\n") + "\n" for t in texts) if len(texts) > 1 else texts[0])


# -------------------------------------------------------------------------------------------
# delete

def cmd_delete(ctx: Context, args: list[str]) -> None:
    if args and "," in args[0] and "/" not in args[0] and is_workload_list(args[0]):  # oc delete dc,svc -l app=x
        kind, names = args[0], args[1:]
    else:
        kind, names = split_targets(args)
    server = ctx.sim.server
    server.require_namespace(ctx.namespace)
    if kind in WORKLOAD_RESOURCES or kind == "all" or "," in kind or (kind == "imagestreams"
                                                                      and ctx.values.get("selector")):
        delete_workloads(ctx, kind, names)
        return
    delete_all = bool(ctx.values.get("all"))
    if kind == "imagestreams":
        if delete_all:
            names = [s.name for s in server.streams(ctx.namespace)]
            if not names:
                ctx.out.error(f"No resources found in {ctx.namespace} namespace.", code=0)
                return
        if not names:
            raise OcUsageError("resource(s) were provided, but no name was specified")
        for name in names:
            server.get(ctx.namespace, name)
        for name in names:
            server.delete(ctx.namespace, name)
            ctx.out.print(f'imagestream.image.openshift.io "{name}" deleted')
    elif kind == "imagestreamtags":
        if not names:
            raise OcUsageError("resource(s) were provided, but no name was specified")
        parsed = [_istag_name(n) for n in names]
        for stream_name, tag in parsed:
            stream = server.find(ctx.namespace, stream_name)
            if stream is None or (tag not in stream.spec and tag not in stream.status):
                raise NotFound(f'imagestreamtags.image.openshift.io "{stream_name}:{tag}" not found')
        for stream_name, tag in parsed:
            server.delete_tag(ctx.namespace, stream_name, tag)
            ctx.out.print(f'imagestreamtag.image.openshift.io "{stream_name}:{tag}" deleted')
    else:
        raise OcUsageError(f"delete of {kind} is not supported by imagesim")


# -------------------------------------------------------------------------------------------
# projects and login

def _projects_list(sim: Simulation) -> list[str]:
    lines = []
    for name in sorted(sim.server.namespaces):
        lines.append(("  * " if name == sim.project else "    ") + name)
    return lines


def cmd_project(ctx: Context, args: list[str]) -> None:
    sim = ctx.sim
    if len(args) > 1:
        raise OcUsageError("no more than one argument may be specified")
    if not args:
        if ctx.values.get("short"):
            ctx.out.print(sim.project)
        else:
            ctx.out.print(f'Using project "{sim.project}" on server "{SERVER}".')
        return
    name = args[0]
    if name not in sim.server.namespaces:
        listing = "\n".join(f"* {n}" for n in sorted(sim.server.namespaces))
        ctx.out.error(f'error: A project named "{name}" does not exist on "{SERVER}".\n'
                      f"Your projects are:\n{listing}\n"
                      "To see projects on another server, pass '--server=<server>'.")
        return
    if ctx.values.get("short"):
        sim.project = name
        ctx.out.print(name)
        return
    if sim.project == name:
        ctx.out.print(f'Already on project "{name}" on server "{SERVER}".')
    else:
        sim.project = name
        ctx.out.print(f'Now using project "{name}" on server "{SERVER}".')


def cmd_projects(ctx: Context, args: list[str]) -> None:
    sim = ctx.sim
    if ctx.values.get("short"):
        for name in sorted(sim.server.namespaces):
            ctx.out.print(name)
        return
    ctx.out.write("You have access to the following projects and can switch between them with "
                  "'oc project <projectname>':\n\n" + "\n".join(_projects_list(sim))
                  + f'\n\nUsing project "{sim.project}" on server "{SERVER}".\n')


def cmd_new_project(ctx: Context, args: list[str]) -> None:
    if len(args) != 1:
        raise OcUsageError("must have exactly one argument")
    name = args[0]
    sim = ctx.sim
    if not _DNS_LABEL.match(name) or len(name) > 63:
        raise Invalid(f'The ProjectRequest "{name}" is invalid: metadata.name: Invalid value: "{name}": '
                      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                      "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                      "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
    if name in sim.server.namespaces:
        raise AlreadyExists(f'project.project.openshift.io "{name}" already exists')
    sim.server.add_namespace(name)
    if ctx.values.get("skip-config-write"):
        ctx.out.print(f'Created project "{name}" on server "{SERVER}".')
        return
    sim.project = name
    ctx.out.write(
        f'Now using project "{name}" on server "{SERVER}".\n\n'
        "You can add applications to this project with the 'new-app' command. For example, try:\n\n"
        "    oc new-app rails-postgresql-example\n\n"
        "to build a new example application in Ruby. Or use kubectl to deploy a simple Kubernetes "
        "application:\n\n"
        "    kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.43 "
        "-- /agnhost serve-hostname\n\n")


def cmd_whoami(ctx: Context, args: list[str]) -> None:
    if args:
        raise OcUsageError("no arguments should be passed")
    if ctx.values.get("show-token"):
        from .docker import session_token

        ctx.out.print(session_token(ctx.sim))
    elif ctx.values.get("show-server"):
        ctx.out.print(SERVER)
    elif ctx.values.get("show-context"):
        ctx.out.print(f"{ctx.sim.project}/api-imagesim-example:6443/{ctx.sim.user}")
    else:
        ctx.out.print(ctx.sim.user)


def cmd_login(ctx: Context, args: list[str]) -> None:
    user = ctx.values.get("username")
    if len(args) > 1:
        raise OcUsageError("only one argument, the server URL, may be given")
    if user is None:
        user = ctx.sim.user
    if not user or not re.match(r"^[A-Za-z0-9@._-]+$", user):
        raise OcUsageError(f'invalid user name "{user}"')
    ctx.sim.user = user
    ctx.out.write("Login successful.\n\nYou have access to the following projects and can switch between "
                  "them with 'oc project <projectname>':\n\n" + "\n".join(_projects_list(ctx.sim))
                  + f'\n\nUsing project "{ctx.sim.project}".\n')


def cmd_logout(ctx: Context, args: list[str]) -> None:
    ctx.out.print(f'Logged "{ctx.sim.user}" out on "{SERVER}"')


# -------------------------------------------------------------------------------------------
# apply / create

def _read_files(ctx: Context) -> list[tuple[str, str]]:
    files = ctx.values.get("filename") or []
    if not files:
        raise OcUsageError("must specify one of -f and -k")
    texts = []
    for name in files:
        if name == "-":
            if ctx.stdin is None:
                raise OcUsageError("no input on standard input: use %%oc apply -f - with the manifest "
                                   "in the cell")
            texts.append(("STDIN", ctx.stdin))
            continue
        if not os.path.isfile(name):
            raise OcUsageError(f'the path "{name}" does not exist')
        if os.path.getsize(name) > 10 * 1024 * 1024:
            raise OcUsageError(f'the file "{name}" is larger than 10 MiB')
        with open(name, encoding="utf-8", errors="replace") as handle:
            texts.append((name, handle.read()))
    return texts


def _objects(ctx: Context) -> list[tuple[str, dict]]:
    objects = []
    for source, text in _read_files(ctx):
        for obj in load_objects(text, source):
            meta = obj.get("metadata")
            if isinstance(meta, dict) and "namespace" not in meta and ctx.explicit_namespace:
                obj = dict(obj, metadata=dict(meta, namespace=ctx.namespace))
            elif isinstance(meta, dict) and "namespace" not in meta:
                obj = dict(obj, metadata=dict(meta, namespace=ctx.namespace))
            objects.append((source, obj))
    if not objects:
        raise OcUsageError("no objects passed to apply")
    return objects


def cmd_apply(ctx: Context, args: list[str]) -> None:
    if args:
        raise OcUsageError(f"Unexpected args: {args}")
    objects = _objects(ctx)
    for line in _apply(ctx, objects):
        ctx.out.print(line)


_OC_PREFIXES = ("error: ", "Error from server (", "The ")
_NO_NAME = "resource name may not be empty"


def _apply(ctx: Context, objects: list[tuple[str, dict]], *, create: bool = False) -> list[str]:
    """``sim.apply`` of the objects; a request the server refuses as BadRequest is reported as
    ``oc apply`` (or ``oc create``) reports it, with the file it came from (kubectl's
    ``AddSourceToErr``)."""
    try:
        return ctx.sim.apply([obj for _, obj in objects])
    except Invalid as err:
        if err.reason != "BadRequest" or err.message.startswith(_OC_PREFIXES):
            raise
        source, obj, exists = _refused(ctx, objects, err.message)
        if err.message == _NO_NAME and obj is not None:
            kind = str(obj.get("kind"))
            if create:  # the server's validation of the new object
                raise Invalid(f'The {kind} "" is invalid: metadata.name: Required value: name or generateName '
                              "is required") from None
            # apply first reads the object it would patch, by name
            group, _, version = str(obj.get("apiVersion")).rpartition("/")
            plural = "imagestreams" if kind == "ImageStream" else _CREATE_KINDS.get(kind, kind.lower() + "s")
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            namespace = "" if kind == "Node" else str(meta.get("namespace") or ctx.namespace)
            raise Invalid(f'error: error when retrieving current configuration of:\nResource: '
                          f'"{group}/{version}, Resource={plural}", GroupVersionKind: "{group}/{version}, Kind={kind}"\n'
                          f'Name: "", Namespace: "{namespace}"\nfrom server for: "{source}": {_NO_NAME}',
                          reason="BadRequest") from None
        if exists:  # a patch of the object (oc also prints the patch and the object it went to)
            raise Invalid(f"Error from server (BadRequest): {err.message}", reason="BadRequest") from None
        raise Invalid(f'Error from server (BadRequest): error when creating "{source}": {err.message}',
                      reason="BadRequest") from None


def _refused(ctx: Context, objects: list[tuple[str, dict]], message: str) -> tuple[str, dict | None, bool]:
    """(the source of the object whose parse gives ``message``, the object, whether it exists)."""
    from ..manifests import parse_stream
    from ..workload_manifests import WORKLOAD_KINDS, parse_object

    for source, obj in objects:
        kind = obj.get("kind")
        try:
            if kind in WORKLOAD_KINDS:
                parse_object(obj, ctx.namespace)
            elif kind == "ImageStream":
                parse_stream(obj, ctx.namespace, ctx.sim.clock, with_status=False)
            else:
                continue
        except Invalid as err:
            if err.message == message:
                return source, obj, _existing(ctx, obj) is not None
    return objects[0][0], None, False


def _existing(ctx: Context, obj: dict) -> tuple[str, str] | None:
    """(its resource as oc names it, its name) when the object ``obj`` describes exists."""
    from .workload_printers import KINDS, find

    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name, namespace = meta.get("name"), meta.get("namespace") or ctx.namespace
    if not isinstance(name, str) or not isinstance(namespace, str):
        return None
    kind = obj.get("kind")
    if kind == "ImageStream":
        return ("imagestreams.image.openshift.io", name) if ctx.sim.server.find(namespace, name) else None
    resource = _CREATE_KINDS.get(str(kind))
    if resource is None or find(ctx.sim, resource, namespace, name) is None:
        return None
    return KINDS[resource][2], name


_CREATE_KINDS = {"DeploymentConfig": "deploymentconfigs", "Deployment": "deployments", "Service": "services",
                 "Pod": "pods", "ReplicationController": "replicationcontrollers", "ReplicaSet": "replicasets",
                 "Endpoints": "endpoints", "Node": "nodes"}


def cmd_create(ctx: Context, args: list[str]) -> None:
    if args:
        raise OcUsageError(f"Unexpected args: {args}")
    objects = _objects(ctx)
    for source, obj in objects:
        found = _existing(ctx, obj)
        if found is not None:
            raise AlreadyExists(f'error when creating "{source}": {found[0]} "{found[1]}" already exists')
    for line in _apply(ctx, objects, create=True):
        ctx.out.print(line.replace(" configured", " created").replace(" unchanged", " created"))


# -------------------------------------------------------------------------------------------
# dispatch

Handler = Callable[[Context, list], None]


def _commands() -> dict[str, tuple[Handler, tuple[Flag, ...]]]:
    from . import apps
    from .prune import ADM_FLAGS, cmd_adm
    from .tagging import IMPORT_FLAGS, TAG_FLAGS, cmd_import_image, cmd_tag

    return {
        "get": (cmd_get, GET_FLAGS),
        "describe": (cmd_describe, (Flag("show-events", "bool"), Flag("selector", "str", "l"))),
        "delete": (cmd_delete, (Flag("all", "bool"), Flag("wait", "bool"), Flag("grace-period", "int"),
                                Flag("force", "bool"), Flag("selector", "str", "l"))),
        "logs": (cmd_logs, (Flag("container", "str", "c"), Flag("previous", "bool", "p"), Flag("follow", "bool", "f"),
                            Flag("tail", "int"), Flag("timestamps", "bool"))),
        "scale": (cmd_scale, (Flag("replicas", "int"), Flag("current-replicas", "int"),
                              Flag("resource-version", "str"), Flag("timeout", "str"))),
        "tag": (cmd_tag, TAG_FLAGS),
        "import-image": (cmd_import_image, IMPORT_FLAGS),
        "project": (cmd_project, (Flag("short", "bool", "q"),)),
        "projects": (cmd_projects, (Flag("short", "bool", "q"),)),
        "new-project": (cmd_new_project, (Flag("display-name", "str"), Flag("description", "str"),
                                          Flag("skip-config-write", "bool"))),
        "whoami": (cmd_whoami, (Flag("show-server", "bool"), Flag("show-context", "bool"),
                                Flag("show-token", "bool", "t"))),
        "login": (cmd_login, (Flag("username", "str", "u"), Flag("password", "str", "p"))),
        "logout": (cmd_logout, ()),
        "apply": (cmd_apply, (Flag("filename", "list", "f"), Flag("validate", "str"))),
        "create": (apps.cmd_create, apps.CREATE_FLAGS),
        "adm": (cmd_adm, ADM_FLAGS),
        "new-app": (apps.cmd_new_app, apps.NEW_APP_FLAGS),
        "rollout": (apps.cmd_rollout, apps.ROLLOUT_FLAGS),
        "rollback": (apps.cmd_rollback, apps.ROLLBACK_FLAGS),
        "set": (apps.cmd_set, apps.SET_FLAGS),
    }


def dispatch(sim: Simulation, args: list[str], out: Output, stdin: str | None) -> None:
    commands = _commands()
    if not args or args[0] in ("help", "-h", "--help"):
        topic = args[1] if len(args) > 1 else ""
        if topic and topic not in commands:
            raise OcUsageError(f'unknown command "{topic}" for "oc"')
        out.write(helptext.usage(topic) if topic else helptext.overview())
        return
    name = args[0]
    if name not in commands:
        if name.startswith("-"):
            values, rest = parse(args, ())
            if not rest:
                out.write(helptext.overview())
                return
            args = rest
            name = args[0]
            if name not in commands:
                raise OcUsageError(f'unknown command "{name}" for "oc"\nRun \'oc --help\' for usage.')
        else:
            raise OcUsageError(f'unknown command "{name}" for "oc"\nRun \'oc --help\' for usage.')
    handler, flags = commands[name]
    values, positional = parse(args[1:], flags)
    if values.get("help"):
        out.write(helptext.usage(name))
        return
    handler(Context(sim, values, out, stdin), positional)
