"""API objects in and out: ImageStream dicts in the ``image.openshift.io/v1`` shape, JSON and YAML.

``stream_to_manifest`` gives what ``oc get is -o json`` shows; ``parse_stream`` reads what
``oc apply -f`` accepts (and, for ``restore``, the status too). Text is read by ``load_objects``
(JSON, or YAML with PyYAML's safe loader, imported only when YAML is read) and written by
``dump_json`` / ``dump_yaml`` (the layout ``oc`` prints: sorted keys, 4-space JSON, YAML lists
flush with their key, long plain strings folded at 80 columns).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, parse_rfc3339
from .errors import ClockError, Invalid
from .imagestream import Condition, ImageStream, TagEvent, TagHistory, TagReference

__all__ = [
    "ParsedStream",
    "dump_json",
    "dump_yaml",
    "flatten_objects",
    "load_objects",
    "parse_stream",
    "stream_to_manifest",
]

IMAGE_API = "image.openshift.io/v1"
_MAX_TEXT = 10 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# out

def stream_to_manifest(stream: ImageStream, clock: Clock) -> dict:
    meta: dict[str, Any] = {
        "creationTimestamp": clock.timestamp(stream.created),
        "generation": stream.generation,
        "name": stream.name,
        "namespace": stream.namespace,
        "resourceVersion": str(stream.resource_version),
        "uid": stream.uid,
    }
    if stream.annotations:
        meta["annotations"] = dict(sorted(stream.annotations.items()))
    if stream.labels:
        meta["labels"] = dict(sorted(stream.labels.items()))
    spec: dict[str, Any] = {"lookupPolicy": {"local": stream.lookup_local}}
    if stream.docker_image_repository:
        spec["dockerImageRepository"] = stream.docker_image_repository
    if stream.spec:
        spec["tags"] = [tag_to_manifest(stream.spec[name]) for name in sorted(stream.spec)]
    status: dict[str, Any] = {"dockerImageRepository": stream.status_repository}
    if stream.status:
        status["tags"] = [history_to_manifest(name, stream.status[name], clock)
                          for name in sorted(stream.status)]
    return {"apiVersion": IMAGE_API, "kind": "ImageStream", "metadata": meta, "spec": spec,
            "status": status}


def tag_to_manifest(ref: TagReference) -> dict:
    out: dict[str, Any] = {"annotations": dict(sorted(ref.annotations.items())) if ref.annotations is not None else None}
    if ref.from_kind:
        source = {"kind": ref.from_kind, "name": ref.from_name}
        if ref.from_namespace:
            source["namespace"] = ref.from_namespace
        out["from"] = source
    out["generation"] = ref.generation
    policy: dict[str, Any] = {"importMode": ref.import_mode}
    if ref.insecure:
        policy["insecure"] = True
    if ref.scheduled:
        policy["scheduled"] = True
    out["importPolicy"] = policy
    out["name"] = ref.name
    if ref.reference:
        out["reference"] = True
    out["referencePolicy"] = {"type": ref.reference_policy}
    return out


def history_to_manifest(tag: str, history: TagHistory, clock: Clock) -> dict:
    out: dict[str, Any] = {}
    if history.conditions:
        out["conditions"] = [
            {"generation": c.generation, "lastTransitionTime": clock.timestamp(c.last_transition),
             "message": c.message, "reason": c.reason, "status": c.status, "type": c.type}
            for c in history.conditions]
    out["items"] = [
        {"created": clock.timestamp(e.created), "dockerImageReference": e.ref,
         "generation": e.generation, "image": e.image}
        for e in history.items] or None
    out["tag"] = tag
    return out


def dump_json(obj: Any) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False) + "\n"


_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@` ")
_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON"
    r"|off|Off|OFF|[-+]?(?:\d[\d_]*|(?:\d[\d_]*)?\.\d[\d_]*)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|0x[0-9a-fA-F_]+|0o?[0-7_]+|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?)$")


_CONTROL = re.compile(r"[\x00-\x1f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f]")


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if (not text or text[0] in _PLAIN_UNSAFE_START or text[-1] == " " or ": " in text
            or " #" in text or text.endswith(":") or "\t" in text or _RESERVED.match(text)
            or _CONTROL.search(text)):
        return _quote(text)
    return text


def _fold(text: str, column: int, indent: int) -> str:
    """Fold a plain scalar at spaces once the line passes 80 columns (as the Go emitter does)."""
    words = text.split(" ")
    if len(words) == 1 or "  " in text:
        return text
    out = words[0]
    col = column + len(words[0])
    for word in words[1:]:
        if col > 80:
            out += "\n" + " " * indent + word
            col = indent + len(word)
        else:
            out += " " + word
            col += 1 + len(word)
    return out


def _emit(value: Any, indent: int, lines: list[str], prefix: str) -> None:
    """Append ``prefix`` + value to ``lines``; ``prefix`` is the text before it on its line."""
    if isinstance(value, dict) and value:
        first = True
        for key in sorted(value):
            head = prefix if first else " " * indent
            first = False
            item = value[key]
            key_text = _scalar(str(key))
            if isinstance(item, dict) and item:
                lines.append(f"{head}{key_text}:")
                _emit(item, indent + 2, lines, " " * (indent + 2))
            elif isinstance(item, list) and item:
                lines.append(f"{head}{key_text}:")
                _emit(item, indent, lines, " " * indent)
            else:
                lines.append(_scalar_line(f"{head}{key_text}: ", item, indent + 2))
        return
    if isinstance(value, list) and value:
        first = True
        for item in value:
            head = (prefix if first else " " * indent) + "- "
            first = False
            if isinstance(item, (dict, list)) and item:
                _emit(item, indent + 2, lines, head)
            else:
                lines.append(_scalar_line(head, item, indent + 2))
        return
    lines.append(_scalar_line(prefix, value, indent))


def _scalar_line(head: str, value: Any, indent: int) -> str:
    if isinstance(value, dict):
        return head + "{}"
    if isinstance(value, list):
        return head + "[]"
    if isinstance(value, str) and "\n" in value and not _CONTROL_BUT_NEWLINE.search(value) \
            and not value.startswith(" "):
        body = value[:-1] if value.endswith("\n") else value
        style = "|" if value.endswith("\n") else "|-"
        pad = " " * indent
        rows = [pad + row if row else "" for row in body.split("\n")]
        return head + style + "\n" + "\n".join(rows)
    text = _scalar(value)
    if isinstance(value, str) and text == value:
        text = _fold(text, len(head), indent)
    return head + text


def dump_yaml(obj: Any) -> str:
    lines: list[str] = []
    _emit(obj, 0, lines, "")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# in

def load_objects(text: str, source: str = "STDIN") -> list[dict]:
    """Parse JSON or YAML text (one or more documents) into a flat list of API objects.

    ``List``/``ImageStreamList`` objects are expanded into their items. Raises ``Invalid``
    with an oc-style message for text that is not an object. YAML is read with the safe loader
    only; a document whose aliases refer to themselves or expand it far beyond its size (a
    "billion laughs") is refused the way go-yaml refuses it.
    """
    if not isinstance(text, str):
        raise Invalid(f'error: unable to read "{source}": expected text, got {type(text).__name__}',
                      reason="BadRequest")
    if len(text) > _MAX_TEXT:
        raise Invalid(f'error: unable to read "{source}": manifest larger than 10 MiB', reason="BadRequest")
    stripped = text.lstrip()
    docs: list[Any]
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            docs = [json.loads(text)]
        except json.JSONDecodeError as err:
            docs = _load_yaml(text, source, err)
        except RecursionError:
            raise Invalid(f"error: error parsing {source}: exceeded max depth", reason="BadRequest") from None
    else:
        docs = _load_yaml(text, source, None)
    return flatten_objects(docs, source)


def flatten_objects(docs: list, source: str = "STDIN") -> list[dict]:
    """API objects from parsed documents: ``List``/``ImageStreamList`` items expanded."""
    objects: list[dict] = []
    append = objects.append
    for doc in docs:
        if type(doc) is dict:  # the common case: one object of a kind that is not a list
            kind = doc.get("kind")
            if type(kind) is str and kind and not kind.endswith("List"):
                append(doc)
                continue
        if doc is None:
            continue
        if isinstance(doc, list):
            candidates = doc
        else:
            candidates = [doc]
        for obj in candidates:
            if not isinstance(obj, dict):
                raise Invalid(f'error: unable to decode "{source}": json: cannot unmarshal '
                              f'{_json_type(obj)} into Go value of type map[string]interface {{}}',
                              reason="BadRequest")
            if "kind" not in obj or not obj.get("kind"):
                raise Invalid(f"error: unable to decode \"{source}\": Object 'Kind' is missing in "
                              f"'{_snippet(obj)}'", reason="BadRequest")
            if str(obj.get("kind")).endswith("List") and isinstance(obj.get("items"), list):
                for item in obj["items"]:
                    if not isinstance(item, dict):
                        raise Invalid(f'error: unable to decode "{source}": list item is not an object',
                                      reason="BadRequest")
                    if "kind" not in item and obj["kind"] == "ImageStreamList":
                        item = dict(item, kind="ImageStream")
                    objects.append(item)
            else:
                objects.append(obj)
    return objects


def _json_type(value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    return "null"


def _snippet(obj: Any, limit: int = 200) -> str:
    """The start of ``obj`` as compact JSON, for a message (never more than ``limit`` characters)."""
    try:
        return json.dumps(obj, separators=(",", ":"), sort_keys=True, default=str)[:limit]
    except (ValueError, TypeError, RecursionError):  # circular, mixed-type keys, too deep
        return str(type(obj).__name__)


class _Aliasing(Exception):
    """A YAML document that go-yaml refuses for its aliases."""


def _alias_ratio(decoded: int) -> float:
    """go-yaml's allowedAliasRatio: generous for small documents, strict for huge expansions."""
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decoded - 400_000) / 3_600_000


def _check_aliases(root: Any) -> None:
    """Refuse a composed YAML node graph with a self-containing alias or excessive aliasing.

    PyYAML resolves an alias to the very node it names, so a node reached twice is an alias;
    what a decoder would build is the graph expanded into a tree. Its size is counted without
    building it (memoised per node), and a node reachable from itself cannot be expanded at all.
    """
    import yaml

    expanded: dict[int, int] = {}
    unique = 0
    state: dict[int, int] = {}  # 1: being expanded (on the path from the root), 2: done
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if leaving:
            expanded[key] = 1 + sum(expanded[id(child)] for child in children)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            raise _Aliasing("anchor value contains itself")
        state[key] = 1
        unique += 1
        stack.append((node, True))
        for child in reversed(children):
            if state.get(id(child)) == 1:
                raise _Aliasing("anchor value contains itself")
            if state.get(id(child)) != 2:
                stack.append((child, False))
    decoded = expanded[id(root)]
    aliases = decoded - unique
    if aliases > 100 and decoded > 1000 and aliases / decoded > _alias_ratio(decoded):
        raise _Aliasing("document contains excessive aliasing")


def _load_yaml(text: str, source: str, json_error: Exception | None) -> list[Any]:
    import yaml  # the YAML edge: safe loader only

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    anchors = "&" in text  # no anchor, no alias: nothing to check
    docs: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None and anchors:
                _check_aliases(node)
            docs.append(loader.construct_document(node) if node is not None else None)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "input"
        problem = getattr(err, "problem", None) or getattr(err, "reason", None) or "invalid YAML"
        if json_error is not None:
            raise Invalid(f'error: error parsing {source}: {json_error}', reason="BadRequest") from None
        raise Invalid(f"error: error parsing {source}: error converting YAML to JSON: yaml: "
                      f"{where}: {problem}", reason="BadRequest") from None
    except _Aliasing as err:
        raise Invalid(f"error: error parsing {source}: error converting YAML to JSON: yaml: {err}",
                      reason="BadRequest") from None
    except RecursionError:
        raise Invalid(f"error: error parsing {source}: error converting YAML to JSON: yaml: exceeded max depth",
                      reason="BadRequest") from None
    finally:
        loader.dispose()
    return docs


@dataclass
class ParsedStream:
    """An ImageStream manifest read into model values (status only when asked for)."""

    namespace: str
    name: str
    spec: list[TagReference]
    lookup_local: bool = False
    docker_image_repository: str = ""
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    generation: int | None = None
    created: int | None = None
    uid: str = ""
    status: dict[str, TagHistory] = field(default_factory=dict)


def _cannot(kind: str, detail: str) -> Invalid:
    return Invalid(f'{kind} in version "v1" cannot be handled as a {kind}: {detail}', reason="BadRequest")


def _expect(value: Any, types: tuple, what: str, go_type: str) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) and bool not in types:
        raise _cannot("ImageStream", f"json: cannot unmarshal bool into Go struct field {what} of type {go_type}")
    if not isinstance(value, types):
        raise _cannot("ImageStream", f"json: cannot unmarshal {_json_type(value)} into Go struct "
                                     f"field {what} of type {go_type}")
    return value


def _string_map(value: Any, what: str) -> dict[str, str]:
    value = _expect(value, (dict,), what, "map[string]string") or {}
    out = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise _cannot("ImageStream", f"json: cannot unmarshal {_json_type(item)} into Go struct "
                                         f"field {what} of type string")
        out[str(key)] = item
    return out


def parse_stream(obj: dict, default_namespace: str, clock: Clock, *, with_status: bool = False) -> ParsedStream:
    """Read an ImageStream manifest; raise ``Invalid`` (BadRequest) for malformed fields."""
    if not with_status:
        parsed = read_plain_stream(obj, default_namespace)
        if parsed is not None:
            return parsed
    api = obj.get("apiVersion", "")
    if api not in (IMAGE_API, "v1", "image.openshift.io/v1beta1"):
        raise Invalid(f'error: resource mapping not found for name: "{_name_of(obj)}" namespace: "" '
                      f'from "STDIN": no matches for kind "ImageStream" in version "{api}"', reason="BadRequest")
    meta = _expect(obj.get("metadata"), (dict,), "ImageStream.metadata", "v1.ObjectMeta") or {}
    name = _expect(meta.get("name"), (str,), "ObjectMeta.metadata.name", "string") or ""
    if not name:
        raise Invalid("resource name may not be empty", reason="BadRequest")
    namespace = _expect(meta.get("namespace"), (str,), "ObjectMeta.metadata.namespace", "string") or default_namespace
    spec_obj = _expect(obj.get("spec"), (dict,), "ImageStream.spec", "v1.ImageStreamSpec") or {}
    lookup = _expect(spec_obj.get("lookupPolicy"), (dict,), "ImageStreamSpec.spec.lookupPolicy",
                     "v1.ImageLookupPolicy") or {}
    local = _expect(lookup.get("local"), (bool,), "ImageLookupPolicy.spec.lookupPolicy.local", "bool") or False
    repo = _expect(spec_obj.get("dockerImageRepository"), (str,),
                   "ImageStreamSpec.spec.dockerImageRepository", "string") or ""
    tags_obj = _expect(spec_obj.get("tags"), (list,), "ImageStreamSpec.spec.tags", "[]v1.TagReference") or []
    spec: list[TagReference] = []
    seen: set[str] = set()
    for raw in tags_obj:
        ref = _parse_tag(raw)
        if ref.name in seen:
            spec = [r for r in spec if r.name != ref.name]
        seen.add(ref.name)
        spec.append(ref)
    parsed = ParsedStream(namespace, name, spec, lookup_local=local, docker_image_repository=repo,
                          annotations=_string_map(meta.get("annotations"), "ObjectMeta.metadata.annotations"),
                          labels=_string_map(meta.get("labels"), "ObjectMeta.metadata.labels"))
    if with_status:
        parsed.generation = _expect(meta.get("generation"), (int,), "ObjectMeta.metadata.generation", "int64")
        created = meta.get("creationTimestamp")
        if created:
            parsed.created = _time(created, clock)
        parsed.uid = str(meta.get("uid") or "")
        status = _expect(obj.get("status"), (dict,), "ImageStream.status", "v1.ImageStreamStatus") or {}
        for raw in _expect(status.get("tags"), (list,), "ImageStreamStatus.status.tags",
                           "[]v1.NamedTagEventList") or []:
            raw = _expect(raw, (dict,), "ImageStreamStatus.status.tags", "v1.NamedTagEventList") or {}
            tag = _expect(raw.get("tag"), (str,), "NamedTagEventList.status.tags.tag", "string") or ""
            history = TagHistory()
            for item in _expect(raw.get("items"), (list,), "NamedTagEventList.status.tags.items",
                                "[]v1.TagEvent") or []:
                item = _expect(item, (dict,), "NamedTagEventList.status.tags.items", "v1.TagEvent") or {}
                history.items.append(TagEvent(
                    _time(item.get("created"), clock),
                    _expect(item.get("dockerImageReference"), (str,), "TagEvent.status.tags.items.dockerImageReference",
                            "string") or "",
                    _expect(item.get("image"), (str,), "TagEvent.status.tags.items.image", "string") or "",
                    _expect(item.get("generation"), (int,), "TagEvent.status.tags.items.generation", "int64") or 0))
            conditions = []
            for cond in _expect(raw.get("conditions"), (list,), "NamedTagEventList.status.tags.conditions",
                                "[]v1.TagEventCondition") or []:
                cond = _expect(cond, (dict,), "NamedTagEventList.status.tags.conditions", "v1.TagEventCondition") or {}
                text = {key: _expect(cond.get(key), (str,), f"TagEventCondition.status.tags.conditions.{key}",
                                     "string") or "" for key in ("type", "status", "reason", "message")}
                conditions.append(Condition(
                    text["type"] or "ImportSuccess", text["status"] or "False",
                    _time(cond.get("lastTransitionTime"), clock), text["reason"], text["message"],
                    _expect(cond.get("generation"), (int,), "TagEventCondition.status.tags.conditions.generation",
                            "int64") or 0))
            if conditions:
                history.conditions = conditions
            parsed.status[tag] = history
    return parsed


_STREAM_APIS = (IMAGE_API, "v1", "image.openshift.io/v1beta1")


def _text_or_empty(value: Any) -> str | None:
    """A string field as read (``""`` for null), or None when it is not exactly a string."""
    if type(value) is str:
        return value
    return "" if value is None else None


def _flag_or_false(value: Any) -> bool | None:
    """A boolean field as read (False for null), or None when it is not exactly a boolean."""
    if type(value) is bool:
        return value
    return False if value is None else None


def plain_strings(value: Any) -> dict[str, str] | None:
    """A copy of a map of strings to strings, or None for anything else (None included)."""
    if type(value) is not dict:
        return None
    for key, item in value.items():
        if type(key) is not str or type(item) is not str:
            return None
    return dict(value)


def _plain_tag(raw: Any) -> TagReference | None:
    """A well-formed spec tag as :func:`_parse_tag` reads it, or None when it needs the full checks."""
    if type(raw) is not dict:
        return None
    get = raw.get
    name, source, policy, ref_policy = get("name"), get("from"), get("importPolicy"), get("referencePolicy")
    annotations, generation, reference = get("annotations"), get("generation"), get("reference")
    name = _text_or_empty(name)
    if name is None or (reference is not None and type(reference) is not bool):
        return None
    if generation is not None and type(generation) is not int:
        return None
    if annotations is not None:
        annotations = plain_strings(annotations)
        if annotations is None:
            return None
    kind = from_name = from_namespace = ""
    if source is not None:
        if type(source) is not dict:
            return None
        kind = _text_or_empty(source.get("kind"))
        from_name = _text_or_empty(source.get("name"))
        from_namespace = _text_or_empty(source.get("namespace"))
        if kind is None or from_name is None or from_namespace is None:
            return None
    scheduled = insecure = False
    mode = "Legacy"
    if policy is not None:
        if type(policy) is not dict:
            return None
        scheduled, insecure = _flag_or_false(policy.get("scheduled")), _flag_or_false(policy.get("insecure"))
        mode = _text_or_empty(policy.get("importMode"))
        if scheduled is None or insecure is None or mode is None:
            return None
        mode = mode or "Legacy"
    ref_type = "Source"
    if ref_policy is not None:
        if type(ref_policy) is not dict:
            return None
        ref_type = _text_or_empty(ref_policy.get("type"))
        if ref_type is None:
            return None
        ref_type = ref_type or "Source"
    return TagReference(name=name, from_kind=kind, from_name=from_name, from_namespace=from_namespace,
                        reference=reference is True, scheduled=scheduled, insecure=insecure, import_mode=mode,
                        reference_policy=ref_type, generation=generation, annotations=annotations)


def read_plain_stream(obj: dict, default_namespace: str) -> ParsedStream | None:
    """A well-formed ImageStream manifest (its status left out) as :func:`parse_stream` reads it, or
    None when the manifest needs the full checks (an error, or a value of an unusual type)."""
    api, meta, spec_obj = obj.get("apiVersion"), obj.get("metadata"), obj.get("spec")
    if type(api) is not str or api not in _STREAM_APIS or type(meta) is not dict:
        return None
    name, namespace = meta.get("name"), meta.get("namespace")
    labels, annotations = meta.get("labels"), meta.get("annotations")
    if type(name) is not str or not name:
        return None
    namespace = _text_or_empty(namespace)
    if namespace is None:
        return None
    labels = {} if labels is None else plain_strings(labels)
    annotations = {} if annotations is None else plain_strings(annotations)
    if labels is None or annotations is None:
        return None
    local, repo, tags = False, "", None
    if spec_obj is not None:
        if type(spec_obj) is not dict:
            return None
        lookup, repo, tags = spec_obj.get("lookupPolicy"), spec_obj.get("dockerImageRepository"), spec_obj.get("tags")
        if lookup is not None:
            if type(lookup) is not dict:
                return None
            local = _flag_or_false(lookup.get("local"))
            if local is None:
                return None
        repo = _text_or_empty(repo)
        if repo is None:
            return None
    spec: list[TagReference] = []
    if tags is not None:
        if type(tags) is not list:
            return None
        seen: set[str] = set()
        for raw in tags:
            ref = _plain_tag(raw)
            if ref is None:
                return None
            if ref.name in seen:
                spec = [r for r in spec if r.name != ref.name]
            seen.add(ref.name)
            spec.append(ref)
    return ParsedStream(namespace or default_namespace, name, spec, lookup_local=local, docker_image_repository=repo,
                        annotations=annotations, labels=labels)


def _time(value: Any, clock: Clock) -> int:
    if not value:
        return clock.now
    try:
        return clock.from_datetime(parse_rfc3339(value))
    except ClockError:
        raise _cannot("ImageStream", f"parsing time {json.dumps(value)} as \"2006-01-02T15:04:05Z07:00\": "
                                     "cannot parse") from None


def _name_of(obj: dict) -> str:
    meta = obj.get("metadata")
    return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def _parse_tag(raw: Any) -> TagReference:
    raw = _expect(raw, (dict,), "ImageStreamSpec.spec.tags", "v1.TagReference") or {}  # JSON null: zero value
    name = _expect(raw.get("name"), (str,), "TagReference.spec.tags.name", "string") or ""
    source = _expect(raw.get("from"), (dict,), "TagReference.spec.tags.from", "v1.ObjectReference") or {}
    policy = _expect(raw.get("importPolicy"), (dict,), "TagReference.spec.tags.importPolicy",
                     "v1.TagImportPolicy") or {}
    ref_policy = _expect(raw.get("referencePolicy"), (dict,), "TagReference.spec.tags.referencePolicy",
                         "v1.TagReferencePolicy") or {}
    annotations = raw.get("annotations")
    generation = _expect(raw.get("generation"), (int,), "TagReference.spec.tags.generation", "int64")
    return TagReference(
        name=name,
        from_kind=_expect(source.get("kind"), (str,), "ObjectReference.spec.tags.from.kind", "string") or "",
        from_name=_expect(source.get("name"), (str,), "ObjectReference.spec.tags.from.name", "string") or "",
        from_namespace=_expect(source.get("namespace"), (str,), "ObjectReference.spec.tags.from.namespace",
                               "string") or "",
        reference=bool(_expect(raw.get("reference"), (bool,), "TagReference.spec.tags.reference", "bool")),
        scheduled=bool(_expect(policy.get("scheduled"), (bool,), "TagImportPolicy.spec.tags.importPolicy.scheduled", "bool")),
        insecure=bool(_expect(policy.get("insecure"), (bool,), "TagImportPolicy.spec.tags.importPolicy.insecure", "bool")),
        import_mode=_expect(policy.get("importMode"), (str,), "TagImportPolicy.spec.tags.importPolicy.importMode",
                            "string") or "Legacy",
        reference_policy=_expect(ref_policy.get("type"), (str,), "TagReferencePolicy.spec.tags.referencePolicy.type",
                                 "string") or "Source",
        generation=generation,
        annotations=_string_map(annotations, "TagReference.spec.tags.annotations") if annotations is not None else None,
    )
