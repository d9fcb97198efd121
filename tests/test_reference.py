"""Tests of imagesim.reference: the conformance vectors, a self-contained table, properties."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagesim.errors import InvalidReference
from imagesim.reference import (
    DockerImageReference,
    ImageReference,
    digest_or_image_match,
    is_hex_digest,
    match_domain,
    match_identifier,
    match_name,
    match_reference,
    oc_tag_source_kind,
    parse_isimage_name,
    parse_istag_name,
    parse_oc_stream_name,
    split_isimage,
    split_istag,
    validate_imagestream_name,
    validate_oc_tag,
)

HEX = "d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1"
DIGEST = "sha256:" + HEX
FFFF = "sha256:" + "f" * 64

# --- conformance vectors ---------------------------------------------------------------------------
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
VECTORS_PATH = SHARED / "conformance" / "reference_vectors_public.json"
VECTORS = json.loads(VECTORS_PATH.read_text(encoding="utf-8")) if VECTORS_PATH.is_file() else None

DOCKER_CHECKS = {
    "parse", "parse_normalized", "parse_any", "parse_docker_ref", "parse_named", "with_name",
    "with_tag", "with_digest", "normalized_then_with",
}  # fmt: skip
MATCH_CHECKS = {"match_domain", "match_name", "match_reference", "match_identifier"}
ISTAG_CHECKS = {
    "parse_istag_name", "split_istag", "parse_isimage_name", "split_isimage",
    "validate_imagestream_name", "oc_parse_stream_name", "oc_validate_tag", "isimage_id_match",
}  # fmt: skip

# error_kind of each message the Go parsers print (the vectors' short class).
ERROR_KINDS = {
    "invalid reference format": "invalid reference format",
    "repository name must be lowercase": "repository name must be lowercase",
    "repository name must not be more than 255 characters": "repository name too long",
    "unsupported digest algorithm": "unsupported digest algorithm",
    "invalid checksum digest length": "invalid digest",
    "invalid checksum digest format": "invalid digest",
    "invalid digest format": "invalid digest",
    "invalid tag format": "invalid tag format",
    "repository name must be canonical": "repository name must be canonical",
}


def error_kind(message: str) -> str | None:
    if message.startswith("invalid reference format: repository name (") and message.endswith(
        ") must be lowercase"
    ):
        return "repository name must be lowercase"
    return ERROR_KINDS.get(message)


def vector_cases(section: str, checks: set[str]) -> list:
    if VECTORS is None:
        skip = pytest.mark.skip(reason=f"{VECTORS_PATH} absent")
        return [pytest.param(None, id="no-vector-file", marks=skip)]
    return [pytest.param(v, id=v["case_id"]) for v in VECTORS[section] if v["check"] in checks]


def assert_error(err: InvalidReference, vector: dict) -> None:
    if vector.get("error") is not None:
        assert err.message == str(err) == vector["error"]
    kind = error_kind(err.message)
    if vector.get("error_kind") is not None and kind is not None:
        assert kind == vector["error_kind"]


def run_docker_check(v: dict) -> ImageReference:
    check, text = v["check"], v["input"]
    simple = {
        "parse": ImageReference.parse,
        "parse_normalized": ImageReference.parse_normalized,
        "parse_any": ImageReference.parse_any,
        "parse_docker_ref": ImageReference.parse_docker_ref,
        "parse_named": ImageReference.parse_named,
        "with_name": ImageReference.with_name,
    }
    if check in simple:
        return simple[check](text)
    tag, digest = v.get("with_tag"), v.get("with_digest")
    if check == "normalized_then_with":
        ref = ImageReference.parse_normalized(text)
    else:
        ref = ImageReference.with_name(text)
    if check == "with_tag":  # an existing digest is attached first, then the tag
        ref = ref.with_digest(digest) if digest else ref
        return ref.with_tag(tag)
    ref = ref.with_tag(tag) if tag else ref  # with_digest / normalized_then_with: tag first
    return ref.with_digest(digest) if digest else ref


def none_if_empty(value: str) -> str | None:
    return value or None


@pytest.mark.parametrize("v", vector_cases("docker", DOCKER_CHECKS))
def test_docker_vectors(v: dict) -> None:
    if not v["valid"]:
        try:
            run_docker_check(v)
        except InvalidReference as err:
            assert_error(err, v)
        else:
            assert v.get("registration_dependent"), "expected the input to be refused"
        return
    ref = run_docker_check(v)
    got = {
        "domain": none_if_empty(ref.domain),
        "path": none_if_empty(ref.path),
        "name": none_if_empty(ref.repository),
        "tag": none_if_empty(ref.tag),
        "digest": none_if_empty(ref.digest),
        "string": str(ref),
        "normalized": ref.normalized,
        "familiar": ref.familiar,
        "familiar_name": ref.familiar_name,
        "reference_kind": ref.kind,
    }
    for key, value in got.items():
        if v.get(key) is not None:
            assert value == v[key], key
    if v["check"].startswith("parse"):  # With* check only the tag / digest grammar
        assert str(ImageReference.parse(str(ref))) == str(ref)


@pytest.mark.parametrize("v", vector_cases("docker", MATCH_CHECKS))
def test_match_vectors(v: dict) -> None:
    check, text = v["check"], v["input"]
    if check == "match_domain":
        assert match_domain(text) is v["valid"]
    elif check == "match_identifier":
        assert match_identifier(text) is v["valid"]
    elif check == "match_name":
        got = match_name(text)
        assert (got is not None) is v["valid"]
        if got is not None:
            assert none_if_empty(got[0]) == v["domain"]
            assert got[1] == v["path"]
    else:
        got = match_reference(text)
        assert (got is not None) is v["valid"]
        if got is not None:
            name, tag, digest = got[0], none_if_empty(got[1]), none_if_empty(got[2])
            assert (name, tag, digest) == (v["name"], v["tag"], v["digest"])


def test_every_vector_check_is_covered() -> None:
    if VECTORS is None:
        pytest.skip(f"{VECTORS_PATH} absent")
    assert {v["check"] for v in VECTORS["docker"]} <= DOCKER_CHECKS | MATCH_CHECKS
    assert {v["check"] for v in VECTORS["openshift"]} == {"library_go_parse"}
    assert {v["check"] for v in VECTORS["istag_names"]} <= ISTAG_CHECKS


@pytest.mark.parametrize("v", vector_cases("openshift", {"library_go_parse"}))
def test_openshift_vectors(v: dict) -> None:
    text = v["input"]
    if v.get("docker_normalized_valid") is not None:
        try:
            normalized = ImageReference.parse_normalized(text).normalized
        except InvalidReference:
            normalized = None
        assert (normalized is not None) is v["docker_normalized_valid"]
        assert normalized == v["docker_normalized"]
    if not v["valid"]:
        with pytest.raises(InvalidReference) as info:
            DockerImageReference.parse(text)
        assert_error(info.value, v)
        with pytest.raises(InvalidReference):
            oc_tag_source_kind(text)
        return
    ref = DockerImageReference.parse(text)
    got = {
        "registry": ref.registry,
        "namespace": ref.namespace,
        "name": ref.name,
        "tag": ref.tag,
        "id": ref.id,
        "exact": ref.exact(),
        "string": str(ref),
        "docker_client_defaults": ref.docker_client_defaults().exact(),
        "daemon_minimal": ref.daemon_minimal().exact(),
        "repository_name": ref.repository_name(),
        "registry_host_port": list(ref.registry_host_port()),
        "oc_tag_source_kind": oc_tag_source_kind(text),
    }
    for key, value in got.items():
        if v.get(key) is not None:
            assert value == v[key], key


@pytest.mark.parametrize("v", vector_cases("legacy", {"parse", "parse_normalized"}))
def test_legacy_vectors_current_behaviour(v: dict) -> None:
    # The legacy section is informational (containers/image); it also records what the current
    # distribution/reference does with the same input, which is what ImageReference mimics.
    parse = ImageReference.parse if v["check"] == "parse" else ImageReference.parse_normalized
    try:
        got = str(parse(v["input"]))
    except InvalidReference:
        got = None
    assert (got is not None) is v["current_distribution_reference_valid"]
    if v.get("current_distribution_reference_string") is not None:
        assert got == v["current_distribution_reference_string"]


def expect(v: dict, func, *args):
    """Run ``func``; if the vector is invalid, check the error and return None."""
    if v["valid"] or v.get("error") is None:
        return func(*args)
    with pytest.raises(InvalidReference) as info:
        func(*args)
    assert info.value.message == v["error"]
    return None


@pytest.mark.parametrize("v", vector_cases("istag_names", ISTAG_CHECKS))
def test_istag_vectors(v: dict) -> None:
    check, text = v["check"], v["input"]
    if check == "parse_istag_name":
        got = expect(v, parse_istag_name, text)
        assert got is None or got == (v["name"], v["tag"])
    elif check == "parse_isimage_name":
        got = expect(v, parse_isimage_name, text)
        assert got is None or got == (v["name"], v["id"])
    elif check == "split_istag":
        assert split_istag(text) == (v["name"], v["tag"], v["has_separator"])
    elif check == "split_isimage":
        assert split_isimage(text) == (v["name"], v["id"], v["has_separator"])
    elif check == "validate_imagestream_name":
        reasons = validate_imagestream_name(text, v.get("namespace") or "")
        assert reasons == v["reasons"]
        assert (reasons == []) is v["valid"]
    elif check == "oc_parse_stream_name":
        got = expect(v, parse_oc_stream_name, text, v["default_namespace"])
        assert got is None or got == (v["namespace"], v["name"])
    elif check == "oc_validate_tag":
        expect(v, validate_oc_tag, text)
        if not v["valid"] and v.get("error") is None:
            with pytest.raises(InvalidReference):
                validate_oc_tag(text)
    else:
        assert digest_or_image_match(v["image"], text) is v["valid"]


# --- a self-contained table (no vector file needed) ------------------------------------------------
LIB = "docker.io/library/"


def ids(rows: list[tuple]) -> list[str]:
    return [row[0][:50] or "<empty>" for row in rows]


PARSE_VALID = [
    # input, domain, path, tag, digest
    ("test_com", "", "test_com", "", ""),
    ("test.com:tag", "", "test.com", "tag", ""),
    ("test.com:5000", "", "test.com", "5000", ""),
    ("test.com/repo:tag", "test.com", "repo", "tag", ""),
    ("test:5000/repo", "test:5000", "repo", "", ""),
    ("test:5000/repo@" + FFFF, "test:5000", "repo", "", FFFF),
    ("test:5000/repo:tag@" + FFFF, "test:5000", "repo", "tag", FFFF),
    ("lowercase:Uppercase", "", "lowercase", "Uppercase", ""),
    ("sub-dom1.foo.com/bar/baz/quux:long-tag", "sub-dom1.foo.com", "bar/baz/quux", "long-tag", ""),
    ("b.gcr.io/test.example.com/my-app:t.e.c", "b.gcr.io", "test.example.com/my-app", "t.e.c", ""),
    ("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", ""),
    ("foo_bar.com:8080", "", "foo_bar.com", "8080", ""),
    ("foo/foo_bar.com:8080", "foo", "foo_bar.com", "8080", ""),
    ("localhost:8080@" + DIGEST, "", "localhost", "8080", DIGEST),
    ("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", "", ""),
    ("[::1]/foo", "[::1]", "foo", "", ""),
    ("Foo/bar", "Foo", "bar", "", ""),
    ("example.com:0/foo", "example.com:0", "foo", "", ""),
    ("a__b", "", "a__b", "", ""),
    ("a-----b", "", "a-----b", "", ""),
    ("foo:_tag", "", "foo", "_tag", ""),
    ("a" * 255, "", "a" * 255, "", ""),
    ("example.com/" + "a" * 255, "example.com", "a" * 255, "", ""),
    ("sha256:" + HEX, "", "sha256", HEX, ""),
    (HEX, "", HEX, "", ""),
    ("foo:" + "a" * 128, "", "foo", "a" * 128, ""),
]

PARSE_INVALID = [
    ("", "repository name must have at least one component"),
    (":justtag", "invalid reference format"),
    ("@" + FFFF, "invalid reference format"),
    ("repo@sha256:" + "f" * 34, "invalid checksum digest length"),
    ("validname@invaliddigest:" + "f" * 64, "unsupported digest algorithm"),
    ("foo@sha256+b64:" + "a" * 64, "unsupported digest algorithm"),
    ("foo@md5:" + "a" * 32, "unsupported digest algorithm"),
    ("foo@sha512:" + "a" * 128, "unsupported digest algorithm"),
    ("foo@sha256:" + "A" * 64, "invalid checksum digest format"),
    ("foo@SHA256:" + "a" * 64, "invalid checksum digest format"),
    ("foo@sha256:" + "a" * 31, "invalid reference format"),
    ("Uppercase:tag", "repository name must be lowercase"),
    ("test:5000/Uppercase/lowercase:tag", "repository name must be lowercase"),
    ("a" * 256, "repository name must not be more than 255 characters"),
    ("aa/asdf$$^/aa", "invalid reference format"),
    ("[2001:db8::1]", "invalid reference format"),
    ("[2001:db8::1]:5000", "invalid reference format"),
    ("[fe80::1%eth0]:5000/repo", "invalid reference format"),
    ("[::ffff:192.0.2.1]:5000/foo", "invalid reference format"),
    ("foo_bar:5000/app", "invalid reference format"),
    ("foo\n", "invalid reference format"),
    ("a___b", "invalid reference format"),
    ("a_-b", "invalid reference format"),
    ("a..b", "invalid reference format"),
    ("a/", "invalid reference format"),
    ("/a", "invalid reference format"),
    ("a//b", "invalid reference format"),
    ("foo:", "invalid reference format"),
    ("foo:-tag", "invalid reference format"),
    ("foo:" + "a" * 129, "invalid reference format"),
    ("https://foo/bar", "invalid reference format"),
    ("foo bar", "invalid reference format"),
]


@pytest.mark.parametrize(("text", "domain", "path", "tag", "digest"), PARSE_VALID, ids=ids(PARSE_VALID))
def test_parse_valid(text: str, domain: str, path: str, tag: str, digest: str) -> None:
    ref = ImageReference.parse(text)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (domain, path, tag, digest)
    assert str(ref) == text
    assert ImageReference.parse(str(ref)) == ref
    assert repr(ref) == f"ImageReference({text!r})"


@pytest.mark.parametrize(("text", "message"), PARSE_INVALID, ids=ids(PARSE_INVALID))
def test_parse_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        ImageReference.parse(text)
    assert str(info.value) == info.value.message == message
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


NORMALIZED = [
    # input, string, normalized (TagNameOnly), familiar, familiar name
    ("mongo", LIB + "mongo", LIB + "mongo:latest", "mongo", "mongo"),
    ("docker.io/mongo:4.4", LIB + "mongo:4.4", LIB + "mongo:4.4", "mongo:4.4", "mongo"),
    ("index.docker.io/library/ubuntu", LIB + "ubuntu", LIB + "ubuntu:latest", "ubuntu", "ubuntu"),
    (
        "registry-1.docker.io/library/ubuntu",
        "registry-1.docker.io/library/ubuntu",
        "registry-1.docker.io/library/ubuntu:latest",
        "registry-1.docker.io/library/ubuntu",
        "registry-1.docker.io/library/ubuntu",
    ),
    (LIB + "foo/bar", LIB + "foo/bar", LIB + "foo/bar:latest", "library/foo/bar", "library/foo/bar"),
    (
        "centos/mongodb-32-centos7@" + DIGEST,
        "docker.io/centos/mongodb-32-centos7@" + DIGEST,
        "docker.io/centos/mongodb-32-centos7@" + DIGEST,
        "centos/mongodb-32-centos7@" + DIGEST,
        "centos/mongodb-32-centos7",
    ),
    (
        "busybox:latest@" + DIGEST,
        LIB + "busybox:latest@" + DIGEST,
        LIB + "busybox:latest@" + DIGEST,
        "busybox:latest@" + DIGEST,
        "busybox",
    ),
    ("localhost/foo", "localhost/foo", "localhost/foo:latest", "localhost/foo", "localhost/foo"),
    ("localhost", LIB + "localhost", LIB + "localhost:latest", "localhost", "localhost"),
    ("e.com:5000", LIB + "e.com:5000", LIB + "e.com:5000", "e.com:5000", "e.com"),
    ("Foo/bar", "Foo/bar", "Foo/bar:latest", "Foo/bar", "Foo/bar"),
    ("LOCALHOST/foo", "LOCALHOST/foo", "LOCALHOST/foo:latest", "LOCALHOST/foo", "LOCALHOST/foo"),
    ("quay.io/o/app:v1", "quay.io/o/app:v1", "quay.io/o/app:v1", "quay.io/o/app:v1", "quay.io/o/app"),
    ("[::1]:5000/foo", "[::1]:5000/foo", "[::1]:5000/foo:latest", "[::1]:5000/foo", "[::1]:5000/foo"),
    ("docker.io/" + HEX, LIB + HEX, LIB + HEX + ":latest", HEX, HEX),
    ("a" * 247, LIB + "a" * 247, LIB + "a" * 247 + ":latest", "a" * 247, "a" * 247),
]


@pytest.mark.parametrize(
    ("text", "string", "normalized", "familiar", "short"), NORMALIZED, ids=ids(NORMALIZED)
)
def test_parse_normalized(text: str, string: str, normalized: str, familiar: str, short: str) -> None:
    ref = ImageReference.parse_normalized(text)
    assert (str(ref), ref.normalized) == (string, normalized)
    assert (ref.familiar, ref.familiar_name) == (familiar, short)
    assert ImageReference.parse_normalized(str(ref)) == ref
    assert ImageReference.parse_named(str(ref)) == ref


def lowercase_error(remote: str) -> str:
    return f"invalid reference format: repository name ({remote}) must be lowercase"


NORMALIZED_INVALID = [
    (HEX, f"invalid repository name ({HEX}), cannot specify 64-byte hexadecimal strings"),
    ("docker/Docker", lowercase_error("docker/Docker")),
    ("test:5000/Uppercase/lowercase:tag", lowercase_error("Uppercase/lowercase")),
    ("foo@SHA256:" + HEX, lowercase_error("library/foo@SHA256")),
    ("docker.io/Foo", lowercase_error("library/Foo")),
    ("\u0130mage", lowercase_error("library/\u0130mage")),
    ("a" * 248, "repository name must not be more than 255 characters"),
    ("foo@sha256:" + "a" * 65, "invalid checksum digest length"),
    ("[::1]", "invalid reference format"),
    ("fc00::1:5000/debian", "invalid reference format"),
    ("", "invalid reference format"),
    ("-foo", "invalid reference format"),
]


@pytest.mark.parametrize(("text", "message"), NORMALIZED_INVALID, ids=ids(NORMALIZED_INVALID))
def test_parse_normalized_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        ImageReference.parse_normalized(text)
    assert info.value.message == message
    assert info.value.text == text


def test_go_lowercasing() -> None:
    # Go lower-cases rune by rune: U+0130 becomes "i", so the strict parser reports upper case.
    with pytest.raises(InvalidReference, match="^repository name must be lowercase$"):
        ImageReference.parse("\u0130mage")
    with pytest.raises(InvalidReference, match="^repository name must be lowercase$"):
        ImageReference.parse("\u212aelvin")  # KELVIN SIGN lower-cases to "k"


def test_parse_any_docker_ref_named_and_with() -> None:
    assert str(ImageReference.parse_any(HEX)) == DIGEST
    assert ImageReference.parse_any(DIGEST).kind == "digest-only"
    assert str(ImageReference.parse_any("sha256:" + HEX[:-1])) == LIB + "sha256:" + HEX[:-1]
    assert str(ImageReference.parse_docker_ref("busybox")) == LIB + "busybox:latest"
    assert str(ImageReference.parse_docker_ref("busybox:1@" + DIGEST)) == LIB + "busybox@" + DIGEST
    with pytest.raises(InvalidReference, match="^repository name must be canonical$"):
        ImageReference.parse_named("foo")
    name = ImageReference.with_name("test.com/foo")
    short = "sha256:" + "1" * 37
    assert str(name.with_tag("v1").with_digest(short)) == f"test.com/foo:v1@{short}"
    assert name.with_digest(short).with_tag("v1") == ImageReference("test.com", "foo", "v1", short)
    with pytest.raises(InvalidReference, match="^invalid tag format$"):
        name.with_tag("-foo")
    with pytest.raises(InvalidReference, match="^invalid digest format$"):
        name.with_digest("foo")
    with pytest.raises(InvalidReference, match="^invalid reference format$"):
        ImageReference.with_name("example.com/repo:tag")
    with pytest.raises(InvalidReference, match="^repository name must not be more than 255 characters$"):
        ImageReference.with_name("a" * 256)
    assert ImageReference.with_name("example.com/" + "a" * 255).path == "a" * 255


def test_value_object() -> None:
    ref = ImageReference.parse("quay.io/org/team/app:v1")
    assert (ref.registry, ref.repository) == ("quay.io", "quay.io/org/team/app")
    assert (ref.namespace, ref.name, ref.kind) == ("org", "team/app", "tagged")
    assert (ImageReference.parse("app").namespace, ImageReference.parse("app").name) == ("", "app")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.tag = "v2"  # type: ignore[misc]
    assert ref == ImageReference("quay.io", "org/team/app", "v1")
    assert hash(ref) == hash(ImageReference.parse(str(ref)))
    assert ImageReference.parse_normalized("mongo") == ImageReference.parse(LIB + "mongo")
    assert ImageReference.parse("a@" + DIGEST).digest_algorithm == "sha256"
    assert ImageReference.parse("a@" + DIGEST).digest_hex == HEX
    assert not hasattr(ref, "__dict__")


BREAKDOWNS = [
    (
        ImageReference.parse_normalized("centos/mongodb-32-centos7@" + DIGEST),
        "registry:         docker.io (implied: no registry host given)\n"
        "repository path:  centos/mongodb-32-centos7\n"
        "tag:              (none: the reference is pinned by digest)\n"
        "digest algorithm: sha256\n"
        f"digest hex:       {HEX}",
    ),
    (
        ImageReference.parse_normalized("mongo"),
        "registry:         docker.io (implied: no registry host given)\n"
        "repository path:  library/mongo (library/ added: an official Docker Hub image)\n"
        "tag:              (none given: latest is implied)\n"
        "digest algorithm: (none)\n"
        "digest hex:       (none)",
    ),
    (
        ImageReference.parse("mongo:4.4"),
        "registry:         docker.io (implied: no registry host given)\n"
        "repository path:  mongo (Docker Hub reads it as library/mongo)\n"
        "tag:              4.4\n"
        "digest algorithm: (none)\n"
        "digest hex:       (none)",
    ),
    (
        ImageReference.parse_normalized("index.docker.io/library/ubuntu:22.04"),
        "registry:         docker.io (written as index.docker.io, an alias of Docker Hub)\n"
        "repository path:  library/ubuntu\n"
        "tag:              22.04\n"
        "digest algorithm: (none)\n"
        "digest hex:       (none)",
    ),
    (
        ImageReference.parse_normalized("docker.io/library/ubuntu"),
        "registry:         docker.io (Docker Hub)\n"
        "repository path:  library/ubuntu\n"
        "tag:              (none given: latest is implied)\n"
        "digest algorithm: (none)\n"
        "digest hex:       (none)",
    ),
    (
        ImageReference.parse("quay.io/org/app:v1@" + DIGEST),
        "registry:         quay.io\n"
        "repository path:  org/app\n"
        "tag:              v1 (not used for pulling: the digest wins)\n"
        "digest algorithm: sha256\n"
        f"digest hex:       {HEX}",
    ),
    (
        ImageReference.parse_any(HEX),
        "registry:         (none: a bare digest names an image, not a repository)\n"
        "repository path:  (none)\n"
        "tag:              (none: the reference is pinned by digest)\n"
        "digest algorithm: sha256\n"
        f"digest hex:       {HEX}",
    ),
]


@pytest.mark.parametrize(("ref", "text"), BREAKDOWNS, ids=[str(r)[:40] for r, _ in BREAKDOWNS])
def test_breakdown(ref: ImageReference, text: str) -> None:
    breakdown = ref.breakdown()
    assert str(breakdown) == text
    assert str(ref.breakdown()) == text  # deterministic
    assert breakdown.rows()[0][0] == "registry"
    rendered = breakdown._repr_html_()
    assert rendered.startswith("<table") and rendered.endswith("</table>")
    assert f"<code>{ref}</code>" in rendered
    assert rendered.count("<tr>") == 5


def test_breakdown_html_escapes() -> None:
    rendered = ImageReference.parse("a:b").breakdown()._repr_html_()
    assert "<th style='text-align:left'>registry</th>" in rendered
    assert "<td style='text-align:left'><code>b</code></td>" in rendered
    assert dataclasses.replace(ImageReference.parse("a").breakdown(), tag="<x>")._repr_html_().count(
        "&lt;x&gt;"
    ) == 1


def test_match_helpers() -> None:
    assert match_domain("localhost:5000") and match_domain("[::1]:80") and not match_domain("-ab.com")
    assert match_identifier(HEX) and not match_identifier(HEX.upper())
    assert not match_identifier(HEX + "\n")
    assert match_name("aa/bb/cc") == ("aa", "bb/cc")
    assert match_name("foo_bar") == ("", "foo_bar")
    assert match_name("Foo/FarB") is None
    assert match_reference("localhost:8080@" + DIGEST) == ("localhost", "8080", DIGEST)
    assert match_reference("registry.com:8080/myapp@sha256:badbadbadbad") is None
    assert is_hex_digest(DIGEST) and not is_hex_digest("sha256:" + HEX[:-1]) and not is_hex_digest(HEX)


# --- DockerImageReference (library-go) --------------------------------------------------------------
UPPER = "sha256:" + HEX.upper()
SHA512 = "sha512:" + "a" * 128
OPENSHIFT = [
    # input, (registry, namespace, name, tag, id), exact, string
    ("foo", ("", "", "foo", "", ""), "foo", "foo"),
    ("Foo/bar", ("", "Foo", "bar", "", ""), "Foo/bar", "Foo/bar"),
    ("bar/foo/baz", ("", "bar", "foo/baz", "", ""), "bar/foo/baz", "bar/foo/baz"),
    ("docker.io/myapp", ("docker.io", "", "myapp", "", ""), "docker.io/myapp", LIB + "myapp"),
    (
        "index.docker.io/myapp:1",
        ("index.docker.io", "", "myapp", "1", ""),
        "index.docker.io/myapp:1",
        "index.docker.io/library/myapp:1",
    ),
    ("quay.io", ("quay.io", "", "", "", ""), "", ""),
    ("quay.io:443", ("quay.io:443", "", "", "", ""), "", ""),
    ("localhostfoo", ("localhostfoo", "", "", "", ""), "", ""),
    ("foo.bar:tag", ("foo.bar:tag", "", "", "", ""), "", ""),
    ("localhost/ruby", ("localhost", "", "ruby", "", ""), "localhost/ruby", "localhost/ruby"),
    ("sha256:" + HEX, ("", "", "sha256", HEX, ""), "sha256:" + HEX, "sha256:" + HEX),
    ("a:1@" + DIGEST, ("", "", "a", "1", DIGEST), "a@" + DIGEST, "a@" + DIGEST),
    ("foo@" + UPPER, ("", "", "foo", "", UPPER), "foo@" + UPPER, "foo@" + UPPER),
    ("foo@" + SHA512, ("", "", "foo", "", SHA512), "foo@" + SHA512, "foo@" + SHA512),
    ("e.com/" + "a" * 249, ("e.com", "", "a" * 249, "", ""), "e.com/" + "a" * 249, "e.com/" + "a" * 249),
]


@pytest.mark.parametrize(("text", "fields", "exact", "string"), OPENSHIFT, ids=ids(OPENSHIFT))
def test_docker_image_reference(text: str, fields: tuple, exact: str, string: str) -> None:
    ref = DockerImageReference.parse(text)
    assert dataclasses.astuple(ref) == fields
    assert ref.exact() == exact and ref.string() == str(ref) == string


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "repository name must have at least one component"),
        ("[::1]:5000/repo", "invalid reference format"),
        ("bar/foo/baz////biz", "invalid reference format"),
        ("example.com/" + "a" * 244, "repository name must not be more than 255 characters"),
        ("Foo/Bar", "repository name must be lowercase"),
        ("foo@md5:" + "a" * 32, "unsupported digest algorithm"),
        ("foo@SHA256:" + HEX, "unsupported digest algorithm"),
        ("foo@sha256:" + HEX[:-1], "invalid checksum digest length"),
        ("foo@sha256:" + HEX[:31], "invalid reference format"),
    ],
)
def test_docker_image_reference_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        DockerImageReference.parse(text)
    assert info.value.message == message


def test_docker_image_reference_defaults() -> None:
    ref = DockerImageReference.parse("index.docker.io/library/busybox:latest")
    assert ref.docker_client_defaults().exact() == "index.docker.io/library/busybox:latest"
    assert ref.daemon_minimal().exact() == "docker.io/busybox"
    assert ref.registry_host_port() == ("registry-1.docker.io", "443")
    assert ref.repository_name() == "library/busybox"
    foo, quay = DockerImageReference.parse("foo"), DockerImageReference.parse("quay.io/a/b")
    assert foo.docker_client_defaults().exact() == LIB + "foo:latest"
    assert quay.docker_client_defaults().exact() == "quay.io/a/b:latest"
    assert quay.registry_host_port(insecure=True) == ("quay.io", "80")
    assert DockerImageReference.parse("localhost:5000/a").registry_host_port() == ("localhost", "5000")
    assert DockerImageReference.parse("foo.bar:tag").registry_host_port() == ("foo.bar", "tag")
    assert DockerImageReference.parse("localhost:5000@" + DIGEST).registry_host_port() == ("", "")
    assert DockerImageReference(name="x", id="not-a-digest").exact() == "x:not-a-digest"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("openshift/ruby:2.7", "ImageStreamTag"),
        ("ruby@" + DIGEST, "ImageStreamImage"),
        ("ruby:2.7@" + DIGEST, "ImageStreamImage"),
        ("quay.io/org/app:v1", "DockerImage"),
        ("localhost/ruby:1", "DockerImage"),
        ("ruby", "DockerImage"),
        ("mongo:4.4", "ImageStreamTag"),
    ],
)
def test_oc_tag_source_kind(text: str, kind: str) -> None:
    assert oc_tag_source_kind(text) == kind


# --- stream tag / image names ------------------------------------------------------------------------
def test_istag_names() -> None:
    assert parse_istag_name("RUBY:Latest") == ("RUBY", "Latest")
    assert parse_istag_name("ruby:invalid#tag") == ("ruby", "invalid#tag")
    for text, message in [
        ("ruby", 'expected exactly one : delimiter in the istag "ruby"'),
        ("a:b:c", 'expected exactly one : delimiter in the istag "a:b:c"'),
        ("ruby:", 'image stream tag name "ruby:" must have a name and a tag'),
        ('a"b@c', '"a\\"b@c" is an image stream image, not an image stream tag'),
    ]:
        with pytest.raises(InvalidReference) as info:
            parse_istag_name(text)
        assert info.value.message == message
    assert split_istag("name:") == ("name", "latest", True)
    assert split_istag("name") == ("name", "latest", False)
    assert split_istag("a:b:c") == ("a", "b:c", True)
    assert parse_isimage_name("ruby@d4dc006a") == ("ruby", "d4dc006a")
    for text, message in [
        ("a@b@c", 'expected exactly one @ in the isimage name "a@b@c"'),
        ("@id", 'image stream image name "@id" must have a name and ID'),
    ]:
        with pytest.raises(InvalidReference) as info:
            parse_isimage_name(text)
        assert info.value.message == message
    assert split_isimage("ruby") == ("ruby", "", False)
    assert split_isimage("ruby@") == ("ruby", "", True)


def test_digest_or_image_match() -> None:
    assert digest_or_image_match(DIGEST, "sha256:d4dc00")
    assert digest_or_image_match(DIGEST, "d4dc006a")
    assert digest_or_image_match(DIGEST, "")
    assert not digest_or_image_match(DIGEST, "sha256:ffff")
    assert not digest_or_image_match(DIGEST, "ffff")
    assert digest_or_image_match("not-a-digest", "not-a")


STREAM_NAME_RULE = 'must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"'
DNS_LABEL_RULE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
    " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex"
    " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


@pytest.mark.parametrize(
    ("name", "namespace", "reasons"),
    [
        ("foo", "", []),
        ("foo.bar-baz_1", "myproject", []),
        (".", "", ["may not be '.'"]),
        ("..", "", ["may not be '..'"]),
        ("foo/bar", "", ["may not contain '/'"]),
        ("foo%bar", "", ["may not contain '%'"]),
        ("a/%", "", ["may not contain '/'", "may not contain '%'"]),
        ("foo bar", "", [STREAM_NAME_RULE]),
        ("foo--bar", "", [STREAM_NAME_RULE]),
        ("", "", [STREAM_NAME_RULE]),
        ("foo", "!$", [DNS_LABEL_RULE]),
        ("foo", "a" * 64, ["must be no more than 63 characters"]),
        ("a" * 250, "a" * 10, ["'namespace/name' cannot be longer than 255 characters"]),
    ],
)
def test_validate_imagestream_name(name: str, namespace: str, reasons: list[str]) -> None:
    assert validate_imagestream_name(name, namespace) == reasons


def test_oc_stream_names_and_tags() -> None:
    assert parse_oc_stream_name("rails:tip", "myproject") == ("myproject", "rails:tip")
    assert parse_oc_stream_name("other/rails:tip", "myproject") == ("other", "rails:tip")
    for text, message in [
        ("a/b/c:t", 'invalid image stream "a/b/c:t"'),
        ("/b:t", 'invalid namespace "" for image stream "/b:t"'),
        ("a/", 'invalid name "" for image stream "a/"'),
        ("a/b/\n", 'invalid image stream "a/b/\\n"'),
    ]:
        with pytest.raises(InvalidReference) as info:
            parse_oc_stream_name(text, "myproject")
        assert info.value.message == message
    for tag in ["tip", "Latest", "_x", "1.0-rc.1", "a" * 128]:
        validate_oc_tag(tag)
    suffix = (
        " format, tags must start with an alphanumeric character followed by alphanumeric, '.' or"
        " '-' characters, and have a maximum of 128 characters"
    )
    for tag, quoted in [
        ("invalid-tagname-test#123", '"invalid-tagname-test#123"'),
        ("", '""'),
        ("-x", '"-x"'),
        ("a" * 129, '"' + "a" * 129 + '"'),
        ("tip\n", '"tip\\n"'),
        ("caf\u00e9", '"caf\u00e9"'),
        ("a\u00a0b", '"a\\u00a0b"'),
        ("\x7f", '"\\x7f"'),
    ]:
        with pytest.raises(InvalidReference) as info:
            validate_oc_tag(tag)
        assert info.value.message == "invalid tag " + quoted + suffix


# --- properties ----------------------------------------------------------------------------------------
_ALNUM = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
_SEPARATOR = st.sampled_from([".", "_", "__", "-", "--", "---"])
_COMPONENT = st.builds(
    lambda first, rest: first + "".join(sep + part for sep, part in rest),
    _ALNUM,
    st.lists(st.tuples(_SEPARATOR, _ALNUM), max_size=3),
)
_LABEL = st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?", fullmatch=True)
_HOST = st.one_of(
    st.builds(".".join, st.lists(_LABEL, min_size=1, max_size=3)),
    # with a ":" inside: Docker's normalization reads "[0]/x" as a path, not a host
    st.from_regex(r"\[[0-9a-fA-F]{0,4}:[0-9a-fA-F:]{0,10}\]", fullmatch=True),
    st.just("localhost"),
)
_PORT = st.none() | st.integers(0, 99999)
_DOMAIN = st.builds(lambda host, port: host if port is None else f"{host}:{port}", _HOST, _PORT)
_TAG = st.just("") | st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)
_DIGEST = st.just("") | st.binary(min_size=32, max_size=32).map(lambda raw: "sha256:" + raw.hex())


@st.composite
def references(draw) -> ImageReference:
    domain = draw(st.just("") | _DOMAIN)
    # Without a domain the first of several components would be read as one: one component only.
    path = "/".join(draw(st.lists(_COMPONENT, min_size=1, max_size=4 if domain else 1)))
    return ImageReference(domain, path, draw(_TAG), draw(_DIGEST))


@settings(database=None, deadline=None)
@given(references())
def test_property_round_trip(ref: ImageReference) -> None:
    text = str(ref)
    assert ImageReference.parse(text) == ref
    assert str(ImageReference.parse(text)) == text
    normalized = ImageReference.parse_normalized(text)
    assert ImageReference.parse_normalized(str(normalized)) == normalized
    assert ImageReference.parse_named(str(normalized)) == normalized


def _openshift_registry(ref: ImageReference) -> bool:
    return "[" not in ref.domain and ("." in ref.domain or ":" in ref.domain)


@settings(database=None, deadline=None)
@given(references().filter(_openshift_registry))
def test_property_openshift_split(ref: ImageReference) -> None:
    parsed = DockerImageReference.parse(str(ref))
    assert (parsed.registry, parsed.namespace, parsed.name) == (ref.domain, ref.namespace, ref.name)
    assert (parsed.tag, parsed.id) == (ref.tag, ref.digest)
    expected = f"{ref.repository}@{ref.digest}" if ref.tag and ref.digest else str(ref)
    assert parsed.exact() == expected


# --- the one-match reading of a plain pull spec ----------------------------------------------

def _pull_specs(count: int, seed: int) -> list[str]:
    """Pull specs near the common shape: hosts with and without dots, ports, Docker Hub hosts,
    upper case, paths with every separator (and invalid runs of them), long paths and tags,
    tags and digests."""
    import random

    rng = random.Random(seed)

    def word(chars: str, low: int, high: int) -> str:
        return "".join(rng.choice(chars) for _ in range(rng.randint(low, high)))

    out = []
    for _ in range(count):
        host = ".".join(rng.choice([word("ab0", 1, 4), word("ab0", 1, 2) + "-" + word("ab0", 1, 2), word("ab0-", 1, 4)])
                        for _ in range(rng.randint(1, 3)))
        host = rng.choice([host, host, host, "docker.io", "index.docker.io", "registry-1.docker.io", "localhost",
                           "Quay.io", host + ":5000", host + ":"])
        path = "/".join(rng.choice([word("ab0", 1, 5), word("ab0", 1, 3) + rng.choice("._-") + word("ab0", 1, 3),
                                    "a__b", "a--b"] * 6 + ["a___b", "a.-b", "-a", "a_", "A"])
                        for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.03:
            path = "a" * rng.randint(240, 256)
        tail = rng.choice(["", "", "", ":" + word("aZ0_.-", 1, 6), ":-x", ":" + "a" * rng.randint(127, 129),
                           "@sha256:" + "a" * 64, ":v1@sha256:" + "b" * 64])
        out.append(f"{host}/{path}{tail}")
    return out


def _outcome(parse, text: str) -> tuple:
    try:
        ref = parse(text)
    except InvalidReference as err:
        return ("error", str(err))
    return ("ok", *(getattr(ref, f.name) for f in dataclasses.fields(ref)))


@pytest.mark.parametrize("kind", [ImageReference, DockerImageReference])
def test_a_plain_pull_spec_read_with_one_match_parses_as_every_step_would(kind, monkeypatch) -> None:
    """Pull specs of the common shape (a lower-case host with a dot, a path, maybe a tag) are
    read with one match; anything else takes every step. Both give the same reference, or the
    same error, for each of thousands of pull specs near that shape."""
    import imagesim.reference as module

    parse = (kind._parse_normalized if kind is ImageReference else kind._parse).__func__
    texts = _pull_specs(4000, seed=11)
    short = [_outcome(lambda t: parse(kind, t), text) for text in texts]
    plain = sum(1 for text in texts if module._match_plain(text) is not None)  # noqa: SLF001
    monkeypatch.setattr(module, "_match_plain", lambda text: None)
    every_step = [_outcome(lambda t: parse(kind, t), text) for text in texts]
    assert short == every_step
    assert plain > 500 and sum(1 for o in every_step if o[0] == "error") > 500  # (both kinds were met)
