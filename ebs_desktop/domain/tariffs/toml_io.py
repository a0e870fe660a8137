"""Tariff files in TOML: a header (code, name, category, currency) and ``[[versions]]``.

Each version table holds ``version``, ``effective_from`` (a TOML date) and the spec keys of
:mod:`ebs_desktop.domain.tariffs.spec_dict`. A file is read whole and checked whole
(:mod:`ebs_desktop.domain.tariffs.checks`) before anything can store it. Reading uses the
standard ``tomllib``; writing uses ``tomli_w``. Format and examples: resources/tariffs/README.md.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from ebs_desktop.domain.money import currency_exponent
from ebs_desktop.domain.tariffs.checks import check_tariff
from ebs_desktop.domain.tariffs.model import Tariff, TariffVersion
from ebs_desktop.domain.tariffs.spec_dict import spec_from_dict, spec_to_dict
from ebs_desktop.errors import ValidationError

_HEADER = ("code", "name", "category", "currency", "description")


def tariff_from_dict(data: dict[str, Any], *, source: str = "tariff") -> Tariff:
    """A whole tariff (header + versions) from parsed TOML/JSON data."""
    def text(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise ValidationError(f"expected text, got {value!r}", location=f"{source}: {key}")
        return value

    code, currency = text("code"), text("currency")
    try:
        currency_exponent(currency)
    except ValueError as exc:
        raise ValidationError(str(exc), location=f"{source}: currency") from None
    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise ValidationError("at least one [[versions]] table is needed",
                              location=f"{source}: versions")
    versions: list[TariffVersion] = []
    for i, raw in enumerate(raw_versions):
        where = f"versions[{i}]"
        if not isinstance(raw, dict):
            raise ValidationError(f"expected a table, got {raw!r}", location=f"{source}: {where}")
        body = dict(raw)
        number = body.pop("version", i + 1)
        start = body.pop("effective_from", None)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValidationError(f"expected a version number >= 1, got {number!r}",
                                  location=f"{source}: {where}.version")
        twin = next((j for j, v in enumerate(versions) if v.version == number), None)
        if twin is not None:
            raise ValidationError(
                f"tariff {code} has version {number} twice (versions[{twin}] and {where}); "
                "a change of prices is a new version number",
                location=f"{source}: {where}.version")
        if not isinstance(start, date):
            raise ValidationError(
                f"expected a date like 2024-01-01, got {start!r}",
                location=f"{source}: {where}.effective_from")
        if versions and start <= versions[-1].effective_from:
            raise ValidationError(
                f"{start} is not after the previous version's {versions[-1].effective_from}",
                location=f"{source}: {where}.effective_from")
        versions.append(TariffVersion(code, number, start,
                                      spec_from_dict(body, source=source, path=where)))
    extra = sorted(set(data) - {*_HEADER, "versions"})
    if extra:
        raise ValidationError(f"unknown key {extra[0]!r}", location=f"{source}: {extra[0]}")
    tariff = Tariff(code=code, name=text("name", code), category=text("category", ""),
                    currency=currency, versions=tuple(versions),
                    description=text("description", ""))
    check_tariff(tariff, source=source)  # signs, percentages, ceilings: every problem at once
    return tariff


def parse_tariff_toml(text: str, *, source: str = "tariff.toml") -> Tariff:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"not valid TOML: {exc}", location=source) from None
    return tariff_from_dict(data, source=source)


def read_tariff_file(path: Path | str) -> Tariff:
    """Read a tariff TOML file; errors name the file and the key."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read tariff file: {exc.strerror}", location=str(p)) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text (byte {exc.start})", location=str(p)) from None
    return parse_tariff_toml(text, source=p.name)


def tariff_to_dict(tariff: Tariff) -> dict[str, Any]:
    out: dict[str, Any] = {"code": tariff.code, "name": tariff.name,
                           "category": tariff.category, "currency": tariff.currency}
    if tariff.description:
        out["description"] = tariff.description
    out["versions"] = [{"version": v.version, "effective_from": v.effective_from}
                       | spec_to_dict(v.spec) for v in tariff.versions]
    return out


def tariff_to_toml(tariff: Tariff) -> str:
    """TOML text that :func:`parse_tariff_toml` reads back to an equal tariff."""
    return tomli_w.dumps(tariff_to_dict(tariff), multiline_strings=True)
