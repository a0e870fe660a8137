"""The service requests' operations of the staff facade (issue 21, point 6)."""

from __future__ import annotations

from ebs_desktop.services import support as _support
from ebs_desktop.services.facade.door import Area, Operation


class SupportArea(Area):
    queue = Operation("service.handle", _support.request_queue)
    counts = Operation("service.handle", _support.request_counts)
    request = Operation("service.handle", _support.staff_request)
    photo = Operation("service.handle", _support.staff_photo)
    handlers = Operation("service.handle", _support.handlers)
    assign = Operation("service.handle", _support.assign_request)
    set_status = Operation("service.handle", _support.set_request_status)
    reply = Operation("service.handle", _support.staff_reply)
