"""The fast paths that read well-formed manifests agree with the full checks.

Each fast path returns what the full reading returns, or declines (None) and leaves the
manifest to the full checks; it never accepts what they refuse. Checked here on many seeded
random mutations of well-formed manifests.
"""

from __future__ import annotations

import collections
import copy
import json
import random
import zlib
from typing import Any

import pytest

from imagesim import workload_manifests as wm
from imagesim.errors import ImageSimError


class _Text(str):
    pass


class _Number(int):
    pass


def _dc_bench(j: int = 7) -> dict:
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": f"dc-{j}", "namespace": "myproject"},
            "spec": {"replicas": 0, "selector": {"app": f"dc-{j}"},
                     "template": {"metadata": {"labels": {"app": f"dc-{j}"}},
                                  "spec": {"containers": [{"name": "app", "image": "app-3:latest"}]}},
                     "triggers": [{"type": "ConfigChange"},
                                  {"type": "ImageChange", "imageChangeParams": {
                                      "automatic": True, "containerNames": ["app"],
                                      "from": {"kind": "ImageStreamTag", "name": "app-3:latest"}}}]}}


def _dc_full() -> dict:
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "web.front", "namespace": "team", "labels": {"app": "web", "tier": "front"},
                         "annotations": {"note": "x"}},
            "spec": {"replicas": 3, "paused": False,
                     "strategy": {"type": "Recreate", "recreateParams": {"timeoutSeconds": 120}},
                     "template": {"metadata": {"labels": {"app": "web", "tier": "front"},
                                               "annotations": {"a": "b"}},
                                  "spec": {"initContainers": [{"name": "init", "image": "busybox",
                                                               "imagePullPolicy": "IfNotPresent"}],
                                           "containers": [{"name": "web", "image": "lighttpd:latest",
                                                           "imagePullPolicy": "Always",
                                                           "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
                                                          {"name": "side", "image": "docker.io/library/nginx:1.25"}]}},
                     "triggers": [{"type": "ImageChange", "imageChangeParams": {
                         "automatic": False, "containerNames": ["web", "init"], "lastTriggeredImage": "x@sha256:1",
                         "from": {"kind": "ImageStreamTag", "name": "lighttpd:latest", "namespace": "openshift"}}},
                         {"type": "ImageChange", "imageChangeParams": {
                             "containerNames": ["side"],
                             "from": {"kind": "ImageStreamTag", "name": "nginx:1.25", "namespace": "team"}}}]}}


def _dc_rolling() -> dict:
    return {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
            "metadata": {"name": "api", "namespace": ""},
            "spec": {"replicas": None, "selector": None,
                     "strategy": {"type": "Rolling", "rollingParams": {"timeoutSeconds": 30}},
                     "template": {"metadata": {"labels": {"app": "api"}},
                                  "spec": {"containers": [{"name": "api", "image": "api:1"}]}}}}


_BASES = [_dc_bench, _dc_full, _dc_rolling]

_KEYS = ["apiVersion", "kind", "metadata", "spec", "name", "namespace", "labels", "annotations", "replicas",
         "paused", "selector", "template", "containers", "initContainers", "image", "imagePullPolicy", "ports",
         "containerPort", "strategy", "type", "rollingParams", "recreateParams", "timeoutSeconds", "triggers",
         "imageChangeParams", "automatic", "containerNames", "lastTriggeredImage", "from", "status", "app"]

_VALUES: list[Any] = [
    None, "", " ", "x", "dc-7", "Web", "a" * 254, "app", "web", "init", "side", "api", "Always", "IfNotPresent",
    "Never", "Sometimes", "Rolling", "Recreate", "Custom", "ConfigChange", "ImageChange", "ImageStreamTag",
    "DockerImage", "app-3:latest", "app-3", "app-3:a:b", "app-3@sha256:1", ":latest", "apps.openshift.io/v1",
    "apps/v1", "myproject", "team", 0, 1, -1, 2, 70000, 1001, 1000, 1.0, 2.5, True, False, [], {}, ["app"],
    ["web", "init"], ["nope"], [1], [None], [{}], {"app": "dc-7"}, {"app": "other"}, {"app": 1}, {1: "a"},
    {"app": None}, [{"containerPort": 80}], [{"containerPort": 0}], [{"containerPort": "80"}], [None],
    {"type": "ConfigChange"}, {"timeoutSeconds": 0}, {"timeoutSeconds": 5}, {"timeoutSeconds": True},
    _Text("app"), _Number(1), collections.OrderedDict(app="dc-7"),
]


def _containers_in(value: Any, path: tuple = ()) -> list[tuple]:
    """Every (container, key-or-index) position in a manifest, the root included as ()."""
    out = [(None, path)]
    if type(value) is dict:
        for key, item in value.items():
            out.extend(_containers_in(item, path + (key,)))
    elif type(value) is list:
        for index, item in enumerate(value):
            out.extend(_containers_in(item, path + (index,)))
    return out


def _at(root: Any, path: tuple) -> Any:
    for step in path:
        root = root[step]
    return root


def mutate(manifest: dict, rng: random.Random, *, keys: list[str] = _KEYS, values: list[Any] = _VALUES) -> dict:
    manifest = copy.deepcopy(manifest)
    for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
        positions = [p for _, p in _containers_in(manifest) if p]
        if not positions:
            break
        path = rng.choice(positions)
        parent, last = _at(manifest, path[:-1]), path[-1]
        action = rng.random()
        value = copy.deepcopy(rng.choice(values))
        if action < 0.3 and type(parent) is dict:
            del parent[last]
        elif action < 0.45:
            target = _at(manifest, path)
            if type(target) is dict:
                target[rng.choice(keys)] = value
            elif type(target) is list:
                target.append(copy.deepcopy(rng.choice(target)) if target and rng.random() < 0.5 else value)
            else:
                parent[last] = value
        else:
            parent[last] = value
    return manifest


def _full(manifest: dict, namespace: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(wm, "_plain_dc", lambda obj, default_namespace: None)
        return wm.parse_workload(manifest, namespace)


def _containers(value: Any) -> list[int]:
    """The ids of the dicts and lists in a parsed object (it must share none with its manifest)."""
    found: list[int] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            found.append(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)
    return found


def _check(manifest: dict, namespace: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    if manifest.get("kind") != "DeploymentConfig":  # (only DeploymentConfigs are offered to it)
        return False
    fast = wm._plain_dc(copy.deepcopy(manifest), namespace)
    try:
        full = _full(manifest, namespace, monkeypatch)
    except (ImageSimError, ValueError):
        assert fast is None, manifest
        return False
    if fast is None:
        return False
    assert repr(fast) == repr(full), manifest
    assert fast == full
    mine = set(_containers(fast))
    assert not mine & set(_containers(manifest))
    return True


@pytest.mark.parametrize("base", _BASES, ids=lambda b: b.__name__)
def test_well_formed_dcs_take_the_fast_path(base, monkeypatch):
    assert _check(base(), "default", monkeypatch)


def test_dc_fast_path_agrees_with_the_full_checks(monkeypatch):
    rng = random.Random(20240611)
    taken = 0
    for i in range(10000):
        manifest = mutate(_BASES[i % len(_BASES)](), rng)
        taken += _check(manifest, rng.choice(["default", "team"]), monkeypatch)
    assert 1000 < taken < 9000  # both paths are exercised


# image streams -------------------------------------------------------------------------------


def _is_bench() -> dict:
    return {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": "app-3", "namespace": "myproject"},
            "spec": {"tags": [{"name": "latest", "from": {"kind": "DockerImage", "name": "quay.io/acme/app:1"},
                               "importPolicy": {"scheduled": True}}]}}


def _is_full() -> dict:
    return {"apiVersion": "v1", "kind": "ImageStream",
            "metadata": {"name": "web", "namespace": "", "labels": {"app": "web"}, "annotations": {"a": "b"}},
            "spec": {"lookupPolicy": {"local": True}, "dockerImageRepository": "",
                     "tags": [{"name": "1.0", "annotations": {"description": "one"}, "generation": 2,
                               "from": {"kind": "ImageStreamTag", "name": "web:latest", "namespace": "team"},
                               "reference": False, "referencePolicy": {"type": "Local"},
                               "importPolicy": {"insecure": False, "importMode": "PreserveOriginal"}},
                              {"name": "1.0", "from": {"kind": "DockerImage", "name": "docker.io/library/web:1"},
                               "reference": True},
                              {"name": "latest", "from": {"kind": "DockerImage", "name": "docker.io/library/web"},
                               "importPolicy": {"scheduled": False, "importMode": ""},
                               "referencePolicy": {"type": ""}}]}}


_IS_KEYS = ["apiVersion", "metadata", "spec", "name", "namespace", "labels", "annotations", "lookupPolicy",
            "local", "dockerImageRepository", "tags", "from", "kind", "importPolicy", "scheduled", "insecure",
            "importMode", "referencePolicy", "type", "reference", "generation", "status"]
_IS_VALUES: list[Any] = [
    None, "", "x", "latest", "DockerImage", "ImageStreamTag", "image.openshift.io/v1", "v1",
    "image.openshift.io/v1beta1", "apps/v1", "Local", "Source", "Legacy", "PreserveOriginal", 0, 1, -3, 1.0,
    True, False, [], {}, [{}], [None], {"a": "b"}, {"a": 1}, {1: "a"}, {"scheduled": True}, {"type": "Local"},
    {"kind": "DockerImage", "name": "a/b:c"}, [{"name": "x"}], _Text("x"), _Number(2), collections.OrderedDict(a="b"),
]


def _stream_check(manifest: dict, namespace: str) -> bool:
    from imagesim import manifests
    from imagesim.clock import Clock

    fast = manifests.read_plain_stream(copy.deepcopy(manifest), namespace)
    saved = manifests.read_plain_stream
    manifests.read_plain_stream = lambda obj, default_namespace: None
    try:
        full = manifests.parse_stream(manifest, namespace, Clock())
    except (ImageSimError, ValueError):
        assert fast is None, manifest
        return False
    finally:
        manifests.read_plain_stream = saved
    if fast is None:
        return False
    assert repr(fast) == repr(full), manifest
    assert fast == full
    assert not set(_containers(fast)) & set(_containers(manifest))
    return True


@pytest.mark.parametrize("base", [_is_bench, _is_full], ids=lambda b: b.__name__)
def test_well_formed_streams_take_the_fast_path(base):
    assert _stream_check(base(), "default")


def test_stream_fast_path_agrees_with_the_full_checks():
    rng = random.Random(20240612)
    bases = [_is_bench, _is_full]
    taken = 0
    for i in range(3000):
        manifest = mutate(bases[i % 2](), rng, keys=_IS_KEYS, values=_IS_VALUES)
        taken += _stream_check(manifest, rng.choice(["default", "team"]))
    assert 200 < taken < 2900


# long applies: journaled a chunk at a time, and read as they are journaled ---------------------------


def _world():
    from imagesim import Simulation

    sim = Simulation(seed=0, project="myproject")
    sim.oc("new-project team")
    for i in range(4):
        sim.push(f"quay.io/acme/app:{i}")
    return sim


def _long_list(rng: random.Random, mutated: bool) -> list:
    objects: list = []
    for j in range(700):
        roll = rng.random()
        if not mutated and 0.55 <= roll < 0.8:  # (mutations are mostly refused)
            roll = 0.85
        if roll < 0.4:
            objects.append(_dc_bench(j))
        elif roll < 0.55:
            stream = _is_bench()
            stream["metadata"]["name"] = f"app-{j % 5}"
            objects.append(stream)
        elif roll < 0.7:
            objects.append(mutate(_dc_full(), rng))
        elif roll < 0.8:
            objects.append(mutate(_is_full(), rng))
        elif roll < 0.9:
            objects.append(_dc_rolling())
        else:
            objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{j}"},
                            "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}})
    return objects


def _outcome(sim, objects: list) -> tuple:
    try:
        out = sim.apply(objects)
    except ImageSimError as err:
        out = f"{type(err).__name__}: {err}"
    assert sim._journal_depth == 0  # (the call is over, refused or not)
    state = sim.oc("get dc,is,svc -A -o json").stdout
    return out, state, len(sim.log), [(e.time, e.op, e.args) for e in sim.journal], list(sim.journal._rows[-1][:2])


def _round(round_: int) -> list:
    objects = _long_list(random.Random(11 + round_), mutated=round_ >= 4)
    if round_ == 1:  # one that JSON cannot hold: refused, nothing applied
        objects[500]["spec"]["extra"] = {1, 2}
    if round_ == 2:
        deep: list = []
        for _ in range(3000):
            deep = [deep]
        objects[300] = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "deep"}, "spec": deep}
    if round_ == 3:  # an object the full checks refuse, after many well-formed ones
        objects[650] = dict(_dc_bench(1), spec=dict(_dc_bench(1)["spec"], replicas=-1))
    return objects


def test_a_long_apply_reads_its_objects_as_the_journal_encodes_them(monkeypatch):
    from imagesim import journal

    for round_ in range(6):
        fast = _outcome(_world(), _round(round_))
        with monkeypatch.context() as patch:
            patch.setattr(journal, "_CHUNK", 10**9)
            slow = _outcome(_world(), _round(round_))
        assert fast == slow
        if round_ in (0, 1, 2, 3):
            assert isinstance(fast[0], list) == (round_ == 0), fast[0]


def test_a_long_apply_is_journaled_as_the_encoder_writes_it():
    objects = [rng_choice for j in range(900) for rng_choice in [(_dc_bench(j), _is_bench(), _dc_rolling())[j % 3]]]
    objects[5]["metadata"]["annotations"] = {"note": "caf\u00e9 \"quoted\" \\ %s"}
    sim = _world()
    sim.apply(objects)
    text = zlib.decompress(sim.journal._rows[-1][2]).decode()
    assert text == json.dumps({"objects": objects}, separators=(",", ":"))
    assert sim.journal[-1].args == {"objects": objects}


def test_a_long_apply_is_refused_for_nesting_exactly_as_a_short_one():
    from imagesim import Simulation

    def refused(depth: int, count: int) -> bool:
        deep: list = []
        for _ in range(depth):
            deep = [deep]
        objects = [_dc_bench(j) for j in range(count)] + [{"kind": "Service", "spec": deep}]
        try:
            Simulation(seed=0).apply(objects)
        except ImageSimError as err:
            return "nesting too deep" in str(err)
        return False

    low, high = 10, 5000  # the deepest value a short list may hold: found by bisection
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if refused(middle, 1) else (middle, high)
    assert not refused(low, 1) and refused(high, 1)
    assert not refused(low, 1200) and refused(high, 1200)


def test_a_short_text_of_a_long_list_is_kept_as_text():
    from imagesim import Simulation, journal

    sim = Simulation(seed=0)
    read: list = []
    value = {"objects": list(range(600))}

    def chunks(items: list) -> list:
        return [items[index:index + 256] for index in range(0, len(items), 256)]

    assert journal._pack_chunks(sim, "objects", chunks(value["objects"]), read.extend) == json.dumps(
        value, separators=(",", ":"))
    assert read == value["objects"]
    value = {"objects": [str(i) * 9 for i in range(600)]}
    packed = journal._pack_chunks(sim, "objects", chunks(value["objects"]), read.extend)
    assert isinstance(packed, bytes) and zlib.decompress(packed).decode() == json.dumps(value, separators=(",", ":"))


def test_an_apply_from_an_iterator_is_an_apply_from_its_list(monkeypatch):
    """A generator of manifests is read a chunk at a time: the same outcome, journal and errors as
    the list, for long and short streams, refused ones included (nothing applied)."""
    from imagesim import journal

    for round_ in range(6):
        listed = _outcome(_world(), _round(round_))
        streamed = _outcome(_world(), (obj for obj in _round(round_)))
        assert streamed == listed
    short = _round(0)[:7]
    assert _outcome(_world(), iter(short)) == _outcome(_world(), short)
    assert _outcome(_world(), iter([])) == _outcome(_world(), [])
    with monkeypatch.context() as patch:  # chunks of one item: each read as it comes
        patch.setattr(journal, "_CHUNK", 1)
        assert _outcome(_world(), map(dict, short)) == _outcome(_world(), short)


def test_an_apply_from_an_iterator_does_not_keep_the_manifests_it_read():
    import gc

    from imagesim import Simulation, journal

    def alive() -> int:  # the manifests made below that are still in memory
        return sum(1 for obj in gc.get_objects()
                   if type(obj) is dict and obj.get("kind") == "DeploymentConfig"
                   and obj["metadata"]["name"].startswith("streamed-"))

    def manifest(j: int) -> dict:
        made = _dc_bench(j)
        made["metadata"]["name"] = f"streamed-{j}"
        return made

    seen = []

    def manifests(count: int):
        for j in range(count):
            if j == count - 1:
                seen.append(alive())
            yield manifest(j)

    count = 4 * journal._CHUNK  # noqa: SLF001
    sim = Simulation(seed=0)
    assert len(sim.apply(manifests(count))) == count
    assert seen[0] <= journal._CHUNK  # noqa: SLF001 - the chunks read before are gone
    assert len(sim.cluster.workloads) == count
    assert sim.journal[-1].args["objects"][100]["metadata"]["name"] == "streamed-100"
    listed = [manifest(j) for j in range(count)]
    assert alive() >= count  # (what the count above would see of a list)
    del listed
