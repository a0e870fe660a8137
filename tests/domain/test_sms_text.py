"""GSM-7 vs UCS-2, segments of single and multipart messages, and cost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.sms_text import (
    GSM7,
    UCS2,
    SmsTooLong,
    cost,
    decode,
    encode,
    non_gsm_characters,
    plan,
)


@pytest.mark.parametrize(("text", "encoding", "units", "count"), [
    ("", GSM7, 0, 1),
    ("a" * 160, GSM7, 160, 1),
    ("a" * 161, GSM7, 161, 2),
    ("a" * 306, GSM7, 306, 2),  # 2 x 153
    ("a" * 307, GSM7, 307, 3),
    ("€" * 80, GSM7, 160, 1),  # extension characters take two septets
    ("€" * 81, GSM7, 162, 2),  # 76 + 5 euros: 152 septets, not 153 (a pair is never cut)
    ("é à Ä ß £ ¥ §", GSM7, 13, 1),  # accents of the basic table stay GSM-7
    ("ł" * 70, UCS2, 70, 1),
    ("ł" * 71, UCS2, 71, 2),
    ("ł" * 134, UCS2, 134, 2),  # 2 x 67
    ("ł" * 135, UCS2, 135, 3),
    ("😀" * 35, UCS2, 70, 1),  # surrogate pairs: two code units each
    ("😀" * 36, UCS2, 72, 2),  # 33 pairs (66, not 67: a pair is never cut) + 3
])
def test_encoding_units_and_segments(text: str, encoding: str, units: int, count: int) -> None:
    p = plan(text)
    assert (p.encoding, p.units, p.count) == (encoding, units, count)
    assert "".join(p.segments) == text
    limit = 160 if encoding == GSM7 else 70
    per_part = limit if count == 1 else (153 if encoding == GSM7 else 67)
    for segment in p.segments:
        data = encode(segment, encoding)
        size = len(data) if encoding == GSM7 else len(data) // 2
        assert size <= per_part
        assert decode(data, encoding) == segment


def test_one_character_outside_gsm_switches_the_whole_text() -> None:
    text = "Your bill of 12.30 € is due on 5 Jan. Merci, Łukasz"
    p = plan(text)
    assert p.encoding == UCS2
    assert p.forcing_ucs2 == ("Ł",)
    assert non_gsm_characters("[x] ~ | ^ { } \\ €") == ()
    assert plan("[x] ~ | ^ { } \\ €").units == 9 * 2 + 8  # 9 extension characters, 8 basic


def test_extension_pair_is_not_cut_at_the_boundary() -> None:
    text = "a" * 152 + "€" + "b" * 10  # the euro would straddle septets 153/154
    p = plan(text)
    assert p.segments[0] == "a" * 152
    assert p.segments[1].startswith("€")
    assert encode("€", GSM7) == b"\x1b\x65"


def test_gsm_encode_refuses_other_characters() -> None:
    with pytest.raises(ValueError, match="GSM-7"):
        encode("ł", GSM7)


def test_too_many_segments() -> None:
    assert plan("a" * 153 * 255).count == 255
    with pytest.raises(SmsTooLong, match="256 SMS segments"):
        plan("a" * (153 * 255 + 1))


def test_cost_rounds_the_total_once() -> None:
    assert cost(3, Decimal("0.0075"), "USD") == Money(2, "USD")  # 0.0225 -> 0.02
    assert cost(1000, Decimal("0.0075"), "USD") == Money(750, "USD")
    assert cost(0, Decimal("0.05"), "EUR") == Money(0, "EUR")


def test_euro_pairs_fill_segments_of_152_septets() -> None:
    p = plan("€" * 200)  # 400 septets: 76 pairs a segment -> 76, 76, 48
    assert [len(s) for s in p.segments] == [76, 76, 48]
