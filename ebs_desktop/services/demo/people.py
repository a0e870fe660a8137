"""Deterministic names, streets and phone numbers for demo customers."""

from __future__ import annotations

import functools
import random

FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
         "Thomas", "Sarah", "Charles", "Karen", "Amina", "Chidi", "Priya", "Ravi", "Wanjiru",
         "Kofi", "Fatima", "Ahmed", "Lucia", "Mateo", "Sofia", "Hiroshi", "Mei", "Olga",
         "Ivan", "Nadia", "Tariq", "Zanele", "Thabo", "Ana")
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
        "Taylor", "Moore", "Jackson", "Martin", "Lee", "Okafor", "Mensah", "Sharma",
        "Patel", "Kamau", "Otieno", "Nkosi", "Dlamini", "Haddad", "Rahman", "Silva",
        "Costa", "Tanaka", "Chen", "Ivanova", "Petrov", "Mwangi", "Adeyemi", "Khan", "Novak")
STREETS = ("Mill Road", "River Street", "Station Road", "Church Lane", "High Street",
           "Park Avenue", "Orchard Way", "Bridge Street", "Market Square", "Hill View",
           "Quarry Lane", "Canal Walk", "Meadow Close", "Forge Row", "Well Street")
BUSINESSES = ("Bakery", "Hardware", "Pharmacy", "Garage", "Cafe", "Grocers", "Textiles",
              "Printing", "Cold Store", "Sawmill", "Dairy", "Motors")
FARMS = ("Farm", "Orchards", "Irrigation Co-op", "Growers")
INDUSTRY = ("Steel Works", "Plastics Ltd", "Cement Plant", "Packaging Ltd", "Foundry")


def customer_name(rng: random.Random, category: str) -> str:
    last = rng.choice(LAST)
    if category == "commercial":
        return f"{last} {rng.choice(BUSINESSES)}"
    if category == "industrial":
        return f"{last} {rng.choice(INDUSTRY)}"
    if category == "agricultural":
        return f"{last} {rng.choice(FARMS)}"
    return f"{rng.choice(FIRST)} {last}"


def address(rng: random.Random, town: str) -> str:
    return f"{rng.randint(1, 250)} {rng.choice(STREETS)}, {town}"


# Area codes whose 555-0100..555-0199 numbers are reserved for fiction (NANP): each gives
# 100 numbers, so the first 4,000 demo customers have numbers of their own.
FICTION_AREA_CODES = (
    201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219,
    224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267,
    269, 270, 276, 281, 301, 302)
DEMO_DOMAINS = ("example.com", "example.net", "example.org")  # reserved (RFC 2606)


def fiction_phone(serial: int) -> str:
    """A mobile number reserved for fiction, in E.164: ``+1 NPA 555 01xx``."""
    slot = serial - 1
    area = FICTION_AREA_CODES[(slot // 100) % len(FICTION_AREA_CODES)]
    return f"+1{area}5550{100 + slot % 100}"


@functools.lru_cache(maxsize=4096)  # a few thousand names, a million customers
def _local_part(name: str) -> str:
    words = ["".join(ch for ch in w.lower() if ch.isascii() and ch.isalnum())
             for w in name.split()]
    return ".".join(w for w in words if w) or "customer"


def demo_contact(serial: int, name: str) -> tuple[str | None, str | None]:
    """(phone, e-mail) of demo customer ``serial``: 17 in 20 have an e-mail address on a
    reserved example domain, 18 in 20 a mobile number from a range reserved for fiction;
    three in 20 have no e-mail (two of them are reached by SMS only)."""
    k = serial % 20
    email = (f"{_local_part(name)}.{serial}@{DEMO_DOMAINS[serial % 3]}" if k < 17 else None)
    phone = None if k in (5, 11) else fiction_phone(serial)
    return phone, email


def demo_preferences(serial: int, phone: str | None, email: str | None
                     ) -> tuple[bool, str | None, bool, str | None] | None:
    """(paperless, language, reminders, channels JSON) of demo customer ``serial``, None
    for the defaults: about a third of those with e-mail are paperless, the SMS-only ones
    get everything by SMS (one in two of them paperless), one in 10 reads French, one in
    25 turned reminders off."""
    paperless = bool(email) and serial % 3 == 0
    channels = None
    if email is None and phone is not None:
        channels = '{"bill_issued": ["sms"], "payment_posted": ["sms"], "reminder": ["sms"]}'
        paperless = serial % 2 == 0
    language = "fr" if serial % 10 == 4 else None
    reminders = serial % 25 != 7
    if not paperless and channels is None and language is None and reminders:
        return None
    return paperless, language, reminders, channels
