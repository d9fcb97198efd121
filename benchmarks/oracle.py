"""The reference workload written idiomatically in SimPy: the oracle and the baseline.

Every image stream is a process that wakes up every 15 minutes (counted from its creation at
time 0) and asks its upstream tag for the image it points at; when that differs from the head of
the stream's history, it adds a history item and fires the stream's "changed" event. Every
DeploymentConfig is a process that waits on its stream's "changed" event and counts a rollout each
time it fires (plus the first rollout at creation, the stream having an image by then). Upstream
is a table of push times: a check at time t sees the last push at or before t.

Same inputs as :func:`benchmarks.workload.plan`, same outputs as
:func:`benchmarks.workload.results`: each stream's history as ``(created, push index)`` oldest
first, and each DeploymentConfig's rollout count. SimPy is a benchmark-only dependency.
"""

from __future__ import annotations

import simpy

from .workload import Plan

__all__ = ["INTERVAL", "Oracle", "build", "results", "run"]

#: Scheduled import checks happen this often (imagesim's ``IMPORT_INTERVAL``).
INTERVAL = 900


class Upstream:
    """The upstream tags: push index of the image each tag points at, as time goes on."""

    def __init__(self, pushes: list[list[int]]) -> None:
        self.pushes = pushes
        self.seen = [0] * len(pushes)  # pushes of tag i at or before the last lookup

    def current(self, i: int, now: int) -> int:
        """The push index tag ``i`` points at, at ``now`` (0: the image it had at time 0)."""
        times = self.pushes[i]
        k = self.seen[i]
        while k < len(times) and times[k] <= now:
            k += 1
        self.seen[i] = k
        return k


class Oracle:
    """The SimPy model, built and ready to run."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.env = simpy.Environment()
        self.upstream = Upstream(plan.pushes)
        # every stream imports its tag's image when it is created at time 0
        self.histories: list[list[tuple[int, int]]] = [[(0, 0)] for _ in range(plan.n)]
        self.changed = [self.env.event() for _ in range(plan.n)]
        self.rollouts = [0] * plan.m
        for i in range(plan.n):
            self.env.process(self.stream(i))
        for j, i in enumerate(plan.dc_stream):
            self.env.process(self.deployment_config(j, i))

    def stream(self, i: int):
        env, history, upstream = self.env, self.histories[i], self.upstream
        while True:
            yield env.timeout(INTERVAL)
            k = upstream.current(i, env.now)
            if k != history[-1][1]:
                history.append((env.now, k))
                event, self.changed[i] = self.changed[i], env.event()
                event.succeed(k)

    def deployment_config(self, j: int, i: int):
        self.rollouts[j] += 1  # created with its stream tag resolved: the first rollout
        while True:
            yield self.changed[i]
            self.rollouts[j] += 1


def build(plan: Plan) -> Oracle:
    return Oracle(plan)


def run(oracle: Oracle) -> None:
    """Run through the plan's last second (SimPy's ``until`` is exclusive)."""
    oracle.env.run(until=oracle.plan.until + 1)


def results(oracle: Oracle) -> tuple[list[list[tuple[int, int]]], list[int]]:
    return oracle.histories, oracle.rollouts
