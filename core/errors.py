"""Domain exceptions. Each carries a message a branch head can act on (Chinese by default)."""

from __future__ import annotations


class ConsoleError(Exception):
    """Base of every error the console turns into a user message."""


class IngestError(ConsoleError):
    """A file cannot be used at all (unreadable, no header row, a required column missing)."""


class PolicyError(ConsoleError):
    """A policy is invalid; ``problems`` lists every rule it breaks."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


class RosterError(ConsoleError):
    """A staff roster cannot be used."""


class StorageError(ConsoleError):
    """A database operation was refused (duplicate snapshot, unknown outlet, ...)."""


class AuthError(ConsoleError):
    """An account operation was refused (bad password, unknown user, ...)."""
