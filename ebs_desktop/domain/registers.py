"""Meter register codes in words, for bills and screens alike."""

from __future__ import annotations

# What a customer reads for a meter register code: words and units, never "kwh" or "1.8.0".
REGISTER_WORDS = {
    "kwh": "kWh", "total": "kWh", "1.8.0": "kWh", "import": "kWh",
    "peak": "Peak", "offpeak": "Off-peak", "off-peak": "Off-peak", "off_peak": "Off-peak",
    "shoulder": "Shoulder", "day": "Day", "night": "Night", "midpeak": "Mid-peak",
    "mid-peak": "Mid-peak", "1.8.1": "Tariff 1", "1.8.2": "Tariff 2", "1.8.3": "Tariff 3",
    "1.8.4": "Tariff 4", "2.8.0": "kWh exported",
}


def register_words(code: str) -> str:
    """``kwh`` -> ``kWh``, ``offpeak`` -> ``Off-peak``; an unknown code reads as a word."""
    known = REGISTER_WORDS.get(code.strip().lower())
    if known is not None:
        return known
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text.islower() else text
