"""SMS providers: an HTTP gateway (JSON POST with a bearer token) and SMPP 3.4.

Both implement :class:`ebs_desktop.devices.delivery.SmsProvider`, cut and encode texts
with :mod:`ebs_desktop.domain.sms_text`, and classify what goes wrong into the delivery
errors (temporary, permanent, unreachable recipient). Delivery receipts arrive as
:class:`ebs_desktop.domain.sms_receipts.DeliveryReceipt`: from the gateway's callback
(:func:`ebs_desktop.devices.sms.http_gateway.receipt_callback`) or from the SMSC's
``deliver_sm`` (:meth:`ebs_desktop.devices.sms.smpp.SmppProvider.receipts`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ebs_desktop.devices.delivery import SmsProvider
from ebs_desktop.errors import ConfigError

PROVIDERS = ("http", "smpp")


def provider_for(provider: str, url: str, secret: str, *, system_id: str = "",
                 sender: str = "", timeout: float = 10.0) -> SmsProvider:
    """The adapter the settings name: ``sms.provider`` ``http`` (``sms.url`` the gateway's
    https URL, ``secret`` its bearer token) or ``smpp`` (``sms.url`` ``smpp://host:port``,
    ``sms.system_id``, ``secret`` the password); ``sms.sender`` the sender id or number."""
    if provider == "http":
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ConfigError(f"sms.url {url!r} is not an http(s) URL of the SMS gateway")
        if not secret:
            raise ConfigError("no token for the SMS gateway: ebs settings secret sms.token")
        from ebs_desktop.devices.sms.http_gateway import HttpSmsGateway
        return HttpSmsGateway(url, secret, sender=sender, timeout=timeout)
    if provider == "smpp":
        parts = urlsplit(url)
        try:
            port = parts.port or 2775
        except ValueError:
            port = -1
        if parts.scheme != "smpp" or not parts.hostname or port <= 0:
            raise ConfigError(f"sms.url {url!r} is not smpp://host:port of the SMSC")
        if not system_id:
            raise ConfigError("sms.system_id is empty: the SMSC needs it to bind")
        from ebs_desktop.devices.sms.smpp import SmppProvider
        return SmppProvider(parts.hostname, port, system_id, secret, sender=sender,
                            timeout=timeout)
    raise ConfigError(f"sms.provider {provider!r} is not one of: {', '.join(PROVIDERS)}")
