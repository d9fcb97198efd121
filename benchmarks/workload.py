"""The reference workload, and imagesim running it through the public API.

N image streams ``app-{i}``, each with one scheduled tag ``latest`` importing its own upstream tag
``registry-{i % R}.example.com/ns-{i % 97}/app-{i}:latest`` (R = max(5, N // 200)). Every upstream
tag has an image before the streams are created (at time 0), then upstream pushes at Poisson
times: gaps drawn tag by tag with ``random.Random(seed).expovariate``, mean ``gap_days``; a push
happens at the first whole second at or after its drawn time (never at 0) and up to the end of the
run. M DeploymentConfigs ``dc-{j}``, each with a ConfigChange and an automatic ImageChange trigger
on stream ``random.Random(seed + 1).randrange(N)`` (drawn in order j = 0..M-1), ``replicas`` pods.

Scheduled imports check every 15 minutes counted from each stream's creation (all at time 0); a
push is visible to a check at or after its time. Every change of a stream tag rolls out each of its
DeploymentConfigs; creating a DeploymentConfig whose tag has an image rolls it out once.

``plan`` draws the inputs (shared with the SimPy oracle), ``build`` makes the Simulation with
``sim.push``/``sim.apply``, ``run`` runs it with ``sim.run``, ``results`` reads back what the
oracle computes: each stream's history as ``(created, push index)`` oldest first (push index 0 is
the image present at time 0, k the k-th push after it), and each DeploymentConfig's rollouts.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

DAY = 86400
NAMESPACE = "myproject"
TAG = "latest"

__all__ = ["DAY", "Plan", "build", "plan", "results", "run", "stream_manifest", "dc_manifest"]


@dataclass(frozen=True)
class Plan:
    """The inputs of one run: sizes, the push times of every upstream tag, the DC -> stream map."""

    n: int
    m: int
    until: int  # seconds
    gap: float  # mean seconds between pushes
    seed: int
    pushes: list[list[int]]  # pushes[i]: the push times of upstream tag i, ascending
    dc_stream: list[int]  # dc_stream[j]: the stream DeploymentConfig j follows

    @property
    def registries(self) -> int:
        return max(5, self.n // 200)

    def upstream(self, i: int) -> str:
        return f"registry-{i % self.registries}.example.com/ns-{i % 97}/app-{i}:{TAG}"

    @property
    def push_count(self) -> int:
        return sum(len(p) for p in self.pushes)


def plan(n: int, m: int, days: float, gap_days: float | None = 7, seed: int = 0) -> Plan:
    """Draw the pushes and the DeploymentConfigs' streams for one run of ``days`` days
    (``gap_days=None``: upstream never pushes after time 0)."""
    until = int(days * DAY)
    gap = gap_days * DAY if gap_days is not None else math.inf
    rng = random.Random(seed)
    rate = 1.0 / gap
    pushes: list[list[int]] = []
    for _ in range(n):
        times: list[int] = []
        t = 0.0
        while gap_days is not None:
            t += rng.expovariate(rate)
            second = max(1, math.ceil(t))
            if second > until:
                break
            times.append(second)
        pushes.append(times)
    rng_dc = random.Random(seed + 1)
    dc_stream = [rng_dc.randrange(n) for _ in range(m)]
    return Plan(n, m, until, gap, seed, pushes, dc_stream)


def stream_manifest(p: Plan, i: int) -> dict:
    return {
        "apiVersion": "image.openshift.io/v1",
        "kind": "ImageStream",
        "metadata": {"name": f"app-{i}", "namespace": NAMESPACE},
        "spec": {"tags": [{
            "name": TAG,
            "from": {"kind": "DockerImage", "name": p.upstream(i)},
            "importPolicy": {"scheduled": True},
        }]},
    }


def dc_manifest(p: Plan, j: int, replicas: int) -> dict:
    stream = f"app-{p.dc_stream[j]}"
    labels = {"app": f"dc-{j}"}
    return {
        "apiVersion": "apps.openshift.io/v1",
        "kind": "DeploymentConfig",
        "metadata": {"name": f"dc-{j}", "namespace": NAMESPACE},
        "spec": {
            "replicas": replicas,
            "selector": dict(labels),
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": [{"name": "app", "image": f"{stream}:{TAG}"}]},
            },
            "triggers": [
                {"type": "ConfigChange"},
                {"type": "ImageChange", "imageChangeParams": {
                    "automatic": True,
                    "containerNames": ["app"],
                    "from": {"kind": "ImageStreamTag", "name": f"{stream}:{TAG}"},
                }},
            ],
        },
    }


class Built:
    """A built Simulation, the digests pushed to each upstream tag (index = push index), and how
    long each step of building took (seconds of CPU time)."""

    __slots__ = ("sim", "plan", "digests", "timings")

    def __init__(self, sim, p: Plan, digests: list[list[str]], timings: dict[str, float]) -> None:
        self.sim = sim
        self.plan = p
        self.digests = digests
        self.timings = timings


def build(p: Plan, replicas: int = 0) -> Built:
    """The Simulation of ``p``: images upstream, the streams and DeploymentConfigs applied at
    time 0 (each stream imports, each DeploymentConfig rolls out once), the pushes scheduled."""
    from imagesim import Simulation

    clock = time.process_time
    start = clock()
    sim = Simulation(seed=p.seed)
    sources = [p.upstream(i) for i in range(p.n)]
    digests = [[sim.push(source)] for source in sources]
    pushed = clock()
    making = [0.0]  # the time spent making manifests, while sim.apply reads them
    sim.apply(_made(lambda i: stream_manifest(p, i), p.n, making))
    sim.apply(_made(lambda j: dc_manifest(p, j, replicas), p.m, making))
    applied = clock()
    for i, times in enumerate(p.pushes):
        source, mine = sources[i], digests[i]
        for t in times:
            mine.append(sim.push(source, at=t))
    end = clock()
    timings = {"images": pushed - start, "manifests": making[0], "apply": applied - pushed - making[0],
               "pushes": end - applied}
    return Built(sim, p, digests, timings)


def _made(make, count: int, spent: list[float]):
    """``make(0)``, ..., ``make(count - 1)``, made a thousand at a time as they are read (a generator
    is applied a chunk at a time, so they are never all in memory); the time spent making them
    is added to ``spent[0]``."""
    clock = time.process_time
    for first in range(0, count, 1024):
        start = clock()
        batch = [make(k) for k in range(first, min(count, first + 1024))]
        spent[0] += clock() - start
        yield from batch
        del batch


def run(built: Built) -> None:
    """Run the simulation to the end of the plan (checks at the last second included)."""
    built.sim.run(until=built.plan.until)


def results(built: Built) -> tuple[list[list[tuple[int, int]]], list[int]]:
    """(history of every stream as ``(created, push index)`` oldest first, rollouts of every DC)."""
    sim, p = built.sim, built.plan
    histories = []
    for i in range(p.n):
        index = {digest: k for k, digest in enumerate(built.digests[i])}
        items = sim.stream(f"app-{i}", NAMESPACE).status[TAG].items
        histories.append([(item.created, index[item.image]) for item in reversed(items)])
    workloads = sim.cluster.workloads
    rollouts = [workloads[("DeploymentConfig", NAMESPACE, f"dc-{j}")].revision for j in range(p.m)]
    return histories, rollouts
