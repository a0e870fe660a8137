"""``ebs-desktop``: start the Qt application, sign in, open the main window.

Without a display Qt would abort with a long platform-plugin message; instead we say in
one line what is missing and how to run offscreen, and exit 2. The services are reached
through :func:`load_backend`, which degrades to a plain "not available" message while the
user service is not in this build.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ebs_desktop.errors import AuthenticationError

NO_DISPLAY_MESSAGE = (
    "ebs-desktop: no display found (DISPLAY/WAYLAND_DISPLAY unset); run it offscreen with "
    "`QT_QPA_PLATFORM=offscreen ebs-desktop` or under `xvfb-run ebs-desktop`."
)


def has_display(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


@dataclass
class Backend:
    """The service calls the desktop app needs before a main window exists."""

    authenticate: Callable[[str, str], Any]
    create_first_admin: Callable[[str, str, str], Any] | None = None
    has_users: Callable[[], bool] = lambda: True
    database: str = ""
    services: Any = None


def _missing_user_service(username: str, password: str) -> Any:
    raise AuthenticationError(
        "sign-in is not available: the user service (ebs_desktop.services.users) is not "
        "part of this build yet")


def load_backend() -> Backend:
    """Connect to the services if they are installed (wired by the lead as they land)."""
    try:
        users = importlib.import_module("ebs_desktop.services.users")
    except ImportError:
        return Backend(authenticate=_missing_user_service)
    authenticate = getattr(users, "authenticate", None)
    if authenticate is None:
        return Backend(authenticate=_missing_user_service)
    return Backend(
        authenticate=authenticate,
        create_first_admin=getattr(users, "create_first_admin", None),
        has_users=getattr(users, "has_users", lambda: True),
    )


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ebs-desktop", description="EBS Desktop")
    parser.add_argument("--theme", choices=("light", "dark"), default=None)
    parser.add_argument("--language", default=None, help="en or fr (default: system)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    return run(args.theme, args.language, load_backend())


def run(theme: str | None, language: str | None, backend: Backend) -> int:
    from ebs_desktop.gui import settings
    from ebs_desktop.gui.dialogs.login import FirstAdminDialog, LoginDialog
    from ebs_desktop.gui.i18n import install_translator
    from ebs_desktop.gui.icons import icon
    from ebs_desktop.gui.main_window import MainWindow
    from ebs_desktop.gui.pages.base import PageContext
    from ebs_desktop.gui.qt import QApplication, QDialog
    from ebs_desktop.gui.tasks import ThreadedRunner
    from ebs_desktop.gui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    app.setWindowIcon(icon("app"))
    chosen = theme or settings.get_str("appearance/theme", "light")
    apply_theme(app, chosen)
    install_translator(app, language or settings.get_str("appearance/language") or None)
    runner = ThreadedRunner("ebs-db")
    try:
        while True:
            dialog: QDialog
            if backend.create_first_admin is not None and not backend.has_users():
                dialog = FirstAdminDialog(backend.create_first_admin)
            else:
                dialog = LoginDialog(backend.authenticate,
                                     username=settings.get_str("login/last_user"))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
            user = dialog.user
            settings.set_value("login/last_user", user.username)
            context = PageContext(runner=runner, user=user, services=backend.services)
            window = MainWindow(user, context, backend.database)
            signed_out = [False]

            def sign_out(w: MainWindow = window, flag: list[bool] = signed_out) -> None:
                flag[0] = True
                w.close()

            window.sign_out_requested.connect(sign_out)
            window.show()
            app.exec()
            if not signed_out[0]:
                return 0
    finally:
        runner.shutdown(wait=False)


if __name__ == "__main__":
    sys.exit(main())
