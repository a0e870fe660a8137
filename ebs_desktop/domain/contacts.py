"""A customer's e-mail address and phone number, checked where they are typed in.

* E-mail: the syntax (``email-validator``: local part, domain name, internationalised
  names) and, when ``check_domain`` is on, the domain itself: it must exist and accept
  mail (an MX record, or an address record, and no "null MX"). The domain check asks DNS;
  an administrator turns it off on an offline machine (``ebs settings set
  notify.check_email_domain false``); a resolver that cannot be reached (no name server,
  a time-out) lets the address through rather than refusing a good one.
* Phone: parsed with ``phonenumbers`` in the utility's country (``notify.country``), so
  a local number typed as the customer says it (``(202) 555-0123``) is stored in E.164
  (``+12025550123``); a number with a ``+`` is taken as international. A number that is
  not a possible number there is refused with the reason.

Pure of the product's other layers; every refusal is a ValidationError naming the field
and the value.
"""

from __future__ import annotations

from typing import Any

from ebs_desktop.errors import ValidationError

MAX_EMAIL = 200


def clean_email(text: str, *, check_domain: bool = False, resolver: Any = None,
                field: str = "email") -> str:
    """The address as it will be stored (normalised domain), "" for none, or a
    ValidationError naming ``field`` and the value. ``resolver``: a
    ``dns.resolver.Resolver`` to ask (default: the system's)."""
    from email_validator import EmailNotValidError, validate_email

    value = text.strip()
    if not value:
        return ""
    if len(value) > MAX_EMAIL:
        raise ValidationError(f"{value!r} is {len(value)} characters long (at most "
                              f"{MAX_EMAIL})", location=field)
    options: dict[str, Any] = {"check_deliverability": check_domain}
    if check_domain:
        options["dns_resolver"] = resolver if resolver is not None else _resolver()
    try:
        found = validate_email(value, **options)
    except EmailNotValidError as exc:
        raise ValidationError(f"{value!r} is not an e-mail address that can receive mail: "
                              f"{_sentence(str(exc))}", location=field) from None
    return str(found.normalized)


def _resolver() -> Any:
    from email_validator.deliverability import caching_resolver

    return caching_resolver(timeout=5)


def resolver_for(server: str) -> Any:
    """A resolver asking the name server ``host`` or ``host:port`` only (the setting
    ``notify.dns_server``); "" for the system's."""
    if not server.strip():
        return None
    import dns.resolver

    value = server.strip()
    host, port = value.split(":") if value.count(":") == 1 else (value, "")
    found = dns.resolver.Resolver(configure=False)
    found.nameservers = [host]
    if port:
        found.port = int(port)
    found.timeout = found.lifetime = 5
    return found


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:] if text else text


def clean_phone(text: str, country: str, *, field: str = "phone") -> str:
    """The number in E.164 (``+12025550123``), "" for none, or a ValidationError naming
    ``field`` and the value. ``country``: ISO 3166 code of the utility's country, used for
    a number typed without ``+``."""
    import phonenumbers

    value = text.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, country.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(f"{value!r} is not a phone number: {_parse_reason(exc)}",
                              location=field) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    where = _region_of(number, country)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        why = _POSSIBLE.get(reason, "wrong length")
        raise ValidationError(f"{value!r} is not a phone number in {where}: {why}",
                              location=field)
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(f"{value!r} is not a phone number in {where}: no such "
                              "area code or range", location=field)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _region_of(number: Any, country: str) -> str:
    import phonenumbers

    region = phonenumbers.region_code_for_country_code(number.country_code)
    return region if region and region != "ZZ" else f"+{number.country_code} ({country})"


_POSSIBLE = {1: "unknown country code", 2: "too short", 3: "too long",
             4: "a local number: type it with its area code", 5: "wrong length"}


def _parse_reason(exc: Any) -> str:
    reasons = {0: "unknown country code (start with + and the country code)",
               1: "no digits", 2: "too short after the international prefix",
               3: "too short", 4: "too long"}
    return reasons.get(int(exc.error_type), "not a number")


def known_country(code: str) -> bool:
    """Whether ``code`` is a country (region) ``phonenumbers`` knows: ``US``, ``GB``..."""
    import phonenumbers

    return code.upper() in phonenumbers.SUPPORTED_REGIONS
