"""Every text the pages' templates and modules put through ``t(...)`` has its French, and
money and dates follow the customer's language through Babel."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.portal import words
from ebs_desktop.portal.words import FRENCH, Words, line_help

PORTAL = Path(words.__file__).parent
PAGES = ("base.html", "home.html", "bills.html", "bill.html", "payments.html",
         "payment.html", "profile.html")
CALL = re.compile(r"""\bt\(\s*(["'])(.+?)\1""")


def _texts() -> set[str]:
    found: set[str] = set()
    for name in PAGES:
        source = (PORTAL / "templates" / name).read_text(encoding="utf-8")
        found |= {m[2] for m in CALL.finditer(source)}
        # t(label) over a literal list of (value, label) pairs, e.g. the menu
        for pair in re.findall(r"\[\((.*?)\)\]", source, re.S):
            found |= set(re.findall(r"""\(\s*['"][^'"]*['"],\s*['"]([^'"]+)['"]""",
                                    f"({pair})"))
    return found


def test_every_text_of_the_pages_has_its_french() -> None:
    texts = _texts()
    assert {"Bills", "Profile", "Save", "Your accounts", "Home"} <= texts
    statuses = {"paid", "partly paid", "overdue", "open", "cancelled", "replaced"}
    missing = sorted((texts | statuses) - set(FRENCH))
    assert missing == []
    assert all(FRENCH[k.value] for k in Kind)


def test_money_dates_and_words_follow_the_language() -> None:
    en, fr = Words("en_US"), Words("fr")
    amount = Money(123450, "USD")
    assert en.money(amount) == "$1,234.50"
    assert fr.money(amount).replace("\u202f", " ").replace("\xa0", " ") == "1 234,50 $US"
    assert en.day(date(2026, 3, 31)) == "Mar 31, 2026"
    assert fr.day(date(2026, 3, 31)) == "31 mars 2026"
    assert fr.t("Bill {number}", number="B1") == "Facture B1"
    assert en.t("Bill {number}", number="B1") == "Bill B1"
    assert line_help("ENERGY-2").startswith("Electricity you used")
    assert line_help("ENERGY-PEAK", "fr").startswith("L'électricité consommée aux heures de")
    assert line_help("SOMETHING") == ""
