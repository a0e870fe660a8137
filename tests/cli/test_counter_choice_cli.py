"""The command line picks the counter the desktop picks: the first *active* one (issue 18:
``cli/counter.py`` once took the first counter, active or not)."""

from __future__ import annotations

from click.testing import CliRunner, Result
from sqlalchemy import select

from ebs_desktop.cli.main import cli
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Counter, Shift
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.counter.directory import default_counter
from ebs_desktop.services.facade import StaffServices

CLERK = ("carl", "clerk-password-1")


def _ebs(url: str, *args: str) -> Result:
    env: dict[str, str | None] = {"EBS_USER": CLERK[0], "EBS_PASSWORD": CLERK[1],
                                  "EBS_COUNTER": None}
    return CliRunner().invoke(cli, ["--db", url, *args], env=env, catch_exceptions=False)


def test_an_inactive_counter_is_not_chosen(db: Database, db_url: str) -> None:
    staff = StaffServices(db, system_actor("test"))
    staff.users.add_user(CLERK[0], "Carl Clerk", CLERK[1], ["clerk"])
    staff.counter.save_counter("OLD", "Closed counter")  # the first counter made...
    staff.counter.save_counter("NEW", "Counter in use")
    staff.counter.save_counter("OLD", "Closed counter", active=False)  # ...is retired
    assert default_counter(db) == "NEW"  # the desktop's choice

    opened = _ebs(db_url, "shift", "open", "--float", "10")
    assert opened.exit_code == 0, opened.output
    assert " open at NEW " in opened.output
    with db.read() as s:
        assert s.scalars(select(Counter.code).join(Shift, Shift.counter_id == Counter.id)
                         ).all() == ["NEW"]
    unknown = _ebs(db_url, "shift", "drop", "--amount", "1", "--counter", "NOPE")
    assert unknown.exit_code != 0 and "no counter 'NOPE'" in unknown.output
