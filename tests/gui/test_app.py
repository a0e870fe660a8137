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
    # every page for every role that sees it, light and dark, at 1366 and 1920 wide
    from ebs_desktop.domain.permissions import PAGE_ROLES
    from ebs_desktop.gui.pages import PAGES

    expected = {"signin-light.png", "signin-dark.png"} | {
        f"{role}-{spec.key}-{theme}-{width}.png"
        for spec in PAGES for role in PAGE_ROLES[spec.key]
        for theme in ("light", "dark") for width in (1366, 1920)}
    assert names == sorted(expected)
    assert "clerk-counter-dark-1920.png" in names
    for path in out.glob("*.png"):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 5000
        if not path.name.startswith("signin"):
            size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
            assert size == ((1366, 768) if path.name.endswith("-1366.png") else (1920, 1080))
