"""Domain exceptions. Each carries a message key and its fields, rendered in the language of whoever reads it.

``raise StorageError("storage.snapshot.unknown", id=7)`` stores the key; a page shows ``exc.text(ctx.lang)``,
the CLI and the logs ``str(exc)`` (Chinese). A field may itself be a :class:`Message` (rendered in the same
language), or a list, joined as names (、/, ), or :class:`Sentences`, joined as sentences (；/; ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from core.i18n import DEFAULT_LANG, catalog, t

_KEY = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, list | tuple):
        sep = "errors.sep.sentences" if isinstance(value, Sentences) else "errors.sep.names"
        return t(sep, lang).join(str(_render(v, lang)) for v in value)
    return value


class Sentences(list):
    """A list field whose items are sentences (problems), joined with ；/; rather than 、/, ."""


class Message(str):
    """A user-facing message: a catalogue key and its fields. As a ``str`` it is the Chinese text, so it can go
    wherever text went before; ``text(lang)`` renders it in another language."""

    key: str | None
    fields: dict[str, Any]

    def __new__(cls, key: str, /, **fields: Any) -> Message:
        if key not in catalog():
            raise KeyError(f"no message key {key!r}")
        self = super().__new__(cls, _format(key, fields, DEFAULT_LANG))
        self.key, self.fields = key, fields
        return self

    @classmethod
    def verbatim(cls, text: str) -> Message:
        """Text already rendered (by code not yet converted to keys): the same in every language."""
        if isinstance(text, Message):
            return text
        self = str.__new__(cls, text)
        self.key, self.fields = None, {}
        return self

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """This message in ``lang``."""
        return str.__str__(self) if self.key is None else _format(self.key, self.fields, lang)

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.key, self.fields, str.__str__(self)))

    def __repr__(self) -> str:
        return (
            f"Message({self.key!r}, {self.fields!r})"
            if self.key
            else f"Message.verbatim({str.__str__(self)!r})"
        )


def _format(key: str, fields: dict[str, Any], lang: str) -> str:
    return t(key, lang, **{name: _render(value, lang) for name, value in fields.items()})


def _rebuild(key: str | None, fields: dict[str, Any], text: str) -> Message:
    return Message.verbatim(text) if key is None else Message(key, **fields)


def message(key_or_message: str, /, **fields: Any) -> Message:
    """A message from a key and fields, or a :class:`Message` as it is. Text that is no key and looks like none
    (Chinese already rendered by code not yet converted) is kept verbatim; an unknown key is an error."""
    if isinstance(key_or_message, Message):
        if fields:
            raise TypeError("fields given with a Message")
        return key_or_message
    if fields or key_or_message in catalog() or _KEY.match(key_or_message):
        return Message(key_or_message, **fields)
    return Message.verbatim(key_or_message)


class ConsoleError(Exception):
    """Base of every error the console turns into a user message."""

    def __init__(self, key_or_message: str, /, **fields: Any):
        self.message = message(key_or_message, **fields)
        super().__init__(self.message)

    @property
    def key(self) -> str | None:
        return self.message.key

    @property
    def fields(self) -> dict[str, Any]:
        return self.message.fields

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` (a page passes its own language; ``str(exc)`` is the Chinese)."""
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.message.text(DEFAULT_LANG)

    def __reduce__(self) -> tuple:
        return (_rebuild_error, (type(self), self.message))


def _rebuild_error(cls: type[ConsoleError], msg: Message) -> ConsoleError:
    exc = cls.__new__(cls)
    exc.__dict__["message"] = msg
    if cls is PolicyError or issubclass(cls, PolicyError):
        exc.__dict__["problems"] = list(msg.fields.get("problems", [msg]))
    Exception.__init__(exc, msg)
    return exc


class IngestError(ConsoleError):
    """A file cannot be used at all (unreadable, no header row, a required column missing)."""


class PolicyError(ConsoleError):
    """A policy is invalid; ``problems`` lists every rule it breaks (messages: Chinese as text, ``texts(lang)``)."""

    def __init__(self, problems: Iterable[str]):
        self.problems: list[Message] = [message(p) for p in problems]
        super().__init__("errors.problems", problems=Sentences(self.problems))

    def texts(self, lang: str = DEFAULT_LANG) -> list[str]:
        """Each problem in ``lang``."""
        return [p.text(lang) for p in self.problems]


class RosterError(ConsoleError):
    """A staff roster cannot be used."""


class StorageError(ConsoleError):
    """A database operation was refused (duplicate snapshot, unknown outlet, ...)."""


class AuthError(ConsoleError):
    """An account operation was refused (bad password, unknown user, ...)."""
