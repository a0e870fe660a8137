"""SMS providers: an HTTP gateway (JSON POST with a bearer token) and SMPP 3.4.

Both implement :class:`ebs_desktop.devices.delivery.SmsProvider`, cut and encode texts
with :mod:`ebs_desktop.domain.sms_text`, and classify what goes wrong into the delivery
errors (temporary, permanent, unreachable recipient). Delivery receipts arrive as
:class:`ebs_desktop.domain.sms_receipts.DeliveryReceipt`: from the gateway's callback
(:func:`ebs_desktop.devices.sms.http_gateway.receipt_callback`) or from the SMSC's
``deliver_sm`` (:meth:`ebs_desktop.devices.sms.smpp.SmppProvider.receipts`).
"""
