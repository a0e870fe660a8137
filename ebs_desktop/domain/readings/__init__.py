"""Reading rules (pure): what a new meter reading may be, given the register's last one.

``rules`` checks one reading and works out its consumption; ``exchange`` checks the two
readings of a meter exchange. Problems come back as data (:class:`Problem`), located by
field and value, so a whole import file can be checked before anything is refused.
"""

from ebs_desktop.domain.readings.rules import (
    NO_READ_CODES,
    Problem,
    ReadingCheck,
    RegisterFacts,
    check_exchange,
    check_reading,
    check_value,
    expected_range,
)

__all__ = ["NO_READ_CODES", "Problem", "ReadingCheck", "RegisterFacts", "check_exchange",
           "check_reading", "check_value", "expected_range"]
