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
]


def load_ipython_extension(ipython) -> None:  # pragma: no cover - exercised in notebooks
    """``%load_ext imagesim``: register the ``%oc`` and ``%%oc`` magics."""
    from .oc.magic import register

    register(ipython)
