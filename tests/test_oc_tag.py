"""``oc tag`` (§6): source kinds, snapshots, aliases, references, deletes, messages, and the
rule that a failing command changes nothing."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation
from imagesim.reference import oc_tag_source_kind

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
APP_1 = "sha256:" + "a1" * 32
APP_2 = "sha256:" + "a2" * 32
MONGO = "sha256:" + "40" * 32
INVALID_TAG = ("invalid tag \"{0}\" format, tags must start with an alphanumeric character followed by "
               "alphanumeric, '.' or '-' characters, and have a maximum of 128 characters")


def state(sim: Simulation) -> tuple[str, int]:
    return sim.oc("get is -A -o json").stdout, len(sim.log)


def get(sim: Simulation, name: str, namespace: str = "myproject") -> dict:
    result = sim.oc(f"get is {name} -n {namespace} -o json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def spec_tags(obj: dict) -> dict[str, dict]:
    return {t["name"]: t for t in obj["spec"].get("tags", [])}


def status_items(obj: dict) -> dict[str, list[tuple]]:
    return {t["tag"]: [(i["dockerImageReference"], i["image"]) for i in t["items"] or []]
            for t in obj["status"].get("tags", [])}


@pytest.fixture
def sim() -> Simulation:
    """app:v1 imported from quay.io/acme/app:1 (APP_1); mongo:4.4 exists on Docker Hub."""
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    sim.push("docker.io/library/mongo:4.4", digest=MONGO)
    assert sim.oc("tag --source=docker quay.io/acme/app:1 app:v1").exit_code == 0
    return sim


# the source kind guess ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("quay.io/acme/app:1", "DockerImage"),
        ("localhost/app:1", "DockerImage"),
        ("registry:5000/app:1", "DockerImage"),
        ("mongo:4.4", "ImageStreamTag"),
        ("myproject/app:v1", "ImageStreamTag"),
        (f"app@{APP_1}", "ImageStreamImage"),
        ("mongo", "DockerImage"),
        ("centos/mongodb", "DockerImage"),
    ],
)
def test_source_kind_guess(source, kind):
    assert oc_tag_source_kind(source) == kind


def test_bare_name_with_tag_is_an_image_stream_tag(sim):
    before = state(sim)
    result = sim.oc("tag mongo:4.4 db:v1")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == 'Error from server (NotFound): imagestreams.image.openshift.io "mongo" not found\n'
    assert state(sim) == before


def test_source_docker_imports_the_pull_spec_as_typed(sim):
    result = sim.oc("tag --source=docker mongo:4.4 db:v1")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Tag db:v1 set to mongo:4.4.\n", "")
    obj = get(sim, "db")
    assert spec_tags(obj)["v1"]["from"] == {"kind": "DockerImage", "name": "mongo:4.4"}
    assert status_items(obj) == {"v1": [(f"mongo@{MONGO}", MONGO)]}


def test_source_dockerimage_is_accepted(sim):
    assert sim.oc("tag --source=dockerimage mongo:4.4 db:v1").stdout == "Tag db:v1 set to mongo:4.4.\n"


def test_registry_source_is_a_docker_image_without_source_flag(sim):
    assert sim.oc("tag quay.io/acme/app:1 other:v1").stdout == "Tag other:v1 set to quay.io/acme/app:1.\n"
    assert status_items(get(sim, "other")) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}


# image stream tag sources ------------------------------------------------------------------------


def test_istag_source_is_a_snapshot_that_does_not_follow(sim):
    result = sim.oc("tag app:v1 copy:v1")
    assert result.stdout == f"Tag copy:v1 set to app@{APP_1}.\n"
    obj = get(sim, "copy")
    assert spec_tags(obj)["v1"]["from"] == {"kind": "ImageStreamImage", "name": f"app@{APP_1}"}
    assert status_items(obj) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}
    sim.advance("1h")
    sim.push("quay.io/acme/app:1", digest=APP_2)
    assert sim.oc("import-image app:v1").exit_code == 0
    assert status_items(get(sim, "app"))["v1"][0] == (f"quay.io/acme/app@{APP_2}", APP_2)
    assert status_items(get(sim, "copy")) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}


def test_istag_source_in_another_project(sim):
    assert sim.oc("new-project other").exit_code == 0
    result = sim.oc("tag myproject/app:v1 app:v1")
    assert result.stdout == f"Tag app:v1 set to myproject/app@{APP_1}.\n"
    tag = spec_tags(get(sim, "app", "other"))["v1"]
    assert tag["from"] == {"kind": "ImageStreamImage", "name": f"app@{APP_1}", "namespace": "myproject"}


def test_istag_source_with_reference_only_head_becomes_a_docker_source(sim):
    assert sim.oc("tag --reference --source=docker quay.io/acme/app:1 ref:v1").exit_code == 0
    result = sim.oc("tag ref:v1 imp:v1")
    assert result.stdout == "Tag imp:v1 set to quay.io/acme/app:1.\n"
    obj = get(sim, "imp")
    assert spec_tags(obj)["v1"]["from"] == {"kind": "DockerImage", "name": "quay.io/acme/app:1"}
    assert status_items(obj) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}


def test_isimage_source_by_digest(sim):
    result = sim.oc(f"tag app@{APP_1} pinned:v1")
    assert result.stdout == f"Tag pinned:v1 set to app@{APP_1}.\n"
    assert spec_tags(get(sim, "pinned"))["v1"]["from"] == {"kind": "ImageStreamImage", "name": f"app@{APP_1}"}
    assert status_items(get(sim, "pinned")) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("app@a1a1a1", "invalid reference format"),  # oc parses SOURCE as a pull spec: no short ids
        ("app@sha256:" + "a1" * 16, "invalid checksum digest length"),
    ],
)
def test_isimage_source_needs_a_full_digest(sim, source, message):
    before = state(sim)
    result = sim.oc(f"tag {source} pinned:v1")
    assert (result.exit_code, result.stderr) == (1, f"error: invalid SOURCE: {message}\n")
    assert state(sim) == before


def test_isimage_source_not_found(sim):
    before = state(sim)
    missing = "sha256:" + "f" * 64
    result = sim.oc(f"tag app@{missing} pinned:v1")
    assert result.stderr == f'Error from server (NotFound): imagestreamimage.image.openshift.io "{missing}" not found\n'
    assert state(sim) == before


def isimage_manifest(name: str) -> dict:
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "pinned"},
            "spec": {"tags": [{"name": "v1", "from": {"kind": "ImageStreamImage", "name": name}}]}}


def test_server_side_isimage_tag_resolves_a_prefix(sim):
    assert sim.apply(isimage_manifest("app@a1a1a1")) == ["imagestream.image.openshift.io/pinned created"]
    assert status_items(get(sim, "pinned")) == {"v1": [(f"quay.io/acme/app@{APP_1}", APP_1)]}


def test_server_side_isimage_tag_with_ambiguous_prefix_is_a_conflict(sim):
    other = "sha256:a1a1" + "0" * 60
    sim.push("quay.io/acme/app:2", digest=other)
    sim.oc("tag --source=docker quay.io/acme/app:2 app:v2")
    before = state(sim)
    result = sim.oc_stdin("apply -f -", json.dumps(isimage_manifest("app@sha256:a1a1")))
    assert result.exit_code == 1
    assert result.stderr == (
        'The ImageStream "pinned" is invalid: spec.tags[v1].from.name: Invalid value: "app@sha256:a1a1": '
        "error generating tag event: Operation cannot be fulfilled on imagestreamimage.image.openshift.io "
        f'"sha256:a1a1": multiple images match the prefix "sha256:a1a1": {other}, {APP_1}\n')
    assert state(sim) == before


def test_server_side_isimage_tag_with_unknown_id_is_invalid(sim):
    before = state(sim)
    result = sim.oc_stdin("apply -f -", json.dumps(isimage_manifest("app@ffff")))
    assert result.stderr == (
        'The ImageStream "pinned" is invalid: spec.tags[v1].from.name: Invalid value: "app@ffff": '
        'error generating tag event: imagestreamimage.image.openshift.io "ffff" not found\n')
    assert state(sim) == before


# aliases -------------------------------------------------------------------------------------------


def test_alias_tracks_and_follows(sim):
    result = sim.oc("tag app:v1 app:latest --alias")
    assert result.stdout == "Tag app:latest set up to track app:v1.\n"
    obj = get(sim, "app")
    assert spec_tags(obj)["latest"]["from"] == {"kind": "ImageStreamTag", "name": "app:v1"}
    assert status_items(obj)["latest"] == [(f"quay.io/acme/app@{APP_1}", APP_1)]
    sim.advance("1h")
    sim.push("quay.io/acme/app:1", digest=APP_2)
    sim.oc("import-image app:v1")
    assert status_items(get(sim, "app"))["latest"] == [
        (f"quay.io/acme/app@{APP_2}", APP_2), (f"quay.io/acme/app@{APP_1}", APP_1)]


# every refused command, with its exact message, changes nothing ---------------------------------

USAGE = "See 'oc tag -h' for help and examples\n"


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("tag", "error: you must specify a source and at least one destination or one or more tags to delete\n"
                + USAGE),
        ("tag app:v1", "error: at least a destination is required\n"),
        ("tag -d", "error: at least a destination is required\n"),
        ("tag app:v1 other:x --alias", "error: cannot set alias across different Image Streams\n"),
        ("tag app:v1 openshift/app:x --alias", "error: cannot set alias across different Image Streams\n"),
        ("tag app:nope app:x", 'error: "app:nope" is not currently pointing to an image, cannot use it as '
                               "the source of a tag\n"),
        ("tag myproject/app:nope app:x", 'error: "myproject/app:nope" is not currently pointing to an image, '
                                         "cannot use it as the source of a tag\n"),
        ("tag app:v1 app:-bad", "error: " + INVALID_TAG.format("-bad") + "\n"),
        ("tag --source=docker mongo:4.4 db:.x", "error: " + INVALID_TAG.format(".x") + "\n"),
        ("tag app:v1 db", 'error: "db" must be of the form <stream_name>:<tag>\n'),
        ("tag app:v1 a/b/c:x", 'error: invalid image stream "a/b/c:x"\n'),
        ("tag app:v1 app:x --scheduled", "error: only container images can have importing flags set\n"),
        ("tag app:v1 app:x --insecure", "error: only container images can have importing flags set\n"),
        ("tag app:v1 app:x --alias --scheduled", "error: only container images can have importing flags set\n"),
        ("tag --source=docker mongo:4.4 db:v1 --reference-policy=foo",
         "error: reference policy must be set to 'source' or 'local'\n"),
        ("tag --source=bogus mongo:4.4 db:v1",
         'error: invalid source "bogus"; valid values are docker, dockerimage, imagestreamimage, '
         "imagestreamtag, isimage, istag\n" + USAGE),
        ("tag --source=istag app db:x", "error: --source=ImageStreamTag requires a valid <name>:<tag> in SOURCE\n"),
        ("tag --source=isimage app:v1 db:x",
         "error: --source=ImageStreamImage requires a valid <name>@<id> in SOURCE\n"),
        ("tag --source=istag quay.io/acme/app:1 db:x",
         "error: server in SOURCE is only allowed when providing a container image\n"),
        ("tag Bad!! db:x", "error: invalid SOURCE: invalid reference format\n"),
        ("tag -d app:nope", 'Error from server (NotFound): imagestreamtags.image.openshift.io "app:nope" not found\n'),
        ("tag -d nope:v1", 'Error from server (NotFound): imagestreamtags.image.openshift.io "nope:v1" not found\n'),
        ("tag -d app:v1 app:nope",
         'Error from server (NotFound): imagestreamtags.image.openshift.io "app:nope" not found\n'),
        ("tag -d --alias app:v1", "error: --alias and --delete may not be both specified\n"),
        ("tag -d --source=docker app:v1", "error: cannot specify a source kind when deleting\n"),
        ("tag -d --scheduled app:v1", "error: cannot set flags for importing images when deleting a tag\n"),
        ("tag --source=docker mongo:4.4 db:v1 nope/db:v1",
         'Error from server (NotFound): namespaces "nope" not found\n'),
        ("tag --source=docker mongo:4.4 db:v1 db:-x", "error: " + INVALID_TAG.format("-x") + "\n"),
        ("tag --bogus app:v1 app:x", "error: unknown flag: --bogus\n" + USAGE),
    ],
)
def test_refused_commands_print_the_real_message_and_change_nothing(sim, command, stderr):
    before = state(sim)
    result = sim.oc(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert state(sim) == before


def test_scheduled_is_refused_for_an_istag_source_and_changes_nothing(sim):
    before = state(sim)
    result = sim.oc("tag app:v1 app:sched --scheduled")
    assert result.stderr == "error: only container images can have importing flags set\n"
    assert state(sim) == before
    assert "sched" not in spec_tags(get(sim, "app"))


# deleting ----------------------------------------------------------------------------------------


def test_delete_removes_spec_tag_and_history(sim):
    assert sim.oc("tag app:v1 app:latest --alias").exit_code == 0
    result = sim.oc("tag -d app:v1")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Deleted tag myproject/app:v1.\n", "")
    obj = get(sim, "app")
    assert list(spec_tags(obj)) == ["latest"]
    assert list(status_items(obj)) == ["latest"]
    assert sim.oc("get istag app:v1").stderr == (
        'Error from server (NotFound): imagestreamtags.image.openshift.io "app:v1" not found\n')


def test_delete_always_prints_the_namespace_and_takes_several_tags(sim):
    sim.oc("tag app:v1 app:a app:b")
    result = sim.oc("tag -d app:a app:b -n myproject")
    assert result.stdout == "Deleted tag myproject/app:a.\nDeleted tag myproject/app:b.\n"


def test_delete_of_status_only_tag(sim):
    sim.push(f"{INTERNAL}/myproject/app:pushed")
    assert sim.oc("tag -d app:pushed").stdout == "Deleted tag myproject/app:pushed.\n"
    assert "pushed" not in status_items(get(sim, "app"))


# references and policies -------------------------------------------------------------------------


def test_reference_records_the_pull_spec_verbatim_without_import(sim):
    requests = sim.registry("docker.io").requests
    result = sim.oc("tag --reference --source=docker mongo:4.4 ref:v1")
    assert result.stdout == "Tag ref:v1 set to mongo:4.4.\n"
    obj = get(sim, "ref")
    assert spec_tags(obj)["v1"]["reference"] is True
    assert status_items(obj) == {"v1": [("mongo:4.4", "")]}
    assert sim.registry("docker.io").requests == requests
    assert [e.kind for e in sim.log][-1] == "stream-created"
    assert sim.oc("get istag ref:v1").stderr == (
        'Error from server (NotFound): imagestreamtags.image.openshift.io "ref:v1" not found\n')


def test_reference_policy_local_changes_the_istag_pull_spec(sim):
    assert sim.oc("get istag app:v1").stdout.splitlines()[1].split()[1] == f"quay.io/acme/app@{APP_1}"
    result = sim.oc("tag --source=docker quay.io/acme/app:1 app:v1 --reference-policy=local")
    assert result.exit_code == 0
    assert spec_tags(get(sim, "app"))["v1"]["referencePolicy"] == {"type": "Local"}
    lines = sim.oc("get istag app:v1").stdout.splitlines()
    assert lines[1].split()[:2] == ["app:v1", f"{INTERNAL}/myproject/app@{APP_1}"]


def test_writing_a_tag_replaces_the_whole_spec_tag():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    sim.apply({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "app"},
               "spec": {"tags": [{"name": "v1", "annotations": {"description": "App one"},
                                  "from": {"kind": "DockerImage", "name": "quay.io/acme/app:1"},
                                  "referencePolicy": {"type": "Local"}}]}})
    assert "  App one" in sim.oc("describe is app").stdout.splitlines()
    sim.oc("tag --source=docker quay.io/acme/app:1 app:v1")
    tag = spec_tags(get(sim, "app"))["v1"]
    assert (tag["annotations"], tag["referencePolicy"]) == (None, {"type": "Source"})
    assert "  App one" not in sim.oc("describe is app").stdout.splitlines()


# messages ----------------------------------------------------------------------------------------


def test_messages_with_and_without_namespace(sim):
    assert sim.oc("tag --source=docker mongo:4.4 openshift/db:v1").stdout == "Tag openshift/db:v1 set to mongo:4.4.\n"
    assert sim.oc("tag --source=docker mongo:4.4 db:v2 -n openshift").stdout == "Tag db:v2 set to mongo:4.4.\n"
    assert sim.oc("tag --source=docker mongo:4.4 myproject/db:v3 -n openshift").stdout == (
        "Tag myproject/db:v3 set to mongo:4.4.\n")
    assert sim.oc("tag --source=docker mongo:4.4 db:s --scheduled").stdout == (
        "Tag db:s set to import mongo:4.4 periodically.\n")
    assert sim.oc("tag --source=docker mongo:4.4 openshift/db:s --scheduled").stdout == (
        "Tag openshift/db:s set to mongo:4.4 periodically.\n")
    assert sim.oc("tag app:v1 openshift/app:x").stdout == f"Tag openshift/app:x set to app@{APP_1}.\n"
    assert sorted(spec_tags(get(sim, "db", "openshift"))) == ["s", "v1", "v2"]


def test_multiple_destinations(sim):
    result = sim.oc("tag --source=docker mongo:4.4 db:a db:b openshift/db:c")
    assert result.stdout == ("Tag db:a set to mongo:4.4.\nTag db:b set to mongo:4.4.\n"
                             "Tag openshift/db:c set to mongo:4.4.\n")
    assert sorted(status_items(get(sim, "db"))) == ["a", "b"]
    assert status_items(get(sim, "db", "openshift")) == {"c": [(f"mongo@{MONGO}", MONGO)]}


def test_retagging_the_same_docker_source_always_reimports(sim):
    sim.advance("1h")
    sim.push("quay.io/acme/app:1", digest=APP_2)
    assert sim.oc("tag --source=docker quay.io/acme/app:1 app:v1").exit_code == 0
    assert status_items(get(sim, "app"))["v1"] == [
        (f"quay.io/acme/app@{APP_2}", APP_2), (f"quay.io/acme/app@{APP_1}", APP_1)]
