"""What the browser tests share: which routes this build has, signing in, driving a form
by keyboard alone, and the axe-core check.

Keyboard only: :func:`keyboard_fill` reaches each field with Tab (never a click or a
``fill`` by selector), types, ticks a checkbox with Space, and submits by pressing Enter on
the button named. A field Tab cannot reach fails the test, naming it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.support.portal_server import served_paths

BLOCKING_IMPACTS = ("serious", "critical")
MAX_TABS = 80
_served = cache(served_paths)


def route_paths() -> frozenset[str]:
    return _served()


def need_route(path: str) -> None:
    """Skip, naming the route, when this build does not serve ``path`` yet (another slice's
    page not merged): a page that exists but fails is a failure, not a skip."""
    if path not in route_paths():
        pytest.skip(f"route {path} is not in this build yet")


def sign_in(page: Page, email: str, password: str) -> None:
    """Through /login, by keyboard; lands on the home page."""
    page.goto("/login")
    keyboard_fill(page, {"email": email, "password": password})
    page.wait_for_load_state()
    assert heading(page) == "Your accounts", f"sign-in did not reach home: {page.url}"


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


def _focused(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        """() => { const e = document.activeElement; if (!e) return {};
                   return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
                           type: (e.getAttribute('type') || '').toLowerCase(),
                           text: (e.innerText || e.value || '').trim(),
                           checked: !!e.checked}; }""")
    return info


def tab_to(page: Page, *, name: str | None = None, button: str | None = None) -> dict[str, Any]:
    """Press Tab until the field ``name`` (or the button whose text is ``button``) has the
    focus; fails when it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = _focused(page)
        if name is not None and now.get("name") == name:
            return now
        if button is not None and now.get("tag") in ("button", "input") and \
                now.get("type") in ("submit", "button", "") and now.get("text") == button:
            return now
    target = f"field {name!r}" if name is not None else f"button {button!r}"
    raise AssertionError(f"{page.url}: the {target} cannot be reached with Tab")


def keyboard_fill(page: Page, fields: dict[str, str | bool], *,
                  submit: str | None = None) -> None:
    """Fill ``fields`` (name -> text, or bool for a checkbox) and press the button
    ``submit`` (default: the first submit button of the page's main content), using the
    keyboard alone, starting from the top of the page."""
    if submit is None:
        submit = page.locator("main form button[type=submit]").first.inner_text().strip()
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for name, value in fields.items():
        focused = tab_to(page, name=name)
        if isinstance(value, bool):
            if focused.get("checked") != value:
                page.keyboard.press("Space")
            continue
        if focused.get("tag") == "select":
            page.locator(f"select[name='{name}']").select_option(value)
            continue
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(value)
    tab_to(page, button=submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_no_serious_axe_violations(page: Page) -> None:
    """axe-core (offline, in the page) finds no serious or critical violation."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    lines = [f"{v['impact']}: {v['id']} ({v['help']}) at "
             + ", ".join(str(n["target"]) for n in v["nodes"][:5]) for v in bad]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(lines)


def form_controls_reachable_by_tab(page: Page) -> list[str]:
    """The visible form controls of the page that Tab never reaches (empty: all reached)."""
    return keyboard_walk(page)[0]


def keyboard_walk(page: Page) -> tuple[list[str], list[str]]:
    """Tab through the page: (visible form controls Tab never reaches, elements that take
    the focus without showing it: no outline and no box shadow while focused)."""
    wanted: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                 'form input:not([type=hidden]), form select, form textarea, form button'))
               .filter(e => e.offsetParent !== null && !e.disabled)
               .map(e => e.name || e.id || (e.innerText || e.value || '').trim())""")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen: set[str] = set()
    unmarked: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        name, shown = page.evaluate(
            """() => { const e = document.activeElement;
                       if (!e || e === document.body) return ['', true];
                       const s = getComputedStyle(e);
                       const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                                    || (s.boxShadow && s.boxShadow !== 'none');
                       return [e.name || e.id || (e.innerText || e.value || '').trim()
                               || e.tagName.toLowerCase(), ring]; }""")
        seen.add(name)
        if not shown and name not in unmarked:
            unmarked.append(name)
    return [w for w in wanted if w not in seen], unmarked


def link_path(page: Page, pattern: str) -> str | None:
    """The first link on the page whose path matches ``pattern`` (a regex)."""
    for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        if re.fullmatch(pattern, href or ""):
            return str(href)
    return None


def open_a_request(page: Page) -> str:
    """A service request's thread: the first the list links, else one opened through
    /support/new (by keyboard). Returns its path."""
    page.goto("/support")
    found = link_path(page, r"/support/\d+")
    if found is not None:
        page.goto(found)
        return found
    page.goto("/support/new")
    fields: dict[str, str | bool] = {"topic": "meter",
                                     "message": "The meter's display is blank since Monday."}
    keyboard_fill(page, fields)
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/support/\d+", path), f"opening a request led to {page.url}"
    return path
