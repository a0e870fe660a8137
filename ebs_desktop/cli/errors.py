"""Every error a user can cause ends as one line, never a traceback (issue 17, point 14).

:class:`ebs_desktop.errors.EbsError` is the message a service meant for a person. The other
exceptions a person can provoke from the command line get a plain sentence here: a file
that cannot be written (OSError), text that is not UTF-8 (UnicodeError), a number too
large for a column (OverflowError), the database refusing a value or being unreachable
(the DBAPI's errors through SQLAlchemy, or raw ``sqlite3``/``psycopg`` ones from bulk
writers). Anything else is a bug: it is named in one line too, with the hint to run again
with ``--debug`` for the traceback.

With ``--json`` the error is one JSON object, ``{"error": "...", "where": "..."}`` (and
``"field"`` when the place is an option or a field), on
standard error like the plain line (standard output carries results only); the exit status
is non-zero either way (1; 3 for permission and sign-in errors; 2 for a usage error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import DecimalException

import click

from ebs_desktop.errors import EbsError, ValidationError

# A money CHECK of migration 0004: ck_<table>_<column>_range / _integer.
_MONEY_CHECK = re.compile(r"ck_(\w+?)_(\w+_minor)_(range|integer)")


@dataclass(frozen=True)
class Failure:
    """What to tell the user: the sentence, where it happened (if known), the exit status."""

    message: str
    where: str | None = None
    exit_code: int = 1
    field: str | None = None  # the option or field at fault, when there is one


def describe(exc: BaseException) -> Failure:
    """One sentence for an exception a command let through."""
    if isinstance(exc, ValidationError):
        message = str(exc)
        if exc.location:
            message = message.removeprefix(f"{exc.location}: ")
        return Failure(message, exc.location, exc.exit_code, field_of(exc.location))
    if isinstance(exc, EbsError):
        return Failure(str(exc), None, exc.exit_code)
    database = _database_failure(exc)
    if database is not None:
        return database
    if isinstance(exc, BrokenPipeError):
        return Failure("the output was closed before everything was written", None, 1)
    if isinstance(exc, OSError):
        name = exc.filename
        reason = exc.strerror or str(exc)
        return Failure(reason, None if name is None else str(name))
    if isinstance(exc, UnicodeError):
        return Failure("text that is not valid UTF-8 (or not encodable) was given: "
                       f"{_first_line(exc)}; check the encoding of the terminal or the file")
    if isinstance(exc, OverflowError):
        return Failure(f"a number is too large: {_first_line(exc)}")
    if isinstance(exc, DecimalException):
        return Failure(f"a number is out of range: {type(exc).__name__}")
    return Failure(f"unexpected error {type(exc).__name__}: {_first_line(exc)} "
                   "(run again with --debug for the traceback, and report it)")


def _database_error_kinds(exc: BaseException) -> set[str]:
    """The names of the database library's error classes ``exc`` is an instance of
    (``DBAPIError``, ``IntegrityError``...), told by the classes' own module, so the
    command line needs no import of the database library to tell them."""
    return {klass.__name__ for klass in type(exc).__mro__
            if klass.__module__ == "sqlalchemy.exc"}


def _database_failure(exc: BaseException) -> Failure | None:
    """SQLAlchemy's wrapped DBAPI errors and raw sqlite3/psycopg ones."""
    kinds = _database_error_kinds(exc)
    orig: BaseException = exc
    if "DBAPIError" in kinds:
        wrapped = getattr(exc, "orig", None)
        orig = wrapped if isinstance(wrapped, BaseException) else exc
    elif not type(exc).__module__.startswith(("sqlite3", "psycopg")):
        return None
    text = _first_line(orig)
    kind = type(orig).__name__
    check = _MONEY_CHECK.search(str(orig))
    if check is not None:
        table, column, _ = check.groups()
        return Failure("the change would take this money column beyond the ceiling (or make "
                       "it other than a whole number of minor units); nothing was saved",
                       f"{table}.{column}", field=f"{table}.{column}")
    if "IntegrityError" in kind or "IntegrityError" in kinds:
        return Failure(f"the database refused the change ({text}); nothing was saved")
    if "DataError" in kind or "DataError" in kinds:
        return Failure(f"the database refused a value ({text}); nothing was saved")
    if "OperationalError" in kind or "OperationalError" in kinds:
        return Failure(f"database error: {text}")
    return Failure(f"database error ({kind}): {text}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def usage_where(exc: click.ClickException) -> str | None:
    """The option a usage error is about (``--amount``), when click knows it."""
    param = getattr(exc, "param", None)
    if isinstance(param, click.Parameter):
        if isinstance(param, click.Option) and param.opts:
            return max(param.opts, key=len)
        return (param.name or "").upper() or None
    hint = getattr(exc, "param_hint", None)
    return str(hint) if hint else None


# What names a field rather than a file or line: an option (``--to``, ``--out/--split``),
# a click argument (``ACCOUNT_NUMBER``) or a form field (``amount``).
_FIELD = re.compile(r"--?[\w-]+(/--?[\w-]+)*|[A-Z][A-Z0-9_]*|[a-z][a-z0-9_]*")


def field_of(where: str | None) -> str | None:
    """The option or field ``where`` names, or None (a file and line, a command)."""
    return where if where and _FIELD.fullmatch(where) else None


def _names_itself(message: str, where: str) -> bool:
    """``--to 2026-01-31 is before --from ...`` already says where: no ``--to:`` before it;
    nor before ``give --period YYYY-MM ... or --bill NUMBER``, which names each option of
    ``--period/--bill`` itself."""
    if message == where or message.startswith((f"{where} ", f"{where}:", f"{where},")):
        return True
    options = where.split("/")
    return all(option.startswith("-") and re.search(
        rf"(?<![\w-]){re.escape(option)}(?![\w-])", message) for option in options)


def report_error(ctx: click.Context, failure: Failure, command: str, *,
                 json_out: bool, where: str | None = None) -> None:
    """Print ``error: ...``, or with ``--json`` the JSON object, on standard error.

    ``where`` names the place for the JSON form only (a usage error's message already
    names its option). The JSON object has ``field`` too when the place is an option or a
    field (``{"error": ..., "where": "--amount", "field": "--amount"}``)."""
    where = where or failure.where
    if json_out:
        data = {"error": failure.message, "where": where or command}
        field = failure.field or field_of(where)
        if field is not None:
            data["field"] = field
        click.echo(json.dumps(data), err=True)
        return
    if failure.where and not _names_itself(failure.message, failure.where):
        click.echo(f"error: {failure.where}: {failure.message}", err=True)
    else:
        click.echo(f"error: {failure.message}", err=True)
