"""Online payments: a gateway's events posted exactly once, through the counter's ledger path.

Why it holds when a gateway calls back late, twice, out of order or not at all:

* each event is stored once by ``(gateway, event id)`` in the same transaction as what it
  causes; a redelivery finds its id taken and changes nothing;
* a payment is posted under the idempotency key ``<gateway>:<payment id>``, so the webhook,
  its redeliveries under other event ids and the poller (:func:`sync_payments`) all meet on
  one posting; two of them racing on two workers leave one payment (the second waits on
  the unique key, then finds the first's);
* anything we cannot post right (another currency, an unknown account, a bill of another
  account, no amount) is *parked* with the reason in words, for staff, never posted wrong;
* a success that arrives after the customer also paid at the counter posts all the same:
  the part above what is owed stays on the account as credit, and the event says so.

A full refund or a dispute reverses the posted payment (the bills it paid open again, the
customer is told), with a reversal receipt in the online series and no person behind it.
One that arrives before its payment waits, parked, and is applied when the payment posts,
so any order of the same events ends with the same ledger. A partial refund is parked for
staff with the amounts.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ebs_desktop.devices.payments import (
    FINAL_STATES,
    EventKind,
    GatewayError,
    GatewayEvent,
    GatewayUnavailable,
    PaymentGateway,
    PaymentState,
)
from ebs_desktop.devices.payments import PaymentRequest as GatewayRequest
from ebs_desktop.domain.cash import TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import counter as counter_store
from ebs_desktop.persistence.stores import online as store
from ebs_desktop.persistence.tx import IntegrityError, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.posting import (
    ONLINE_SERIES,
    PaymentRequest,
    post_payment_in,
    receipt_series,
    take_receipt_number,
)
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import events as notify
from ebs_desktop.services.settings import currency as utility_currency
from ebs_desktop.services.settings import get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intake:
    """What became of one event. ``outcome``: posted, recorded, ignored, parked, duplicate,
    or received (stored for the drainer, not acted on yet)."""

    outcome: str
    reason: str | None = None
    receipt_number: str | None = None
    payment_id: int | None = None


def posting_key(gateway: str, payment_ref: str) -> str:
    return f"{gateway}:{payment_ref}"[:64]


def intake_event(db: Database, actor: Actor, event: GatewayEvent) -> Intake:
    """Store one verified gateway event and act on it, in one transaction."""
    require(actor, "payment.webhook")
    return _intake(db, actor, event)


def _intake(db: Database, actor: Actor, event: GatewayEvent) -> Intake:
    for attempt in range(3):
        try:
            with db.write() as session:
                return _intake_in(session, actor, event)
        except IntegrityError:
            # another worker committed the same event, or the same payment under another
            # event, while we worked: the next attempt sees it and changes nothing
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _intake_in(session: Session, actor: Actor, event: GatewayEvent) -> Intake:
    row = store.record_event(session, gateway=event.gateway, event_id=event.event_id,
                             type_=event.type, kind=event.kind.value,
                             amount_minor=event.amount_minor, payment_ref=event.payment_id,
                             body=event.raw.decode("utf-8", "replace"))
    if row is None:
        return Intake("duplicate", "this event was received before")
    return _act(session, actor, event, row)


# -- the webhook's fast path: store now, post in the drainer ----------------------------------

def receive_event(db: Database, actor: Actor, event: GatewayEvent) -> Intake:
    """Store one verified gateway event for the drainer, once by its event id (one INSERT
    ... ON CONFLICT DO NOTHING): ``received``, or ``duplicate`` when stored before. Nothing
    is posted here; :func:`drain_events` does that, in batches."""
    require(actor, "payment.webhook")
    detail = json.dumps({"currency": event.currency, "metadata": event.metadata},
                        separators=(",", ":"))
    with db.write_connection() as conn:
        fresh = store.receive_event(conn, gateway=event.gateway, event_id=event.event_id,
                                    type_=event.type, kind=event.kind.value,
                                    amount_minor=event.amount_minor,
                                    payment_ref=event.payment_id,
                                    body=event.raw.decode("utf-8", "replace"), detail=detail)
    if not fresh:
        return Intake("duplicate", "this event was received before")
    return Intake("received")


@dataclass(frozen=True)
class Drained:
    """What one :func:`drain_events` call did: events taken, and how many of each outcome
    (``retry``: left received because another transaction posted the same payment while
    we worked; the next round finds it)."""

    events: int
    outcomes: dict[str, int]


DRAIN_BATCH = 200


def drain_events(db: Database, actor: Actor, *, batch: int = DRAIN_BATCH,
                 max_batches: int | None = None) -> Drained:
    """Post the received events, oldest first, ``batch`` to a transaction, until none is
    left (or ``max_batches``). Each event in a savepoint of its own: one that fails is
    parked with the reason and the batch goes on. Called by the portal's background
    drainer after each stored event and every few seconds, and by ``ebs payments
    process``; any number may run, one drains at a time (the others return)."""
    require(actor, "payment.webhook")
    taken = 0
    outcomes: dict[str, int] = {}
    done = 0
    while max_batches is None or done < max_batches:
        with db.read() as session:
            if not store.any_received(session):
                break
        with db.write() as session:
            if not store.take_drain_turn(session):
                break  # another drainer is at it; it takes ours too
            rows = store.claim_received(session, batch)
            retry = False
            for stored in rows:
                outcome = _drain_one(session, actor, stored)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                retry = retry or outcome == "retry"
        taken += len(rows)
        done += 1
        if not rows or retry:
            break
    return Drained(taken, outcomes)


def _drain_one(session: Session, actor: Actor, stored: store.ReceivedEvent) -> str:
    try:
        with session.begin_nested():
            return _act(session, actor, _as_event(stored), stored.row).outcome
    except IntegrityError:
        # the poller or autopay posted this payment meanwhile: left received, next round
        return "retry"
    except Exception as exc:  # one bad event never blocks the batch: parked, said why
        log.exception("online payments: event %s %s could not be processed",
                      stored.gateway, stored.event_id)
        reason = f"could not be processed ({type(exc).__name__}): {exc}"[:500]
        store.set_event_outcome(session, stored.row, "parked", reason)
        return "parked"


def _as_event(stored: store.ReceivedEvent) -> GatewayEvent:
    detail = json.loads(stored.detail or "{}")
    metadata = {str(k): str(v) for k, v in (detail.get("metadata") or {}).items()}
    return GatewayEvent(stored.gateway, stored.event_id, EventKind(stored.kind), stored.type,
                        stored.payment_ref, stored.amount_minor, detail.get("currency"),
                        metadata, stored.received_at, stored.body.encode())


def _act(session: Session, actor: Actor, event: GatewayEvent, row: int) -> Intake:
    """What a stored event causes (shared by :func:`intake_event` and the drainer)."""
    started = (store.started_payment(session, event.gateway, event.payment_id)
               if event.payment_id else None)
    if event.kind is EventKind.PAYMENT_SUCCEEDED:
        return _succeeded(session, actor, event, row, started)
    if event.kind in (EventKind.PAYMENT_FAILED, EventKind.PAYMENT_PROCESSING):
        if started is None:
            return _outcome(session, row, "ignored", "no payment of ours has this id")
        if started.state in {s.value for s in FINAL_STATES}:
            return _outcome(session, row, "ignored",
                            f"the payment is already {started.state}")
        failed = event.kind is EventKind.PAYMENT_FAILED
        store.set_started(session, started.id,
                          state="failed" if failed else "processing",
                          failure=(event.metadata.get("result_text") or "declined")
                          if failed else None)
        return _outcome(session, row, "recorded", None)
    if event.kind in (EventKind.REFUNDED, EventKind.DISPUTED) and event.payment_id:
        return _reverse(session, actor, event, row)
    return _outcome(session, row, "ignored", f"{event.type} events are not acted on")


def _succeeded(session: Session, actor: Actor, event: GatewayEvent, row: int,
               started: store.StartedPayment | None) -> Intake:
    currency = utility_currency(session)
    problem = _why_not(session, event, started, currency)
    if problem is not None:
        return _outcome(session, row, "parked", problem)
    assert event.amount_minor is not None and event.payment_id is not None
    account = started.account_number if started else event.metadata["account_number"]
    amount = Money(event.amount_minor, currency)
    result = post_payment_in(session, actor, PaymentRequest(
        account, (TransferTender(amount, f"{event.gateway} {event.payment_id}"[:140]),),
        posting_key(event.gateway, event.payment_id), channel="online"))
    if started is not None:
        store.set_started(session, started.id, state="succeeded", payment_id=result.payment_id)
    if not result.replayed:
        _apply_waiting(session, actor, event.gateway, event.payment_id)
    if result.replayed:
        return _outcome(session, row, "ignored",
                        f"already posted as receipt {result.receipt_number}",
                        result.payment_id, result.receipt_number)
    note = (f"{result.credit} above what was owed stays on the account as credit"
            if result.credit.minor > 0 else None)
    return _outcome(session, row, "posted", note, result.payment_id, result.receipt_number)


WAITING = "arrived before its payment: applied when the payment posts"


def _reverse(session: Session, actor: Actor, event: GatewayEvent, row: int) -> Intake:
    """A refund or dispute of a posted payment: reverse it (bills reopen, customer told)."""
    assert event.payment_id is not None
    what = "refund" if event.kind is EventKind.REFUNDED else "dispute"
    posted = counter_store.payment_of_key(session, posting_key(event.gateway, event.payment_id))
    if posted is None:
        return _outcome(session, row, "parked", f"a {what} that {WAITING}")
    payment_id, amount_minor, _account, account_id = posted
    currency = utility_currency(session)
    original = str(counter_store.payment_receipt_number(session, payment_id))
    if counter_store.is_reversed(session, payment_id):
        return _outcome(session, row, "ignored", f"payment {original} is already reversed",
                        payment_id)
    if event.amount_minor is not None and event.amount_minor < amount_minor:
        return _outcome(session, row, "parked",
                        f"a partial {what} of {Money(event.amount_minor, currency)} of payment "
                        f"{original} ({Money(amount_minor, currency)}): staff adjust the "
                        "account", payment_id)
    reason = (f"refunded through {event.gateway}" if what == "refund"
              else f"disputed with the card issuer ({event.gateway})")
    ledger.lock_account_id(session, account_id)
    reversal_id = counter_store.insert_reversal(session, payment_id, reason, 0, None, None, None)
    paid = counter_store.live_allocations(session, payment_id)
    counter_store.reopen_allocations(session, payment_id, reversal_id, paid)
    today = datetime.now(UTC).date()
    journal = ledger.post_journal(
        session, "reversal", today, f"reversal of {original}: {reason}", None,
        [{"gl_code": "AR", "account_id": account_id, "amount_minor": amount_minor,
          "payment_id": payment_id},
         {"gl_code": "GATEWAY", "amount_minor": -amount_minor, "payment_id": payment_id}])
    series, prefix = receipt_series(ONLINE_SERIES, today)
    number, seq = take_receipt_number(session, series, prefix)
    counter_store.insert_reversal_receipt(session, series, seq, number, payment_id, reversal_id)
    amount = Money(amount_minor, currency)
    balance = Money(journal.balances[account_id], currency)
    notify.payment_reversed(session, account_id, number, original, amount, reason, balance)
    audit.record(session, actor, "payment.reverse", "payment", payment_id,
                 after={"receipt": number, "reverses": original, "reason": reason,
                        "event": event.event_id})
    return _outcome(session, row, "posted", f"payment {original} reversed as {number}: "
                                            f"{reason}", payment_id, number)


def _apply_waiting(session: Session, actor: Actor, gateway: str, payment_ref: str) -> None:
    """Refunds and disputes that came before the payment now posted: apply them now."""
    for stored in store.events_of(session, gateway, payment_ref):
        if stored.outcome == "parked" and (stored.reason or "").endswith(WAITING):
            _reverse(session, actor, GatewayEvent(
                gateway, stored.event_id, EventKind(stored.kind), stored.type, payment_ref,
                stored.amount_minor, None, {}, datetime.now(UTC), stored.body.encode()),
                stored.row)


def _why_not(session: Session, event: GatewayEvent, started: store.StartedPayment | None,
             currency: str) -> str | None:
    """Why this success cannot be posted as it stands, in words; None when it can."""
    if event.payment_id is None:
        return "the event names no payment"
    if event.amount_minor is None or event.amount_minor <= 0:
        return "the event carries no amount"
    if event.currency != currency:
        return f"the amount is in {event.currency}; the utility takes {currency}"
    if started is not None:
        if started.amount_minor != event.amount_minor:
            return (f"the gateway took {Money(event.amount_minor, currency)}, not the "
                    f"{Money(started.amount_minor, currency)} asked for")
        return None
    account = event.metadata.get("account_number", "").strip()
    if not account:
        return "no account_number in the payment's metadata"
    if store.account_id_of(session, account) is None:
        return f"no account {account!r}"
    bill = event.metadata.get("bill_number", "").strip()
    if bill:
        found = store.bill_of(session, bill)
        if found is None:
            return f"no bill {bill!r}"
        if found[1] != account:
            return f"bill {bill} belongs to another account, not {account}"
    return None


def _outcome(session: Session, row: int, outcome: str, reason: str | None,
             payment_id: int | None = None, receipt: str | None = None) -> Intake:
    store.set_event_outcome(session, row, outcome, reason, payment_id)
    return Intake(outcome, reason, receipt, payment_id)


def sync_payments(db: Database, actor: Actor, gateway: PaymentGateway, *,
                  older_than: timedelta = timedelta(minutes=15),
                  now: datetime | None = None) -> list[Intake]:
    """The poller (``ebs payments sync``): ask the gateway about every payment we started
    that has heard nothing final for ``older_than``; post the successes a lost webhook never
    told us of, record the failures."""
    require(actor, "payment.webhook")
    before = (now or datetime.now(UTC)) - older_than
    with db.read() as session:
        refs = store.waiting(session, gateway.name, before)
    done = []
    for ref in refs:
        seen = gateway.fetch_payment(ref)  # over the network: outside any transaction
        if seen.state not in FINAL_STATES:
            continue
        with db.read() as session:
            started = store.started_payment(session, gateway.name, ref)
        assert started is not None
        kind = (EventKind.PAYMENT_SUCCEEDED if seen.state is PaymentState.SUCCEEDED
                else EventKind.PAYMENT_FAILED)
        done.append(intake_event(db, actor, GatewayEvent(
            gateway.name, f"poll:{ref}:{seen.state.value}", kind, f"poll.{seen.state.value}",
            ref, started.amount_minor, started.currency,
            {"result_text": seen.failure or ""}, datetime.now(UTC),
            f'{{"polled": "{ref}", "state": "{seen.state.value}"}}'.encode())))
    return done


@dataclass(frozen=True)
class StartedOnline:
    """A payment the customer goes on with in the gateway's own page or phone prompt."""

    gateway: str
    payment_ref: str
    state: PaymentState
    client_secret: str | None  # for the gateway's hosted fields in the browser
    amount: Money


def start_payment(db: Database, actor: Actor, gateway: PaymentGateway, account_number: str,
                  amount: Money, request_key: str, *, bill_number: str | None = None,
                  phone: str | None = None) -> StartedOnline:
    """Start collecting ``amount`` for one of the customer's accounts (a bill of it, or the
    account). ``request_key`` is the customer's one click: the same key returns the same
    payment, and the gateway is asked with it as its idempotency key."""
    require(actor, "self.pay")
    if actor.kind == "customer" and account_number not in actor.accounts:
        raise NotFound(f"no account {account_number!r}")
    return _start(db, gateway, account_number, amount, request_key, bill_number=bill_number,
                  phone=phone)


START_LEASE = timedelta(seconds=90)  # longer than a gateway call may take (timeout 20 s x 3)


def _start(db: Database, gateway: PaymentGateway, account_number: str, amount: Money,
           request_key: str, *, bill_number: str | None = None, phone: str | None = None,
           customer_ref: str | None = None, method_ref: str | None = None) -> StartedOnline:
    key = request_key.strip()
    if not key or len(key) > 64:
        raise ValidationError("the payment key must be 1-64 characters", location="key")
    with db.write() as session:
        currency = utility_currency(session)
        if amount.currency != currency:
            raise ValidationError(f"the utility takes {currency}, not {amount.currency}",
                                  location="amount")
        ceiling = get_settings(session).money("payment_supervisor_limit")
        if amount.minor <= 0 or amount > ceiling:
            raise ValidationError(f"an online payment must be above 0 and at most {ceiling}",
                                  location="amount")
        existing = store.started_by_key(session, key)
        if existing is None:
            account_id = store.account_id_of(session, account_number)
            if account_id is None:
                raise NotFound(f"no account {account_number!r}")
            bill_id = None
            if bill_number:
                found = store.bill_of(session, bill_number)
                if found is None or found[1] != account_number:
                    raise NotFound(f"no bill {bill_number!r}")
                bill_id = found[0]
            if store.insert_started(session, gateway=gateway.name, request_key=key,
                                    account_id=account_id, bill_id=bill_id,
                                    amount_minor=amount.minor, currency=currency) is None:
                raise ConflictError("this payment is being started; look again in a moment")
        elif existing.account_number != account_number or existing.amount_minor != amount.minor:
            raise ConflictError(f"key {key!r} was used for another payment")
        elif existing.payment_ref is None and not store.claim_start(
                session, existing.id, datetime.now(UTC) - START_LEASE):
            # another click, worker or machine is asking the gateway right now: one asks
            raise ConflictError("this payment is being started; look again in a moment")
    if existing is not None and existing.payment_ref is not None:
        # the same click again: the payment it made, never a second (a gateway that ignores
        # idempotency keys, as test servers do, is never asked twice)
        seen = gateway.fetch_payment(existing.payment_ref)
        return StartedOnline(gateway.name, seen.payment_id, seen.state, seen.client_secret,
                             amount)
    # over the network, outside any transaction: a failure leaves the record to retry
    try:
        made = gateway.create_payment(GatewayRequest(
            amount_minor=amount.minor, currency=amount.currency,
            account_number=account_number, idempotency_key=key, bill_number=bill_number,
            phone=phone, customer_ref=customer_ref, payment_method=method_ref,
            off_session=method_ref is not None))
    except GatewayError as exc:
        if not isinstance(exc, GatewayUnavailable):  # refused for good: say so on the record
            with db.write() as session:
                started = store.started_by_key(session, key)
                assert started is not None
                store.set_started(session, started.id, state="failed", failure=str(exc))
        raise
    with db.write() as session:
        started = store.started_by_key(session, key)
        assert started is not None
        if started.payment_ref is None:
            store.set_started(session, started.id, state=made.state.value,
                              payment_ref=made.payment_id)
    return StartedOnline(gateway.name, made.payment_id, made.state, made.client_secret, amount)


# -- autopay ----------------------------------------------------------------------------------

def save_autopay(db: Database, actor: Actor, account_number: str, gateway: str,
                 customer_ref: str, method_ref: str, method_label: str) -> None:
    """Turn autopay on for one of the customer's accounts with a method saved at the gateway
    (its ids only, e.g. after a Stripe SetupIntent); replaces the account's earlier one."""
    require(actor, "self.pay")
    if actor.kind == "customer" and account_number not in actor.accounts:
        raise NotFound(f"no account {account_number!r}")
    for field, value in (("customer", customer_ref), ("method", method_ref)):
        if not value.strip() or len(value) > 64:
            raise ValidationError(f"the gateway's {field} id must be 1-64 characters",
                                  location=field)
    with db.write() as session:
        account_id = store.account_id_of(session, account_number)
        if account_id is None:
            raise NotFound(f"no account {account_number!r}")
        store.disable_mandates(session, account_id)
        store.insert_mandate(session, account_id=account_id, gateway=gateway,
                             customer_ref=customer_ref.strip(), method_ref=method_ref.strip(),
                             method_label=method_label.strip()[:64] or "saved method")
        audit.record(session, actor, "autopay.on", "account", account_id,
                     after={"gateway": gateway, "method": method_label})


def cancel_autopay(db: Database, actor: Actor, account_number: str) -> bool:
    """Turn autopay off; True when it was on."""
    require(actor, "self.pay")
    if actor.kind == "customer" and account_number not in actor.accounts:
        raise NotFound(f"no account {account_number!r}")
    with db.write() as session:
        account_id = store.account_id_of(session, account_number)
        if account_id is None:
            raise NotFound(f"no account {account_number!r}")
        was_on = store.disable_mandates(session, account_id) > 0
        if was_on:
            audit.record(session, actor, "autopay.off", "account", account_id)
        return was_on


@dataclass(frozen=True)
class AutopayRun:
    charged: int  # posted by this run
    already: int  # charged by an earlier run (a re-run changes nothing)
    failed: int  # refused by the gateway: the customer is told, dunning goes on
    waiting: int  # the gateway has not decided (3-D Secure asked, processing)
    problems: tuple[str, ...]


def run_autopay(db: Database, actor: Actor, gateways: dict[str, PaymentGateway], *,
                as_of: date) -> AutopayRun:
    """Charge every open bill due by ``as_of`` of each account with autopay on, once: the
    bill's key (``autopay:<bill number>``) makes a re-run, or a run on two machines,
    harmless. A refused charge notifies the customer and leaves the bill to dunning."""
    require(actor, "autopay.run")
    with db.read() as session:
        work = [(m, bill, open_minor) for m in store.live_mandates(session)
                for bill, open_minor in store.bills_due(session, m.account_id, as_of)]
        currency = utility_currency(session)
    charged = already = failed = waiting = 0
    problems: list[str] = []
    for mandate, bill, open_minor in work:
        gateway = gateways.get(mandate.gateway)
        key = f"autopay:{bill}"
        if gateway is None:
            problems.append(f"{mandate.account_number}: {mandate.gateway} is not configured")
            continue
        with db.read() as session:
            earlier = store.started_by_key(session, key)
        if earlier is not None and earlier.state == "failed":
            already += 1  # refused before and the customer told: no second attempt
            continue
        try:
            started = _start(db, gateway, mandate.account_number, Money(open_minor, currency),
                             key, bill_number=bill, customer_ref=mandate.customer_ref,
                             method_ref=mandate.method_ref)
        except ConflictError:
            waiting += 1  # another run is charging this bill right now
            continue
        except GatewayError as exc:
            if isinstance(exc, GatewayUnavailable):
                problems.append(f"{mandate.account_number}: {exc}")
                continue
            failed += 1
            with db.write() as session:
                notify.account_problem(
                    session, mandate.account_id, f"autopay_failed:{bill}",
                    f"The automatic payment of bill {bill} with your {mandate.method_label} "
                    f"did not go through ({exc}). Please pay it another way.")
            continue
        if started.state is not PaymentState.SUCCEEDED:
            waiting += 1
            continue
        result = _intake(db, actor, GatewayEvent(
            gateway.name, f"autopay:{started.payment_ref}", EventKind.PAYMENT_SUCCEEDED,
            "autopay.charged", started.payment_ref, open_minor, currency,
            {"account_number": mandate.account_number, "bill_number": bill},
            datetime.now(UTC), f'{{"autopay": "{bill}"}}'.encode()))
        if result.outcome == "posted":
            charged += 1
        else:
            already += 1
    return AutopayRun(charged, already, failed, waiting, tuple(problems))
