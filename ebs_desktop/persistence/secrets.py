"""PostgreSQL passwords in the OS keyring, never in a file.

If the machine has no secure keyring backend (a headless server without Secret Service,
or only the ``fail``/plaintext backends), we say so and ask for the password on each start
instead of silently storing it somewhere readable.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from sqlalchemy.engine import URL, make_url

from ebs_desktop.errors import ConfigError

SERVICE = "ebs-desktop"
_INSECURE_BACKENDS = ("fail", "null", "plaintext", "PlaintextKeyring", "chainer")


def keyring_entry(url: URL) -> str:
    """The keyring username for a server: ``user@host:port/database``."""
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def keyring_entry_for(url_text: str) -> str:
    """:func:`keyring_entry` of a URL given as text (what a front end has)."""
    return keyring_entry(make_url(url_text))


def secure_keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    name = type(backend).__name__.lower()
    return not any(bad.lower() in name for bad in _INSECURE_BACKENDS) and backend.priority > 0


def store_password(url_text: str, password: str) -> None:
    url = make_url(url_text)
    if not secure_keyring_available():
        raise ConfigError(
            "no secure OS keyring is available on this machine; the password cannot be "
            "stored and will be asked for at each start"
        )
    import keyring

    keyring.set_password(SERVICE, keyring_entry(url), password)


def lookup_password(url: URL) -> str | None:
    if not secure_keyring_available():
        return None
    import keyring

    return keyring.get_password(SERVICE, keyring_entry(url))


def with_password(
    url_text: str, *, prompt: Callable[[str], str] | None = None, interactive: bool | None = None
) -> URL:
    """The URL with its password from the keyring, or asked for; as given if none is needed.

    A password written into the URL itself is refused: config files and shell history are
    not the place for it.
    """
    url = make_url(url_text)
    if not url.drivername.startswith("postgresql"):
        return url
    if url.password:
        raise ConfigError(
            "do not put the PostgreSQL password in the URL; store it with "
            "'ebs db password' (it goes to the OS keyring)"
        )
    stored = lookup_password(url)
    if stored is not None:
        return url.set(password=stored)
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive and not secure_keyring_available():
        ask = prompt or getpass.getpass
        print(
            "No secure keyring on this machine: the password is not stored; "
            "it is asked for at each start.",
            file=sys.stderr,
        )
        return url.set(password=ask(f"Password for {keyring_entry(url)}: "))
    return url  # server may trust this client (peer/trust auth); it will say if not


def store_secret(entry: str, value: str) -> None:
    """Keep a secret of the product's (an SMTP password, an SMS token) in the OS keyring
    under ``entry``; refused where the keyring is not a secure one (never a file)."""
    if not secure_keyring_available():
        raise ConfigError(
            "no secure OS keyring is available on this machine; the secret was not "
            "stored (it is never written to the database or a file)"
        )
    import keyring

    keyring.set_password(SERVICE, entry, value)


def lookup_secret(entry: str) -> str | None:
    """The secret stored under ``entry``, None when there is none (or no secure keyring)."""
    if not secure_keyring_available():
        return None
    import keyring

    return keyring.get_password(SERVICE, entry)
