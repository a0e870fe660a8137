"""``ebs portal serve`` itself: the product's command starts uvicorn with two workers on
a migrated database, answers ``/healthz`` and serves the sign-in page in the browser; the
other browser tests use the same ``create_app`` through a factory (see
:mod:`tests.support.portal_server`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Site
from tests.browser.helpers import heading
from tests.support.portal_server import PortalServer, product_command_available


def test_ebs_portal_serve_with_two_workers_serves_the_sign_in_page(
        sqlite_site: Site, browser: Browser) -> None:
    if not product_command_available():
        pytest.skip("this build has no 'ebs portal serve' yet (auth slice)")
    with PortalServer(sqlite_site.url, product=True, workers=2) as server:
        context = browser.new_context(base_url=server.base_url)
        page = context.new_page()
        try:
            response = page.goto("/login")
            assert response is not None and response.status == 200
            assert heading(page) == "Sign in"
            headers = response.headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
        finally:
            context.close()
