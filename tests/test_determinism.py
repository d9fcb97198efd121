"""Same seed, same commands, same bytes; a different seed changes computed digests only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from imagesim import Simulation, scenarios

ROOT = Path(__file__).resolve().parents[1]
MONGO_32 = "sha256:d4dc006a25db1423caed1dcf0f253f352dbbe0914c20949a6302ccda55af72b1"

COMMANDS = [
    "get is -n openshift",
    "describe is/mongodb -n openshift",
    "get istag -n openshift -o wide",
    "get is mongodb -n openshift -o json",
    "get is python -n openshift -o yaml",
    "tag --source=docker centos/mongodb-32-centos7:latest db:v1",
    "tag db:v1 db:latest --alias",
    "tag openshift/mongodb:3.2 snap:v1",
    "import-image ruby:latest --confirm --from=docker.io/centos/ruby-23-centos7:latest",
    "import-image nope:1 --from=quay.io/acme/nope:1 --confirm",
    "get is",
    "describe is db",
    "get itag",
    "get isimage mongodb@d4dc006a -n openshift",
    "tag --source=docker centos/mongodb-26-centos7:latest db:v2 --scheduled",
    "get is -A -o json",
    "tag -d db:v2",
    "adm prune images --keep-tag-revisions=0 --keep-younger-than=0s",
    "get events",
    "frobnicate",
]


def transcript(seed: int) -> list[tuple[str, str, int]]:
    sim = scenarios.openshift_catalog(seed=seed)
    out = []
    for i, command in enumerate(COMMANDS):
        result = sim.oc(command)
        out.append((result.stdout, result.stderr, result.exit_code))
        if i == 9:
            sim.push("docker.io/centos/mongodb-32-centos7:latest")
            sim.advance("20m")
    return out


def test_same_seed_same_bytes():
    first, second = transcript(0), transcript(0)
    assert first == second
    assert sum(code == 0 for _, _, code in first) >= 17
    assert all(stdout or stderr for stdout, stderr, _ in first)


def digests(sim: Simulation) -> dict[tuple[str, str], str]:
    obj = json.loads(sim.oc("get is -n openshift -o json").stdout)
    return {(s["metadata"]["name"], t["tag"]): t["items"][0]["image"]
            for s in obj["items"] for t in s["status"]["tags"]}


def test_other_seed_changes_computed_digests_but_not_pinned_ones():
    zero, one = digests(scenarios.openshift_catalog(seed=0)), digests(scenarios.openshift_catalog(seed=1))
    assert zero.keys() == one.keys()
    assert zero[("mongodb", "3.2")] == one[("mongodb", "3.2")] == MONGO_32
    assert zero[("mongodb", "latest")] == one[("mongodb", "latest")] == MONGO_32
    changed = [key for key in zero if zero[key] != one[key]]
    assert ("mongodb", "2.6") in changed and ("python", "3.5") in changed
    assert len(changed) == len([k for k in zero if zero[k] != MONGO_32])


def test_other_seed_same_outputs_apart_from_digests():
    a = scenarios.openshift_catalog(seed=0).oc("get is -n openshift").stdout
    b = scenarios.openshift_catalog(seed=1).oc("get is -n openshift").stdout
    assert a == b


def test_import_imagesim_loads_no_heavy_library():
    code = ("import sys, imagesim\n"
            "heavy = ['pandas', 'networkx', 'matplotlib', 'ipywidgets']\n"
            "print(','.join(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "\n"
