"""The ``ebs-desktop`` entry point without a display, and the screenshot tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ebs_desktop.gui.app import NO_DISPLAY_MESSAGE, has_display


def test_no_display_prints_one_line_and_exits_2() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-c", "from ebs_desktop.gui.app import main; "
                           "raise SystemExit(main([]))"],
                          env=env, capture_output=True, text=True, timeout=60)
    if sys.platform.startswith("linux"):
        assert proc.returncode == 2
        assert proc.stderr.strip() == NO_DISPLAY_MESSAGE
        assert "Traceback" not in proc.stderr
        assert "QT_QPA_PLATFORM=offscreen ebs-desktop" in proc.stderr


def test_has_display() -> None:
    if sys.platform.startswith("linux"):
        assert not has_display({})
        assert has_display({"DISPLAY": ":0"})
        assert has_display({"QT_QPA_PLATFORM": "offscreen"})


def test_screenshots_are_written(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               EBS_SCREENSHOT_DB=str(tmp_path / "demo.sqlite3"), EBS_SCREENSHOT_CUSTOMERS="40",
               EBS_SCREENSHOT_MONTHS="3")
    out = tmp_path / "shots"
    proc = subprocess.run([sys.executable, "-m", "ebs_desktop.gui.screenshots", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == ["01-login-dark.png", "01-login.png", "02-customers-dark.png",
                     "02-customers.png", "03-account-view.png", "04-reading-entry.png",
                     "05-billing.png", "06-cash-counter.png", "07-reports.png", "08-admin.png"]
    for path in out.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 5000
