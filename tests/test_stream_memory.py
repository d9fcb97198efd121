"""Image streams share what nothing edits in place (empty labels, annotations that only record
the last import check, empty condition lists) and the importer keeps one watcher key per upstream
tag with a single watcher: an edit of one stream leaves the others as they were."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

from imagesim import Simulation
from imagesim.apiserver import CHECK_ANNOTATION
from imagesim.imagestream import NO_CONDITIONS, NO_LABELS, TagHistory

NAMESPACE = "myproject"
APP_1 = "sha256:" + "a" * 64
APP_2 = "sha256:" + "b" * 64


def _stream(name: str, source: str, *, scheduled: bool = False, **meta) -> dict:
    tag = {"name": "latest", "from": {"kind": "DockerImage", "name": source}}
    if scheduled:
        tag["importPolicy"] = {"scheduled": True}
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": name, "namespace": NAMESPACE, **meta}, "spec": {"tags": [tag]}}


def _world(*, scheduled: bool = False) -> Simulation:
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/a:latest", digest=APP_1)
    sim.push("quay.io/acme/b:latest", digest=APP_1)
    sim.apply([_stream("a", "quay.io/acme/a:latest", scheduled=scheduled),
               _stream("b", "quay.io/acme/b:latest", scheduled=scheduled)])
    return sim


def _meta(sim: Simulation, name: str) -> dict:
    result = sim.oc(f"get is {name} -o json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["metadata"]


def test_streams_created_alike_share_their_labels_and_check_annotations():
    sim = _world()
    a, b = sim.server.get(NAMESPACE, "a"), sim.server.get(NAMESPACE, "b")
    assert a.labels is b.labels is NO_LABELS
    assert a.annotations is b.annotations
    assert a.annotations == {CHECK_ANNOTATION: "2025-03-03T09:00:00Z"}
    assert a.status["latest"].conditions is b.status["latest"].conditions is NO_CONDITIONS


def test_applying_labels_or_annotations_to_one_stream_leaves_the_other_alone():
    sim = _world()
    before = _meta(sim, "b")
    out = sim.apply([_stream("a", "quay.io/acme/a:latest", labels={"tier": "front"},
                             annotations={"note": "one"})])
    assert out == ["imagestream.image.openshift.io/a configured"]
    assert _meta(sim, "a")["labels"] == {"tier": "front"}
    assert _meta(sim, "a")["annotations"] == {CHECK_ANNOTATION: "2025-03-03T09:00:00Z", "note": "one"}
    assert _meta(sim, "b") == before
    assert NO_LABELS == {}


def test_a_later_import_changes_only_that_streams_check_time():
    sim = _world()
    sim.advance("1h")
    sim.push("quay.io/acme/a:latest", digest=APP_2)
    assert sim.oc("import-image a").exit_code == 0
    assert _meta(sim, "a")["annotations"] == {CHECK_ANNOTATION: "2025-03-03T10:00:00Z"}
    assert _meta(sim, "b")["annotations"] == {CHECK_ANNOTATION: "2025-03-03T09:00:00Z"}


def test_a_failed_import_sets_conditions_of_that_tag_only():
    sim = _world()
    sim.untag("quay.io/acme/a:latest")
    assert sim.oc("import-image a").exit_code == 1
    a, b = sim.server.get(NAMESPACE, "a"), sim.server.get(NAMESPACE, "b")
    assert [c.reason for c in a.status["latest"].conditions] == ["NotFound"]
    assert b.status["latest"].conditions == [] and NO_CONDITIONS == []
    sim.push("quay.io/acme/a:latest", digest=APP_2)
    assert sim.oc("import-image a").exit_code == 0
    assert a.status["latest"].conditions is NO_CONDITIONS


def test_shared_values_refuse_changes_in_place():
    with pytest.raises(TypeError):
        NO_LABELS["x"] = "y"
    with pytest.raises(TypeError):
        NO_LABELS.update(x="y")
    with pytest.raises(TypeError):
        NO_CONDITIONS.append(None)
    with pytest.raises(TypeError):
        TagHistory().conditions.extend([None])
    sim = _world()
    with pytest.raises(TypeError):
        sim.server.get(NAMESPACE, "a").annotations["x"] = "y"
    assert NO_LABELS == {} and NO_CONDITIONS == []
    assert _meta(sim, "b")["annotations"] == {CHECK_ANNOTATION: "2025-03-03T09:00:00Z"}


def test_copies_keep_shared_values_shared_and_unchanged():
    sim = _world()
    for other in (copy.deepcopy(sim), pickle.loads(pickle.dumps(sim))):
        a, b = other.server.get(NAMESPACE, "a"), other.server.get(NAMESPACE, "b")
        assert a.annotations is b.annotations
        assert a.annotations == {CHECK_ANNOTATION: "2025-03-03T09:00:00Z"}
        assert a.status["latest"].conditions is NO_CONDITIONS
        with pytest.raises(TypeError):
            a.labels["x"] = "y"
        assert other.oc("get is a -o json").stdout == sim.oc("get is a -o json").stdout


def test_streams_watching_one_upstream_tag_are_all_checked_and_one_can_leave():
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/app:1", digest=APP_1)
    sim.apply([_stream(name, "quay.io/acme/app:1", scheduled=True) for name in ("a", "b", "c")])
    watch = ("quay.io", "acme/app", "1")
    assert list(sim.importer.watchers[watch]) == [(NAMESPACE, "a"), (NAMESPACE, "b"), (NAMESPACE, "c")]
    assert sim.oc("delete is b").exit_code == 0
    sim.push("quay.io/acme/app:1", digest=APP_2, at="20m")
    sim.advance("30m")
    for name in ("a", "c"):
        assert sim.server.get(NAMESPACE, name).head("latest").image == APP_2
    assert sim.importer.checks_run == 2


def test_one_watcher_is_kept_without_a_map_and_leaves_nothing_behind():
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/app:1", digest=APP_1)
    sim.apply([_stream("a", "quay.io/acme/app:1", scheduled=True)])
    watch = ("quay.io", "acme/app", "1")
    assert sim.importer.watchers[watch] == (NAMESPACE, "a")
    sim.push("quay.io/acme/app:1", digest=APP_2, at="20m")
    sim.advance("30m")
    assert sim.server.get(NAMESPACE, "a").head("latest").image == APP_2
    assert sim.oc("delete is a").exit_code == 0
    assert watch not in sim.importer.watchers


@pytest.mark.parametrize("source", [
    "mongo", "mongo:4.4", "library/mongo@sha256:" + "1" * 64, "docker.io/library/mongo:4.4",
    "localhost/app", "localhost:5000", "localhost:5000/acme/app:1.0", "quay.io:443/acme/app@sha256:" + "2" * 64,
    "[::1]:5000/acme/app:v1", "[2001:db8::1]/app", "registry-3.example.com/ns-5/app-12:latest",
    "quay.io/acme/app:1@sha256:" + "3" * 64,
])
def test_an_imported_items_pull_spec_is_its_sources_repository_at_the_image(source):
    from imagesim.imagestream import TagEvent, source_repository
    from imagesim.reference import ImageReference

    assert source_repository(source) == ImageReference.parse(source).repository
    item = TagEvent.pulled(0, source, APP_1, 1)
    assert item.ref == f"{ImageReference.parse(source).repository}@{APP_1}"
    assert item.pulled_from(source, APP_1) and not item.pulled_from(source, APP_2)
    assert item.same_ref(TagEvent(0, item.ref, APP_1, 1)) and item.copy() == item


def test_an_outage_ending_checks_the_streams_watching_that_host_in_the_order_they_started():
    sim = Simulation(seed=0)
    for name in ("a", "b", "c"):
        sim.push(f"quay.io/acme/{name}:latest", digest=APP_1)
    sim.push("docker.io/acme/d:latest", digest=APP_1)
    sim.apply([_stream(name, f"quay.io/acme/{name}:latest", scheduled=True) for name in ("a", "b", "c")]
              + [_stream("d", "docker.io/acme/d:latest", scheduled=True)])
    # b starts watching another tag of the same host: it now comes after a and c
    assert sim.oc("tag --source=docker quay.io/acme/b:2 b:latest --scheduled").exit_code == 0
    assert list(sim.importer.schedules)[-1] == (NAMESPACE, "b")
    keys = []
    check = sim.importer._check_at
    sim.importer._check_at = lambda key, schedule, t: (keys.append(key), check(key, schedule, t))
    sim.importer.upstream_changed("quay.io")
    assert keys == [(NAMESPACE, "a"), (NAMESPACE, "c"), (NAMESPACE, "b")]
