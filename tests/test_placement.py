"""Where the kubelet places new pods: the least loaded schedulable node (by name among equals),
remembered between changes of load or cordons and seen anew after each."""

from __future__ import annotations

from imagesim import Simulation
from imagesim.workloads import Container, Deployment, PodTemplate


def test_the_kubelet_places_on_the_least_loaded_schedulable_node_as_loads_and_cordons_change() -> None:
    """Placement is remembered between changes; every load or cordon change is seen at once."""
    sim = Simulation(seed=0)
    sim.push("quay.io/team/app:1")
    kubelet = sim.cluster.kubelet

    def fresh_answer() -> str:  # what place() answers when it remembers nothing
        kubelet._placed = None  # noqa: SLF001
        return kubelet.place()

    assert kubelet.place() == fresh_answer() == "worker-0"
    for i in range(4):
        sim.cluster.create(Deployment(sim.project, f"app-{i}", 0, selector={"app": f"app-{i}"}, replicas=1,
                                      template=PodTemplate({"app": f"app-{i}"}, {}, [Container("app", "quay.io/team/app:1")])))
        sim._settle()
        assert kubelet.place() == fresh_answer()
    assert sorted(kubelet.load.items()) == [("worker-0", 2), ("worker-1", 1), ("worker-2", 1)]
    assert kubelet.place() == "worker-1"
    sim.oc("adm cordon worker-1")
    assert kubelet.place() == fresh_answer() == "worker-2"
    assert "worker-1" in kubelet.cordoned
    sim.oc("adm uncordon worker-1")
    assert kubelet.place() == fresh_answer() == "worker-1"
    sim.oc("delete deployment app-0")
    sim.advance("1m")
    assert kubelet.place() == fresh_answer()
    for node in ("worker-0", "worker-1", "worker-2"):
        sim.oc(f"adm cordon {node}")
    assert kubelet.place() == fresh_answer() == ""  # every node cordoned: the pod stays Pending
