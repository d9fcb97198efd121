"""What ``oc`` prints (§8): describe, tables, ages, -o name/json/yaml, errors, projects, apply,
prune, and the rule that no user mistake raises a Python exception."""

from __future__ import annotations

import json

import pytest
import yaml

from imagesim import Simulation, scenarios
from imagesim.clock import human_duration

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
MONGO_32 = "sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1"
D1 = "sha256:" + "d1" * 32
D2 = "sha256:" + "d2" * 32
D3 = "sha256:" + "d3" * 32


@pytest.fixture(scope="module")
def catalog() -> Simulation:
    """The default world; tests using it only read (get/describe never change anything)."""
    return scenarios.openshift_catalog(seed=0)


# oc describe is ------------------------------------------------------------------------------------


def test_describe_mongodb_in_the_catalog(catalog):
    result = catalog.oc("describe is/mongodb -n openshift")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.expandtabs(8).splitlines()
    assert lines[:12] == [
        "Name:                   mongodb",
        "Namespace:              openshift",
        "Created:                22 hours ago",
        "Labels:                 <none>",
        "Annotations:            openshift.io/display-name=MongoDB",
        "                        openshift.io/image.dockerRepositoryCheck=2025-03-03T09:00:00Z",
        f"Image Repository:       {INTERNAL}/openshift/mongodb",
        "Image Lookup:           local=false",
        "Unique Images:          3",
        "Tags:                   4",
        "",
        "3.2 (latest)",
    ]
    assert lines[12:19] == [
        "  tagged from centos/mongodb-32-centos7:latest",
        "",
        "  Provides a MongoDB 3.2 database on CentOS 7. For more information about using this database image, "
        "including OpenShift considerations, see https://github.com/sclorg/mongodb-container/tree/master/3.2/"
        "README.md.",
        "  Tags: mongodb",
        "",
        f"  * centos/mongodb-32-centos7@{MONGO_32}",
        "      22 hours ago",
    ]
    assert [line for line in lines if line and not line.startswith(" ") and ":" not in line] == [
        "3.2 (latest)", "2.6", "2.4"]


@pytest.mark.parametrize(
    ("label", "tabs"),
    [("Name:", 3), ("Namespace:", 2), ("Created:", 2), ("Labels:", 3), ("Annotations:", 2), ("", 3),
     ("Image Repository:", 1), ("Image Lookup:", 2), ("Unique Images:", 2), ("Tags:", 3)],
)
def test_describe_header_tabs(catalog, label, tabs):
    lines = catalog.oc("describe is/mongodb -n openshift").stdout.splitlines()[:10]
    matching = [line for line in lines if line.startswith(label) and line[len(label):len(label) + 1] == "\t"]
    assert matching
    line = matching[0]
    assert line[len(label):len(label) + tabs] == "\t" * tabs
    assert line[len(label) + tabs] != "\t"


def test_describe_shows_failed_import_then_its_age():
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=D1)
    sim.oc("tag --source=docker quay.io/acme/app:1 app:v1")
    sim.advance("2h")
    sim.untag("quay.io/acme/app:1")
    sim.oc("import-image app:v1")
    sim.advance("90s")
    lines = sim.oc("describe is app").stdout.splitlines()
    assert lines[lines.index("v1"):] == [
        "v1",
        "  tagged from quay.io/acme/app:1",
        "",
        '  ! error: Import failed (NotFound): dockerimage.image.openshift.io "quay.io/acme/app:1" not found',
        "      About a minute ago",
        f"  * quay.io/acme/app@{D1}",
        "      2 hours ago",
    ]


def test_describe_pushed_tag_has_no_spec_tag():
    sim = Simulation()
    sim.push(f"{INTERNAL}/myproject/web:v1", digest=D1)
    lines = sim.oc("describe is web").stdout.splitlines()
    assert lines[lines.index("v1"):] == [
        "v1", "  no spec tag", "", f"  * {INTERNAL}/myproject/web@{D1}", "      Less than a second ago"]
    assert "Annotations:\t\t<none>" in lines


def test_describe_shows_image_id_when_ref_is_not_pinned_and_reference_tags():
    sim = Simulation()
    sim.oc("tag --reference --source=docker quay.io/acme/app:1 app:ref")
    lines = sim.oc("describe is app").stdout.splitlines()
    assert lines[lines.index("ref"):] == [
        "ref", "  reference to registry quay.io/acme/app:1", "", "  * quay.io/acme/app:1",
        "      Less than a second ago"]
    assert "Unique Images:\t\t1" in lines


def test_describe_stream_without_tags():
    sim = Simulation()
    sim.apply({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "empty"}})
    assert sim.oc("describe is empty").stdout.splitlines()[-1] == "Tags:\t\t\t<none>"


# oc get is and the TAGS column ------------------------------------------------------------------


def test_get_is_in_the_catalog(catalog):
    result = catalog.oc("get is -n openshift")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    nginx_tags = "1.18-ubi7,1.18-ubi8,1.20-ubi8,1.20-ubi9 + 1 more..."
    # the longest cell + 3: postgresql, .../openshift/postgresql, nginx's TAGS
    widths = (len("postgresql") + 3, len(f"{INTERNAL}/openshift/postgresql") + 3, len(nginx_tags) + 3)

    def row(*cells: str) -> str:
        return "".join(c.ljust(w) for c, w in zip(cells, widths)) + cells[-1]

    assert lines[0] == row("NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED")
    assert row("mongodb", f"{INTERNAL}/openshift/mongodb", "2.4,2.6,3.2,latest", "22 hours ago") in lines
    assert row("nginx", f"{INTERNAL}/openshift/nginx", nginx_tags, "22 hours ago") in lines
    assert len(lines) == 16


def get_tags_cell(sim: Simulation) -> str:
    header, row = sim.oc("get is s").stdout.splitlines()[:2]
    start, end = header.index("TAGS"), header.index("UPDATED")
    return row[start:end].rstrip()


def push_tags(tags: list[str]) -> Simulation:
    sim = Simulation()
    for tag in tags:
        sim.push(f"{INTERNAL}/myproject/s:{tag}")
    return sim


A27, B15, B21, B22, C1 = "a" + "x" * 26, "b" + "x" * 14, "b" + "x" * 20, "b" + "x" * 21, "c"
A28, B12 = "a" + "x" * 27, "b" + "x" * 11


@pytest.mark.parametrize(
    ("tags", "cell"),
    [
        # the first tag is always shown, however long
        (["a" * 50], "a" * 50),
        (["a" * 50, "b"], "a" * 50 + " + 1 more..."),
        # four 9-character tags cost exactly 40
        (["a" * 9, "b" * 9, "c" * 9, "d" * 9], ",".join(["a" * 9, "b" * 9, "c" * 9, "d" * 9])),
        (["a" * 9, "b" * 9, "c" * 9, "d" * 9, "e"], ",".join(["a" * 9, "b" * 9, "c" * 9, "d" * 9]) + " + 1 more..."),
        # 12 left before the second tag (> 10 + 1) and it overshoots by 4 (<= 10): kept; the third is not
        ([A27, B15, C1], f"{A27},{B15} + 1 more..."),
        # overshoot of exactly 10 is kept, 11 is not
        ([A27, B21], f"{A27},{B21}"),
        ([A27, B22], f"{A27} + 1 more..."),
        # 11 left before the second tag is not more than 10 + 1: cut
        ([A28, B12], f"{A28} + 1 more..."),
    ],
)
def test_tags_column_budget(tags, cell):
    assert get_tags_cell(push_tags(tags)) == cell


def test_tags_column_orders_newest_first_then_by_name_then_tags_without_items():
    sim = Simulation()
    sim.push(f"{INTERNAL}/myproject/s:old")
    sim.advance("1m")
    sim.push(f"{INTERNAL}/myproject/s:zeta")
    sim.push(f"{INTERNAL}/myproject/s:alpha")
    sim.oc("tag --source=docker quay.io/acme/missing:1 s:failed")  # import fails: no items
    assert get_tags_cell(sim) == "alpha,zeta,old,failed"
    assert sim.oc("get is s").stdout.splitlines()[1].endswith("   Less than a second ago")


def test_get_is_updated_is_empty_without_items():
    sim = Simulation()
    sim.oc("tag --source=docker quay.io/acme/missing:1 s:failed")
    header, row = sim.oc("get is s").stdout.splitlines()
    assert row.rstrip().endswith("   failed")


# ages ------------------------------------------------------------------------------------------


HOUR, DAY = 3600, 86400


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "Less than a second"), (0, "Less than a second"), (1, "1 second"), (2, "2 seconds"),
        (59, "59 seconds"), (60, "About a minute"), (119, "About a minute"), (120, "2 minutes"),
        (3599, "59 minutes"), (3600, "About an hour"), (5399, "About an hour"), (5400, "2 hours"),
        (170999, "47 hours"), (171000, "2 days"), (22 * HOUR, "22 hours"),
        (1207799, "13 days"), (1207800, "2 weeks"),
        (5182199, "8 weeks"), (5182200, "2 months"),
        (63070199, "24 months"), (63070200, "1 years"), (3 * 365 * DAY, "3 years"),
    ],
)
def test_human_duration_boundaries(seconds, text):
    assert human_duration(seconds) == text


# -o name / json / yaml -------------------------------------------------------------------------


def test_output_name(catalog):
    result = catalog.oc("get is -n openshift -o name")
    assert result.stdout.splitlines()[:3] == [
        "imagestream.image.openshift.io/dotnet", "imagestream.image.openshift.io/httpd",
        "imagestream.image.openshift.io/jenkins"]
    assert catalog.oc("get istag mongodb:3.2 -n openshift -o name").stdout == (
        "imagestreamtag.image.openshift.io/mongodb:3.2\n")


@pytest.fixture
def history() -> Simulation:
    """Stream app: v1 with three history items, latest tracking v1, b pushed."""
    sim = Simulation()
    for i, digest in enumerate((D1, D2, D3)):
        sim.push("quay.io/acme/app:1", digest=digest)
        sim.oc("tag --source=docker quay.io/acme/app:1 app:v1" if i == 0 else "import-image app:v1")
        if i == 0:
            sim.oc("tag app:v1 app:latest --alias")
        sim.advance("1h")
    sim.push(f"{INTERNAL}/myproject/app:b", digest=D1)
    return sim


def test_output_json_layout(history):
    text = history.oc("get is app -o json").stdout
    obj = json.loads(text)
    assert text == json.dumps(obj, indent=4, sort_keys=True) + "\n"
    assert text.startswith('{\n    "apiVersion": "image.openshift.io/v1",\n    "kind": "ImageStream",\n')
    assert [t["name"] for t in obj["spec"]["tags"]] == ["latest", "v1"]
    assert [t["tag"] for t in obj["status"]["tags"]] == ["b", "latest", "v1"]
    v1 = obj["status"]["tags"][2]["items"]
    assert [i["image"] for i in v1] == [D3, D2, D1]
    assert [i["created"] for i in v1] == ["2025-03-03T11:00:00Z", "2025-03-03T10:00:00Z", "2025-03-03T09:00:00Z"]
    assert obj["status"]["dockerImageRepository"] == f"{INTERNAL}/myproject/app"


def test_output_json_list(history):
    obj = json.loads(history.oc("get is -o json").stdout)
    assert (obj["apiVersion"], obj["kind"], obj["metadata"]) == ("v1", "List", {"resourceVersion": ""})
    assert [i["metadata"]["name"] for i in obj["items"]] == ["app"]


def test_output_yaml(history):
    text = history.oc("get is app -o yaml").stdout
    assert yaml.safe_load(text) == json.loads(history.oc("get is app -o json").stdout)
    lines = text.splitlines()
    assert lines[:3] == ["apiVersion: image.openshift.io/v1", "kind: ImageStream", "metadata:"]
    assert '  creationTimestamp: "2025-03-03T09:00:00Z"' in lines
    assert "  - annotations: null" in lines
    assert "    - created: \"2025-03-03T11:00:00Z\"" in lines


# istag / isimage -------------------------------------------------------------------------------


def test_get_istag_and_wide(catalog):
    plain = catalog.oc("get istag mongodb:3.2 -n openshift").stdout.splitlines()
    ref = f"centos/mongodb-32-centos7@{MONGO_32}"
    assert plain == ["NAME".ljust(14) + "IMAGE REFERENCE".ljust(len(ref) + 3) + "UPDATED",
                     "mongodb:3.2".ljust(14) + ref.ljust(len(ref) + 3) + "22 hours ago"]
    wide = catalog.oc("get istag mongodb:3.2 -n openshift -o wide").stdout.splitlines()
    assert wide[0].split("   ")[-1].strip() == "IMAGE NAME"
    assert wide[1].endswith("22 hours ago   " + MONGO_32)


def test_get_istag_lists_tags_with_images(history):
    history.oc("tag --reference --source=docker quay.io/acme/app:1 app:ref")
    rows = [line.split()[0] for line in history.oc("get istag").stdout.splitlines()[1:]]
    assert rows == ["app:b", "app:latest", "app:v1"]


def test_get_isimage_by_prefix(history):
    result = history.oc("get isimage app@d1d1d1")
    # the name is the one asked for; the age is the image's first appearance (09:00, now 12:00)
    assert result.stdout.splitlines() == ["NAME         UPDATED", "app@d1d1d1   3 hours ago"]
    older = history.oc("get isimage app@sha256:d2 -o wide").stdout.splitlines()[1]
    assert older.split() == ["app@sha256:d2", "2", "hours", "ago", f"quay.io/acme/app@{D2}", D2]
    missing = history.oc("get isimage app@ffff")
    assert missing.stderr == ('Error from server (NotFound): imagestreamimage.image.openshift.io "app@ffff" '
                              "not found\n")


# errors and empty results ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("get is", "No resources found in myproject namespace.\n"),
        ("get istag", "No resources found in myproject namespace.\n"),
        ("get is -n openshift", "No resources found in openshift namespace.\n"),
        ("describe is", "No resources found in myproject namespace.\n"),
        ("get is -A", "No resources found.\n"),
    ],
)
def test_no_resources_found_is_not_an_error(command, stderr):
    result = Simulation().oc(command)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", stderr)


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("get is nope", 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'),
        ("describe is nope", 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'),
        ("get istag nope:v1", 'Error from server (NotFound): imagestreamtags.image.openshift.io "nope:v1" not found\n'),
        ("get istag nope", "Error from server (BadRequest): ImageStreamTags must be retrieved with <name>:<tag>\n"),
        ("get isimage nope", "Error from server (BadRequest): ImageStreamImages must be retrieved with <name>@<id>\n"),
        ("get isimage", "Error from server (MethodNotAllowed): the server does not allow this method on the "
                        "requested resource\n"),
        ("get is -n nope", 'Error from server (NotFound): namespaces "nope" not found\n'),
        ("delete is nope", 'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'),
        ("frobnicate", "error: unknown command \"frobnicate\" for \"oc\"\nRun 'oc --help' for usage.\n"),
        ("get is --frob", "error: unknown flag: --frob\nSee 'oc get -h' for help and examples\n"),
        ("get is -x", "error: unknown shorthand flag: 'x' in -x\nSee 'oc get -h' for help and examples\n"),
        ("get frob", "error: the server doesn't have a resource type \"frob\"\nSee 'oc get -h' for help and examples\n"),
        ("get is -o", "error: flag needs an argument: 'o' in -o\nSee 'oc get -h' for help and examples\n"),
        ("get is --output", "error: flag needs an argument: --output\nSee 'oc get -h' for help and examples\n"),
    ],
)
def test_error_texts(command, stderr):
    sim = Simulation()
    before = (sim.oc("get is -A -o json").stdout, len(sim.log), sim.project)
    result = sim.oc(command)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert (sim.oc("get is -A -o json").stdout, len(sim.log), sim.project) == before


# projects and login ------------------------------------------------------------------------------

SERVER = "https://api.imagesim.example:6443"


def test_project_commands():
    sim = Simulation()
    assert sim.oc("project").stdout == f'Using project "myproject" on server "{SERVER}".\n'
    assert sim.oc("project openshift").stdout == f'Now using project "openshift" on server "{SERVER}".\n'
    assert sim.oc("project openshift").stdout == f'Already on project "openshift" on server "{SERVER}".\n'
    assert sim.oc("project -q").stdout == "openshift\n"
    missing = sim.oc("project nope")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[0] == f'error: A project named "nope" does not exist on "{SERVER}".'
    assert sim.project == "openshift"


def test_new_project():
    sim = Simulation()
    result = sim.oc("new-project demo")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f'Now using project "demo" on server "{SERVER}".'
    assert sim.project == "demo"
    assert sim.oc("get is").stderr == "No resources found in demo namespace.\n"
    again = sim.oc("new-project demo")
    assert (again.exit_code, again.stderr) == (
        1, 'Error from server (AlreadyExists): project.project.openshift.io "demo" already exists\n')
    bad = sim.oc("new-project Bad_Name")
    assert bad.exit_code == 1
    assert bad.stderr == (
        'The ProjectRequest "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 '
        "label must consist of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n")
    assert "Bad_Name" not in sim.server.namespaces
    assert sim.oc("new-project other --skip-config-write").stdout == f'Created project "other" on server "{SERVER}".\n'
    assert sim.project == "demo"


def test_whoami_and_login():
    sim = Simulation()
    assert sim.oc("whoami").stdout == "developer\n"
    login = sim.oc("login -u alice")
    assert login.exit_code == 0
    assert login.stdout.splitlines()[0] == "Login successful."
    assert login.stdout.splitlines()[-1] == 'Using project "myproject".'
    assert "  * myproject" in login.stdout.splitlines()
    assert sim.oc("whoami").stdout == "alice\n"
    assert sim.oc("whoami --show-server").stdout == f"{SERVER}\n"


# apply / create ------------------------------------------------------------------------------------

MANIFEST = """\
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: app
spec:
  tags:
  - name: v1
    from:
      kind: DockerImage
      name: quay.io/acme/app:1
"""


def test_apply_file_and_stdin(tmp_path):
    sim = Simulation()
    sim.push("quay.io/acme/app:1", digest=D1)
    path = tmp_path / "app.yaml"
    path.write_text(MANIFEST)
    assert sim.oc(f"apply -f {path}").stdout == "imagestream.image.openshift.io/app created\n"
    assert sim.oc(f"apply -f {path}").stdout == "imagestream.image.openshift.io/app unchanged\n"
    changed = MANIFEST.replace("name: v1", "name: v2")
    assert sim.oc_stdin("apply -f -", changed).stdout == "imagestream.image.openshift.io/app configured\n"
    obj = json.loads(sim.oc("get is app -o json").stdout)
    assert [t["name"] for t in obj["spec"]["tags"]] == ["v2"]
    # the removed spec tag keeps its history and shows "no spec tag"
    assert [t["tag"] for t in obj["status"]["tags"]] == ["v1", "v2"]
    lines = sim.oc("describe is app").stdout.splitlines()
    assert lines[lines.index("v1") + 1] == "  no spec tag"
    other = sim.oc_stdin("apply -f - -n openshift", MANIFEST)
    assert other.stdout == "imagestream.image.openshift.io/app created\n"
    assert sim.server.find("openshift", "app") is not None


def test_create_already_exists():
    sim = Simulation()
    assert sim.oc_stdin("create -f -", MANIFEST).stdout == "imagestream.image.openshift.io/app created\n"
    before = sim.oc("get is -A -o json").stdout
    again = sim.oc_stdin("create -f -", MANIFEST)
    assert (again.exit_code, again.stderr) == (
        1, 'Error from server (AlreadyExists): error when creating "STDIN": imagestreams.image.openshift.io "app" '
           "already exists\n")
    assert sim.oc("get is -A -o json").stdout == before


def stream_manifest(name: str, tags: list[dict]) -> dict:
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": name},
            "spec": {"tags": tags}}


@pytest.mark.parametrize(
    ("bad", "stderr"),
    [
        (stream_manifest("Bad_Name", []),
         'The ImageStream "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": must match '
         '"[a-z0-9]+(?:[._-][a-z0-9]+)*"'),
        (stream_manifest("x", [{"name": "v1", "from": {"kind": "ImageStreamTag", "name": "good:v1"},
                                "importPolicy": {"scheduled": True}}]),
         'The ImageStream "x" is invalid: spec.tags[v1].importPolicy.scheduled: Invalid value: true: only tags '
         "pointing to Docker repositories may be scheduled for background import"),
        (stream_manifest("x", [{"name": "v1", "from": {"kind": "Weird", "name": "good:v1"}}]),
         "The ImageStream \"x\" is invalid: spec.tags[v1].from.kind: Required value: valid values are "
         "'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"),
        (stream_manifest("x", [{"name": "v1", "from": {"kind": "DockerImage", "name": "a:b"},
                                "referencePolicy": {"type": "Sideways"}}]),
         'The ImageStream "x" is invalid: spec.tags[v1].referencePolicy.type: Unsupported value: "Sideways": '
         'supported values: "Local", "Source"'),
    ],
)
def test_invalid_manifest_in_a_list_applies_nothing(bad, stderr):
    sim = Simulation()
    good = stream_manifest("good", [{"name": "v1", "from": {"kind": "DockerImage", "name": "quay.io/acme/app:1"}}])
    before = (sim.oc("get is -A -o json").stdout, len(sim.log))
    result = sim.oc_stdin("apply -f -", json.dumps({"apiVersion": "v1", "kind": "List", "items": [good, bad]}))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr + "\n")
    assert (sim.oc("get is -A -o json").stdout, len(sim.log)) == before
    assert sim.oc("get is good").exit_code == 1


# adm prune images ----------------------------------------------------------------------------------


def test_prune_dry_run_then_confirm(history):
    # keep one revision per tag: D3 heads v1 and latest, D1 heads b, so only D2 can go; the old
    # D1 items of v1 and latest stay because tag b still refers to that image.
    args = "adm prune images --keep-tag-revisions=1 --keep-younger-than=0s"
    before = history.oc("get is -A -o json").stdout
    dry = history.oc(args)
    assert dry.exit_code == 0
    assert dry.stderr == "Dry run enabled - no modifications will be made. Add --confirm to remove images\n"
    expected = ("Deleting references from image streams to images ...\n"
                "STREAM          ACTION    TAGS\n"
                "myproject/app   Updated   latest, v1\n"
                "\n"
                "Deleting images from server ...\n"
                "IMAGE\n"
                f"{D2}\n")
    assert dry.stdout == expected
    assert history.oc("get is -A -o json").stdout == before
    done = history.oc(args + " --confirm")
    assert (done.exit_code, done.stdout, done.stderr) == (0, expected, "")
    obj = json.loads(history.oc("get is app -o json").stdout)
    assert {t["tag"]: [i["image"] for i in t["items"]] for t in obj["status"]["tags"]} == {
        "b": [D1], "latest": [D3, D1], "v1": [D3, D1]}
    assert history.oc(args).stdout == ""


def test_prune_deletes_a_tag_left_without_items(history):
    history.oc("tag -d app:b")
    out = history.oc("adm prune images --keep-tag-revisions=0 --keep-younger-than=0s --confirm").stdout
    assert "myproject/app   Deleted   latest, v1\n" in out
    assert out.endswith(f"IMAGE\n{D1}\n{D2}\n{D3}\n")
    assert json.loads(history.oc("get is app -o json").stdout)["status"].get("tags") is None


def test_prune_defaults_keep_three_revisions_and_recent_items(history):
    result = history.oc("adm prune images")
    assert (result.stdout, result.exit_code) == ("", 0)


# no Python exception for any user mistake ---------------------------------------------------------

MALFORMED = [
    "frobnicate", "get", "get frob", "get is --frob", "get is -o", "get is -o bogus", "get is -x", "get is nope",
    "get is/", "get is,istag", "get istag a:b:c", "get isimage", "get isimage mongodb@", "get is -n",
    "get is -n nope", "get is -A nope", "get is --all-namespaces=maybe", "get projects nope", "describe",
    "describe frob", "describe istag nope:x", "describe isimage x", "delete", "delete is", "delete istag nope",
    "tag", "tag a", "tag --source=x a b:c", "tag 'unclosed", "tag a:b c:d:e", "tag -d x", "tag mongo:4.4 db:v1",
    "tag --source=docker Bad!! db:v1", "tag --source=docker mongo db", "tag --source=docker mongo db:/x",
    "import-image", "import-image a b", "import-image nope", "import-image a@sha256:abc", "import-image A!",
    "import-image mongodb:nope -n openshift", "import-image mongodb:3.2 --all -n openshift",
    "import-image mongodb --from=bad!! -n openshift", "project nope", "project a b", "new-project",
    "new-project Bad", "new-project openshift", "whoami extra", "login -u 'bad user'", "apply", "apply -f",
    "apply -f /no/such/file", "apply -f -", "adm", "adm prune", "adm prune images --keep-tag-revisions=x",
    "adm prune images --keep-tag-revisions=-1", "get is --watch", "help frob", "get is -o jsonpath",
    "tag --import-mode=Weird --source=docker mongo db:v1", "get is --loglevel=x", "\x00", "get istag :",
    "get isimage @", "delete is --grace-period=abc x", "tag --source=docker mongo:4.4 " + "x" * 300 + ":v1",
]


def test_malformed_commands_fail_cleanly(catalog):
    before = catalog.oc("get is -A -o json").stdout
    for command in MALFORMED:
        result = catalog.oc(command)
        assert result.exit_code != 0, command
        assert result.stderr.startswith(("error:", "Error from server", "The ")), (command, result.stderr)
    assert catalog.oc("get is -A -o json").stdout == before


def test_non_string_command_fails_cleanly():
    result = Simulation().oc(["get", "is"])  # type: ignore[arg-type]
    assert (result.exit_code, result.stderr) == (1, "error: expected a command line (str), got list\n")
