"""What a shift's drawer should hold: takings per tender, cash paid out for reversals,
expected amounts and the difference from the count.

Shared by the shift actions (:mod:`.shifts`: the close reveals over/short), the Z-report
(:mod:`.zreport`: its tender lines) and the approval rule (:mod:`.ownership`: a closed,
unapproved shift names its difference), so none of them imports another for it.
"""

from __future__ import annotations

from typing import cast

from ebs_desktop.domain.cash import TenderKind
from ebs_desktop.domain.cash_count import expected_cash
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.models import Shift
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import Session


def takings(session: Session, shift_id: int, currency: str) -> dict[TenderKind, Money]:
    """Applied amounts per tender of the shift's payments (change is not takings)."""
    return {cast(TenderKind, kind): Money(total, currency)
            for kind, total in store.shift_takings(session, shift_id)}


def paid_out(session: Session, shift_id: int, currency: str) -> list[tuple[str, Money]]:
    """Cash the shift's drawer paid out for reversals: (reversed receipt, amount)."""
    return [(number, Money(total, currency))
            for number, total in store.shift_paid_out(session, shift_id)]


def expected_by_tender(session: Session, shift: Shift, currency: str) -> dict[TenderKind, Money]:
    taken = takings(session, shift.id, currency)
    drops = [Money(m, currency) for m in store.safe_drops(session, shift.id)]
    out = Money.zero(currency)
    for _receipt, amount in paid_out(session, shift.id, currency):
        out = out + amount
    expected = dict(taken)
    expected["cash"] = expected_cash(Money(shift.opening_float_minor, currency),
                                     taken.get("cash", Money.zero(currency)), drops, out)
    return expected


def total_difference(session: Session, shift: Shift, currency: str) -> Money:
    """Counted minus expected over every tender of a closed shift."""
    expected = Money.zero(currency)
    for amount in expected_by_tender(session, shift, currency).values():
        expected = expected + amount
    return Money(store.counted_total(session, shift.id), currency) - expected
