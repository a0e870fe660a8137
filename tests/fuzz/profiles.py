"""Hypothesis settings for the fuzz suite: 1,000 cases per entry point under CI=true
(profile ``ci``), 100 for a quick local run (profile ``dev``).

Applied to each fuzz test (``@FUZZ``) rather than loaded globally, so the other property
tests of the suite keep their own settings. No example database (each run starts afresh)
and no deadline (a shared 2-core machine has slow moments); a database shared by the cases
of one test is the point, hence the function-scoped-fixture health check is off.
``EBS_FUZZ_CASES`` overrides the number of cases (a quick look: ``EBS_FUZZ_CASES=50``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# No shrinking: a case costs a command run on a database that moves on with each posting,
# so shrinking a failure took over five minutes; the generators already favour short,
# plain boundary values, and the failing input is printed as it was.
_COMMON = {"deadline": None, "database": None, "print_blob": True,
           "phases": [Phase.explicit, Phase.reuse, Phase.generate],
           "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("dev", max_examples=100, **_COMMON)  # type: ignore[arg-type]

PROFILE = "ci" if IN_CI else "dev"
FUZZ = settings.get_profile(PROFILE)
if os.environ.get("EBS_FUZZ_CASES"):
    FUZZ = settings(FUZZ, max_examples=int(os.environ["EBS_FUZZ_CASES"]))
CASES = FUZZ.max_examples
"""Cases per entry point; each test asserts it ran at least this many."""
