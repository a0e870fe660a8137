"""Receipt and Z-report layout, and the ESC/POS job rendered from it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ebs_desktop.devices.printers import PrintOptions, render_job
from ebs_desktop.devices.printers.base import DEFAULT_LOGO
from ebs_desktop.devices.receipts import (
    QrCode,
    Text,
    as_text,
    columns_for,
    layout_receipt,
    layout_z_report,
)
from ebs_desktop.devices.receipts.samples import payment_receipt, usd, z_report
from ebs_desktop.errors import DeviceError


def qr_command(payload: str) -> bytes:
    """GS ( k pL pH 1 P 0 data: the native QR 'store data' command carrying the payload."""
    size = len(payload) + 3
    return b"\x1d(k" + bytes([size % 256, size // 256]) + b"1P0" + payload.encode()


@pytest.mark.parametrize("paper", [58, 80])
def test_receipt_fits_the_paper_and_says_everything(paper: int) -> None:
    width = columns_for(paper)
    blocks = layout_receipt(payment_receipt(), width)
    for block in blocks:
        if isinstance(block, Text):
            assert len(block.text) <= width, block
    text = as_text(blocks, width)
    flat = " ".join(text.split())
    for expected in (
        "PAYMENT RECEIPT",
        "C01-2025-000042",
        "2025-03-14 10:22",
        "100000011",
        "Tax ID: TX-99-1234567",
        "USD 123.45",
        "One hundred twenty-three dollars and 45 cents",
        "Card VISA ****1111 appr A1B2C3",
        "6.55",
        "10.00 CR",
        "alice",
        "Keep this receipt",
    ):
        assert expected in flat, expected
    assert "DUPLICATE" not in text
    assert any(line.startswith("Change") and line.endswith("6.55") for line in text.splitlines())
    assert [b.payload for b in blocks if isinstance(b, QrCode)] == [
        "EBSR1|C01-2025-000042|100000011|123.45|USD"
    ]


def test_reprint_says_duplicate_with_its_count() -> None:
    doc = payment_receipt().as_reprint().as_reprint()
    text = as_text(layout_receipt(doc, 32), 32)
    assert "*** DUPLICATE - reprint 2 ***" in text
    assert doc.receipt_number == payment_receipt().receipt_number


def test_reversal_receipt() -> None:
    doc = replace(
        payment_receipt(),
        kind="reversal",
        receipt_number="C01-2025-000043",
        reverses="C01-2025-000042",
        reason="cheque returned unpaid",
        balance_after=usd("113.45"),
        change=usd("0.00"),
    )
    text = as_text(layout_receipt(doc, 48), 48)
    assert "REVERSAL RECEIPT" in text
    assert "Reverses" in text and "C01-2025-000042" in text
    assert "Reason: cheque returned unpaid" in text
    assert "TOTAL REVERSED" in text
    assert "Change" not in text


@pytest.mark.parametrize("paper", [58, 80])
def test_z_report(paper: int) -> None:
    width = columns_for(paper)
    blocks = layout_z_report(z_report(), width)
    assert all(len(b.text) <= width for b in blocks if isinstance(b, Text))
    lines = as_text(blocks, width).splitlines()
    assert "Z-REPORT" in "\n".join(lines)
    over_short = [line.split()[-1] for line in lines if line.strip().startswith("Over/short")]
    assert over_short == ["-4.00", "0.00", "+5.00"]
    assert next(t for t in lines if "TOTAL OVER/SHORT" in t).endswith("+1.00")
    assert any(line.startswith("Safe drop 2") and line.endswith("300.00") for line in lines)
    assert any(line.startswith("Opening float") and line.endswith("100.00") for line in lines)


def test_escpos_job_has_text_qr_logo_drawer_kick_and_cut() -> None:
    doc = payment_receipt()
    options = PrintOptions(paper_mm=58, logo=DEFAULT_LOGO, kick_drawer=True, cut=True)
    job = render_job(layout_receipt(doc, 32), options)
    assert job.startswith(b"\x1b@")  # initialise
    assert qr_command(doc.qr_payload) in job
    assert b"\x1d\x76\x30" in job  # GS v 0: the logo as a raster image
    assert job.index(b"\x1d\x76\x30") < job.index(b"PAYMENT RECEIPT")
    assert b"\x1bp\x00\x32\x32" in job  # ESC p 0: kick drawer on pin 2
    assert job.endswith(b"\x1dV\x00")  # GS V 0: full cut, last
    assert b"One hundred twenty-three dollars" in job


def test_without_logo_kick_or_cut() -> None:
    options = PrintOptions(paper_mm=80, logo=None, kick_drawer=False, cut=False)
    job = render_job(layout_receipt(payment_receipt(), 48), options)
    assert b"\x1d\x76\x30" not in job
    assert b"\x1bp" not in job
    assert b"\x1dV" not in job


def test_bad_options_are_device_errors(tmp_path: object) -> None:
    with pytest.raises(DeviceError, match="58 or 80"):
        render_job((), PrintOptions(paper_mm=76))
    with pytest.raises(DeviceError, match="logo"):
        render_job((), PrintOptions(logo=DEFAULT_LOGO.with_name("missing-logo.png")))
