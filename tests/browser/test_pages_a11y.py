"""Every portal page in the browser: the right heading, no serious or critical axe-core
violation, every form control reachable by keyboard alone and the focus always shown (WCAG
2.4.7); readable at 375 px (no page wider than the screen).

Pages another slice has not merged yet skip, naming the route (:func:`need_route`); a page
that exists and fails is a failure.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DEMO_LOGIN, Site
from tests.browser.helpers import (
    assert_no_serious_axe_violations,
    heading,
    keyboard_walk,
    link_path,
    need_route,
    open_a_request,
    sign_in,
)

# (route template, how to reach it, the h1 it must carry: None = any)
SIGNED_IN = [
    ("/", "/", "Your accounts"),
    ("/bills", "/bills", "Bills"),
    ("/bills/{bill_number}", "first-bill", None),
    ("/payments", "/payments", "Payments"),
    ("/payments/{payment_id}", "first-payment", None),
    ("/usage", "/usage", "Usage"),
    ("/support", "/support", "Help and requests"),
    ("/support/new", "/support/new", None),
    ("/support/{request_id}", "a-request", None),
    ("/profile", "/profile", "Profile"),
    ("/account/security", "/account/security", None),
]
ANONYMOUS = [
    ("/login", "/login", "Sign in"),
    ("/register", "/register", "Register"),
    ("/password/forgot", "/password/forgot", None),
]


def _open(page: Page, route: str, how: str) -> None:
    need_route(route)
    if how == "first-bill":
        need_route("/bills")
        page.goto("/bills")
        target = link_path(page, r"/bills/[^/.]+")
        assert target, "the bill list links no bill"
        page.goto(target)
        number = target.rsplit("/", 1)[1]
        assert heading(page) == f"Bill {number}"
        return
    if how == "first-payment":
        need_route("/payments")
        page.goto("/payments")
        target = link_path(page, r"/payments/\d+")
        assert target, "the payment list links no receipt"
        page.goto(target)
        return
    if how == "a-request":
        need_route("/support/new")
        open_a_request(page)
        return
    response = page.goto(how)
    assert response is not None and response.status == 200, f"{how}: {response and response.status}"


@pytest.mark.parametrize(("route", "how", "h1"), SIGNED_IN, ids=[r[0] for r in SIGNED_IN])
def test_signed_in_pages_pass_axe_and_work_by_keyboard(
        signed_in_page: Page, route: str, how: str, h1: str | None) -> None:
    page = signed_in_page
    _open(page, route, how)
    if h1 is not None:
        assert heading(page) == h1
    assert_no_serious_axe_violations(page)
    unreached, unmarked = keyboard_walk(page)
    assert unreached == [], f"{page.url}: Tab never reaches {unreached}"
    assert unmarked == [], f"{page.url}: the focus is not shown on {unmarked}"


@pytest.mark.parametrize(("route", "how", "h1"), ANONYMOUS, ids=[r[0] for r in ANONYMOUS])
def test_public_pages_pass_axe_and_work_by_keyboard(
        anonymous_page: Page, route: str, how: str, h1: str | None) -> None:
    page = anonymous_page
    _open(page, route, how)
    if h1 is not None:
        assert heading(page) == h1
    assert_no_serious_axe_violations(page)
    unreached, unmarked = keyboard_walk(page)
    assert unreached == [], f"{page.url}: Tab never reaches {unreached}"
    assert unmarked == [], f"{page.url}: the focus is not shown on {unmarked}"


def test_the_error_page_passes_axe(signed_in_page: Page) -> None:
    response = signed_in_page.goto("/bills/NO-SUCH-BILL")
    assert response is not None and response.status == 404
    assert_no_serious_axe_violations(signed_in_page)


@pytest.mark.parametrize(("route", "how", "h1"), SIGNED_IN, ids=[r[0] for r in SIGNED_IN])
def test_signed_in_pages_fit_a_phone_screen(
        signed_in_page: Page, route: str, how: str, h1: str | None) -> None:
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 800})
    _open(page, route, how)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow} px wider than a 375 px screen"


def test_pages_work_with_javascript_off(sqlite_site: Site, browser: Browser) -> None:
    """No page needs JavaScript: with it off, signing in, the home page and the bill list
    (with its links to each bill) work as with it on."""
    need_route("/")
    need_route("/bills")
    context = browser.new_context(base_url=sqlite_site.base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        if sqlite_site.signed_in_by_form:
            sign_in(page, *DEMO_LOGIN)
        page.goto("/")
        assert heading(page) == "Your accounts"
        page.goto("/bills")
        assert link_path(page, r"/bills/[^/.]+") is not None
    finally:
        context.close()
