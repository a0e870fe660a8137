"""The customer messages' operations of the staff facade (issue 20): the outbox (what is
waiting, sent or failed; retry, cancel) and the administrator's templates."""

from __future__ import annotations

from ebs_desktop.services.facade.door import Area, Operation
from ebs_desktop.services.notify import outbox_admin as _outbox
from ebs_desktop.services.notify import templates as _templates


class OutboxArea(Area):
    messages = Operation("outbox.view", _outbox.outbox_messages)
    counts = Operation("outbox.view", _outbox.outbox_counts)
    message = Operation("outbox.view", _outbox.outbox_message)
    retry = Operation("outbox.manage", _outbox.retry_messages)
    cancel = Operation("outbox.manage", _outbox.cancel_messages)


class TemplatesArea(Area):
    list_templates = Operation("template.edit", _templates.list_templates)
    template_text = Operation("template.edit", _templates.template_text)
    save_template = Operation("template.edit", _templates.save_template)
    reset_template = Operation("template.edit", _templates.reset_template)
    preview = Operation("template.edit", _templates.preview_template)
