"""The ``oc`` emulator: run a command line against a Simulation and get what ``oc`` prints.

``run(sim, "get is -n openshift")`` returns an :class:`OcResult`; user mistakes come back as
oc-style text on stderr with a non-zero exit code, never as a Python exception. A command that
fails changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import AlreadyExists, Conflict, ImageSimError, Invalid, NotFound, OcUsageError
from .flags import split_line

if TYPE_CHECKING:
    from ..simulation import Simulation

__all__ = ["OcResult", "read_only_command", "run"]


@dataclass(frozen=True)
class OcResult:
    """What an ``oc`` command printed: ``stdout``, ``stderr`` and its ``exit_code``."""

    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return (self.stdout + self.stderr).rstrip("\n") or f"OcResult(exit_code={self.exit_code})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython display: like a terminal
        printer.text(repr(self))

    def _repr_html_(self) -> str | None:  # a <pre> block, when imagesim.display.html_reprs() is on
        from ..display import pre_html

        return pre_html(repr(self), error=not self.ok and not self.stdout)


class Output:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []
        self.code = 0

    def print(self, text: str = "") -> None:
        self.out.append(text if text.endswith("\n") else text + "\n")

    def write(self, text: str) -> None:
        self.out.append(text)

    def error(self, text: str, code: int = 1) -> None:
        self.err.append(text if text.endswith("\n") else text + "\n")
        self.code = code


def run(sim: Simulation, line: str, stdin: str | None = None) -> OcResult:
    """Run one ``oc`` command line (the leading ``oc`` is optional)."""
    from .commands import dispatch

    out = Output()
    command = ""
    try:
        if not isinstance(line, str):
            raise OcUsageError(f"expected a command line (str), got {type(line).__name__}")
        if stdin is not None and not isinstance(stdin, str):
            raise OcUsageError(f"expected standard input as text (str), got {type(stdin).__name__}")
        if len(line) > 100_000:
            raise OcUsageError("command line too long")
        args = split_line(line)
        if args and args[0] == "oc":
            args = args[1:]
        command = args[0] if args else ""
        dispatch(sim, args, out, stdin)
    except OcUsageError as err:
        out.error(f"error: {err.message}")
        if command and getattr(err, "usage", True) and not err.message.startswith("unknown command"):
            out.error(f"See 'oc {command} -h' for help and examples")
    except (Invalid,) as err:
        out.error(err.message)
    except (NotFound, AlreadyExists, Conflict) as err:
        out.error(f"Error from server ({err.reason}): {err.message}")
    except ImageSimError as err:  # a bad reference or time, a read-only view, any other refusal
        out.error(f"error: {err}")
    except RecursionError:
        out.error("error: input too deeply nested")
    finally:
        try:
            sim._settle()
        except Exception:  # noqa: BLE001 - the command already reported its own result
            pass
    return OcResult("".join(out.out), "".join(out.err), out.code)


_READ_ONLY = {"get", "describe", "logs", "help", "whoami", "projects", "version", "explain"}


def read_only_command(line: str) -> bool:
    """True for an ``oc`` command line that only reads (allowed on a view of the past)."""
    try:
        args = split_line(line) if isinstance(line, str) else []
    except OcUsageError:
        return True  # it fails to parse, so it changes nothing
    if args and args[0] == "oc":
        args = args[1:]
    if not args or args[0] in _READ_ONLY or args[0].startswith("-") or "--help" in args or "-h" in args:
        return True
    verb, rest = args[0], args[1:]
    if verb == "project":
        return not [a for a in rest if not a.startswith("-")] or "-q" in rest or "--short" in rest
    if verb == "rollout":
        return bool(rest) and rest[0] in ("status", "history")
    if verb == "adm":
        if rest[:1] and rest[0] in ("cordon", "uncordon", "drain"):
            return False
        return "--confirm" not in rest and not any(a.startswith("--confirm=") and a != "--confirm=false" for a in rest)
    if verb == "import-image":
        return "--dry-run" in rest
    if verb == "set" and rest[:1] == ["triggers"]:
        changing = ("--auto", "--manual", "--remove", "--remove-all", "--from-image", "--from-config")
        return not any(a.split("=")[0] in changing for a in rest)
    return False
