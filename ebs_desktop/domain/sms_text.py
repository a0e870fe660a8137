"""How an SMS text travels: GSM-7 or UCS-2, how many segments, what it costs.

A text that uses only the GSM 03.38 default alphabet and its extension table goes as
GSM-7: 160 septets in one message, 153 per segment of a multipart message (the
concatenation header takes the rest). A character of the extension table (``€ [ ] { } ^
~ | \\`` and form feed) takes two septets (escape + code) and is never cut between two
segments. Any other character (``ł``, ``ç``, an emoji...) sends the whole text as UCS-2:
70 UTF-16 code units in one message, 67 per segment, a surrogate pair never cut.

Pure: the SMPP adapter encodes the segments this module cuts, the bulk estimate counts
them, and the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.rounding import to_money

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet; position = code. 0x1B is the escape to the extension table.
_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_ESCAPE = 0x1B
BASIC_CODES: dict[str, int] = {ch: code for code, ch in enumerate(_BASIC) if code != _ESCAPE}
EXTENSION_CODES: dict[str, int] = {
    "\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D,
    "]": 0x3E, "|": 0x40, "€": 0x65,
}

SINGLE = {GSM7: 160, UCS2: 70}  # septets / UTF-16 code units in a message of one segment
MULTI = {GSM7: 153, UCS2: 67}  # per segment of a concatenated message
MAX_SEGMENTS = 255  # the concatenation header counts parts in one byte


class SmsTooLong(ValueError):
    """More than 255 segments: no phone can put the message together again."""


@dataclass(frozen=True)
class SmsPlan:
    """A text cut for sending: its encoding, length in units, and its segments' texts."""

    encoding: str  # GSM7 or UCS2
    units: int  # septets (GSM-7, an extension character counts 2) or UTF-16 code units
    segments: tuple[str, ...]
    forcing_ucs2: tuple[str, ...] = ()  # the characters outside GSM-7, first seen first

    @property
    def count(self) -> int:
        return len(self.segments)


def _gsm_units(ch: str) -> int | None:
    if ch in BASIC_CODES:
        return 1
    if ch in EXTENSION_CODES:
        return 2
    return None


def _ucs2_units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def non_gsm_characters(text: str) -> tuple[str, ...]:
    """The characters of ``text`` outside GSM-7 (basic and extension), each once, in order."""
    seen: dict[str, None] = {}
    for ch in text:
        if _gsm_units(ch) is None:
            seen.setdefault(ch, None)
    return tuple(seen)


def plan(text: str) -> SmsPlan:
    """Choose the encoding of ``text`` and cut it into segments (an empty text is one
    empty segment: a provider still bills it)."""
    forcing = non_gsm_characters(text)
    encoding = UCS2 if forcing else GSM7
    sizes = [_ucs2_units(ch) if forcing else (_gsm_units(ch) or 0) for ch in text]
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return SmsPlan(encoding, units, (text,), forcing)
    room = MULTI[encoding]
    segments: list[str] = []
    start = used = 0
    for index, size in enumerate(sizes):
        if used + size > room:  # a pair (escape + code, surrogates) is never cut
            segments.append(text[start:index])
            start, used = index, 0
        used += size
    segments.append(text[start:])
    if len(segments) > MAX_SEGMENTS:
        raise SmsTooLong(f"the text needs {len(segments)} SMS segments; at most "
                         f"{MAX_SEGMENTS} can be joined into one message")
    return SmsPlan(encoding, units, tuple(segments), forcing)


def encode(text: str, encoding: str) -> bytes:
    """The bytes of ``text`` as an SMSC takes them: GSM-7 unpacked (one septet a byte,
    an extension character as escape + code, SMPP ``data_coding`` 0) or UCS-2 big-endian
    (``data_coding`` 8; UTF-16, so a character beyond the BMP is a surrogate pair)."""
    if encoding == UCS2:
        return text.encode("utf-16-be")
    out = bytearray()
    for ch in text:
        if ch in BASIC_CODES:
            out.append(BASIC_CODES[ch])
        elif ch in EXTENSION_CODES:
            out += bytes((_ESCAPE, EXTENSION_CODES[ch]))
        else:
            raise ValueError(f"{ch!r} is not in the GSM-7 alphabet")
    return bytes(out)


_DECODE_BASIC = {code: ch for ch, code in BASIC_CODES.items()}
_DECODE_EXTENSION = {code: ch for ch, code in EXTENSION_CODES.items()}


def decode(data: bytes, encoding: str) -> str:
    """The inverse of :func:`encode` (what a phone shows)."""
    if encoding == UCS2:
        return data.decode("utf-16-be")
    chars: list[str] = []
    escaped = False
    for byte in data:
        if escaped:
            chars.append(_DECODE_EXTENSION.get(byte, " "))
            escaped = False
        elif byte == _ESCAPE:
            escaped = True
        else:
            chars.append(_DECODE_BASIC.get(byte, " "))
    return "".join(chars)


def cost(segments: int, price_per_segment: Decimal, currency: str) -> Money:
    """What ``segments`` cost at ``price_per_segment`` (major units, may have more
    decimals than the currency: 0.0075), rounded once, on the total."""
    return to_money(price_per_segment * segments, currency)
