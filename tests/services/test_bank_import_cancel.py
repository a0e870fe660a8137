"""A bank import reports each statement and can be cancelled between statements; the file
is one transaction, so a cancel stores nothing of it: no statement, line, payment, journal,
receipt number or audit entry (the books check runs after each test)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    AuditEntry,
    BankLine,
    BankStatement,
    Journal,
    LedgerEntry,
    Payment,
    Receipt,
)
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.bank import import_statement, import_statement_file
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState
from tools.bench.readings import build_bench_utility

ACTOR = Actor(None, "bea", frozenset({"billing"}))
MODELS = (BankStatement, BankLine, Payment, Receipt, Journal, LedgerEntry, AuditEntry)


def _statement(ref: str, day: int, amount: str, text: str) -> str:
    return (
        f"<Stmt><Id>{ref}</Id><CreDtTm>2025-03-10T10:00:00</CreDtTm>"
        "<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>USD</Ccy></Acct>"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"USD\">0</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-01</Dt></Dt></Bal>"
        f"<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"USD\">{amount}</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-09</Dt></Dt></Bal>"
        f"<Ntry><Amt Ccy=\"USD\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>2025-03-0{day}</Dt></BookgDt><ValDt><Dt>2025-03-0{day}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{ref}</EndToEndId></Refs>"
        f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>")


@pytest.fixture
def two_statements(db: Database, tmp_path: Path) -> Path:
    """Three accounts (no bills) and a camt.053 file of two statements, each paying one."""
    build_bench_utility(db, 3, tmp_path / "sheet.csv", date(2026, 6, 15))
    first, second = make_account_number(10_000_001), make_account_number(10_000_002)
    path = tmp_path / "two.xml"
    path.write_text(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-03-10T10:00:00</CreDtTm></GrpHdr>"
        + _statement("STMT-A", 2, "45.50", f"Electricity acc {first} March")
        + _statement("STMT-B", 3, "12.25", f"acc {second}")
        + "</BkToCstmrStmt></Document>", encoding="utf-8")
    return path


def counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(model)) or 0)
                     for model in MODELS)


def test_cancel_between_statements_stores_nothing_and_the_file_imports_later(
        db: Database, two_statements: Path) -> None:
    before = counts(db)
    seen: list[Progress] = []

    def heard(progress: Progress) -> None:
        seen.append(progress)
        if progress.done == 1:  # the first statement (and its payment) is in: cancel
            task.cancel()

    task = TaskState(heard)
    with pytest.raises(TaskCancelled):
        import_statement_file(db, ACTOR, two_statements, task=task)
    assert [(p.done, p.total) for p in seen] == [(0, 2), (1, 2)]
    assert counts(db) == before  # statement A, its line, payment and journal rolled back

    finished: list[Progress] = []
    summary = import_statement_file(db, ACTOR, two_statements, task=TaskState(finished.append))
    assert (summary.statements_new, summary.matched) == (2, 2)
    # the receipt numbers the cancelled attempt took were given back: no gap
    assert summary.receipts == ("BANK-2025-000001", "BANK-2025-000002")
    assert [(p.done, p.total) for p in finished] == [(0, 2), (1, 2), (2, 2)]
    after = counts(db)
    assert after[:4] == (before[0] + 2, before[1] + 2, before[2] + 2, before[3] + 2)


def test_a_task_cancelled_before_the_first_statement_stores_nothing(
        db: Database, two_statements: Path) -> None:
    before = counts(db)
    task = TaskState()
    task.cancel()
    with pytest.raises(TaskCancelled):
        import_statement(db, ACTOR, two_statements.read_bytes(), two_statements.name,
                         task=task)
    assert counts(db) == before
