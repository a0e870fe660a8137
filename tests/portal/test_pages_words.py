"""One translation table (``portal/words.py``): every text any portal template or page
module puts through ``t(...)`` has its French there, and money and dates follow the
customer's language through Babel."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.portal import auth, usage, words
from ebs_desktop.portal.words import FRENCH, Words, line_help, visitor_words

PORTAL = Path(words.__file__).parent
PAGES = tuple(sorted(p.name for p in (PORTAL / "templates").glob("*.html")))
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
    assert {"Bills", "Profile", "Save", "Your accounts", "Home", "Menu", "Sign in",
            "Your consumption", "Help and requests", "Log out everywhere"} <= texts
    statuses = {"paid", "partly paid", "overdue", "open", "cancelled", "replaced"}
    # texts the modules hand to t(): usage's statuses and outcomes, auth's titles and fields
    modules = (set(usage.STATUS_WORDS.values()) | set(usage.SENT_WORDS.values())
               | {usage.CHART_DESC, "Total (kWh)"} | set(auth.FIELD_NAMES.values()))
    source = Path(auth.__file__).read_text(encoding="utf-8")
    modules |= set(re.findall(r'\b(?:title|then)=\s*"([^"]+)"', source))
    assert {"Sign in", "Link not valid", "Ask for a new one."} <= modules
    missing = sorted((texts | statuses | modules) - set(FRENCH))
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
    assert (en.t("meter|Register"), fr.t("meter|Register")) == ("Register", "Registre")
    assert fr.t("Register") == "S'inscrire"
    assert en.t("Bill {number}", number="B1") == "Bill B1"
    assert line_help("ENERGY-2").startswith("Electricity you used")
    assert line_help("ENERGY-PEAK", "fr").startswith("L'électricité consommée aux heures de")
    assert line_help("SOMETHING") == ""


def _browser(language: str) -> Request:
    return Request({"type": "http", "headers": [(b"accept-language", language.encode())]})


def test_a_page_before_sign_in_speaks_the_browsers_language() -> None:
    def lang(header: str) -> str:
        return visitor_words(_browser(header)).lang

    assert lang("fr-CA,fr;q=0.9,en;q=0.8") == "fr"
    assert lang("en-US,en;q=0.9,fr;q=0.8") == "en"
    assert lang("de-DE,fr;q=0.5") == "fr"
    assert lang("") == "en" and lang("de") == "en"


def test_the_sign_in_pages_in_french(client: TestClient) -> None:
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    page = client.get("/login", headers=french).text
    assert '<html lang="fr">' in page and "Se connecter</h1>" in page
    assert "Mot de passe oublié ?" in page and "Sign in" not in page
    page = client.get("/register", headers=french).text
    assert "S'inscrire</h1>" in page.replace("&#39;", "'") and "Registre" not in page
    assert "Numéro de compte" in page and "Au moins 8 caractères." in page
    assert "Mot de passe oublié</h1>" in client.get("/password/forgot", headers=french).text
    english = client.get("/login", headers={"Accept-Language": "en-GB"}).text
    assert '<html lang="en">' in english and "Sign in</h1>" in english
