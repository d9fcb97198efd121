"""The ``docker`` emulator: the lesson "manually pushing images into the internal registry" end to
end, docker's messages for every mistake, the local image store, and the rule that a failing
command changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from imagesim import Simulation, scenarios
from imagesim.oc import OcResult
from imagesim.oc.docker import DockerClient, session_token
from imagesim.registry import Image

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
TARGET = f"{INTERNAL}/myproject/lighttpd"
LOGIN_WARNING = "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"
NO_LIGHTTPD = "Error response from daemon: No such image: gists/lighttpd:latest\n"
HUB_TIMEOUT = ('Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup '
               "registry-1.docker.io: i/o timeout\n")


@pytest.fixture
def sim() -> Simulation:
    return scenarios.openshift_catalog(seed=0)


def upstream(sim: Simulation, path: str = "gists/lighttpd", tag: str = "latest", host: str = "docker.io") -> Image:
    repo = sim.registry(host).repository(path)
    assert repo is not None
    return repo.images[repo.tags[tag]]


def short(digest: str) -> str:
    return digest.split(":", 1)[1][:12]


def ok(result: OcResult) -> OcResult:
    assert result.exit_code == 0, str(result)
    return result


def login(sim: Simulation) -> None:
    token = sim.oc("whoami -t").stdout.strip()
    ok(sim.docker(f"login -u developer -p {token} {INTERNAL}"))


def state(sim: Simulation) -> tuple:
    """Everything a command could change: streams, the event log, registries, the local store."""
    client: DockerClient = getattr(sim, "_docker", None) or DockerClient()
    local = (json.dumps(client.records()), sorted(client.logins.items()),
             sorted((d, sorted(i.repo_digests)) for d, i in client.images.items()))
    registries = sorted((host, path, sorted(repo.tags.items()), sorted(repo.images))
                        for host, registry in sim.registries.items()
                        for path, repo in registry.repositories.items())
    return sim.oc("get is -A -o json").stdout, len(sim.log), registries, local


def lesson(sim: Simulation) -> list[OcResult]:
    token = sim.oc("whoami -t").stdout.strip()
    return [
        sim.oc("whoami -t"),
        sim.docker(f"login -u developer -p {token} {INTERNAL}"),
        sim.docker("pull gists/lighttpd"),
        sim.docker(f"tag gists/lighttpd {TARGET}"),
        sim.docker(f"push {TARGET}"),
        sim.oc("get is"),
        sim.oc("describe is/lighttpd"),
        sim.docker("images"),
    ]


# the lesson ---------------------------------------------------------------------------------------

def test_lesson_path_end_to_end(sim):
    image = upstream(sim)
    layers = [short(layer) for layer, _ in image.layers]
    token = sim.oc("whoami -t")
    assert token.exit_code == 0 and token.stderr == ""
    assert re.fullmatch(r"sha256~[A-Za-z0-9_-]{43}\n", token.stdout)

    result = sim.docker(f"login -u developer -p {token.stdout.strip()} {INTERNAL}")
    assert (result.stdout, result.stderr, result.exit_code) == ("Login Succeeded\n", LOGIN_WARNING, 0)

    result = ok(sim.docker("pull gists/lighttpd"))
    assert result.stdout == "".join([
        "Using default tag: latest\n",
        "latest: Pulling from gists/lighttpd\n",
        *[f"{layer}: Pull complete\n" for layer in layers],
        f"Digest: {image.digest}\n",
        "Status: Downloaded newer image for gists/lighttpd:latest\n",
        "docker.io/gists/lighttpd:latest\n",
    ])
    assert result.stderr == ""

    result = ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    assert (result.stdout, result.stderr) == ("", "")

    assert sim.server.find("myproject", "lighttpd") is None
    result = ok(sim.docker(f"push {TARGET}"))
    assert result.stdout == "".join([
        "Using default tag: latest\n",
        f"The push refers to repository [{TARGET}]\n",
        *[f"{layer}: Pushed\n" for layer in reversed(layers)],
        f"latest: digest: {image.digest} size: {result.stdout.rsplit('size: ', 1)[1]}",
    ])
    assert re.search(r"latest: digest: sha256:[0-9a-f]{64} size: \d+\n\Z", result.stdout)

    get = ok(sim.oc("get is"))
    assert get.stdout.splitlines()[0].split() == ["NAME", "IMAGE", "REPOSITORY", "TAGS", "UPDATED"]
    row = get.stdout.splitlines()[1].split()
    assert row[:3] == ["lighttpd", TARGET, "latest"]

    describe = ok(sim.oc("describe is/lighttpd")).stdout
    assert "\nlatest\n  no spec tag\n" in describe
    assert f"\n  * {TARGET}@{image.digest}\n" in describe
    assert f"Image Repository:\t{TARGET}\n" in describe
    # the image stream records exactly the upstream digest, pushed into the internal registry
    assert sim.stream("lighttpd").head("latest").image == image.digest
    assert sim.registry(INTERNAL).repository("myproject/lighttpd").tags == {"latest": image.digest}


def test_lesson_with_shell_substitution_of_the_token(sim):
    result = sim.docker(f"login -u developer -p $(oc whoami -t) {INTERNAL}")
    assert (result.stdout, result.exit_code) == ("Login Succeeded\n", 0)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    ok(sim.docker(f"docker push {TARGET}"))  # the leading "docker" is optional
    assert sim.stream("lighttpd").head("latest").image == upstream(sim).digest


def test_pushed_image_keeps_its_content(sim):
    login(sim)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    ok(sim.docker(f"push {TARGET}"))
    pushed = sim.registry(INTERNAL).repository("myproject/lighttpd").images[upstream(sim).digest]
    assert (pushed.created, pushed.layers) == (upstream(sim).created, upstream(sim).layers)
    assert "Image Created:\t22 hours ago" in sim.oc("describe istag/lighttpd:latest").stdout


def test_second_push_of_a_new_image_adds_history(sim):
    login(sim)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    ok(sim.docker(f"push {TARGET}"))
    again = ok(sim.docker(f"push {TARGET}"))
    assert again.stdout.count("Layer already exists") == len(upstream(sim).layers)
    assert len(sim.stream("lighttpd").status["latest"].items) == 1
    sim.advance("1h")
    ok(sim.docker("pull nginx"))
    ok(sim.docker(f"tag nginx {TARGET}"))
    ok(sim.docker(f"push {TARGET}"))
    items = sim.stream("lighttpd").status["latest"].items
    assert [i.image for i in items] == [upstream(sim, "library/nginx").digest, upstream(sim).digest]


def test_push_tags_and_all_tags(sim):
    login(sim)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}:v1"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}:v2"))
    result = ok(sim.docker(f"push --all-tags {TARGET}"))
    assert "Using default tag" not in result.stdout
    assert "v1: digest: " in result.stdout and "v2: digest: " in result.stdout
    assert result.stdout.count("Pushed") == len(upstream(sim).layers)  # v2 finds the layers there
    assert sorted(sim.stream("lighttpd").status) == ["v1", "v2"]
    quiet = ok(sim.docker(f"push -q {TARGET}:v1"))
    assert quiet.stdout == f"{TARGET}:v1\n"


# oc whoami -t ------------------------------------------------------------------------------------

def test_token_is_deterministic_and_per_user():
    a, b = Simulation(seed=0), Simulation(seed=0)
    assert a.oc("whoami -t").stdout == b.oc("whoami --show-token").stdout == session_token(a) + "\n"
    assert session_token(Simulation(seed=1)) != session_token(a)
    ok(b.oc("login -u alice -p secret"))
    assert session_token(b) != session_token(a)
    assert a.oc("whoami").stdout == "developer\n"


# login -------------------------------------------------------------------------------------------

def test_login_with_a_wrong_token(sim):
    before = state(sim)
    result = sim.docker(f"login -u developer -p sha256~wrong {INTERNAL}")
    assert result.stdout == ""
    assert result.stderr == (LOGIN_WARNING + f'Error response from daemon: Get "https://{INTERNAL}/v2/": '
                             "unauthorized: authentication required\n")
    assert result.exit_code == 1
    assert state(sim) == before


def test_login_needs_credentials_and_any_upstream_accepts_them(sim):
    result = sim.docker(f"login {INTERNAL}")
    assert (result.stderr, result.exit_code) == (
        "Error: Cannot perform an interactive login from a non TTY device\n", 1)
    result = ok(sim.docker("login --username me --password pw quay.io"))
    assert result.stdout == "Login Succeeded\n"
    assert sim._docker.logins == {"quay.io": "me"}
    assert ok(sim.docker("logout quay.io")).stdout == "Removing login credentials for quay.io\n"
    assert ok(sim.docker("login -u me -p pw")).stdout == "Login Succeeded\n"
    assert ok(sim.docker("logout")).stdout == "Removing login credentials for https://index.docker.io/v1/\n"
    assert sim._docker.logins == {}


def test_login_during_an_outage(sim):
    sim.outage("docker.io", duration="1h")
    result = sim.docker("login -u me -p pw docker.io")
    assert (result.stderr, result.exit_code) == (LOGIN_WARNING + HUB_TIMEOUT, 1)


# pull --------------------------------------------------------------------------------------------

def test_pull_again_is_up_to_date_and_counts_requests(sim):
    registry = sim.registry("docker.io")
    before = registry.requests
    ok(sim.docker("pull gists/lighttpd"))
    result = ok(sim.docker("pull gists/lighttpd:latest"))
    assert result.stdout == "".join([
        "latest: Pulling from gists/lighttpd\n",
        f"Digest: {upstream(sim).digest}\n",
        "Status: Image is up to date for gists/lighttpd:latest\n",
        "docker.io/gists/lighttpd:latest\n",
    ])
    assert registry.requests == before + 2
    assert ok(sim.docker("pull -q gists/lighttpd")).stdout == "docker.io/gists/lighttpd:latest\n"


def test_pull_of_an_updated_tag_leaves_the_old_image_untagged(sim):
    ok(sim.docker("pull gists/lighttpd"))
    old = upstream(sim)
    sim.advance("1h")
    new = sim.push("docker.io/gists/lighttpd:latest")
    result = ok(sim.docker("pull gists/lighttpd"))
    assert "Status: Downloaded newer image for gists/lighttpd:latest\n" in result.stdout
    lines = ok(sim.docker("images")).stdout.splitlines()
    assert lines[1].split()[:3] == ["gists/lighttpd", "latest", short(new)]
    assert lines[2].split()[:3] == ["gists/lighttpd", "<none>", short(old.digest)]


def test_pull_by_digest(sim):
    digest = upstream(sim).digest
    result = ok(sim.docker(f"pull gists/lighttpd@{digest}"))
    assert result.stdout.startswith(f"{digest}: Pulling from gists/lighttpd\n")
    assert result.stdout.endswith(f"Status: Downloaded newer image for gists/lighttpd@{digest}\n"
                                  f"docker.io/gists/lighttpd@{digest}\n")
    assert ok(sim.docker("images")).stdout.splitlines()[1].split()[:3] == ["gists/lighttpd", "<none>", short(digest)]


@pytest.mark.parametrize(("line", "stderr", "stdout"), [
    ("pull gists/lighttpd:nope",
     "Error response from daemon: manifest for gists/lighttpd:nope not found: manifest unknown: manifest unknown\n",
     ""),
    ("pull gists/nope",
     "Error response from daemon: pull access denied for gists/nope, repository does not exist or may require "
     "'docker login': denied: requested access to the resource is denied\n",
     "Using default tag: latest\n"),
    ("pull nope:1",
     "Error response from daemon: pull access denied for nope, repository does not exist or may require "
     "'docker login': denied: requested access to the resource is denied\n",
     ""),
    ("pull quay.io/nobody/nothing:1",
     "Error response from daemon: pull access denied for quay.io/nobody/nothing, repository does not exist or "
     "may require 'docker login': denied: requested access to the resource is denied\n",
     ""),
    ("pull Bad:Ref",
     'Error parsing reference: "Bad:Ref" is not a valid repository/tag: invalid reference format: '
     "repository name must be lowercase\n",
     ""),
    ("pull foo::bar",
     'Error parsing reference: "foo::bar" is not a valid repository/tag: invalid reference format\n', ""),
    (f"pull {TARGET}",
     f'Error response from daemon: Head "https://{TARGET.split("/")[0]}/v2/myproject/lighttpd/manifests/latest": '
     "unauthorized: authentication required\n",
     "Using default tag: latest\n"),
])
def test_pull_errors(sim, line, stderr, stdout):
    before = state(sim)
    result = sim.docker(line)
    assert (result.stdout, result.stderr, result.exit_code) == (stdout, stderr, 1)
    assert state(sim) == before


def test_pull_during_an_outage(sim):
    sim.outage("docker.io", duration="2h")
    sim.outage("quay.io", duration="2h")
    before = state(sim)
    result = sim.docker("pull gists/lighttpd")
    assert (result.stderr, result.exit_code) == (HUB_TIMEOUT, 1)
    result = sim.docker("pull quay.io/centos7/mongodb-36-centos7:latest")
    assert result.stderr == ('Error response from daemon: Get "https://quay.io/v2/": dial tcp: lookup quay.io: '
                             "i/o timeout\n")
    assert state(sim) == before
    sim.advance("2h")
    ok(sim.docker("pull gists/lighttpd"))


def test_pull_from_the_internal_registry_serves_stream_tags(sim):
    login(sim)
    result = ok(sim.docker(f"pull {INTERNAL}/openshift/mongodb:3.2"))
    digest = sim.stream("mongodb", "openshift").head("3.2").image
    assert f"Digest: {digest}\n" in result.stdout
    result = sim.docker(f"pull {INTERNAL}/openshift/mongodb:nope")
    assert result.stderr == (f"Error response from daemon: manifest for {INTERNAL}/openshift/mongodb:nope not found: "
                             "manifest unknown: manifest unknown\n")


# tag ---------------------------------------------------------------------------------------------

def test_tag_errors(sim):
    before = state(sim)
    result = sim.docker(f"tag gists/lighttpd {TARGET}")
    assert (result.stderr, result.exit_code) == (NO_LIGHTTPD, 1)
    ok(sim.docker("pull gists/lighttpd"))
    before = state(sim)
    result = sim.docker("tag gists/lighttpd Bad:Ref")
    assert result.stderr == ('Error parsing reference: "Bad:Ref" is not a valid repository/tag: invalid reference '
                             "format: repository name must be lowercase\n")
    assert result.exit_code == 1
    result = sim.docker(f"tag gists/lighttpd {TARGET}@{upstream(sim).digest}")
    assert result.stderr == "Error response from daemon: refusing to create a tag with a digest reference\n"
    assert state(sim) == before


def test_tag_by_image_id(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag {short(upstream(sim).digest)} {TARGET}:v1"))
    assert sim._docker.names[(TARGET, "v1")] == upstream(sim).digest


# push --------------------------------------------------------------------------------------------

def test_push_without_login(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    before = state(sim)
    result = sim.docker(f"push {TARGET}")
    layers = [short(layer) for layer, _ in reversed(upstream(sim).layers)]
    assert result.stdout == "".join(["Using default tag: latest\n", f"The push refers to repository [{TARGET}]\n",
                                     *[f"{layer}: Preparing\n" for layer in layers]])
    assert (result.stderr, result.exit_code) == ("unauthorized: authentication required\n", 1)
    assert state(sim) == before
    assert sim.server.find("myproject", "lighttpd") is None


def test_push_of_an_image_that_is_not_local(sim):
    login(sim)
    before = state(sim)
    result = sim.docker(f"push {TARGET}:v9")
    assert result.stdout == f"The push refers to repository [{TARGET}]\n"
    assert (result.stderr, result.exit_code) == (f"An image does not exist locally with the tag: {TARGET}\n", 1)
    assert state(sim) == before


def test_push_to_a_project_that_does_not_exist(sim):
    login(sim)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {INTERNAL}/nosuch/lighttpd"))
    before = state(sim)
    result = sim.docker(f"push {INTERNAL}/nosuch/lighttpd")
    assert (result.stderr, result.exit_code) == ("denied: requested access to the resource is denied\n", 1)
    assert state(sim) == before
    ok(sim.docker(f"tag gists/lighttpd {INTERNAL}/myproject/a/b"))
    before = state(sim)
    result = sim.docker(f"push {INTERNAL}/myproject/a/b")
    assert result.stderr.startswith("name invalid: ") and result.exit_code == 1
    assert state(sim) == before


def test_push_during_an_outage_of_the_internal_registry(sim):
    login(sim)
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    sim.outage(INTERNAL, duration="10m")
    before = state(sim)
    result = sim.docker(f"push {TARGET}")
    assert result.stderr == (f'Get "https://{INTERNAL}/v2/": dial tcp: lookup '
                             "image-registry.openshift-image-registry.svc: i/o timeout\n")
    assert state(sim) == before


def test_push_upstream_needs_login_and_moves_the_tag(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker("tag gists/lighttpd quay.io/acme/lighttpd:1.0"))
    before = state(sim)
    result = sim.docker("push quay.io/acme/lighttpd:1.0")
    assert (result.stderr, result.exit_code) == ("denied: requested access to the resource is denied\n", 1)
    assert state(sim) == before
    ok(sim.docker("login -u acme -p pw quay.io"))
    result = ok(sim.docker("push quay.io/acme/lighttpd:1.0"))
    assert result.stdout.startswith("The push refers to repository [quay.io/acme/lighttpd]\n")
    assert upstream(sim, "acme/lighttpd", "1.0", "quay.io").digest == upstream(sim).digest
    # an import now finds the pushed image
    ok(sim.oc("import-image acme --from=quay.io/acme/lighttpd:1.0 --confirm"))
    assert sim.stream("acme").head("latest").image == upstream(sim).digest


# images / rmi ------------------------------------------------------------------------------------

def test_images_table(sim):
    assert ok(sim.docker("images")).stdout == "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    sim.advance("1h")
    ok(sim.docker("pull nginx"))
    image, nginx = upstream(sim), upstream(sim, "library/nginx")
    assert image.created == nginx.created == 0
    pad = " " * (len(TARGET) - len("gists/lighttpd"))
    assert ok(sim.docker("images")).stdout == "".join([
        f"REPOSITORY{' ' * (len(TARGET) - 7)}TAG       IMAGE ID       CREATED        SIZE\n",
        f"gists/lighttpd{pad}   latest    {short(image.digest)}   23 hours ago   115MB\n",
        f"{TARGET}   latest    {short(image.digest)}   23 hours ago   115MB\n",
        f"nginx{' ' * (len(TARGET) - 2)}latest    {short(nginx.digest)}   23 hours ago   "
        f"{ok(sim.docker('images nginx')).stdout.split()[-1]}\n",
    ])
    assert ok(sim.docker("images -q")).stdout == "".join(
        f"{short(d)}\n" for d in (image.digest, image.digest, nginx.digest))
    assert ok(sim.docker("image ls gists/lighttpd")).stdout.count("\n") == 2
    assert image.digest in ok(sim.docker("images --digests --no-trunc")).stdout


def test_rmi(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    digest = upstream(sim).digest
    assert ok(sim.docker(f"rmi {TARGET}")).stdout == f"Untagged: {TARGET}:latest\n"
    result = ok(sim.docker("rmi gists/lighttpd"))
    assert result.stdout == "".join([
        "Untagged: gists/lighttpd:latest\n",
        f"Untagged: gists/lighttpd@{digest}\n",
        f"Deleted: {digest}\n",
        *[f"Deleted: {layer}\n" for layer, _ in reversed(upstream(sim).layers)],
    ])
    assert sim._docker.images == {} and sim._docker.names == {}
    result = sim.docker("rmi gists/lighttpd")
    assert (result.stderr, result.exit_code) == (NO_LIGHTTPD, 1)


def test_rmi_by_id_needs_force_across_repositories(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker(f"tag gists/lighttpd {TARGET}"))
    digest = upstream(sim).digest
    before = state(sim)
    result = sim.docker(f"rmi {short(digest)}")
    assert result.stderr == (f"Error response from daemon: conflict: unable to delete {short(digest)} (must be forced) "
                             "- image is referenced in multiple repositories\n")
    assert result.exit_code == 1
    assert state(sim) == before
    result = ok(sim.docker(f"rmi -f {short(digest)}"))
    assert result.stdout.startswith(f"Untagged: gists/lighttpd:latest\nUntagged: {TARGET}:latest\n")
    assert sim._docker.images == {}


def test_rmi_continues_after_a_missing_image(sim):
    ok(sim.docker("pull gists/lighttpd"))
    ok(sim.docker("tag gists/lighttpd mine:1"))
    result = sim.docker("rmi nosuch mine:1")
    assert result.stdout == "Untagged: mine:1\n"
    assert result.stderr == "Error response from daemon: No such image: nosuch:latest\n"
    assert result.exit_code == 1


# the command line ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "stderr", "code"), [
    ("frob", "docker: 'frob' is not a docker command.\nSee 'docker --help'\n", 125),
    ("--frob", "unknown flag: --frob\nSee 'docker --help'.\n", 125),
    ("pull --frob gists/lighttpd", "unknown flag: --frob\nSee 'docker pull --help'.\n", 125),
    ("images -x", "unknown shorthand flag: 'x' in -x\nSee 'docker images --help'.\n", 125),
    ("login -u", "flag needs an argument: 'u' in -u\nSee 'docker login --help'.\n", 125),
    ("pull", "\"docker pull\" requires exactly 1 argument.\nSee 'docker pull --help'.\n\n"
             "Usage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nDownload an image from a registry\n", 1),
    ("tag a", "\"docker tag\" requires exactly 2 arguments.\nSee 'docker tag --help'.\n\n"
              "Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
              "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n", 1),
    ("rmi", "\"docker rmi\" requires at least 1 argument.\nSee 'docker rmi --help'.\n\n"
            "Usage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nRemove one or more images\n", 1),
])
def test_command_line_mistakes(sim, line, stderr, code):
    before = state(sim)
    result = sim.docker(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", stderr, code)
    assert state(sim) == before


def test_help(sim):
    for line in ("--help", "", "help", "-h"):
        result = ok(sim.docker(line))
        assert result.stdout.startswith("Usage:  docker [OPTIONS] COMMAND\n")
    assert ok(sim.docker("push --help")).stdout.startswith("Usage:  docker push [OPTIONS] NAME[:TAG]\n")
    assert ok(sim.docker("image push --help")).stdout.startswith("Usage:  docker image push [OPTIONS] NAME[:TAG]\n")
    assert ok(sim.docker("image")).stdout.startswith("Usage:  docker image COMMAND\n")
    assert sim.docker("run nginx").exit_code == 125


@pytest.mark.parametrize("line", [
    "pull 'unterminated", "pull ''", "tag '' ''", "push ''", "rmi ''", "images ''", "login -p x -u '' host",
    "pull " + "a" * 300, "push -a x:1", "pull x@sha256:zz", "rmi sha256:", "rmi -f --no-prune x",
    "tag sha256:abc x", "pull -q=maybe x", "logout https://quay.io/v2/", "image rm", "help frob",
    "push x@sha256:" + "0" * 64, "pull " + "0" * 64, "images --filter x", "$(oc frob)",
])
def test_no_exception_escapes(sim, line):
    ok(sim.docker("pull gists/lighttpd"))
    result = sim.docker(line)
    assert isinstance(result, OcResult)
    assert "Traceback" not in str(result)


def test_not_a_string(sim):
    result = sim.docker(None)  # type: ignore[arg-type]
    assert result.exit_code == 125 and result.stderr


# determinism and the magic ----------------------------------------------------------------------

def test_two_runs_are_byte_identical():
    first = [(r.stdout, r.stderr, r.exit_code) for r in lesson(scenarios.openshift_catalog(seed=0))]
    second = [(r.stdout, r.stderr, r.exit_code) for r in lesson(scenarios.openshift_catalog(seed=0))]
    assert first == second
    assert all(code == 0 for _, _, code in first)


def test_docker_magic(sim, capsys):
    from imagesim.oc import magic

    magic.use(sim)
    magic.run_docker_magic("pull gists/lighttpd")
    captured = capsys.readouterr()
    assert captured.out.endswith("docker.io/gists/lighttpd:latest\n") and captured.err == ""
    magic.run_docker_magic("", "# the lesson\nlogin -u developer -p $(oc whoami -t) " + INTERNAL
                           + f"\ntag gists/lighttpd {TARGET}\npush {TARGET}\n")
    captured = capsys.readouterr()
    assert "Login Succeeded\n" in captured.out and f"latest: digest: {upstream(sim).digest}" in captured.out
    assert captured.err == LOGIN_WARNING
    magic.run_docker_magic("frob")
    assert "is not a docker command" in capsys.readouterr().err
    magic._chosen.clear()
