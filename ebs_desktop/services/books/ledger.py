"""The ledger checks of the books check: journals balance, cached totals equal their ledger,
payments are taken once and allocated within bounds.

Each check is one statement (in :mod:`ebs_desktop.persistence.stores.books`) returning only
what is wrong, run in a savepoint so that a check the database cannot finish (SQLite's SUM
refuses to overflow 64 bits) is reported as a problem and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ebs_desktop.domain.money import MAX_TOTAL_MINOR
from ebs_desktop.persistence.stores import books as store
from ebs_desktop.persistence.tx import DBAPIError, Session
from ebs_desktop.services.books.records import BooksProblem, Found, why

Describe = Callable[[Any], tuple[str, str]]


def journals(s: Session, found: Found) -> None:
    try:
        with s.begin_nested():
            rows = store.unbalanced_journals(s)
    except DBAPIError as exc:  # SQLite's SUM refuses to overflow 64 bits
        rows = store.entries_out_of_range(s, MAX_TOTAL_MINOR)
        found.problems.append(BooksProblem("check", "journals", f"cannot be summed ({why(exc)})"))
        found.add("journal", rows, lambda r: (
            f"journal {r[1]}", f"ledger entry {r[0]} holds {r[2]}, beyond any amount"))
        return
    found.add("journal", rows, lambda r: (
        f"journal {r[0]}", f"does not balance: its {r[2]} entries "
        f"({store.journal_kind(s, r[0])}) sum to {r[1]}"))


def _run(s: Session, found: Found, check: str,
         checks: list[tuple[str, dict[str, int], Describe]]) -> None:
    for name, params, describe in checks:
        try:
            with s.begin_nested():
                rows = store.check_rows(s, name, params)
        except DBAPIError as exc:
            found.problems.append(BooksProblem(
                "check", name, f"could not be checked ({why(exc)})"))
            continue
        found.add(check, rows, describe)


def cached(s: Session, found: Found) -> None:
    _run(s, found, "balance", [
        ("account balances", {"top": MAX_TOTAL_MINOR}, lambda r: (
            f"account {r[0]}", f"cached balance {r[1]} but its AR ledger entries sum to "
            f"{r[2]}")),
        ("billing run totals", {}, lambda r: (
            f"billing run {r[0]} ({r[1]})", f"records {r[2]} bills totalling {r[3]} but "
            f"has {r[4]} bills totalling {r[5]}")),
        ("bill lines", {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its lines sum to {r[2]}")),
        ("bills in the ledger", {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its AR ledger entries sum to {r[2]}")),
        ("credit notes", {}, lambda r: (
            f"credit note {r[0]}", f"amount {r[1]} cancels bill {r[2]} of {r[3]}; its AR "
            f"ledger entries sum to {r[4]}")),
        ("payments in the ledger", {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]}{' (reversed)' if r[2] is not None else ''} "
            f"but its AR ledger entries sum to {r[3]}")),
        ("payment tenders", {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]} but its tenders sum to {r[2]}")),
        ("cash counts", {}, lambda r: (
            f"shift {r[0]} count", f"{r[3]} x {r[2]} {r[1]} recorded as {r[4]}")),
    ])


def allocations(s: Session, found: Found) -> None:
    """Each payment once per idempotency key; allocations within payments and bills."""
    _run(s, found, "payment", [
        ("idempotency keys", {}, lambda r: (
            f"idempotency key {r[0]}", f"has {r[1]} payments")),
        ("payment allocations", {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]} but allocated {r[2]} to bills")),
        ("bill allocations", {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its payment allocations sum to {r[2]}")),
    ])
