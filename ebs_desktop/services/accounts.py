"""Finding and showing accounts: the counter's and the customer screen's first step.

``find_accounts`` takes whatever the clerk typed or scanned: an account number, a meter
serial, a phone number, any words of the name or address, or the payload of the bill's
barcode/QR code (see :mod:`ebs_desktop.reports.payment_code`). Each key has its own
index, so a lookup costs a few index probes on a million accounts.

Words: every word typed must start a word of the customer's name or address, in any
order, accents and case ignored ("haddad" finds "Patricia Haddad" and "Haddad Textiles",
"jose" finds "José"; see :mod:`ebs_desktop.domain.search_words`). The search walks the
rarest word's index entries and checks the others per customer, so a common word ("main")
costs no more than a rare one. Names that start with what was typed come first (when they
fill the page, no word search is made), then names with more of the words, then
addresses. When nothing matches, words one typo away are tried ("hadad" finds "Haddad").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ebs_desktop.domain.account_number import is_valid_account_number, no_account_message
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.search_words import fold, near_words, query_words, words
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import accounts as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.payment_code import QR_PREFIX, parse_payment_code
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency

_PHONE_CHARS = re.compile(r"[^\d+]")


@dataclass(frozen=True)
class AccountSummary:
    id: int
    account_number: str
    name: str
    phone: str | None
    address: str
    category: str
    status: str
    balance: Money


@dataclass(frozen=True)
class AccountDetails:
    summary: AccountSummary
    customer_id: int
    email: str | None
    tariff_code: str
    tariff_name: str
    cycle_code: str
    route_code: str
    walk_order: int
    premise_address: str
    sanctioned_load_kw: Decimal
    meter_serials: tuple[str, ...]
    opened_on: str

    def to_json(self) -> dict[str, object]:
        s = self.summary
        return {
            "id": s.id, "account_number": s.account_number, "name": s.name,
            "phone": s.phone, "email": self.email, "address": s.address,
            "category": s.category, "status": s.status, "balance": str(s.balance),
            "currency": s.balance.currency, "tariff": self.tariff_code,
            "cycle": self.cycle_code, "route": self.route_code,
            "walk_order": self.walk_order, "premise_address": self.premise_address,
            "sanctioned_load_kw": str(self.sanctioned_load_kw),
            "meters": list(self.meter_serials), "opened_on": self.opened_on,
        }


def _summaries(session: Session, rows: list[store.SummaryRow]) -> list[AccountSummary]:
    if not rows:
        return []
    currency = utility_currency(session)
    return [AccountSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Money(r[7], currency))
            for r in rows]


def normalise_phone(text: str) -> str:
    return _PHONE_CHARS.sub("", text)


def scanned_account_number(text: str) -> str | None:
    """The account number inside a scanned bill code (barcode or QR), if the text is one."""
    t = text.strip()
    if t.startswith("EBS|"):  # the short QR form: EBS|<account>|<bill>|<amount>
        parts = t.split("|")
        return parts[1] if len(parts) > 1 and is_valid_account_number(parts[1]) else None
    if "/" not in t and not t.startswith(QR_PREFIX):
        return None
    try:
        code = parse_payment_code(t)
    except ValidationError:
        return None
    return code.account_number if is_valid_account_number(code.account_number) else None


def find_accounts_in(session: Session, text: str, limit: int = 50) -> list[AccountSummary]:
    q = text.strip()
    if not q:
        return []
    scanned = scanned_account_number(q)
    if scanned is not None:
        q = scanned
    if q.isdigit() and len(q) == 9:
        found = _summaries(session, store.summaries_by_number(session, q))
        if found:
            return found
    if not any(c.isspace() for c in q):  # a meter serial is one word
        found = _summaries(session, store.summaries_by_meter(session, q.upper()))
        if found:
            return found
    phone = normalise_phone(q)
    if len(phone) >= 6 and len(phone) >= len(q.replace(" ", "")) - 3:
        found = _summaries(session, store.summaries_by_phone(session, phone, limit))
        if found:
            return found
    return _by_words(session, q, limit)


WORD_CAP = 200
"""Index entries counted per typed word to find the rarest (a bounded count: on
PostgreSQL each may be a heap visit until the table is vacuumed). Words that all reach
the cap are told apart by :func:`_rarity`."""


def _rarity(seen: dict[str, int]) -> Callable[[str], tuple[int, int, int]]:
    """Sort key, rarest first: fewer index entries, then a word with digits (a house or
    customer number), then the longer word."""
    return lambda w: (seen[w], 0 if any(c.isdigit() for c in w) else 1, -len(w))


def _by_words(session: Session, q: str, limit: int) -> list[AccountSummary]:
    # Names that start with what was typed come first in any answer: when they fill the
    # page, they are the page (one indexed range, as before the word search).
    prefix = store.summaries_by_name_prefix(session, q.lower(), limit)
    if len(prefix) == limit:
        return _summaries(session, prefix)
    typed = query_words(q)
    found: list[store.SummaryRow] = []
    if len(typed) == 1:  # one word: no rarest to find; nothing found means no such word
        found = store.summaries_by_words(session, typed, limit)
        seen = {typed[0]: len(found)}
    elif typed:
        seen = dict(zip(typed, store.words_seen(session, typed, WORD_CAP), strict=True))
        if all(seen.values()):
            ordered = sorted(typed, key=_rarity(seen))
            found = store.summaries_by_words(session, list(ordered), limit)
    if found or prefix or not typed:
        return _summaries(session, _merged(q, prefix, found, limit))
    return _near(session, q, typed, seen, limit)


def _merged(q: str, prefix: list[store.SummaryRow], found: list[store.SummaryRow],
            limit: int) -> list[store.SummaryRow]:
    have = {row[0] for row in prefix}
    return _ranked(q, prefix + [row for row in found if row[0] not in have])[:limit]


def _near(session: Session, q: str, typed: list[str], seen: dict[str, int],
          limit: int) -> list[AccountSummary]:
    """Every typed word that no customer has is taken as any real word one typo away
    (all of them looked up in one statement)."""
    missing = [w for w in typed if not seen[w]]
    if any(len(w) < 3 for w in missing):
        return []
    near = {w: near_words(w) for w in missing}
    known = set(store.known_words(session, set().union(*near.values())))
    matches: list[store.WordMatch] = []
    for w in typed:
        if seen[w]:
            matches.append(w)
            continue
        real = tuple(sorted(near[w] & known))
        if not real:
            return []
        matches.append(real)
    rare = [w for w in typed if 0 < seen[w] < WORD_CAP]
    if rare:  # a rare word typed right leads; the order of the others matters little
        first: store.WordMatch = min(rare, key=seen.__getitem__)
        matches = [first] + [m for m in matches if m != first]
    elif len(matches) > 1:
        counts = store.words_seen(session, matches, WORD_CAP)
        matches = [matches[i] for i in sorted(range(len(matches)),
                                              key=lambda i: (counts[i], -len(matches[i])))]
    return _summaries(session, _ranked(q, store.summaries_by_words(session, matches, limit)))


def _ranked(q: str, rows: list[store.SummaryRow]) -> list[store.SummaryRow]:
    """Names starting with what was typed first, then by how many typed words the name
    has (the rest are address matches), names starting with a typed word before others;
    the index order within each."""
    folded = fold(q.strip())
    typed = words(q)

    def rank(row: store.SummaryRow) -> tuple[int, int, int]:
        name = fold(row[2])
        have = words(name)
        hits = sum(1 for t in typed if any(h.startswith(t) for h in have))
        return (0 if name.startswith(folded) else 1, -hits,
                0 if any(name.startswith(t) for t in typed) else 1)

    return sorted(rows, key=rank)


def find_accounts(db: Database, actor: Actor, text: str, limit: int = 50) -> list[AccountSummary]:
    require(actor, "account.view")
    with db.read() as session:
        return find_accounts_in(session, text, limit)


def account_details_in(session: Session, account_number: str) -> AccountDetails:
    row = store.details_row(session, account_number)
    if row is None:
        raise NotFound(no_account_message(account_number))
    account, customer, tariff, cycle, route, premise = row
    currency = utility_currency(session)
    serials: tuple[str, ...] = ()
    if premise is not None:
        serials = store.meter_serials(session, premise.id)
    summary = AccountSummary(account.id, account.account_number, customer.name, customer.phone,
                             customer.address, account.category, account.status,
                             Money(account.balance_minor, currency))
    return AccountDetails(summary, customer.id, customer.email, tariff.code, tariff.name,
                          cycle.code, route.code, account.walk_order,
                          premise.address if premise else "",
                          premise.sanctioned_load_kw if premise else Decimal(0), serials,
                          account.opened_on.isoformat())


def account_details(db: Database, actor: Actor, account_number: str) -> AccountDetails:
    require(actor, "account.view")
    with db.read() as session:
        return account_details_in(session, account_number)


def list_accounts(db: Database, actor: Actor, limit: int = 100,
                  offset: int = 0) -> list[AccountSummary]:
    require(actor, "account.view")
    with db.read() as session:
        return _summaries(session, store.summaries_page(session, limit, offset))


def count_accounts(db: Database, actor: Actor) -> int:
    require(actor, "account.view")
    with db.read() as session:
        return store.count_accounts(session)
