"""Write a PNG of every screen: ``python -m ebs_desktop.gui.screenshots OUTDIR``.

Runs offscreen (no display needed) at 1366x768, the smallest desk screen we support, so
what looks cramped there is caught. For now it shows the sign-in dialogs and the main
window on each page as the services are (placeholders where a service is missing); once
demo data exists, ``make screenshots`` runs it against the demo database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

SIZE = (1366, 768)


def _no_login(username: str, password: str) -> object:
    from ebs_desktop.errors import AuthenticationError

    raise AuthenticationError("wrong user name or password (2 attempts left before lockout)")


def write_screenshots(
    outdir: Path, theme: str = "light", language: str | None = None
) -> list[Path]:
    from ebs_desktop.gui.dialogs.login import FirstAdminDialog, LoginDialog
    from ebs_desktop.gui.i18n import install_translator
    from ebs_desktop.gui.main_window import MainWindow
    from ebs_desktop.gui.pages import PAGES
    from ebs_desktop.gui.pages.base import PageContext
    from ebs_desktop.gui.qt import QApplication, QWidget
    from ebs_desktop.gui.session import ROLES, GuiUser
    from ebs_desktop.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(["ebs-screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    if language:
        install_translator(app, language)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    suffix = "" if theme == "light" else f"-{theme}"

    def shoot(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        path = outdir / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        written.append(path)

    login = LoginDialog(_no_login, username="clerk1")
    login.password.setText("secret")
    login.submit()  # show the failure message as a person would see it
    shoot(login, "login")
    login.close()
    first = FirstAdminDialog(lambda u, d, p: None)
    shoot(first, "first-admin")
    first.close()

    user = GuiUser("amina", frozenset(ROLES), "Amina Diallo")
    window = MainWindow(user, PageContext(), database="ebs.sqlite3 (SQLite)")
    window.resize(*SIZE)
    window.set_status(counter="Counter 1", shift="closed")
    for number, spec in enumerate(PAGES, start=1):
        window.show_page(spec.key)
        shoot(window, f"{number:02d}-{spec.key}")
    window.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m ebs_desktop.gui.screenshots OUTDIR [light|dark] [LANG]")
        return 0 if args else 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    theme = args[1] if len(args) > 1 else "light"
    language = args[2] if len(args) > 2 else None
    for path in write_screenshots(Path(args[0]), theme, language):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
