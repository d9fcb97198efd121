"""Saved labs: one JSON file with the simulation's inputs, its state and its event log.

Loading replays the inputs (the journal) on a fresh simulation and checks that the result is
the state and log that were saved, so a loaded lab prints the same ``oc`` output as the original
and goes on producing the same future. A file from a newer format, a truncated or an edited
file is refused with a clear error, and nothing half-loaded is returned.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from .errors import ImageSimError, SavedLabError
from .journal import Entry, replay
from .manifests import stream_to_manifest

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = ["FORMAT", "FORMAT_VERSION", "load", "save", "state_of"]

FORMAT = "imagesim-lab"
FORMAT_VERSION = 1
_MAX_BYTES = 200 * 1024 * 1024


def state_of(sim: Simulation) -> dict:
    """What a saved lab records of the state: streams, workloads, pods, the clock and the log."""
    cluster = sim.cluster
    return {
        "time": sim.clock.now,
        "project": sim.project,
        "imagestreams": [stream_to_manifest(s, sim.clock) for s in sim.server.streams()],
        "workloads": [[w.kind, w.namespace, w.name, w.revision, w.template.images(),
                       [[t.from_name, t.automatic, t.paused, t.last_triggered_image] for t in w.triggers]]
                      for w in cluster.list("workload", None)],
        "pods": [[p.namespace, p.name, p.node, p.created, p.deleted, [c.image_id for c in p.containers]]
                 for p in cluster.list("pod", None)],
        "log": [[e.seq, e.time, e.kind, e.subject, e.namespace, e.digest, e.previous, e.reason, e.message,
                 e.warning] for e in sim.log],
    }


def _fingerprint(state: dict) -> str:
    blob = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def save(sim: Simulation, path: Any) -> None:
    if sim._view_at is not None:
        raise SavedLabError("a view of the past cannot be saved: save the simulation itself")
    state = state_of(sim)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "journal": [e.to_json() for e in sim.journal],
        "fingerprint": _fingerprint(state),
        "state": state,
    }
    text = json.dumps(document, indent=1, sort_keys=True)
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def load(path: Any) -> Simulation:
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise SavedLabError(f"cannot read saved lab {os.fspath(path)!r}: {err.strerror}") from None
    if size > _MAX_BYTES:
        raise SavedLabError(f"saved lab {os.fspath(path)!r} is larger than 200 MiB")
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise SavedLabError(f"saved lab {os.fspath(path)!r} is not valid JSON (truncated or damaged?): {err}") from None
    except RecursionError:
        raise SavedLabError(f"saved lab {os.fspath(path)!r} is not a saved lab: nested too deeply") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SavedLabError(f"{os.fspath(path)!r} is not an imagesim saved lab")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SavedLabError(f"saved lab {os.fspath(path)!r} has no format version")
    if version > FORMAT_VERSION:
        raise SavedLabError(f"saved lab {os.fspath(path)!r} uses format version {version}, newer than this "
                            f"imagesim understands ({FORMAT_VERSION}): upgrade imagesim to load it")
    try:
        entries = [Entry.from_json(e) for e in document.get("journal") or []]
        sim = replay(entries)
        fingerprint = _fingerprint(state_of(sim))
    except (ImageSimError, ValueError, TypeError, KeyError) as err:
        raise SavedLabError(f"saved lab {os.fspath(path)!r} cannot be replayed: {err}") from None
    except Exception as err:  # noqa: BLE001 - a damaged file must not leak a half-built simulation
        raise SavedLabError(f"saved lab {os.fspath(path)!r} cannot be replayed: internal error "
                            f"{type(err).__name__}: {err}") from None
    if fingerprint != document.get("fingerprint"):
        raise SavedLabError(f"saved lab {os.fspath(path)!r} does not replay to the state it recorded: "
                            "the file was edited or is damaged")
    sim.journal = entries
    return sim
