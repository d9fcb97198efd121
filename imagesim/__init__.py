"""imagesim: a teaching and simulation kit for OpenShift ImageStreams.

``Simulation`` is a seeded, simulated cluster with registries and image streams on a simulated
clock; ``sim.oc("...")`` runs the commands a student types on a real cluster;
``scenarios`` builds ready-made worlds. ``%load_ext imagesim`` gives the ``%oc`` magics.
"""

from __future__ import annotations

from . import scenarios
from .clock import human_duration, parse_duration
from .errors import (
    AlreadyExists,
    ClockError,
    Conflict,
    ImageSimError,
    Invalid,
    InvalidReference,
    NotFound,
)
from .imagestream import ImageStream, TagEvent, TagReference
from .reference import DockerImageReference, ImageReference
from .simulation import Simulation

__version__ = "0.1.0"

__all__ = [
    "AlreadyExists",
    "ClockError",
    "Conflict",
    "DockerImageReference",
    "ImageReference",
    "ImageSimError",
    "ImageStream",
    "Invalid",
    "InvalidReference",
    "NotFound",
    "Simulation",
    "TagEvent",
    "TagReference",
    "__version__",
    "human_duration",
    "parse_duration",
    "scenarios",
    "use",
]


def __getattr__(name: str):
    """``imagesim.use(sim)``: :func:`imagesim.oc.magic.use`, imported on first use (so that
    ``import imagesim`` loads neither IPython nor the magics)."""
    if name == "use":
        from .oc.magic import use

        return use
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:  # pragma: no cover - exercised in notebooks
    """``%load_ext imagesim``: register the ``%oc`` and ``%%oc`` magics."""
    from .oc.magic import register

    register(ipython)
