"""The exceptions of imagesim.

Every error the package raises on purpose is an :class:`ImageSimError`. Errors caused by bad input
are also ``ValueError`` (or ``LookupError`` for missing objects), so ``except ValueError`` keeps
working. Each error carries the message the real OpenShift or Docker tooling prints, so the ``oc``
emulator can show it unchanged. This module imports nothing from imagesim.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExists",
    "ClockError",
    "Conflict",
    "ImageSimError",
    "Invalid",
    "InvalidReference",
    "NotFound",
    "OcUsageError",
    "SavedLabError",
    "invalid_text",
]


class ImageSimError(Exception):
    """Base class of every error imagesim raises on purpose."""


class InvalidReference(ImageSimError, ValueError):
    """An image reference, stream tag name or digest that does not parse.

    ``str(err)`` is the message the real parser gives ("invalid reference format", ...);
    ``text`` is the input that was refused.
    """

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.text = text


class ClockError(ImageSimError, ValueError):
    """A time or duration that cannot be used: in the past, malformed, negative."""


class Invalid(ImageSimError, ValueError):
    """An API object the server would refuse (``The ImageStream "x" is invalid: ...``).

    ``reason`` is the API status reason (``Invalid``, ``BadRequest``); ``message`` the full text.
    """

    reason = "Invalid"

    def __init__(self, message: str, *, reason: str = "Invalid") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class NotFound(ImageSimError, LookupError):
    """An object that does not exist (``imagestreams.image.openshift.io "x" not found``)."""

    reason = "NotFound"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyExists(ImageSimError, ValueError):
    """An object created twice (``imagestreams.image.openshift.io "x" already exists``)."""

    reason = "AlreadyExists"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(ImageSimError, ValueError):
    """A request that conflicts with the current state (``multiple images match the prefix``)."""

    reason = "Conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OcUsageError(ImageSimError, ValueError):
    """A client-side ``oc`` mistake: unknown flag, missing argument (printed as ``error: ...``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SavedLabError(ImageSimError, ValueError):
    """A saved lab that cannot be loaded: unreadable, from a newer format, truncated or edited."""


def invalid_text(kind: str, name: str, errors: list[str]) -> str:
    """How ``oc`` reports the API server's refusal of an invalid object: one cause on the line,
    more than one listed below it (each once, in the server's order)."""
    causes = list(dict.fromkeys(errors))
    if len(causes) == 1:
        return f'The {kind} "{name}" is invalid: {causes[0]}'
    return f'The {kind} "{name}" is invalid: \n' + "\n".join(f"* {cause}" for cause in causes)
