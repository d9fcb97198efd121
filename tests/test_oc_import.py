"""``oc import-image`` (§5.1): arguments, messages, outputs, exit codes, dry runs."""

from __future__ import annotations

import json

import pytest

from imagesim import Simulation

APP_1 = "sha256:" + "a1" * 32
APP_2 = "sha256:" + "a2" * 32
MONGO = "sha256:" + "40" * 32


def state(sim: Simulation) -> tuple[str, int]:
    return sim.oc("get is -A -o json").stdout, len(sim.log)


def get(sim: Simulation, name: str) -> dict:
    result = sim.oc(f"get is {name} -o json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def spec_tags(obj: dict) -> dict[str, dict]:
    return {t["name"]: t for t in obj["spec"].get("tags", [])}


def status_tags(obj: dict) -> dict[str, dict]:
    return {t["tag"]: t for t in obj["status"].get("tags", [])}


APP = """
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: app}
spec:
  tags:
  - name: v1
    from: {kind: DockerImage, name: "quay.io/acme/app:1"}
  - name: latest
    from: {kind: ImageStreamTag, name: v1}
  - name: snap
    from: {kind: ImageStreamImage, name: "app@%s"}
  - name: foreign
    from: {kind: ImageStreamTag, name: "other:v1"}
  - name: elsewhere
    from: {kind: ImageStreamTag, name: v1, namespace: openshift}
  - name: loop-a
    from: {kind: ImageStreamTag, name: loop-b}
  - name: loop-b
    from: {kind: ImageStreamTag, name: "app:loop-a"}
  - name: nofrom
""" % APP_1


@pytest.fixture
def sim() -> Simulation:
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    sim.push("docker.io/library/mongo:4.4", digest=MONGO)
    assert sim.oc_stdin("apply -f -", APP).exit_code == 0
    assert sim.oc("tag --reference --source=docker quay.io/acme/app:1 refonly:v1").exit_code == 0
    sim.advance("1h")
    return sim


# refused commands: the exact message, exit code 1, nothing changed -----------------------------


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("import-image", "error: you must specify the name of an image stream\n"),
        ("import-image nope", 'error: no image stream named "nope" exists, pass --confirm to create and import\n'),
        ("import-image nope:1 --from=quay.io/acme/app:1",
         'error: no image stream named "nope" exists, pass --confirm to create and import\n'),
        (f"import-image app@{APP_1}", "error: to import images by ID, use the 'tag' command\n"),
        ("import-image app:v1 --all", 'error: cannot specify a tag "app:v1" as well as --all\n'),
        ("import-image app:missing",
         "error: the tag \"missing\" does not exist on the image stream - choose an existing tag to import or "
         "use the 'tag' command to create a new tag\n"),
        ("import-image refonly",
         "error: the tag \"latest\" does not exist on the image stream - choose an existing tag to import or "
         "use the 'tag' command to create a new tag\n"),
        ("import-image app:v1 --from=quay.io/acme/app:2",
         "error: the tag \"v1\" points to \"quay.io/acme/app:1\" - use the 'tag' command if you want to change "
         "the source to \"quay.io/acme/app:2\"\n"),
        ("import-image app:latest --from=quay.io/acme/app:2",
         "error: the tag \"latest\" points to the tag \"v1\" which points to \"quay.io/acme/app:1\" - use the "
         "'tag' command if you want to change the source to \"quay.io/acme/app:2\"\n"),
        ("import-image app:snap",
         f'error: tag "snap" points to existing ImageStreamImage "app@{APP_1}", it cannot be re-imported\n'),
        ("import-image app:foreign", 'error: tag "foreign" points to an imagestreamtag from another ImageStream\n'),
        ("import-image app:elsewhere",
         'error: tag "elsewhere" points to an imagestreamtag from another ImageStream\n'),
        ("import-image app:loop-a", 'error: tag "loop-a" on the image stream is a reference to same tag\n'),
        ("import-image app:nofrom",
         "error: tag \"nofrom\" already exists - you must use the 'tag' command if you want to change the "
         "source to \"\"\n"),
        ("import-image refonly --all",
         "error: image stream does not have tags pointing to external container images\n"),
        ("import-image app --all --from=quay.io/acme/app",
         "error: the image stream does not currently import an entire Docker repository, pass --confirm to "
         "update\n"),
        ("import-image Bad!!",
         "error: the image name must be a valid Docker image pull spec or reference to an image stream "
         "(e.g. myregistry/myteam/image:tag)\n"),
        ("import-image app:v1 --reference-policy=sideways",
         "error: reference policy must be set to 'source' or 'local'\n"),
        ("import-image app:v1 -o table",
         'error: unable to match a printer suitable for the output format "table"\n'
         "See 'oc import-image -h' for help and examples\n"),
        ("import-image app:v1 --bogus", "error: unknown flag: --bogus\nSee 'oc import-image -h' for help and examples\n"),
        ("import-image app:v1 -n nope", 'Error from server (NotFound): namespaces "nope" not found\n'),
    ],
)
def test_refused_commands(sim, command, stderr):
    before = state(sim)
    result = sim.oc(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert state(sim) == before


# successful imports --------------------------------------------------------------------------------


def test_import_follows_the_alias_and_prints_describe_and_image(sim):
    sim.push("quay.io/acme/app:1", digest=APP_2)
    result = sim.oc("import-image app")  # latest -> v1
    assert (result.exit_code, result.stderr) == (0, "")
    header, _, rest = result.stdout.partition("\n\n")
    assert header == "imagestream.image.openshift.io/app imported"
    describe = sim.oc("describe is app").stdout
    assert rest.startswith(describe + "\n")
    image = rest[len(describe) + 1:].splitlines()
    assert image[:3] == ["Image Name:\tapp:v1", f"Docker Image:\tquay.io/acme/app@{APP_2}", f"Name:\t\t{APP_2}"]
    history = status_tags(get(sim, "app"))
    assert [i["image"] for i in history["v1"]["items"]] == [APP_2, APP_1]
    assert [i["image"] for i in history["latest"]["items"]] == [APP_2, APP_1]


def test_confirm_creates_the_stream_from_the_argument():
    sim = Simulation()
    sim.push("docker.io/library/mongo:4.4", digest=MONGO)
    result = sim.oc("import-image mongo:4.4 --confirm")
    assert result.exit_code == 0
    obj = get(sim, "mongo")
    assert spec_tags(obj)["4.4"]["from"] == {"kind": "DockerImage", "name": "mongo:4.4"}
    assert [i["dockerImageReference"] for i in status_tags(obj)["4.4"]["items"]] == [f"mongo@{MONGO}"]


def test_confirm_with_from_and_a_registry_name():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=APP_1)
    assert sim.oc("import-image quay.io/acme/app:1 --confirm").exit_code == 0
    assert spec_tags(get(sim, "app"))["1"]["from"]["name"] == "quay.io/acme/app:1"
    assert sim.oc("import-image web --from=quay.io/acme/app:1 --confirm").exit_code == 0
    assert spec_tags(get(sim, "web"))["latest"]["from"]["name"] == "quay.io/acme/app:1"


def test_confirm_creates_the_stream_even_when_the_import_fails():
    sim = Simulation()
    result = sim.oc("import-image app:1 --from=quay.io/acme/nope:1 --confirm")
    message = 'dockerimage.image.openshift.io "quay.io/acme/nope:1" not found'
    assert result.exit_code == 1
    assert result.stdout.startswith("imagestream.image.openshift.io/app imported with errors\n\nName:")
    assert f"  ! error: Import failed (NotFound): {message}" in result.stdout.splitlines()
    assert result.stderr == f"error: tag 1 failed: {message}\nerror: imported completed with errors\n"
    obj = get(sim, "app")
    assert spec_tags(obj)["1"]["from"] == {"kind": "DockerImage", "name": "quay.io/acme/nope:1"}
    assert status_tags(obj)["1"]["items"] is None
    assert status_tags(obj)["1"]["conditions"][0]["reason"] == "NotFound"


def test_new_tag_with_from_on_an_existing_stream(sim):
    sim.push("quay.io/acme/app:2", digest=APP_2)
    assert sim.oc("import-image app:v2 --from=quay.io/acme/app:2").exit_code == 0
    obj = get(sim, "app")
    assert spec_tags(obj)["v2"]["from"] == {"kind": "DockerImage", "name": "quay.io/acme/app:2"}
    assert status_tags(obj)["v2"]["items"][0]["image"] == APP_2


def test_all_imports_every_docker_spec_tag(sim):
    sim.oc("tag --source=docker mongo:4.4 app:db")
    sim.push("quay.io/acme/app:1", digest=APP_2)
    sim.push("docker.io/library/mongo:4.4", digest=APP_1)
    result = sim.oc("import-image app --all")
    assert (result.exit_code, result.stderr) == (0, "")
    history = status_tags(get(sim, "app"))
    assert history["v1"]["items"][0]["image"] == APP_2
    assert history["db"]["items"][0]["image"] == APP_1


def test_all_from_a_remote_repository_is_capped_at_fifty_tags():
    sim = Simulation()
    for i in range(55):
        sim.push(f"quay.io/acme/many:1.{i}")
    sim.push("quay.io/acme/many:latest")
    result = sim.oc("import-image many --all --from=quay.io/acme/many --confirm")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.endswith("info: The remote repository contained 6 additional tags which were not "
                                  "imported: 1.5, 1.4, 1.3, 1.2, 1.1, 1.0\n")
    tags = spec_tags(get(sim, "many"))
    assert len(tags) == 50
    assert "latest" in tags and "1.54" in tags and "1.6" in tags and "1.5" not in tags


def test_scheduled_and_insecure_are_ored_with_the_existing_policy(sim):
    assert sim.oc("import-image app:v1 --scheduled").exit_code == 0
    assert spec_tags(get(sim, "app"))["v1"]["importPolicy"] == {"importMode": "Legacy", "scheduled": True}
    assert sim.oc("import-image app:v1").exit_code == 0
    assert spec_tags(get(sim, "app"))["v1"]["importPolicy"] == {"importMode": "Legacy", "scheduled": True}


def test_rerun_with_unchanged_upstream_prints_imported_and_changes_nothing(sim):
    before = state(sim)
    result = sim.oc("import-image app:v1")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("imagestream.image.openshift.io/app imported\n\n")
    assert state(sim) == before


def test_failed_import_of_an_existing_tag(sim):
    sim.untag("quay.io/acme/app:1")
    result = sim.oc("import-image app:v1")
    message = 'dockerimage.image.openshift.io "quay.io/acme/app:1" not found'
    assert result.exit_code == 1
    assert result.stdout.startswith("imagestream.image.openshift.io/app imported with errors\n\n")
    assert result.stderr == f"error: tag v1 failed: {message}\nerror: imported completed with errors\n"
    obj = get(sim, "app")
    assert status_tags(obj)["v1"]["items"][0]["image"] == APP_1
    assert status_tags(obj)["v1"]["conditions"][0]["message"] == message


@pytest.mark.parametrize(
    "command",
    ["import-image app:v1 --dry-run", "import-image app:v9 --from=quay.io/acme/app:2 --dry-run",
     "import-image newone:1 --from=quay.io/acme/app:2 --confirm --dry-run", "import-image app --all --dry-run"],
)
def test_dry_run_changes_nothing(sim, command):
    sim.push("quay.io/acme/app:1", digest=APP_2)
    sim.push("quay.io/acme/app:2", digest=APP_2)
    before = state(sim)
    result = sim.oc(command)
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.endswith(" imported (dry run)")
    assert state(sim) == before


def test_output_name_and_json(sim):
    assert sim.oc("import-image app:v1 -o name").stdout == "imagestream.image.openshift.io/app\n"
    assert json.loads(sim.oc("import-image app:v1 -o json").stdout) == get(sim, "app")


def test_latest_falls_back_to_the_stream_docker_image_repository():
    sim = Simulation()
    sim.push("quay.io/acme/app:latest", digest=APP_1)
    sim.apply({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "repo"},
               "spec": {"dockerImageRepository": "quay.io/acme/app"}})
    # the import controller imports the whole repository of a new stream at once (§5.3)
    obj = get(sim, "repo")
    assert spec_tags(obj)["latest"]["from"] == {"kind": "DockerImage", "name": "quay.io/acme/app:latest"}
    result = sim.oc("import-image repo")
    assert (result.exit_code, result.stderr) == (0, "")
    obj = get(sim, "repo")
    assert spec_tags(obj)["latest"]["from"] == {"kind": "DockerImage", "name": "quay.io/acme/app:latest"}
    assert [i["dockerImageReference"] for i in status_tags(obj)["latest"]["items"]] == [f"quay.io/acme/app@{APP_1}"]
    assert sim.oc("get is repo").stdout.splitlines()[1].split()[:3] == ["repo", "quay.io/acme/app", "latest"]
