"""The ``oc`` emulator: run a command line against a Simulation and get what ``oc`` prints.

``run(sim, "get is -n openshift")`` returns an :class:`OcResult`; user mistakes come back as
oc-style text on stderr with a non-zero exit code, never as a Python exception. A command that
fails changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import AlreadyExists, ClockError, Conflict, Invalid, InvalidReference, NotFound, OcUsageError
from .flags import split_line

if TYPE_CHECKING:
    from ..simulation import Simulation

__all__ = ["OcResult", "run"]


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
    except (InvalidReference, ClockError) as err:
        out.error(f"error: {err}")
    except RecursionError:
        out.error("error: input too deeply nested")
    finally:
        try:
            sim._settle()
        except Exception:  # noqa: BLE001 - the command already reported its own result
            pass
    return OcResult("".join(out.out), "".join(out.err), out.code)
