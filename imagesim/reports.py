"""Reports: the simulation's data as pandas DataFrames (the only module that imports pandas).

History, events and pods tables, and the experiment frames of :mod:`imagesim.experiments`.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .simulation import Simulation

#: Column order of :func:`history_frame`, :func:`events_frame`, :func:`pods_frame`, :func:`images_frame`.
HISTORY_COLUMNS = ("namespace", "stream", "tag", "index", "created", "image", "reference", "generation")
EVENT_COLUMNS = ("seq", "time", "kind", "subject", "namespace", "digest", "previous", "reason", "message",
                 "warning")
POD_COLUMNS = ("namespace", "pod", "workload", "kind", "node", "image", "image_id", "status", "restarts", "ready",
               "created")
IMAGE_COLUMNS = ("digest", "repository", "broken", "created", "size", "referenced_by")


# ---------------------------------------------------------------------------------------------
# the simulation's state as frames: built from column lists, typed explicitly
#
# Text keys that repeat (namespaces, streams, tags, kinds, nodes, statuses) are categorical with
# sorted categories; other text is pandas' "string" dtype (missing values are <NA>); times are
# datetime64[ns, UTC] on the simulated clock; counts are int64; flags are bool.

def _times(sim: Simulation, seconds):
    """Simulated seconds as a datetime64[ns, UTC] array."""
    import numpy as np
    import pandas as pd

    start = int(sim.clock.start.timestamp()) * 1_000_000_000
    ns = np.asarray(seconds, dtype="int64") * 1_000_000_000 + start
    return pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC").array


def _text(values):
    import pandas as pd

    return pd.array(values, dtype="string")


def _category(values, *, empty_is_missing: bool = False):
    import pandas as pd

    if empty_is_missing:
        values = [v or None for v in values]
    return pd.Categorical(values, categories=sorted({v for v in values if v is not None}))


def _grouped_category(groups: list[str], counts):
    """A categorical column made of runs: ``groups[i]`` repeated ``counts[i]`` times."""
    import numpy as np
    import pandas as pd

    categories = sorted(set(groups))
    position = {value: code for code, value in enumerate(categories)}
    codes = np.repeat(np.fromiter((position[g] for g in groups), dtype="int32", count=len(groups)), counts)
    return pd.Categorical.from_codes(codes, categories=categories)


def _frame(columns: tuple[str, ...], data: dict) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: data[name] for name in columns}, columns=list(columns))


def history_frame(sim: Simulation) -> pd.DataFrame:
    """Every image stream tag's history: one row per history item, sorted by namespace, stream,
    tag, then ``index`` (0 is the current item, as in ``status.tags[].items``).

    Columns :data:`HISTORY_COLUMNS`: ``namespace``, ``stream``, ``tag`` (categorical), ``index``
    (int64), ``created`` (datetime64[ns, UTC]), ``image`` (the digest) and ``reference`` (the
    item's pull spec) as strings (``image`` is <NA> for reference tags), ``generation`` (int64).
    """
    import numpy as np

    namespaces: list[str] = []
    streams: list[str] = []
    tags: list[str] = []
    counts: list[int] = []
    created: list[int] = []
    images: list[str] = []
    references: list[str] = []
    generations: list[int] = []
    # map/attrgetter into extend: no temporary lists, so a million items cost no GC passes
    fields = ((created.extend, attrgetter("created")), (images.extend, attrgetter("image")),
              (references.extend, attrgetter("ref")), (generations.extend, attrgetter("generation")))
    for stream in sim.server.streams():
        status = stream.status
        for tag in sorted(status):
            items = status[tag].items
            if not items:
                continue
            namespaces.append(stream.namespace)
            streams.append(stream.name)
            tags.append(tag)
            counts.append(len(items))
            for extend, get in fields:
                extend(map(get, items))
    count_array = np.asarray(counts, dtype="int64")
    starts = np.cumsum(count_array) - count_array
    index = np.arange(len(created), dtype="int64") - np.repeat(starts, count_array)
    image_array = np.asarray(images, dtype=object)
    image_array[image_array == ""] = None  # reference tags record no image
    return _frame(HISTORY_COLUMNS, {
        "namespace": _grouped_category(namespaces, count_array),
        "stream": _grouped_category(streams, count_array),
        "tag": _grouped_category(tags, count_array),
        "index": index,
        "created": _times(sim, created),
        "image": _text(image_array),
        "reference": _text(references),
        "generation": np.asarray(generations, dtype="int64"),
    })


def events_frame(sim: Simulation) -> pd.DataFrame:
    """The event log, one row per event, sorted by ``seq`` (which also orders same-time events).

    Columns :data:`EVENT_COLUMNS`: ``seq`` (int64), ``time`` (datetime64[ns, UTC]), ``kind``,
    ``namespace`` and ``reason`` (categorical), ``subject``, ``digest``, ``previous``, ``message``
    (strings), ``warning`` (bool). Empty fields are missing (<NA>, or NaN in the categoricals).
    """
    import numpy as np

    events = list(sim.log)
    events.sort(key=lambda e: e.seq)

    def optional(values):
        return _text([v or None for v in values])

    return _frame(EVENT_COLUMNS, {
        "seq": np.asarray([e.seq for e in events], dtype="int64"),
        "time": _times(sim, [e.time for e in events]),
        "kind": _category([e.kind for e in events]),
        "subject": _text([e.subject for e in events]),
        "namespace": _category([e.namespace for e in events], empty_is_missing=True),
        "digest": optional([e.digest for e in events]),
        "previous": optional([e.previous for e in events]),
        "reason": _category([e.reason for e in events], empty_is_missing=True),
        "message": optional([e.message for e in events]),
        "warning": np.asarray([bool(e.warning) for e in events], dtype="bool"),
    })


def pods_frame(sim: Simulation) -> pd.DataFrame:
    """The pods of every workload now (deployer pods left out), sorted by namespace and pod.

    Columns :data:`POD_COLUMNS`: ``namespace``, ``kind`` (``DeploymentConfig``/``Deployment``),
    ``node`` and ``status`` (the STATUS column of ``oc get pods``) categorical; ``pod``,
    ``workload``, ``image`` (what the first container names) and ``image_id`` (the digest it runs,
    <NA> before its pull) strings; ``restarts`` (int64); ``ready`` (bool: every container ready);
    ``created`` (datetime64[ns, UTC]).
    """
    import numpy as np

    from .workload_manifests import pod_status

    now = sim.clock.now
    pods = sorted((p for p in sim.cluster.pods.values() if not p.deployer), key=lambda p: (p.namespace, p.name))
    columns: dict[str, list] = {name: [] for name in POD_COLUMNS}
    for pod in pods:
        status = pod_status(sim, pod, now)
        main = next((run for run in pod.containers if not run.init), pod.containers[0] if pod.containers else None)
        columns["namespace"].append(pod.namespace)
        columns["pod"].append(pod.name)
        columns["workload"].append(pod.workload)
        columns["kind"].append("DeploymentConfig" if pod.owner_kind == "ReplicationController" else "Deployment")
        columns["node"].append(pod.node)
        columns["image"].append(main.image if main is not None else None)
        columns["image_id"].append(main.image_id or None if main is not None else None)
        columns["status"].append(status.reason)
        columns["restarts"].append(status.restarts)
        columns["ready"].append(status.all_ready)
        columns["created"].append(pod.created)
    return _frame(POD_COLUMNS, {
        "namespace": _category(columns["namespace"]),
        "pod": _text(columns["pod"]),
        "workload": _text(columns["workload"]),
        "kind": _category(columns["kind"]),
        "node": _category(columns["node"]),
        "image": _text(columns["image"]),
        "image_id": _text(columns["image_id"]),
        "status": _category(columns["status"]),
        "restarts": np.asarray(columns["restarts"], dtype="int64"),
        "ready": np.asarray(columns["ready"], dtype="bool"),
        "created": _times(sim, columns["created"]),
    })


def images_frame(sim: Simulation) -> pd.DataFrame:
    """Every image the simulation knows (pushed to a registry or imported), one row per digest,
    sorted by ``created`` then ``digest``.

    Columns :data:`IMAGE_COLUMNS`: ``digest`` (string), ``repository`` (categorical: where it
    was first pushed), ``broken`` (bool), ``created`` (datetime64[ns, UTC]), ``size`` (bytes,
    int64), ``referenced_by`` (int64: the stream tag history items naming it plus the pod
    containers running it; 0 means pruning could remove it unless a registry tag keeps it).
    """
    import numpy as np

    known: dict[str, object] = {}
    for host in sorted(sim.registries):
        repositories = sim.registries[host].repositories
        for path in sorted(repositories):
            for digest, image in repositories[path].images.items():
                known.setdefault(digest, image)
    for digest, image in sim.server.images.items():
        known.setdefault(digest, image)
    references: dict[str, int] = {}
    for stream in sim.server.streams():
        for history in stream.status.values():
            for item in history.items:
                if item.image:
                    references[item.image] = references.get(item.image, 0) + 1
    for pod in sim.cluster.pods.values():
        for run in pod.containers:
            if run.image_id:
                references[run.image_id] = references.get(run.image_id, 0) + 1
    images = sorted(known.values(), key=lambda i: (i.created, i.digest))
    return _frame(IMAGE_COLUMNS, {
        "digest": _text([i.digest for i in images]),
        "repository": _category([i.repository for i in images]),
        "broken": np.asarray([i.broken for i in images], dtype="bool"),
        "created": _times(sim, [i.created for i in images]),
        "size": np.asarray([i.size for i in images], dtype="int64"),
        "referenced_by": np.asarray([references.get(i.digest, 0) for i in images], dtype="int64"),
    })



# ---------------------------------------------------------------------------------------------
# experiment frames (imagesim.experiments) — maintained with imagesim/experiments.py

def experiment_frame(records):
    """The tidy DataFrame of experiment records (:func:`imagesim.experiments.run_one` dicts): one
    row per run, in the order given, with the columns of
    :data:`imagesim.experiments.RECORD_COLUMNS`. Counts are integers, flags booleans, times and
    ``manual_every_hours`` floats (NaN where they do not apply), labels strings."""
    import pandas as pd

    from .experiments import METRICS, RECORD_COLUMNS

    rows = [[record.get(column) for column in RECORD_COLUMNS] for record in records]
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    floats = {"manual_every_hours"} | {m for m in METRICS if m.endswith("_minutes")}
    flags = {"via_stream", "scheduled", "automatic", "pinned", "recovered"}
    for column in RECORD_COLUMNS:
        if column in floats:
            frame[column] = frame[column].astype("float64")
        elif column in flags:
            frame[column] = frame[column].astype(bool)
        elif column in ("seed", "replicas") or column in METRICS:
            frame[column] = frame[column].astype("int64")
    return frame
