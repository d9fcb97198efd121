"""Importing images into image streams: the import API, the import controller, scheduled import.

``Importer.import_tags`` is what the ``ImageStreamImport`` API does for a set of tags (§5.2 of the
spec): resolve each source upstream, add a history item when something changed, record a failure
condition when the import failed. ``Importer.on_write`` is the import controller: every tag that
needs import (spec generation ahead of what was observed) is imported at once.

Scheduled import is event-driven: a stream with scheduled tags is checked every 15 minutes on a
grid anchored at its last import, but a check can only change something after an upstream change
(a push, a deleted tag, an outage starting or ending). So only those checks are scheduled: the
first grid point at or after each upstream change. Checks that would find nothing never run,
and their number is computed when asked (:meth:`Importer.last_check`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import timezone

from .apiserver import CHECK_ANNOTATION, ApiServer
from .errors import NotFound
from .events import EventLog
from .imagestream import (
    NO_CONDITIONS,
    NO_LABELS,
    Condition,
    ImageStream,
    SharedMap,
    TagEvent,
    TagHistory,
    TagReference,
    add_tag_event,
    needs_import,
    prioritize_tags,
    update_tracking_tags,
)
from .reference import ImageReference
from .registry import Image, Registry, RegistryUnavailable, Repository

__all__ = ["IMPORT_INTERVAL", "MAX_BULK_IMPORT", "ImportResult", "Importer", "upstream_key"]

#: ``ScheduledImageImportMinimumIntervalSeconds``: each scheduled stream is checked this often.
IMPORT_INTERVAL = 900
#: ``MaxImagesBulkImportedPerRepository``: tags taken from one repository by ``--all``.
MAX_BULK_IMPORT = 50
PRIORITY_CHECK = 30


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one tag gave: the image, or why it failed."""

    tag: str
    source: str
    image: Image | None = None
    reason: str = ""
    message: str = ""
    changed: bool = False

    @property
    def ok(self) -> bool:
        return self.image is not None


def upstream_key(pullspec: str) -> tuple[str, str, str, str]:
    """(registry host, repository path, tag, digest) of a pull spec, Docker-normalized."""
    ref = ImageReference.parse_normalized(pullspec)
    tag = ref.tag or ("" if ref.digest else "latest")
    return ref.domain, ref.path, tag, ref.digest


def item_reference(pullspec: str, digest: str) -> str:
    """The history item's pull spec: the source as spelled, tag dropped, ``@digest`` added."""
    ref = ImageReference.parse(pullspec)
    return f"{ref.repository}@{digest}"


class _Schedule:
    """The scheduler's record of one stream: its place on the check grid, the check queued for it,
    what it watches, and what the lean check of its one tag reads (see Importer._check)."""

    __slots__ = ("key", "anchor", "checked", "pending", "ticket", "keys", "tag", "subject", "source",
                 "upstream", "registry", "repo")

    def __init__(self, key: tuple[str, str], anchor: int) -> None:
        self.key = key  # the stream's (namespace, name)
        self.anchor = anchor
        self.checked = -1  # time of the last scheduled check that ran
        self.pending: int | None = None  # the time of the check queued for it
        # the number of that check (the one queued runs only with it; 0 once the schedule is dropped)
        self.ticket = 0
        # what it watches (Importer.watchers): one watch key, or a tuple of them (see _watches)
        self.keys: tuple = ()
        # the spec tag its lean checks last imported, and the event subject of those imports
        self.tag = ""
        self.subject = ""
        # the source they import, its upstream key (Importer._key), registry and repository (None:
        # not read yet)
        self.source = ""
        self.upstream: tuple[str, ...] = ()
        self.registry: Registry | None = None
        self.repo: Repository | None = None


def _watches(keys: tuple) -> tuple[tuple[str, str, str], ...]:
    """The watch keys a schedule's ``keys`` hold (a schedule that watches one tag, as most do,
    keeps the key itself rather than a tuple of one)."""
    return (keys,) if keys and type(keys[0]) is str else keys


class Importer:
    """Imports for one simulation: the API call, the import controller, the scheduler.

    ``lean_imports`` (the class's value when the importer is made; an importer's own can be
    set): a scheduled check of a stream with one scheduled spec tag of a plain registry that
    answers (the common case) takes the lean path of :meth:`_check`, the same steps as
    :meth:`import_tags` and :meth:`on_write` with fewer calls; so does the first import of such
    a tag (:meth:`_first_import`); and a push to a tag one stream watches takes
    :meth:`tag_pushed`'s short way to :meth:`_check_at`. False: every check, import and push
    takes the general path (the tests compare the two).
    """

    lean_imports = True

    def __init__(self, server: ApiServer, registries, log: EventLog, interval: int = IMPORT_INTERVAL) -> None:
        self.server = server
        self.registries = registries  # callable host -> Registry
        self.log = log
        self.clock = server.clock
        self.interval = interval
        self.schedules: dict[tuple[str, str], _Schedule] = {}
        # (host, path, tag) -> the key of the one stream watching it, or a dict of the keys of
        # several (in the order they started watching); a tag pinned by digest is watched as tag ""
        self.watchers: dict[tuple[str, str, str], tuple[str, str] | dict[tuple[str, str], None]] = {}
        self.lean_imports = type(self).lean_imports
        self.checks_run = 0
        self.imports_run = 0
        self._busy = False
        self._pinned = False  # whether any schedule ever watched a tag pinned by digest
        self._tickets = 0  # scheduled checks queued so far (see _Schedule.ticket)
        self._checking: ImageStream | None = None  # the stream a scheduled check imports now
        self._rescheduled: ImageStream | None = None  # the stream import_tags rescheduled and now notifies of
        self._keys: dict[str, tuple[str, ...]] = {}  # pull spec -> its upstream key (see _key)
        # upstream pull specs pushed to -> ((host, path, tag), the event subject of their pushes), as
        # the push parsed them (the simulation's; _key takes the watch key from there)
        self.pushed: dict[str, tuple[tuple[str, str, str], str]] = {}
        self._stamp = (-1, "")  # (time, its timestamp): the last one made
        self._day = (0, "")  # (time of a UTC midnight, "YYYY-MM-DDT" of that day), for _timestamp
        self._checked: dict[str, str] = NO_LABELS  # the annotations of streams checked at the last stamp
        self._checked_at = -1  # the time of those annotations
        self._listener = self.on_write  # (the listener itself: a lean check knows it by identity)
        self._run_check = self._check  # (what every scheduled check posts)
        server.listeners.append(self._listener)

    # resolving upstream ------------------------------------------------------------------------
    def _key(self, source: str) -> tuple[str, ...]:
        """``upstream_key(source)`` without its digest when that is ``""`` (the key is then the
        tag's watch key too), parsed once per pull spec (raises ValueError like it). Only a pull
        spec the strict grammar reads too is kept (``import_tags`` counts on that)."""
        key = self._keys.get(source)
        if key is None:
            target = self.pushed.get(source)
            if target is not None:  # (parsed by the push: a tag, no digest; its watch key is shared)
                key = target[0]
                if target[1] == source:
                    # a pull spec in its normalized form (its event subject): the push's parse read
                    # it with the strict grammar too (ImageReference.parse_normalized)
                    self._keys[source] = key
                    return key
            else:
                key = upstream_key(source)
                key = key if key[3] else key[:3]
            try:
                ImageReference.parse(source)
            except ValueError:
                return key
            self._keys[source] = key
        return key

    def _timestamp(self, t: int) -> str:
        """``clock.timestamp(t)``: the date part is formatted once per day."""
        if self._stamp[0] != t:
            day, prefix = self._day
            if prefix and 0 <= t - day < 86400:
                hours, rest = divmod(t - day, 3600)
                text = f"{prefix}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}Z"
            else:
                text = self.clock.timestamp(t)
                moment = self.clock.to_datetime(t).astimezone(timezone.utc)
                if moment.microsecond == 0 and len(text) == 20 and text[10] == "T":
                    self._day = (t - (moment.hour * 3600 + moment.minute * 60 + moment.second), text[:11])
            self._stamp = (t, text)
        return self._stamp[1]

    def _mark_checked(self, stream: ImageStream, t: int) -> None:
        """Set the stream's import check annotation to time ``t``. A stream with no other
        annotation gets the map every such stream checked at ``t`` shares."""
        annotations = stream.annotations
        if not annotations or (len(annotations) == 1 and CHECK_ANNOTATION in annotations):
            if self._checked_at != t:
                self._shared_check(t)
            stream.annotations = self._checked
        else:
            annotations[CHECK_ANNOTATION] = self._timestamp(t)

    def _shared_check(self, t: int) -> None:
        """Make ``_checked`` the annotations of a stream checked at ``t`` and nothing else."""
        text = self._timestamp(t)
        if self._checked.get(CHECK_ANNOTATION) != text:
            self._checked = SharedMap({CHECK_ANNOTATION: text})
        self._checked_at = t

    def fetch(self, source: str) -> Image:
        key = self._key(source)
        registry: Registry = self.registries(key[0])
        return registry.resolve(key[1], key[2], key[3] if len(key) == 4 else "", t=self.clock.now)

    def _fetch_failure(self, tag: str, source: str) -> tuple[Image | None, ImportResult | None]:
        """(the image ``source`` names now, None), or (None, the failed result)."""
        try:
            return self.fetch(source), None
        except RegistryUnavailable as err:
            return None, ImportResult(tag, source, reason="InternalError",
                                      message=f"Internal error occurred: {source}: {err.message}")
        except NotFound:
            host, path, ref_tag, digest = upstream_key(source)
            shown = f"{host}/{path}" + (f"@{digest}" if digest else f":{ref_tag}")
            return None, ImportResult(tag, source, reason="NotFound",
                                      message=f'dockerimage.image.openshift.io "{shown}" not found')
        except ValueError as err:
            return None, ImportResult(tag, source, reason="BadRequest", message=str(err))

    # the ImageStreamImport API -----------------------------------------------------------------
    def import_tags(self, stream: ImageStream, requests: list[tuple[str, str]], *,
                    scheduled: bool | None = None, insecure: bool | None = None,
                    reference_policy: str | None = None, import_mode: str | None = None,
                    dry_run: bool = False) -> list[ImportResult]:
        """Import ``(tag, source)`` pairs into ``stream`` as one ``ImageStreamImport`` request."""
        now = self.clock.now
        new_generation = stream.generation + 1
        results: list[ImportResult] = []
        spec_changed = False
        spec_replaced = False  # a spec tag made or replaced (what the schedule watches may change)
        wrote = False
        changed_tags: list[str] = []
        policy = scheduled or insecure or reference_policy or import_mode
        for tag, source in requests:
            image, failed = self._fetch_failure(tag, source)
            self.imports_run += 1
            if dry_run:
                results.append(failed or ImportResult(tag, source, image=image))
                continue
            ref = stream.spec.get(tag)
            history = stream.status.get(tag)
            if failed is not None:
                result = failed
                condition = Condition("ImportSuccess", "False", now, result.reason,
                                      result.message or "unknown error prevented import",
                                      new_generation)
                if ref is None:
                    ref = stream.spec[tag] = TagReference(tag, "DockerImage", source)
                    spec_replaced = True
                self._apply_policy(ref, scheduled, insecure, reference_policy, import_mode)
                if history is None:
                    history = stream.status[tag] = TagHistory()
                current = next((c for c in history.conditions if c.type == "ImportSuccess"), None)
                if current is None or not current.same_as(condition):
                    history.conditions = [condition]
                    ref.generation = new_generation
                    spec_changed = wrote = True
                    self.log.append(now, "import-failed", f"{stream.namespace}/{stream.name}:{tag}",
                                    namespace=stream.namespace, reason=result.reason,
                                    message=condition.message, warning=True)
                results.append(result)
                continue
            assert image is not None
            self.server.images.setdefault(image.digest, image)
            if source not in self._keys:  # (items keep the source: one the strict grammar refuses fails here)
                ImageReference.parse(source)
            head = history.items[0] if history and history.items else None
            spec_generation = (ref.generation or 0) if ref is not None else 0
            if (head is None or head.image != image.digest or not head.pulled_from(source, image.digest)
                    or spec_generation > head.generation):
                if ref is None or ref.from_kind != "DockerImage" or ref.from_name != source:
                    keep = ref
                    ref = TagReference(tag, "DockerImage", source)
                    if keep is not None:
                        ref.annotations = keep.annotations
                        ref.reference_policy = keep.reference_policy
                        ref.scheduled, ref.insecure = keep.scheduled, keep.insecure
                    stream.spec[tag] = ref
                    spec_replaced = True
                if policy:
                    self._apply_policy(ref, scheduled, insecure, reference_policy, import_mode)
                ref.generation = new_generation
                event = TagEvent.pulled(now, source, image.digest, new_generation)
                if add_tag_event(stream, tag, event, owned=True):
                    changed_tags.append(tag)
                    if len(stream.spec) > 1:
                        changed_tags.extend(update_tracking_tags(stream, tag, stream.status[tag].items[0]))
                else:
                    stream.status[tag].conditions = NO_CONDITIONS
                spec_changed = wrote = True
                # one subject string for every import of the tag the log records
                subject = sys.intern(f"{stream.namespace}/{stream.name}:{tag}")
                self.log.record(now, "import", subject, stream.namespace, image.digest,
                                head.image if head else "", message=source)
                results.append(ImportResult(tag, source, image=image, changed=True))
            else:
                if ref is not None:
                    before = (ref.scheduled, ref.insecure, ref.reference_policy)
                    self._apply_policy(ref, scheduled, insecure, reference_policy, import_mode)
                    wrote = wrote or before != (ref.scheduled, ref.insecure, ref.reference_policy)
                if history is not None and history.conditions:
                    history.conditions = NO_CONDITIONS
                    wrote = True
                results.append(ImportResult(tag, source, image=image))
        if dry_run:
            return results
        if spec_changed:
            stream.generation = new_generation
        if wrote or CHECK_ANNOTATION not in stream.annotations:
            self._mark_checked(stream, now)
            self.server._bump(stream)
        checking, self._checking = self._checking, None  # (imports it sets off are not the check)
        if checking is not stream or spec_replaced or policy or self._pinned:
            # (a scheduled check of a spec it left as it was keeps its schedule as it is)
            self._reschedule(stream, imported=True)
        if wrote:
            self._rescheduled = stream
            try:
                self.server.notify(stream, changed_tags)
            finally:
                self._rescheduled = None
        return results

    @staticmethod
    def _apply_policy(ref: TagReference, scheduled: bool | None, insecure: bool | None,
                      reference_policy: str | None, import_mode: str | None) -> None:
        if scheduled:
            ref.scheduled = True
        if insecure:
            ref.insecure = True
        if reference_policy:
            ref.reference_policy = reference_policy
        if import_mode:
            ref.import_mode = import_mode

    def repository_requests(self, remote: str) -> tuple[list[tuple[str, str]], list[str]]:
        """Import requests for every tag of the upstream repository ``remote`` (tags in priority
        order, at most ``MAX_BULK_IMPORT``), and the tags left out."""
        host, path, _, _ = upstream_key(remote)
        ref = ImageReference.parse(remote)
        base = ref.repository
        repo = self.registries(host).repository(path)
        if repo is None or not repo.tags:
            raise NotFound(f'dockerimage.image.openshift.io "{host}/{path}" not found')
        tags = prioritize_tags(sorted(repo.tags))
        return [(t, f"{base}:{t}") for t in tags[:MAX_BULK_IMPORT]], tags[MAX_BULK_IMPORT:]

    # the import controller -------------------------------------------------------------------
    def on_write(self, stream: ImageStream, changed: list[str]) -> None:
        """Import every tag that needs import; keep the schedule in step with the spec."""
        if self.server.find(stream.namespace, stream.name) is not stream:
            self._drop(stream.key)
            return
        if self._busy:
            return
        self._busy = True
        try:
            if len(stream.spec) == 1 and self.lean_imports and self._first_import(stream):
                return
            tags = [name for name in stream.spec if needs_import(stream, name)]
            if stream.docker_image_repository and CHECK_ANNOTATION not in stream.annotations:
                try:
                    requests, _ = self.repository_requests(stream.docker_image_repository)
                except (NotFound, ValueError):
                    requests = []
                done = {tag for tag, _ in requests}
                requests += [(t, stream.spec[t].from_name) for t in tags if t not in done]
                self.import_tags(stream, requests) if requests else self._reschedule(stream, imported=False)
            elif tags:
                self.import_tags(stream, [(t, stream.spec[t].from_name) for t in tags])
            elif self._rescheduled is not stream:  # (an import of it rescheduled it just now)
                self._reschedule(stream, imported=False)
        finally:
            self._busy = False

    def _first_import(self, stream: ImageStream) -> bool:
        """:meth:`on_write` of a stream whose one spec tag imports an upstream tag of a plain
        :class:`Registry` that answers and has it, into a tag with no history yet (a stream just
        made, mostly): the steps of :meth:`import_tags` for it, with fewer calls. False, with
        nothing done, in every other case."""
        ((tag, ref),) = stream.spec.items()
        generation = ref.generation
        if (ref.from_kind != "DockerImage" or ref.reference or (generation is not None and generation <= 0)
                or stream.docker_image_repository or tag in stream.status):
            return False
        source = ref.from_name
        try:
            key = self._key(source)
        except ValueError:
            return False
        if len(key) != 3 or source not in self._keys:  # (pinned by digest, or refused by the strict grammar)
            return False
        registry = self.registries(key[0])
        now = self.clock.now
        if type(registry) is not Registry or (registry.outages and not registry.available(now)):
            return False
        repo = registry.repositories.get(key[1])
        found = repo.tags.get(key[2]) if repo is not None else None
        image = repo.images.get(found) if found else None
        server = self.server
        listeners = server.listeners
        if image is None or not listeners or listeners[0] is not self._listener:
            return False
        digest = image.digest
        registry.requests += 1  # (Registry.resolve)
        self.imports_run += 1
        server.images.setdefault(digest, image)
        generation = stream.generation + 1
        ref.generation = generation
        stream.status[tag] = TagHistory([TagEvent.pulled(now, source, digest, generation)])  # (add_tag_event)
        subject = sys.intern(f"{stream.namespace}/{stream.name}:{tag}")
        self.log.record(now, "import", subject, stream.namespace, digest, "", "", source)
        stream.generation = generation
        self._mark_checked(stream, now)
        server._bump(stream)
        checking, self._checking = self._checking, None
        if checking is not stream or self._pinned:
            self._reschedule(stream, imported=True)
        self._rescheduled = stream
        try:
            server.notify(stream, [tag])
        finally:
            self._rescheduled = None
        return True

    # scheduled import ------------------------------------------------------------------------
    def scheduled_tags(self, stream: ImageStream) -> list[str]:
        out = []
        for name, ref in stream.spec.items():
            if not ref.scheduled or ref.from_kind != "DockerImage" or ref.reference:
                continue
            if "@" in ref.from_name and stream.head(name) is not None:
                continue  # pinned by digest: only until its first successful import
            out.append(name)
        return out

    def _drop(self, key: tuple[str, str]) -> None:
        schedule = self.schedules.pop(key, None)
        if schedule is None:
            return
        schedule.ticket = 0  # (the check queued for it, if any, finds it dropped)
        for watch in _watches(schedule.keys):
            self._unwatch(watch, key)

    def _reschedule(self, stream: ImageStream, *, imported: bool) -> None:
        tags = self.scheduled_tags(stream)
        key = stream.key
        if not tags:
            self._drop(key)
            return
        schedule = self.schedules.get(key)
        created = schedule is None
        if created:
            schedule = self.schedules[key] = _Schedule(key, self.clock.now)
        elif imported:
            schedule.anchor = self.clock.now
            if schedule.pending is not None:
                due = schedule.pending
                schedule.pending = None
                self._check_at(key, schedule, max(due, self.clock.now + 1))
        keys = []
        for name in tags:
            try:
                watch = self._key(stream.spec[name].from_name)
            except ValueError:
                continue
            if len(watch) == 4:  # (the key of a source without a digest is its watch key)
                watch = watch[:3]
            keys.append(watch)
        keys = keys[0] if len(keys) == 1 else tuple(keys)
        if keys != schedule.keys:
            for watch in _watches(schedule.keys):
                self._unwatch(watch, key)
            schedule.keys = keys
            for watch in _watches(keys):
                if not watch[2]:
                    self._pinned = True  # (from then on, pushes look for pinned watchers too)
                self._watch(watch, key)
            if not created:
                # the schedules stay in the order their streams last started watching (the order
                # upstream_changed goes through the streams watching a host)
                del self.schedules[key]
                self.schedules[key] = schedule

    def _watch(self, watch: tuple[str, str, str], key: tuple[str, str]) -> None:
        watching = self.watchers.get(watch)
        if watching is None:
            self.watchers[watch] = key  # (most upstream tags have one watcher: no dict for it)
        elif type(watching) is dict:
            watching[key] = None
        elif watching != key:
            self.watchers[watch] = {watching: None, key: None}

    def _unwatch(self, watch: tuple[str, str, str], key: tuple[str, str]) -> None:
        watching = self.watchers.get(watch)
        if type(watching) is dict:
            watching.pop(key, None)
        elif watching == key:
            del self.watchers[watch]

    def _watching(self, watch: tuple[str, str, str]) -> list[tuple[str, str]]:
        """The keys of the streams watching ``watch``, in the order they started watching."""
        watching = self.watchers.get(watch)
        if watching is None:
            return []
        return list(watching) if type(watching) is dict else [watching]

    def next_grid(self, schedule: _Schedule, t: int) -> int:
        """The first scheduled check at or after ``t``."""
        if t <= schedule.anchor:
            return schedule.anchor + self.interval
        steps = -(-(t - schedule.anchor) // self.interval)
        return schedule.anchor + steps * self.interval

    def _check_at(self, key: tuple[str, str], schedule: _Schedule, t: int) -> None:
        due = self.next_grid(schedule, t)
        if due <= schedule.checked:  # that grid point was already checked: the next one
            due = self.next_grid(schedule, schedule.checked + 1)
        pending = schedule.pending
        if pending is not None and pending <= due:
            return
        # (a later check queued before is passed over when its time comes: its ticket is old)
        self._tickets = ticket = self._tickets + 1
        schedule.pending, schedule.ticket = due, ticket
        # checks due at one time queue one after the other and share one queue entry (Clock.post)
        self.clock.post_call(due, PRIORITY_CHECK, self._run_check, (schedule, ticket))

    def upstream_changed(self, host: str, path: str | None = None, tag: str | None = None) -> None:
        """Something changed upstream now: schedule the next check of every stream watching it."""
        if path is None:
            keys = [key for key, schedule in self.schedules.items()
                    if any(watch[0] == host for watch in _watches(schedule.keys))]
        else:
            keys = self._watching((host, path, tag or "latest"))
            if self._pinned:
                # tags pinned by digest (watch key tag "") wait for their digest to appear anywhere
                keys += [k for k in self._watching((host, path, "")) if k not in keys]
            if not keys:
                return
        now = self.clock.now
        for key in keys:
            schedule = self.schedules.get(key)
            if schedule is not None:
                self._check_at(key, schedule, now)

    def tag_pushed(self, watch: tuple[str, str, str]) -> None:
        """``upstream_changed(*watch)`` for a push to the tag ``watch`` (host, path, tag): the short
        way when one stream watches it and no schedule watches a tag pinned by digest."""
        key = self.watchers.get(watch)
        if type(key) is not tuple or self._pinned:
            if key is not None or self._pinned:
                self.upstream_changed(*watch)
            return
        schedule = self.schedules.get(key)
        if schedule is not None:
            self._check_at(key, schedule, self.clock.now)

    def _check(self, schedule: _Schedule, ticket: int) -> None:
        """The scheduled check ``ticket`` of ``schedule``: import its stream's scheduled tags.

        With ``lean_imports``, a stream whose one spec tag is scheduled and imports an upstream tag
        of a plain :class:`Registry` that answers now and has it, into a history whose head is
        an imported item with no conditions, takes the lean path: the steps :meth:`import_tags`
        takes for it (and the listeners; :meth:`on_write` does nothing then), with fewer calls.
        Every other check takes :meth:`_check_tags`.
        """
        if schedule.ticket != ticket:
            return  # dropped, or another check took its place
        key = schedule.key
        server = self.server
        streams = server.namespaces.get(key[0])  # (server.find)
        stream = streams.get(key[1]) if streams is not None else None
        if stream is None:
            return
        schedule.pending = None
        now = schedule.checked = self.clock.now
        self.checks_run += 1
        spec = stream.spec
        if len(spec) != 1 or self._pinned or not self.lean_imports:
            self._check_tags(schedule, stream)
            return
        ((tag, ref),) = spec.items()
        if not ref.scheduled or ref.from_kind != "DockerImage" or ref.reference:
            self._check_tags(schedule, stream)
            return
        source = ref.from_name
        repo = schedule.repo
        if repo is None or source != schedule.source or self.registries(schedule.upstream[0]) is not schedule.registry:
            repo = self._lean_repository(schedule, source)
        history = stream.status.get(tag)
        found = repo.tags.get(schedule.upstream[2]) if repo is not None else None
        image = repo.images.get(found) if found else None
        annotations = stream.annotations
        if (image is None or history is None or not history.items or history.conditions
                or CHECK_ANNOTATION not in annotations):
            self._check_tags(schedule, stream)
            return
        registry = schedule.registry
        head = history.items[0]
        digest = image.digest
        fresh = head.image != digest
        listeners = server.listeners
        if (head._ref is not None or (registry.outages and not registry.available(now))
                or not listeners or listeners[0] is not self._listener
                or not fresh and (head._source != source or (ref.generation or 0) > head.generation)):
            self._check_tags(schedule, stream)
            return
        registry.requests += 1  # (Registry.resolve)
        self.imports_run += 1
        server.images.setdefault(digest, image)
        if not fresh:
            return  # nothing new: nothing changes
        generation = stream.generation + 1
        ref.generation = generation
        history.items.insert(0, TagEvent.pulled(now, source, digest, generation))  # (add_tag_event)
        history.conditions = NO_CONDITIONS
        if schedule.tag != tag:
            schedule.tag = tag
            schedule.subject = sys.intern(f"{stream.namespace}/{stream.name}:{tag}")
        self.log.record(now, "import", schedule.subject, stream.namespace, digest, head.image, "", source)
        stream.generation = generation
        self._mark_checked(stream, now)
        server._bump(stream)
        anchor = schedule.anchor
        changed = [tag]
        mine = self._listener
        self._rescheduled = stream
        try:
            for listener in listeners:  # (server.notify)
                if listener is not mine:
                    listener(stream, changed)
        finally:
            self._rescheduled = None
        schedule.anchor = anchor  # a scheduled check keeps its place on the grid

    def _lean_repository(self, schedule: _Schedule, source: str) -> Repository | None:
        """The upstream repository a lean check of ``source`` reads, kept on ``schedule`` with its
        registry; None when ``source`` names none: pinned by digest, refused by the strict grammar
        (no key kept for it), of a registry that is not a plain :class:`Registry`, or a
        repository not there yet."""
        schedule.repo = None
        key = self._keys.get(source)
        if key is None or len(key) != 3:
            return None
        registry = self.registries(key[0])
        repo = registry.repositories.get(key[1]) if type(registry) is Registry else None
        if repo is not None:
            schedule.source, schedule.upstream, schedule.registry, schedule.repo = source, key, registry, repo
        return repo

    def _check_tags(self, schedule: _Schedule, stream: ImageStream) -> None:
        """The general path of a scheduled check: import every scheduled tag of ``stream``."""
        key = schedule.key
        tags = self.scheduled_tags(stream)
        if not tags:
            return
        anchor = schedule.anchor
        self._checking = stream
        try:
            results = self.import_tags(stream, [(t, stream.spec[t].from_name) for t in tags])
        finally:
            self._checking = None
        schedule.anchor = anchor  # a scheduled check keeps its place on the grid
        for result in results:
            if not result.ok and result.reason == "InternalError":
                host = upstream_key(result.source)[0]
                end = self.registries(host).outage_end(self.clock.now)
                if end is not None:
                    self._check_at(key, schedule, end)

    def last_check(self, stream: ImageStream) -> int | None:
        """When the scheduler last checked ``stream`` (None when it is not scheduled)."""
        schedule = self.schedules.get(stream.key)
        if schedule is None:
            return None
        now = self.clock.now
        if now < schedule.anchor:
            return None
        return schedule.anchor + (now - schedule.anchor) // self.interval * self.interval
