"""Private grammar helpers behind :mod:`imagesim.reference`.

The regular expressions restate the image reference grammar (shared/reference/reference-grammar.md:
distribution/reference, and the older fork that OpenShift's library-go carries), plus the small
pieces of Go behaviour the parsers depend on: go-digest validation, ``strconv.Quote`` for ``%q``
messages, ``net.SplitHostPort``, the Kubernetes name checks; and the wording of
``ImageReference.breakdown()``. Every pattern is used with ``fullmatch``: Go anchors with ``^…$``,
and Go's ``$`` never matches before a trailing newline. Standard library only; imports nothing
from imagesim.
"""

from __future__ import annotations

import re

Pattern = re.Pattern[str]
NAME_TOTAL_LENGTH_MAX = 255
DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
V2_DEFAULT_DOMAIN = "registry-1.docker.io"
DOCKER_HUB_DOMAINS = (DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, V2_DEFAULT_DOMAIN)
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"

# The exact messages of the Go parsers.
ERR_NAME_EMPTY = "repository name must have at least one component"
ERR_INVALID_FORMAT = "invalid reference format"
ERR_UPPERCASE = "repository name must be lowercase"
ERR_TOO_LONG = f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
ERR_NOT_CANONICAL = "repository name must be canonical"
ERR_TAG_FORMAT = "invalid tag format"
ERR_REF_DIGEST_FORMAT = "invalid digest format"
ERR_DIGEST_UNSUPPORTED = "unsupported digest algorithm"
ERR_DIGEST_LENGTH = "invalid checksum digest length"
ERR_DIGEST_FORMAT = "invalid checksum digest format"

# --- the reference grammar -------------------------------------------------------------------
# A separator of one or more dashes is written "-+": the older grammar spells it "[-]*", which
# accepts the same strings but makes a backtracking engine explode on long invalid inputs.
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
PATH_COMPONENT = _ALNUM + r"(?:" + _SEPARATOR + _ALNUM + r")*"
_REMOTE_NAME = PATH_COMPONENT + r"(?:/" + PATH_COMPONENT + r")*"
_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = _LABEL + r"(?:\." + _LABEL + r")*"
_IPV6 = r"\[[a-fA-F0-9:]+\]"
_PORT = r"(?::[0-9]+)?"
_DOMAIN = r"(?:" + _DOMAIN_NAME + r"|" + _IPV6 + r")" + _PORT
_LEGACY_DOMAIN = _DOMAIN_NAME + _PORT  # no IPv6 in the older fork
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"  # Go's \w is ASCII only
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"


def _reference(domain: str) -> Pattern:
    return re.compile(
        r"((?:" + domain + r"/)?" + _REMOTE_NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?"
    )


DOMAIN_RE = re.compile(_DOMAIN)
NAME_RE = re.compile(r"(?:(" + _DOMAIN + r")/)?(" + _REMOTE_NAME + r")")
# The common shape of a pull spec, which every parser reads alike: a lower-case registry host
# with a dot in it (and a port, maybe), a path, maybe a tag; no digest. (domain, path, tag).
_LOWER_LABEL = r"(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])"
PLAIN_PULL_SPEC_RE = re.compile(
    r"(" + _LOWER_LABEL + r"(?:\." + _LOWER_LABEL + r")+" + _PORT + r")/(" + _REMOTE_NAME + r")(?::(" + _TAG + r"))?"
)
REFERENCE_RE = _reference(_DOMAIN)
LEGACY_REFERENCE_RE = _reference(_LEGACY_DOMAIN)
TAG_RE = re.compile(_TAG)
DIGEST_RE = re.compile(_DIGEST)
IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}")
STREAM_NAME_PATTERN = "[a-z0-9]+(?:[._-][a-z0-9]+)*"
STREAM_NAME_RE = re.compile(STREAM_NAME_PATTERN)
_DNS1123_LABEL_PATTERN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_PATTERN)


def no_match_error(pattern: Pattern, text: str) -> str:
    """The error of a reference parser whose grammar does not match ``text``."""
    if text == "":
        return ERR_NAME_EMPTY
    return ERR_UPPERCASE if pattern.fullmatch(go_lower(text)) else ERR_INVALID_FORMAT


# --- digests ---------------------------------------------------------------------------------
_GO_DIGEST_RE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_GO_DIGEST_REGISTERED = {"sha256": 64}  # sha384/sha512 only when linked in: not here
_GO_ENCODED_RE = re.compile(r"[a-f0-9]+")
_OPENSHIFT_DIGEST_RE = re.compile(r"[a-zA-Z0-9_+.-]+:[a-fA-F0-9]+")
_OPENSHIFT_DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}


def go_digest_error(text: str) -> str | None:
    """Why go-digest's ``Parse`` refuses ``text`` (only sha256 registered), or None if valid."""
    i = text.find(":")
    if i <= 0 or i + 1 == len(text):
        return ERR_DIGEST_FORMAT
    algorithm, encoded = text[:i], text[i + 1 :]
    size = _GO_DIGEST_REGISTERED.get(algorithm)
    if size is None:
        return ERR_DIGEST_UNSUPPORTED if _GO_DIGEST_RE.fullmatch(text) else ERR_DIGEST_FORMAT
    if len(encoded) != size:
        return ERR_DIGEST_LENGTH
    return None if _GO_ENCODED_RE.fullmatch(encoded) else ERR_DIGEST_FORMAT


def openshift_digest_error(text: str) -> str | None:
    """Why library-go's own digest validator refuses ``text``, or None (upper-case hex is fine)."""
    if not _OPENSHIFT_DIGEST_RE.fullmatch(text):
        return ERR_DIGEST_FORMAT
    algorithm, encoded = text.split(":", 1)
    size = _OPENSHIFT_DIGEST_SIZES.get(algorithm)
    if size is None:
        return ERR_DIGEST_UNSUPPORTED
    return None if len(encoded) == size else ERR_DIGEST_LENGTH


# --- small pieces of Go ------------------------------------------------------------------------
def go_lower(text: str) -> str:
    """``strings.ToLower``: a per-rune simple mapping (no final sigma, U+0130 -> ``i``)."""
    if text.isascii():
        return text.lower()
    return "".join("i" if ch == "\u0130" else ch.lower() for ch in text)


_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t",
               "\v": r"\v", '"': r"\"", "\\": r"\\"}  # fmt: skip


def go_quote(text: str) -> str:
    """Quote ``text`` the way Go's ``%q`` / ``strconv.Quote`` does."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def split_host_port(hostport: str) -> tuple[str, str] | None:
    """``net.SplitHostPort``: ``(host, port)``, or None where Go returns an error."""
    i = hostport.rfind(":")
    if i < 0:
        return None
    j = k = 0
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0 or end + 1 != i:
            return None
        host, j, k = hostport[1:end], 1, end + 1
    else:
        host = hostport[:i]
        if ":" in host:
            return None
    if "[" in hostport[j:] or "]" in hostport[k:]:
        return None
    return host, hostport[i + 1 :]


def typed_domain(name: str) -> str:
    """The first element of ``name`` if Docker reads it as a registry host, else ``""``.

    It is a host when a ``/`` follows it and it is ``localhost``, contains ``.`` or ``:``, or has
    an upper-case letter (``Foo/bar`` -> ``Foo``).
    """
    first, slash, _ = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or go_lower(first) != first):
        return first
    return ""


def split_docker_domain(name: str) -> tuple[str, str]:
    """distribution/reference ``splitDockerDomain``: domain and remainder, Hub defaults applied."""
    domain = typed_domain(name)
    remainder = name[len(domain) + 1 :] if domain else name
    if not domain or domain == LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_REPO_PREFIX + remainder
    return domain, remainder


# --- Kubernetes / OpenShift name rules ----------------------------------------------------------
def path_segment_reasons(name: str) -> list[str]:
    """apimachinery ``IsValidPathSegmentName``: a name usable as one URL path segment."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


def dns1123_label_reasons(value: str) -> list[str]:
    """apimachinery ``IsDNS1123Label`` (used for namespace names)."""
    reasons = []
    if len(value) > 63:
        reasons.append("must be no more than 63 characters")
    if not _DNS1123_LABEL_RE.fullmatch(value):
        reasons.append(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
            " and must start and end with an alphanumeric character (e.g. 'my-name',  or"
            f" '123-abc', regex used for validation is '{_DNS1123_LABEL_PATTERN}')"
        )
    return reasons


# --- the wording of ImageReference.breakdown() ----------------------------------------------------
def explain_parts(
    domain: str, path: str, tag: str, digest: str, origin: str
) -> tuple[str, str, str]:
    """The registry, repository path and tag lines of a reference breakdown.

    ``origin`` is the text given to ``parse_normalized`` (``""`` otherwise); it tells which parts
    Docker's defaults supplied.
    """
    typed = typed_domain(origin) if origin else domain
    if not path:
        registry = "(none: a bare digest names an image, not a repository)"
    elif not typed:
        registry = f"{DEFAULT_DOMAIN} (implied: no registry host given)"
    elif typed == LEGACY_DEFAULT_DOMAIN and domain == DEFAULT_DOMAIN:
        registry = f"{domain} (written as {typed}, an alias of Docker Hub)"
    elif domain == DEFAULT_DOMAIN:
        registry = f"{domain} (Docker Hub)"
    else:
        registry = domain
    shown = path or "(none)"
    typed_rest = origin[len(typed) + 1 :] if typed else origin
    if origin and domain == DEFAULT_DOMAIN and "/" not in typed_rest:
        shown += " (library/ added: an official Docker Hub image)"
    elif path and not domain and "/" not in path:
        shown += f" (Docker Hub reads it as {OFFICIAL_REPO_PREFIX}{path})"
    if tag:
        tag_line = tag + (" (not used for pulling: the digest wins)" if digest else "")
    elif digest:
        tag_line = "(none: the reference is pinned by digest)"
    else:
        tag_line = f"(none given: {DEFAULT_TAG} is implied)"
    return registry, shown, tag_line
