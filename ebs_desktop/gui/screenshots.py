"""Write a PNG of every screen: ``python -m ebs_desktop.gui.screenshots OUTDIR [theme]``.

Runs offscreen (no display needed). Every page in the registry
(:data:`ebs_desktop.gui.pages.PAGES`, so pages added later are taken too), for every role
that sees it (``PAGE_ROLES``), in the light and the dark theme, at 1366x768 (the smallest
desk screen we support, where what is cramped shows) and 1920x1080, named
``ROLE-PAGE-THEME-WIDTH.png`` (``clerk-counter-dark-1366.png``), plus the sign-in dialog
(``signin-THEME.png``). The screens show the demo utility: a demo database is built once
(``EBS_SCREENSHOT_DB``, default a file in the temp folder; size from
``EBS_SCREENSHOT_CUSTOMERS``/``EBS_SCREENSHOT_MONTHS``) and reused, and each page is put in
the state a person sees mid-task (:func:`prepare_page`, also used by the test that no
screen elides its text).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

SIZES = ((1366, 768), (1920, 1080))
THEMES = ("light", "dark")
PASSWORDS = {"admin": "admin-demo", "clerk": "clerk-demo", "reader": "reader-demo",
             "billing": "billing-demo", "manager": "manager-demo"}


def demo_database() -> str:
    from ebs_desktop.services.connection import open_upgraded_database
    from ebs_desktop.services.demo import build_demo

    path = Path(os.environ.get("EBS_SCREENSHOT_DB")
                or Path(tempfile.gettempdir()) / "ebs-screenshots-demo.sqlite3")
    url = f"sqlite:///{path}"
    if not path.exists():
        db = open_upgraded_database(url)
        build_demo(db, customers=int(os.environ.get("EBS_SCREENSHOT_CUSTOMERS", "3000")),
                   months=int(os.environ.get("EBS_SCREENSHOT_MONTHS", "24")))
        db.dispose()
    return url


def _no_login(username: str, password: str) -> NoReturn:
    from ebs_desktop.errors import AuthenticationError

    raise AuthenticationError("wrong username or password")


def prepare_page(page: Any, key: str) -> None:
    """Put a screen in the state a person sees mid-task (a page this tool does not know
    is shown as it opens). Tolerant on purpose: a page's insides change under other
    hands, and a screenshot of the page as it opens beats no screenshot."""
    prepare = _PREPARE.get(key)
    if prepare is None or not getattr(page, "available", False):
        return
    try:
        prepare(page)
    except (AttributeError, IndexError, ValueError) as exc:
        print(f"screenshots: {key} shown as it opens ({exc.__class__.__name__}: {exc})",
              file=sys.stderr)


def _prepare_customers(page: Any) -> None:
    """The whole list, the fourth account open on its ledger."""
    page.search.setText("")
    page.debounce.flush()
    page.table.selectRow(3)
    page.panel.tabs.setCurrentIndex(1)


def _prepare_billing(page: Any) -> None:
    from ebs_desktop.gui.qt import Qt

    page.tabs.setCurrentIndex(1)
    page.start_dry_run()
    page.exceptions.sortByColumn(1, Qt.SortOrder.AscendingOrder)


def _prepare_reports(page: Any) -> None:
    from datetime import date, timedelta

    from ebs_desktop.gui.qt import Qt

    names = [page.reports.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.reports.count())]
    page.reports.setCurrentRow(names.index("daily-collections"))
    last = date.today().replace(day=1) - timedelta(days=1)
    page.set_days(last.replace(day=1), last)
    page.preview()


def _prepare_readings(page: Any) -> None:
    """Two readings typed, the third far too high: its warning shows (nothing is stored)."""
    if not page.entries:
        return
    page.select_row(0)
    e = page.entries[0]
    page.value.setText(str((e.expected_high * 3).quantize(e.expected_high)))
    page.save(confirm=False)


def _prepare_counter(page: Any) -> None:
    """A shift open (opened once in the screenshot database), an account found."""
    if page.shift.info is None:
        page.shift.float_edit.setText("150.00")
        page.shift.open()
    number = page.staff.screens.first_account_owing()
    if number:
        page.find_edit.setText(str(number))
        page.find_account()
        from decimal import ROUND_CEILING, Decimal

        owed = Decimal(page.amount.text() or "0")
        given = (owed / 10).to_integral_value(ROUND_CEILING) * 10 + 10
        page.tendered.setText(str(given))
        page._update_change()


def _prepare_collections(page: Any) -> None:
    """The plan of a dunning run for today: what a real run would do, account by account."""
    page.run(True)


def _prepare_outbox(page: Any) -> None:
    """The messages waiting, the newest one shown as the customer will read it."""
    page.load()
    if page.model.rowCount():
        page.list.selectRow(0)


def _prepare_service_requests(page: Any) -> None:
    """The queue of requests not closed, the one waiting longest shown with its thread."""
    page.load()
    if page.model.rowCount():
        page.list.selectRow(0)


_PREPARE = {
    "customers": _prepare_customers,
    "collections": _prepare_collections,
    "outbox": _prepare_outbox,
    "service_requests": _prepare_service_requests,
    "readings": _prepare_readings,
    "billing": _prepare_billing,
    "counter": _prepare_counter,
    "reports": _prepare_reports,
}


def shot_name(role: str, key: str, theme: str, width: int) -> str:
    """``ROLE-PAGE-THEME-WIDTH.png``: sorts by role, then page."""
    return f"{role}-{key}-{theme}-{width}.png"


def shots() -> list[tuple[str, str]]:
    """(role, page key) for every page in the registry and every role that sees it."""
    from ebs_desktop.domain.permissions import PAGE_ROLES
    from ebs_desktop.gui.pages import PAGES
    from ebs_desktop.gui.session import ROLES

    return [(role, spec.key) for role in ROLES for spec in PAGES
            if role in PAGE_ROLES.get(spec.key, frozenset())]


def write_screenshots(outdir: Path, theme: str = "light",
                      language: str | None = None) -> list[Path]:
    """Every page for every role that sees it, in ``theme``, at each of :data:`SIZES`;
    and the sign-in dialog with a failed attempt."""
    from ebs_desktop.gui.app import backend_for
    from ebs_desktop.gui.backend import open_hub
    from ebs_desktop.gui.dialogs.login import LoginDialog
    from ebs_desktop.gui.i18n import install_translator
    from ebs_desktop.gui.main_window import MainWindow
    from ebs_desktop.gui.pages.base import PageContext
    from ebs_desktop.gui.qt import QApplication, QWidget
    from ebs_desktop.gui.tasks import SyncRunner
    from ebs_desktop.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(["ebs-screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    if language:
        install_translator(app, language)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    hub = open_hub(demo_database())
    backend = backend_for(hub)

    def shoot(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        path = outdir / name
        widget.grab().save(str(path))
        written.append(path)

    login = LoginDialog(_no_login, username="clerk")
    login.password.setText("secret")
    login.submit()  # show the failure message as a person would see it
    shoot(login, f"signin-{theme}.png")
    login.close()

    for role, key in shots():
        user = backend.authenticate(role, PASSWORDS[role])
        window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub),
                            backend.database)
        window.resize(*SIZES[0])
        window.show()
        window.show_page(key)
        prepare_page(window.pages[key], key)
        for width, height in SIZES:
            window.resize(width, height)
            shoot(window, shot_name(role, key, theme, width))
        window.close()
        window.deleteLater()
    hub.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m ebs_desktop.gui.screenshots OUTDIR [light|dark] [LANG]")
        return 0 if args else 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    themes = [args[1]] if len(args) > 1 else list(THEMES)
    language = args[2] if len(args) > 2 else None
    written: list[Path] = []
    for theme in themes:
        for path in write_screenshots(Path(args[0]), theme, language):
            written.append(path)
            print(path)
    if themes == list(THEMES):  # a full run: shots of pages or roles that are gone go too
        for stale in sorted(set(Path(args[0]).glob("*.png")) - set(written)):
            stale.unlink()
            print(f"removed {stale}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
