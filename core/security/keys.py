"""The server's signing key for login cookies (HS256): from the environment, or generated once into data/secrets."""

from __future__ import annotations

import os
import pathlib
import secrets

from core.errors import AuthError

KEY_ENV = "CONSOLE_COOKIE_KEY"
MIN_KEY = 32  # characters of the HS256 signing key
ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def cookie_key(secrets_dir: pathlib.Path | None = None) -> str:
    """``CONSOLE_COOKIE_KEY`` if set (at least 32 characters); else a key generated once into
    data/secrets/cookie_key (mode 600). A key file left empty or short (a crash while writing it) is replaced."""
    if KEY_ENV in os.environ:
        key = os.environ[KEY_ENV].strip()
        if len(key) < MIN_KEY:
            raise AuthError("accounts.cookie_key.short", source=KEY_ENV, n=len(key))
        return key
    directory = secrets_dir or ROOT / "data" / "secrets"
    path = directory / "cookie_key"
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_KEY:
            return key
        # Replaced atomically: every process that finds it short writes its own and the last rename wins;
        # all of them read the winner back.
        spare = directory / f"cookie_key.{secrets.token_hex(4)}"
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
        os.replace(spare, path)
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    # O_EXCL: two first sessions at once must agree on one key, the loser reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
