"""Importing through the simulation: the import API (§5.2), failures (§3.4), the import
controller (§5.3) and event-driven scheduled import (§5.4)."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation

MONGO_1 = "sha256:" + "1" * 64
MONGO_2 = "sha256:" + "2" * 64
APP_1 = "sha256:" + "a" * 64
APP_2 = "sha256:" + "b" * 64


def get(sim: Simulation, name: str, namespace: str = "myproject") -> dict:
    result = sim.oc(f"get is {name} -n {namespace} -o json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def spec_tag(obj: dict, tag: str) -> dict:
    return next(t for t in obj["spec"]["tags"] if t["name"] == tag)


def status_tag(obj: dict, tag: str) -> dict:
    return next(t for t in obj["status"]["tags"] if t["tag"] == tag)


def items(obj: dict, tag: str) -> list[tuple]:
    return [(i["created"], i["dockerImageReference"], i["image"], i["generation"])
            for i in status_tag(obj, tag)["items"] or []]


@pytest.fixture
def mongo() -> Simulation:
    """Stream db with tag v1 imported from ``mongo:4.4`` at 09:00 (generation 2)."""
    sim = Simulation()
    sim.push("docker.io/library/mongo:4.4", digest=MONGO_1)
    assert sim.oc("tag --source=docker mongo:4.4 db:v1").stdout == "Tag db:v1 set to mongo:4.4.\n"
    return sim


# the import API ------------------------------------------------------------------------------------


def test_import_keeps_the_users_spelling(mongo):
    obj = get(mongo, "db")
    assert items(obj, "v1") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2)]
    assert spec_tag(obj, "v1")["from"] == {"kind": "DockerImage", "name": "mongo:4.4"}
    assert obj["metadata"]["annotations"] == {"openshift.io/image.dockerRepositoryCheck": "2025-03-03T09:00:00Z"}


def test_import_image_confirm_creates_stream_named_after_the_repository():
    sim = Simulation()
    sim.push("docker.io/library/mongo:4.4", digest=MONGO_1)
    result = sim.oc("import-image mongo:4.4 --confirm")
    assert result.exit_code == 0
    assert result.stdout.startswith("imagestream.image.openshift.io/mongo imported\n\nName:\t\t\tmongo\n")
    obj = get(sim, "mongo")
    assert items(obj, "4.4") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2)]
    assert spec_tag(obj, "4.4")["from"] == {"kind": "DockerImage", "name": "mongo:4.4"}


def test_generations_after_create_and_import_match_a_real_cluster():
    sim = Simulation()
    sim.push("docker.io/library/mongo:4.4", digest=MONGO_1)
    manifest = {
        "apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "db"},
        "spec": {"tags": [
            {"name": "v1", "from": {"kind": "DockerImage", "name": "mongo:4.4"}},
            {"name": "latest", "from": {"kind": "ImageStreamTag", "name": "v1"}},
        ]},
    }
    assert sim.apply(manifest) == ["imagestream.image.openshift.io/db created"]
    obj = get(sim, "db")
    assert obj["metadata"]["generation"] == 2
    assert spec_tag(obj, "v1")["generation"] == 2
    assert spec_tag(obj, "latest")["generation"] == 1
    assert items(obj, "v1") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2)]
    assert items(obj, "latest") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2)]


def test_reimport_with_unchanged_upstream_changes_nothing(mongo):
    before = get(mongo, "db")
    log = len(mongo.log)
    mongo.advance("1h")
    result = mongo.oc("import-image db:v1")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("imagestream.image.openshift.io/db imported\n")
    assert get(mongo, "db") == before
    assert before["metadata"]["resourceVersion"] == "2"
    assert len(mongo.log) == log


def test_changed_upstream_adds_a_new_item_first_and_bumps_generation(mongo):
    mongo.advance("1h")
    mongo.push("docker.io/library/mongo:4.4", digest=MONGO_2)
    assert mongo.oc("import-image db:v1").exit_code == 0
    obj = get(mongo, "db")
    assert obj["metadata"]["generation"] == 3
    assert spec_tag(obj, "v1")["generation"] == 3
    assert items(obj, "v1") == [
        ("2025-03-03T10:00:00Z", f"mongo@{MONGO_2}", MONGO_2, 3),
        ("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2),
    ]
    assert obj["metadata"]["annotations"]["openshift.io/image.dockerRepositoryCheck"] == "2025-03-03T10:00:00Z"


# failures ----------------------------------------------------------------------------------------

NOT_FOUND = 'dockerimage.image.openshift.io "docker.io/library/mongo:4.4" not found'


def test_failed_import_records_condition_and_keeps_history(mongo):
    mongo.advance("1h")
    mongo.untag("mongo:4.4")
    result = mongo.oc("import-image db:v1")
    assert result.exit_code == 1
    assert result.stderr == f"error: tag v1 failed: {NOT_FOUND}\nerror: imported completed with errors\n"
    assert result.stdout.startswith("imagestream.image.openshift.io/db imported with errors\n\n")
    obj = get(mongo, "db")
    assert status_tag(obj, "v1")["conditions"] == [{
        "generation": 3, "lastTransitionTime": "2025-03-03T10:00:00Z", "message": NOT_FOUND,
        "reason": "NotFound", "status": "False", "type": "ImportSuccess"}]
    assert items(obj, "v1") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 2)]
    assert obj["metadata"]["generation"] == 3
    assert spec_tag(obj, "v1")["generation"] == 3
    # consumers keep the previous image
    istag = mongo.oc("get istag db:v1")
    assert istag.stdout.splitlines()[1].split()[:2] == ["db:v1", f"mongo@{MONGO_1}"]

    # an identical second failure changes nothing, lastTransitionTime included
    mongo.advance("10m")
    again = mongo.oc("import-image db:v1")
    assert again.exit_code == 1
    assert get(mongo, "db") == obj

    # the next success clears the condition and collapses the head with a new generation
    mongo.advance("10m")
    mongo.push("docker.io/library/mongo:4.4", digest=MONGO_1)
    assert mongo.oc("import-image db:v1").exit_code == 0
    obj = get(mongo, "db")
    assert "conditions" not in status_tag(obj, "v1")
    assert items(obj, "v1") == [("2025-03-03T09:00:00Z", f"mongo@{MONGO_1}", MONGO_1, 4)]
    assert obj["metadata"]["generation"] == 4
    assert spec_tag(obj, "v1")["generation"] == 4


def test_failed_import_is_shown_by_describe(mongo):
    mongo.advance("1h")
    mongo.untag("mongo:4.4")
    mongo.oc("import-image db:v1")
    mongo.advance("3m")
    lines = mongo.oc("describe is/db").stdout.splitlines()
    i = lines.index("v1")
    assert lines[i:i + 7] == [
        "v1",
        "  tagged from mongo:4.4",
        "",
        f"  ! error: Import failed (NotFound): {NOT_FOUND}",
        "      3 minutes ago",
        f"  * mongo@{MONGO_1}",
        "      About an hour ago",
    ]


def test_outage_gives_internal_error(mongo):
    mongo.outage("docker.io", duration="2h")
    result = mongo.oc("import-image db:v1")
    assert result.exit_code == 1
    message = ('Internal error occurred: mongo:4.4: Get "https://docker.io/v2/": dial tcp: lookup docker.io: '
               "i/o timeout")
    assert result.stderr == f"error: tag v1 failed: {message}\nerror: imported completed with errors\n"
    condition = status_tag(get(mongo, "db"), "v1")["conditions"][0]
    assert (condition["reason"], condition["message"]) == ("InternalError", message)


# the import controller -------------------------------------------------------------------------


def test_import_controller_imports_at_once_after_oc_tag():
    sim = Simulation()
    sim.advance("5m")
    sim.push("quay.io/acme/app:1", digest=APP_1)
    assert sim.oc("tag --source=docker quay.io/acme/app:1 app:v1").exit_code == 0
    assert items(get(sim, "app"), "v1") == [("2025-03-03T09:05:00Z", f"quay.io/acme/app@{APP_1}", APP_1, 2)]
    assert [e.kind for e in sim.log] == ["push", "stream-created", "import"]


def test_oc_tag_to_the_same_source_reimports(mongo):
    mongo.advance("1h")
    mongo.push("docker.io/library/mongo:4.4", digest=MONGO_2)
    assert mongo.oc("tag --source=docker mongo:4.4 db:v1").exit_code == 0
    obj = get(mongo, "db")
    assert items(obj, "v1")[0] == ("2025-03-03T10:00:00Z", f"mongo@{MONGO_2}", MONGO_2, 4)
    assert obj["metadata"]["generation"] == 4


# scheduled import ------------------------------------------------------------------------------


def scheduled(sim: Simulation, stream: str = "app", source: str = "quay.io/acme/app:1") -> None:
    result = sim.oc(f"tag --source=docker {source} {stream}:t --scheduled")
    assert result.stdout == f"Tag {stream}:t set to import {source} periodically.\n"


def test_scheduled_import_picks_up_a_push_at_the_next_check():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim)
    sim.push("quay.io/acme/app:1", digest=APP_2, at="20m")
    sim.advance("29m")
    assert len(items(get(sim, "app"), "t")) == 1
    sim.advance("1m")
    obj = get(sim, "app")
    assert items(obj, "t") == [
        ("2025-03-03T09:30:00Z", f"quay.io/acme/app@{APP_2}", APP_2, 3),
        ("2025-03-03T09:00:00Z", f"quay.io/acme/app@{APP_1}", APP_1, 2),
    ]
    assert sim.importer.checks_run == 1


def test_scheduled_push_exactly_on_a_check_boundary_is_seen_by_that_check():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim)
    sim.push("quay.io/acme/app:1", digest=APP_2, at="15m")
    sim.advance("15m")
    assert items(get(sim, "app"), "t")[0][:3] == ("2025-03-03T09:15:00Z", f"quay.io/acme/app@{APP_2}", APP_2)


def run_quiet(days: int) -> tuple[int, int]:
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    for i in range(100):
        assert sim.oc(f"tag --source=docker quay.io/acme/app:1 s{i}:t --scheduled").exit_code == 0
    sim.advance(f"{days}d")
    assert sim.importer.last_check(sim.stream("s0")) == days * 86400
    return sim.clock.processed, sim.importer.checks_run


def test_cost_grows_with_changes_not_with_simulated_time():
    assert run_quiet(1) == run_quiet(365)


def test_outage_during_scheduled_checks_records_one_condition_and_recovers():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim)
    sim.outage("quay.io", start="20m", duration="2h")  # 09:20 - 11:20
    sim.advance("2h")  # 11:00: checks at 09:30 ... 11:00 all failed
    obj = get(sim, "app")
    conditions = status_tag(obj, "t")["conditions"]
    assert len(conditions) == 1
    assert conditions[0]["reason"] == "InternalError"
    assert conditions[0]["lastTransitionTime"] == "2025-03-03T09:30:00Z"
    assert conditions[0]["generation"] == 3
    assert obj["metadata"]["generation"] == 3
    assert len(sim.log.of_kind("import-failed")) == 1
    sim.advance("29m")  # 11:29: the outage ended at 11:20, the next check is 11:30
    assert len(status_tag(get(sim, "app"), "t")["conditions"]) == 1
    sim.advance("1m")
    obj = get(sim, "app")
    assert "conditions" not in status_tag(obj, "t")
    assert items(obj, "t") == [("2025-03-03T09:00:00Z", f"quay.io/acme/app@{APP_1}", APP_1, 4)]
    assert obj["metadata"]["generation"] == 4


def test_outage_starting_right_after_a_check_fails_at_the_next_one():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim)
    sim.push("quay.io/acme/app:1", digest=APP_2, at="15m")
    sim.advance("15m")
    sim.outage("quay.io", duration="1h")
    sim.advance("15m")
    condition = status_tag(get(sim, "app"), "t")["conditions"][0]
    assert condition["lastTransitionTime"] == "2025-03-03T09:30:00Z"


def test_pinned_by_digest_scheduled_tag_is_not_checked_after_first_success():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim, source=f"quay.io/acme/app@{APP_1}")
    sim.push("quay.io/acme/app:1", digest=APP_2, at="10m")
    sim.outage("quay.io", start="1h", duration="2h")
    sim.advance("1d")
    assert sim.importer.checks_run == 0
    obj = get(sim, "app")
    assert items(obj, "t") == [("2025-03-03T09:00:00Z", f"quay.io/acme/app@{APP_1}", APP_1, 2)]
    assert "conditions" not in status_tag(obj, "t")


def test_pinned_by_digest_scheduled_tag_is_retried_until_it_succeeds():
    sim = Simulation()
    scheduled(sim, source=f"quay.io/acme/app@{APP_1}")
    obj = get(sim, "app")
    assert status_tag(obj, "t")["conditions"][0]["reason"] == "NotFound"
    sim.push("quay.io/acme/app:1", digest=APP_1, at="20m")
    sim.advance("1h")
    obj = get(sim, "app")
    assert items(obj, "t") == [("2025-03-03T09:30:00Z", f"quay.io/acme/app@{APP_1}", APP_1, 3)]
    assert "conditions" not in status_tag(obj, "t")
    assert sim.importer.checks_run == 1
    sim.outage("quay.io", duration="1h")
    sim.advance("1d")
    assert sim.importer.checks_run == 1


def test_scheduled_check_after_upstream_untag_records_not_found():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    scheduled(sim)
    sim.untag("quay.io/acme/app:1", at="20m")
    sim.advance("1h")
    tag = status_tag(get(sim, "app"), "t")
    assert tag["conditions"] == [{
        "generation": 3, "lastTransitionTime": "2025-03-03T09:30:00Z",
        "message": 'dockerimage.image.openshift.io "quay.io/acme/app:1" not found',
        "reason": "NotFound", "status": "False", "type": "ImportSuccess"}]
    assert [i["image"] for i in tag["items"]] == [APP_1]
    assert sim.importer.checks_run == 1


def test_a_check_replaced_by_a_later_one_is_passed_over():
    """A manual import moves the stream's grid: the check queued for the old grid point is passed
    over when its time comes (it stays queued), and the push is imported at the new one."""
    from imagesim import Simulation

    sim = Simulation(seed=4)
    sim.push("quay.io/a/b:latest")
    sim.oc("import-image b --from=quay.io/a/b:latest --confirm --scheduled")
    sim.advance("7m")
    sim.push("quay.io/a/b:latest")
    assert sim.oc("import-image b").exit_code == 0  # at 7m: imports it, the grid is now 7m + 15k m
    pushed = sim.push("quay.io/a/b:latest", at="10m")
    checks = sim.importer.checks_run
    sim.advance("30m")
    imports = [(e.time, e.digest) for e in sim.log.of_kind("import")]
    assert imports[-1] == (22 * 60, pushed)  # not at 15m, the grid point before the import
    assert [t for t, _ in imports] == [0, 7 * 60, 22 * 60]
    assert sim.importer.checks_run == checks + 1
