"""Write a PNG of every screen: ``python -m ebs_desktop.gui.screenshots OUTDIR [theme]``.

Runs offscreen (no display needed) at 1366x768, the smallest desk screen we support, so
what looks cramped there is caught. The screens show the demo utility: a demo database
is built once (``EBS_SCREENSHOT_DB``, default a file in the temp folder; size from
``EBS_SCREENSHOT_CUSTOMERS``/``EBS_SCREENSHOT_MONTHS``) and reused, and each screen is
taken signed in as the role that uses it. A dark-theme shot of the customer screen is
written too.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

SIZE = (1366, 768)
SHOTS = (  # file name, user, page
    ("02-customers", "clerk", "customers"),
    ("03-account-view", "clerk", "customers"),
    ("04-reading-entry", "reader", "readings"),
    ("05-billing", "billing", "billing"),
    ("06-cash-counter", "clerk", "counter"),
    ("07-reports", "manager", "reports"),
    ("08-admin", "admin", "administration"),
)
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


def _prepare(page: Any, name: str) -> None:
    """Put each screen in the state a person would see mid-task."""
    from ebs_desktop.gui.qt import Qt

    if name == "02-customers":
        page.search.setText("mar")
        page.debounce.flush()
    elif name == "03-account-view":
        page.search.setText("")
        page.debounce.flush()
        page.table.selectRow(3)
        page.panel.tabs.setCurrentIndex(1)
    elif name == "05-billing":
        page.tabs.setCurrentIndex(1)
        page.start_dry_run()
        page.exceptions.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    elif name == "04-reading-entry":
        _prepare_readings(page)
    elif name == "06-cash-counter":
        _prepare_counter(page)
    elif name == "07-reports":
        from datetime import date, timedelta

        names = [page.reports.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(page.reports.count())]
        page.reports.setCurrentRow(names.index("daily-collections"))
        last = date.today().replace(day=1) - timedelta(days=1)
        page.set_days(last.replace(day=1), last)
        page.preview()
    elif name == "08-admin":
        page.tabs.setCurrentIndex(0)


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


def write_screenshots(outdir: Path, theme: str = "light",
                      language: str | None = None) -> list[Path]:
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
        path = outdir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    login = LoginDialog(_no_login, username="clerk")
    login.password.setText("secret")
    login.submit()  # show the failure message as a person would see it
    shoot(login, "01-login" if theme == "light" else f"01-login-{theme}")
    login.close()

    shots = SHOTS if theme == "light" else (("02-customers", "clerk", "customers"),)
    for name, username, key in shots:
        user = backend.authenticate(username, PASSWORDS[username])
        window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub),
                            backend.database)
        window.resize(*SIZE)
        window.set_status(counter="C01", shift="closed")
        window.show()
        window.show_page(key)
        _prepare(window.pages[key], name)
        shoot(window, name if theme == "light" else f"{name}-{theme}")
        window.close()
    hub.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m ebs_desktop.gui.screenshots OUTDIR [light|dark] [LANG]")
        return 0 if args else 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    themes = [args[1]] if len(args) > 1 else ["light", "dark"]
    language = args[2] if len(args) > 2 else None
    for theme in themes:
        for path in write_screenshots(Path(args[0]), theme, language):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
