"""The ``%oc`` line magic and ``%%oc`` cell magic (``%load_ext imagesim``), and ``%docker``.

``%oc get is`` runs against the current simulation: the one passed to :func:`use`, else the one
created most recently. ``%%oc apply -f -`` passes the cell body as standard input.
``%docker push image-registry.openshift-image-registry.svc:5000/myproject/lighttpd`` runs the
docker emulator against the same simulation (``%%docker``: one command per line).
"""

from __future__ import annotations

import sys

from ..simulation import Simulation, latest_simulation

__all__ = ["current", "register", "run_docker_magic", "run_magic", "use"]

_chosen: list[Simulation] = []


def use(sim: Simulation) -> Simulation:
    """Make ``sim`` the simulation that ``%oc`` talks to."""
    _chosen[:] = [sim]
    return sim


def current() -> Simulation | None:
    return _chosen[0] if _chosen else latest_simulation()


def run_magic(line: str, cell: str | None = None) -> None:
    sim = current()
    if sim is None:
        print("error: no simulation yet: create one, e.g. sim = scenarios.openshift_catalog()", file=sys.stderr)
        return
    if cell is not None and not line.strip():
        commands = [c for c in cell.splitlines() if c.strip() and not c.lstrip().startswith("#")]
        for command in commands:
            _emit(sim.oc(command))
        return
    _emit(sim.oc(line) if cell is None else sim.oc_stdin(line, cell))


def run_docker_magic(line: str, cell: str | None = None) -> None:
    sim = current()
    if sim is None:
        print("error: no simulation yet: create one, e.g. sim = scenarios.openshift_catalog()", file=sys.stderr)
        return
    commands = [line]
    if cell is not None:  # %%docker: the line (if any), then one command per line of the cell
        commands = [line] if line.strip() else []
        commands += [c for c in cell.splitlines() if c.strip() and not c.lstrip().startswith("#")]
    for command in commands:
        _emit(sim.docker(command))


def _emit(result) -> None:
    if result.stdout:
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
    if result.stderr:
        sys.stderr.write(result.stderr)
        sys.stderr.flush()


def register(ipython) -> None:
    from IPython.core.magic import register_line_cell_magic

    def oc(line: str, cell: str | None = None) -> None:
        run_magic(line, cell)

    ipython.register_magic_function(oc, magic_kind="line_cell", magic_name="oc")

    def docker(line: str, cell: str | None = None) -> None:
        run_docker_magic(line, cell)

    ipython.register_magic_function(docker, magic_kind="line_cell", magic_name="docker")
    del register_line_cell_magic
