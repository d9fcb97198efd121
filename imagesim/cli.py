"""The ``imagesim`` console script.

    imagesim lab [--port N] [--no-browser] [--dir PATH]   open the labs in JupyterLab
    imagesim oc ARGS...                                    one oc command against the default world
    imagesim version                                       print the version

Only the standard library is imported here at module level: ``imagesim version`` and the error
message for a missing JupyterLab must work on a bare ``pip install imagesim``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

__all__ = ["copy_labs", "find_notebooks", "lab_command", "main"]

PROG = "imagesim"
DEFAULT_WORKDIR = "imagesim-labs"
LAB_EXTRA_HINT = "pip install 'imagesim[lab]'"
# Where the wheel puts the notebooks, relative to an installation scheme's data directory.
SHARED_NOTEBOOKS = Path("share", "imagesim", "notebooks")
# Never copied into a student's working folder (test plumbing and Jupyter's own caches).
_SKIP_NAMES = {"conftest.py", "__pycache__", ".ipynb_checkpoints"}


# -- finding and copying the notebooks -------------------------------------------------------


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _checkout_notebooks() -> Path | None:
    """``<repo>/notebooks`` when imagesim runs from a source checkout (or an editable install)."""
    root = _package_dir().parent
    notebooks = root / "notebooks"
    if notebooks.is_dir() and (root / "pyproject.toml").is_file():
        return notebooks
    return None


def _installed_notebook_candidates() -> list[Path]:
    """The places a wheel install may have put ``share/imagesim/notebooks``, most likely first."""
    bases = [sysconfig.get_paths()["data"], sys.prefix, sys.exec_prefix]
    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        bases.append(user_base)
    seen: list[Path] = []
    for base in bases:
        candidate = Path(base) / SHARED_NOTEBOOKS
        if candidate not in seen:
            seen.append(candidate)
    return seen


def find_notebooks() -> tuple[Path, bool]:
    """Return ``(notebooks_dir, is_checkout)``.

    A source checkout uses ``<repo>/notebooks`` in place; an installed copy uses the notebooks
    shipped with the wheel. Raises ``FileNotFoundError`` naming the places searched.
    """
    checkout = _checkout_notebooks()
    if checkout is not None:
        return checkout, True
    candidates = _installed_notebook_candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate, False
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"cannot find the imagesim notebooks (looked in {searched})")


def _lab_files(source: Path) -> list[Path]:
    """Files under ``source`` that belong in a working folder, as sorted relative paths."""
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part in _SKIP_NAMES for part in rel.parts) or not path.is_file():
            continue
        files.append(rel)
    return files


def copy_labs(source: Path, dest: Path) -> tuple[list[Path], list[Path]]:
    """Copy the labs from ``source`` into ``dest``, never overwriting a file that is there.

    Returns ``(copied, kept)``: relative paths copied now, and relative paths left untouched
    because ``dest`` already had them (a student's edits survive every later run).
    """
    source = Path(source)
    dest = Path(dest)
    copied: list[Path] = []
    kept: list[Path] = []
    for rel in _lab_files(source):
        target = dest / rel
        if target.exists():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, target)
        copied.append(rel)
    return copied, kept


# -- imagesim lab --------------------------------------------------------------------------


def lab_command(args: argparse.Namespace, notebooks_dir: Path | str) -> list[str]:
    """The JupyterLab command line for ``imagesim lab``.

    The server listens on 127.0.0.1 only and keeps Jupyter's token authentication: no token or
    password setting is ever passed, so Jupyter generates a token and prints the URL with it.
    """
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={Path(notebooks_dir).resolve()}",
    ]
    if getattr(args, "port", None) is not None:
        cmd.append(f"--port={args.port}")
    if getattr(args, "no_browser", False):
        cmd.append("--no-browser")
    if getattr(args, "allow_root", False):
        cmd.append("--allow-root")
    return cmd


def _jupyterlab_available() -> bool:
    try:
        return importlib.util.find_spec("jupyterlab") is not None
    except (ImportError, ValueError):
        return False


def _run_jupyterlab(cmd: list[str]) -> int:
    """Replace this process with JupyterLab (POSIX) or run it as a child (elsewhere)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(cmd[0], cmd)  # does not return
    return subprocess.call(cmd)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def _cmd_lab(args: argparse.Namespace) -> int:
    if not _jupyterlab_available():
        print(
            f"{PROG}: error: JupyterLab is not installed; install the lab extra: {LAB_EXTRA_HINT}",
            file=sys.stderr,
        )
        return 2
    try:
        source, is_checkout = find_notebooks()
    except FileNotFoundError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1

    if is_checkout and args.dir is None:
        workdir = source  # a checkout opens its own notebooks/ in place
    else:
        workdir = Path(args.dir if args.dir is not None else DEFAULT_WORKDIR)
        if workdir.exists() and not workdir.is_dir():
            print(f"{PROG}: error: {workdir} exists and is not a folder", file=sys.stderr)
            return 1
        copied, kept = copy_labs(source, workdir)
        for rel in copied:
            print(f"copied {rel} -> {_display(workdir / rel)}")
        if kept:
            print(f"kept {len(kept)} existing file(s) in {_display(workdir)} unchanged")
        if not copied and not kept:
            print(f"{PROG}: warning: no notebooks found in {source}", file=sys.stderr)

    print(f"opening {_display(workdir)} in JupyterLab (127.0.0.1 only, token authentication on)")
    return _run_jupyterlab(lab_command(args, workdir))


# -- imagesim oc / version -----------------------------------------------------------------


def _write(stream, text: str) -> None:
    if text:
        stream.write(text if text.endswith("\n") else text + "\n")


def _oc_unavailable(exc: Exception) -> int:
    print(
        f"{PROG}: error: the oc emulator is not available in this build of imagesim ({exc})",
        file=sys.stderr,
    )
    return 1


def _cmd_oc(argv: list[str]) -> int:
    try:
        from imagesim import scenarios

        make_world = scenarios.openshift_catalog
    except (ImportError, AttributeError) as exc:
        return _oc_unavailable(exc)
    # The words are re-joined with shell quoting, so the emulator splits them back unchanged.
    try:
        result = make_world(seed=0).oc(shlex.join(argv))
    except ImportError as exc:  # a part of the emulator missing from this build
        return _oc_unavailable(exc)
    _write(sys.stdout, result.stdout)
    _write(sys.stderr, result.stderr)
    sys.stdout.flush()
    return int(result.exit_code)


def version() -> str:
    """The installed distribution's version, else the package's ``__version__``."""
    from importlib import metadata

    try:
        return metadata.version("imagesim")
    except metadata.PackageNotFoundError:
        import imagesim

        return str(getattr(imagesim, "__version__", "0+unknown"))


def _cmd_version(args: argparse.Namespace) -> int:
    print(version())
    return 0


# -- argument parsing ----------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="imagesim: a teaching and simulation kit for OpenShift ImageStreams.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    lab = sub.add_parser(
        "lab",
        help="open the labs in JupyterLab",
        description=(
            "Open the imagesim notebooks in JupyterLab, listening on 127.0.0.1 with token "
            "authentication. From an installed copy, the notebooks are first copied into a "
            f"working folder (default ./{DEFAULT_WORKDIR}); files already there are never "
            "overwritten. A source checkout opens its notebooks/ folder unless --dir is given."
        ),
    )
    lab.add_argument("--port", type=_port, default=None, help="port to listen on")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument(
        "--allow-root",
        action="store_true",
        help="let JupyterLab run as root (containers); Jupyter refuses root otherwise",
    )
    lab.add_argument(
        "--dir",
        default=None,
        metavar="PATH",
        help=f"working folder for your copy of the labs (default: ./{DEFAULT_WORKDIR})",
    )
    lab.set_defaults(func=_cmd_lab)

    oc = sub.add_parser(
        "oc",
        help="run one oc command against a fresh default world",
        description="Run one oc command against scenarios.openshift_catalog(seed=0).",
    )
    oc.add_argument("oc_args", nargs=argparse.REMAINDER, metavar="ARGS", help="oc arguments")

    ver = sub.add_parser("version", help="print the version")
    ver.set_defaults(func=_cmd_version)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after `oc` belongs to oc, flags included (`imagesim oc -n openshift get is`).
    if argv and argv[0] == "oc":
        return _cmd_oc(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
