"""``oc tag`` and ``oc import-image``: every flag, rule and message of the real commands."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from ..errors import InvalidReference, NotFound, OcUsageError
from ..imagestream import TagReference
from ..reference import (
    DockerImageReference,
    oc_tag_source_kind,
    parse_oc_stream_name,
    split_istag,
    validate_imagestream_name,
    validate_oc_tag,
)
from .flags import Flag, OcError
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
_SOURCE_KINDS = {"docker": "DockerImage", "dockerimage": "DockerImage",
                 "istag": "ImageStreamTag", "imagestreamtag": "ImageStreamTag",
                 "isimage": "ImageStreamImage", "imagestreamimage": "ImageStreamImage"}


def _policy(value: str | None) -> str:
    if value is None or value == "":
        return "Source"
    lowered = value.lower()
    if lowered == "source":
        return "Source"
    if lowered == "local":
        return "Local"
    raise OcError("reference policy must be set to 'source' or 'local'")


def _import_mode(value: str | None) -> str | None:
    if value is None:
        return None
    for mode in ("Legacy", "PreserveOriginal"):
        if value.lower() == mode.lower():
            return mode
    raise OcError(f'valid ImportMode values are "Legacy" or "PreserveOriginal", got "{value}"')


def _dest(ctx: Context, text: str) -> tuple[str, str, str]:
    namespace, name_tag = parse_oc_stream_name(text, ctx.namespace)
    stream, tag, has = split_istag(name_tag)
    if not has:
        raise OcError(f'"{name_tag}" must be of the form <stream_name>:<tag>')
    validate_oc_tag(tag)
    reasons = validate_imagestream_name(stream, namespace)
    if reasons:
        raise OcError(f'invalid image stream name "{stream}": {reasons[0]}')
    return namespace, stream, tag


def _shown(ctx: Context, namespace: str, stream: str, tag: str) -> str:
    """DEST as ``oc tag`` prints it: ``ns/`` only when it is not the command's namespace."""
    return f"{namespace}/{stream}:{tag}" if namespace != ctx.namespace else f"{stream}:{tag}"


# -------------------------------------------------------------------------------------------
# oc tag

_VALID_SOURCES = "docker, dockerimage, imagestreamimage, imagestreamtag, isimage, istag"


def cmd_tag(ctx: Context, args: list[str]) -> None:
    values = ctx.values
    server = ctx.sim.server
    delete = bool(values.get("delete"))
    alias = bool(values.get("alias"))
    if not args and not delete:
        raise OcUsageError("you must specify a source and at least one destination or one or more "
                           "tags to delete")
    source_option = values.get("source")
    if not delete:
        if source_option:
            kind = _SOURCE_KINDS.get(source_option.lower())
            if kind is None:
                raise OcUsageError(f'invalid source "{source_option}"; valid values are {_VALID_SOURCES}')
        source_text = args[0]
        try:
            parsed = DockerImageReference.parse(source_text)
        except ValueError as err:
            raise OcError(f"invalid SOURCE: {err}") from None
        if not source_option:
            kind = oc_tag_source_kind(source_text)
        elif kind in ("ImageStreamTag", "ImageStreamImage"):
            if parsed.registry:
                raise OcError("server in SOURCE is only allowed when providing a container image")
            if kind == "ImageStreamTag" and not parsed.tag:
                raise OcError("--source=ImageStreamTag requires a valid <name>:<tag> in SOURCE")
            if kind == "ImageStreamImage" and not parsed.id:
                raise OcError("--source=ImageStreamImage requires a valid <name>@<id> in SOURCE")
        dest_texts = args[1:]
    else:
        dest_texts = args
    if delete and alias:
        raise OcError("--alias and --delete may not be both specified")
    policy = _policy(values.get("reference-policy"))
    mode = _import_mode(values.get("import-mode"))
    if delete:
        if source_option:
            raise OcError("cannot specify a source kind when deleting")
        if values.get("scheduled") or values.get("insecure") or mode is not None:
            raise OcError("cannot set flags for importing images when deleting a tag")
        if not dest_texts:
            raise OcError("at least a destination is required")
        dests = [_dest(ctx, a) for a in dest_texts]
        for namespace, stream, tag in dests:
            found = server.find(namespace, stream)
            if found is None or (tag not in found.spec and tag not in found.status):
                raise NotFound(f'imagestreamtags.image.openshift.io "{stream}:{tag}" not found')
        for namespace, stream, tag in dests:
            server.delete_tag(namespace, stream, tag)
            ctx.out.print(f"Deleted tag {namespace}/{stream}:{tag}.")
        return
    if alias and values.get("reference"):
        raise OcError("--alias and --reference may not be both specified")
    importing = values.get("scheduled") or values.get("insecure") or mode is not None
    if importing and kind != "DockerImage":
        raise OcError("only container images can have importing flags set")
    if importing and alias:
        raise OcError("cannot set a container image tag as an alias and also set import flags")
    if alias and kind != "ImageStreamTag":
        raise OcError("--alias requires an image stream tag as the source (stream:tag)")
    # resolve the source once, before anything is written (a failing command changes nothing)
    if kind == "DockerImage":
        build = lambda tag: TagReference(tag, "DockerImage", source_text, generation=0)  # noqa: E731
        shown_source = source_text
    else:
        src_ns, src_name = parse_oc_stream_name(source_text, ctx.namespace)
        typed_ns = f"{src_ns}/" if "/" in source_text else ""
        sep = ":" if kind == "ImageStreamTag" else "@"
        stream_name, _, ref_part = src_name.partition(sep)
        if kind == "ImageStreamTag":
            ref_part = ref_part or "latest"
        source_stream = None if alias else server.get(src_ns, stream_name)
        if alias:
            build = lambda tag: TagReference(tag, "ImageStreamTag", f"{stream_name}:{ref_part}")  # noqa: E731
            shown_source = f"{typed_ns}{stream_name}:{ref_part}"
        elif kind == "ImageStreamTag":
            head = source_stream.head(ref_part)
            if head is None:
                raise OcError(f'"{source_text}" is not currently pointing to an image, '
                              "cannot use it as the source of a tag")
            if not head.image:
                ref_text = head.ref
                try:
                    DockerImageReference.parse(ref_text)
                except ValueError as err:
                    raise OcError(f'the image stream tag "{source_text}" has an invalid pull spec and '
                                  f"cannot be used to tag: {err}") from None
                kind = "DockerImage"
                build = lambda tag: TagReference(tag, "DockerImage", ref_text, generation=0)  # noqa: E731
                shown_source = ref_text
            else:
                digest = head.image
                shown_source = f"{typed_ns}{stream_name}@{digest}"
                build = lambda tag, ns=src_ns: TagReference(  # noqa: E731
                    tag, "ImageStreamImage", f"{stream_name}@{digest}",
                    from_namespace=ns)
        else:
            item = server.resolve_image_id(source_stream, ref_part)
            digest = item.image
            shown_source = f"{typed_ns}{stream_name}@{digest}"
            build = lambda tag, ns=src_ns: TagReference(  # noqa: E731
                tag, "ImageStreamImage", f"{stream_name}@{digest}", from_namespace=ns)
    if not dest_texts:
        raise OcError("at least a destination is required")
    dests = [_dest(ctx, d) for d in dest_texts]
    if alias:
        for namespace, stream, _ in dests:
            if (namespace, stream) != (src_ns, stream_name):
                raise OcError("cannot set alias across different Image Streams")
    for namespace, _, _ in dests:
        server.require_namespace(namespace)
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
        elif ref.scheduled and namespace == ctx.namespace:
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
        raise OcError("you must specify the name of an image stream" if not args else
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
    try:
        parsed = DockerImageReference.parse(arg)
    except ValueError:
        parsed = None
    if parsed is None or not parsed.name:
        raise OcError("the image name must be a valid Docker image pull spec or reference to an image "
                      "stream (e.g. myregistry/myteam/image:tag)")
    if parsed.id:
        raise OcError("to import images by ID, use the 'tag' command")
    if parsed.tag and import_all:
        raise OcError(f'cannot specify a tag "{arg}" as well as --all')
    name, tag = parsed.name.rsplit("/", 1)[-1], parsed.tag
    reasons = validate_imagestream_name(name, namespace)
    if reasons:
        raise OcError(f'invalid image stream name "{name}": {reasons[0]}')
    if tag:
        validate_oc_tag(tag)
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
            raise OcError(f'no image stream named "{name}" exists, pass --confirm to create and import')
        remote = source or arg
        if import_all:
            requests, info = _repository_requests(sim, remote)
        else:
            requests = [(tag, remote)]
    elif import_all:
        if source is not None or stream.docker_image_repository:
            remote = source or stream.docker_image_repository
            if remote != stream.docker_image_repository and not confirm:
                if not stream.docker_image_repository:
                    raise OcError("the image stream does not currently import an entire Docker repository, "
                                  "pass --confirm to update")
                raise OcError(f'the image stream has a different import spec "{stream.docker_image_repository}", '
                              "pass --confirm to update")
            requests, info = _repository_requests(sim, remote)
        else:
            requests = [(t, r.from_name) for t, r in stream.spec.items() if r.importable]
            if not requests:
                raise OcError("image stream does not have tags pointing to external container images")
    else:
        final, ref, _ = _follow(stream, tag)
        if ref is None:
            final = tag  # a missing target: the import (re)writes the named tag itself
            if source is None and tag == "latest" and stream.docker_image_repository:
                source = stream.docker_image_repository
            if source is None:
                raise OcError(f'the tag "{tag}" does not exist on the image stream - choose an existing '
                              "tag to import or use the 'tag' command to create a new tag")
            requests = [(final, source)]
        else:
            if ref.from_kind and ref.from_kind != "DockerImage":
                raise OcError(f'tag "{tag}" points to existing {ref.from_kind} "{ref.from_name}", '
                              "it cannot be re-imported")
            if not ref.from_kind:
                raise OcError(f'tag "{tag}" already exists - you must use the \'tag\' command if you want to '
                              f'change the source to "{source or ""}"')
            if source is not None and source != ref.from_name:
                if final != tag:
                    raise OcError(f'the tag "{tag}" points to the tag "{final}" which points to '
                                  f'"{ref.from_name}" - use the \'tag\' command if you want to change the '
                                  f'source to "{source}"')
                raise OcError(f'the tag "{tag}" points to "{ref.from_name}" - use the \'tag\' command '
                              f'if you want to change the source to "{source}"')
            requests = [(final, ref.from_name)]
    if not requests:
        raise OcError("no tags to import")
    dry_run = bool(values.get("dry-run"))
    world = copy.deepcopy(sim) if dry_run else sim
    target = world.server.find(namespace, name)
    if target is None:
        target = world.server.create(namespace, name, [], notify=False)
    if import_all and (source is not None or stream is None):
        target.docker_image_repository = _repository_of(source or arg)
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
        ctx.out.print(info)
    for result in failed:
        ctx.out.error(f"error: tag {result.tag} failed: {result.message}")
    if failed:
        ctx.out.error("error: imported completed with errors")


def _repository_of(remote: str) -> str:
    """The repository part of a pull spec, as written (``docker.io/library/busybox``)."""
    parsed = DockerImageReference.parse(remote)
    text = remote.split("@", 1)[0]
    if parsed.tag and text.endswith(":" + parsed.tag):
        text = text[: -len(parsed.tag) - 1]
    return text


def _follow(stream, tag: str) -> tuple[str, object, bool]:
    """``FollowTagReference``: (final tag, its spec or None when missing, whether a reference was
    followed); cross-stream and circular references are errors."""
    seen: set[str] = set()
    multiple = False
    current = tag
    while True:
        if current in seen:
            raise OcError(f'tag "{tag}" on the image stream is a reference to same tag')
        seen.add(current)
        ref = stream.spec.get(current)
        if ref is None:
            return current, None, multiple
        if ref.from_kind != "ImageStreamTag":
            return current, ref, multiple
        if ref.from_namespace and ref.from_namespace != stream.namespace:
            raise OcError(f'tag "{tag}" points to an imagestreamtag from another ImageStream')
        if ":" in ref.from_name:
            name, _, next_tag = ref.from_name.partition(":")
            if name != stream.name:
                raise OcError(f'tag "{tag}" points to an imagestreamtag from another ImageStream')
            current = next_tag or "latest"
        else:
            current = ref.from_name
        multiple = True


def _repository_requests(sim, remote: str) -> tuple[list[tuple[str, str]], str]:
    try:
        requests, extra = sim.importer.repository_requests(remote)
    except NotFound:
        raise
    except ValueError as err:
        raise InvalidReference(str(err), remote) from None
    info = ""
    if extra:
        info = (f"info: The remote repository contained {len(extra)} additional tags which were not "
                f"imported: {', '.join(extra)}")
    return requests, info
