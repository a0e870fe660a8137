"""Deterministic names, streets and phone numbers for demo customers."""

from __future__ import annotations

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


def phone(serial: int) -> str:
    return f"+1555{serial:07d}"
