"""Fuzzing: random and mutated command lines, references and manifests never crash imagesim.

A generator builds ``oc`` command lines from a grammar of the real verbs, resources, flags and
names (mostly valid, some slightly wrong: typos, missing arguments, bad flags, bad references,
unicode, very long strings, stray quotes) and mutates them; references and manifests are
generated and mutated the same way. Every input goes through ``sim.oc`` / ``sim.docker``,
``ImageReference.parse*`` or ``sim.apply``, and the only outcomes allowed are success or a
refusal in oc's words: no Python exception escapes, and every rejection says what was wrong the
way ``oc`` does.

The default run is short (a few seconds); ``pytest --long`` (or ``IMAGESIM_LONG=1``) tries
well over 100,000 inputs. The property tests (tests/test_properties.py) reuse this generator.
"""

from __future__ import annotations

import copy
import json
import random
import re
import string

import pytest

from imagesim import ImageReference, Simulation, scenarios
from imagesim.errors import ImageSimError, InvalidReference
from imagesim.reference import DockerImageReference

# ---------------------------------------------------------------------------------------------
# the grammar

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
DIGESTS = (
    "sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1",
    "sha256:c8439c50447ef31b6cedd28c71a76817aa67a874511380061cb444012f64541f",
    "sha256:" + "0" * 64,
)
NAMESPACES = ("myproject", "openshift", "default", "team", "nope", "Bad_NS", "")
STREAMS = ("mongodb", "nodejs", "python", "ruby", "lighttpd", "db", "app", "web", "snap", "nope")
TAGS = ("latest", "3.2", "2.6", "v1", "v2", "1.0", "prod", "nope", "")
UPSTREAM = (
    "docker.io/centos/mongodb-32-centos7:latest",
    "centos/mongodb-26-centos7:latest",
    "centos/ruby-23-centos7",
    "quay.io/acme/app:1.0",
    "quay.io/acme/app:2.0",
    "registry.access.redhat.com/ubi8/ubi:latest",
    "docker.io/library/nginx:1.25",
    "mongo",
    "nginx@" + DIGESTS[2],
    "centos/mongodb-32-centos7@" + DIGESTS[0],
    f"{INTERNAL}/myproject/lighttpd:latest",
    f"{INTERNAL}/openshift/mongodb:3.2",
)
BAD_REFS = (
    "Bad!!", "UPPER/case", "a//b", "a:b:c", "x@sha256:abc", "@", ":", "/", "a/", ":tag", "a@", "localhost:/x",
    "[::1]:5000/x", "host:port/x", "-leading", "trailing-", "a" * 300, "sha256:" + "a" * 64, "a" * 64,
    "é", "docker.io/", "a..b", "a__b___c",
)
NODES = ("worker-0", "worker-1", "worker-2", "worker-9")
RESOURCES = (
    "is", "imagestream", "imagestreams", "istag", "imagestreamtag", "isimage", "itag", "events", "ev",
    "pods", "po", "dc", "deploymentconfig", "deploy", "deployment", "rc", "rs", "svc", "ep", "nodes", "all",
    "projects", "is,istag", "dc,deploy", "imagestreams.image.openshift.io", "frob",
)
FORMATS = ("json", "yaml", "wide", "name", "jsonpath={.items[*].metadata.name}", "jsonpath", "bogus",
           "custom-columns=NAME:.metadata.name", "go-template={{.kind}}", "")
DURATIONS = ("0s", "1s", "90s", "15m", "2h", "1d", "7d", "-1h", "x", "1.5h", "")
VERBS = ("get", "describe", "delete", "logs", "scale", "tag", "import-image", "project", "projects",
         "new-project", "whoami", "login", "logout", "apply", "create", "adm", "new-app", "rollout",
         "rollback", "set", "help", "version", "explain")

# A template's {fields} are filled from FIELDS; each entry is one command someone would type.
TEMPLATES = (
    "get {res}", "get {res} {any}", "get {res} -n {ns}", "get {res} -A", "get {res} {any} -o {fmt}",
    "get {res} -A -o {fmt}", "get is {stream} -n openshift -o {fmt}", "get is --show-labels",
    "get pods -l app={any}", "get is -w", "get {res} --no-headers",
    "describe {res} {any}", "describe is/{stream} -n openshift", "describe istag {stream}:{tag} -n {ns}",
    "describe {workload}", "describe pod {pod}",
    "get istag {stream}:{tag}", "get istag -n openshift", "get isimage {stream}@{digest} -n openshift",
    "get isimage {stream}@{short}", "get itag {stream}:{tag}",
    "tag --source=docker {upstream} {stream}:{tag}", "tag {upstream} {stream}:{tag}",
    "tag {stream}:{tag} {stream}:{tag}", "tag {stream}:{tag} {stream}:{tag} --alias",
    "tag openshift/{stream}:{tag} {stream}:{tag}", "tag -d {stream}:{tag}", "tag --delete {stream}:{tag} -n {ns}",
    "tag --source=docker {upstream} {stream}:{tag} --scheduled", "tag {upstream} {stream}:{tag} --reference",
    "tag --source=docker {upstream} {stream}:{tag} --reference-policy={refpol}",
    "tag --source=docker {upstream} {stream}:{tag} --import-mode={mode}", "tag {stream}@{digest} {stream}:{tag}",
    "tag --source=istag {stream}:{tag} {stream}:{tag}", "tag --source=isimage {stream}@{digest} {stream}:{tag}",
    "import-image {stream}:{tag} --from={upstream} --confirm", "import-image {stream}:{tag}",
    "import-image {stream} -n openshift --all", "import-image {stream} --from={upstream} --confirm --all",
    "import-image {stream}:{tag} --from={upstream} --confirm --scheduled",
    "import-image {stream}:{tag} --from={upstream} --dry-run", "import-image {stream} --confirm -o {fmt}",
    "import-image {stream}:{tag} --from={upstream} --confirm --reference-policy={refpol}",
    "delete is {stream}", "delete istag {stream}:{tag}", "delete {res} {any}", "delete pod {pod}",
    "delete {workload}", "delete all --all", "delete pods --all", "delete is {stream} --grace-period={int}",
    "scale {workload} --replicas={int}", "scale dc {any} --replicas={int}",
    "rollout latest {workload}", "rollout status {workload}", "rollout history {workload}",
    "rollout undo {workload}", "rollout pause {workload}", "rollout resume {workload}",
    "rollout retry {workload}", "rollout cancel {workload}", "rollout {any} {workload}",
    "rollout undo {workload} --to-revision={int}", "rollback {any} --to-version={int}",
    "set triggers {workload}", "set triggers {workload} --auto", "set triggers {workload} --manual",
    "set triggers {workload} --from-image={stream}:{tag} -c {any}", "set triggers {workload} --remove-all",
    "set triggers {workload} --from-config", "set image-lookup {stream}", "set image-lookup --list",
    "set image-lookup {stream} --enabled=false",
    "new-app {stream}:{tag}", "new-app {stream}:{tag} --name={any}", "new-app --image={upstream} --name={any}",
    "new-app {upstream} --as-deployment-config", "new-app -i {stream} --name={any}",
    "create deployment {any} --image={upstream}", "create deployment {any} --image={upstream} --replicas={int}",
    "create deploymentconfig {any} --image={upstream}", "create {any}",
    "adm prune images", "adm prune images --keep-tag-revisions={int} --keep-younger-than={dur} --confirm",
    "adm prune images --confirm", "adm cordon {node}", "adm uncordon {node}", "adm drain {node}",
    "adm drain {node} --ignore-daemonsets --force", "adm {any}",
    "project {ns}", "project", "project -q", "projects", "new-project {any}", "whoami", "whoami -t",
    "whoami --show-server", "login -u {any}", "login -u developer -p x", "logout", "version",
    "logs {pod}", "logs {workload}", "logs {pod} -c {any}", "logs {pod} --previous", "logs {pod} --tail={int}",
    "get events", "get events -n {ns}", "help {verb}", "{verb} --help", "{verb} -h", "help", "{verb}",
    "explain is", "apply -f -", "apply -f /no/such/file", "apply", "create -f -",
    "get is -n {ns} --loglevel={int}", "get is --namespace={ns}", "--namespace={ns} get is", "-n {ns} get is",
)
FIELDS = {
    "res": RESOURCES, "ns": NAMESPACES, "stream": STREAMS, "tag": TAGS, "fmt": FORMATS, "upstream": UPSTREAM,
    "digest": DIGESTS, "short": ("d4dc006a", "c8439c50", "0000", "zz", ""), "refpol": ("Local", "Source", "Nope", ""),
    "mode": ("Legacy", "PreserveOriginal", "Weird"), "int": ("0", "1", "2", "3", "-1", "x", "99999999999999999999"),
    "dur": DURATIONS, "node": NODES, "verb": VERBS,
    "any": ("web", "db", "mongodb", "lighttpd", "direct", "via-stream", "local-app", "source-app", "x", "Bad!!",
            "a" * 80),
    "workload": ("dc/web", "dc/lighttpd", "deployment/direct", "deploy/via-stream", "deployment/local-app",
                 "deployment/source-app", "dc/nope", "deployment/nope", "rc/web-1", "frob/x", "dc", "dc/"),
    "pod": ("nope", "web-1-deploy", "x"),
}

# Pieces a careless or hostile user adds: unicode, control characters, shell syntax, quotes.
NOISE = (
    "é", "ñ", "\u0130", "Σ", "ß", "\u200b", "\ufeff", "\u202e", "😀", "\x00", "\x07", "\t", "\n", "\r",
    "'", '"', "\\", "`", "$(oc whoami)", "$HOME", "; rm -rf /", "| cat", "&&", ">", "<", "*", "?", "~",
    "{", "}", "[", "]", "%", "#", "=", "==", ",", "@", ":", "/", "-", "--", "-o", "-n", "--all", "=true",
    "__import__('os')", "{{.}}", "${x}", "%s%s%n", "../../etc/passwd", "\\x41",
)


class CommandGen:
    """Random ``oc`` command lines: from the grammar, then maybe mutated."""

    def __init__(self, rng: random.Random, sim: Simulation | None = None) -> None:
        self.rng = rng
        self.sim = sim

    def _live(self, field: str) -> str | None:
        """A name that exists in the simulation right now (pods get random suffixes)."""
        sim, rng = self.sim, self.rng
        if sim is None or rng.random() < 0.5:
            return None
        if field == "pod" and sim.cluster.pods:
            pods = sorted(sim.cluster.pods)
            return pods[rng.randrange(len(pods))][1]
        if field == "stream":
            streams = sim.server.streams()
            if streams:
                return streams[rng.randrange(len(streams))].name
        if field == "workload" and sim.cluster.workloads:
            keys = sorted(sim.cluster.workloads)
            kind, _, name = keys[rng.randrange(len(keys))]
            return ("dc/" if kind == "DeploymentConfig" else "deployment/") + name
        return None

    def fill(self, template: str) -> str:
        def one(match: re.Match) -> str:
            field = match.group(1)
            live = self._live(field)
            return live if live is not None else self.rng.choice(FIELDS[field])

        return re.sub(r"\{(\w+)\}", one, template)

    def valid(self) -> str:
        return self.fill(self.rng.choice(TEMPLATES))

    def line(self) -> str:
        line = self.valid()
        r = self.rng.random()
        if r < 0.55:
            return line
        if r < 0.9:
            return mutate(self.rng, line)
        if r < 0.95:
            return random_text(self.rng)
        return long_line(self.rng, line)


def mutate(rng: random.Random, text: str, rounds: int | None = None) -> str:
    """Typos, dropped words, bad flags, unicode and quotes: a line a student might type."""
    for _ in range(rounds or rng.randint(1, 3)):
        words = text.split(" ")
        op = rng.randrange(12)
        if op == 0 and text:  # delete a character
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1:]
        elif op == 1 and text:  # swap two neighbours
            i = rng.randrange(max(1, len(text) - 1))
            text = text[:i] + text[i + 1:i + 2] + text[i:i + 1] + text[i + 2:]
        elif op == 2:  # insert a noise piece
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(NOISE) + text[i:]
        elif op == 3 and len(words) > 1:  # drop a word (a missing argument)
            del words[rng.randrange(len(words))]
            text = " ".join(words)
        elif op == 4:  # an unknown or misspelled flag
            words.insert(rng.randrange(len(words) + 1), rng.choice(("--frob", "-z", "--confirm=maybe", "--replicas",
                                                                   "-o", "--namespace", "--all=2", "-A=x", "---x")))
            text = " ".join(words)
        elif op == 5:  # duplicate a word
            w = rng.choice(words)
            words.insert(rng.randrange(len(words) + 1), w)
            text = " ".join(words)
        elif op == 6:  # a bad reference where a good one was
            words[rng.randrange(len(words))] = rng.choice(BAD_REFS)
            text = " ".join(words)
        elif op == 7 and text:  # change case
            i = rng.randrange(len(text))
            text = text[:i] + text[i:].upper() if rng.random() < 0.5 else text.swapcase()
        elif op == 8:  # an unbalanced quote
            text = text + rng.choice(("'", '"', " '", ' "x'))
        elif op == 9:  # a quoted word with spaces
            i = rng.randrange(len(words))
            words[i] = "'" + words[i] + " " + rng.choice(NOISE) + "'"
            text = " ".join(words)
        elif op == 10:  # a random printable character
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(string.printable) + text[i:]
        else:  # another command's words
            text = text + " " + rng.choice(TEMPLATES).split(" ")[0]
    return text


def random_text(rng: random.Random, size: int = 40) -> str:
    alphabet = string.printable + "éñΣß\u0130\u200b😀\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


def long_line(rng: random.Random, line: str) -> str:
    words = line.split(" ")
    i = rng.randrange(len(words))
    words[i] = words[i] + rng.choice(("a", "-", "é", "x:y", "/")) * rng.choice((300, 2_000, 10_000))
    return " ".join(words)


def references(rng: random.Random) -> str:
    """A valid reference, a mutated one, or noise."""
    r = rng.random()
    if r < 0.3:
        return rng.choice(UPSTREAM + BAD_REFS)
    if r < 0.5:  # built from parts
        host = rng.choice(("", "docker.io/", "quay.io/", "localhost:5000/", "[::1]:5000/", "Host.Example:1/",
                           f"{INTERNAL}/", "a.b.c.d.e/", "127.0.0.1/"))
        path = "/".join(rng.choice(("centos", "library", "a", "a-b", "a__b", "a.b", "x" * rng.choice((1, 70, 256))))
                        for _ in range(rng.randint(1, 4)))
        tag = rng.choice(("", ":latest", ":v1.0", ":" + "t" * 128, ":" + "t" * 129, ":-x", ":_x", ":.x"))
        digest = rng.choice(("", "", "@" + DIGESTS[0], "@sha256:abc", "@sha512:" + "a" * 128, "@md5:" + "a" * 32,
                             "@SHA256:" + "A" * 64, "@sha256:" + "A" * 64))
        return host + path + tag + digest
    if r < 0.85:
        return mutate(rng, rng.choice(UPSTREAM), rng.randint(1, 4))
    if r < 0.95:
        return random_text(rng, 30)
    return rng.choice(UPSTREAM) + rng.choice(("a", "/a", ":", "-", "_")) * rng.choice((300, 10_000))


# ---------------------------------------------------------------------------------------------
# manifests

def stream_manifest(rng: random.Random) -> dict:
    name = rng.choice(STREAMS)
    tags = []
    for _ in range(rng.randint(0, 3)):
        tag = {"name": rng.choice(TAGS[:-1])}
        if rng.random() < 0.8:
            tag["from"] = {"kind": rng.choice(("DockerImage", "ImageStreamTag", "ImageStreamImage")),
                           "name": rng.choice(UPSTREAM + ("mongodb:3.2", "db:v1"))}
        if rng.random() < 0.4:
            tag["importPolicy"] = {"scheduled": rng.random() < 0.5}
        if rng.random() < 0.3:
            tag["referencePolicy"] = {"type": rng.choice(("Local", "Source"))}
        tags.append(tag)
    obj = {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
           "metadata": {"name": name}, "spec": {"tags": tags}}
    if rng.random() < 0.3:
        obj["metadata"]["namespace"] = rng.choice(NAMESPACES[:3])
    return obj


def workload_manifest(rng: random.Random) -> dict:
    name = rng.choice(("web", "api", "db"))
    container = {"name": "app", "image": rng.choice(UPSTREAM + (" ",))}
    template = {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}
    kind = rng.choice(("DeploymentConfig", "Deployment", "Service", "Pod"))
    if kind == "DeploymentConfig":
        spec = {"replicas": rng.randint(0, 3), "selector": {"app": name}, "template": template,
                "triggers": [{"type": "ConfigChange"}]}
        if rng.random() < 0.6:
            spec["triggers"].append({"type": "ImageChange", "imageChangeParams": {
                "automatic": True, "containerNames": ["app"],
                "from": {"kind": "ImageStreamTag", "name": rng.choice(STREAMS) + ":" + rng.choice(TAGS[:-1])}}})
        return {"apiVersion": "apps.openshift.io/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}
    if kind == "Deployment":
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name},
                "spec": {"replicas": rng.randint(0, 3), "selector": {"matchLabels": {"app": name}},
                         "template": template}}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name},
                "spec": {"selector": {"app": name}, "ports": [{"port": 8080}]}}
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name, "labels": {"app": name}},
            "spec": template["spec"]}


JUNK = (None, True, False, 0, -1, 2**70, 1.5, float("nan"), "", "x", "é" * 3, [], {}, [None], {"": ""},
        {"kind": "ImageStream"}, "2025-03-03T09:00:00Z", "not-a-time", "\x00", ["a", 1], {"a": {"b": {"c": []}}})


def mutate_object(rng: random.Random, obj: object, rounds: int = 3) -> object:
    """Replace, delete or add a random field somewhere inside ``obj``."""
    obj = copy.deepcopy(obj)
    for _ in range(rounds):
        containers: list = []

        def walk(node: object, depth: int = 0) -> None:
            if isinstance(node, (dict, list)) and depth < 8:
                containers.append(node)
                for value in (node.values() if isinstance(node, dict) else node):
                    walk(value, depth + 1)

        walk(obj)
        if not containers:
            return rng.choice(JUNK)
        node = rng.choice(containers)
        junk = copy.deepcopy(rng.choice(JUNK))
        if isinstance(node, dict):
            keys = list(node)
            op = rng.randrange(3)
            if op == 0 and keys:
                node[rng.choice(keys)] = junk
            elif op == 1 and keys:
                del node[rng.choice(keys)]
            else:
                node[rng.choice(("name", "kind", "tags", "items", "spec", "status", "from", "metadata", "x",
                                 "apiVersion", "generation", "annotations", "é"))] = junk
        elif node:
            op = rng.randrange(3)
            if op == 0:
                node[rng.randrange(len(node))] = junk
            elif op == 1:
                del node[rng.randrange(len(node))]
            else:
                node.append(junk)
        else:
            node.append(junk)
    return obj


def manifests(rng: random.Random) -> object:
    """What a student might hand to ``sim.apply``: objects, lists of them, text, or junk."""
    objects = [stream_manifest(rng) if rng.random() < 0.6 else workload_manifest(rng)
               for _ in range(rng.randint(1, 3))]
    r = rng.random()
    if r < 0.25:
        value: object = objects[0]
    elif r < 0.4:
        value = {"apiVersion": "v1", "kind": rng.choice(("List", "ImageStreamList")), "items": objects}
    elif r < 0.5:
        value = objects
    elif r < 0.75:
        value = mutate_object(rng, objects[0] if rng.random() < 0.7 else objects, rng.randint(1, 4))
    elif r < 0.9:  # text: JSON or YAML, maybe mangled
        import yaml

        text = json.dumps(objects[0]) if rng.random() < 0.5 else yaml.safe_dump_all(objects)
        return mutate(rng, text, rng.randint(0, 3)) if rng.random() < 0.6 else text
    else:
        value = rng.choice(JUNK + (
            "{", "[", "- a\n- b", ": :", "!!python/object/apply:os.system ['true']",
            "a: &x [*x]", "--- !!binary 'AAAA'", "kind: ImageStream\nmetadata: {name: [1]}", "\t",
            "apiVersion: v1\nkind: List\nitems: [1, 2]"))
    return value


# ---------------------------------------------------------------------------------------------
# what counts as a proper refusal

OC_PREFIXES = ("error: ", "Error from server (", "The ")


def oc_style(stderr: str) -> bool:
    """``error: …``, ``Error from server (Reason): …`` or ``The Kind "x" is invalid: …``."""
    return stderr.startswith(OC_PREFIXES)


def check_oc(result, line: str) -> None:
    assert isinstance(result.stdout, str) and isinstance(result.stderr, str), line
    if result.exit_code != 0:
        assert oc_style(result.stderr), (line, result.stderr[:300])
    else:
        assert not result.stderr.startswith(("error:", "Error from server")), (line, result.stderr[:300])


def check_refusal(err: Exception, what: object) -> None:
    assert isinstance(err, ImageSimError) and isinstance(err, (ValueError, LookupError)), (what, err)
    message = getattr(err, "message", None) or str(err)
    assert message and message.strip() == message.strip(" ") and "Traceback" not in message, (what, message)


# ---------------------------------------------------------------------------------------------
# the fuzz runs

WORLDS = (scenarios.openshift_catalog, scenarios.broken_upstream, scenarios.scheduled_trigger,
          scenarios.registry_outage)


def fuzz_commands(count: int, seed: int) -> int:
    rng = random.Random(seed)
    tried = 0
    sim = None
    for i in range(count):
        if i % 150 == 0:  # a fresh world now and then, so that deletions do not empty it for good
            sim = WORLDS[(i // 150) % len(WORLDS)](seed=seed)
        gen = CommandGen(rng, sim)
        line = gen.line()
        if rng.random() < 0.1:
            result = sim.oc_stdin(line, json.dumps(manifests(rng), default=str)
                                  if rng.random() < 0.5 else random_text(rng))
        elif rng.random() < 0.05:
            result = sim.docker(mutate(rng, rng.choice(DOCKER_LINES)))
            tried += 1
            assert result.exit_code == 0 or result.stderr, line
            continue
        else:
            result = sim.oc(line)
        check_oc(result, line)
        tried += 1
    return tried


DOCKER_LINES = (
    "pull quay.io/acme/app:1.0", "pull mongo", "images", "tag quay.io/acme/app:1.0 " + INTERNAL + "/myproject/app:v1",
    "push " + INTERNAL + "/myproject/app:v1", "login -u developer -p $(oc whoami -t) " + INTERNAL, "logout",
    "rmi quay.io/acme/app:1.0", "login " + INTERNAL, "push nope",
)


def fuzz_references(count: int, seed: int) -> int:
    rng = random.Random(seed)
    parsers = (ImageReference.parse, ImageReference.parse_normalized, ImageReference.parse_any,
               ImageReference.parse_docker_ref, ImageReference.parse_named, DockerImageReference.parse)
    for _ in range(count):
        text = references(rng)
        for parser in parsers:
            try:
                ref = parser(text)
            except InvalidReference as err:
                check_refusal(err, text)
                continue
            assert str(ref), text
        if rng.random() < 0.5:
            try:
                ImageReference.parse(text).breakdown()
            except InvalidReference:
                pass
    return count * len(parsers)


def fuzz_manifests(count: int, seed: int) -> int:
    rng = random.Random(seed)
    sim = None
    for i in range(count):
        if i % 100 == 0:
            sim = WORLDS[(i // 100) % len(WORLDS)](seed=seed)
        value = manifests(rng)
        call = sim.restore if rng.random() < 0.2 else sim.apply
        try:
            call(value)
        except ImageSimError as err:
            check_refusal(err, value)
    return count


def test_fuzz_commands(fuzz_counts):
    assert fuzz_commands(fuzz_counts["commands"], seed=1) == fuzz_counts["commands"]


def test_fuzz_references(fuzz_counts):
    fuzz_references(fuzz_counts["references"], seed=2)


def test_fuzz_manifests(fuzz_counts):
    assert fuzz_manifests(fuzz_counts["manifests"], seed=3) == fuzz_counts["manifests"]
