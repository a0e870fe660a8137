"""``ebs sms estimate``: length and cost of the waiting SMS before a bulk send, on both
backends; a bad price refused in one line."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result
from sqlalchemy import select, update

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Customer
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.database import set_local_operator
from tests.support.counter_scratch import seed_counter_scratch

OPERATOR: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}
BASE = {"utility_name": "Riverside Water", "utility_phone": "+1 555 0100",
        "bill_number": "B-1", "amount_due": "45.50 USD", "due_date": "2027-01-05"}


def ebs(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=OPERATOR, catch_exceptions=False)


def test_estimate_before_a_bulk_send(db: Database, db_url: str) -> None:
    seed_counter_scratch(db, 3, with_users=False)
    set_local_operator(db, system_actor("test-admin"), True)
    amounts = ["45.50 USD", "12.00 €", "45,50 zł"]  # € is GSM-7 (extension table), ł not
    with db.write() as s:
        rows = s.execute(select(Account.id, Account.account_number, Account.customer_id)
                         .order_by(Account.id)).all()
        for i, row in enumerate(rows):
            s.execute(update(Customer).where(Customer.id == row.customer_id)
                      .values(email=None, phone=f"+1555010{i:04d}"))
            outbox.enqueue(s, kind=Kind.OVERDUE_NOTICE, account_id=row.id,
                           dedupe_key=f"o:{i}", language="en",
                           context={**BASE, "customer_name": "Ana Diaz",
                                    "amount_due": amounts[i],
                                    "account_number": row.account_number})
    text = ebs(db_url, "sms", "estimate", "--kind", "overdue_notice", "--price", "0.05")
    assert text.exit_code == 0, text.output
    assert "3 SMS overdue_notice messages waiting: 4 segments (2 in GSM-7, 1 in UCS-2)" \
        in text.output  # 98 UCS-2 units: 2 segments of 67
    assert "  2 of 1 segment\n  1 of 2 segments" in text.output
    assert "characters outside GSM-7 (each sends its texts as UCS-2): 'ł' (1)" in text.output
    assert "cost: 0.20 USD at 0.05 per segment" in text.output

    as_json = json.loads(ebs(db_url, "sms", "estimate", "--json").output)
    assert as_json["messages"] == 3 and as_json["cost"] is None
    assert as_json["by_segments"] == {"1": 2, "2": 1}
    assert as_json["forcing_ucs2"] == {"ł": 1}

    refused = ebs(db_url, "sms", "estimate", "--price", "cheap")
    assert refused.exit_code != 0
    assert "'cheap' is not a price" in refused.output
    assert "Traceback" not in refused.output
