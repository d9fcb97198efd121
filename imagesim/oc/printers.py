"""What ``oc`` prints for image streams: tables, ``describe`` text, image descriptions.

Layouts follow ``oc``'s printers and describers exactly: kubectl tables (space padding 3),
describers aligned with tabs (tab width 8), ages as "22 hours ago", tag priority order, the
40-column TAGS budget of ``oc get is``.
"""

from __future__ import annotations

from ..clock import human_duration
from ..imagestream import (
    ImageStream,
    TagEvent,
    follow_tag_reference,
    observed_generation,
    prioritize_tags,
    resolve_reference,
)
from ..reference import DockerImageReference
from ..registry import Image
from .tabwriter import describe_tabs, table

__all__ = [
    "describe_image",
    "describe_stream",
    "human_size",
    "istag_rows",
    "itag_rows",
    "stream_rows",
    "tags_up_to_width",
]


def ago(now: int, t: int) -> str:
    return f"{human_duration(now - t)} ago"


def human_size(size: float) -> str:
    """docker/go-units ``HumanSize``: decimal units, 4 significant digits (``72.43MB``)."""
    units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return f"{size:.4g}{units[i]}"


# oc get is ----------------------------------------------------------------------------------

def sorted_status_tags(stream: ImageStream) -> list[str]:
    """Status tags, newest head first, ties by name, tags without items last."""
    with_items = [t for t, h in stream.status.items() if h.items]
    without = sorted(t for t, h in stream.status.items() if not h.items)
    with_items.sort(key=lambda t: (-stream.status[t].items[0].created, t))
    return with_items + without


def tags_up_to_width(stream: ImageStream, width: int = 40) -> str:
    tags = sorted_status_tags(stream)
    total = len(tags)
    remaining = width
    shown = tags
    for i, tag in enumerate(tags):
        remaining -= len(tag) + 1
        if remaining >= 0:
            continue
        if i == 0:
            shown = tags[:1]
            break
        margin = width // 4
        if margin < remaining + len(tag) and margin >= -remaining:
            continue
        shown = tags[:i]
        break
    hidden = total - len(shown)
    if hidden > 0:
        return f"{','.join(shown)} + {hidden} more..."
    return ",".join(shown)


def stream_repository(stream: ImageStream) -> str:
    return stream.docker_image_repository or stream.status_repository


def stream_rows(streams: list[ImageStream], now: int, *, with_namespace: bool = False) -> str:
    header = ["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"]
    rows = [(["NAMESPACE"] if with_namespace else []) + header]
    for stream in streams:
        heads = [h.items[0].created for h in stream.status.values() if h.items]
        updated = ago(now, max(heads)) if heads else ""
        row = [stream.name, stream_repository(stream), tags_up_to_width(stream), updated]
        rows.append(([stream.namespace] if with_namespace else []) + row)
    return table(rows)


# oc get istag / itag -------------------------------------------------------------------------

def istag_rows(streams: list[ImageStream], now: int, *, wide: bool = False,
               with_namespace: bool = False, only: tuple[str, str] | None = None) -> str:
    header = ["NAME", "IMAGE REFERENCE", "UPDATED"] + (["IMAGE NAME"] if wide else [])
    rows = [(["NAMESPACE"] if with_namespace else []) + header]
    for stream in streams:
        for tag in sorted(stream.status):
            if only is not None and (stream.name, tag) != only:
                continue
            head = stream.head(tag)
            if head is None or not head.image:
                continue
            row = [f"{stream.name}:{tag}", resolve_reference(stream, tag, head), ago(now, head.created)]
            if wide:
                row.append(head.image)
            rows.append(([stream.namespace] if with_namespace else []) + row)
    return table(rows)


def itag_rows(streams: list[ImageStream], now: int, *, with_namespace: bool = False) -> str:
    rows = [(["NAMESPACE"] if with_namespace else []) + ["NAME", "SPEC", "STATUS", "HISTORY", "UPDATED"]]
    for stream in streams:
        for tag in sorted(set(stream.spec) | set(stream.status)):
            ref = stream.spec.get(tag)
            history = stream.status.get(tag)
            if ref is None:
                spec = "Push"
            elif not ref.from_kind:
                spec = ""
            elif ref.reference:
                spec = "Ref"
            elif ref.scheduled:
                spec = "Scheduled"
            elif ref.from_kind == "ImageStreamTag" and follow_tag_reference(stream, tag)[3]:
                spec = "Track"
            else:
                spec = "Tag"
            failed = next((c for c in (history.conditions if history else [])
                           if c.type == "ImportSuccess" and c.status == "False"), None)
            if failed is not None:
                status = f"ImportFailed ({failed.reason})"
            elif ref is not None and ref.importable and (ref.generation or 0) > observed_generation(stream, tag):
                status = "Importing"
            elif ref is None:
                head = stream.head(tag)
                status = f"image/{head.image}" if head and head.image else ""
            elif ref.from_kind == "ImageStreamTag":
                status = f"istag/{ref.from_name}"
            elif ref.from_kind == "ImageStreamImage":
                status = f"image/{ref.from_name.partition('@')[2] or ref.from_name}"
            else:
                status = ref.from_name
            count = len(history.items) if history else 0
            updated = ago(now, history.items[0].created) if history and history.items else ""
            row = [f"{stream.name}:{tag}", spec, status, str(count) if count else "", updated]
            rows.append(([stream.namespace] if with_namespace else []) + row)
    return table(rows)


# oc describe is ------------------------------------------------------------------------------

def _map_lines(label: str, values: dict[str, str]) -> list[str]:
    if not values:
        return [f"{label}:\t<none>"]
    lines = []
    for i, key in enumerate(sorted(values)):
        text = f"{key}={values[key]}"
        first, *rest = text.split("\n")
        lines.append((f"{label}:\t" if i == 0 else "\t") + first)
        lines.extend("\t" + r for r in rest)
    return lines


def describe_stream(stream: ImageStream, now: int) -> str:
    lines = [
        f"Name:\t{stream.name}",
        f"Namespace:\t{stream.namespace}",
        f"Created:\t{ago(now, stream.created)}",
    ]
    lines += _map_lines("Labels", stream.labels)
    annotations = dict(stream.annotations)
    description = annotations.pop("description", None)
    if description:
        lines.append(f"Description:\t{description}")
    lines += _map_lines("Annotations", annotations)
    lines.append(f"Image Repository:\t{stream.status_repository or '<none>'}")
    lines.append(f"Image Lookup:\tlocal={'true' if stream.lookup_local else 'false'}")
    lines += _tag_lines(stream, now)
    return describe_tabs("\n".join(lines) + "\n")


def _tag_lines(stream: ImageStream, now: int) -> list[str]:
    if not stream.status and not stream.spec:
        return ["Tags:\t<none>"]
    images: dict[str, None] = {}
    for history in stream.status.values():
        for item in history.items:
            if item.image:
                images.setdefault(item.image, None)
            elif item.ref:
                images.setdefault("", None)
    tags = sorted(stream.status)
    local: set[str] = set()
    referential: dict[str, list[str]] = {}
    for name in stream.spec:
        target, _, ok, multiple = follow_tag_reference(stream, name)
        if ok and multiple:
            local.add(name)
            referential.setdefault(target, []).append(name)
        if name not in stream.status:
            tags.append(name)
    lines = [f"Unique Images:\t{len(images)}", f"Tags:\t{len(tags)}", ""]
    first = True
    for tag in prioritize_tags(tags):
        if tag in local:
            continue
        if not first:
            lines.append("")
        first = False
        lines += _tag_block(stream, tag, referential.get(tag, []), now)
    return lines


def _tag_block(stream: ImageStream, tag: str, aliases: list[str], now: int) -> list[str]:
    ref = stream.spec.get(tag)
    history = stream.status.get(tag)
    lines = [f"{tag} ({', '.join(prioritize_tags(sorted(aliases)))})" if aliases else tag]
    name = ""
    importing = False
    if ref is not None and ref.from_kind:
        if ref.from_namespace and ref.from_namespace != stream.namespace:
            name = f"{ref.from_namespace}/{ref.from_name}"
        else:
            name = ref.from_name
        importing = (not ref.reference and ref.generation is not None
                     and ref.generation > observed_generation(stream, tag))
    if ref is None:
        lines.append("  no spec tag")
    elif not ref.from_kind:
        lines.append("  tag without source image")
    elif ref.from_kind == "ImageStreamTag":
        lines.append(f"  reference to {name}" if ref.reference else
                     f"  updates automatically from {name}" if ref.scheduled else f"  tagged from {name}")
    elif ref.from_kind == "DockerImage":
        lines.append(f"  reference to registry {name}" if ref.reference else
                     f"  updates automatically from registry {name}" if ref.scheduled else
                     f"  tagged from {name}")
    elif ref.from_kind == "ImageStreamImage":
        lines.append(f"  reference to image {name}" if ref.reference else f"  tagged from {name}")
    else:
        lines.append(f"  reference to {ref.from_kind} {name}" if ref.reference else
                     f"  updates from {ref.from_kind} {name}")
    if ref is not None and ref.insecure:
        lines.append("    will use insecure HTTPS or HTTP connections")
    if ref is not None and ref.reference_policy == "Local":
        lines.append("    prefer registry pullthrough when referencing this tag")
    lines.append("")
    annotations = (ref.annotations or {}) if ref is not None else {}
    extra = False
    if annotations.get("description"):
        lines.append(f"  {annotations['description']}")
        extra = True
    if annotations.get("tags"):
        lines.append("  Tags: " + ", ".join(annotations["tags"].split(",")))
        extra = True
    if annotations.get("supports"):
        lines.append("  Supports: " + ", ".join(annotations["supports"].split(",")))
        extra = True
    if annotations.get("sampleRepo"):
        lines.append(f"  Example Repo: {annotations['sampleRepo']}")
        extra = True
    if extra:
        lines.append("")
    if importing:
        lines.append("  ~ importing latest image ...")
    if history is not None:
        for condition in history.conditions:
            if condition.type == "ImportSuccess" and condition.status == "False":
                lines.append(f"  ! error: Import failed ({condition.reason}): {condition.message}")
                lines.append(f"      {ago(now, condition.last_transition)}")
        for i, item in enumerate(history.items):
            lines.append(("  * " if i == 0 else "    ") + item.ref)
            pinned = _pinned_id(item.ref)
            if item.image and pinned is not None and pinned != item.image:
                lines.append(f"      {ago(now, item.created)}\t{item.image}")
            else:
                lines.append(f"      {ago(now, item.created)}")
    return lines


def _pinned_id(ref: str) -> str | None:
    """The ``@id`` of a history item's pull spec ("" when none), None when it does not parse
    (then ``oc`` prints no image id after the age)."""
    try:
        return DockerImageReference.parse(ref).id
    except ValueError:
        return None


# describe istag / isimage ---------------------------------------------------------------------

def describe_image(image: Image | None, event: TagEvent, pullspec: str, now: int,
                   image_name: str = "") -> str:
    digest = event.image
    lines = []
    if image_name:
        lines.append(f"Image Name:\t{image_name}")
    lines.append(f"Docker Image:\t{pullspec}")
    lines.append(f"Name:\t{digest}")
    lines.append(f"Created:\t{ago(now, event.created)}")
    lines.append("Annotations:\timage.openshift.io/dockerLayersOrder=ascending")
    layers = image.layers if image is not None else ()
    size = sum(s for _, s in layers)
    if len(layers) > 1:
        lines.append(f"Image Size:\t{human_size(size)} (first layer {human_size(layers[0][1])}, "
                     f"last binary layer {human_size(layers[-1][1])})")
    else:
        lines.append(f"Image Size:\t{human_size(size)}")
    created = image.created if image is not None else event.created
    lines.append(f"Image Created:\t{ago(now, created)}")
    lines.append("Author:\t<none>")
    lines.append("Arch:\tamd64")
    repo = (image.repository if image is not None else pullspec.split("@")[0]).rsplit("/", 1)[-1]
    lines.append(f"Command:\t/usr/bin/run-{repo.split('-')[0]}")
    lines.append("Working Dir:\t/opt/app-root/src")
    lines.append("User:\t1001")
    lines.append("Exposes Ports:\t8080/tcp")
    lines.append("Docker Labels:\t" + f"io.openshift.imagesim.broken={'true' if image is not None and image.broken else 'false'}")
    lines.append("Environment:\tPATH=/opt/app-root/src/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin")
    return describe_tabs("\n".join(lines) + "\n")
