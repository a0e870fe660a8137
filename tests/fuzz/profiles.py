"""Hypothesis settings for the fuzz suite: 1,000 cases per entry point under CI=true
(profile ``ci``), 100 for a quick local run (profile ``dev``).

Every entry point runs its 1,000 cases on SQLite; the service-level entry points run
again on PostgreSQL with a quarter of them (``PG_CASES``), which proves the same property
on the second backend while keeping the whole suite within about five minutes on a
shared 2-core machine. ``EBS_FUZZ_CASES`` overrides the count (a quick look:
``EBS_FUZZ_CASES=50``).

Applied to each fuzz test (``fuzz_settings``) rather than loaded globally, so the other
property tests of the suite keep their own settings. No example database (each run
starts afresh) and no deadline (a shared machine has slow moments); a database shared
by the cases of one test is the point, hence the function-scoped-fixture health check
is off. No shrinking: a case costs a command or a service call on a database that moves
on with each posting, shrinking one failure took over five minutes, and the generators
already favour short, plain boundary values; the failing input is printed as drawn.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_COMMON = {"deadline": None, "database": None, "print_blob": True,
           "phases": [Phase.explicit, Phase.reuse, Phase.generate],
           "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("dev", max_examples=100, **_COMMON)  # type: ignore[arg-type]

PROFILE = "ci" if IN_CI else "dev"
_profile = settings.get_profile(PROFILE)
CASES = int(os.environ.get("EBS_FUZZ_CASES") or _profile.max_examples)
"""Cases per entry point (on SQLite); each test asserts it ran at least this many."""
PG_CASES = max(1, CASES // 4)


def cases_for(backend: str) -> int:
    return PG_CASES if backend == "postgresql" else CASES


def fuzz_settings(backend: str = "sqlite") -> settings:
    return settings(_profile, max_examples=cases_for(backend))


FUZZ = fuzz_settings()
