"""``ebs-desktop``: start the Qt application, sign in, open the main window.

Without a display Qt would abort with a long platform-plugin message; instead we say in
one line what is missing and how to run offscreen, and exit 2. The services are reached
through :func:`load_backend`: it opens the database and checks its schema, and a database
that cannot be used (newer or older schema, unreachable server) is shown in a dialog.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from ebs_desktop.errors import ConfigError, EbsError
from ebs_desktop.gui.backend import (
    KEY_COUNTER,
    KEY_DATABASE_URL,
    ServiceHub,
    choose_database_url,
    open_hub,
)
from ebs_desktop.gui.session import SignedInUser

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

    authenticate: Callable[[str, str], SignedInUser]
    create_first_admin: Callable[[str, str, str], SignedInUser] | None = None
    has_users: Callable[[], bool] = lambda: True
    database: str = ""
    services: ServiceHub | None = None
    error: str = ""  # why the database cannot be used (shown in a dialog, not a traceback)


def _unavailable(message: str) -> Callable[[str, str], NoReturn]:
    def refuse(username: str, password: str) -> NoReturn:
        raise ConfigError(message)  # not a sign-in failure: the dialog shows why
    return refuse


def backend_for(hub: ServiceHub) -> Backend:
    """Sign-in, first administrator and user count over the real services."""
    door = hub.sign_in_door

    def first_admin(username: str, full_name: str, password: str) -> SignedInUser:
        door.create_first_admin(username, full_name, password)
        return hub.sign_in(username, password)

    return Backend(authenticate=hub.sign_in, create_first_admin=first_admin,
                   has_users=door.has_users, database=hub.database_label, services=hub)


def load_backend(url: str | None = None) -> Backend:
    """Open the database (``--db``, EBS_DATABASE_URL, saved choice, default) and check its
    schema; a database that cannot be used gives a Backend whose ``error`` says why."""
    from ebs_desktop.gui import settings

    chosen = choose_database_url(url, settings.get_str(KEY_DATABASE_URL))
    try:
        hub = open_hub(chosen)
    except EbsError as exc:
        return Backend(authenticate=_unavailable(str(exc)), database=chosen, error=str(exc))
    hub.counter_code = settings.get_str(KEY_COUNTER)
    return backend_for(hub)


def start_daily_backup(hub: ServiceHub) -> threading.Thread:
    """The daily copy of the default SQLite file, when one is due, on a thread of its own
    so that signing in does not wait for it (see ``services.backup``). Not a daemon: a
    copy under way is finished before the process ends. A failure is logged, not shown:
    the program works without it, and the dashboard shows when the last backup was."""
    def work() -> None:
        try:
            hub.sign_in_door.daily_backup()
        except Exception:  # a backup must never stop the program
            logging.getLogger(__name__).exception("the daily backup failed")

    thread = threading.Thread(target=work, name="ebs-daily-backup")
    thread.start()
    return thread


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ebs-desktop", description="EBS Desktop")
    parser.add_argument("--db", default=None,
                        help="database URL or SQLite file (default: EBS_DATABASE_URL, the "
                             "connection chosen in Administration, or the local file)")
    parser.add_argument("--theme", choices=("light", "dark"), default=None)
    parser.add_argument("--language", default=None, help="en or fr (default: system)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    return run(args.theme, args.language, args.db)


def run(theme: str | None, language: str | None, db_url: str | None = None,
        backend: Backend | None = None) -> int:
    from ebs_desktop.gui import settings
    from ebs_desktop.gui.dialogs.login import FirstAdminDialog, LoginDialog
    from ebs_desktop.gui.i18n import install_translator
    from ebs_desktop.gui.icons import icon
    from ebs_desktop.gui.main_window import MainWindow
    from ebs_desktop.gui.memory import settle_after_start
    from ebs_desktop.gui.pages.base import PageContext
    from ebs_desktop.gui.qt import QApplication, QDialog, QMessageBox
    from ebs_desktop.gui.tasks import ThreadedRunner
    from ebs_desktop.gui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    app.setWindowIcon(icon("app"))
    chosen = theme or settings.get_str("appearance/theme", "light")
    apply_theme(app, chosen)
    install_translator(app, language or settings.get_str("appearance/language") or None)
    if backend is None:
        backend = load_backend(db_url)
    if backend.error:
        QMessageBox.critical(None, app.translate("App", "Cannot open the database"),
                             app.translate("App", "{0}\n\nDatabase: {1}").format(
                                 backend.error, backend.database))
        return 1
    if backend.services is not None:
        start_daily_backup(backend.services)
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
            if user is None:  # accepted only once someone signed in
                return 0
            settings.set_value("login/last_user", user.username)
            context = PageContext(runner=runner, user=user, services=backend.services)
            window = MainWindow(user, context, backend.database)
            if backend.services is not None:
                window.set_status(counter=backend.services.counter_code or None)
            signed_out = [False]

            def sign_out(w: MainWindow = window, flag: list[bool] = signed_out) -> None:
                flag[0] = True
                w.close()

            window.sign_out_requested.connect(sign_out)
            window.show()
            settle_after_start()
            app.exec()
            if not signed_out[0]:
                return 0
    finally:
        runner.shutdown(wait=False)


if __name__ == "__main__":
    sys.exit(main())
