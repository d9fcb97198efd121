"""The networkx view (``imagesim.graph``): the graph's shape, blast radius and explain.

Blast-radius predictions are checked against what the simulation then does: push, advance, and
look at the log and the workloads.
"""

from __future__ import annotations

import gc
import time
from collections import Counter

import pytest

nx = pytest.importorskip("networkx")

from imagesim import Invalid, NotFound, Simulation, scenarios  # noqa: E402
from imagesim.graph import (  # noqa: E402
    _assemble,
    _Builder,
    blast_radius,
    build_graph,
    explain,
    image_node,
    istag_node,
    pod_node,
    upstream_node,
    workload_node,
)

NS = "myproject"
MONGO = "docker.io/centos/mongodb-32-centos7:latest"
MONGO_NODE = "upstream:" + MONGO
D1 = "sha256:" + "a1" * 32
D2 = "sha256:" + "a2" * 32
D3 = "sha256:" + "a3" * 32


def must(sim: Simulation, *commands: str) -> None:
    for command in commands:
        result = sim.oc(command)
        assert result.ok, f"oc {command}\n{result}"


def live_pods(sim: Simulation, workload: str) -> list:
    return sorted((p for p in sim.cluster.pods.values()
                   if p.workload == workload and not p.deployer and p.deleted < 0), key=lambda p: p.name)


# -------------------------------------------------------------------------------------------
# worlds

def small_world() -> Simulation:
    """quay.io/acme/web:latest (D1, then D2), ``web:latest`` scheduled, ``web:prod`` tracking it,
    DC ``front`` on ``web:prod``: after the second push was imported and rolled out."""
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/web:latest", digest=D1)
    must(sim, "tag --source=docker quay.io/acme/web:latest web:latest --scheduled",
         "tag --alias web:latest web:prod",
         "new-app web:prod --as-deployment-config --name=front")
    sim.advance("5m")
    sim.push("quay.io/acme/web:latest", digest=D2)
    sim.advance("20m")
    return sim


@pytest.fixture
def mongo() -> Simulation:
    """The catalog, plus every way of consuming docker.io/centos/mongodb-32-centos7:latest:

    - ``mongo:latest`` imports it with scheduled import; ``mongo:stable`` tracks it (alias);
    - ``snap:v1`` is a snapshot (ImageStreamImage) of ``openshift/mongodb:3.2``, which imports
      the same tag without scheduled import (``openshift/mongodb:latest`` tracks 3.2);
    - DC ``auto`` (automatic trigger) and DC ``manual`` (manual trigger) on ``mongo:latest``;
    - Deployment ``viaalias`` on ``mongo:stable``, Deployment ``catalog`` on ``openshift/mongodb:3.2``;
    - Deployment ``direct`` names the upstream tag itself (pull policy Always).
    """
    sim = scenarios.openshift_catalog()
    must(sim, f"tag --source=docker {MONGO} mongo:latest --scheduled",
         "tag --alias mongo:latest mongo:stable",
         "tag openshift/mongodb:3.2 snap:v1",
         "new-app mongo:latest --name=auto --as-deployment-config",
         "new-app mongo:latest --name=manual --as-deployment-config",
         "set triggers dc/manual --manual",
         "new-app mongo:stable --name=viaalias",
         "new-app openshift/mongodb:3.2 --name=catalog",
         f"create deployment direct --image={MONGO}")
    sim.advance("2m")
    return sim


# -------------------------------------------------------------------------------------------
# the graph

def test_graph_shape_of_a_small_world() -> None:
    sim = small_world()
    g = build_graph(sim)
    assert isinstance(g, nx.MultiDiGraph)
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    assert kinds == {"Registry": 5, "Repository": 1, "UpstreamTag": 1, "Image": 2, "ImageStream": 1,
                     "ImageStreamTag": 2, "DeploymentConfig": 1, "ReplicationController": 2, "Pod": 1}
    relations = Counter(d["relation"] for _, _, d in g.edges(data=True))
    assert relations == {"repository_of": 1, "tag_of": 3, "stored_in": 2, "points_at": 3, "history": 4,
                         "imports_from": 1, "tracks": 1, "triggers": 1, "uses": 2, "rs_of": 2, "pod_of": 1,
                         "runs": 1, "pulled_from": 1}
    # every edge key starts with its relation; every node is described
    assert all(k.split(":")[0] == d["relation"] for _, _, k, d in g.edges(keys=True, data=True))
    assert all(d.get("kind") and d.get("label") for _, d in g.nodes(data=True))

    latest, prod = istag_node(NS, "web", "latest"), istag_node(NS, "web", "prod")
    upstream = upstream_node("quay.io/acme/web:latest")
    assert upstream == "upstream:quay.io/acme/web:latest"
    assert g.nodes[upstream]["digest"] == D2
    assert g.nodes[latest]["scheduled"] is True and g.nodes[latest]["image"] == D2
    assert g.edges[latest, upstream, "imports_from"]["scheduled"] is True
    assert g.edges[prod, latest, "tracks"]["follows"] is True
    assert g.edges[latest, image_node(D2), "history:0"]["index"] == 0
    assert g.edges[latest, image_node(D1), "history:1"]["created"] == 0
    assert g.edges[latest, image_node(D2), "history:0"]["created"] == 900  # the scheduled check
    assert g.has_edge(latest, image_node(D2), "points_at")

    dc = workload_node("DeploymentConfig", NS, "front")
    assert dc == "dc:myproject/front"
    trigger = g.edges[dc, prod, "triggers:0"]
    assert trigger["automatic"] is True and trigger["paused"] is False and trigger["containers"] == ("front",)
    assert g.nodes["rc:myproject/front-2"]["cause"] == "image change"
    assert g.has_edge("rc:myproject/front-1", dc, "rs_of") and g.has_edge("rc:myproject/front-2", dc, "rs_of")
    (pod,) = [n for n, d in g.nodes(data=True) if d["kind"] == "Pod"]
    assert pod.startswith(pod_node(NS, "front-2-"))
    assert g.has_edge(pod, "rc:myproject/front-2", "pod_of")
    assert g.edges[pod, image_node(D2), "runs:front"]["container"] == "front"
    assert g.has_edge(pod, "registry:quay.io", "pulled_from:front")
    assert g.has_edge(pod, image_node(D2), "uses:front")  # the template names the digest
    assert g.graph == {"time": sim.time, "timestamp": "2025-03-03T09:25:00Z", "seed": 0}


def test_graph_is_what_add_edges_from_builds() -> None:
    sim = scenarios.scheduled_trigger()
    sim.advance("1h30m")
    fast = build_graph(sim)
    builder = _Builder(sim, sim.time)
    builder.registries()
    builder.streams()
    builder.workloads()
    slow = nx.MultiDiGraph(time=sim.time, timestamp=sim.clock.timestamp(sim.time), seed=sim.seed)
    slow.add_nodes_from(builder.nodes.items())
    slow.add_edges_from(builder.edges)
    assert nx.utils.graphs_equal(fast, slow)
    assert list(fast.nodes) == list(slow.nodes)
    # and the storage is the one networkx keeps: succ and pred share the key dicts
    u, v, k = next(iter(fast.edges(keys=True)))
    assert fast._succ[u][v] is fast._pred[v][u]
    empty = nx.MultiDiGraph()
    _assemble(empty, {"a": {"kind": "x"}}, [("a", "b", "k", {"relation": "k"})])
    assert dict(empty.nodes(data=True)) == {"a": {"kind": "x"}, "b": {}}


def test_graph_is_deterministic_and_the_facade_builds_it() -> None:
    one, two = small_world(), small_world()
    g1, g2 = one.graph(), build_graph(two)
    assert list(g1.nodes(data=True)) == list(g2.nodes(data=True))
    assert list(g1.edges(keys=True, data=True)) == list(g2.edges(keys=True, data=True))


def test_graph_at_an_earlier_time() -> None:
    sim = small_world()
    before = build_graph(sim, at="4m")  # after the first rollout, before the second push
    assert before.graph["time"] == 240
    assert before.nodes[upstream_node("quay.io/acme/web:latest")]["digest"] == D1
    assert image_node(D2) not in before
    latest = istag_node(NS, "web", "latest")
    assert before.nodes[latest]["image"] == D1 and before.nodes[latest]["items"] == 1
    assert "rc:myproject/front-2" not in before and "rc:myproject/front-1" in before
    with pytest.raises(ValueError, match="future"):
        build_graph(sim, at="2h")


def test_placeholders_for_things_named_but_missing() -> None:
    sim = Simulation(seed=0)
    must(sim, "create deployment ghost --image=quay.io/nowhere/ghost:1")
    g = build_graph(sim)
    ghost = upstream_node("quay.io/nowhere/ghost:1")
    assert g.nodes[ghost]["exists"] is False and g.nodes[ghost]["kind"] == "UpstreamTag"
    assert g.has_edge("deploy:myproject/ghost", ghost, "uses:ghost")
    assert g.has_edge(ghost, "repo:quay.io/nowhere/ghost", "tag_of")
    (pod,) = [n for n, d in g.nodes(data=True) if d["kind"] == "Pod"]
    assert g.nodes[pod]["waiting"] is True
    assert not any(k.startswith("runs") for _, _, k in g.out_edges(pod, keys=True))


def test_a_tag_copied_from_another_stream_is_described_and_does_not_follow() -> None:
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/web:latest", digest=D1)
    stream = {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream"}
    sim.apply([  # "aaa" is built before the stream it copies from: its placeholder is replaced
        dict(stream, metadata={"name": "zzz"}, spec={"tags": [{
            "name": "latest", "from": {"kind": "DockerImage", "name": "quay.io/acme/web:latest"},
            "importPolicy": {"scheduled": True}}]}),
        dict(stream, metadata={"name": "aaa"}, spec={"tags": [{
            "name": "copy", "from": {"kind": "ImageStreamTag", "name": "zzz:latest"}}]})])
    g = build_graph(sim)
    source, copy = istag_node(NS, "zzz", "latest"), istag_node(NS, "aaa", "copy")
    assert g.nodes[source]["exists"] is True and g.nodes[source]["scheduled"] is True
    assert g.edges[copy, source, "tracks"] == {"relation": "tracks", "follows": False, "source": "zzz:latest"}
    br = blast_radius(sim, "quay.io/acme/web:latest", graph=g)
    assert br.stream_tags == [source]
    assert br.shielded == {copy: "copied from myproject/zzz:latest when its spec was written: does not follow it"}
    assert "copied-once" in explain(sim, "istag/aaa:copy").codes


@pytest.mark.parametrize("ref", [
    "centos/mongodb-32-centos7", "nginx", "nginx:1.25", "docker.io/library/nginx:latest", "localhost/a:1",
    "localhost:5000/a/b:c", "registry:5000/x", "UPPER/case", "index.docker.io/library/nginx", "Quay.io/a/b:T",
    "quay.io/a/b@sha256:" + "a" * 64, "quay.io/a/b:1@sha256:" + "b" * 64, "a__b/c-d.e:v1.0-rc_1",
    "image-registry.openshift-image-registry.svc:5000/myproject/web:latest",
])
def test_the_fast_reference_split_agrees_with_the_grammar(ref: str) -> None:
    from imagesim.graph import _split
    from imagesim.importer import upstream_key

    assert _split(ref) == upstream_key(ref)


def test_the_fast_reference_split_refuses_what_the_grammar_refuses() -> None:
    from imagesim.graph import _split

    assert _split("a:b:c") is None and _split(" ") is None and _split("web@sha256:abc") is None


# -------------------------------------------------------------------------------------------
# blast radius

def test_blast_radius_membership(mongo: Simulation) -> None:
    br = blast_radius(mongo, MONGO)
    reached, shielded = br.reached, br.shielded
    assert br.stream_tags == ["istag:myproject/mongo:latest", "istag:myproject/mongo:stable"]
    assert br.workloads == ["dc:myproject/auto", "deploy:myproject/direct", "deploy:myproject/viaalias"]
    auto_pods = [pod_node(NS, p.name) for p in live_pods(mongo, "auto")]
    direct_pods = [pod_node(NS, p.name) for p in live_pods(mongo, "direct")]
    alias_pods = [pod_node(NS, p.name) for p in live_pods(mongo, "viaalias")]
    assert br.pods == sorted(auto_pods + direct_pods + alias_pods)
    # why each one is shielded
    assert shielded["istag:openshift/mongodb:3.2"].startswith("no scheduled import: reached only at the next "
                                                              "manual import")
    assert shielded["istag:openshift/mongodb:latest"] == "alias of openshift/mongodb:3.2, which is shielded"
    assert shielded["istag:myproject/snap:v1"].startswith("pinned by digest (snapshot of openshift/mongodb@")
    assert shielded["dc:myproject/manual"] == "manual trigger (automatic: false)"
    assert shielded["deploy:myproject/catalog"] == "automatic trigger, but openshift/mongodb:3.2 is shielded"
    assert set(reached) | set(shielded) == {h.node for h in br.hits}
    assert not set(reached) & set(shielded)
    # the paths: through the alias and the triggers
    assert br.hit("istag:myproject/mongo:stable").via == "istag:myproject/mongo:latest"
    assert br.hit("deploy:myproject/viaalias").via == "istag:myproject/mongo:stable"
    assert br.hit("dc:myproject/auto").why == "automatic trigger: rollout"
    assert {br.hit(p).via for p in auto_pods} == {"dc:myproject/auto"}


def test_a_scheduled_tag_is_hit_at_the_next_grid_point_and_the_rollout_follows(mongo: Simulation) -> None:
    br = blast_radius(mongo, MONGO)
    schedule = mongo.importer.schedules[(NS, "mongo")]
    expected = mongo.importer.next_grid(schedule, mongo.time)
    assert expected > mongo.time and (expected - schedule.anchor) % 900 == 0
    when = br.reached
    assert when["istag:myproject/mongo:latest"] == expected
    assert when["istag:myproject/mongo:stable"] == expected  # the alias moves with it
    assert when["dc:myproject/auto"] == expected  # the trigger fires at the import
    assert all(when[pod_node(NS, p.name)] == expected for p in live_pods(mongo, "auto"))
    assert when["deploy:myproject/direct"] is None  # at the pods' next start
    # now do it: the prediction is what happens
    new = mongo.push(MONGO)
    mongo.advance("16m")
    imports = [e for e in mongo.log if e.kind == "import" and e.digest == new]
    assert [(e.subject, e.time) for e in imports] == [("myproject/mongo:latest", expected)]
    rollouts = {e.subject: e.time for e in mongo.log if e.kind == "rollout" and e.time >= expected}
    assert rollouts == {"myproject/auto": expected, "myproject/viaalias": expected}
    assert mongo.cluster.workload("DeploymentConfig", NS, "manual").revision == 1
    assert mongo.stream("mongodb", "openshift").head("3.2").image != new  # shielded: not imported


def test_a_direct_reference_is_reached_at_the_next_pod_start(mongo: Simulation) -> None:
    br = blast_radius(mongo, MONGO)
    (pod,) = live_pods(mongo, "direct")
    hit = br.hit(pod_node(NS, pod.name))
    assert (hit.status, hit.when, hit.via) == ("next-start", None, "deploy:myproject/direct")
    assert hit.why == "pull policy Always: pulls the tag again at its next start"
    new = mongo.push(MONGO)
    mongo.advance("1m")
    assert pod.containers[0].image_id != new  # running pods keep what they pulled
    assert mongo.oc(f"delete pod {pod.name}").ok
    mongo.advance("1m")
    (replacement,) = live_pods(mongo, "direct")
    assert replacement.containers[0].image_id == new


def test_an_if_not_present_pod_on_a_tag_is_shielded_by_the_node_cache() -> None:
    sim = scenarios.openshift_catalog()
    must(sim, "create deployment cached --image=docker.io/library/nginx:1.25")
    sim.advance("1m")
    br = blast_radius(sim, "nginx:1.25")
    (pod,) = live_pods(sim, "cached")
    why = br.shielded[pod_node(NS, pod.name)]
    assert why == f"pull policy IfNotPresent: keeps the copy of the tag cached on {pod.node}"


def test_an_outage_delays_the_scheduled_hit(mongo: Simulation) -> None:
    schedule = mongo.importer.schedules[(NS, "mongo")]
    mongo.outage("docker.io", duration="1h")
    end = mongo.time + 3600
    br = blast_radius(mongo, MONGO)
    hit = br.hit("istag:myproject/mongo:latest")
    assert hit.when == mongo.importer.next_grid(schedule, end)
    assert "docker.io is down until" in hit.why


def test_blast_radius_output_is_a_deterministic_tree(mongo: Simulation) -> None:
    g = build_graph(mongo)
    text = str(blast_radius(mongo, MONGO, graph=g))
    assert text == repr(blast_radius(mongo, "centos/mongodb-32-centos7", graph=g))  # normalized
    lines = text.splitlines()
    assert lines[0] == ("Blast radius of a push to docker.io/centos/mongodb-32-centos7:latest "
                        "(now sha256:d4dc006a25db) at 2025-03-04T07:02:00Z")
    assert lines[1].split() == ["STATUS", "WHEN", "OBJECT", "WHY"]
    assert "\n  reached     2025-03-04T07:15:00Z (+13m)  istag myproject/mongo:latest  " in text
    assert "    istag myproject/mongo:stable" in text  # indented under its source
    assert lines[-1] == "reached: 2 stream tags, 3 workloads, 3 pods; shielded: 5"
    html = blast_radius(mongo, MONGO, graph=g)._repr_html_()
    assert html.startswith("<div><p><b>Blast radius") and html.count("<tr>") == len(lines) - 2


def test_blast_radius_of_an_unknown_tag_and_of_a_digest(mongo: Simulation) -> None:
    br = blast_radius(mongo, "quay.io/nobody/nothing:1")
    assert br.hits == [] and "nothing imports, tracks or runs this tag" in str(br)
    with pytest.raises(Invalid):
        blast_radius(mongo, "docker.io/library/nginx@" + D1)


def test_a_rollback_shields_the_workload_until_triggers_are_re_enabled() -> None:
    sim = scenarios.scheduled_trigger()
    sim.advance("1h30m")  # the broken image was imported and web-2 failed
    must(sim, "rollback web")
    br = blast_radius(sim, "docker.io/gists/lighttpd:latest")
    assert br.shielded["dc:myproject/web"].startswith("manual trigger (automatic: false) since oc rollback at ")
    must(sim, "set triggers dc/web --auto")
    assert blast_radius(sim, "docker.io/gists/lighttpd:latest").hit("dc:myproject/web").status == "reached"


# -------------------------------------------------------------------------------------------
# explain

def test_explain_chain_newest_first(mongo: Simulation) -> None:
    new = mongo.push(MONGO)
    mongo.advance("15m")
    ex = explain(mongo, "dc/auto")
    kinds = [s.kind for s in ex.chain]
    assert kinds == ["pod", "revision", "trigger", "history", "import", "push"]
    assert ex.chain[1].detail == "ReplicationController revision 2 (Complete, cause: image change)"
    assert ex.chain[3].detail.startswith("item 0: " + new[:19])
    assert ex.chain[4].detail.startswith(f"imported {new[:19]} from {MONGO}")
    assert ex.chain[5].subject == MONGO and ex.chain[5].detail.startswith(f"upstream pushed {new[:19]}")
    times = [s.time for s in ex.chain if s.time is not None]
    assert times == sorted(times, reverse=True)
    assert ex.status == "up to date" and ex.codes[0] == "up-to-date"
    (pod,) = live_pods(mongo, "auto")
    pod_chain = explain(mongo, f"pod/{pod.name}")
    assert [s.kind for s in pod_chain.chain][:3] == ["pod", "image", "revision"]
    assert new[:19] in pod_chain.chain[1].detail
    assert str(ex).splitlines()[0] == "explain dc/auto -n myproject: up to date"
    assert ex._repr_html_().startswith("<div><p><b>explain dc/auto -n myproject</b>")


def test_explain_scheduled_import_off(mongo: Simulation) -> None:
    new = mongo.push(MONGO)
    mongo.advance("1h")
    ex = explain(mongo, "deploy/catalog")
    assert ex.status.startswith("behind upstream: upstream docker.io/centos/mongodb-32-centos7:latest is "
                                + new[:19])
    reason = ex.reason("scheduled-import-off")
    assert reason.message.startswith("openshift/mongodb:3.2 is not scheduled (importPolicy.scheduled: false): "
                                     f"upstream {MONGO} moved to {new[:19]}")
    assert "oc import-image mongodb:3.2 -n openshift" in reason.message
    istag = explain(mongo, "istag/mongodb:latest", namespace="openshift")
    assert [s.kind for s in istag.chain] == ["history", "tracks", "history", "import", "push"]
    assert "scheduled-import-off" in istag.codes


def test_explain_import_failed() -> None:
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/web:latest", digest=D1)
    must(sim, "tag --source=docker quay.io/acme/web:latest web:latest --scheduled",
         "new-app web:latest --name=web")
    sim.advance("5m")
    sim.push("quay.io/acme/web:latest", digest=D2)
    sim.outage("quay.io", duration="2h")
    sim.advance("30m")
    ex = explain(sim, "istag/web:latest")
    history = sim.stream("web").status["latest"]
    (condition,) = history.conditions
    reason = ex.reason("import-failed")
    assert condition.reason == "InternalError"
    assert reason.message == (f"the last import of myproject/web:latest failed at "
                              f"{sim.clock.timestamp(condition.last_transition)}: InternalError: {condition.message}")
    assert "registry-unavailable" in ex.codes
    assert ex.reason("import-pending").message.startswith("the next scheduled check of myproject/web:latest at "
                                                         "2025-03-03T11:15:00Z")
    assert "import-failed" in explain(sim, "deploy/web").codes


def test_explain_manual_and_paused_triggers(mongo: Simulation) -> None:
    must(mongo, "new-app mongo:latest --name=held",
         "set triggers deploy/held --from-image=mongo:latest -c held --manual")
    mongo.advance("1m")
    new = mongo.push(MONGO)
    mongo.advance("15m")
    manual = explain(mongo, "dc/manual")
    assert manual.status.startswith("behind upstream: myproject/mongo:latest moved to " + new[:19])
    assert manual.reason("trigger-manual").message == (
        "the trigger on myproject/mongo:latest is manual (automatic: false): tag changes roll out only with "
        "oc rollout latest dc/manual")
    paused = explain(mongo, "deploy/held")
    assert paused.reason("trigger-paused").message.startswith("the trigger on myproject/mongo:latest is paused")
    assert paused.status.startswith("behind upstream")
    assert "trigger-manual" not in explain(mongo, "dc/auto").codes


def test_explain_a_rollback_that_disabled_the_trigger() -> None:
    sim = scenarios.scheduled_trigger()
    sim.advance("1h30m")  # web-2 (broken) failed
    must(sim, "rollback web")
    sim.advance("2h")  # the fixed image was pushed and imported; the trigger stays off
    ex = explain(sim, "dc/web")
    assert ex.codes[:1] == ["rollback-disabled-trigger"]
    message = ex.reason("rollback-disabled-trigger").message
    assert "set automatic: false on the trigger on myproject/lighttpd:latest" in message
    assert message.endswith("re-enable it with oc set triggers dc/web --auto")
    assert ex.status.startswith("behind upstream: myproject/lighttpd:latest moved to")
    assert "tag-moved-on" in ex.codes


def test_explain_a_failed_rollout_and_a_broken_image() -> None:
    sim = scenarios.scheduled_trigger()
    sim.advance("1h15m")  # the broken image was imported at 1h10m: web-2 is rolling out
    ex = explain(sim, "dc/web")
    assert "rollout-in-progress" in ex.codes
    sim.advance("15m")  # its 10-minute deadline passed
    ex = explain(sim, "dc/web")
    assert ex.reason("rollout-failed").message.startswith("revision 2 (web-2) failed at ")
    broken = scenarios.broken_upstream()
    broken.advance("3h")
    direct = explain(broken, "deploy/direct")
    assert "broken-image" in direct.codes and direct.status.startswith("in trouble: it runs the broken image")
    assert "direct-reference" in direct.codes
    assert explain(broken, "deploy/via-stream").reason("scheduled-import-off")


def test_explain_lookup_policy() -> None:
    sim = Simulation(seed=0)
    sim.push("quay.io/acme/web:latest", digest=D1)
    must(sim, "tag --source=docker quay.io/acme/web:latest web:latest",
         "create deployment bare --image=web:latest")
    ex = explain(sim, "deploy/bare")
    assert ex.reason("lookup-policy-off").message.startswith(
        "'web:latest' is a bare name, and image stream web has lookupPolicy.local false")
    assert "docker.io/library/web:latest" in ex.reason("lookup-policy-off").message
    must(sim, "set image-lookup web", "create deployment resolved --image=web:latest")
    resolved = explain(sim, "deploy/resolved")
    assert "lookup-resolved-once" in resolved.codes and "lookup-policy-off" not in resolved.codes


def test_explain_reference_policy_pull_through_and_outage() -> None:
    sim = scenarios.registry_outage()
    sim.advance("1h45m")  # docker.io down since 1h, worker-0 drained at 1h30m
    local = [p for p in live_pods(sim, "local-app")]
    source = [p for p in live_pods(sim, "source-app")]
    drained_at = sim.time - 15 * 60
    new_local = [p for p in local if p.created == drained_at]
    old_source = [p for p in source if p.created < drained_at]
    new_source = [p for p in source if p.created == drained_at]
    assert len(new_local) == len(new_source) == 1 and len(old_source) == 2
    ex = explain(sim, f"pod/{new_local[0].name}")
    assert ex.reason("reference-policy").message.startswith("myproject/local-app:latest has reference policy Local")
    assert ex.reason("pull-through-cache").message.startswith(
        f"{new_local[0].name} started during the docker.io outage (2025-03-04T08:05:00Z to 2025-03-04T10:05:00Z)")
    before = explain(sim, f"pod/{old_source[0].name}")
    assert before.reason("reference-policy").message.startswith(
        "myproject/source-app:latest has reference policy Source")
    assert before.reason("pulled-before-outage").message.startswith(f"{old_source[0].name} pulled sha256:")
    failing = explain(sim, f"pod/{new_source[0].name}")
    assert failing.reason("pull-failed").message.endswith("docker.io is down until 2025-03-04T10:05:00Z")
    assert failing.status.startswith("in trouble:")


def test_explain_targets_and_errors(mongo: Simulation) -> None:
    assert explain(mongo, "deployment/direct").target == "deploy/direct"
    assert explain(mongo, "istag/mongodb:3.2", namespace="openshift").namespace == "openshift"
    snapshot = explain(mongo, "istag/snap:v1")
    assert "pinned-by-digest" in snapshot.codes and [s.kind for s in snapshot.chain] == ["history", "snapshot"]
    with pytest.raises(Invalid):
        explain(mongo, "frontend")
    with pytest.raises(Invalid):
        explain(mongo, "svc/frontend")
    with pytest.raises(NotFound):
        explain(mongo, "dc/frontend")
    with pytest.raises(NotFound):
        explain(mongo, "istag/mongo:nope")
    with pytest.raises(NotFound):
        explain(mongo, "pod/nope")


# -------------------------------------------------------------------------------------------
# scale (``pytest -m slow``): a synthetic world built directly in the model

def big_world(streams: int = 10_000, deployments: int = 50_000, namespaces: int = 100) -> Simulation:
    """``streams`` image streams (``latest`` from its own upstream repository, every other one
    scheduled; ``stable`` tracking it) and ``deployments`` workloads (one in five a DC, one in
    three with a manual trigger), each with one RC/RS and one running pod."""
    from imagesim.imagestream import TagReference, resolve_reference
    from imagesim.workloads import (Container, ContainerRun, Deployment, DeploymentConfig, ImageChangeTrigger,
                                    Pod, PodTemplate, ReplicaSet)

    sim = Simulation(seed=0)
    per_ns = max(1, streams // namespaces)
    for i in range(streams):
        sim.push(f"quay.io/scale/app-{i}:latest")
    for i in range(streams):
        ns = f"ns-{i // per_ns}"
        sim.server.add_namespace(ns)
        sim.server.create(ns, f"app-{i}", [
            TagReference("latest", "DockerImage", f"quay.io/scale/app-{i}:latest", scheduled=i % 2 == 0),
            TagReference("stable", "ImageStreamTag", "latest")])
    sim._settle()
    cluster, now = sim.cluster, sim.time
    for n in range(deployments):
        i, j = n % streams, n // streams
        ns = f"ns-{i // per_ns}"
        stream = sim.server.find(ns, f"app-{i}")
        tag = "latest" if j % 2 == 0 else "stable"
        head = stream.head(tag)
        ref = resolve_reference(stream, tag, head)
        name = f"app-{i}-{j}"
        dc = j % 5 == 4
        template = PodTemplate({"app": name}, {}, [Container("app", ref, "IfNotPresent")])
        trigger = ImageChangeTrigger(f"app-{i}:{tag}", "", ["app"] if dc else [], automatic=j % 3 != 1,
                                     last_triggered_image=ref,
                                     field_path="" if dc else 'spec.template.spec.containers[?(@.name=="app")].image')
        w = (DeploymentConfig if dc else Deployment)(ns, name, now, template=template, triggers=[trigger],
                                                     revision=1, selector={"app": name})
        cluster.workloads[w.key] = w
        kind, rs_name = ("ReplicationController", f"{name}-1") if dc else ("ReplicaSet", f"{name}-7c9f5d")
        rs = ReplicaSet(kind, ns, rs_name, name, 1, template, now, replicas=1, phase="Complete")
        cluster.replicasets[(ns, rs_name)] = rs
        pod = Pod(ns, f"{rs_name}-x", rs_name, kind, name, "worker-0", now, {"app": name},
                  [ContainerRun("app", ref, "IfNotPresent", image_id=head.image, started=now + 5)])
        cluster.pods[(ns, pod.name)] = pod
        rs.pods.append(pod.name)
    return sim


@pytest.mark.slow
def test_scale_graph_and_blast_radius() -> None:
    sim = big_world()
    gc.collect()
    start = time.perf_counter()
    g = build_graph(sim)
    built = time.perf_counter() - start
    gc.collect()  # the build defers collection: pay for it here, not inside the queries
    assert g.number_of_nodes() == 5 + 10_000 * 4 + 10_000 * 2 + 3 * 50_000  # regs, repo/tag/image/is, istags, w/rs/pod
    tags = [n for n, d in g.nodes(data=True) if d["kind"] == "UpstreamTag"]
    blast_radius(sim, tags[0], graph=g)  # the rollback index is built once
    start = time.perf_counter()
    results = [blast_radius(sim, tag, graph=g) for tag in tags]
    per_tag = (time.perf_counter() - start) / len(tags)
    print(f"\nbuild_graph: {built:.2f}s for {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
          f"blast_radius: {per_tag * 1e6:.1f} us per tag")
    automatic = [w for w in sim.cluster.workloads.values() if w.triggers[0].automatic or w.kind == "Deployment"]
    scheduled = [w for w in automatic if (w.namespace, w.triggers[0].from_name.split(":")[0]) in sim.importer.schedules]
    assert sum(len(r.workloads) for r in results) == len(scheduled) == 20_000
    assert built < 10 and per_tag < 500e-6  # generous: shared CI machines; the report has the real numbers
