"""Issue 20, point 8: contact details checked at entry. Phones become E.164 read in the
utility's country; e-mail addresses are checked for syntax and, against a real DNS server
on the loopback, for a domain that exists and takes mail."""

from __future__ import annotations

import pytest

from ebs_desktop.domain.contacts import clean_email, clean_phone, known_country, resolver_for
from ebs_desktop.errors import ValidationError
from ebs_desktop.services.demo.people import FICTION_AREA_CODES, fiction_phone
from tests.support.dns_server import dns_server


@pytest.mark.parametrize(("typed", "country", "stored"), [
    ("(202) 555-0123", "US", "+12025550123"),
    ("202.555.0123", "US", "+12025550123"),
    ("+44 20 7946 0123", "US", "+442079460123"),  # international whatever the country
    ("020 7946 0123", "GB", "+442079460123"),
    ("06 12 34 56 78", "fr", "+33612345678"),
    ("0801 555 0100", "NG", "+2348015550100"),
    ("", "US", ""),
    ("   ", "US", ""),
])
def test_phones_are_stored_in_e164(typed: str, country: str, stored: str) -> None:
    assert clean_phone(typed, country) == stored


@pytest.mark.parametrize(("typed", "words"), [
    ("12", "'12' is not a phone number in US: too short"),
    ("5550199", "'5550199' is not a phone number in US: a local number: type it with its "
                "area code"),
    ("+1 555 000 0123", "'+1 555 000 0123' is not a phone number in US: no such area code"),
    ("call me", "'call me' is not a phone number: no digits"),
    ("+999 1234 5678", "'+999 1234 5678' is not a phone number: unknown country code"),
    ("202 555 01234567", "'202 555 01234567' is not a phone number in US: too long"),
])
def test_a_wrong_phone_is_refused_naming_field_and_value(typed: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean_phone(typed, "US")
    assert info.value.location == "phone"
    assert str(info.value).startswith(f"phone: {words}")


def test_every_fictional_demo_number_is_a_valid_number() -> None:
    serials = [1, 2, 99, 100, 101, 3999, 4000, 4001, 123_456]
    for serial in serials:
        assert clean_phone(fiction_phone(serial), "US") == fiction_phone(serial)
    assert len({fiction_phone(s) for s in range(1, 4001)}) == 100 * len(FICTION_AREA_CODES)
    assert all(fiction_phone(s)[5:9] == "5550" for s in serials)  # 555-01xx: fiction


def test_email_syntax_without_asking_dns() -> None:
    assert clean_email(" Ana.Okafor@Example.NET ") == "Ana.Okafor@example.net"
    assert clean_email("") == ""
    for wrong, why in (("not-an-address", "an email address must have an @-sign"),
                       ("a@b", "the part after the @-sign is not valid"),
                       ("two@@example.com", "the part after the @-sign contains"),
                       ("x" * 190 + "@example.com", "at most 200")):
        with pytest.raises(ValidationError) as info:
            clean_email(wrong)
        assert info.value.location == "email"
        assert why in str(info.value), str(info.value)


ZONE = {
    "riverside-mail.com": {"MX": ["10 mx.riverside-mail.com."]},
    "mx.riverside-mail.com": {"A": ["198.51.100.7"]},
    "no-mail.com": {"MX": ["0 ."]},  # a "null MX": the domain takes no mail
}


def test_the_domain_must_exist_and_take_mail() -> None:
    with dns_server(ZONE) as server:
        resolver = server.resolver()
        assert clean_email("ana@riverside-mail.com", check_domain=True,
                           resolver=resolver) == "ana@riverside-mail.com"
        with pytest.raises(ValidationError, match=r"gone-away\.com does not exist"):
            clean_email("ana@gone-away.com", check_domain=True, resolver=resolver)
        with pytest.raises(ValidationError, match=r"no-mail\.com does not accept email"):
            clean_email("ana@no-mail.com", check_domain=True, resolver=resolver)
        assert ("riverside-mail.com.", "MX") in server.questions
        # the same through the setting's text: HOST:PORT
        assert clean_email("bo@riverside-mail.com", check_domain=True,
                           resolver=resolver_for(f"127.0.0.1:{server.port}")) != ""
    # without the check nothing is asked: an offline PC takes the address as typed
    assert clean_email("ana@gone-away.com") == "ana@gone-away.com"


def test_countries() -> None:
    assert known_country("US") and known_country("fr") and not known_country("XX")
