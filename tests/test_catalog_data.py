"""Tests of imagesim.catalog_data: the default ``openshift`` namespace streams as plain data."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from imagesim import catalog_data
from imagesim.catalog_data import OPENSHIFT_STREAMS, PINNED_DIGESTS

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
DUMP_3X = FIXTURES / "openshift-namespace-3.x.json"
SAMPLES = FIXTURES / "origin-image-streams-centos7.json"

STREAM_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
TAG_NAME = re.compile(r"^[\w][\w.-]{0,127}$", re.ASCII)
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")

FROM_3X = (
    "jenkins", "mariadb", "mongodb", "mysql", "nodejs", "perl", "php", "postgresql", "python",
    "ruby", "wildfly",
)
FROM_SAMPLES = ("dotnet", "httpd", "nginx", "redis")
REQUIRED = sorted(FROM_3X + FROM_SAMPLES)
ANNOTATION_KEYS = {
    "description", "iconClass", "openshift.io/display-name", "sampleRepo", "supports", "tags",
    "version",
}

MONGODB_32_DESCRIPTION = (
    "Provides a MongoDB 3.2 database on CentOS 7. For more information about using this database "
    "image, including OpenShift considerations, see "
    "https://github.com/sclorg/mongodb-container/tree/master/3.2/README.md."
)


def _by_name() -> dict[str, dict]:
    return {stream["metadata"]["name"]: stream for stream in OPENSHIFT_STREAMS}


def _tags(stream: dict) -> dict[str, dict]:
    return {tag["name"]: tag for tag in stream["spec"]["tags"]}


def _load_items(path: Path) -> dict[str, dict]:
    if not path.is_file():
        pytest.skip(f"fixture {path} not present")
    with path.open(encoding="utf-8") as handle:
        return {item["metadata"]["name"]: item for item in json.load(handle)["items"]}


def _stream_ids() -> list[str]:
    return [stream["metadata"]["name"] for stream in OPENSHIFT_STREAMS]


def test_exports() -> None:
    assert catalog_data.__all__ == ["OPENSHIFT_STREAMS", "PINNED_DIGESTS"]


def test_module_imports_only_future() -> None:
    tree = ast.parse(Path(catalog_data.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            pytest.fail(f"import of {[alias.name for alias in node.names]}")
        if isinstance(node, ast.ImportFrom):
            assert node.module == "__future__", node.module


def test_stream_names_sorted_unique_and_complete() -> None:
    names = _stream_ids()
    assert names == sorted(names)
    assert len(names) == len(set(names))
    assert set(REQUIRED) <= set(names)
    for name in names:
        assert STREAM_NAME.fullmatch(name), name


@pytest.mark.parametrize("stream", OPENSHIFT_STREAMS, ids=_stream_ids())
def test_manifest_shape(stream: dict) -> None:
    assert set(stream) == {"apiVersion", "kind", "metadata", "spec"}
    assert stream["apiVersion"] == "image.openshift.io/v1"
    assert stream["kind"] == "ImageStream"
    metadata = stream["metadata"]
    assert set(metadata) == {"name", "namespace", "annotations"}
    assert metadata["namespace"] == "openshift"
    assert set(metadata["annotations"]) == {"openshift.io/display-name"}
    assert metadata["annotations"]["openshift.io/display-name"]
    assert set(stream["spec"]) == {"lookupPolicy", "tags"}
    assert stream["spec"]["lookupPolicy"] == {"local": False}
    for tag in stream["spec"]["tags"]:
        assert set(tag) == {"name", "annotations", "from", "importPolicy", "referencePolicy"}
        assert tag["importPolicy"] == {}
        assert tag["referencePolicy"] == {"type": "Source"}
        assert set(tag["from"]) == {"kind", "name"}
        assert tag["from"]["kind"] in ("DockerImage", "ImageStreamTag")
        assert tag["from"]["name"]
        annotations = tag["annotations"]
        assert set(annotations) <= ANNOTATION_KEYS, tag["name"]
        for key in ("description", "iconClass", "openshift.io/display-name", "tags"):
            assert annotations.get(key), (tag["name"], key)
        assert all(isinstance(value, str) for value in annotations.values())
        if tag["from"]["kind"] == "DockerImage":
            assert annotations.get("version"), tag["name"]


@pytest.mark.parametrize("stream", OPENSHIFT_STREAMS, ids=_stream_ids())
def test_tag_names_unique_valid_and_sorted(stream: dict) -> None:
    names = [tag["name"] for tag in stream["spec"]["tags"]]
    assert len(names) == len(set(names))
    assert names == sorted(names)
    for name in names:
        assert TAG_NAME.match(name), name
    assert "latest" in names


@pytest.mark.parametrize("stream", OPENSHIFT_STREAMS, ids=_stream_ids())
def test_aliases_point_at_image_tags_of_the_same_stream(stream: dict) -> None:
    tags = _tags(stream)
    for tag in tags.values():
        if tag["from"]["kind"] != "ImageStreamTag":
            continue
        target = tag["from"]["name"]
        if ":" in target:
            target_stream, _, target = target.partition(":")
            assert target_stream == stream["metadata"]["name"], tag["from"]
        assert target in tags, f"{tag['name']} -> {target}: dangling"
        assert target != tag["name"]
        assert tags[target]["from"]["kind"] == "DockerImage", f"{tag['name']} -> {target}: chained"


def test_mongodb_exactly() -> None:
    tags = _tags(_by_name()["mongodb"])
    assert list(tags) == ["2.4", "2.6", "3.2", "latest"]
    assert tags["2.4"]["from"] == {
        "kind": "DockerImage", "name": "openshift/mongodb-24-centos7:latest"
    }
    assert tags["2.6"]["from"] == {"kind": "DockerImage", "name": "centos/mongodb-26-centos7:latest"}
    assert tags["3.2"]["from"] == {"kind": "DockerImage", "name": "centos/mongodb-32-centos7:latest"}
    assert tags["latest"]["from"] == {"kind": "ImageStreamTag", "name": "3.2"}
    assert tags["3.2"]["annotations"]["description"] == MONGODB_32_DESCRIPTION
    assert tags["3.2"]["annotations"]["tags"] == "mongodb"
    assert tags["3.2"]["annotations"]["version"] == "3.2"


def test_pinned_digests() -> None:
    assert PINNED_DIGESTS == {
        "centos/mongodb-32-centos7:latest":
            "sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1",
    }
    sources = {
        tag["from"]["name"]
        for stream in OPENSHIFT_STREAMS
        for tag in stream["spec"]["tags"]
        if tag["from"]["kind"] == "DockerImage"
    }
    for source, digest in PINNED_DIGESTS.items():
        assert source in sources
        assert DIGEST.fullmatch(digest), digest


@pytest.mark.parametrize("name", FROM_SAMPLES)
def test_sample_streams_are_small(name: str) -> None:
    assert 3 <= len(_by_name()[name]["spec"]["tags"]) <= 5


@pytest.mark.parametrize("name", FROM_3X)
def test_matches_3x_dump(name: str) -> None:
    dump = _load_items(DUMP_3X)[name]
    ours = _by_name()[name]
    assert ours["metadata"]["annotations"]["openshift.io/display-name"] == (
        dump["metadata"]["annotations"]["openshift.io/display-name"]
    )
    assert [tag["name"] for tag in ours["spec"]["tags"]] == [
        tag["name"] for tag in dump["spec"]["tags"]
    ]
    dump_tags = _tags(dump)
    for tag in ours["spec"]["tags"]:
        expected = dump_tags[tag["name"]]
        assert tag["from"] == {"kind": expected["from"]["kind"], "name": expected["from"]["name"]}
        assert tag["annotations"] == expected["annotations"], tag["name"]


@pytest.mark.parametrize("name", FROM_SAMPLES)
def test_matches_centos7_samples(name: str) -> None:
    sample = _load_items(SAMPLES)[name]
    ours = _by_name()[name]
    assert ours["metadata"]["annotations"] == sample["metadata"]["annotations"]
    sample_tags = _tags(sample)  # a duplicate tag collapses to its last definition
    for tag in ours["spec"]["tags"]:
        expected = sample_tags[tag["name"]]
        assert tag["from"]["kind"] == expected["from"]["kind"]
        if tag["from"]["kind"] == "DockerImage":
            assert tag["from"]["name"] == expected["from"]["name"]
        kept = {k: v for k, v in expected["annotations"].items() if k in ANNOTATION_KEYS}
        assert tag["annotations"] == kept, tag["name"]
