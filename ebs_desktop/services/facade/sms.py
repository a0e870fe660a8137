"""The SMS operations of the staff facade (length and cost before a bulk send)."""

from __future__ import annotations

from ebs_desktop.services.facade.door import Area, Operation
from ebs_desktop.services.notify import sms as _sms


class SmsArea(Area):
    estimate = Operation("notification.estimate", _sms.estimate_sms)
