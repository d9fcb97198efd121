"""The ``docker`` emulator: the student's own machine, pulling, tagging and pushing images.

``run_docker(sim, "push image-registry.openshift-image-registry.svc:5000/myproject/lighttpd")``
returns an :class:`~imagesim.oc.OcResult` shaped like the real docker CLI's output. It is the
lesson "manually pushing images into the internal registry": ``oc whoami -t`` gives a token,
``docker login`` uses it, ``docker pull`` fetches an upstream image, ``docker tag`` names it for the
internal registry and ``docker push`` sends it there, which creates or updates the image stream
``PROJECT/NAME`` exactly as a real push does (through :meth:`Simulation.push`).

The machine's state (logins, the local image store) lives on the simulation in ``sim._docker``,
a :class:`DockerClient` created on first use. Every command checks everything before it changes
anything, so a failing command changes nothing; user mistakes come back as docker's text on
stderr (exit code 125 for command-line mistakes, 1 for errors the daemon reports), never as a
Python exception. Pulls count as registry requests (``Registry.resolve``).

Choices where the real system is unknowable here (written down, see also the docs):
* any registry accepts any user name and password at ``docker login`` except the internal
  registry, which wants the token ``oc whoami -t`` prints (any user name, like OpenShift);
* pushing needs a login to the target registry (Docker Hub, quay.io and the internal registry all
  refuse anonymous pushes);
* the IMAGE ID is the manifest digest (a real daemon shows the config digest); sizes are docker's
  three significant digits (``57.5MB``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..clock import human_duration
from ..errors import ImageSimError, InvalidReference, NotFound, OcUsageError
from ..reference import ImageReference, validate_imagestream_name
from ..registry import DOCKER_HUB, INTERNAL_REGISTRY, Image, RegistryUnavailable
from . import OcResult, Output
from .flags import HELP_ONLY, Flag, parse, split_line
from .tabwriter import tabwrite

if TYPE_CHECKING:
    from ..simulation import Simulation

__all__ = ["DockerClient", "LocalImage", "run_docker", "session_token"]

#: Where ``docker login`` without a server logs in, and the key ``docker logout`` prints.
HUB_INDEX = "https://index.docker.io/v1/"
#: The host a Docker Hub pull really talks to (what connection errors name).
HUB_API = "registry-1.docker.io"
_HUB_ALIASES = ("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")
_HEX_ID = re.compile(r"^(?:sha256:)?([0-9a-f]{1,64})$")
_SUBSTITUTION = re.compile(r"\$\(\s*(oc\s[^()]*?)\s*\)")
_NONE = "<none>"


def session_token(sim: Simulation) -> str:
    """The OAuth access token of the simulation's user (what ``oc whoami -t`` prints).

    Deterministic: derived from the seed and the user, shaped like OpenShift 4's tokens
    (``sha256~`` and 43 base64url characters).
    """
    raw = hashlib.sha256(f"imagesim/oauth-access-token/{sim.seed}/{sim.user}".encode()).digest()
    return "sha256~" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -------------------------------------------------------------------------------------------
# the local machine


@dataclass(slots=True)
class LocalImage:
    """An image in the local store: its content and the repositories it was pulled from or
    pushed to (docker's ``RepoDigests``)."""

    digest: str
    broken: bool
    created: int
    layers: tuple[tuple[str, int], ...]
    repo_digests: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.digest.split(":", 1)[-1][:12]

    @property
    def size(self) -> int:
        return sum(size for _, size in self.layers)


class DockerClient:
    """The student's machine: registry logins and the local image store.

    ``logins`` maps a registry host to the user logged in there; ``images`` maps a digest to its
    :class:`LocalImage`; ``names`` maps ``(repository, tag)`` (normalized, e.g.
    ``("docker.io/gists/lighttpd", "latest")``) to a digest.
    """

    def __init__(self) -> None:
        self.logins: dict[str, str] = {}
        self.images: dict[str, LocalImage] = {}
        self.names: dict[tuple[str, str], str] = {}

    def __repr__(self) -> str:
        return f"<DockerClient images={len(self.images)} names={len(self.names)} logins={sorted(self.logins)}>"

    def records(self) -> list[dict]:
        """The local images as plain records, one per name (sorted by repository and tag)."""
        out = []
        for (repository, tag), digest in sorted(self.names.items()):
            image = self.images[digest]
            out.append({"repository": repository, "tag": tag, "digest": digest,
                        "broken": image.broken, "created": image.created})
        return out

    def names_of(self, digest: str) -> list[tuple[str, str]]:
        return sorted(key for key, value in self.names.items() if value == digest)


def client(sim: Simulation) -> DockerClient:
    """The simulation's docker client (created on first use)."""
    state = getattr(sim, "_docker", None)
    if state is None:
        state = DockerClient()
        sim._docker = state  # type: ignore[attr-defined]
    return state


# -------------------------------------------------------------------------------------------
# errors and output


class _Usage(Exception):
    """A command-line mistake: the message, docker's ``See 'docker CMD --help'.`` and 125."""

    def __init__(self, message: str, command: str = "", *, code: int = 125, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.command = command
        self.code = code
        self.usage = usage


class _Failed(Exception):
    """The command failed: its text was written already (or is ``message``); exit code 1."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


def _daemon(message: str) -> _Failed:
    return _Failed(f"Error response from daemon: {message}")


# -------------------------------------------------------------------------------------------
# help texts


@dataclass(frozen=True)
class _Spec:
    usage: str
    summary: str
    args: tuple[int, int | None]  # minimum and maximum number of arguments
    flags: tuple[Flag, ...] = ()
    options: tuple[str, ...] = ()
    aliases: str = ""


_SPECS: dict[str, _Spec] = {
    "login": _Spec("docker login [OPTIONS] [SERVER]",
                   "Log in to a registry.\nIf no server is specified, the default is defined by the daemon.",
                   (0, 1),
                   (Flag("username", "str", "u"), Flag("password", "str", "p"), Flag("password-stdin", "bool")),
                   ("-p, --password string   Password", "    --password-stdin    Take the password from stdin",
                    "-u, --username string   Username")),
    "logout": _Spec("docker logout [SERVER]",
                    "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
                    (0, 1)),
    "pull": _Spec("docker pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", (1, 1),
                  (Flag("quiet", "bool", "q"), Flag("disable-content-trust", "bool"), Flag("platform", "str")),
                  ("    --disable-content-trust   Skip image verification (default true)",
                   "    --platform string         Set platform if server is multi-platform capable",
                   "-q, --quiet                   Suppress verbose output"),
                  "docker image pull, docker pull"),
    "push": _Spec("docker push [OPTIONS] NAME[:TAG]", "Upload an image to a registry", (1, 1),
                  (Flag("all-tags", "bool", "a"), Flag("quiet", "bool", "q"), Flag("disable-content-trust", "bool")),
                  ("-a, --all-tags                Push all tags of an image to the repository",
                   "    --disable-content-trust   Skip image signing (default true)",
                   "-q, --quiet                   Suppress verbose output"),
                  "docker image push, docker push"),
    "tag": _Spec("docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                 "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (2, 2),
                 aliases="docker image tag, docker tag"),
    "images": _Spec("docker images [OPTIONS] [REPOSITORY[:TAG]]", "List images", (0, 1),
                    (Flag("all", "bool", "a"), Flag("quiet", "bool", "q"), Flag("digests", "bool"),
                     Flag("no-trunc", "bool")),
                    ("-a, --all        Show all images (default hides intermediate images)",
                     "    --digests    Show digests", "    --no-trunc   Don't truncate output",
                     "-q, --quiet      Only show image IDs"),
                    "docker image ls, docker image list, docker images"),
    "rmi": _Spec("docker rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", (1, None),
                 (Flag("force", "bool", "f"), Flag("no-prune", "bool")),
                 ("-f, --force      Force removal of the image", "    --no-prune   Do not delete untagged parents"),
                 "docker image rm, docker image remove, docker rmi"),
}
_IMAGE_SUBCOMMANDS = {"ls": "images", "list": "images", "pull": "pull", "push": "push", "tag": "tag",
                      "rm": "rmi", "remove": "rmi"}
#: Real docker commands this simulation does not model (a clearer message than "not a command").
_NOT_SIMULATED = ("attach", "build", "builder", "buildx", "commit", "compose", "container", "context",
                  "cp", "create", "diff", "events", "exec", "export", "history", "import", "info",
                  "inspect", "kill", "load", "logs", "network", "pause", "plugin", "port", "ps",
                  "rename", "restart", "rm", "run", "save", "search", "start", "stats", "stop",
                  "system", "top", "trust", "unpause", "update", "version", "volume", "wait")

_OVERVIEW = """
Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers (simulated by imagesim: the image commands below)

Common Commands:
  pull        Download an image from a registry
  push        Upload an image to a registry
  images      List images
  login       Log in to a registry
  logout      Log out from a registry

Management Commands:
  image       Manage images

Commands:
  rmi         Remove one or more images
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Global Options:
  -h, --help      Print usage
  -v, --version   Print version information and quit

Run 'docker COMMAND --help' for more information on a command.
"""

_IMAGE_HELP = """
Usage:  docker image COMMAND

Manage images

Commands:
  ls          List images
  pull        Download an image from a registry
  push        Upload an image to a registry
  rm          Remove one or more images
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
"""

_VERSION = "Docker version 24.0.7, build afdd53b (simulated by imagesim)"


def _usage_text(name: str) -> str:
    spec = _SPECS[name]
    lines = ["", f"Usage:  {spec.usage}", "", spec.summary, ""]
    if spec.aliases:
        lines += ["Aliases:", f"  {spec.aliases}", ""]
    if spec.options:
        lines += ["Options:"] + [f"  {option}" for option in spec.options] + [""]
    return "\n".join(lines)


def _args_error(name: str, count: int) -> _Usage:
    low, high = _SPECS[name].args
    if low == high:
        wanted = f"exactly {low} argument{'s' if low != 1 else ''}"
    elif high is None:
        wanted = f"at least {low} argument{'s' if low != 1 else ''}"
    else:
        wanted = f"at most {high} argument{'s' if high != 1 else ''}"
    spec = _SPECS[name]
    text = (f'"docker {name}" requires {wanted}.\nSee \'docker {name} --help\'.\n\n'
            f"Usage:  {spec.usage}\n\n{spec.summary.splitlines()[0]}")
    return _Usage(text, code=1)


# -------------------------------------------------------------------------------------------
# parsing


def _parse_flags(args: list[str], flags: tuple[Flag, ...], command: str) -> tuple[dict, list[str]]:
    """pflag-style parsing of one docker command's flags (``--help`` always known)."""
    try:
        return parse(args, flags, known=HELP_ONLY)
    except OcUsageError as err:
        raise _Usage(err.message, command) from None


def _reference(text: str) -> ImageReference:
    """A reference the way the docker CLI normalizes it (Docker Hub defaults applied)."""
    try:
        return ImageReference.parse_normalized(text)
    except InvalidReference as err:
        message = re.sub(r"repository name \([^)]*\) must be lowercase", "repository name must be lowercase",
                         err.message)
        raise _Failed(f'Error parsing reference: "{text}" is not a valid repository/tag: {message}') from None


def _familiar(repository: str) -> str:
    """``docker.io/library/mongo`` -> ``mongo``; other registries keep their host."""
    return ImageReference.parse_normalized(repository).familiar_name


def _api_host(host: str) -> str:
    return HUB_API if host == DOCKER_HUB else host


def _unreachable(host: str) -> str:
    api = _api_host(host)
    return f'Get "https://{api}/v2/": dial tcp: lookup {api.rsplit(":", 1)[0]}: i/o timeout'


def _login_host(server: str) -> str:
    host = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", server).split("/", 1)[0]
    return DOCKER_HUB if host in _HUB_ALIASES else host


def _short_id(digest: str) -> str:
    return digest.split(":", 1)[-1][:12]


def _size(size: float) -> str:
    """docker/go-units ``HumanSizeWithPrecision(size, 3)``: what ``docker images`` prints."""
    units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return f"{size:.3g}{units[i]}"


def _manifest_size(layers: tuple[tuple[str, int], ...]) -> int:
    """The length of an image's schema 2 manifest (a config entry plus one entry per layer)."""
    return 328 + sum(204 + len(str(size)) for _, size in layers)


def _substitute(sim: Simulation, line: str, out: Output) -> str:
    """Shell command substitution for ``$(oc ...)`` (``-p $(oc whoami -t)`` in the lesson): the
    command's output replaces it; what it prints on stderr shows, as in a shell."""

    def replace(match: re.Match) -> str:
        result = sim.oc(match.group(1))
        if result.stderr:
            out.err.append(result.stderr)
        return result.stdout.strip()

    return _SUBSTITUTION.sub(replace, line)


# -------------------------------------------------------------------------------------------
# the commands


class _Command:
    def __init__(self, sim: Simulation, state: DockerClient, out: Output, values: dict) -> None:
        self.sim = sim
        self.state = state
        self.out = out
        self.values = values

    @property
    def now(self) -> int:
        return self.sim.clock.now

    # lookups ---------------------------------------------------------------------------------
    def find_local(self, text: str) -> tuple[str, tuple[str, str] | None]:
        """The digest ``text`` names locally, and the name it matched: ``(repository, tag)``,
        ``(repository, "")`` for a digest reference (``repo@sha256:…``), ``None`` for an ID.

        Looks up a name (``gists/lighttpd``, ``...:tag``, ``...@digest``) first, then an image ID
        (a unique prefix of the digest, with or without ``sha256:``), like the daemon.
        """
        state = self.state
        named: ImageReference | None = None
        try:
            named = ImageReference.parse_normalized(text)
        except InvalidReference:
            pass
        if named is not None:
            if named.digest:
                image = state.images.get(named.digest)
                if image is not None and named.repository in image.repo_digests:
                    return named.digest, (named.repository, "")
            else:
                key = (named.repository, named.tag or "latest")
                if key in state.names:
                    return state.names[key], key
        match = _HEX_ID.fullmatch(text)
        if match is not None:
            prefix = match.group(1)
            found = sorted(d for d in state.images if d.split(":", 1)[1].startswith(prefix))
            if text.startswith("sha256:") and len(prefix) == 64 and found:
                return found[0], None
            if len(found) == 1:
                return found[0], None
            if len(found) > 1:
                raise _daemon(f"No such image: {text}")
        if named is None:
            _reference(text)  # raises the parse error
        raise _daemon(f"No such image: {_missing_name(text, named)}")

    def available(self, host: str) -> bool:
        """Whether ``host`` answers now (a host the simulation has never seen has no outages)."""
        registry = self.sim.registries.get(host)
        return registry is None or registry.available(self.now)

    def logged_in(self, host: str) -> bool:
        return host in self.state.logins


def _missing_name(text: str, named: ImageReference | None) -> str:
    if named is None or named.digest:
        return text
    return f"{named.familiar_name}:{named.tag or 'latest'}"


def cmd_login(cmd: _Command, args: list[str]) -> None:
    values = cmd.values
    server = args[0] if args else ""
    host = _login_host(server) if server else DOCKER_HUB
    if not host:
        raise _Failed("Error: Cannot perform an interactive login from a non TTY device")
    if values.get("password-stdin"):
        if values.get("password") is not None:
            raise _Failed("--password and --password-stdin are mutually exclusive")
        if not values.get("username"):
            raise _Failed("Must provide --username with --password-stdin")
        raise _Failed("Error: Cannot perform an interactive login from a non TTY device "
                      "(this simulation has no standard input: use -p)")
    user = values.get("username")
    password = values.get("password")
    if password is not None:
        cmd.out.err.append("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
    if not user or not password:
        raise _Failed("Error: Cannot perform an interactive login from a non TTY device")
    if not cmd.available(host):
        raise _daemon(_unreachable(host))
    if host == INTERNAL_REGISTRY and password != session_token(cmd.sim):
        raise _daemon(f'Get "https://{host}/v2/": unauthorized: authentication required')
    cmd.state.logins[host] = user
    cmd.out.print("Login Succeeded")


def cmd_logout(cmd: _Command, args: list[str]) -> None:
    host = _login_host(args[0]) if args else DOCKER_HUB
    shown = HUB_INDEX if host == DOCKER_HUB else host
    if host not in cmd.state.logins:
        cmd.out.print(f"Not logged in to {shown}")
        return
    del cmd.state.logins[host]
    cmd.out.print(f"Removing login credentials for {shown}")


def _resolve(cmd: _Command, ref: ImageReference, tag: str) -> Image:
    """The image a pull of ``ref`` gets now (one registry request), or docker's error."""
    host, sim = ref.domain, cmd.sim
    shown = ref.familiar_name + (f"@{ref.digest}" if ref.digest else f":{tag}")
    if host == INTERNAL_REGISTRY and not cmd.logged_in(host):
        what = ref.digest or tag
        raise _daemon(f'Head "https://{host}/v2/{ref.path}/manifests/{what}": unauthorized: '
                      "authentication required")
    registry = sim.registries.get(host)
    if registry is None:  # a host nothing was ever pushed to (not created by a failing pull)
        raise _daemon(f"pull access denied for {ref.familiar_name}, repository does not exist or may require "
                      "'docker login': denied: requested access to the resource is denied")
    try:
        return registry.resolve(ref.path, "" if ref.digest else tag, ref.digest, t=cmd.now)
    except RegistryUnavailable:
        raise _daemon(_unreachable(host)) from None
    except NotFound:
        pass
    repo_exists = registry.repository(ref.path) is not None
    if host == INTERNAL_REGISTRY:  # the registry serves image stream tags too (pull-through)
        image = _from_stream(cmd, ref, tag)
        if image is not None:
            return image
        parts = ref.path.split("/")
        repo_exists = repo_exists or (len(parts) == 2 and sim.server.find(parts[0], parts[1]) is not None)
    if repo_exists:
        raise _daemon(f"manifest for {shown} not found: manifest unknown: manifest unknown")
    raise _daemon(f"pull access denied for {ref.familiar_name}, repository does not exist or may require "
                  "'docker login': denied: requested access to the resource is denied")


def _from_stream(cmd: _Command, ref: ImageReference, tag: str) -> Image | None:
    parts = ref.path.split("/")
    if len(parts) != 2:
        return None
    stream = cmd.sim.server.find(parts[0], parts[1])
    if stream is None:
        return None
    if ref.digest:
        items = [item for history in stream.status.values() for item in history.items]
        event = next((item for item in items if item.image == ref.digest), None)
    else:
        event = stream.head(tag)
    if event is None or not event.image:
        return None
    known = cmd.sim.server.images.get(event.image)
    if known is not None:
        return known
    return Image.build(event.image, event.ref.split("@")[0], event.created)


def cmd_pull(cmd: _Command, args: list[str]) -> None:
    ref = _reference(args[0])
    quiet = cmd.values.get("quiet")
    tag = ref.tag or ("" if ref.digest else "latest")
    if not ref.tag and not ref.digest and not quiet:
        cmd.out.print("Using default tag: latest")
    image = _resolve(cmd, ref, tag)
    state = cmd.state
    key = (ref.repository, tag) if tag else None
    local = state.images.get(image.digest)
    had_image = local is not None
    if key is not None:
        up_to_date = state.names.get(key) == image.digest
    else:
        up_to_date = had_image and ref.repository in local.repo_digests
    shown = ref.familiar_name + (f"@{ref.digest}" if ref.digest else f":{tag}")
    full = ref.repository + (f"@{ref.digest}" if ref.digest else f":{tag}")
    # change the local store (nothing can fail from here)
    if local is None:
        local = state.images[image.digest] = LocalImage(image.digest, image.broken, image.created, image.layers)
    local.repo_digests.add(ref.repository)
    if key is not None:
        state.names[key] = image.digest
    if quiet:
        cmd.out.print(full)
        return
    cmd.out.print(f"{ref.digest or tag}: Pulling from {ref.familiar_name}")
    if not up_to_date:
        for layer, _ in image.layers:
            cmd.out.print(f"{_short_id(layer)}: {'Already exists' if had_image else 'Pull complete'}")
    cmd.out.print(f"Digest: {image.digest}")
    if up_to_date:
        cmd.out.print(f"Status: Image is up to date for {shown}")
    else:
        cmd.out.print(f"Status: Downloaded newer image for {shown}")
    cmd.out.print(full)


def cmd_tag(cmd: _Command, args: list[str]) -> None:
    target = _reference(args[1])
    digest, _ = cmd.find_local(args[0])
    if target.digest:
        raise _daemon("refusing to create a tag with a digest reference")
    cmd.state.names[(target.repository, target.tag or "latest")] = digest


def _push_refusal(cmd: _Command, ref: ImageReference) -> str:
    """Why the target registry refuses this push ("" when it accepts it)."""
    host = ref.domain
    if not cmd.logged_in(host):
        if host == INTERNAL_REGISTRY:
            return "unauthorized: authentication required"
        return "denied: requested access to the resource is denied"
    if host == DOCKER_HUB and ref.path.startswith("library/"):
        return "denied: requested access to the resource is denied"
    if host == INTERNAL_REGISTRY:
        parts = ref.path.split("/")
        if len(parts) != 2:
            return (f"name invalid: invalid repository name {ref.path!r}: the internal registry takes "
                    "<project>/<image stream>")
        namespace, name = parts
        if namespace not in cmd.sim.server.namespaces:
            return "denied: requested access to the resource is denied"
        reasons = validate_imagestream_name(name, namespace)
        if reasons:
            return f'name invalid: invalid image stream name "{name}": {"; ".join(reasons)}'
    return ""


def _layer_status(cmd: _Command, ref: ImageReference, digest: str) -> str:
    registry = cmd.sim.registry(ref.domain)
    repo = registry.repository(ref.path)
    if repo is not None and digest in repo.images:
        return "Layer already exists"
    for path in sorted(registry.repositories):
        if digest in registry.repositories[path].images:
            return f"Mounted from {path}"
    return "Pushed"


def cmd_push(cmd: _Command, args: list[str]) -> None:
    ref = _reference(args[0])
    quiet = bool(cmd.values.get("quiet"))
    all_tags = bool(cmd.values.get("all-tags"))
    state, sim = cmd.state, cmd.sim
    if ref.digest:
        raise _daemon("cannot push a digest reference")
    if all_tags and ref.tag:
        raise _Failed("tag can't be used with --all-tags/-a")
    if all_tags:
        tags = sorted(tag for repository, tag in state.names if repository == ref.repository)
    else:
        tags = [ref.tag or "latest"]
        if not ref.tag and not quiet:
            cmd.out.print("Using default tag: latest")
    if not quiet:
        cmd.out.print(f"The push refers to repository [{ref.repository}]")
    missing = [tag for tag in tags if (ref.repository, tag) not in state.names]
    if not tags or missing:
        raise _Failed(f"An image does not exist locally with the tag: {ref.familiar_name}")
    host = ref.domain
    if not cmd.available(host):
        raise _Failed(_unreachable(host))
    refusal = _push_refusal(cmd, ref)
    if refusal:
        if not quiet:
            first = state.images[state.names[(ref.repository, tags[0])]]
            for layer, _ in reversed(first.layers):
                cmd.out.print(f"{_short_id(layer)}: Preparing")
        raise _Failed(refusal)
    # every check passed: push
    for tag in tags:
        digest = state.names[(ref.repository, tag)]
        local = state.images[digest]
        status = _layer_status(cmd, ref, digest)
        repo = sim.registry(host).repository(ref.path, create=True)
        assert repo is not None
        # the registry stores the image as built (its creation time and layers travel with it)
        repo.images.setdefault(digest, Image(digest, ref.repository, local.created, local.broken, local.layers))
        try:
            sim.push(f"{ref.repository}:{tag}", digest=digest, broken=local.broken)
        except ImageSimError as err:  # pragma: no cover - the checks above make this unreachable
            raise _Failed(str(err)) from None
        local.repo_digests.add(ref.repository)
        if quiet:
            cmd.out.print(f"{ref.repository}:{tag}")
            continue
        for layer, _ in reversed(local.layers):
            cmd.out.print(f"{_short_id(layer)}: {status}")
        cmd.out.print(f"{tag}: digest: {digest} size: {_manifest_size(local.layers)}")


def cmd_images(cmd: _Command, args: list[str]) -> None:
    state = cmd.state
    wanted: ImageReference | None = _reference(args[0]) if args else None
    no_trunc = bool(cmd.values.get("no-trunc"))
    digests = bool(cmd.values.get("digests"))
    rows: list[tuple[int, str, str, str, LocalImage]] = []
    for digest, image in state.images.items():
        names = state.names_of(digest)
        tagged = {repository for repository, _ in names}
        entries = [(repository, tag) for repository, tag in names]
        entries += [(repository, "") for repository in sorted(image.repo_digests - tagged)]
        if not entries:
            entries = [("", "")]
        for repository, tag in entries:
            if wanted is not None:
                if repository != wanted.repository or (wanted.tag and tag != wanted.tag):
                    continue
            shown = _familiar(repository) if repository else _NONE
            rows.append((-image.created, shown, tag or _NONE, repository, image))
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[4].digest))
    if cmd.values.get("quiet"):
        for row in rows:
            cmd.out.print(row[4].digest if no_trunc else row[4].id)
        return
    header = ["REPOSITORY", "TAG"] + (["DIGEST"] if digests else []) + ["IMAGE ID", "CREATED", "SIZE"]
    table = [header]
    for _, shown, tag, repository, image in rows:
        cells = [shown, tag]
        if digests:
            cells.append(image.digest if repository and repository in image.repo_digests else _NONE)
        cells += [image.digest if no_trunc else image.id, f"{human_duration(cmd.now - image.created)} ago",
                  _size(image.size)]
        table.append(cells)
    text = "\n".join("\t".join(cells) for cells in table)
    cmd.out.print(tabwrite(text, minwidth=10, tabwidth=1, padding=3, padchar=" "))


def _delete(cmd: _Command, digest: str) -> None:
    image = cmd.state.images.pop(digest)
    for repository in sorted(image.repo_digests):
        cmd.out.print(f"Untagged: {_familiar(repository)}@{digest}")
    cmd.out.print(f"Deleted: {digest}")
    for layer, _ in reversed(image.layers):
        cmd.out.print(f"Deleted: {layer}")


def cmd_rmi(cmd: _Command, args: list[str]) -> None:
    state = cmd.state
    force = bool(cmd.values.get("force"))
    failed = False
    for text in args:
        try:
            digest, name = cmd.find_local(text)
            if name is None:
                names = state.names_of(digest)
                if len({repository for repository, _ in names}) > 1 and not force:
                    raise _daemon(f"conflict: unable to delete {_short_id(digest)} (must be forced) - "
                                  "image is referenced in multiple repositories")
            else:
                names = [name]
        except _Failed as err:
            cmd.out.err.append(err.message + "\n")
            failed = True
            continue
        image = state.images[digest]
        for repository, tag in names:
            if tag:
                del state.names[(repository, tag)]
                cmd.out.print(f"Untagged: {_familiar(repository)}:{tag}")
            else:  # a digest reference: the image goes once nothing else names it
                image.repo_digests.discard(repository)
                cmd.out.print(f"Untagged: {_familiar(repository)}@{digest}")
        if not state.names_of(digest) and (name is None or name[1] or not image.repo_digests):
            _delete(cmd, digest)
    if failed:
        raise _Failed()


_COMMANDS = {"login": cmd_login, "logout": cmd_logout, "pull": cmd_pull, "push": cmd_push, "tag": cmd_tag,
             "images": cmd_images, "rmi": cmd_rmi}


def _dispatch(sim: Simulation, args: list[str], out: Output) -> None:
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flag = args[0]
        if flag in ("-h", "--help"):
            out.write(_OVERVIEW.lstrip("\n"))
            return
        if flag in ("-v", "--version"):
            out.print(_VERSION)
            return
        if flag.startswith("--"):
            raise _Usage(f"unknown flag: {flag.split('=', 1)[0]}")
        raise _Usage(f"unknown shorthand flag: '{flag[1]}' in {flag}")
    if not args or args[0] == "help" and len(args) == 1:
        out.write(_OVERVIEW.lstrip("\n"))
        return
    name, rest = args[0], args[1:]
    if name == "help":
        name, rest = rest[0], ["--help"]
    shown = name
    if name == "image":
        if not rest or rest[0] in ("-h", "--help", "help"):
            out.write(_IMAGE_HELP.lstrip("\n"))
            return
        sub = rest[0]
        if sub not in _IMAGE_SUBCOMMANDS:
            raise _Usage(f"docker: 'image {sub}' is not a docker command.\nSee 'docker image --help'", code=125,
                         usage=True)
        shown, name, rest = f"image {sub}", _IMAGE_SUBCOMMANDS[sub], rest[1:]
    if name not in _COMMANDS:
        if name in _NOT_SIMULATED:
            raise _Usage(f"docker: '{name}' is a docker command this simulation does not model "
                         "(it has the image commands: login, logout, pull, tag, push, images, rmi).\n"
                         "See 'docker --help'", usage=True)
        raise _Usage(f"docker: '{name}' is not a docker command.\nSee 'docker --help'", usage=True)
    spec = _SPECS[name]
    values, positional = _parse_flags(rest, spec.flags, shown)
    if values.get("help"):
        out.write(_usage_text(name).lstrip("\n").replace(f"docker {name} ", f"docker {shown} ", 1))
        return
    low, high = spec.args
    if len(positional) < low or (high is not None and len(positional) > high):
        raise _args_error(name, len(positional))
    _COMMANDS[name](_Command(sim, client(sim), out, values), positional)


def run_docker(sim: Simulation, line: str) -> OcResult:
    """Run one ``docker`` command line (the leading ``docker`` is optional) on the student's
    machine of ``sim``; never raises for user mistakes."""
    out = Output()
    try:
        if not isinstance(line, str):
            raise _Usage(f"docker: expected a command line (str), got {type(line).__name__}", usage=True)
        if len(line) > 100_000:
            raise _Usage("docker: command line too long", usage=True)
        try:
            args = split_line(_substitute(sim, line, out))
        except OcUsageError as err:
            raise _Usage(f"docker: {err.message}", usage=True) from None
        if args and args[0] == "docker":
            args = args[1:]
        _dispatch(sim, args, out)
    except _Usage as err:
        text = err.message
        if not err.usage and err.code == 125:
            text += f"\nSee 'docker {err.command} --help'." if err.command else "\nSee 'docker --help'."
        out.error(text, err.code)
    except _Failed as err:
        if err.message:
            out.error(err.message)
        out.code = 1
    except ImageSimError as err:
        out.error(f"Error response from daemon: {err}")
    except RecursionError:
        out.error("docker: input too deeply nested", 125)
    finally:
        try:
            sim._settle()
        except Exception:  # noqa: BLE001 - the command already reported its own result
            pass
    return OcResult("".join(out.out), "".join(out.err), out.code)
