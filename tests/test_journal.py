"""The journal: time travel with sim.at, saved labs with sim.save / Simulation.load."""

from __future__ import annotations

import json
import re

import pytest

from imagesim import Simulation, scenarios
from imagesim.errors import ClockError, SavedLabError
from imagesim.journal import Entry, ReadOnly

COMMANDS = ["get is", "describe is/mongodb", "get istag -o wide", "get pods", "get dc", "get events"]


def busy_world() -> tuple[Simulation, dict[int, dict[str, str]]]:
    """A lab with imports, a trigger, a broken push and a rollback; what oc printed, by time."""
    sim = scenarios.openshift_catalog(seed=3)
    seen: dict[int, dict[str, str]] = {}

    def snap() -> None:
        seen[sim.time] = {c: str(sim.oc(c)) for c in COMMANDS}

    sim.oc("tag --source=docker centos/mongodb-32-centos7:latest mongodb:3.2 --scheduled")
    sim.oc("new-app mongodb:3.2 --name=db --as-deployment-config")
    sim.advance("10m")
    snap()
    sim.push("docker.io/centos/mongodb-32-centos7:latest", broken=True)
    sim.advance("20m")
    snap()
    sim.advance("30m")
    sim.oc("rollback db")
    sim.advance("5m")
    snap()
    return sim, seen


def test_at_shows_what_oc_printed_at_that_time():
    sim, seen = busy_world()
    for time, outputs in seen.items():
        view = sim.at(time)
        for command, text in outputs.items():
            assert str(view.oc(command)) == text, (time, command)


def test_a_view_is_read_only_and_the_original_goes_on():
    sim, seen = busy_world()
    first = min(seen)
    view = sim.at(first)
    refused = view.oc("tag mongodb:3.2 mongodb:copy")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: this is a read-only view of the simulation at ")
    assert view.oc("adm prune images").exit_code == 0  # a dry run only reads
    with pytest.raises(ReadOnly):
        view.push("docker.io/library/nginx:latest")
    with pytest.raises(ReadOnly):
        view.advance("1m")
    assert "copy" not in str(sim.oc("get istag"))
    with pytest.raises(ClockError, match="in the future"):
        sim.at(sim.time + 60)


def test_saved_lab_loads_prints_the_same_and_has_the_same_future(tmp_path):
    sim, _ = busy_world()
    path = tmp_path / "lab.json"
    sim.save(path)
    loaded = Simulation.load(path)
    for command in COMMANDS:
        assert str(loaded.oc(command)) == str(sim.oc(command))
    for world in (sim, loaded):
        world.push("docker.io/centos/mongodb-32-centos7:latest")
        world.advance("1h")
        world.oc("set triggers dc/db --auto")
        world.advance("10m")
    for command in COMMANDS + ["rollout history dc/db"]:
        assert str(loaded.oc(command)) == str(sim.oc(command))
    assert [e for e in loaded.log] == [e for e in sim.log]


def test_a_plain_simulation_saves_and_loads(tmp_path):
    sim = Simulation(seed=5, project="demo")
    sim.push("quay.io/acme/app:1")
    sim.oc("tag --source=docker quay.io/acme/app:1 app:1")
    sim.advance("1d")
    sim.save(tmp_path / "lab.json")
    loaded = Simulation.load(tmp_path / "lab.json")
    assert (loaded.seed, loaded.project, loaded.time) == (5, "demo", sim.time)
    assert str(loaded.oc("describe is/app")) == str(sim.oc("describe is/app"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(version=2), "format version 2, newer than this imagesim understands (1)"),
    (lambda d: d.update(format="something"), "is not an imagesim saved lab"),
    (lambda d: d["journal"][2][2].update(command="tag --source=docker quay.io/acme/app:1 app:2"),
     "does not replay to the state it recorded"),
    (lambda d: d["journal"].insert(1, [0, "rm -rf", {}]), "unknown journal operation 'rm -rf'"),
    (lambda d: d.update(journal=[]), "an empty journal"),
    (lambda d: d["journal"].__setitem__(0, [0, "scenario", {"name": "os", "kwargs": {}}]), "unknown scenario 'os'"),
])
def test_damaged_or_newer_files_are_refused(tmp_path, change, message):
    sim = Simulation()
    sim.push("quay.io/acme/app:1")
    sim.oc("tag --source=docker quay.io/acme/app:1 app:1")
    path = tmp_path / "lab.json"
    sim.save(path)
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    with pytest.raises(SavedLabError, match=re.escape(message)):
        Simulation.load(path)


def test_truncated_and_missing_files_are_refused(tmp_path):
    sim = scenarios.openshift_catalog()
    path = tmp_path / "lab.json"
    sim.save(path)
    path.write_text(path.read_text()[:300])
    with pytest.raises(SavedLabError, match="not valid JSON"):
        Simulation.load(path)
    with pytest.raises(SavedLabError, match="cannot read saved lab"):
        Simulation.load(tmp_path / "missing.json")


def test_scenario_worlds_replay_from_their_builder():
    sim = scenarios.broken_upstream(seed=2)
    assert sim.journal[0].op == "scenario" and len(sim.journal) == 1
    sim.advance("3h")
    earlier = sim.time - 3600
    fresh = scenarios.broken_upstream(seed=2)
    fresh.run(until=earlier)
    view = sim.at(earlier)
    assert view.time == earlier
    assert str(view.oc("get pods")) == str(fresh.oc("get pods"))


def test_plain_arguments_are_kept_as_values_and_read_back_as_json_would():
    import random

    from imagesim.journal import Entry, Journal, _plain_values, encode

    sim = Simulation(seed=1)
    rng = random.Random(7)
    pool = ["", "a", "é", "\ud800", "x" * 50, "line\nbreak", '"quoted"', "\u2603", 0, -1, 2 ** 70, True, False, None]
    for _ in range(500):
        value = {f"k{i}": rng.choice(pool) for i in range(rng.randint(0, 4))}
        row = _plain_values(value)
        assert row is not None
        journal = Journal()
        journal.record(3, "op", row)
        assert journal[0].args == json.loads(encode(value, sim)) == value
        assert journal[0] == Entry(3, "op", encode(value, sim))
    # names are shared by every call like it; values stay what they were
    first, second = _plain_values({"pullspec": "a", "at": 5}), _plain_values({"pullspec": "b", "at": 6})
    assert first[0] is second[0] and first[1:] == ("a", 5)
    # not plain: floats, containers, long texts (kept compressed), subclasses of the plain types
    for value in ({"x": 1.5}, {"x": [1]}, {"x": "y" * 5000}, {"x": type("S", (str,), {})("s")}):
        assert _plain_values(value) is None


def test_pushes_are_journaled_as_values_and_replay():
    sim = Simulation(seed=3)
    digest = sim.push("quay.io/team/app:v1", at="1h")
    row = sim.journal._rows[-1]  # noqa: SLF001
    assert row[1] == "push" and type(row[2]) is tuple
    assert sim.journal[-1].args == {"pullspec": "quay.io/team/app:v1", "at": "1h"}
    sim.advance("2h")
    assert sim.at("90m").registry("quay.io").repository("team/app").tags["v1"] == digest


def test_a_run_of_like_calls_shares_a_row_and_reads_as_entries():
    """Calls recorded one after the other with the same time, operation and argument names (a
    loop of pushes) share one row until the journal is read: the entries, their order, length
    and equality are those of one row each, with reads and other calls in between."""
    import random

    from imagesim.journal import Journal, _plain_values

    rng = random.Random(2)
    shared, separate = Journal(), Journal()
    for step in range(600):
        roll = rng.random()
        if roll < 0.6:
            args = {"pullspec": f"quay.io/a/b{rng.randrange(3)}:latest"}
            if rng.random() < 0.5:
                args["at"] = rng.randrange(10**6)
            entry = ("push", args)
        elif roll < 0.7:
            entry = ("advance", {"duration": "1h"})
        elif roll < 0.8:
            entry = ("apply", {"objects": [{"kind": "ImageStream", "n": step}]})
        else:
            entry = ("oc", {})
        time = step // 100
        op, args = entry
        plain = _plain_values(args)
        if plain is None:
            text = json.dumps(args, separators=(",", ":"))
            shared.record(time, op, text)
            separate.record(time, op, text)
        else:
            shared.record(time, op, plain)
            separate.append(Entry(time, op, plain))
        assert len(shared) == len(separate)
        if rng.random() < 0.02:
            assert shared[-1] == separate[-1] and shared[len(shared) // 2] == separate[len(separate) // 2]
    assert len(shared._rows) < len(separate._rows)  # noqa: SLF001 - (recorded since the last read)
    assert list(shared) == list(separate) and shared == separate
    assert [e.args for e in shared] == [e.args for e in separate]


def test_pushes_in_a_loop_share_journal_rows_and_replay():
    sim = Simulation(seed=1)
    digests = [sim.push(f"quay.io/team/app{i % 7}:latest") for i in range(50)]
    later = [sim.push("quay.io/team/app1:latest", at=f"{i + 1}h") for i in range(20)]
    assert len(sim.journal._rows) == 3  # noqa: SLF001 - new, one run of each loop
    sim.advance("1d")
    replayed = sim.at("1d")
    assert [e.args for e in replayed.journal] == [e.args for e in sim.journal]
    repo = replayed.registry("quay.io").repository("team/app1")
    assert repo.tags["latest"] == later[-1] and digests[1] in repo.images
