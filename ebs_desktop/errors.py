"""Errors a person can act on. Each says what is wrong and where (file, line, field, value).

Services raise these; the CLI prints ``error: <message>`` and exits non-zero; the GUI shows
the message in a dialog. Anything else is a bug and shows a traceback with ``--debug``.
"""

from __future__ import annotations


class EbsError(Exception):
    """Base class: a clear, actionable message."""

    exit_code = 1


class ConfigError(EbsError):
    """Configuration or environment problem (database URL, keyring, network share)."""


class SchemaError(EbsError):
    """The database schema is missing, older or newer than this program knows."""


class NotFound(EbsError):
    """A referenced record (account, bill, user...) does not exist."""


class ValidationError(EbsError):
    """Input refused; ``location`` names the place (file:line, field) when known."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class PermissionDenied(EbsError):
    """The acting user's roles do not allow this action."""

    exit_code = 3


class AuthenticationError(EbsError):
    """Wrong credentials, disabled or locked user."""

    exit_code = 3


class ConflictError(EbsError):
    """The action conflicts with the current state (shift already open, bill cancelled...)."""


class DeviceError(EbsError):
    """A device or its library is missing, silent, or answered something invalid."""

