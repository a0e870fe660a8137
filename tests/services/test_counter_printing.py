"""Receipts reach real transports after commit; a failing printer never loses a payment."""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ebs_desktop.devices.printers import NetworkReceiptPrinter, PrintOptions, SerialReceiptPrinter
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Payment, Printer, PrintJob
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment, print_pending, reprint
from ebs_desktop.services.counter.records import PaymentResult
from tests.support.counter_scratch import CLERK, Scratch, seed_counter_scratch


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def qr_command(payload: str) -> bytes:
    size = len(payload) + 3
    return b"\x1d(k" + bytes([size % 256, size // 256]) + b"1P0" + payload.encode()


@pytest.fixture
def paid(db: Database, tmp_path: Path) -> tuple[Scratch, Actor, PaymentResult, Path]:
    out = tmp_path / "receipts.bin"
    scratch = seed_counter_scratch(db, 2, printer_target=str(out))
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", usd("50"))
    result = post_payment(db, clerk, "C01", scratch.account_numbers[0],
                          [CashTender(usd("100"))], "print-1", amount=usd("91.00"))
    return scratch, clerk, result, out


def job_state(db: Database) -> list[tuple[str, int, str | None, bool]]:
    with db.read() as s:
        return [(j.status, j.attempts, j.last_error, j.duplicate)
                for j in s.scalars(select(PrintJob).order_by(PrintJob.id))]


def test_receipt_bytes_reach_the_counters_file_printer(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path]) -> None:
    scratch, _, result, out = paid
    assert job_state(db) == [("queued", 0, None, False)]
    outcome = print_pending(db)
    assert (outcome.printed, outcome.failed) == (1, 0)
    data = out.read_bytes()
    payload = f"EBSR1|{result.receipt_number}|{scratch.account_numbers[0]}|91.00|USD"
    assert qr_command(payload) in data
    assert b"PAYMENT RECEIPT" in data and b"Ninety-one dollars" in data
    assert b"Change" in data and b"9.00" in data
    assert b"\x1bp\x00" in data  # the demo printer row kicks the drawer
    assert data.endswith(b"\x1dV\x00") and b"DUPLICATE" not in data
    assert job_state(db)[0][:2] == ("printed", 1)
    assert print_pending(db).printed == 0  # nothing printed twice


def test_network_printer_receives_the_receipt_over_tcp(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path]) -> None:
    _, _, result, _ = paid
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
        received.append(b"".join(chunks))
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    outcome = print_pending(db, NetworkReceiptPrinter("127.0.0.1", port, timeout=2),
                            options=PrintOptions(paper_mm=58, kick_drawer=True))
    thread.join(5)
    server.close()
    assert outcome.printed == 1
    assert result.receipt_number.encode() in received[0]
    assert b"\x1bp\x00" in received[0] and received[0].endswith(b"\x1dV\x00")


def test_serial_printer_over_a_pseudo_terminal(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path]) -> None:
    _, _, result, _ = paid
    master, slave = os.openpty()
    got: list[bytes] = []

    def read() -> None:
        data, end = b"", time.monotonic() + 5
        while not data.endswith(b"\x1dV\x00") and time.monotonic() < end:
            data += os.read(master, 65536)
        got.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        outcome = print_pending(db, SerialReceiptPrinter(os.ttyname(slave), timeout=2))
        reader.join(5)
    finally:
        os.close(master)
        os.close(slave)
    assert outcome.printed == 1
    assert result.receipt_number.encode() in got[0] and got[0].endswith(b"\x1dV\x00")


def test_offline_printer_leaves_payment_saved_and_job_queued_then_retry_prints(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path], tmp_path: Path) -> None:
    _, _, result, out = paid
    blocked = tmp_path / "no-such-dir" / "lp0"
    with db.write() as s:
        s.execute(update(Printer).values(target=str(blocked)))
    outcome = print_pending(db)
    assert (outcome.printed, outcome.failed) == (0, 1)
    status, attempts, error, _ = job_state(db)[0]
    assert (status, attempts) == ("queued", 1) and error
    with db.read() as s:
        assert s.scalar(select(Payment.id)) == result.payment_id
    with db.write() as s:
        s.execute(update(Printer).values(target=str(out)))
    assert print_pending(db).printed == 1
    assert job_state(db)[0][:2] == ("printed", 2)
    assert result.receipt_number.encode() in out.read_bytes()


def test_printer_that_stops_reading_mid_receipt_keeps_the_job(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path]) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]))
    thread.start()
    tiny = NetworkReceiptPrinter("127.0.0.1", port, timeout=0.5)
    # A receipt with a big logo overruns the socket buffers of a peer that never reads.
    big = PrintOptions(paper_mm=80, logo=Path(__file__).resolve().parents[2] / "resources"
                       / "receipt-logo.png")
    try:
        for i in range(40):
            post_payment(db, paid[1], "C01", paid[0].account_numbers[1],
                         [CashTender(usd("1"))], f"flood-{i}")
        outcome = print_pending(db, tiny, options=big)
    finally:
        thread.join(5)
        for conn in accepted:
            conn.close()
        server.close()
    assert outcome.failed == 1 and outcome.printed < 41
    states = job_state(db)
    assert any(st == "queued" and n == 1 and err for st, n, err, _ in states)
    with db.read() as s:
        assert len(s.scalars(select(Payment.id)).all()) == 41


def test_reprint_says_duplicate_and_is_counted(
        db: Database, paid: tuple[Scratch, Actor, PaymentResult, Path]) -> None:
    _, clerk, result, out = paid
    print_pending(db)
    first = out.read_bytes()
    assert reprint(db, clerk, result.receipt_number)[1] == 1
    assert reprint(db, clerk, result.receipt_number)[1] == 2
    assert print_pending(db).printed == 2
    dupes = out.read_bytes()[len(first):]
    assert b"DUPLICATE - reprint 1" in dupes and b"DUPLICATE - reprint 2" in dupes
    assert b"\x1bp\x00" not in dupes  # a reprint does not open the drawer
    assert [d for *_, d in job_state(db)] == [False, True, True]
    assert date.today().isoformat().encode() in dupes
