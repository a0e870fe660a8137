"""``python -m tools.bench portal``: the portal's load benchmark of docs/performance.md runs
end to end at a tiny size (a scratch demo, 3 users, 1 s per endpoint) and reports every
endpoint this build serves beside the bare hello app, with no failed request."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.portal_server import served_paths

REPO = Path(__file__).resolve().parents[2]


def test_the_portal_benchmark_loads_each_endpoint_and_the_hello_app() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench", "portal", "--customers", "30", "--users", "3",
         "--workers", "1", "--seconds", "1", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    paths = [(f["target"], f["path"]) for f in report["figures"]]
    expected = [("portal", "/healthz")]
    expected += [("portal", p) for p in ("/", "/bills") if p in served_paths()]
    assert paths[:len(expected)] == expected
    assert paths[-1] == ("hello", "/")
    if {"/bills", "/bills/{bill_number}.pdf"} <= served_paths():
        assert paths[len(expected)][1].endswith(".pdf")
    paced = [p for t, p in paths if t.startswith("portal@")]  # the latency at --rate
    assert paced == [p for p in ("/", "/bills") if p in served_paths()]
    for figure in report["figures"]:
        assert figure["requests"] > 0 and figure["errors"] == 0, figure
        assert figure["p50_ms"] <= figure["p99_ms"]
    assert report["figures"][-1]["ratio_to_hello"] == 1.0
