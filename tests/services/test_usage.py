"""Usage insights and self-reads through the customer facade, on a demo utility with 14
months of bills (both backends).

The figures are checked against the database read independently here: the percentile
against every comparable account's bill counted by hand, the projection against the
readings since the last bill; a self-read against the readings table, the outbox and what
staff see.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import func, select

from ebs_desktop.domain.insights import load_band
from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AuditEntry,
    Bill,
    CreditNote,
    CustomerRead,
    OutboxMessage,
    Premise,
    Reading,
)
from ebs_desktop.persistence.stores import customer_self as self_store
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import CustomerServices, StaffServices
from ebs_desktop.services.settings import update_settings

OPERATOR = system_actor("test")
TODAY = date(2026, 7, 3)  # June is read to the 30th, not billed yet


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=24, months=14, until="2026-06")
    return db


def _residential(db: Database, skip: int = 0) -> str:
    with db.read() as s:
        return s.scalars(select(Account.account_number)
                         .where(Account.category == "residential")
                         .order_by(Account.account_number).offset(skip).limit(1)).one()


def _me(db: Database, *numbers: str) -> CustomerServices:
    return CustomerServices(db, Actor.customer(7, "ann@example.org", numbers))


def _readings(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)) or 0)


def test_overview_figures_match_the_ledger(demo: Database) -> None:
    number = _residential(demo)
    view = _me(demo, number).usage_overview(number, today=TODAY)
    staff = StaffServices(demo, OPERATOR).accounts.account_view(number)
    billed = {c.period: c.kwh for c in staff.consumption}
    assert {r.period: r.kwh for r in view.rows} == billed
    for row in view.rows:
        last = f"{int(row.period[:4]) - 1}{row.period[4:]}"
        assert row.last_year_kwh == billed.get(last)
    assert view.rows[-1].last_year_kwh is not None  # 14 months: a year back exists

    ins = view.insights
    assert ins is not None and ins.period == view.rows[-1].period
    # the percentile, counted by hand over every comparable account's live bill
    with demo.read() as s:
        acc = s.execute(select(Account.category, Account.tariff_id, Premise.sanctioned_load_kw)
                        .join(Premise, Premise.account_id == Account.id)
                        .where(Account.account_number == number)).one()
        low, high = load_band(acc[2])
        group = []
        for b, kw in s.execute(select(Bill, Premise.sanctioned_load_kw)
                               .join(Account, Account.id == Bill.account_id)
                               .join(Premise, Premise.account_id == Account.id)
                               .where(Bill.period == ins.period,
                                      Account.category == acc[0],
                                      Account.tariff_id == acc[1])):
            cancelled = s.scalar(select(CreditNote.id).where(CreditNote.bill_id == b.id))
            newer = s.scalar(select(Bill.id).where(Bill.account_id == b.account_id,
                                                   Bill.period == b.period,
                                                   Bill.revision > b.revision))
            if cancelled is None and newer is None and low <= kw and (high is None or kw < high):
                group.append(b.consumption_kwh)
    below = sum(1 for k in group if k < ins.kwh)
    same = sum(1 for k in group if k == ins.kwh)
    assert len(group) >= 5
    assert ins.percentile == round((below + same / 2) * 100 / len(group))
    assert [t.code for t in ins.tips][:1] == ["ladder"]

    p = view.projection
    assert p is not None
    assert p.period_start == date(2026, 6, 1) and p.period_end == date(2026, 6, 30)
    with demo.read() as s:
        june = self_store.usage(s, [number], number, 1)
        assert june[0][0] == "2026-05"
        used = s.scalar(
            select(func.sum(Reading.consumption))
            .where(Reading.read_on > date(2026, 5, 31), Reading.read_on <= TODAY,
                   Reading.status.in_(("valid", "confirmed")),
                   Reading.id.in_(_register_readings(s, number))))
    assert p.kwh_so_far == used
    assert p.amount is not None and p.amount.minor > 0
    assert view.meters and view.meters[0].register == "kwh"


def _register_readings(s: object, number: str) -> object:
    from ebs_desktop.persistence.models import MeterInstallation, MeterRegister
    return (select(Reading.id).join(MeterRegister, MeterRegister.id == Reading.register_id)
            .join(MeterInstallation, MeterInstallation.meter_id == MeterRegister.meter_id)
            .join(Premise, Premise.id == MeterInstallation.premise_id)
            .join(Account, Account.id == Premise.account_id)
            .where(Account.account_number == number))


def _last_value(db: Database, serial: str) -> Decimal:
    from ebs_desktop.persistence.models import Meter, MeterRegister
    with db.read() as s:
        return s.scalars(select(Reading.value)
                         .join(MeterRegister, MeterRegister.id == Reading.register_id)
                         .join(Meter, Meter.id == MeterRegister.meter_id)
                         .where(Meter.serial == serial, Reading.status != "superseded")
                         .order_by(Reading.read_on.desc()).limit(1)).one()


def test_a_plausible_self_read_is_stored_as_any_reading_from_the_customer(
        demo: Database) -> None:
    number = _residential(demo)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    value = _last_value(demo, meter) + 17
    result = me.submit_self_read(number, meter.lower(), f" {value:f} ", today=TODAY)
    assert (result.status, result.consumption, result.register) == ("accepted", Decimal(17),
                                                                   "kwh")
    with demo.read() as s:
        row = s.execute(select(Reading.source, Reading.status, Reading.value,
                               CustomerRead.login_id, CustomerRead.photo)
                        .join(CustomerRead, CustomerRead.reading_id == Reading.id)).one()
        audit = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())
                          .limit(1)).one()
    assert row == ("customer", "valid", value, 7, None)
    assert audit == "reading.self"
    assert me.usage_overview(number, today=TODAY).self_reads[0].status == "valid"
    # sent twice (a reload): nothing more stored
    again = me.submit_self_read(number, meter, str(value), today=TODAY)
    assert again.status == "duplicate"


def test_an_out_of_range_self_read_is_held_for_staff(demo: Database) -> None:
    number = _residential(demo)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    value = _last_value(demo, meter) + 900  # 300 kWh a day against about 6
    result = me.submit_self_read(number, meter, str(value), today=TODAY)
    assert result.status == "held" and result.warnings
    assert "high" in result.warnings[0]
    staff = StaffServices(demo, OPERATOR).readings
    held = staff.held_self_reads()
    assert [(h.account_number, h.meter, h.value, h.status) for h in held] == [
        (number, meter, value, "pending")]
    staff.confirm_reading(held[0].reading_id)
    assert staff.held_self_reads() == []
    with demo.read() as s:
        assert s.scalar(select(Reading.status).where(Reading.id == held[0].reading_id)) \
            == "confirmed"


def test_bad_self_reads_are_refused_naming_the_field_and_nothing_is_written(
        demo: Database) -> None:
    number, other = _residential(demo), _residential(demo, 1)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    their_meter = _me(demo, other).usage_overview(other, today=TODAY).meters[0].serial
    before = _readings(demo)
    lower = _last_value(demo, meter) - 50
    cases = [(meter, str(lower), "value"), (meter, "12a4", "value"), (meter, "", "value"),
             (meter, "-5", "value"), (their_meter, "100", "meter"), ("NOPE", "100", "meter")]
    for serial, value, field in cases:
        with pytest.raises(ValidationError) as caught:
            me.submit_self_read(number, serial, value, today=TODAY)
        assert caught.value.location == field, (serial, value, str(caught.value))
    assert "lower than the previous reading" in _message(me, meter, str(lower))
    with pytest.raises(NotFound):
        me.submit_self_read(other, their_meter, "100", today=TODAY)
    with pytest.raises(NotFound):
        me.usage_overview(other)
    with pytest.raises(ValidationError) as caught:
        me.submit_self_read(number, meter, str(lower + 60), b"not an image at all",
                            today=TODAY)
    assert caught.value.location == "photo"
    assert _readings(demo) == before
    with pytest.raises(PermissionDenied):
        StaffServices(demo, Actor(5, "reader", frozenset({"reader"}))).readings \
            .held_self_reads()


def _message(me: CustomerServices, meter: str, value: str) -> str:
    number = next(iter(me.principal.accounts))
    try:
        me.submit_self_read(number, meter, value, today=TODAY)
    except ValidationError as exc:
        return str(exc)
    raise AssertionError("accepted")


def test_a_photo_is_re_encoded_without_metadata_and_shown_to_staff(demo: Database) -> None:
    number = _residential(demo)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    image = Image.new("RGB", (3000, 1500), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    assert b"SecretCam" in raw.getvalue()
    value = _last_value(demo, meter) + 900  # held, so staff look at it
    me.submit_self_read(number, meter, str(value), raw.getvalue(), today=TODAY)
    staff = StaffServices(demo, OPERATOR).readings
    held = staff.held_self_reads(number)
    assert held[0].has_photo
    data, kind = staff.self_read_photo(held[0].reading_id)
    assert kind == "image/jpeg" and b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as back:
        assert back.size == (2000, 1000)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="GIF"):
        me.submit_self_read(number, meter, str(value + 1), gif.getvalue(), today=TODAY)


def test_a_period_running_well_above_usual_queues_one_high_usage_message(
        demo: Database) -> None:
    update_settings(demo, OPERATOR, {"high_consumption_factor": "50"})  # nothing held
    number = _residential(demo)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    usual = me.usage_overview(number, today=TODAY).rows[-1].kwh
    first = me.submit_self_read(number, meter, str(_last_value(demo, meter) + usual),
                                today=TODAY)
    assert first.status == "accepted" and first.high_usage_alert
    second = me.submit_self_read(number, meter, str(_last_value(demo, meter) + 10),
                                 today=date(2026, 7, 5))
    assert not second.high_usage_alert  # once per period
    with demo.read() as s:
        rows = s.execute(select(OutboxMessage.kind, OutboxMessage.dedupe_key,
                                OutboxMessage.context)
                         .where(OutboxMessage.kind == "high_usage")).all()
    assert rows and {r[1].rsplit(":", 1)[0] for r in rows} == {
        f"high_usage:{number}:2026-06-01"}
    assert '"period": "2026-06"' in rows[0][2]


def test_a_normal_self_read_raises_no_alert(demo: Database) -> None:
    number = _residential(demo)
    me = _me(demo, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    result = me.submit_self_read(number, meter, str(_last_value(demo, meter) + 12),
                                 today=TODAY)
    assert not result.high_usage_alert
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "high_usage")) == 0


def _expected_alerts(db: Database, period: str) -> set[str]:
    """Every account whose ``period`` bill passes 1.5 times the median of its up to 12
    earlier actual periods, worked out here from every live bill."""
    from ebs_desktop.domain.insights import high_usage, period_shift
    with db.read() as s:
        rows = s.execute(select(Account.account_number, Bill.period, Bill.revision,
                                Bill.consumption_kwh, Bill.estimated, Bill.id)
                         .join(Account, Account.id == Bill.account_id)
                         .order_by(Bill.revision)).all()
        cancelled = set(s.scalars(select(CreditNote.bill_id)))
    live: dict[str, dict[str, tuple[Decimal, bool]]] = {}
    for number, p, _rev, kwh, est, bill_id in rows:
        if bill_id not in cancelled:
            live.setdefault(number, {})[p] = (kwh, bool(est))
    out = set()
    for number, periods in live.items():
        if period not in periods or periods[period][1]:
            continue
        earlier = [k for p, (k, est) in sorted(periods.items())
                   if period_shift(period, -12) <= p < period and not est]
        if high_usage(periods[period][0], earlier) is not None:
            out.add(number)
    return out


def test_billing_queues_high_usage_for_exactly_the_periods_well_above_usual(
        demo: Database) -> None:
    from ebs_desktop.services.billing.run import run_billing
    from ebs_desktop.services.usage_alerts import bills_high_usage
    # make two accounts' May well above their usual, one just below the line
    high, higher, near = (_residential(demo, k) for k in (2, 3, 4))
    with demo.write() as s:
        for number, times in ((high, "2.0"), (higher, "4"), (near, "1.45")):
            bill = s.scalars(select(Bill).join(Account)
                             .where(Account.account_number == number,
                                    Bill.period == "2026-05")).one()
            history = sorted(s.scalars(select(Bill.consumption_kwh)
                                       .where(Bill.account_id == bill.account_id,
                                              Bill.period < "2026-05",
                                              Bill.period >= "2025-05")))
            mid = len(history) // 2
            median = history[mid] if len(history) % 2 else (history[mid - 1] + history[mid]) / 2
            bill.consumption_kwh = (median * Decimal(times)).quantize(Decimal("0.001"))
    with demo.write() as s:
        may = list(s.scalars(select(Bill.id).where(Bill.period == "2026-05")))
        added = bills_high_usage(s, may)
    expected = _expected_alerts(demo, "2026-05")
    assert {high, higher} <= expected and near not in expected

    def queued() -> set[str]:
        with demo.read() as s:
            keys = s.scalars(select(OutboxMessage.dedupe_key)
                             .where(OutboxMessage.kind == "high_usage"))
            return {k.split(":")[1] for k in keys}

    assert queued() == expected and added >= len(expected)
    with demo.write() as s:
        assert bills_high_usage(s, may) == 0  # once per period
    # a real billing run of June raises them the same way, in its own batches
    run_billing(demo, OPERATOR, "2026-06", issue_date=date(2026, 7, 2), batch_size=5)
    assert queued() == expected | _expected_alerts(demo, "2026-06")


def test_staff_review_held_self_reads_from_the_command_line(sqlite_db: Database) -> None:
    import json

    from click.testing import CliRunner

    from ebs_desktop.cli.main import cli
    build_demo(sqlite_db, customers=6, months=3, until="2026-06")
    number = _residential(sqlite_db)
    me = _me(sqlite_db, number)
    meter = me.usage_overview(number, today=TODAY).meters[0].serial
    me.submit_self_read(number, meter, str(_last_value(sqlite_db, meter) + 900), today=TODAY)
    runner = CliRunner()
    url = sqlite_db.url_text
    listed = runner.invoke(cli, ["--db", url, "readings", "held", "--json"])
    assert listed.exit_code == 0, listed.output
    (held,) = json.loads(listed.output)
    assert (held["account"], held["meter"], held["photo"]) == (number, meter, False)
    text = runner.invoke(cli, ["--db", url, "readings", "held"])
    assert f"{number}  {meter}/kwh" in text.output and "1 reading to review" in text.output
    done = runner.invoke(cli, ["--db", url, "readings", "confirm", str(held["reading_id"])])
    assert done.exit_code == 0, done.output
    after = runner.invoke(cli, ["--db", url, "readings", "held"])
    assert "No customer readings wait for review." in after.output


def test_each_billing_run_summarises_its_comparison_groups(demo: Database) -> None:
    from ebs_desktop.persistence.models import UsageBenchmark
    with demo.read() as s:
        periods = set(s.scalars(select(Bill.period)))
        summarised = s.execute(select(UsageBenchmark.period, func.sum(UsageBenchmark.accounts))
                               .group_by(UsageBenchmark.period)).all()
        live = dict(s.execute(select(Bill.period, func.count()).group_by(Bill.period)).all())
    assert {p for p, _n in summarised} == periods
    for period, accounts in summarised:
        assert accounts == live[period]  # every bill in one group (no rebills in the demo)
