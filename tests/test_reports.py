"""DataFrames of the simulation (``imagesim.reports``): columns, dtypes, order and values."""

from __future__ import annotations

import gc
import time
from datetime import timedelta

import pytest

pd = pytest.importorskip("pandas")

from imagesim import Simulation, scenarios  # noqa: E402
from imagesim.imagestream import ImageStream, TagEvent, TagHistory, TagReference  # noqa: E402
from imagesim.reports import (  # noqa: E402
    EVENT_COLUMNS,
    HISTORY_COLUMNS,
    IMAGE_COLUMNS,
    POD_COLUMNS,
    events_frame,
    history_frame,
    images_frame,
    pods_frame,
)
from imagesim.workload_manifests import pod_status  # noqa: E402

UTC_NS = "datetime64[ns, UTC]"
HISTORY_DTYPES = {"namespace": "category", "stream": "category", "tag": "category", "index": "int64",
                  "created": UTC_NS, "image": "string", "reference": "string", "generation": "int64"}
EVENT_DTYPES = {"seq": "int64", "time": UTC_NS, "kind": "category", "subject": "string", "namespace": "category",
                "digest": "string", "previous": "string", "reason": "category", "message": "string",
                "warning": "bool"}
POD_DTYPES = {"namespace": "category", "pod": "string", "workload": "string", "kind": "category",
              "node": "category", "image": "string", "image_id": "string", "status": "category",
              "restarts": "int64", "ready": "bool", "created": UTC_NS}
IMAGE_DTYPES = {"digest": "string", "repository": "category", "broken": "bool", "created": UTC_NS,
                "size": "int64", "referenced_by": "int64"}
APP = "docker.io/gists/lighttpd:latest"


def dtypes(frame) -> dict[str, str]:
    return {name: str(dtype) if str(dtype) != "string" else "string" for name, dtype in frame.dtypes.items()}


def check_types(frame, columns, expected) -> None:
    assert tuple(frame.columns) == columns
    assert dtypes(frame) == expected
    assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0


@pytest.fixture(scope="module")
def broken() -> Simulation:
    """scheduled_trigger: the broken push imported, web-2 rolled out and crash-looping."""
    sim = scenarios.scheduled_trigger()
    sim.advance("1h15m")
    return sim


def at(sim: Simulation, seconds: int):
    return pd.Timestamp(sim.clock.start + timedelta(seconds=seconds))


# -------------------------------------------------------------------------------------------
# history

def test_history_frame(broken: Simulation) -> None:
    frame = history_frame(broken)
    check_types(frame, HISTORY_COLUMNS, HISTORY_DTYPES)
    items = sum(len(h.items) for s in broken.server.streams() for h in s.status.values())
    assert len(frame) == items
    keys = list(zip(frame["namespace"].astype(str), frame["stream"].astype(str), frame["tag"].astype(str),
                    frame["index"]))
    assert keys == sorted(keys)
    app = frame[(frame["stream"] == "lighttpd") & (frame["tag"] == "latest")]
    stream = broken.stream("lighttpd")
    head, first = stream.status["latest"].items
    assert app["index"].tolist() == [0, 1]
    assert app["image"].tolist() == [head.image, first.image]
    assert app["reference"].tolist() == [head.ref, first.ref]
    assert app["generation"].tolist() == [head.generation, first.generation]
    assert app["created"].tolist() == [at(broken, head.created), at(broken, first.created)]
    assert app["created"].iloc[0] == pd.Timestamp("2025-03-04T08:15:00Z")
    # the categories are sorted values, not codes in discovery order
    assert list(frame["namespace"].cat.categories) == ["myproject", "openshift"]


def test_history_frame_of_reference_tags_and_empty_worlds() -> None:
    sim = Simulation(seed=0)
    empty = history_frame(sim)
    check_types(empty, HISTORY_COLUMNS, HISTORY_DTYPES)
    assert len(empty) == 0
    assert sim.oc("tag --source=docker quay.io/acme/web:1 --reference web:ref").ok
    frame = history_frame(sim)
    assert frame["image"].isna().tolist() == [True]
    assert frame["reference"].tolist() == ["quay.io/acme/web:1"]


def synthetic(namespaces: int, streams: int, tags: int, items: int) -> Simulation:
    """A large history built directly in the model (no imports run)."""
    sim = Simulation(seed=0)
    n = 0
    for i in range(namespaces):
        ns = f"ns-{i:03d}"
        sim.server.add_namespace(ns)
        space = sim.server.namespaces[ns]
        for j in range(streams):
            name = f"app-{j:03d}"
            stream = ImageStream(ns, name, 0)
            for k in range(tags):
                tag = f"v{k}"
                stream.spec[tag] = TagReference(tag, "DockerImage", f"quay.io/{ns}/{name}:{tag}", generation=items)
                history = []
                for m in range(items, 0, -1):
                    n += 1
                    digest = "sha256:%064x" % n
                    history.append(TagEvent(m * 60, f"quay.io/{ns}/{name}@{digest}", digest, m))
                stream.status[tag] = TagHistory(history)
            space[name] = stream
    return sim


def test_history_frame_of_a_synthetic_history() -> None:
    sim = synthetic(3, 4, 5, 6)
    frame = history_frame(sim)
    check_types(frame, HISTORY_COLUMNS, HISTORY_DTYPES)
    assert len(frame) == 3 * 4 * 5 * 6
    assert frame["index"].tolist() == list(range(6)) * (3 * 4 * 5)
    assert frame["generation"].tolist() == list(range(6, 0, -1)) * (3 * 4 * 5)
    assert (frame["created"] == frame["generation"].map(lambda g: at(sim, g * 60))).all()
    last = frame.iloc[-1]
    assert (last["namespace"], last["stream"], last["tag"]) == ("ns-002", "app-003", "v4")
    assert last["image"] == "sha256:%064x" % (3 * 4 * 5 * 6)
    assert frame["image"].is_unique


@pytest.mark.slow
def test_a_million_history_rows() -> None:
    sim = synthetic(100, 100, 10, 10)
    gc.collect()
    start = time.perf_counter()
    frame = history_frame(sim)
    took = time.perf_counter() - start
    print(f"\nhistory_frame: {len(frame):,} rows in {took:.2f}s")
    assert len(frame) == 1_000_000
    assert dtypes(frame) == HISTORY_DTYPES
    assert took < 5  # generous: shared CI machines; the report has the real numbers


# -------------------------------------------------------------------------------------------
# events, pods, images

def test_events_frame(broken: Simulation) -> None:
    frame = events_frame(broken)
    check_types(frame, EVENT_COLUMNS, EVENT_DTYPES)
    events = list(broken.log)
    assert frame["seq"].tolist() == [e.seq for e in events] == list(range(1, len(events) + 1))
    push = frame[(frame["kind"] == "push") & (frame["subject"] == APP)].iloc[-1]
    event = [e for e in events if e.kind == "push" and e.subject == APP][-1]
    assert push["digest"] == event.digest and push["previous"] == event.previous
    assert push["time"] == at(broken, event.time) and bool(push["warning"]) is True
    assert push["message"] == "broken image"
    first = frame.iloc[0]
    assert pd.isna(first["namespace"]) and pd.isna(first["reason"]) and pd.isna(first["message"])
    assert frame["seq"].is_monotonic_increasing  # seq order (a crash is logged ahead, at its own time)


def test_pods_frame(broken: Simulation) -> None:
    frame = pods_frame(broken)
    check_types(frame, POD_COLUMNS, POD_DTYPES)
    pods = sorted((p for p in broken.cluster.pods.values() if not p.deployer), key=lambda p: p.name)
    assert frame["pod"].tolist() == [p.name for p in pods]
    now = broken.time
    assert frame["status"].astype(str).tolist() == [pod_status(broken, p, now).reason for p in pods]
    new = frame[frame["pod"].str.startswith("web-2-")]
    old = frame[frame["pod"].str.startswith("web-1-")]
    assert len(new) == 2 and len(old) == 2
    assert set(new["status"].astype(str)) <= {"CrashLoopBackOff", "Error", "Running"}
    assert not new["ready"].any() and old["ready"].all()
    assert (new["restarts"] >= 1).all() and (old["restarts"] == 0).all()
    assert set(frame["workload"]) == {"web"} and set(frame["kind"].astype(str)) == {"DeploymentConfig"}
    head = broken.stream("lighttpd").head("latest")
    assert set(new["image_id"]) == {head.image}
    assert set(new["image"]) == {f"docker.io/gists/lighttpd@{head.image}"}
    assert new["created"].iloc[0] == pd.Timestamp("2025-03-04T08:15:00Z")


def test_pods_frame_shows_pods_waiting_for_their_image() -> None:
    sim = Simulation(seed=0)
    assert sim.oc("create deployment ghost --image=quay.io/nowhere/ghost:1").ok
    sim.advance("1m")
    frame = pods_frame(sim)
    check_types(frame, POD_COLUMNS, POD_DTYPES)
    assert frame["image_id"].isna().tolist() == [True]
    assert frame["status"].astype(str).tolist() == ["ImagePullBackOff"]
    assert frame["kind"].astype(str).tolist() == ["Deployment"]


def test_images_frame(broken: Simulation) -> None:
    frame = images_frame(broken)
    check_types(frame, IMAGE_COLUMNS, IMAGE_DTYPES)
    assert frame["digest"].is_unique
    keys = list(zip(frame["created"], frame["digest"]))
    assert keys == sorted(keys)
    head = broken.stream("lighttpd").head("latest")
    row = frame[frame["digest"] == head.image].iloc[0]
    assert bool(row["broken"]) is True and row["repository"] == "docker.io/gists/lighttpd"
    assert row["created"] == pd.Timestamp("2025-03-04T08:05:00Z")
    # one history item and two crash-looping pods
    assert row["referenced_by"] == 3
    image = broken.registry("docker.io").repository("gists/lighttpd").images[head.image]
    assert row["size"] == image.size
    unused = frame[frame["repository"] == "docker.io/library/busybox"]
    assert unused["referenced_by"].tolist() == [0]
    assert not frame.loc[frame["digest"] != head.image, "broken"].any()


def test_frames_are_deterministic() -> None:
    one, two = scenarios.broken_upstream(), scenarios.broken_upstream()
    one.advance("3h")
    two.advance("3h")
    for make in (history_frame, events_frame, pods_frame, images_frame):
        pd.testing.assert_frame_equal(make(one), make(two))
