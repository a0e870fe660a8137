"""When the outbox sender tries again, and when it keeps SMS back: pure rules.

* :func:`backoff`: exponential backoff with jitter ("equal jitter": half the step fixed,
  half random), so a thousand messages that failed together on a server outage do not
  all come back in the same second;
* :func:`quiet_until`: SMS are not sent in the utility's quiet hours (e.g. 21:00-08:00 in
  its own time zone); this gives the moment the quiet window ends, or None outside it.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 6 * 3600.0
MAX_ATTEMPTS = 10  # then the message is failed and shown


def backoff(attempts: int, *, base: float = BACKOFF_BASE_SECONDS,
            cap: float = BACKOFF_CAP_SECONDS, rng: random.Random | None = None) -> timedelta:
    """The wait before the next try after ``attempts`` tries (1 -> ~base, 2 -> ~2 base...)."""
    step = min(cap, base * 2 ** max(0, attempts - 1))
    jitter = (rng or random).uniform(0, step / 2)
    return timedelta(seconds=step / 2 + jitter)


def quiet_until(now: datetime, start: time | None, end: time | None,
                zone: str = "UTC") -> datetime | None:
    """When the quiet window around ``now`` (aware) ends, in UTC; None when ``now`` is
    outside it or no window is set. A window may wrap midnight (21:00-08:00)."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(ZoneInfo(zone))
    clock = local.time().replace(tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    ends = datetime.combine(day, end, tzinfo=ZoneInfo(zone))
    return ends.astimezone(now.tzinfo)
