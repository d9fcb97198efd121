"""Restoring real ``oc get is -o json`` dumps (the shared fixtures, read in place, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imagesim import Simulation

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
FILES = ["openshift-namespace-3.x.json", "origin-image-streams-centos7.json"]

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"{FIXTURES} is not available")


def load(name: str) -> dict:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module", params=FILES)
def restored(request) -> tuple[dict, Simulation]:
    data = load(request.param)
    sim = Simulation()
    lines = sim.restore(json.loads(json.dumps(data)))  # restore gets its own copy
    assert lines == [f"imagestream.image.openshift.io/{item['metadata']['name']} restored" for item in data["items"]]
    return data, sim


def namespace_of(item: dict, sim: Simulation) -> str:
    return item["metadata"].get("namespace") or sim.project


def unique_images(item: dict) -> int:
    """§8.4: distinct non-empty image ids, +1 when some item has only a pull spec."""
    ids, refs_only = set(), False
    for tag in (item.get("status") or {}).get("tags") or []:
        for event in tag.get("items") or []:
            if event.get("image"):
                ids.add(event["image"])
            elif event.get("dockerImageReference"):
                refs_only = True
    return len(ids) + refs_only


def test_every_stream_can_be_listed_and_described(restored):
    data, sim = restored
    for item in data["items"]:
        name, namespace = item["metadata"]["name"], namespace_of(item, sim)
        listed = sim.oc(f"get is {name} -n {namespace}")
        assert (listed.exit_code, listed.stderr) == (0, ""), name
        assert listed.stdout.splitlines()[1].split()[0] == name
        described = sim.oc(f"describe is/{name} -n {namespace}")
        assert (described.exit_code, described.stderr) == (0, ""), name
        assert described.stdout.splitlines()[0] == f"Name:\t\t\t{name}"


def test_spec_tags_and_sources_match_the_file(restored):
    data, sim = restored
    for item in data["items"]:
        name, namespace = item["metadata"]["name"], namespace_of(item, sim)
        obj = json.loads(sim.oc(f"get is {name} -n {namespace} -o json").stdout)
        expected = {}
        for tag in item["spec"].get("tags") or []:  # a repeated name: the last one wins
            expected[tag["name"]] = tag.get("from", {}).get("name")
        got = {tag["name"]: tag.get("from", {}).get("name") for tag in obj["spec"].get("tags", [])}
        assert got == expected, name


def test_history_digests_and_counts_match_the_file(restored):
    data, sim = restored
    for item in data["items"]:
        name, namespace = item["metadata"]["name"], namespace_of(item, sim)
        obj = json.loads(sim.oc(f"get is {name} -n {namespace} -o json").stdout)
        got = {tag["tag"]: [i["image"] for i in tag["items"] or []] for tag in obj["status"].get("tags", [])}
        for tag in (item.get("status") or {}).get("tags") or []:
            expected = [i.get("image", "") for i in tag.get("items") or []]
            assert got.get(tag["tag"], []) == expected, (name, tag["tag"])
        file_tags = {t["tag"] for t in (item.get("status") or {}).get("tags") or []}
        for tag, images in got.items():  # tags the simulation added (failed imports) have no items
            if tag not in file_tags:
                assert images == [], (name, tag)


def test_unique_images_match_the_file(restored):
    data, sim = restored
    for item in data["items"]:
        name, namespace = item["metadata"]["name"], namespace_of(item, sim)
        lines = sim.oc(f"describe is/{name} -n {namespace}").stdout.splitlines()
        assert f"Unique Images:\t\t{unique_images(item)}" in lines, name


def test_restored_3x_mongodb_keeps_its_history_and_times():
    data = load("openshift-namespace-3.x.json")
    sim = Simulation()
    sim.restore(json.loads(json.dumps(data)))
    mongodb = next(i for i in data["items"] if i["metadata"]["name"] == "mongodb")
    obj = json.loads(sim.oc("get is mongodb -n openshift -o json").stdout)
    assert obj["metadata"]["creationTimestamp"] == mongodb["metadata"]["creationTimestamp"]
    file_items = {t["tag"]: t["items"] for t in mongodb["status"]["tags"]}
    for tag in obj["status"]["tags"]:
        assert [(i["created"], i["dockerImageReference"]) for i in tag["items"]] == [
            (i["created"], i["dockerImageReference"]) for i in file_items[tag["tag"]]]
    lines = sim.oc("describe is/mongodb -n openshift").stdout.splitlines()
    assert "3.2 (latest)" in lines
    # the restored history is in step with upstream: a re-import changes nothing
    before = sim.oc("get is mongodb -n openshift -o json").stdout
    assert sim.oc("import-image mongodb:3.2 -n openshift").exit_code == 0
    assert sim.oc("get is mongodb -n openshift -o json").stdout == before
