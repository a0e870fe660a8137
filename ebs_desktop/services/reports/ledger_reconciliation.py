"""Ledger reconciliation: the double entry holds, the cached balances are true, the audit
chain is intact, with its head hash printed so it can be kept outside the database.

Why all three together: an auditor asks "do the books balance, do the balances on the
customer screen match the books, and has anyone edited history?". Debits equal credits is
checked per journal (every journal must sum to zero) and per journal kind over the range;
each account's cached ``balance_minor`` is compared with the sum of its AR entries (all of
them: a balance has no start date), and every account that differs is listed. The audit
chain is walked with :func:`ebs_desktop.services.audit.verify_in`; the head printed here
is an anchor (``ebs audit verify --anchor N:HASH``): kept on paper, it later proves that
nothing up to it was rewritten, even a chain whose hashes were all recomputed.
"""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import reports as store
from ebs_desktop.reports.tabular import Column, Row, Section, TableReport
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.reports.common import ReportRange, money
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = (Column("Check", width=2.6), Column("Count", "int"),
           Column("Debits / stored", "money", width=1.3),
           Column("Credits / recomputed", "money", width=1.3),
           Column("Difference", "money", width=1.1))


def ledger_reconciliation(db: Database, actor: Actor, rng: ReportRange) -> TableReport:
    require(actor, "report.view")
    with db.read() as s:
        cur = utility_currency(s)
        kinds = store.journal_kind_totals(s, rng.date_from, rng.date_to)
        unbalanced = store.unbalanced_journals(s)
        n_accounts, stored_sum, ar_sum = store.balance_totals(s)
        wrong = store.balances_off_ledger(s)
        chain = audit.verify_in(s)  # the report shows the chain's state to report.view
    journal_rows: list[Row] = [
        (f"Journals: {kind}", int(n), money(d, cur), money(c, cur), money(d - c, cur))
        for kind, n, d, c in kinds]
    sum_d = sum(int(d or 0) for _k, _n, d, _c in kinds)
    sum_c = sum(int(c or 0) for _k, _n, _d, c in kinds)
    unbalanced_rows: list[Row] = [
        (f"Journal {jid} ({kind}, {day.isoformat()}) does not balance", 1, money(d, cur),
         money(c, cur), money(d - c, cur)) for jid, kind, day, d, c in unbalanced]
    balance_rows: list[Row] = [
        ("Accounts: stored balance against AR entries", int(n_accounts),
         money(stored_sum, cur), money(ar_sum, cur),
         money(int(stored_sum or 0) - int(ar_sum or 0), cur))]
    balance_rows += [(f"Account {no} balance differs from its ledger", 1, money(b, cur),
                      money(r, cur), money(int(b) - int(r), cur)) for no, b, r in wrong]
    balanced = not unbalanced and not wrong and sum_d == sum_c
    verdict = ("Balanced: debits equal credits, every balance equals its ledger"
               if balanced else
               f"NOT BALANCED: {len(unbalanced)} journals do not sum to zero, "
               f"{len(wrong)} account balances differ from their ledger")
    chain_text = ("audit chain intact" if chain.ok else f"AUDIT CHAIN BROKEN: {chain.problem}")
    return TableReport(
        title="Ledger reconciliation", subtitle=rng.label, columns=COLUMNS,
        sections=(
            Section("Debits and credits by journal kind (journals dated in range)",
                    tuple(journal_rows),
                    ("Journals in range", sum(int(n) for _k, n, _d, _c in kinds),
                     money(sum_d, cur), money(sum_c, cur), money(sum_d - sum_c, cur))),
            Section("Journals that do not balance (all dates)", tuple(unbalanced_rows)
                    or (("None", 0, None, None, None),)),
            Section("Account balances (all dates)", tuple(balance_rows)),
        ),
        parameters=(("Result", verdict),
                    ("Audit chain", f"{chain_text}, {chain.entries:,} entries"),
                    ("Audit anchor (N:head hash)", chain.anchor)),
        footer_note=f"{chain_text}; {chain.entries:,} entries; head hash {chain.head_hash}; "
                    f"anchor {chain.anchor}")
