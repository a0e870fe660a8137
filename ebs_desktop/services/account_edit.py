"""Opening a new account and correcting a customer's contact details; account notes.

A new account is three rows in one transaction: the customer, the account (with the next
account number: an eight-digit serial plus its Damm check digit) and the premise where
the electricity goes. The serial comes from the gapless ``ACCOUNT`` number series, so two
clerks opening accounts at once never get the same number; on a database filled before
the series existed (the demo writes accounts in bulk) the series starts after the highest
account number in use. Every change is audited with its before and after.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ebs_desktop.domain.account_number import make_account_number, no_account_message
from ebs_desktop.domain.contacts import clean_email, clean_phone, resolver_for
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models.codes import CATEGORIES
from ebs_desktop.persistence.stores import accounts as store
from ebs_desktop.persistence.stores import tariffs as tariff_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.account_view import NoteView, notes_in
from ebs_desktop.services.accounts import normalise_phone
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify_settings import notify_settings
from ebs_desktop.services.numbering import take_numbers

ACCOUNT_SERIES = "ACCOUNT"
FIRST_SERIAL = 10_000_001


@dataclass(frozen=True)
class ContactDetails:
    """What a clerk may correct on a customer."""

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class NewAccount:
    contact: ContactDetails
    category: str
    tariff_code: str
    route_code: str
    premise_address: str
    sanctioned_load_kw: str  # as typed; parsed to Decimal here
    phases: int = 1
    opened_on: date | None = None


@dataclass(frozen=True)
class AccountChoices:
    """The lists a "new account" form offers: codes with their names, and the tariff a
    new account of each category gets unless another is chosen."""

    categories: tuple[str, ...]
    tariffs: tuple[tuple[str, str], ...]
    routes: tuple[tuple[str, str], ...]
    default_tariffs: tuple[tuple[str, str], ...] = ()  # (category, tariff code)

    def default_tariff(self, category: str) -> str | None:
        return dict(self.default_tariffs).get(category)


@dataclass(frozen=True)
class ContactRules:
    """How phones and e-mail addresses are checked at entry (the delivery settings
    ``notify.country`` and ``notify.check_email_domain``)."""

    country: str = "US"
    check_domain: bool = False
    dns_server: str = ""  # "": the system's name servers


def contact_rules(db: Database) -> ContactRules:
    """The rules as set for this utility (read before a write: a DNS question is not asked
    while the database is locked)."""
    with db.read() as session:
        found = notify_settings(session)
    return ContactRules(found.notify_country, found.notify_check_email_domain,
                        found.notify_dns_server)


def clean_contact(contact: ContactDetails, rules: ContactRules | None = None) -> ContactDetails:
    """The contact as it will be stored, or a ValidationError naming the field. Without
    ``rules`` (a form checking what was typed before anything is sent) the phone is only
    checked for its length and the e-mail address for its syntax; with them (the service)
    the phone is stored in E.164 read in the utility's country and the e-mail's domain is
    asked for when the utility checks it (:mod:`ebs_desktop.domain.contacts`)."""
    name = " ".join(contact.name.split())
    if not name:
        raise ValidationError("the customer's name is required", location="name")
    if len(name) > 200:
        raise ValidationError(f"name is {len(name)} characters long (at most 200)",
                              location="name")
    if rules is None:
        phone = normalise_phone(contact.phone)
        if contact.phone.strip() and not 6 <= len(phone.lstrip("+")) <= 15:
            raise ValidationError(f"{contact.phone!r} is not a phone number (6 to 15 digits)",
                                  location="phone")
    else:
        phone = clean_phone(contact.phone, rules.country)
    check = rules is not None and rules.check_domain
    email = clean_email(contact.email, check_domain=check,
                        resolver=resolver_for(rules.dns_server) if check and rules else None)
    address = " ".join(contact.address.split())
    if len(address) > 400:
        raise ValidationError("address is longer than 400 characters", location="address")
    return ContactDetails(name, phone, email, address)


def check_new_account(new: NewAccount, rules: ContactRules | None = None
                      ) -> tuple[ContactDetails, str, Decimal]:
    """What a new account's form holds, checked without the database: the cleaned contact,
    the premise address and the sanctioned load, or a ValidationError naming the field."""
    contact = clean_contact(new.contact, rules)
    if new.category not in CATEGORIES:
        raise ValidationError(f"unknown category {new.category!r}", location="category")
    premise_address = " ".join(new.premise_address.split()) or contact.address
    if not premise_address:
        raise ValidationError("the premise address is required", location="premise address")
    load = _parse_load(new.sanctioned_load_kw)
    if new.phases not in (1, 3):
        raise ValidationError(f"phases must be 1 or 3, got {new.phases}", location="phases")
    return contact, premise_address, load


def _parse_load(value: str) -> Decimal:
    try:
        load = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not a number", location="sanctioned load") from None
    if not load.is_finite() or load <= 0:
        raise ValidationError(f"sanctioned load must be above 0 kW, got {value!r}",
                              location="sanctioned load")
    return load


def _next_serial(session: Session) -> int:
    if not store.series_exists(session, ACCOUNT_SERIES):
        highest = store.highest_account_number(session)
        start = int(highest[:8]) + 1 if highest else FIRST_SERIAL
        store.start_series(session, ACCOUNT_SERIES, start)
    _prefix, serial = take_numbers(session, ACCOUNT_SERIES, "", 1)
    return serial


def account_choices(db: Database, actor: Actor) -> AccountChoices:
    require(actor, "account.view")
    with db.read() as session:
        tariffs = tuple(tariff_store.tariff_choices(session))
        routes = tuple(store.route_choices(session))
        defaults = tuple(tariff_store.tariff_categories(session).items())
    return AccountChoices(CATEGORIES, tariffs, routes, defaults)


def create_account(db: Database, actor: Actor, new: NewAccount) -> str:
    """Open the account; returns its number. Without a tariff code the account gets its
    category's default tariff (the first of that category by code)."""
    require(actor, "account.edit")
    contact, premise_address, load = check_new_account(new, contact_rules(db))
    opened = new.opened_on or date.today()
    with db.write() as session:
        tariff_code = new.tariff_code.strip()
        if not tariff_code:
            found = tariff_store.tariff_categories(session).get(new.category)
            if found is None:
                raise ValidationError(f"no tariff for the category {new.category!r}: "
                                      "choose one", location="tariff")
            tariff_code = found
        tariff_id = tariff_store.tariff_id_of(session, tariff_code)
        if tariff_id is None:
            raise ValidationError(f"no tariff {tariff_code!r}", location="tariff")
        route = store.route_and_cycle(session, new.route_code)
        if route is None:
            raise ValidationError(f"no route {new.route_code!r}", location="route")
        route_id, cycle_id = route
        if not store.cycle_exists(session, cycle_id):  # pragma: no cover - FK guarantees
            raise NotFound(f"route {new.route_code} has no billing cycle")
        walk = store.last_walk_order(session, route_id)
        customer = store.add_customer(session, contact.name, contact.phone or None,
                                      contact.email or None, contact.address)
        number = make_account_number(_next_serial(session))
        while store.account_id_of(session, number):
            number = make_account_number(_next_serial(session))  # numbers typed in by hand
        account = store.add_account(
            session, account_number=number, customer_id=customer.id, category=new.category,
            tariff_id=tariff_id, cycle_id=cycle_id, route_id=route_id, walk_order=walk + 1,
            opened_on=opened)
        store.add_premise(session, account_id=account.id, address=premise_address,
                          sanctioned_load_kw=load, phases=new.phases, connected_on=opened)
        audit.record(session, actor, "account.create", "account", account.id,
                     after={"account_number": number, **asdict(contact),
                            "category": new.category, "tariff": tariff_code,
                            "route": new.route_code, "premise_address": premise_address,
                            "sanctioned_load_kw": str(load), "phases": new.phases})
        return number


def edit_contact(db: Database, actor: Actor, account_number: str,
                 contact: ContactDetails) -> ContactDetails:
    """Correct the customer's name, phone, e-mail and address; returns the stored values."""
    require(actor, "account.edit")
    cleaned = clean_contact(contact, contact_rules(db))
    with db.write() as session:
        apply_contact(session, actor, account_number, cleaned)
        return cleaned


def current_contact(session: Session, account_number: str) -> ContactDetails:
    """The account's customer's contact as stored now (NotFound without the account)."""
    row = store.account_and_customer(session, account_number)
    if row is None:
        raise NotFound(no_account_message(account_number))
    customer = row[1]
    return ContactDetails(customer.name, customer.phone or "", customer.email or "",
                          customer.address)


def apply_contact(session: Session, actor: Actor, account_number: str,
                  cleaned: ContactDetails, *, source: str | None = None) -> bool:
    """Write a contact already through :func:`clean_contact` (with the rules) in the
    caller's transaction; audited with before and after of what changed and ``source``
    (where the change came from) when given. Returns whether anything changed."""
    row = store.account_and_customer(session, account_number)
    if row is None:
        raise NotFound(no_account_message(account_number))
    _account_id, customer = row
    before = ContactDetails(customer.name, customer.phone or "", customer.email or "",
                            customer.address)
    if before == cleaned:
        return False
    customer.name = cleaned.name
    customer.name_key = cleaned.name.lower()
    if cleaned.phone != before.phone:  # a corrected number reaches the customer again
        customer.phone_status, customer.phone_problem = "ok", None
    if cleaned.email != before.email:
        customer.email_status, customer.email_problem = "ok", None
    customer.phone = cleaned.phone or None
    customer.email = cleaned.email or None
    customer.address = cleaned.address
    store.set_customer_words(session, customer.id, cleaned.name, cleaned.address)
    changed = [k for k, v in asdict(cleaned).items() if asdict(before)[k] != v]
    facts: dict[str, object] = {"account": account_number,
                                **{k: asdict(cleaned)[k] for k in changed}}
    if source:
        facts["from"] = source
    audit.record(session, actor, "customer.edit", "customer", customer.id,
                 before={k: asdict(before)[k] for k in changed}, after=facts)
    return True


def add_note(db: Database, actor: Actor, account_number: str, note: str) -> NoteView:
    """A dated note on the account (a call, a promise to pay); anyone who may see the
    account may note on it."""
    require(actor, "account.view")
    body = note.strip()
    if not body:
        raise ValidationError("the note is empty", location="note")
    if len(body) > 4000:
        raise ValidationError(f"the note is {len(body)} characters long (at most 4000)",
                              location="note")
    with db.write() as session:
        account_id = store.account_id_of(session, account_number)
        if account_id is None:
            raise NotFound(no_account_message(account_number))
        note_id = store.add_note(session, account_id, actor.user_id, body)
        audit.record(session, actor, "account.note", "account", account_id,
                     after={"note_id": note_id, "text": body})
        return next(n for n in notes_in(session, account_id) if n.id == note_id)
