"""The ImageStream model and the pure rules of its status history.

``ImageStream`` holds ``spec`` tags (:class:`TagReference`) and ``status`` tags
(:class:`TagHistory`: the history of :class:`TagEvent` items, newest first, plus import
conditions). The functions here are the server's rules, without I/O or time: when an event is
added, collapsed or ignored; how tracking tags (aliases) follow; which generation a tag has
observed; how a pull spec is resolved through the reference policy; the tag priority order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .registry import INTERNAL_REGISTRY

__all__ = [
    "Condition",
    "ImageStream",
    "NO_CONDITIONS",
    "NO_LABELS",
    "SharedMap",
    "TagEvent",
    "TagHistory",
    "TagReference",
    "add_tag_event",
    "follow_tag_reference",
    "needs_import",
    "observed_generation",
    "prioritize_tags",
    "resolve_reference",
    "source_repository",
    "tracking_source",
    "update_tracking_tags",
]


class TagEvent:
    """One history item of a stream tag: when, which pull spec, which image, which generation.

    An imported item's pull spec is ``repository@image``, the repository being that of the pull
    spec it was imported from: :meth:`pulled` keeps that source (the spec tag's own string) and
    writes the pull spec when it is read.
    """

    __slots__ = ("created", "_ref", "image", "generation", "_source")

    def __init__(self, created: int, ref: str, image: str, generation: int) -> None:
        self.created = created
        self._ref: str | None = ref
        self.image = image
        self.generation = generation
        self._source = ""

    @classmethod
    def pulled(cls, created: int, source: str, image: str, generation: int) -> TagEvent:
        """The item of ``image`` imported from the pull spec ``source``: its pull spec is
        ``repository@image`` (``source``'s repository as spelled)."""
        event = cls.__new__(cls)
        event.created = created
        event._ref = None
        event.image = image
        event.generation = generation
        event._source = source
        return event

    @property
    def ref(self) -> str:
        ref = self._ref
        return f"{source_repository(self._source)}@{self.image}" if ref is None else ref

    @ref.setter
    def ref(self, value: str) -> None:
        self._ref = value

    def pulled_from(self, source: str, image: str) -> bool:
        """Whether the pull spec is that of ``image`` imported from ``source`` (without writing
        it out when it is)."""
        ref = self._ref
        if ref is None:
            return self.image == image and (self._source == source
                                            or source_repository(self._source) == source_repository(source))
        return ref == f"{source_repository(source)}@{image}"

    def same_ref(self, other: TagEvent) -> bool:
        """Whether ``other`` has the same pull spec."""
        if other._ref is None:
            return self.pulled_from(other._source, other.image)
        return self.ref == other._ref

    def copy(self) -> TagEvent:
        if self._ref is None:
            return TagEvent.pulled(self.created, self._source, self.image, self.generation)
        return TagEvent(self.created, self._ref, self.image, self.generation)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TagEvent):
            return NotImplemented
        return (self.created, self.ref, self.image, self.generation) == (
            other.created, other.ref, other.image, other.generation)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"TagEvent(created={self.created}, ref={self.ref!r}, image={self.image!r}, "
                f"generation={self.generation})")


@dataclass(slots=True)
class Condition:
    """An ``ImportSuccess`` condition of a status tag (only failures are recorded)."""

    type: str
    status: str
    last_transition: int
    reason: str
    message: str
    generation: int

    def same_as(self, other: Condition) -> bool:
        return (self.type, self.status, self.reason, self.message) == (
            other.type, other.status, other.reason, other.message)


def source_repository(source: str) -> str:
    """The repository of the pull spec ``source`` as spelled: its name, ``:tag`` and ``@digest``
    dropped (an imported item's pull spec is it ``@image``).

    A ``:`` after the name's last ``/`` starts the tag (a port is part of the domain, before it).

    >>> source_repository("localhost:5000/acme/app:1.0"), source_repository("mongo@sha256:ab")
    ('localhost:5000/acme/app', 'mongo')
    """
    name = source.partition("@")[0]
    colon = name.rfind(":")
    return name[:colon] if colon > name.rfind("/") else name


class SharedMap(dict):
    """Labels or annotations that many streams share: the empty map, or the annotations of a
    stream that has only its last import check, made once per check time. It refuses changes
    in place; a stream's map is changed by assigning a new one."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("this map is shared by many streams: assign a new dict instead")

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return SharedMap, (dict(self),)


#: The labels (or annotations) of a stream that has none.
NO_LABELS: dict[str, str] = SharedMap()


class _NoConditions(list):
    """The empty condition list that histories without conditions share. Conditions are set by
    assigning a new list, so this one refuses to be changed in place."""

    __slots__ = ()

    def _refuse(self, *args: object) -> None:
        raise TypeError("NO_CONDITIONS is shared by many histories: assign a new list instead")

    append = extend = insert = __setitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> str:
        return "NO_CONDITIONS"  # (a copy or a pickle of it is the shared one)


#: The conditions of a history that has none (shared: assign a list to set conditions).
NO_CONDITIONS: list[Condition] = _NoConditions()


def _no_conditions() -> list[Condition]:
    return NO_CONDITIONS


@dataclass(slots=True)
class TagHistory:
    """``status.tags[]``: history items newest first and the tag's conditions."""

    items: list[TagEvent] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=_no_conditions)


@dataclass(slots=True)
class TagReference:
    """``spec.tags[]``: where a tag comes from and how it is imported and referenced."""

    name: str
    from_kind: str = ""
    from_name: str = ""
    from_namespace: str = ""
    reference: bool = False
    scheduled: bool = False
    insecure: bool = False
    import_mode: str = "Legacy"
    reference_policy: str = "Source"
    generation: int | None = None
    annotations: dict[str, str] | None = None

    @property
    def importable(self) -> bool:
        return self.from_kind == "DockerImage" and not self.reference

    def same_source(self, other: TagReference) -> bool:
        """True when ``from`` namespace/name, ``reference`` and ``importMode`` are unchanged."""
        return (self.from_kind, self.from_name, self.from_namespace, self.reference,
                self.import_mode) == (other.from_kind, other.from_name, other.from_namespace,
                                      other.reference, other.import_mode)

    def spec_key(self) -> tuple:
        return (self.name, self.from_kind, self.from_name, self.from_namespace, self.reference,
                self.scheduled, self.insecure, self.import_mode, self.reference_policy,
                tuple(sorted((self.annotations or {}).items())) if self.annotations is not None else None)


@dataclass(slots=True)
class ImageStream:
    """An image stream: metadata, spec tags and status tags."""

    namespace: str
    name: str
    created: int
    uid: str = ""
    generation: int = 1
    resource_version: int = 1
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    lookup_local: bool = False
    docker_image_repository: str = ""
    spec: dict[str, TagReference] = field(default_factory=dict)
    status: dict[str, TagHistory] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ImageStream('{self.namespace}/{self.name}', tags={sorted(self.tag_names())})"

    def __str__(self) -> str:
        """Its tags and their heads as a table (imagesim.display)."""
        from .display import stream_text

        return stream_text(self)

    def _repr_html_(self) -> str:
        from .display import stream_html

        return stream_html(self)

    @property
    def status_repository(self) -> str:
        """``status.dockerImageRepository``: the stream's repository in the internal registry."""
        return f"{INTERNAL_REGISTRY}/{self.namespace}/{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)

    def tag_names(self) -> list[str]:
        names = list(self.status)
        names.extend(name for name in self.spec if name not in self.status)
        return names

    def head(self, tag: str) -> TagEvent | None:
        history = self.status.get(tag)
        return history.items[0] if history and history.items else None

    def spec_signature(self) -> tuple:
        return (self.lookup_local, self.docker_image_repository,
                tuple(ref.spec_key() for ref in sorted(self.spec.values(), key=lambda r: r.name)))


# history rules ---------------------------------------------------------------------------------

def add_tag_event(stream: ImageStream, tag: str, event: TagEvent, *, owned: bool = False) -> bool:
    """Apply ``event`` to ``tag``'s history, comparing it with the head only.

    Returns True when the history changed (then the tag's conditions are cleared). The history
    keeps a copy of ``event``, or ``event`` itself when it is ``owned`` (made for this call).
    """
    history = stream.status.get(tag)
    if history is None or not history.items:
        stream.status[tag] = TagHistory([event if owned else event.copy()])
        return True
    head = history.items[0]
    same_ref = head.same_ref(event)
    same_image = head.image == event.image
    if same_ref and same_image:
        if head.generation == event.generation:
            return False
    elif same_ref:
        head.ref = event.ref  # (the pull spec stays as it was while the image changes)
        head.image = event.image
    elif same_image:
        head.ref = event.ref
    else:
        history.items.insert(0, event if owned else event.copy())
        history.conditions = NO_CONDITIONS
        return True
    head.generation = event.generation
    history.conditions = NO_CONDITIONS
    return True


def tracking_source(stream: ImageStream, ref: TagReference) -> str | None:
    """The tag of this stream that ``ref`` tracks, or None when it tracks nothing here."""
    if ref.from_kind != "ImageStreamTag":
        return None
    if ref.from_namespace and ref.from_namespace != stream.namespace:
        return None
    name = ref.from_name
    if ":" in name:
        source_stream, _, tag = name.partition(":")
        if source_stream != stream.name:
            return None
        return tag or "latest"
    return name


def update_tracking_tags(stream: ImageStream, tag: str, event: TagEvent,
                         _seen: set[str] | None = None) -> list[str]:
    """Apply the new head of ``tag`` to every tag tracking it (and so on down chains).

    Returns the names of the tags that changed, in spec order.
    """
    seen = _seen if _seen is not None else {tag}
    changed: list[str] = []
    for name, ref in stream.spec.items():
        if name in seen or tracking_source(stream, ref) != tag:
            continue
        if add_tag_event(stream, name, event):
            changed.append(name)
            seen.add(name)
            changed.extend(update_tracking_tags(stream, name, event, seen))
    return changed


def observed_generation(stream: ImageStream, tag: str) -> int:
    """max(generation of the head item, generation of the first ImportSuccess condition)."""
    history = stream.status.get(tag)
    if history is None:
        return 0
    observed = history.items[0].generation if history.items else 0
    for condition in history.conditions:
        if condition.type == "ImportSuccess":
            observed = max(observed, condition.generation)
            break
    return observed


def needs_import(stream: ImageStream, tag: str) -> bool:
    ref = stream.spec.get(tag)
    if ref is None or not ref.importable:
        return False
    if ref.generation is None:
        return True
    return ref.generation > observed_generation(stream, tag)


def resolve_reference(stream: ImageStream, tag: str, event: TagEvent) -> str:
    """The pull spec consumers get for ``event`` of ``tag`` (the tag's reference policy)."""
    ref = stream.spec.get(tag)
    if ref is not None and ref.reference_policy == "Local" and event.image:
        return f"{stream.status_repository}@{event.image}"
    return event.ref


def follow_tag_reference(stream: ImageStream, tag: str) -> tuple[str, TagReference | None, bool, bool]:
    """Follow ImageStreamTag spec references inside the stream.

    Returns (final tag, its spec, ok, multiple): ``ok`` when the chain ends at a spec tag that
    is not an in-stream reference; ``multiple`` when more than one tag was visited.
    """
    seen: list[str] = []
    while True:
        if tag in seen:
            return tag, None, False, len(seen) > 1
        seen.append(tag)
        ref = stream.spec.get(tag)
        if ref is None:
            return tag, None, False, len(seen) > 1
        if ref.from_kind != "ImageStreamTag":
            return tag, ref, True, len(seen) > 1
        if ref.from_namespace and ref.from_namespace != stream.namespace:
            return tag, None, False, True
        if ":" in ref.from_name:
            name, _, next_tag = ref.from_name.partition(":")
            if name != stream.name or not next_tag:
                return tag, None, False, True
            tag = next_tag
        else:
            tag = ref.from_name


# tag priority ----------------------------------------------------------------------------------

_NUM = r"(0|[1-9][0-9]*)"
_IDENT = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(rf"^{_NUM}\.{_NUM}\.{_NUM}(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+{_IDENT}(?:\.{_IDENT})*)?$")
_MINOR = re.compile(r"^[0-9]+\.[0-9]+$")
# Go's ``^([\d]+\.[\d]+)-\w+$``: ASCII word characters, no dash after the first one.
_MINOR_WITH_PATCH = re.compile(r"^([0-9]+\.[0-9]+)-([A-Za-z0-9_]+)$")


def _semver_key(text: str) -> tuple | None:
    match = _SEMVER.match(text)
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    if pre is None:
        pre_key: tuple = (1,)
    else:
        parts = []
        for ident in pre.split("."):
            if ident.isdigit():
                if len(ident) > 1 and ident[0] == "0":
                    return None
                parts.append((0, int(ident), ""))
            else:
                parts.append((1, 0, ident))
        pre_key = (0, tuple(parts))
    return (int(major), int(minor), int(patch), pre_key)


def prioritize_tags(tags: list[str]) -> list[str]:
    """Order tags the way ``oc`` lists them: latest, X.Y (newest first), X.Y.Z, the rest.

    >>> prioritize_tags(["2.4", "latest", "3.2", "2.6", "1.0.1", "edge"])
    ['latest', '3.2', '2.6', '2.4', '1.0.1', 'edge']
    """
    latest = [t for t in tags if t == "latest"][:1]
    minor: list[tuple[tuple, int, str]] = []
    micro: list[tuple[tuple, int, str]] = []
    other: list[str] = []
    for tag in tags:
        if tag == "latest" and latest:
            continue
        has_v = 1 if tag.startswith("v") else 0
        short = tag[has_v:]  # one leading "v" only (strings.HasPrefix)
        key = _semver_key(short)
        if key is not None:
            micro.append((key, has_v, tag))
            continue
        if _MINOR.match(short):
            key = _semver_key(short + ".0")
        elif _MINOR_WITH_PATCH.match(short):
            key = _semver_key(_MINOR_WITH_PATCH.sub(r"\1.0-\2", short))
        if key is not None:
            minor.append((key, has_v, tag))
        else:
            other.append(tag)
    minor.sort(key=lambda x: (_neg(x[0]), x[1], x[2]))
    micro.sort(key=lambda x: (_neg(x[0]), x[1], x[2]))
    return latest + [t for *_, t in minor] + [t for *_, t in micro] + sorted(other)


class _Desc:
    """Wraps a key so that sorting ascending orders the wrapped keys descending."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: _Desc) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.key == other.key


def _neg(key: tuple) -> _Desc:
    return _Desc(key)
