"""What the API server does with image streams: create, update, delete, push, look up.

This is the server side of every write: the generation rules, the events a spec change adds
(reference tags, copies from other tags or images), tracking tags, the push of an image into the
internal registry (ImageStreamMapping), the ``istag``/``isimage`` views and their errors.
Controllers (the import controller, triggers) are told about every write through ``listeners``.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Iterable

from .errors import AlreadyExists, Conflict, Invalid, NotFound, invalid_text
from .events import EventLog
from .imagestream import (
    NO_LABELS,
    ImageStream,
    TagEvent,
    TagReference,
    add_tag_event,
    resolve_reference,
    update_tracking_tags,
)
from .registry import INTERNAL_REGISTRY, Image
from .reference import DockerImageReference, digest_or_image_match, validate_imagestream_name

__all__ = ["ApiServer", "CHECK_ANNOTATION", "stream_not_found"]

CHECK_ANNOTATION = "openshift.io/image.dockerRepositoryCheck"
_REFERENCE_POLICIES = ("Local", "Source")
_KINDS = ("DockerImage", "ImageStreamImage", "ImageStreamTag")


def stream_not_found(name: str) -> NotFound:
    return NotFound(f'imagestreams.image.openshift.io "{name}" not found')


def istag_not_found(name: str) -> NotFound:
    return NotFound(f'imagestreamtags.image.openshift.io "{name}" not found')


class ApiServer:
    """The image part of the API server: namespaces, image streams and Image objects."""

    def __init__(self, clock, log: EventLog, seed: int = 0) -> None:
        self.clock = clock
        self.log = log
        self.seed = seed
        self.namespaces: dict[str, dict[str, ImageStream]] = {}
        self.images: dict[str, Image] = {}
        self.resource_version = 0
        self.listeners: list[Callable[[ImageStream, list[str]], None]] = []

    # namespaces ------------------------------------------------------------------------------
    def add_namespace(self, name: str) -> None:
        self.namespaces.setdefault(name, {})

    def require_namespace(self, namespace: str) -> dict[str, ImageStream]:
        streams = self.namespaces.get(namespace)
        if streams is None:
            raise NotFound(f'namespaces "{namespace}" not found')
        return streams

    # lookups ---------------------------------------------------------------------------------
    def find(self, namespace: str, name: str) -> ImageStream | None:
        streams = self.namespaces.get(namespace)
        return None if streams is None else streams.get(name)

    def get(self, namespace: str, name: str) -> ImageStream:
        stream = self.find(namespace, name)
        if stream is None:
            raise stream_not_found(name)
        return stream

    def streams(self, namespace: str | None = None) -> list[ImageStream]:
        """Streams sorted by (namespace, name); every namespace when ``namespace`` is None."""
        spaces = sorted(self.namespaces) if namespace is None else [namespace]
        out: list[ImageStream] = []
        for ns in spaces:
            streams = self.namespaces.get(ns, {})
            out.extend(streams[name] for name in sorted(streams))
        return out

    def istag(self, namespace: str, stream_name: str, tag: str) -> tuple[ImageStream, TagEvent, str]:
        """``GET istag s:t``: the stream, the head item and its policy-resolved pull spec."""
        stream = self.find(namespace, stream_name)
        head = stream.head(tag) if stream else None
        if stream is None or head is None or not head.image:
            raise istag_not_found(f"{stream_name}:{tag}")
        return stream, head, resolve_reference(stream, tag, head)

    def isimage(self, namespace: str, stream_name: str, image_id: str) -> tuple[ImageStream, TagEvent]:
        """``GET isimage s@id``: the oldest item of any tag whose image matches the id prefix (the
        Image object was created when the cluster first saw the image)."""
        stream = self.get(namespace, stream_name)
        found: TagEvent | None = None
        for tag in sorted(stream.status):
            for item in stream.status[tag].items:
                if item.image and digest_or_image_match(item.image, image_id):
                    if found is None or item.created < found.created:
                        found = item
        if found is not None:
            return stream, found
        raise NotFound(f'imagestreamimage.image.openshift.io "{stream_name}@{image_id}" not found')

    def resolve_image_id(self, stream: ImageStream, image_id: str) -> TagEvent:
        """The one image of ``stream`` matching ``image_id`` (errors as ``ResolveImageID``)."""
        found: dict[str, TagEvent] = {}
        for tag in sorted(stream.status):
            for item in stream.status[tag].items:
                if item.image and digest_or_image_match(item.image, image_id):
                    found.setdefault(item.image, item)
        if len(found) > 1:
            raise Conflict(f'Operation cannot be fulfilled on imagestreamimage.image.openshift.io "{image_id}": '
                           f'multiple images match the prefix "{image_id}": ' + ", ".join(sorted(found)))
        if not found:
            raise NotFound(f'imagestreamimage.image.openshift.io "{image_id}" not found')
        return next(iter(found.values()))

    # validation ------------------------------------------------------------------------------
    def validate(self, namespace: str, name: str, spec: Iterable[TagReference], *,
                 check_sources: bool = True) -> None:
        """Refuse an invalid spec with the server's ``The ImageStream "x" is invalid: …`` text.

        With ``check_sources``, new or changed ``ImageStreamImage`` tags must resolve to exactly
        one image of their source stream (``ResolveImageID``: Conflict / NotFound otherwise).
        """
        errors: list[str] = []
        existing = self.find(namespace, name)
        for reason in validate_imagestream_name(name, namespace):
            errors.append(f'metadata.name: Invalid value: "{name}": {reason}')
        for ref in spec:
            path = f"spec.tags[{ref.name}]"
            if ref.from_kind == "DockerImage":
                try:
                    DockerImageReference.parse(ref.from_name)
                except ValueError as err:
                    errors.append(f'{path}.from.name: Invalid value: "{ref.from_name}": {err}')
            elif ref.from_kind in ("ImageStreamImage", "ImageStreamTag"):
                if ref.scheduled:
                    errors.append(f"{path}.importPolicy.scheduled: Invalid value: true: only tags "
                                  "pointing to Docker repositories may be scheduled for background import")
                old = existing.spec.get(ref.name) if existing is not None else None
                if (check_sources and ref.from_kind == "ImageStreamImage"
                        and (old is None or ref.generation == 0 or not ref.same_source(old))):
                    problem = self._image_id_problem(namespace, name, ref)
                    if problem:
                        errors.append(f'{path}.from.name: Invalid value: "{ref.from_name}": '
                                      f"error generating tag event: {problem}")
            elif ref.from_kind:
                errors.append(f"{path}.from.kind: Required value: valid values are "
                              "'DockerImage', 'ImageStreamImage', 'ImageStreamTag'")
            if ref.reference_policy not in _REFERENCE_POLICIES:
                errors.append(f'{path}.referencePolicy.type: Unsupported value: "{ref.reference_policy}": '
                              'supported values: "Local", "Source"')
            if ref.import_mode not in ("Legacy", "PreserveOriginal"):
                errors.append(f'{path}.importPolicy.importMode: Unsupported value: "{ref.import_mode}": '
                              'supported values: "Legacy", "PreserveOriginal"')
        if errors:
            raise Invalid(invalid_text("ImageStream", name, errors))

    def _image_id_problem(self, namespace: str, name: str, ref: TagReference) -> str:
        """Why an ImageStreamImage source does not name exactly one image ("" when it does, or
        when its stream does not exist yet)."""
        source_ns = ref.from_namespace or namespace
        source_name, sep, image_id = ref.from_name.partition("@")
        if not sep:
            source_name, image_id = name, ref.from_name
        source = self.find(source_ns, source_name)
        if source is None:
            return ""
        try:
            self.resolve_image_id(source, image_id)
        except (Conflict, NotFound) as err:
            return err.message
        return ""

    # writes ----------------------------------------------------------------------------------
    def _uid(self, namespace: str, name: str, created: int) -> str:
        h = hashlib.sha256(f"{self.seed}/{namespace}/{name}/{created}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"

    def _bump(self, stream: ImageStream) -> None:
        self.resource_version += 1
        stream.resource_version = self.resource_version

    def create(self, namespace: str, name: str, spec: list[TagReference], *,
               lookup_local: bool = False, annotations: dict | None = None,
               labels: dict | None = None, docker_image_repository: str = "",
               notify: bool = True, validated: bool = False) -> ImageStream:
        """Create a stream (``validated``: ``spec`` passed :meth:`validate` for this name, and
        names no ImageStreamImage, so nothing since can make it invalid)."""
        streams = self.require_namespace(namespace)
        if not validated or any(ref.from_kind == "ImageStreamImage" for ref in spec):
            self.validate(namespace, name, spec)
        if name in streams:
            raise AlreadyExists(f'imagestreams.image.openshift.io "{name}" already exists')
        now = self.clock.now
        stream = ImageStream(namespace, name, now, uid=self._uid(namespace, name, now),
                             labels=dict(labels) if labels else NO_LABELS,
                             annotations=dict(annotations) if annotations else NO_LABELS,
                             lookup_local=lookup_local,
                             docker_image_repository=docker_image_repository)
        for ref in spec:
            ref.generation = 1
            stream.spec[ref.name] = ref
        streams[name] = stream
        self._bump(stream)
        self.log.record(now, "stream-created", f"{namespace}/{name}", namespace)
        changed = self._tags_changed(stream, list(stream.spec))
        if notify:
            self.notify(stream, changed)
        return stream

    def update(self, stream: ImageStream, spec: list[TagReference], *,
               lookup_local: bool | None = None, annotations: dict | None = None,
               labels: dict | None = None, docker_image_repository: str | None = None,
               notify: bool = True) -> list[str]:
        """A user update: new spec (status sent by a client is never taken).

        A spec tag sent with ``generation=None`` keeps the stored generation, ``0`` asks for a
        re-import; any other value is replaced by the stored one.
        """
        self.validate(stream.namespace, stream.name, spec)
        old_spec = stream.spec
        old_signature = stream.spec_signature()
        new_spec: dict[str, TagReference] = {}
        reimport: set[str] = set()
        for ref in spec:
            old = old_spec.get(ref.name)
            if ref.generation == 0:
                reimport.add(ref.name)
            ref.generation = old.generation if old is not None else None
            new_spec[ref.name] = ref
        stream.spec = new_spec
        if lookup_local is not None:
            stream.lookup_local = lookup_local
        if docker_image_repository is not None:
            stream.docker_image_repository = docker_image_repository
        if annotations is not None:
            stream.annotations = dict(annotations) if annotations else NO_LABELS
        if labels is not None:
            stream.labels = dict(labels) if labels else NO_LABELS
        spec_changed = bool(reimport) or stream.spec_signature() != old_signature
        if spec_changed:
            stream.generation += 1
        changed_tags = []
        for name, ref in new_spec.items():
            old = old_spec.get(name)
            if old is None or name in reimport or not ref.same_source(old) or ref.generation is None:
                ref.generation = stream.generation
                changed_tags.append(name)
            elif old is not None and ref.spec_key() != old.spec_key():
                changed_tags.append(name)
        self._bump(stream)
        changed = self._tags_changed(stream, changed_tags)
        if notify:
            self.notify(stream, changed)
        return changed_tags

    def set_spec_tag(self, namespace: str, name: str, ref: TagReference) -> ImageStream:
        """Write one spec tag (``oc tag``), creating the stream when it is missing."""
        stream = self.find(namespace, name)
        if stream is None:
            ref.generation = None
            return self.create(namespace, name, [ref])
        spec = [r for r in self.copy_spec(stream) if r.name != ref.name]
        spec.append(ref)
        self.update(stream, spec)
        return stream

    @staticmethod
    def copy_spec(stream: ImageStream) -> list[TagReference]:
        out = []
        for ref in stream.spec.values():
            copy = TagReference(**{f: getattr(ref, f) for f in TagReference.__dataclass_fields__})
            copy.annotations = dict(ref.annotations) if ref.annotations is not None else None
            out.append(copy)
        return out

    def delete(self, namespace: str, name: str) -> ImageStream:
        streams = self.require_namespace(namespace)
        stream = streams.pop(name, None)
        if stream is None:
            raise stream_not_found(name)
        self.log.append(self.clock.now, "stream-deleted", f"{namespace}/{name}", namespace=namespace)
        for listener in self.listeners:
            listener(stream, [])
        return stream

    def delete_tag(self, namespace: str, name: str, tag: str) -> ImageStream:
        """``oc tag -d`` / ``oc delete istag``: remove the spec tag and its whole history."""
        stream = self.find(namespace, name)
        if stream is None or (tag not in stream.spec and tag not in stream.status):
            raise istag_not_found(f"{name}:{tag}")
        had_spec = stream.spec.pop(tag, None) is not None
        stream.status.pop(tag, None)
        if had_spec:
            stream.generation += 1
        self._bump(stream)
        self.log.append(self.clock.now, "tag-deleted", f"{namespace}/{name}:{tag}", namespace=namespace)
        self.notify(stream, [])
        return stream

    def push(self, namespace: str, name: str, tag: str, image: Image) -> ImageStream:
        """An image pushed to the internal registry (``ImageStreamMapping``)."""
        self.require_namespace(namespace)
        stream = self.find(namespace, name)
        if stream is None:
            stream = self.create(namespace, name, [], notify=False)
        self.images.setdefault(image.digest, image)
        previous = stream.head(tag)
        event = TagEvent(self.clock.now, f"{INTERNAL_REGISTRY}/{namespace}/{name}@{image.digest}",
                         image.digest, stream.generation)
        changed = []
        if add_tag_event(stream, tag, event):
            changed.append(tag)
            changed.extend(update_tracking_tags(stream, tag, event))
        self._bump(stream)
        self.log.append(self.clock.now, "image-pushed", f"{namespace}/{name}:{tag}",
                        namespace=namespace, digest=image.digest,
                        previous=previous.image if previous else "")
        self.notify(stream, changed)
        return stream

    def notify(self, stream: ImageStream, changed: list[str]) -> None:
        for listener in self.listeners:
            listener(stream, changed)

    # events a spec change adds ---------------------------------------------------------------
    def _tags_changed(self, stream: ImageStream, names: list[str]) -> list[str]:
        """Add the history events that new or changed spec tags cause right away (§3.2)."""
        changed: list[str] = []
        now = self.clock.now
        for name in names:
            ref = stream.spec.get(name)
            if ref is None or not ref.from_kind:
                continue
            event = None
            generation = ref.generation or stream.generation
            if ref.from_kind == "DockerImage":
                if ref.reference:
                    event = TagEvent(now, ref.from_name, "", generation)
            elif ref.from_kind == "ImageStreamTag":
                event = self._copy_from_tag(stream, ref, generation)
            elif ref.from_kind == "ImageStreamImage":
                event = self._copy_from_image(stream, ref, generation)
            if event is not None and add_tag_event(stream, name, event):
                changed.append(name)
                changed.extend(update_tracking_tags(stream, name, stream.head(name) or event))
        return changed

    def _source_stream(self, stream: ImageStream, ref: TagReference, sep: str) -> tuple[ImageStream | None, str]:
        namespace = ref.from_namespace or stream.namespace
        if sep in ref.from_name:
            source_name, _, rest = ref.from_name.partition(sep)
        else:
            source_name, rest = stream.name, ref.from_name
        if sep == ":" and not rest:
            rest = "latest"
        source = stream if (namespace, source_name) == stream.key else self.find(namespace, source_name)
        return source, rest

    def _rewrite(self, stream: ImageStream, source: ImageStream, ref: TagReference, item_ref: str) -> str:
        prefix = source.status_repository + "@"
        if source is not stream and not ref.reference and item_ref.startswith(prefix):
            return stream.status_repository + "@" + item_ref[len(prefix):]
        return item_ref

    def _copy_from_tag(self, stream: ImageStream, ref: TagReference, generation: int) -> TagEvent | None:
        source, tag = self._source_stream(stream, ref, ":")
        head = source.head(tag) if source else None
        if head is None:
            return None
        return TagEvent(head.created, self._rewrite(stream, source, ref, head.ref), head.image, generation)

    def _copy_from_image(self, stream: ImageStream, ref: TagReference, generation: int) -> TagEvent | None:
        source, image_id = self._source_stream(stream, ref, "@")
        if source is None:
            return None
        for tag in sorted(source.status):
            for item in source.status[tag].items:
                if item.image and digest_or_image_match(item.image, image_id):
                    return TagEvent(self.clock.now, self._rewrite(stream, source, ref, item.ref),
                                    item.image, generation)
        return None

    # restore ---------------------------------------------------------------------------------
    def restore(self, stream: ImageStream) -> ImageStream:
        """Insert a stream with its status as given (a real cluster's dump)."""
        streams = self.require_namespace(stream.namespace)
        if not stream.uid:
            stream.uid = self._uid(stream.namespace, stream.name, stream.created)
        streams[stream.name] = stream
        self._bump(stream)
        for history in stream.status.values():
            for item in history.items:
                if item.image and item.image not in self.images:
                    self.images[item.image] = Image.build(item.image, item.ref.split("@")[0], item.created)
        self.log.append(self.clock.now, "stream-restored", f"{stream.namespace}/{stream.name}",
                        namespace=stream.namespace)
        self.notify(stream, [])
        return stream
