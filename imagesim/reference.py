"""Image references: parse, normalize, print and explain them.

Three families, each mirroring the upstream code a real cluster runs:
* :class:`ImageReference`: distribution/reference (Docker, containerd, podman). ``parse`` is the
  strict grammar; ``parse_normalized`` adds the Docker Hub defaults (``docker.io``, ``library/``).
* :class:`DockerImageReference`: OpenShift library-go's ``reference.Parse``, which splits a pull
  spec into registry / namespace / name / tag / id without defaults (used by image streams and
  ``oc tag``).
* ImageStreamTag / ImageStreamImage name helpers (``stream:tag``, ``stream@id``) and the name
  rules of the API server and ``oc tag``.

Every parse failure raises :class:`~imagesim.errors.InvalidReference` with the message the Go code
prints. Standard library only; imports :mod:`imagesim.errors` and :mod:`imagesim._grammar`.
"""

from __future__ import annotations

import functools
import html
import sys
from dataclasses import astuple, dataclass, field, replace

from imagesim import _grammar as g
from imagesim.errors import InvalidReference

_q = g.go_quote  # Go's %q, for messages that quote their input

__all__ = [
    "DockerImageReference", "ImageReference", "ReferenceBreakdown", "digest_or_image_match",
    "is_hex_digest", "match_domain", "match_identifier", "match_name", "match_reference",
    "oc_tag_source_kind", "parse_isimage_name", "parse_istag_name", "parse_oc_stream_name",
    "split_isimage", "split_istag", "validate_imagestream_name", "validate_oc_tag",
]  # fmt: skip


def _require_text(text: object) -> None:
    """Refuse what is not a string, as a bad reference (not a TypeError from deep inside)."""
    if not isinstance(text, str):
        raise InvalidReference(f"{g.ERR_INVALID_FORMAT}: expected a string, not {type(text).__name__}", repr(text))


def _match_reference(pattern: g.Pattern, text: str) -> tuple[str, str, str]:
    """``(name, tag, digest)`` of ``text``, or the Go parsers' error when it does not match."""
    _require_text(text)
    if (match := pattern.fullmatch(text)) is None:
        raise InvalidReference(g.no_match_error(pattern, text), text)
    return match[1], match[2] or "", match[3] or ""


@dataclass(frozen=True, slots=True)
class ImageReference:
    """An image reference with distribution/reference semantics, e.g. ``quay.io/org/app:v1``.

    ``domain``, ``tag`` and ``digest`` are ``""`` when absent. A digest-only reference (from
    :meth:`parse_any`) has an empty ``path``. ``str()`` gives the canonical form, and
    ``str(ImageReference.parse(s)) == s`` for every valid ``s``.

    >>> ref = ImageReference.parse_normalized("mongo")
    >>> ref
    ImageReference('docker.io/library/mongo')
    >>> ref.normalized, ref.familiar
    ('docker.io/library/mongo:latest', 'mongo')
    """

    domain: str = ""
    path: str = ""
    tag: str = ""
    digest: str = ""
    # The text given to parse_normalized, so that breakdown() can say which parts were implied.
    _origin: str = field(default="", compare=False, repr=False)

    # --- constructors ------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> ImageReference:
        """Strict ``reference.Parse``: the grammar alone, no defaults.

        The first ``/``-separated element is a domain only when a ``/`` follows it, so
        ``test.com:5000`` is the name ``test.com`` with tag ``5000``.
        """
        if cls is ImageReference and type(text) is str:
            return _parse_strict(text)
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> ImageReference:
        name, tag, digest = _match_reference(g.REFERENCE_RE, text)
        domain, path = g.NAME_RE.fullmatch(name).group(1, 2)
        if len(path) > g.NAME_TOTAL_LENGTH_MAX:
            raise InvalidReference(g.ERR_TOO_LONG, text)
        if digest and (error := g.go_digest_error(digest)):
            raise InvalidReference(error, text)
        # a registry host, repository path or tag is met in many references (every push and import
        # of one upstream tag parses its pull spec again): one string each, wherever they are kept
        return cls(sys.intern(domain) if domain else "", sys.intern(path), sys.intern(tag) if tag else "", digest)

    @classmethod
    def parse_normalized(cls, text: str) -> ImageReference:
        """``ParseNormalizedNamed``: Docker Hub defaults (``docker.io``, ``library/``) applied."""
        if cls is ImageReference and type(text) is str:
            return _parse_normalized(text)
        return cls._parse_normalized(text)

    @classmethod
    def _parse_normalized(cls, text: str) -> ImageReference:
        if cls is ImageReference and type(text) is str:
            plain = _plain_pull_spec(text)
            if plain is not None:
                return plain
        _require_text(text)
        if g.IDENTIFIER_RE.fullmatch(text):
            message = f"invalid repository name ({text}), cannot specify 64-byte hexadecimal"
            raise InvalidReference(message + " strings", text)
        domain, remainder = g.split_docker_domain(text)
        remote = remainder.split(":", 1)[0]
        if g.go_lower(remote) != remote:
            raise InvalidReference(
                f"invalid reference format: repository name ({remote}) must be lowercase", text
            )
        try:
            ref = cls.parse(domain + "/" + remainder)
        except InvalidReference as err:
            raise InvalidReference(err.message, text) from None
        if type(ref) is ImageReference:
            return ImageReference(ref.domain, ref.path, ref.tag, ref.digest, text)
        return replace(ref, _origin=text)

    @classmethod
    def parse_any(cls, text: str) -> ImageReference:
        """``ParseAnyReference``: a bare image ID or a digest becomes a digest-only reference."""
        _require_text(text)
        if g.IDENTIFIER_RE.fullmatch(text):
            return cls(digest="sha256:" + text)
        if g.go_digest_error(text) is None:
            return cls(digest=text)
        return cls.parse_normalized(text)

    @classmethod
    def parse_docker_ref(cls, text: str) -> ImageReference:
        """``ParseDockerRef``: normalized, ``:latest`` added, the tag dropped if a digest is set."""
        ref = cls.parse_normalized(text)
        if ref.digest:
            return replace(ref, tag="")
        return ref if ref.tag else replace(ref, tag=g.DEFAULT_TAG)

    @classmethod
    def parse_named(cls, text: str) -> ImageReference:
        """``ParseNamed``: only inputs already in canonical (fully normalized) form."""
        ref = cls.parse_normalized(text)
        if str(ref) != text:
            raise InvalidReference(g.ERR_NOT_CANONICAL, text)
        return ref

    @classmethod
    def with_name(cls, name: str) -> ImageReference:
        """``WithName``: a repository name alone (no tag, no digest)."""
        _require_text(name)
        match = g.NAME_RE.fullmatch(name)
        if match is None:
            raise InvalidReference(g.ERR_INVALID_FORMAT, name)
        if len(match.group(2)) > g.NAME_TOTAL_LENGTH_MAX:
            raise InvalidReference(g.ERR_TOO_LONG, name)
        return cls(match.group(1) or "", match.group(2))

    def with_tag(self, tag: str) -> ImageReference:
        """``WithTag``: the same repository (and digest) with ``tag``; checks the tag grammar."""
        if not g.TAG_RE.fullmatch(tag):
            raise InvalidReference(g.ERR_TAG_FORMAT, tag)
        if not self.path:  # a digest-only reference has no name to tag
            raise InvalidReference(g.ERR_INVALID_FORMAT, str(self))
        return replace(self, tag=tag)

    def with_digest(self, digest: str) -> ImageReference:
        """``WithDigest``: the same repository (and tag) with ``digest``; checks its grammar."""
        if not g.DIGEST_RE.fullmatch(digest):
            raise InvalidReference(g.ERR_REF_DIGEST_FORMAT, digest)
        return replace(self, digest=digest)

    # --- views -------------------------------------------------------------------------------
    def __str__(self) -> str:
        if not self.path:
            return self.digest
        text = self.repository
        if self.tag:
            text += ":" + self.tag
        if self.digest:
            text += "@" + self.digest
        return text

    def __repr__(self) -> str:
        return f"ImageReference({str(self)!r})"

    @property
    def registry(self) -> str:
        """The registry host (alias of ``domain``)."""
        return self.domain

    @property
    def repository(self) -> str:
        """``domain/path`` (just ``path`` without a domain): upstream's ``Name()``."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def namespace(self) -> str:
        """The first path element when the path has more than one, else ``""``."""
        head, sep, _ = self.path.partition("/")
        return head if sep else ""

    @property
    def name(self) -> str:
        """The path after :attr:`namespace` (``mongo`` in ``library/mongo``)."""
        head, sep, rest = self.path.partition("/")
        return rest if sep else head

    @property
    def kind(self) -> str:
        """``repository``, ``tagged``, ``digested``, ``tagged+digested`` or ``digest-only``."""
        if not self.path:
            return "digest-only"
        if self.tag and self.digest:
            return "tagged+digested"
        return "tagged" if self.tag else "digested" if self.digest else "repository"

    @property
    def digest_algorithm(self) -> str:
        """``sha256`` in ``sha256:…`` (``""`` without a digest)."""
        return self.digest.partition(":")[0]

    @property
    def digest_hex(self) -> str:
        """The encoded part of the digest (``""`` without a digest)."""
        return self.digest.partition(":")[2]

    @property
    def normalized(self) -> str:
        """``TagNameOnly``: the string form with ``:latest`` added when neither tag nor digest."""
        if self.path and not self.tag and not self.digest:
            return f"{self}:{g.DEFAULT_TAG}"
        return str(self)

    @property
    def familiar_name(self) -> str:
        """``FamiliarName``: ``docker.io/`` dropped, then ``library/`` for a one-element rest."""
        domain, path = self.domain, self.path
        if domain == g.DEFAULT_DOMAIN:
            domain = ""
            rest = path.removeprefix(g.OFFICIAL_REPO_PREFIX)
            if rest != path and "/" not in rest:
                path = rest
        return f"{domain}/{path}" if domain else path

    @property
    def familiar(self) -> str:
        """``FamiliarString``: the short form people type (``mongo:4.4``, ``centos/x@…``)."""
        if not self.path:
            return self.digest
        return self.familiar_name + str(self)[len(self.repository) :]

    def breakdown(self) -> ReferenceBreakdown:
        """Explain the reference part by part, the way a lesson does."""
        registry, path, tag = g.explain_parts(*astuple(self))  # domain, path, tag, digest, origin
        return ReferenceBreakdown(
            reference=str(self),
            registry=registry,
            repository_path=path,
            tag=tag,
            digest_algorithm=self.digest_algorithm or "(none)",
            digest_hex=self.digest_hex or "(none)",
        )


@dataclass(frozen=True, slots=True)
class ReferenceBreakdown:
    """A reference explained part by part; prints as aligned ``label: value`` lines."""

    reference: str
    registry: str
    repository_path: str
    tag: str
    digest_algorithm: str
    digest_hex: str

    def rows(self) -> list[tuple[str, str]]:
        """The ``(label, value)`` pairs in display order."""
        labels = ("registry", "repository path", "tag", "digest algorithm", "digest hex")
        return list(zip(labels, astuple(self)[1:]))

    def __str__(self) -> str:
        return "\n".join(f"{label + ':':<18}{value}" for label, value in self.rows())

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:left'><code>{html.escape(value)}</code></td></tr>"
            for label, value in self.rows()
        )
        caption = f"<caption><code>{html.escape(self.reference)}</code></caption>"
        return f"<table class='imagesim-reference'>{caption}{body}</table>"


# --- the grammar productions alone ---------------------------------------------------------------
def match_domain(text: str) -> bool:
    """Whether ``text`` is a domain (host with optional port), with no other checks."""
    return g.DOMAIN_RE.fullmatch(text) is not None


def match_identifier(text: str) -> bool:
    """Whether ``text`` is a bare image ID (64 lower-case hex characters)."""
    return g.IDENTIFIER_RE.fullmatch(text) is not None


def match_name(text: str) -> tuple[str, str] | None:
    """``(domain, path)`` if ``text`` is a repository name (domain ``""`` if absent), else None."""
    match = g.NAME_RE.fullmatch(text)
    return None if match is None else (match.group(1) or "", match.group(2))


def match_reference(text: str) -> tuple[str, str, str] | None:
    """``(name, tag, digest)`` if ``text`` matches the reference grammar, else None."""
    match = g.REFERENCE_RE.fullmatch(text)
    return None if match is None else (match[1], match[2] or "", match[3] or "")


_match_plain = g.PLAIN_PULL_SPEC_RE.fullmatch
_HUB_DEFAULTED = (g.DEFAULT_DOMAIN, g.LEGACY_DEFAULT_DOMAIN)  # (the hosts normalizing rewrites)


def _plain_pull_spec(text: str) -> ImageReference | None:
    """``parse_normalized(text)`` when ``text`` has the common shape of a pull spec (see
    ``PLAIN_PULL_SPEC_RE``) and no Docker Hub default applies to it, read with one match; None
    for anything else, which takes every step of the parse."""
    match = _match_plain(text)
    if match is None:
        return None
    domain, path, tag = match.groups()
    if domain in _HUB_DEFAULTED or len(path) > g.NAME_TOTAL_LENGTH_MAX:
        return None
    return ImageReference(sys.intern(domain), sys.intern(path), sys.intern(tag) if tag else "", "", text)


# Parsed references are immutable: the last few thousand pull specs parsed are kept, so that a
# pull spec met again and again (every push, import and check of one upstream tag) is parsed once.
_CACHE_SIZE = 4096
_parse_strict = functools.lru_cache(maxsize=_CACHE_SIZE)(ImageReference._parse)
_parse_normalized = functools.lru_cache(maxsize=_CACHE_SIZE)(ImageReference._parse_normalized)


def is_hex_digest(text: str) -> bool:
    """Whether ``text`` is a valid ``algorithm:hex`` digest (go-digest rules, sha256)."""
    return g.go_digest_error(text) is None


# --- OpenShift library-go ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DockerImageReference:
    """A pull spec split the way OpenShift's library-go does it; every field ``""`` when absent.

    >>> DockerImageReference.parse("docker.io/myapp").string()
    'docker.io/library/myapp'
    """

    registry: str = ""
    namespace: str = ""
    name: str = ""
    tag: str = ""
    id: str = ""

    @classmethod
    def parse(cls, text: str) -> DockerImageReference:
        """library-go ``reference.Parse`` (older grammar: no IPv6, 255 limit on the whole name)."""
        if cls is DockerImageReference and type(text) is str:
            return _parse_library_go(text)
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> DockerImageReference:
        plain = _match_plain(text) if type(text) is str else None
        if plain is not None:  # (the common shape of a pull spec: a host with a dot, no digest)
            registry, path, tag = plain.groups()
            if len(registry) + 1 + len(path) <= g.NAME_TOTAL_LENGTH_MAX:
                namespace, slash, rest = path.partition("/")
                if not slash:
                    namespace, rest = "", path
                return cls(registry, namespace, rest, tag or "", "")
        name, tag, digest = _match_reference(g.LEGACY_REFERENCE_RE, text)
        if len(name) > g.NAME_TOTAL_LENGTH_MAX:
            raise InvalidReference(g.ERR_TOO_LONG, text)
        if digest and (error := g.openshift_digest_error(digest)):
            raise InvalidReference(error, text)
        first, slash, rest = name.partition("/")
        registry, path = "", name
        if not slash and ("." in name or name.startswith("localhost")):
            # "registry only": the whole reference lands in Registry and the tag is dropped
            registry = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
            path, tag = "", ""
        elif slash and ("." in first or ":" in first or first == "localhost"):
            registry, path = first, rest
        namespace, slash, rest = path.partition("/")
        if not slash:
            namespace, rest = "", path
        return cls(registry, namespace, rest, tag, digest)

    def name_string(self) -> str:
        """The name with its ``@id`` (preferred) or ``:tag``."""
        if not self.name:
            return ""
        if self.id:
            separator = ":" if g.openshift_digest_error(self.id) else "@"
            return self.name + separator + self.id
        return f"{self.name}:{self.tag}" if self.tag else self.name

    def exact(self) -> str:
        """Only the fields that are set (``""`` when there is no name)."""
        name = self.name_string()
        if not name:
            return ""
        prefix = self.registry + "/" if self.registry else ""
        if self.namespace:
            prefix += self.namespace + "/"
        return prefix + name

    def string(self) -> str:
        """The pull spec, with ``library`` inserted for Docker Hub registries without namespace."""
        if not self.namespace and self.registry in g.DOCKER_HUB_DOMAINS:
            return replace(self, namespace="library").exact()
        return self.exact()

    __str__ = string

    def docker_client_defaults(self) -> DockerImageReference:
        """Registry ``docker.io``, namespace ``library`` (Hub only) and tag ``latest`` filled in."""
        registry = self.registry or g.DEFAULT_DOMAIN
        namespace = self.namespace
        if not namespace and registry in g.DOCKER_HUB_DOMAINS:
            namespace = "library"
        return replace(self, registry=registry, namespace=namespace, tag=self.tag or g.DEFAULT_TAG)

    def minimal(self) -> DockerImageReference:
        """Tag ``latest`` dropped."""
        return replace(self, tag="") if self.tag == g.DEFAULT_TAG else self

    def daemon_minimal(self) -> DockerImageReference:
        """Hub aliases mapped to ``docker.io``, ``library`` and tag ``latest`` dropped."""
        registry = g.DEFAULT_DOMAIN if self.registry in g.DOCKER_HUB_DOMAINS else self.registry
        namespace = self.namespace
        if registry == g.DEFAULT_DOMAIN and namespace == "library":
            namespace = ""
        return replace(self, registry=registry, namespace=namespace).minimal()

    def as_v2(self) -> DockerImageReference:
        """``docker.io`` and ``index.docker.io`` mapped to ``registry-1.docker.io``."""
        if self.registry in (g.DEFAULT_DOMAIN, g.LEGACY_DEFAULT_DOMAIN):
            return replace(self, registry=g.V2_DEFAULT_DOMAIN)
        return self

    def repository_name(self) -> str:
        """The registry-relative name: ``namespace/name``."""
        return replace(self, registry="", tag="", id="").exact()

    def registry_host_port(self, insecure: bool = False) -> tuple[str, str]:
        """Host and port to contact; port 443 (80 if ``insecure``) when none is given."""
        host = self.as_v2().docker_client_defaults().registry
        if ":" in host:
            return g.split_host_port(host) or ("", "")
        return host, "80" if insecure else "443"


def oc_tag_source_kind(text: str) -> str:
    """How ``oc tag`` classifies SOURCE without ``--source``.

    ``DockerImage`` when a registry is named, else ``ImageStreamImage`` with an ``@id``, else
    ``ImageStreamTag`` with a ``:tag``, else ``DockerImage``. Raises
    :class:`~imagesim.errors.InvalidReference` when SOURCE does not parse (``oc`` prints it as
    ``invalid SOURCE: <message>``).
    """
    ref = DockerImageReference.parse(text)
    if ref.registry:
        return "DockerImage"
    if ref.id:
        return "ImageStreamImage"
    return "ImageStreamTag" if ref.tag else "DockerImage"


# --- ImageStreamTag / ImageStreamImage names -----------------------------------------------------
def parse_istag_name(text: str) -> tuple[str, str]:
    """``ParseImageStreamTagName``: ``stream:tag`` -> ``(stream, tag)``, strictly."""
    if "@" in text:
        message = f"{_q(text)} is an image stream image, not an image stream tag"
        raise InvalidReference(message, text)
    parts = text.split(":")
    if len(parts) != 2:
        raise InvalidReference(f"expected exactly one : delimiter in the istag {_q(text)}", text)
    if not parts[0] or not parts[1]:
        raise InvalidReference(f"image stream tag name {_q(text)} must have a name and a tag", text)
    return parts[0], parts[1]


def split_istag(text: str) -> tuple[str, str, bool]:
    """``SplitImageStreamTag``: ``(name, tag or "latest", whether a ":" was present)``."""
    name, sep, tag = text.partition(":")
    return name, tag or g.DEFAULT_TAG, bool(sep)


def parse_isimage_name(text: str) -> tuple[str, str]:
    """``ParseImageStreamImageName``: ``stream@id`` -> ``(stream, id)``, strictly."""
    parts = text.split("@")
    if len(parts) != 2:
        raise InvalidReference(f"expected exactly one @ in the isimage name {_q(text)}", text)
    if not parts[0] or not parts[1]:
        raise InvalidReference(f"image stream image name {_q(text)} must have a name and ID", text)
    return parts[0], parts[1]


def split_isimage(text: str) -> tuple[str, str, bool]:
    """``SplitImageStreamImage``: ``(name, id, whether an "@" was present)``."""
    name, sep, image_id = text.partition("@")
    return name, image_id, bool(sep)


_parse_library_go = functools.lru_cache(maxsize=_CACHE_SIZE)(DockerImageReference._parse)


def digest_or_image_match(image_digest: str, id_prefix: str) -> bool:
    """``DigestOrImageMatch``: whether an ImageStreamImage id (a prefix) selects ``image_digest``.

    Both ``sha256:d4dc00`` and ``d4dc006a`` match ``sha256:d4dc006a…``.
    """
    if is_hex_digest(image_digest) and image_digest.partition(":")[2].startswith(id_prefix):
        return True
    return image_digest.startswith(id_prefix)


def validate_imagestream_name(name: str, namespace: str = "") -> list[str]:
    """Why the API server refuses ``name`` as an ImageStream name (empty list: valid).

    The name checks are ``ValidateImageStreamName``; with a ``namespace`` also its DNS-1123 label
    rule and the ``namespace/name`` length limit of ``ValidateImageStream``.
    """
    if type(name) is str and type(namespace) is str:
        return list(_imagestream_name_reasons(name, namespace))
    return _name_reasons(name, namespace)


def _name_reasons(name: str, namespace: str) -> list[str]:
    reasons = g.path_segment_reasons(name)
    if not reasons and not g.STREAM_NAME_RE.fullmatch(name):
        reasons = [f"must match {_q(g.STREAM_NAME_PATTERN)}"]
    if namespace:
        reasons += g.dns1123_label_reasons(namespace)
        if len(namespace + "/" + name) > g.NAME_TOTAL_LENGTH_MAX:
            limit = g.NAME_TOTAL_LENGTH_MAX
            reasons.append(f"'namespace/name' cannot be longer than {limit} characters")
    return reasons


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _imagestream_name_reasons(name: str, namespace: str) -> tuple[str, ...]:
    return tuple(_name_reasons(name, namespace))


def parse_oc_stream_name(text: str, default_namespace: str) -> tuple[str, str]:
    """``oc tag`` DEST: ``[namespace/]stream:tag`` -> ``(namespace, "stream:tag")``."""
    if "/" not in text:
        return default_namespace, text
    parts = text.split("/")
    if len(parts) != 2:
        raise InvalidReference(f"invalid image stream {_q(text)}", text)
    namespace, name = parts
    if not namespace:
        raise InvalidReference(f'invalid namespace "" for image stream {_q(text)}', text)
    if not name:
        raise InvalidReference(f'invalid name "" for image stream {_q(text)}', text)
    return namespace, name


def validate_oc_tag(tag: str) -> None:
    """Raise the ``oc tag`` error unless ``tag`` matches ``^[\\w][\\w.-]{0,127}$``."""
    if not g.TAG_RE.fullmatch(tag):
        raise InvalidReference(
            f"invalid tag {_q(tag)} format, tags must start with an alphanumeric character"
            " followed by alphanumeric, '.' or '-' characters, and have a maximum of 128"
            " characters",
            tag,
        )
