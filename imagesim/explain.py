"""Explain: why a workload, pod or stream tag runs what it runs, and why it did not follow upstream.

:func:`explain` walks back from the object through its pods, revisions, triggers, stream tags,
imports and upstream pushes (the causal chain, newest first) and collects the reasons it is
behind or shielded (scheduled import off, a manual or paused trigger, a failed rollout, an
outage, a pin by digest, ...), each with a stable code. ``from imagesim.graph import explain``
works too.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, NamedTuple

from .errors import Invalid, NotFound
from .graph import (
    _RS_PREFIX,
    _short,
    _split,
    _trigger_containers,
    _when,
    next_import_check,
    rollback_disabled,
)
from .imagestream import resolve_reference
from .reference import ImageReference, split_istag
from .registry import INTERNAL_REGISTRY

if TYPE_CHECKING:
    from .events import Event
    from .imagestream import ImageStream, TagEvent
    from .simulation import Simulation
    from .workloads import ImageChangeTrigger, Pod, ReplicaSet, Workload

__all__ = ["Explanation", "Reason", "Step", "explain"]

_SHORT_KIND = {"ImageStreamTag": "istag", "DeploymentConfig": "dc", "Deployment": "deploy", "Pod": "pod"}


class Step(NamedTuple):
    """One link of a causal chain: when, what kind of link, the object, what it says."""

    time: int | None
    kind: str
    subject: str
    detail: str


class Reason(NamedTuple):
    """Why something did not (or will not) follow upstream; ``code`` is stable for checks."""

    code: str
    message: str


class Explanation:
    """The causal chain behind what an object runs now (newest first) and the reasons it did
    not follow upstream. ``codes`` lists the reasons' codes."""

    __slots__ = ("target", "namespace", "status", "chain", "reasons", "_start")

    def __init__(self, target: str, namespace: str, status: str, chain: list[Step], reasons: list[Reason],
                 start) -> None:
        self.target = target
        self.namespace = namespace
        self.status = status
        self.chain = tuple(chain)
        self.reasons = tuple(reasons)
        self._start = start

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def reason(self, code: str) -> Reason:
        for r in self.reasons:
            if r.code == code:
                return r
        raise KeyError(code)

    def __str__(self) -> str:
        lines = [f"explain {self.target} -n {self.namespace}: {self.status}", "Causal chain (newest first):"]
        width = max((len(s.kind) for s in self.chain), default=0)
        for s in self.chain:
            when = _when(self._start, s.time) if s.time is not None else "-".ljust(20)
            lines.append(f"  {when}  {s.kind.ljust(width)}  {s.subject}: {s.detail}")
        lines.append("Why it did not follow upstream:" if self.status.startswith("behind")
                     else "What keeps it from following upstream by itself:")
        for r in self.reasons:
            lines.append(f"  - [{r.code}] {r.message}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        e = html.escape
        out = [f"<div><p><b>explain {e(self.target)} -n {e(self.namespace)}</b>: {e(self.status)}</p>",
               "<table><tr><th>when</th><th>link</th><th>object</th><th>detail</th></tr>"]
        for s in self.chain:
            out.append(f"<tr><td>{e(_when(self._start, s.time) or '-')}</td><td>{e(s.kind)}</td>"
                       f'<td style="text-align:left">{e(s.subject)}</td>'
                       f'<td style="text-align:left">{e(s.detail)}</td></tr>')
        out.append("</table><ul>")
        for r in self.reasons:
            out.append(f"<li><code>{e(r.code)}</code> {e(r.message)}</li>")
        out.append("</ul></div>")
        return "".join(out)


_TARGET_KINDS = {
    "dc": "DeploymentConfig", "deploymentconfig": "DeploymentConfig", "deploymentconfigs": "DeploymentConfig",
    "deploy": "Deployment", "deployment": "Deployment", "deployments": "Deployment",
    "po": "Pod", "pod": "Pod", "pods": "Pod",
    "istag": "ImageStreamTag", "imagestreamtag": "ImageStreamTag", "imagestreamtags": "ImageStreamTag",
}


def explain(sim: Simulation, target: str, namespace: str | None = None) -> Explanation:
    """Why ``target`` (``dc/NAME``, ``deploy/NAME``, ``pod/NAME`` or ``istag/STREAM:TAG``, in
    ``namespace``, default the current project) runs what it runs, and why it did not follow
    upstream."""
    ns = namespace or sim.project
    kind_text, sep, name = target.partition("/")
    kind = _TARGET_KINDS.get(kind_text.lower())
    if not sep or not name or kind is None:
        raise Invalid(f"explain takes dc/NAME, deploy/NAME, pod/NAME or istag/STREAM:TAG, not {target!r}",
                      reason="BadRequest")
    ex = _Explainer(sim, ns)
    if kind == "Pod":
        pod = sim.cluster.pods.get((ns, name))
        if pod is None or pod.deployer:
            raise NotFound(f'pods "{name}" not found')
        ex.pod(pod)
    elif kind == "ImageStreamTag":
        stream_name, tag, has_tag = split_istag(name)
        stream = sim.server.find(ns, stream_name)
        if not has_tag or stream is None or tag not in stream.spec and tag not in stream.status:
            raise NotFound(f'imagestreamtags.image.openshift.io "{name}" not found')
        head = stream.head(tag)
        ex.istag(stream, tag, head.image if head else "")
    else:
        ex.workload(sim.cluster.workload(kind, ns, name))
    return Explanation(f"{_SHORT_KIND[kind]}/{name}", ns, ex.status(), ex.chain, ex.reasons, sim.clock.start)


class _Explainer:
    def __init__(self, sim: Simulation, namespace: str) -> None:
        self.sim = sim
        self.namespace = namespace
        self.now = sim.clock.now
        self.chain: list[Step] = []
        self.reasons: list[Reason] = []
        self.behind: list[str] = []
        self.problems: list[str] = []
        self._by_subject: dict[str, list[Event]] | None = None

    def ts(self, t: int) -> str:
        return self.sim.clock.timestamp(t)

    def step(self, t: int | None, kind: str, subject: str, detail: str) -> None:
        self.chain.append(Step(t, kind, subject, detail))

    def reason(self, code: str, message: str) -> None:
        if (code, message) not in {(r.code, r.message) for r in self.reasons}:
            self.reasons.append(Reason(code, message))

    def status(self) -> str:
        parts = []
        if self.behind:
            parts.append("behind upstream: " + "; ".join(dict.fromkeys(self.behind)))
        if self.problems:
            parts.append("in trouble: " + "; ".join(dict.fromkeys(self.problems)))
        if not self.behind:
            self.reasons.insert(0, Reason("up-to-date", "it runs what its source points at now"))
        return " / ".join(parts) or "up to date"

    # log lookups ------------------------------------------------------------------------------
    def events(self, subject: str) -> list[Event]:
        """The log's events about ``subject`` in order (the log is indexed on first use)."""
        if self._by_subject is None:
            index: dict[str, list[Event]] = {}
            for event in self.sim.log:
                index.setdefault(event.subject, []).append(event)
            self._by_subject = index
        return self._by_subject.get(subject, [])

    def last_event(self, kinds: tuple[str, ...], subject: str, digest: str = "") -> Event | None:
        for event in reversed(self.events(subject)):
            if event.kind in kinds and (not digest or event.digest == digest):
                return event
        return None

    # pods ---------------------------------------------------------------------------------
    def pod(self, pod: Pod) -> None:
        from .workload_manifests import pod_status

        sim = self.sim
        status = pod_status(sim, pod, self.now)
        self.step(pod.created, "pod", f"pod/{pod.name}", f"on {pod.node}, {status.reason}")
        digests = []
        for run in pod.containers:
            self.container(pod, run)
            if run.image_id:
                digests.append(run.image_id)
        rs = sim.cluster.replicasets.get((pod.namespace, pod.owner))
        kind = "DeploymentConfig" if pod.owner_kind == "ReplicationController" else "Deployment"
        w = sim.cluster.workloads.get((kind, pod.namespace, pod.workload))
        if rs is not None and w is not None:
            self.rs(rs)
            self.sources(w, rs, digests[0] if digests else "")
            self.rollout_state(w, rs)

    def container(self, pod: Pod, run) -> None:
        sim = self.sim
        subject = f"pod/{pod.name}"
        parts = _split(run.image)
        host = parts[0] if parts else ""
        if run.image_id:
            broken = ", broken: it crashes" if run.broken else ""
            if run.pulled_from_cache and run.pull_policy != "Always":
                how = "from the node's cache"
            elif run.pulled_from_cache:
                how = f"through {host} (its layers were already on {pod.node})"
            else:
                how = f"from {host}"
            pulled = self.last_event(("pulled",), f"{pod.namespace}/{pod.name}", run.image_id)
            self.step(pulled.time if pulled else None, "image",
                      subject, f"container {run.name} runs {_short(run.image_id)}{broken}, pulled {how} "
                      f"as {run.image} (pull policy {run.pull_policy})")
            self.pull_history(pod, run, host, pulled.time if pulled else pod.created)
            self.broken(run)
        elif run.failure_reason:
            registry = sim.registries.get(host)
            end = registry.outage_end(self.now) if registry is not None else None
            down = f"; {host} is down until {self.ts(end)}" if end is not None else ""
            self.step(run.last_failure, "pull", subject,
                      f"container {run.name} cannot pull {run.image}: {run.failure_reason}")
            self.reason("pull-failed", f"{run.failure_reason}: {run.failure_message}{down}")
            self.problems.append(f"{pod.name} cannot pull its image ({run.failure_reason})")

    def broken(self, run) -> None:
        if run.broken:
            parts = _split(run.image)
            push = None
            for event in self.sim.log.of_kind("push") if parts else ():
                if event.digest == run.image_id:
                    push = event
            where = f", pushed to {push.subject} at {self.ts(push.time)}" if push is not None else ""
            self.reason("broken-image", f"{_short(run.image_id)} is broken: its containers crash{where}")
            self.problems.append(f"it runs the broken image {_short(run.image_id)}")

    def pull_history(self, pod: Pod, run, host: str, pulled: int) -> None:
        """Outages around the pull: pulled before one, or served by the pull-through cache."""
        sim = self.sim
        if host == INTERNAL_REGISTRY:
            parts = _split(run.image)
            assert parts is not None
            namespace, _, name = parts[1].partition("/")
            stream = sim.server.find(namespace, name)
            upstream = None
            if stream is not None:
                for history in stream.status.values():
                    for item in history.items:
                        if item.image == run.image_id and not item.ref.startswith(INTERNAL_REGISTRY + "/"):
                            upstream = item.ref
                            break
            if upstream is None:
                return
            up_host = _split(upstream)[0] if _split(upstream) else ""
            registry = sim.registries.get(up_host)
            outages = [(s, e) for s, e in registry.outages if s <= self.now] if registry is not None else []
            first = self.first_pull_through(namespace, name, run.image_id)
            during = [(s, e) for s, e in outages if s <= pulled < e]
            if during:
                s, e = during[0]
                self.reason("pull-through-cache",
                            f"{pod.name} started during the {up_host} outage ({self.ts(s)} to {self.ts(e)}): the "
                            f"internal registry served {_short(run.image_id)} from its pull-through cache "
                            f"(it pulled it from {up_host} at {self.ts(first) if first is not None else 'an earlier time'}, "
                            "before the outage)")
            elif outages:
                s, e = outages[-1]
                self.reason("pull-through-cache",
                            f"pulled through the internal registry, which keeps {_short(run.image_id)} cached: "
                            f"new pods start even while {up_host} is down ({self.ts(s)} to {self.ts(e)})")
            return
        registry = sim.registries.get(host)
        if registry is None:
            return
        for start, end in registry.outages:
            if pulled < start <= self.now:
                self.reason("pulled-before-outage",
                            f"{pod.name} pulled {_short(run.image_id)} from {host} at {self.ts(pulled)}, before the "
                            f"{host} outage ({self.ts(start)} to {self.ts(end)}); it keeps running from "
                            f"{pod.node}'s copy, but a new pod would have to pull from {host}")
                break

    def first_pull_through(self, namespace: str, name: str, digest: str) -> int | None:
        prefix = f"{INTERNAL_REGISTRY}/{namespace}/{name}@"
        first = None
        for pod in self.sim.cluster.pods.values():
            if pod.namespace != namespace:
                continue
            for event in self.events(f"{namespace}/{pod.name}"):
                if event.kind == "pulled" and event.digest == digest and event.message.startswith(prefix):
                    first = event.time if first is None else min(first, event.time)
        return first

    # workloads -------------------------------------------------------------------------------
    def workload(self, w: Workload) -> None:
        from .rollouts import live_pods

        cluster = self.sim.cluster
        owned = cluster.owned(w)
        active = [rs for rs in owned if live_pods(self.sim, rs)]
        digests = []
        for rs in reversed(active):
            for pod in live_pods(self.sim, rs):
                for run in pod.containers:
                    if run.image_id:
                        broken = " (broken: it crashes)" if run.broken else ""
                        self.step(pod.created, "pod", f"pod/{pod.name}",
                                  f"{rs.name}: container {run.name} runs {_short(run.image_id)}{broken} on {pod.node}")
                        self.broken(run)
                        pulled = self.last_event(("pulled",), f"{pod.namespace}/{pod.name}", run.image_id)
                        self.pull_history(pod, run, (_split(run.image) or ("",))[0],
                                          pulled.time if pulled is not None else pod.created)
                        digests.append(run.image_id)
                    elif run.failure_reason:
                        self.container(pod, run)
        rs = active[-1] if active else (owned[-1] if owned else None)
        if rs is None:
            self.step(w.created, w.short, f"{w.short}/{w.name}", "not rolled out yet")
            if w.triggers and not all(t.last_triggered_image for t in w.triggers):
                self.reason("waiting-for-image", "a DeploymentConfig waits for every trigger's tag to have an image")
            self.sources(w, None, "")
            return
        self.rs(rs)
        self.sources(w, rs, digests[0] if digests else "")
        self.rollout_state(w, rs)

    def rs(self, rs: ReplicaSet) -> None:
        what = "ReplicationController" if rs.kind == "ReplicationController" else "ReplicaSet"
        cause = f", cause: {rs.cause}" if rs.cause else ""
        self.step(rs.created, "revision", f"{_RS_PREFIX[rs.kind]}/{rs.name}",
                  f"{what} revision {rs.revision} ({rs.phase}{cause})")

    def rollout_state(self, w: Workload, running: ReplicaSet) -> None:
        latest = self.sim.cluster.latest_rs(w)
        if latest is None or latest is running:
            if latest is not None and latest.phase in ("Pending", "Running"):
                self.reason("rollout-in-progress", f"revision {latest.revision} ({latest.name}) is still rolling out")
            return
        if latest.phase == "Failed":
            failed = self.last_event(("rollout-failed",), f"{w.namespace}/{w.name}")
            why = ""
            if failed is not None and failed.message.partition(": ")[0] == latest.name:
                why = failed.message.partition(": ")[2] or "its pods were not ready before the deadline"
            self.reason("rollout-failed", f"revision {latest.revision} ({latest.name}) failed"
                        + (f" at {self.ts(failed.time)} ({why})" if failed is not None and why else "")
                        + f"; {running.name} kept serving")
            self.behind.append(f"its newest revision {latest.name} failed")
        elif latest.phase == "Stalled":
            self.reason("rollout-stalled", f"revision {latest.revision} ({latest.name}) exceeded its progress deadline")
            self.behind.append(f"its newest revision {latest.name} is stalled")
        elif latest.phase in ("Pending", "Running"):
            self.reason("rollout-in-progress", f"revision {latest.revision} ({latest.name}) is still rolling out")

    def sources(self, w: Workload, rs: ReplicaSet | None, digest: str) -> None:
        """Where the workload's images come from: triggers, or the template as written."""
        if w.paused:
            self.reason("workload-paused", f"{w.short}/{w.name} is paused: image changes do not roll out "
                        f"(oc rollout resume {w.short}/{w.name})")
        template = rs.template if rs is not None else w.template
        triggered: set[str] = set()
        for trigger in w.triggers:
            self.trigger(w, trigger, digest)
            triggered.update(_trigger_containers(w, trigger))
        for container in template.all_containers():
            if container.name in triggered:
                continue
            self.direct(w, container, digest)

    def trigger(self, w: Workload, trigger: ImageChangeTrigger, digest: str) -> None:
        sim = self.sim
        name, tag, _ = split_istag(trigger.from_name)
        namespace = trigger.from_namespace or w.namespace
        label = f"{namespace}/{name}:{tag}"
        automatic = trigger.automatic or not w.is_dc
        mode = "paused" if trigger.paused else ("automatic" if automatic else "manual")
        self.step(None, "trigger", f"{w.short}/{w.name}",
                  f"ImageChange trigger on {label} ({mode}), last triggered image "
                  f"{trigger.last_triggered_image or '(none)'}")
        stream = sim.server.find(namespace, name)
        head = stream.head(tag) if stream is not None else None
        if trigger.paused:
            self.reason("trigger-paused", f"the trigger on {label} is paused: tag changes are ignored "
                        f"(oc set triggers {w.short}/{w.name} --auto)")
        elif not automatic:
            event = rollback_disabled(sim, w.namespace, w.name)
            if event is not None:
                self.reason("rollback-disabled-trigger",
                            f"oc rollback at {self.ts(event.time)} ({event.message}) set automatic: false on the "
                            f"trigger on {label}; re-enable it with oc set triggers {w.short}/{w.name} --auto")
            else:
                self.reason("trigger-manual", f"the trigger on {label} is manual (automatic: false): tag changes "
                            f"roll out only with oc rollout latest {w.short}/{w.name}")
        if stream is None or head is None:
            self.reason("tag-missing", f"{label} has no image yet")
            return
        current = resolve_reference(stream, tag, head)
        if digest and head.image != digest:
            if trigger.paused or not automatic or w.paused:
                self.behind.append(f"{label} moved to {_short(head.image)} at {self.ts(head.created)}, "
                                   f"the workload runs {_short(digest)}")
        policy = stream.spec[tag].reference_policy if tag in stream.spec else "Source"
        if policy == "Local":
            self.reason("reference-policy", f"{label} has reference policy Local: pods pull {current} through "
                        "the internal registry, which keeps serving images it pulled before")
        else:
            host = (_split(current) or ("its registry",))[0]
            where = "the internal registry" if host == INTERNAL_REGISTRY else f"{host} directly"
            self.reason("reference-policy", f"{label} has reference policy Source: pods pull {current} from {where}")
        self.istag(stream, tag, digest or head.image)

    def direct(self, w: Workload, container, digest: str) -> None:
        """A container without a trigger: the template's image is all there is."""
        sim = self.sim
        image = container.image
        subject = f"{w.short}/{w.name}"
        if "/" not in image and "@" not in image:
            stream_name, _, tag = image.partition(":")
            stream = sim.server.find(w.namespace, stream_name)
            if stream is not None:
                self.step(None, "template", subject, f"container {container.name} names {image!r}")
                self.reason("lookup-policy-off",
                            f"{image!r} is a bare name, and image stream {stream_name} has lookupPolicy.local "
                            f"false: it was not resolved through the stream, so the kubelet pulls "
                            f"{ImageReference.parse_normalized(image).normalized if _split(image) else image} "
                            f"(oc set image-lookup {stream_name})")
                return
        parts = _split(image)
        if parts is None:
            return
        host, path, tag, pinned = parts
        if pinned:
            resolved = self.lookup_source(w.namespace, pinned, image)
            if resolved is not None:
                stream, stream_tag = resolved
                self.step(w.created, "template", subject,
                          f"container {container.name} was resolved to {image} through image stream "
                          f"{stream.name} (lookupPolicy.local) when it was created")
                self.reason("lookup-resolved-once",
                            f"lookupPolicy.local resolved {stream.name}:{stream_tag} to a digest once, at admission; "
                            "without a trigger the workload does not follow the tag")
                self.istag(stream, stream_tag, pinned)
                return
            self.step(None, "template", subject, f"container {container.name} names {image} (by digest)")
            self.reason("pinned-by-digest", f"container {container.name} names an image by digest: nothing "
                        "upstream changes it")
            return
        if host == INTERNAL_REGISTRY:
            namespace, _, stream_name = path.partition("/")
            stream = sim.server.find(namespace, stream_name)
            self.step(None, "template", subject, f"container {container.name} pulls {image} from the internal "
                      "registry at each start")
            if stream is not None:
                self.istag(stream, tag, digest or "")
            return
        self.step(None, "template", subject, f"container {container.name} names the upstream tag {image} "
                  f"directly (pull policy {container.pull_policy})")
        self.upstream_chain(host, path, tag, digest)
        repo = sim.registry(host).repository(path)
        now_digest = repo.tags.get(tag) if repo is not None else None
        if container.pull_policy == "Always":
            self.reason("direct-reference", f"no image stream and no trigger: pods pull {host}/{path}:{tag} "
                        "again at each start (pull policy Always), so running pods keep what they pulled")
        else:
            self.reason("direct-reference", f"no image stream and no trigger: with pull policy "
                        f"{container.pull_policy} a node reuses its cached copy of {host}/{path}:{tag}")
        if digest and now_digest and now_digest != digest:
            push = self.last_event(("push",), f"{host}/{path}:{tag}", now_digest)
            self.behind.append(f"{host}/{path}:{tag} moved to {_short(now_digest)}"
                               + (f" at {self.ts(push.time)}" if push else "") + f", pods run {_short(digest)}")

    def lookup_source(self, namespace: str, digest: str, image: str):
        """The stream tag a lookup-policy rewrite came from, if the image looks like one."""
        for stream in self.sim.server.streams(namespace):
            if not stream.lookup_local:
                continue
            for tag, history in stream.status.items():
                if image.endswith("@" + digest) and any(item.image == digest for item in history.items):
                    return stream, tag
        return None

    # stream tags -----------------------------------------------------------------------------
    def istag(self, stream: ImageStream, tag: str, digest: str, depth: int = 0) -> None:
        sim = self.sim
        label = f"{stream.namespace}/{stream.name}:{tag}"
        history = stream.status.get(tag)
        items = history.items if history is not None else []
        index = next((i for i, item in enumerate(items) if item.image == digest), None) if digest else None
        item = items[index] if index is not None else (items[0] if items else None)
        ref = stream.spec.get(tag)
        if item is not None:
            where = "the current image" if items and items[0] is item else f"{index} items behind the head"
            self.step(item.created, "history", f"istag/{label}",
                      f"item {items.index(item)}: {_short(item.image) if item.image else item.ref} "
                      f"(generation {item.generation}, {where})")
            if index is not None and index > 0:
                self.reason("tag-moved-on", f"{label} now points at {_short(items[0].image)} "
                            f"(since {self.ts(items[0].created)}); the workload still runs {_short(digest)}")
        else:
            self.step(None, "history", f"istag/{label}", "no history: the tag never got an image")
        if history is not None:
            for condition in history.conditions:
                if condition.type == "ImportSuccess" and condition.status == "False":
                    self.reason("import-failed", f"the last import of {label} failed at "
                                f"{self.ts(condition.last_transition)}: {condition.reason}: {condition.message}")
                    break
        subject = f"{stream.namespace}/{stream.name}:{tag}"
        if item is not None and item.image:
            pushed = self.last_event(("image-pushed",), subject, item.image)
            if pushed is not None:
                self.step(pushed.time, "push", f"istag/{label}", f"pushed into the internal registry as "
                          f"{_short(pushed.digest)}")
        if ref is None:
            return
        if ref.from_kind == "ImageStreamTag":
            namespace = ref.from_namespace or stream.namespace
            name, sep, source_tag = ref.from_name.partition(":")
            if not sep:
                name, source_tag = stream.name, ref.from_name
            source_tag = source_tag or "latest"
            source = sim.server.find(namespace, name)
            follows = source is stream
            self.step(item.created if item else None, "tracks", f"istag/{label}",
                      f"{'alias: tracks' if follows else 'copied from'} {namespace}/{name}:{source_tag}")
            if not follows:
                self.reason("copied-once", f"{label} names {namespace}/{name}:{source_tag} in another stream: it "
                            "was copied when the spec was written and does not follow it")
            if source is not None and depth < 5:
                self.istag(source, source_tag, item.image if item else "", depth + 1)
            return
        if ref.from_kind == "ImageStreamImage":
            self.step(item.created if item else None, "snapshot", f"istag/{label}",
                      f"copied from {ref.from_namespace or stream.namespace}/{ref.from_name} by oc tag")
            self.reason("pinned-by-digest", f"{label} is a snapshot (ImageStreamImage "
                        f"{ref.from_name}): pinned by digest, it never follows its source")
            return
        if ref.from_kind != "DockerImage":
            return
        parts = _split(ref.from_name)
        if parts is None:
            return
        host, path, up_tag, pinned = parts
        if item is not None and item.image:
            event = self.last_event(("import",), subject, item.image)
            if event is not None:
                self.step(event.time, "import", f"istag/{label}", f"imported {_short(event.digest)} from "
                          f"{event.message}" + (f" (was {_short(event.previous)})" if event.previous else ""))
        if ref.reference:
            self.reason("reference-only", f"{label} is a reference tag (--reference): nothing is imported; "
                        f"consumers get {ref.from_name} as written")
            return
        if pinned:
            self.reason("pinned-by-digest", f"{label} imports {ref.from_name}: pinned by digest")
            return
        self.upstream_chain(host, path, up_tag, item.image if item else "")
        self.import_policy(stream, tag, ref, host, path, up_tag, items[0] if items else None)

    def upstream_chain(self, host: str, path: str, tag: str, digest: str) -> None:
        if not digest:
            return
        subject = f"{host}/{path}:{tag}"
        push = self.last_event(("push",), subject, digest)
        if push is not None:
            self.step(push.time, "push", subject, f"upstream pushed {_short(digest)}"
                      + (f" (replacing {_short(push.previous)})" if push.previous else ""))

    def import_policy(self, stream: ImageStream, tag: str, ref, host: str, path: str, up_tag: str,
                      item: TagEvent | None) -> None:
        sim = self.sim
        label = f"{stream.namespace}/{stream.name}:{tag}"
        upstream = f"{host}/{path}:{up_tag}"
        repo = sim.registry(host).repository(path)
        now_digest = repo.tags.get(up_tag) if repo is not None else None
        current = item.image if item is not None else ""
        registry = sim.registries.get(host)
        end = registry.outage_end(self.now) if registry is not None else None
        if end is not None:
            self.reason("registry-unavailable", f"{host} is unreachable until {self.ts(end)}: imports of "
                        f"{upstream} fail until then")
        if not ref.scheduled:
            moved = now_digest is not None and now_digest != current
            self.reason("scheduled-import-off",
                        f"{label} is not scheduled (importPolicy.scheduled: false): "
                        + (f"upstream {upstream} moved to {_short(now_digest)}, but the tag only changes on "
                           if moved else "an upstream change reaches the tag only on ")
                        + f"oc import-image {stream.name}:{tag} -n {stream.namespace}")
        if now_digest is None:
            self.reason("upstream-missing", f"{upstream} does not exist upstream (deleted or never pushed)")
            self.behind.append(f"{upstream} no longer exists")
            return
        if now_digest == current:
            return
        push = self.last_event(("push",), upstream, now_digest)
        self.behind.append(f"upstream {upstream} is {_short(now_digest)}"
                           + (f" (pushed {self.ts(push.time)})" if push else "")
                           + f", {label} has {_short(current) if current else 'no image'}")
        if ref.scheduled:
            when, note = next_import_check(sim, stream.namespace, stream.name, self.now, host)
            if when is not None:
                self.reason("import-pending", f"the next scheduled check of {label} at {self.ts(when)} will import "
                            f"it" + (f" ({note})" if note else ""))
