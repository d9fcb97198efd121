"""Command-line parsing the way ``oc`` (cobra + pflag) does it.

``parse(args, spec)`` splits arguments into flags and positionals: ``--flag=value``,
``--flag value``, ``-n value``, ``-nvalue``, boolean flags with optional ``=true|false``,
repeatable flags, and ``--`` to end flags. Mistakes raise ``OcUsageError`` with pflag's text.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from .._grammar import go_quote
from ..errors import OcUsageError

__all__ = ["Flag", "OcError", "parse", "split_line"]


class OcError(OcUsageError):
    """A command's own error (Go's ``fmt.Errorf``): printed as ``error: …`` without the
    ``See 'oc CMD -h'`` hint that usage errors (``UsageErrorf``, flag mistakes) get."""

    usage = False


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str = "str"  # "str" | "bool" | "int" | "list"
    short: str = ""
    default: object = None


GLOBAL_FLAGS = (
    Flag("namespace", "str", "n"),
    Flag("help", "bool", "h"),
    Flag("loglevel", "int"),
    Flag("server", "str"),
    Flag("token", "str"),
    Flag("kubeconfig", "str"),
    Flag("context", "str"),
    Flag("insecure-skip-tls-verify", "bool"),
    Flag("request-timeout", "str"),
)


def split_line(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError as err:
        raise OcUsageError(f"cannot parse command line: {err}") from None


def _bool(value: str, flag: str) -> bool:
    if value in ("1", "t", "T", "TRUE", "true", "True"):  # strconv.ParseBool
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise OcUsageError(f"invalid argument {go_quote(value)} for {go_quote(flag)} flag: strconv.ParseBool: "
                       f"parsing {go_quote(value)}: invalid syntax")


# strconv.ParseInt(s, 0, 64), what pflag's int flags use: a sign, then a Go integer literal
# (0x / 0o / 0b prefixes, a leading 0 for octal, "_" between digits); ASCII only, no spaces.
_GO_INT = re.compile(r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+"
                     r"|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)")
_INT64 = 2**63


def _int(value: str, flag: str) -> int:
    if not _GO_INT.fullmatch(value):
        raise OcUsageError(f"invalid argument {go_quote(value)} for {go_quote(flag)} flag: strconv.ParseInt: "
                           f"parsing {go_quote(value)}: invalid syntax")
    body = value.lstrip("+-").replace("_", "")
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        number = int(body[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    else:
        number = int(body, 8 if body.startswith("0") else 10)
    if value.startswith("-"):
        number = -number
    if not -_INT64 <= number < _INT64:
        raise OcUsageError(f"invalid argument {go_quote(value)} for {go_quote(flag)} flag: strconv.ParseInt: "
                           f"parsing {go_quote(value)}: value out of range")
    return number


def _store(values: dict, flag: Flag, value: str, shown: str) -> None:
    if flag.kind == "bool":
        values[flag.name] = _bool(value, shown)
    elif flag.kind == "int":
        values[flag.name] = _int(value, shown)
    elif flag.kind == "list":
        values.setdefault(flag.name, []).extend(v for v in value.split(",") if v != "" or value == "")
    else:
        values[flag.name] = value


HELP_ONLY = (Flag("help", "bool", "h"),)


def parse(args: list[str], flags: tuple[Flag, ...], *, known: tuple[Flag, ...] = GLOBAL_FLAGS) -> tuple[dict, list[str]]:
    """Return (flag values by long name, positional arguments).

    ``known`` are the flags every command takes (``oc``'s global flags by default).
    """
    spec = {f.name: f for f in known + flags}
    shorts = {f.short: f for f in known + flags if f.short}
    values: dict = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional.extend(args[i:])
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            flag = spec.get(name)
            if flag is None:
                raise OcUsageError(f"unknown flag: --{name}")
            if flag.kind == "bool":
                _store(values, flag, value if eq else "true", f"--{name}")
            elif eq:
                _store(values, flag, value, f"--{name}")
            else:
                if i >= len(args):
                    raise OcUsageError(f"flag needs an argument: --{name}")
                _store(values, flag, args[i], f"--{name}")
                i += 1
            continue
        if arg.startswith("-") and len(arg) > 1 and arg != "-":
            chars = arg[1:]
            j = 0
            while j < len(chars):
                c = chars[j]
                flag = shorts.get(c)
                if flag is None:
                    raise OcUsageError(f"unknown shorthand flag: '{c}' in -{chars}")
                rest = chars[j + 1:]
                if flag.kind == "bool":
                    if rest.startswith("="):
                        _store(values, flag, rest[1:], f"-{c}")
                        break
                    values[flag.name] = True
                    j += 1
                    continue
                if rest:
                    _store(values, flag, rest[1:] if rest.startswith("=") else rest, f"-{c}")
                elif i < len(args):
                    _store(values, flag, args[i], f"-{c}")
                    i += 1
                else:
                    raise OcUsageError(f"flag needs an argument: '{c}' in -{c}")
                break
            continue
        positional.append(arg)
    return values, positional
