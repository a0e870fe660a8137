"""Issue 19, point 2: ``make run`` checks the X11 libraries of Qt's xcb plugin first.

The script runs as ``make run`` runs it, with a fake ``ldd`` (and a fake ``apt-get``) first
on the PATH and a stand-in plugin file: nothing is installed on this machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "check_qt_libs.py"

LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffc)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""
LDD_FINE = "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n"


def _fake_bin(tmp: Path, name: str, body: str) -> None:
    path = tmp / "bin" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def _fake_ldd(tmp: Path, output: str) -> None:
    """An ``ldd`` printing ``output``, or nothing missing once the fake apt-get has run."""
    (tmp / "ldd.out").write_text(output, encoding="utf-8")
    _fake_bin(tmp, "ldd", f'echo "$@" >> "{tmp}/ldd.calls"\n'
                          f'if [ -e "{tmp}/installed" ]; then echo "{LDD_FINE.strip()}"; '
                          f'else cat "{tmp}/ldd.out"; fi\n')


def run_check(tmp: Path, *args: str, display: str | None = ":0",
              platform: str | None = None) -> subprocess.CompletedProcess[str]:
    plugin = tmp / "libqxcb.so"
    plugin.write_bytes(b"\x7fELF")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["PATH"] = f"{tmp / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    if display is not None:
        env["DISPLAY"] = display
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    return subprocess.run([sys.executable, str(SCRIPT), "--plugin", str(plugin), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=60)


def test_missing_libraries_print_the_one_apt_get_line(tmp_path: Path) -> None:
    _fake_ldd(tmp_path, LDD_MISSING)
    done = run_check(tmp_path)
    assert done.returncode == 1
    line = done.stdout.strip()
    assert line.removeprefix("sudo ") == ("apt-get install -y libxcb-cursor0 libxcb-icccm4 "
                                          "libxcb-keysyms1")
    assert ("libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1 not found"
            in done.stderr)


def test_nothing_to_do_without_xcb_or_when_everything_is_there(tmp_path: Path) -> None:
    _fake_ldd(tmp_path, LDD_MISSING)
    assert run_check(tmp_path, display=None).returncode == 0
    assert run_check(tmp_path, platform="offscreen").returncode == 0
    assert run_check(tmp_path, platform="wayland").returncode == 0
    assert not (tmp_path / "ldd.calls").exists()  # not even asked
    assert run_check(tmp_path, platform="xcb").returncode == 1
    _fake_ldd(tmp_path, LDD_FINE)
    done = run_check(tmp_path)
    assert done.returncode == 0 and done.stdout == ""


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0
                         and Path("/etc/debian_version").exists()),
                    reason="installing is done as root on Debian only")
def test_as_root_on_debian_it_installs_with_apt_get(tmp_path: Path) -> None:
    _fake_ldd(tmp_path, LDD_MISSING)
    _fake_bin(tmp_path, "apt-get", f'echo "$@" >> "{tmp_path}/apt.calls"\n'
                                   f'touch "{tmp_path}/installed"\n')
    done = run_check(tmp_path, "--install")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "apt.calls").read_text(encoding="utf-8").split() == [
        "install", "-y", "--no-install-recommends", "libxcb-cursor0", "libxcb-icccm4",
        "libxcb-keysyms1"]
    # Without --install (as the tests and a curious user run it) nothing is installed.
    (tmp_path / "installed").unlink()
    (tmp_path / "apt.calls").unlink()
    assert run_check(tmp_path).returncode == 1
    assert not (tmp_path / "apt.calls").exists()


def test_make_run_checks_first_and_the_readme_names_the_packages() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("tools/check_qt_libs.py --install") < run.index("ebs-desktop")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                    "libxcb-render-util0", "libxkbcommon-x11-0"):
        assert package in readme
