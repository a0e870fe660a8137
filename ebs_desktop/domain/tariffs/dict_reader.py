"""Reading nested dicts (parsed TOML or JSON) with the key path kept for every refusal.

Why a class: a tariff spec is several levels deep, and a message like "not a number" is
useless without "res-1.toml: versions[1].energy.slabs[2].rate". Each reader knows its
source and path, hands out children with the path extended, and at the end refuses keys
nobody asked for (a misspelt key must not be silently ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NoReturn, TypeVar, cast

from ebs_desktop.domain.money import MAX_TOTAL_MINOR, parse_number
from ebs_desktop.errors import ValidationError

T = TypeVar("T")

#: No number in a tariff (a rate, a charge, a kWh bound, a percentage) is larger than the
#: ceiling on a stored total in minor units: ``1e309`` or ``1e999999999`` is refused here,
#: where the document is read, instead of hanging or overflowing the Decimal arithmetic of
#: a bill. The finer rules per component (signs, percentages, the rate ceiling of
#: ``tariffs.checks``) are checked when a tariff is imported, not when a stored one is
#: read: a version stored before those rules (a rate of 1e14) must still load, so that its
#: bills are refused per account (``over_limit``) and a corrective version can follow it.
MAX_TARIFF_NUMBER = MAX_TOTAL_MINOR


class DictReader:
    """Walks a dict keeping the key path, so every refusal names its place."""

    def __init__(self, data: object, source: str, path: str) -> None:
        self.source = source
        self.path = path
        if not isinstance(data, Mapping):
            self.fail(f"expected a table, got {data!r}")
        self.data = cast(Mapping[str, Any], data)
        self.seen: set[str] = set()

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        where = self.path if key is None else (f"{self.path}.{key}" if self.path else key)
        raise ValidationError(message, location=f"{self.source}: {where or '(top)'}")

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: object = None) -> Any:
        self.seen.add(key)
        return self.data.get(key, default)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str):
            self.fail(f"expected text, got {value!r}", key)
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> Any:
        value = self.raw(key, default)
        if value not in options:
            self.fail(f"{value!r} is not one of {', '.join(options)}", key)
        return value

    def decimal(self, key: str, *, required: bool = True, minimum: Decimal | None = None
                ) -> Decimal | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.fail("missing", key)
            return None
        if isinstance(value, float):
            self.fail(f"{value!r} is a float; write exact numbers as strings, e.g. \"0.08\"",
                      key)
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.fail(f"expected a number, got {value!r}", key)
        try:
            result = parse_number(value, field=key)
        except ValidationError as exc:
            self.fail(str(exc).removeprefix(f"{key}: "), key)
        if result.copy_abs() > MAX_TARIFF_NUMBER:  # abs() would round in the context
            self.fail(f"{value!r} is beyond the ceiling of {MAX_TARIFF_NUMBER:,} on any "
                      "number in a tariff", key)
        if minimum is not None and result < minimum:
            self.fail(f"{value!r} must be at least {minimum}", key)
        return result

    def req_decimal(self, key: str, minimum: Decimal | None = Decimal(0)) -> Decimal:
        value = self.decimal(key, minimum=minimum)
        assert value is not None
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {value!r}", key)
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(f"expected a whole number >= 0, got {value!r}", key)
        return value

    def items(self, key: str, read: Callable[[DictReader], T]) -> tuple[T, ...]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            self.fail(f"expected a list, got {value!r}", key)
        return tuple(read(self.child(v, f"{key}[{i}]")) for i, v in enumerate(value))

    def child(self, data: object, key: str) -> DictReader:
        return DictReader(data, self.source, f"{self.path}.{key}" if self.path else key)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            self.fail(f"unknown key {extra[0]!r}", extra[0])
