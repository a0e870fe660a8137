"""``python -m tools.portal_screenshots [OUT]``: every portal page at desktop (1280 px) and
phone (375 px) widths, as full-page PNGs in ``docs/screenshots/portal/`` (``make
portal-screenshots``).

Builds a scratch demo utility (SQLite), serves the portal on it with uvicorn in a child
process (:class:`tests.support.portal_server.PortalServer`) and drives Debian's chromium
through Playwright. Signed-in pages are shown as the demo login ``customer@example.net``
when this build has the sign-in, else as a customer of one demo account through the test
resolver. A page this build does not serve is listed as missing, not drawn. Detail pages
(a bill, a receipt, a request) are the first the list page links.

Files are named ``NAME-WIDTH.png`` (``bills-375.png``); an index, ``README.md``, lists them
with the page's address and title.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.demo import build_demo
from tests.support.portal_server import PortalServer, product_sign_in_available, served_paths

CHROMIUM = os.environ.get("EBS_CHROMIUM", "/usr/bin/chromium")
WIDTHS = (1280, 375)
DEMO_LOGIN = ("customer@example.net", "portal-demo")

# (file name, route template, address or "first link matching" a regex on a list page)
PUBLIC = [("login", "/login", "/login"), ("register", "/register", "/register"),
          ("password-forgot", "/password/forgot", "/password/forgot")]
SIGNED_IN = [
    ("home", "/", "/"),
    ("bills", "/bills", "/bills"),
    ("bill", "/bills/{bill_number}", ("/bills", r"/bills/[^/.]+")),
    ("payments", "/payments", "/payments"),
    ("payment", "/payments/{payment_id}", ("/payments", r"/payments/\d+")),
    ("usage", "/usage", "/usage"),
    ("support", "/support", "/support"),
    ("support-new", "/support/new", "/support/new"),
    ("support-thread", "/support/{request_id}", ("/support", r"/support/\d+")),
    ("profile", "/profile", "/profile"),
    ("security", "/account/security", "/account/security"),
    ("not-found", None, "/bills/NO-SUCH-BILL"),
]


def _address(page: Page, how: str | tuple[str, str]) -> str | None:
    if isinstance(how, str):
        return how
    listing, pattern = how
    page.goto(listing)
    hrefs = page.locator("a[href]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if h and re.fullmatch(pattern, h)), None)


def _shoot(page: Page, out: Path, name: str, address: str, index: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(address)
        target = out / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
    index.append(f"| {name} | `{address}` | {page.title()} |")


def take(out: Path) -> tuple[list[str], list[str]]:
    """Draw every page into ``out``; returns (index lines, pages missing from the build)."""
    out.mkdir(parents=True, exist_ok=True)
    served = served_paths()
    index: list[str] = []
    missing: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ebs-portal-shots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
        db = open_database(url)
        migrate.upgrade(db)
        build_demo(db, customers=40, months=14, until="2026-06")
        by_form = product_sign_in_available()
        accounts = None
        if not by_form:
            from tests.browser.conftest import accounts_with_bills_and_payments
            accounts = accounts_with_bills_and_payments(db)[:1]
        db.dispose()
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        with PortalServer(url, accounts=accounts, log_path=Path(tmp) / "portal.log") as server, \
                sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
            for signed_in, pages in ((False, PUBLIC), (True, SIGNED_IN)):
                if not signed_in and not by_form:
                    missing.extend(route for _n, route, _h in PUBLIC)
                    continue
                context = browser.new_context(base_url=server.base_url)
                page = context.new_page()
                if signed_in and by_form:
                    from tests.browser.helpers import sign_in
                    sign_in(page, *DEMO_LOGIN)
                for name, route, how in pages:
                    if route is not None and route not in served:
                        missing.append(route)
                        continue
                    address = _address(page, how)
                    if address is None and name == "support-thread":
                        from tests.browser.helpers import open_a_request
                        address = open_a_request(page)
                    if address is None:
                        missing.append(f"{route} (no link to one)")
                        continue
                    _shoot(page, out, name, address, index)
                context.close()
            browser.close()
    return index, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots/portal"))
    args = parser.parse_args(argv)
    index, missing = take(args.out)
    lines = ["# Portal screenshots", "",
             "Every page at 1280 px and 375 px wide (`make portal-screenshots`, "
             "`tools/portal_screenshots.py`), on the demo utility.", "",
             "| file | address | title |", "|---|---|---|", *index]
    if missing:
        lines += ["", "Not in this build when these were taken: "
                  + ", ".join(f"`{m}`" for m in missing) + "."]
    (args.out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(index)} pages x {len(WIDTHS)} widths into {args.out}"
          + (f"; missing: {', '.join(missing)}" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
