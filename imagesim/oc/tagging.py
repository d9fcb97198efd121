"""``oc tag`` and ``oc import-image``: every flag, rule and message of the real commands."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from ..errors import InvalidReference, NotFound, OcUsageError
from ..imagestream import TagReference, follow_tag_reference, prioritize_tags
from ..importer import upstream_key
from ..reference import (
    DockerImageReference,
    oc_tag_source_kind,
    parse_oc_stream_name,
    split_istag,
    validate_imagestream_name,
    validate_oc_tag,
)
from .flags import Flag
from .printers import describe_image, describe_stream

if TYPE_CHECKING:
    from .commands import Context

__all__ = ["IMPORT_FLAGS", "TAG_FLAGS", "cmd_import_image", "cmd_tag"]

TAG_FLAGS = (
    Flag("source", "str"), Flag("alias", "bool"), Flag("reference", "bool"),
    Flag("reference-policy", "str"), Flag("scheduled", "bool"), Flag("insecure", "bool"),
    Flag("import-mode", "str"), Flag("delete", "bool", "d"),
)
IMPORT_FLAGS = (
    Flag("from", "str"), Flag("confirm", "bool"), Flag("all", "bool"), Flag("scheduled", "bool"),
    Flag("insecure", "bool"), Flag("reference-policy", "str"), Flag("import-mode", "str"),
    Flag("dry-run", "bool"), Flag("max-images", "int"), Flag("output", "str", "o"),
)
_SOURCE_KINDS = {"docker": "DockerImage", "istag": "ImageStreamTag", "imagestreamtag": "ImageStreamTag",
                 "isimage": "ImageStreamImage", "imagestreamimage": "ImageStreamImage"}
MAX_BULK_IMPORT = 50


def _policy(value: str | None) -> str:
    if value is None or value == "":
        return "Source"
    lowered = value.lower()
    if lowered == "source":
        return "Source"
    if lowered == "local":
        return "Local"
    raise OcUsageError("reference policy must be set to 'source' or 'local'")


def _import_mode(value: str | None) -> str | None:
    if value is None:
        return None
    for mode in ("Legacy", "PreserveOriginal"):
        if value.lower() == mode.lower():
            return mode
    raise OcUsageError(f'valid ImportMode values are "Legacy" or "PreserveOriginal", got "{value}"')


def _dest(ctx: Context, text: str) -> tuple[str, str, str]:
    namespace, name_tag = parse_oc_stream_name(text, ctx.namespace)
    stream, tag, has = split_istag(name_tag)
    if not has:
        raise OcUsageError(f'destination "{text}" must be in the form [<namespace>/]<stream>:<tag>')
    validate_oc_tag(tag)
    reasons = validate_imagestream_name(stream, namespace)
    if reasons:
        raise OcUsageError(f'invalid image stream name "{stream}": {reasons[0]}')
    return namespace, stream, tag


def _shown(ctx: Context, namespace: str, stream: str, tag: str) -> str:
    return f"{namespace}/{stream}:{tag}" if namespace != ctx.sim.project else f"{stream}:{tag}"


# -------------------------------------------------------------------------------------------
# oc tag

def cmd_tag(ctx: Context, args: list[str]) -> None:
    values = ctx.values
    server = ctx.sim.server
    if values.get("delete"):
        if values.get("alias"):
            raise OcUsageError("--alias and --delete may not be both specified")
        if values.get("reference") or values.get("scheduled") or values.get("insecure") or values.get("source"):
            raise OcUsageError("--delete may not be combined with a source or import flags")
        if not args:
            raise OcUsageError("you must specify a source and at least one destination or one or more "
                               "tags to delete")
        dests = [_dest(ctx, a) for a in args]
        for namespace, stream, tag in dests:
            found = server.find(namespace, stream)
            if found is None or (tag not in found.spec and tag not in found.status):
                raise NotFound(f'imagestreamtags.image.openshift.io "{stream}:{tag}" not found')
        for namespace, stream, tag in dests:
            server.delete_tag(namespace, stream, tag)
            ctx.out.print(f"Deleted tag {namespace}/{stream}:{tag}.")
        return
    if len(args) < 2:
        raise OcUsageError("you must specify a source and at least one destination or one or more tags to delete")
    alias = bool(values.get("alias"))
    if alias and values.get("reference"):
        raise OcUsageError("--alias and --reference may not be both specified")
    source_text, dest_texts = args[0], args[1:]
    if values.get("source") is not None:
        kind = _SOURCE_KINDS.get(values["source"].lower())
        if kind is None:
            raise OcUsageError(f'invalid source "{values["source"]}": valid values are docker, istag, isimage')
    else:
        kind = oc_tag_source_kind(source_text)
    policy = _policy(values.get("reference-policy"))
    mode = _import_mode(values.get("import-mode"))
    importing = values.get("scheduled") or values.get("insecure") or mode is not None
    if importing and (kind != "DockerImage" or alias):
        raise OcUsageError("only container images can have importing flags set")
    if alias and kind != "ImageStreamTag":
        raise OcUsageError("--alias requires an image stream tag as the source (stream:tag)")
    dests = [_dest(ctx, d) for d in dest_texts]
    for namespace, _, _ in dests:
        server.require_namespace(namespace)
    # resolve the source once, before anything is written
    if kind == "DockerImage":
        try:
            DockerImageReference.parse(source_text)
        except ValueError as err:
            raise InvalidReference(str(err), source_text) from None
        build = lambda tag: TagReference(tag, "DockerImage", source_text, generation=0)  # noqa: E731
        shown_source = source_text
    else:
        if "/" in source_text and oc_tag_source_kind(source_text) == "DockerImage" and values.get("source"):
            raise OcUsageError(f'"{source_text}" names a registry: use --source=docker for container images')
        src_ns, src_name = parse_oc_stream_name(source_text, ctx.namespace)
        sep = ":" if kind == "ImageStreamTag" else "@"
        stream_name, _, ref_part = src_name.partition(sep)
        if kind == "ImageStreamTag":
            ref_part = ref_part or "latest"
        elif not ref_part:
            raise OcUsageError(f'"{source_text}" must be in the form <stream>@<id>')
        source_stream = server.get(src_ns, stream_name)
        if alias:
            for namespace, stream, _ in dests:
                if (namespace, stream) != (src_ns, stream_name):
                    raise OcUsageError("cannot set alias across different Image Streams")
            build = lambda tag: TagReference(tag, "ImageStreamTag", f"{stream_name}:{ref_part}")  # noqa: E731
            shown_source = f"{stream_name}:{ref_part}"
        elif kind == "ImageStreamTag":
            head = source_stream.head(ref_part)
            if head is None:
                raise OcUsageError(f'"{stream_name}:{ref_part}" is not currently pointing to an image, '
                                   "cannot use it as the source of a tag")
            if not head.image:
                ref_text = head.ref
                build = lambda tag: TagReference(tag, "DockerImage", ref_text, generation=0)  # noqa: E731
                shown_source = ref_text
            else:
                digest = head.image
                shown_source = (f"{src_ns}/" if src_ns != ctx.sim.project else "") + f"{stream_name}@{digest}"
                build = lambda tag, ns=src_ns: TagReference(  # noqa: E731
                    tag, "ImageStreamImage", f"{stream_name}@{digest}",
                    from_namespace=ns)
        else:
            item = server.resolve_image_id(source_stream, ref_part)
            digest = item.image
            shown_source = (f"{src_ns}/" if src_ns != ctx.sim.project else "") + f"{stream_name}@{digest}"
            build = lambda tag, ns=src_ns: TagReference(  # noqa: E731
                tag, "ImageStreamImage", f"{stream_name}@{digest}", from_namespace=ns)
    messages = []
    for namespace, stream, tag in dests:
        ref = build(tag)
        if ref.from_namespace == namespace:
            ref.from_namespace = ""
        ref.reference = bool(values.get("reference"))
        ref.reference_policy = policy
        ref.scheduled = bool(values.get("scheduled"))
        ref.insecure = bool(values.get("insecure"))
        if mode:
            ref.import_mode = mode
        server.set_spec_tag(namespace, stream, ref)
        shown = _shown(ctx, namespace, stream, tag)
        if alias:
            messages.append(f"Tag {shown} set up to track {shown_source}.")
        elif ref.scheduled and namespace == ctx.sim.project:
            messages.append(f"Tag {shown} set to import {shown_source} periodically.")
        elif ref.scheduled:
            messages.append(f"Tag {shown} set to {shown_source} periodically.")
        else:
            messages.append(f"Tag {shown} set to {shown_source}.")
    for message in messages:
        ctx.out.print(message)


# -------------------------------------------------------------------------------------------
# oc import-image

def cmd_import_image(ctx: Context, args: list[str]) -> None:
    values = ctx.values
    if len(args) != 1:
        raise OcUsageError("you must specify the name of an image stream" if not args else
                           "only one image stream may be imported at a time")
    sim = ctx.sim
    server = sim.server
    namespace = ctx.namespace
    server.require_namespace(namespace)
    arg = args[0]
    source = values.get("from")
    confirm = bool(values.get("confirm"))
    import_all = bool(values.get("all"))
    policy = _policy(values.get("reference-policy")) if values.get("reference-policy") is not None else None
    mode = _import_mode(values.get("import-mode"))
    output = values.get("output")
    if output not in (None, "", "json", "yaml", "name"):
        raise OcUsageError(f'unable to match a printer suitable for the output format "{output}"')
    if "@" in arg:
        raise OcUsageError("to import images by ID, use the 'tag' command")
    if source is None and "/" in arg:
        try:
            parsed = DockerImageReference.parse(arg)
        except ValueError as err:
            raise InvalidReference(str(err), arg) from None
        name, tag = parsed.name.rsplit("/", 1)[-1], parsed.tag
    else:
        name, _, tag = arg.partition(":")
    reasons = validate_imagestream_name(name, namespace)
    if reasons:
        raise OcUsageError(f'invalid image stream name "{name}": {reasons[0]}')
    if tag:
        validate_oc_tag(tag)
    if tag and import_all:
        raise OcUsageError(f'cannot specify a tag "{tag}" as well as --all')
    tag = tag or "latest"
    if source is not None:
        try:
            DockerImageReference.parse(source)
        except ValueError as err:
            raise InvalidReference(str(err), source) from None
    stream = server.find(namespace, name)
    requests: list[tuple[str, str]] = []
    info = ""
    if stream is None:
        if not confirm:
            raise OcUsageError(f'no image stream named "{name}" exists, pass --confirm to create and import')
        remote = source or arg
        if import_all:
            requests, info = _repository_requests(sim, remote)
        else:
            requests = [(tag, remote)]
    elif import_all:
        if source is not None or stream.docker_image_repository:
            remote = source or stream.docker_image_repository
            if stream.docker_image_repository and source and source != stream.docker_image_repository and not confirm:
                raise OcUsageError(f'the image stream has a different import spec "{stream.docker_image_repository}", '
                                   "pass --confirm to update")
            requests, info = _repository_requests(sim, remote)
        else:
            requests = [(t, r.from_name) for t, r in stream.spec.items() if r.importable]
            if not requests:
                raise OcUsageError("image stream does not have tags pointing to external container images")
    else:
        final = _follow(stream, tag)
        ref = stream.spec.get(final)
        if ref is None:
            if source is None:
                raise OcUsageError(f'the tag "{tag}" does not exist on the image stream - choose an existing '
                                   "tag to import or use the 'tag' command to create a new tag")
            requests = [(final, source)]
        else:
            if ref.from_kind == "ImageStreamImage":
                raise OcUsageError(f'tag "{final}" points to existing ImageStreamImage "{ref.from_name}", '
                                   "it cannot be re-imported")
            if source is not None and source != ref.from_name:
                raise OcUsageError(f'the tag "{final}" points to "{ref.from_name}" - use the \'tag\' command '
                                   f'if you want to change the source to "{source}"')
            requests = [(final, ref.from_name)]
    if not requests:
        raise OcUsageError("no tags to import")
    dry_run = bool(values.get("dry-run"))
    world = copy.deepcopy(sim) if dry_run else sim
    target = world.server.find(namespace, name)
    if target is None:
        target = world.server.create(namespace, name, [], notify=False)
    results = world.importer.import_tags(target, requests, scheduled=values.get("scheduled") or None,
                                         insecure=values.get("insecure") or None,
                                         reference_policy=policy, import_mode=mode)
    world._settle()
    failed = [r for r in results if not r.ok]
    suffix = " (dry run)" if dry_run else ""
    if output == "name":
        ctx.out.print(f"imagestream.image.openshift.io/{name}")
    elif output in ("json", "yaml"):
        from ..manifests import dump_json, dump_yaml, stream_to_manifest

        obj = stream_to_manifest(target, world.clock)
        ctx.out.write(dump_json(obj) if output == "json" else dump_yaml(obj))
    else:
        status = "imported with errors" if failed else "imported"
        parts = [f"imagestream.image.openshift.io/{name} {status}{suffix}\n", describe_stream(target, world.clock.now)]
        for result in results:
            if result.ok:
                head = target.head(result.tag)
                if head is None:
                    continue
                _, _, pullspec = world.server.istag(namespace, name, result.tag)
                parts.append(describe_image(result.image, head, pullspec, world.clock.now, f"{name}:{result.tag}"))
        ctx.out.write("\n".join(parts))
    if info:
        ctx.out.error(info, code=0)
    for result in failed:
        ctx.out.error(f"error: tag {result.tag} failed: {result.message}")
    if failed:
        ctx.out.error("error: imported completed with errors")


def _follow(stream, tag: str) -> str:
    ref = stream.spec.get(tag)
    if ref is None or ref.from_kind != "ImageStreamTag":
        return tag
    if ref.from_namespace and ref.from_namespace != stream.namespace:
        raise OcUsageError(f'tag "{tag}" points to an imagestreamtag from another ImageStream')
    name, sep, target = ref.from_name.partition(":")
    if sep and name != stream.name:
        raise OcUsageError(f'tag "{tag}" points to an imagestreamtag from another ImageStream')
    final, _, ok, _ = follow_tag_reference(stream, tag)
    if final == tag or (not ok and final in stream.spec and stream.spec[final].from_kind == "ImageStreamTag"):
        raise OcUsageError(f'tag "{tag}" on the image stream is a reference to same tag')
    return final


def _repository_requests(sim, remote: str) -> tuple[list[tuple[str, str]], str]:
    try:
        host, path, _, digest = upstream_key(remote)
    except ValueError as err:
        raise InvalidReference(str(err), remote) from None
    parsed = DockerImageReference.parse(remote)
    base = remote if not (parsed.tag or parsed.id) else remote.rsplit(":", 1)[0] if parsed.tag else remote.split("@")[0]
    repo = sim.registry(host).repository(path)
    if repo is None or not repo.tags:
        raise NotFound(f'dockerimage.image.openshift.io "{host}/{path}" not found')
    tags = prioritize_tags(sorted(repo.tags))
    info = ""
    if len(tags) > MAX_BULK_IMPORT:
        extra = tags[MAX_BULK_IMPORT:]
        info = (f"info: The remote repository contained {len(extra)} additional tags which were not "
                f"imported: {', '.join(extra)}")
        tags = tags[:MAX_BULK_IMPORT]
    return [(t, f"{base}:{t}") for t in tags], info
