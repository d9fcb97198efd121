"""Container registries: upstream hosts and the cluster's internal registry.

A registry holds repositories; a repository maps tags to digests and keeps the images (by digest)
that were ever pushed to it. Images are content-addressed: a digest is the sha256 of canonical
content, so the same content always has the same digest. Registries can be down for a window of
simulated time (an outage); a request during an outage fails. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .errors import NotFound

__all__ = [
    "DOCKER_HUB",
    "INTERNAL_REGISTRY",
    "KNOWN_REGISTRIES",
    "Image",
    "Registry",
    "RegistryUnavailable",
    "Repository",
    "content_digest",
    "image_layers",
]

DOCKER_HUB = "docker.io"
#: The OpenShift 4 internal registry service (``image-registry`` in ``openshift-image-registry``).
INTERNAL_REGISTRY = "image-registry.openshift-image-registry.svc:5000"
KNOWN_REGISTRIES = (
    DOCKER_HUB,
    "quay.io",
    "registry.access.redhat.com",
    "registry.redhat.io",
    INTERNAL_REGISTRY,
)


class RegistryUnavailable(Exception):
    """A registry that cannot be reached at the requested time (outage)."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host
        self.message = message


def content_digest(content: dict) -> str:
    """The ``sha256:<hex>`` digest of canonical JSON content.

    >>> content_digest({"repository": "docker.io/library/mongo", "build": 1})[:15]
    'sha256:348d047d'
    """
    blob = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()


_string = json.encoder.encode_basestring_ascii  # how json writes a string (ensure_ascii)


def build_digest(seed: object, repository: str, tag: str, build: int, broken: bool) -> str:
    """``content_digest`` of a push's content (seed, repository, tag, build number, broken), with
    its canonical JSON written directly."""
    if type(seed) is not int or type(build) is not int:
        return content_digest({"seed": seed, "repository": repository, "tag": tag, "build": build,
                               "broken": bool(broken)})
    blob = (f'{{"broken":{"true" if broken else "false"},"build":{int.__repr__(build)},"repository":'
            f'{_string(repository)},"seed":{int.__repr__(seed)},"tag":{_string(tag)}}}')
    return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()


def image_layers(digest: str) -> tuple[tuple[str, int], ...]:
    """The layers ``(layer digest, size)`` of the image with ``digest``: derived from it, so the
    same content always has the same layers."""
    hexpart = digest.split(":", 1)[-1]
    count = 3 + int(hexpart[:2], 16) % 5
    layers = []
    for i in range(count):
        chunk = hexpart[(i * 8) % 56 : (i * 8) % 56 + 8]
        size = 1_000 + int(chunk, 16) % 60_000_000
        layer = "sha256:" + hashlib.sha256(f"{digest}/layer/{i}".encode()).hexdigest()
        layers.append((layer, size))
    return tuple(layers)


@dataclass(frozen=True, slots=True, repr=False)
class Image:
    """An image manifest as a registry stores it (metadata derived from the digest).

    Its :attr:`layers` are computed from the digest when asked (or given, for an image that
    travelled with its layers).
    """

    digest: str
    repository: str
    created: int
    broken: bool = False
    given_layers: tuple[tuple[str, int], ...] | None = field(default=None, compare=False)

    @classmethod
    def build(cls, digest: str, repository: str, created: int, broken: bool = False) -> Image:
        return cls(digest, repository, created, broken)

    @property
    def layers(self) -> tuple[tuple[str, int], ...]:
        return self.given_layers if self.given_layers is not None else image_layers(self.digest)

    @property
    def size(self) -> int:
        return sum(size for _, size in self.layers)

    def __repr__(self) -> str:
        return (f"Image(digest={self.digest!r}, repository={self.repository!r}, created={self.created!r}, "
                f"broken={self.broken!r}, layers={self.layers!r})")


_new_object = object.__new__
# the slots of Image's fields, in order, and how a slot is set (a member descriptor's __set__)
_IMAGE_SLOTS = tuple(Image.__dict__[name] for name in ("digest", "repository", "created", "broken", "given_layers"))
_set_slot = type(_IMAGE_SLOTS[0]).__set__


def new_image(digest: str, repository: str, created: int, broken: bool = False) -> Image:
    """``Image(digest, repository, created, broken)``, each field set through its slot rather than
    by the frozen dataclass's ``__init__``: the same object, made at about half the cost (a push
    makes one)."""
    image = _new_object(Image)
    slot_digest, slot_repository, slot_created, slot_broken, slot_layers = _IMAGE_SLOTS
    _set_slot(slot_digest, image, digest)
    _set_slot(slot_repository, image, repository)
    _set_slot(slot_created, image, created)
    _set_slot(slot_broken, image, broken)
    _set_slot(slot_layers, image, None)
    return image


@dataclass(slots=True)
class Repository:
    """One repository of a registry: tags pointing at digests, and every image ever pushed."""

    path: str
    tags: dict[str, str] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    builds: int = 0
    name: str = ""  # host/path


class Registry:
    """A registry host: repositories, outage windows and a count of manifest requests."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.repositories: dict[str, Repository] = {}
        self.outages: list[tuple[int, int]] = []
        self.requests = 0

    def __repr__(self) -> str:
        return f"Registry({self.host!r}, {len(self.repositories)} repositories)"

    def repository(self, path: str, *, create: bool = False) -> Repository | None:
        repo = self.repositories.get(path)
        if repo is None and create:
            repo = self.repositories[path] = Repository(path, name=f"{self.host}/{path}")
        return repo

    # availability ----------------------------------------------------------------------------
    def add_outage(self, start: int, end: int) -> None:
        self.outages.append((start, end))
        self.outages.sort()

    def available(self, t: int) -> bool:
        return not any(start <= t < end for start, end in self.outages)

    def outage_end(self, t: int) -> int | None:
        """The end of the outage covering ``t`` (merging overlapping windows), or ``None``."""
        end = None
        for start, stop in self.outages:
            if start <= (t if end is None else end) and (end or t) < stop:
                end = stop if end is None else max(end, stop)
        return end

    # content -----------------------------------------------------------------------------------
    def push(self, path: str, tag: str, image: Image) -> str | None:
        """Point ``path:tag`` at ``image``; return the digest it pointed at before."""
        repo = self.repository(path, create=True)
        assert repo is not None
        repo.images.setdefault(image.digest, image)
        previous = repo.tags.get(tag)
        if tag:
            repo.tags[tag] = image.digest
        return previous

    def untag(self, path: str, tag: str) -> str:
        repo = self.repositories.get(path)
        if repo is None or tag not in repo.tags:
            raise NotFound(f'tag "{tag}" not found in repository "{self.host}/{path}"')
        return repo.tags.pop(tag)

    def resolve(self, path: str, tag: str = "", digest: str = "", *, t: int = 0) -> Image:
        """The image a pull of ``path:tag`` (or ``path@digest``) gets at time ``t``.

        Raises :class:`RegistryUnavailable` during an outage and :class:`NotFound` when the
        repository, tag or digest does not exist.
        """
        self.requests += 1
        if self.outages and not self.available(t):
            raise RegistryUnavailable(
                self.host,
                f'Get "https://{self.host}/v2/": dial tcp: lookup {self.host}: i/o timeout',
            )
        repo = self.repositories.get(path)
        image = None
        if repo is not None:
            if digest:
                image = repo.images.get(digest)
            else:
                found = repo.tags.get(tag or "latest")
                image = repo.images.get(found) if found else None
        if image is None:
            ref = f"{self.host}/{path}" + (f"@{digest}" if digest else f":{tag or 'latest'}")
            raise NotFound(f'dockerimage.image.openshift.io "{ref}" not found')
        return image
