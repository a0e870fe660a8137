"""Setting up counters and receipt printers: validated, audited, admin only."""

from __future__ import annotations

import pytest

from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import audit, auth, users
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.counter import directory

ADMIN = system_actor("test-admin")


def test_printers_and_counters_are_saved_and_audited(db: Database) -> None:
    pid = directory.save_printer(db, ADMIN, "Front desk", "network", "10.0.0.5:9100", 58,
                                 logo=True)
    assert directory.save_printer(db, ADMIN, "Front desk", "network", "10.0.0.6:9100") == pid
    directory.save_counter(db, ADMIN, "c03", "Counter 3", "Front desk")
    [printer] = directory.printers(db, ADMIN)
    assert (printer.target, printer.paper_mm, printer.logo) == ("10.0.0.6:9100", 80, False)
    [counter] = directory.counters(db, ADMIN)
    assert (counter.code, counter.printer, counter.active) == ("C03", "Front desk", True)
    directory.save_counter(db, ADMIN, "C03", "Counter 3", None, active=False)
    assert directory.counters(db, ADMIN)[0].active is False
    result = audit.verify(db, ADMIN)
    assert result.ok and result.entries == 4


def test_bad_input_is_located_and_clerks_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="printer kind"):
        directory.save_printer(db, ADMIN, "P", "bluetooth", "x")
    with pytest.raises(ValidationError, match="58 or 80"):
        directory.save_printer(db, ADMIN, "P", "file", "/tmp/p.bin", 76)
    with pytest.raises(ValidationError, match="counter code"):
        directory.save_counter(db, ADMIN, "C 1", "Counter")
    with pytest.raises(NotFound, match="no printer"):
        directory.save_counter(db, ADMIN, "C1", "Counter", "Nowhere")
    users.add_user(db, ADMIN, "clerky", "Clerk", "password-1", ["clerk"])
    clerk = auth.login(db, "clerky", "password-1")
    with pytest.raises(PermissionDenied):
        directory.save_printer(db, clerk, "P", "file", "/tmp/p.bin")
