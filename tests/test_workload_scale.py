"""The engine's cost grows with what changes, not with simulated time (DESIGN.md "The engine"):
1,000 crash-looping Deployments cost the same number of processed events over 30 days as over one.
Events are counted (``sim.clock.processed``), never timed."""

from __future__ import annotations

from imagesim import Simulation
from imagesim.workloads import Container, Deployment, PodTemplate

COUNT = 1000
BROKEN = "docker.io/acme/crash:1"


def crash_looping(count: int = COUNT) -> Simulation:
    """``count`` one-replica Deployments (built through the Python API) whose image crashes."""
    sim = Simulation(seed=0)
    sim.push(BROKEN, broken=True)
    for i in range(count):
        name = f"app-{i}"
        sim.cluster.create(Deployment(sim.project, name, 0, selector={"app": name},
                                      template=PodTemplate({"app": name}, {}, [Container("app", BROKEN)])))
    sim._settle()
    return sim


def test_a_month_of_crash_loops_costs_the_same_events_as_a_day() -> None:
    day, month = crash_looping(), crash_looping()
    built = day.clock.processed
    assert built == month.clock.processed
    day.advance("1d")
    month.advance("30d")
    assert day.clock.processed == month.clock.processed
    # the work is per Deployment (its rollout's checks), not per crash or per day
    assert day.clock.processed - built <= 2 * COUNT
    pods = [p for p in month.cluster.pods.values() if not p.deployer]
    assert len(pods) == COUNT and all(p.containers[0].broken for p in pods)
    from imagesim.workloads import restarts_at

    restarts, _, _ = restarts_at(pods[0].containers[0].started, month.time)
    assert restarts > 8000  # the crash loop itself went on all month, in closed form
    assert {rs.phase for rs in month.cluster.replicasets.values()} == {"Stalled"}
