"""The pure status-history rules: §3.1 AddTagEventToImageStream, §3.3 tracking tags,
§2 observed generation / needs import, §8.6 PrioritizeTags."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation
from imagesim.imagestream import (
    Condition,
    ImageStream,
    TagEvent,
    TagHistory,
    TagReference,
    add_tag_event,
    needs_import,
    observed_generation,
    prioritize_tags,
    update_tracking_tags,
)

D1 = "sha256:" + "1" * 64
D2 = "sha256:" + "2" * 64
A = f"quay.io/acme/app@{D1}"
B = f"quay.io/acme/app@{D2}"


def make_stream(*items: TagEvent, conditions: list[Condition] | None = None) -> ImageStream:
    stream = ImageStream("ns", "s", 0)
    if items or conditions:
        stream.status["t"] = TagHistory([i.copy() for i in items], list(conditions or []))
    return stream


def failure(generation: int = 2) -> Condition:
    return Condition("ImportSuccess", "False", 5, "NotFound", "gone", generation)


def history(stream: ImageStream, tag: str = "t") -> list[tuple]:
    return [(e.created, e.ref, e.image, e.generation) for e in stream.status[tag].items]


# §3.1 AddTagEventToImageStream ------------------------------------------------------------------


def test_no_items_makes_a_one_item_list():
    stream = make_stream()
    assert add_tag_event(stream, "t", TagEvent(10, A, D1, 1)) is True
    assert history(stream) == [(10, A, D1, 1)]
    assert stream.status["t"].conditions == []


def test_empty_item_list_with_conditions_is_replaced():
    stream = make_stream(conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(10, A, D1, 3)) is True
    assert history(stream) == [(10, A, D1, 3)]
    assert stream.status["t"].conditions == []


def test_identical_event_changes_nothing():
    stream = make_stream(TagEvent(10, A, D1, 2), conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(99, A, D1, 2)) is False
    assert history(stream) == [(10, A, D1, 2)]
    assert stream.status["t"].conditions == [failure()]


def test_generation_only_difference_collapses_into_the_head():
    stream = make_stream(TagEvent(10, A, D1, 2), TagEvent(5, B, D2, 1), conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(99, A, D1, 4)) is True
    assert history(stream) == [(10, A, D1, 4), (5, B, D2, 1)]
    assert stream.status["t"].conditions == []


def test_same_ref_different_image_replaces_the_image_in_place():
    stream = make_stream(TagEvent(10, "app:v1", D1, 2), conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(99, "app:v1", D2, 3)) is True
    assert history(stream) == [(10, "app:v1", D2, 3)]
    assert stream.status["t"].conditions == []


def test_different_ref_same_image_replaces_the_ref_in_place():
    other = f"registry.example.com/mirror/app@{D1}"
    stream = make_stream(TagEvent(10, A, D1, 2), conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(99, other, D1, 2)) is True
    assert history(stream) == [(10, other, D1, 2)]
    assert stream.status["t"].conditions == []


def test_both_differ_prepends_newest_first():
    stream = make_stream(TagEvent(10, A, D1, 2), conditions=[failure()])
    assert add_tag_event(stream, "t", TagEvent(20, B, D2, 3)) is True
    assert history(stream) == [(20, B, D2, 3), (10, A, D1, 2)]
    assert stream.status["t"].conditions == []


def test_only_the_head_is_compared_a_b_a_gives_three_items():
    stream = make_stream()
    for t, (ref, image) in enumerate([(A, D1), (B, D2), (A, D1)]):
        add_tag_event(stream, "t", TagEvent(t, ref, image, 1))
    assert history(stream) == [(2, A, D1, 1), (1, B, D2, 1), (0, A, D1, 1)]


def test_event_is_copied_not_shared():
    stream = make_stream()
    event = TagEvent(1, A, D1, 1)
    add_tag_event(stream, "t", event)
    event.generation = 7
    assert stream.status["t"].items[0].generation == 1


# §3.3 tracking tags (pure) ----------------------------------------------------------------------


def test_update_tracking_tags_follows_chains_and_skips_other_streams():
    stream = ImageStream("ns", "s", 0)
    stream.spec = {
        "upstream": TagReference("upstream", "DockerImage", "quay.io/acme/app:1"),
        "3.6": TagReference("3.6", "ImageStreamTag", "upstream"),
        "latest": TagReference("latest", "ImageStreamTag", "s:3.6"),
        "foreign": TagReference("foreign", "ImageStreamTag", "other:upstream"),
        "elsewhere": TagReference("elsewhere", "ImageStreamTag", "upstream", from_namespace="ns2"),
    }
    event = TagEvent(10, A, D1, 2)
    add_tag_event(stream, "upstream", event)
    assert update_tracking_tags(stream, "upstream", event) == ["3.6", "latest"]
    assert history(stream, "3.6") == [(10, A, D1, 2)]
    assert history(stream, "latest") == [(10, A, D1, 2)]
    assert sorted(stream.status) == ["3.6", "latest", "upstream"]


# §3.3 tracking tags through the simulation --------------------------------------------------------

ALIASES = """
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: app}
spec:
  tags:
  - name: upstream
    from: {kind: DockerImage, name: quay.io/acme/app:1}
  - name: "3.6"
    from: {kind: ImageStreamTag, name: upstream}
  - name: latest
    from: {kind: ImageStreamTag, name: "app:3.6"}
"""


def items(sim: Simulation, stream: str, tag: str, namespace: str = "myproject") -> list[tuple]:
    obj = json.loads(sim.oc(f"get is {stream} -n {namespace} -o json").stdout)
    for entry in obj["status"]["tags"]:
        if entry["tag"] == tag:
            return [(i["dockerImageReference"], i["generation"]) for i in entry["items"]]
    return []


def test_chain_latest_to_36_to_upstream_follows_every_import():
    sim = Simulation()
    d1 = sim.push("quay.io/acme/app:1")
    assert sim.oc_stdin("apply -f -", ALIASES).stdout == "imagestream.image.openshift.io/app created\n"
    first = [(f"quay.io/acme/app@{d1}", 2)]
    assert items(sim, "app", "upstream") == first
    assert items(sim, "app", "3.6") == first
    assert items(sim, "app", "latest") == first
    sim.advance("1h")
    d2 = sim.push("quay.io/acme/app:1")
    result = sim.oc("import-image app:upstream")
    assert result.exit_code == 0
    both = [(f"quay.io/acme/app@{d2}", 3), (f"quay.io/acme/app@{d1}", 2)]
    assert items(sim, "app", "upstream") == both
    assert items(sim, "app", "3.6") == both
    assert items(sim, "app", "latest") == both


def test_alias_follows_pushes_to_the_internal_registry():
    sim = Simulation()
    internal = "image-registry.openshift-image-registry.svc:5000/myproject/web"
    d1 = sim.push(f"{internal}:v1")
    assert sim.oc("tag web:v1 web:latest --alias").stdout == "Tag web:latest set up to track web:v1.\n"
    sim.advance("10m")
    d2 = sim.push(f"{internal}:v1")
    assert items(sim, "web", "latest") == [(f"{internal}@{d2}", 2), (f"{internal}@{d1}", 2)]
    assert items(sim, "web", "v1") == [(f"{internal}@{d2}", 2), (f"{internal}@{d1}", 1)]


def test_reference_to_another_stream_is_copied_once_and_does_not_follow():
    sim = Simulation()
    d1 = sim.push("quay.io/acme/app:1")
    sim.oc("tag --source=docker quay.io/acme/app:1 src:v1")
    copy = {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "dst"},
            "spec": {"tags": [{"name": "copy", "from": {"kind": "ImageStreamTag", "name": "src:v1"}}]}}
    assert sim.apply(copy) == ["imagestream.image.openshift.io/dst created"]
    assert items(sim, "dst", "copy") == [(f"quay.io/acme/app@{d1}", 1)]
    sim.advance("1h")
    d2 = sim.push("quay.io/acme/app:1")
    assert sim.oc("import-image src:v1").exit_code == 0
    assert items(sim, "src", "v1")[0] == (f"quay.io/acme/app@{d2}", 3)
    assert items(sim, "dst", "copy") == [(f"quay.io/acme/app@{d1}", 1)]


# §2 observed generation and needs import -----------------------------------------------------------


def test_observed_generation_without_status_is_zero():
    assert observed_generation(ImageStream("ns", "s", 0), "t") == 0


@pytest.mark.parametrize(
    ("item_generation", "conditions", "expected"),
    [
        (3, [], 3),
        (3, [Condition("ImportSuccess", "False", 0, "NotFound", "x", 5)], 5),
        (6, [Condition("ImportSuccess", "False", 0, "NotFound", "x", 5)], 6),
        (3, [Condition("Other", "False", 0, "X", "x", 9)], 3),
        (3, [Condition("ImportSuccess", "False", 0, "A", "x", 4),
             Condition("ImportSuccess", "False", 0, "B", "x", 9)], 4),
    ],
)
def test_observed_generation_is_max_of_head_and_first_import_condition(item_generation, conditions, expected):
    stream = make_stream(TagEvent(0, A, D1, item_generation), conditions=conditions)
    assert observed_generation(stream, "t") == expected


def test_observed_generation_with_conditions_only():
    stream = make_stream(conditions=[failure(4)])
    assert observed_generation(stream, "t") == 4


@pytest.mark.parametrize(
    ("ref", "item_generation", "expected"),
    [
        (TagReference("t", "DockerImage", "app:1", generation=3), 2, True),
        (TagReference("t", "DockerImage", "app:1", generation=2), 2, False),
        (TagReference("t", "DockerImage", "app:1", generation=None), 5, True),
        (TagReference("t", "DockerImage", "app:1", reference=True, generation=9), 2, False),
        (TagReference("t", "ImageStreamTag", "other", generation=9), 2, False),
        (TagReference("t", "ImageStreamImage", "s@sha256:1", generation=9), 2, False),
    ],
)
def test_needs_import(ref, item_generation, expected):
    stream = make_stream(TagEvent(0, A, D1, item_generation))
    stream.spec["t"] = ref
    assert needs_import(stream, "t") is expected


def test_needs_import_with_no_history_and_no_spec():
    stream = ImageStream("ns", "s", 0)
    assert needs_import(stream, "t") is False
    stream.spec["t"] = TagReference("t", "DockerImage", "app:1", generation=1)
    assert needs_import(stream, "t") is True


def test_failed_condition_with_equal_generation_is_not_imported_again():
    stream = make_stream(TagEvent(0, A, D1, 2), conditions=[failure(3)])
    stream.spec["t"] = TagReference("t", "DockerImage", "app:1", generation=3)
    assert needs_import(stream, "t") is False


# §8.6 PrioritizeTags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # upstream TestPrioritizeTags cases
        (["other", "latest", "v5.5", "5.2.3", "5.5", "v5.3.6-bother", "5.3.6-abba", "5.6"],
         ["latest", "5.6", "5.5", "v5.5", "v5.3.6-bother", "5.3.6-abba", "5.2.3", "other"]),
        (["1.1-beta1", "1.2-rc1", "1.1-rc1", "1.1-beta2", "1.2-beta1", "1.2-alpha1", "1.2-beta4", "latest"],
         ["latest", "1.2-rc1", "1.2-beta4", "1.2-beta1", "1.2-alpha1", "1.1-rc1", "1.1-beta2", "1.1-beta1"]),
        (["7.1", "v7.1", "7.1.0"], ["7.1", "v7.1", "7.1.0"]),
        (["7.1.0", "v7.1", "7.1"], ["7.1", "v7.1", "7.1.0"]),
        # latest first
        (["a", "latest", "1.0"], ["latest", "1.0", "a"]),
        # numeric, not string, comparison
        (["1.9", "1.10", "1.2"], ["1.10", "1.9", "1.2"]),
        (["1.2-beta4", "1.2", "1.2-rc1"], ["1.2", "1.2-rc1", "1.2-beta4"]),
        # minor versions come before full versions
        (["3.6.1", "3.6"], ["3.6", "3.6.1"]),
        (["1.0.0", "2.0"], ["2.0", "1.0.0"]),
        # v-prefix ties: no v first
        (["v2.0.0", "2.0.0"], ["2.0.0", "v2.0.0"]),
        # the rest ascending by string
        (["edge", "3", "Zeta", "alpha", "v1"], ["3", "Zeta", "alpha", "edge", "v1"]),
        # only one leading "v" is a prefix; a dash inside the word is not a minor "X.Y-word"
        (["vv1.2", "1.1"], ["1.1", "vv1.2"]),
        (["1.2-rc-1", "1.1"], ["1.1", "1.2-rc-1"]),
        # leading zeros are not semantic versions
        (["01.2", "1.1"], ["1.1", "01.2"]),
        ([], []),
    ],
)
def test_prioritize_tags(tags, expected):
    assert prioritize_tags(tags) == expected


def test_copy_from_another_stream_rewrites_internal_registry_refs():
    sim = Simulation()
    internal = "image-registry.openshift-image-registry.svc:5000/myproject"
    digest = sim.push(f"{internal}/src:v1")
    assert sim.oc("tag src:v1 dst:v1").exit_code == 0
    assert sim.oc("tag --reference src:v1 ref:v1").exit_code == 0
    assert items(sim, "dst", "v1") == [(f"{internal}/dst@{digest}", 1)]
    assert items(sim, "ref", "v1") == [(f"{internal}/src@{digest}", 1)]
