"""SMPP 3.4 to an SMSC (smpplib for the connection and the PDUs).

One transceiver bind carries the messages out (``submit_sm``) and the delivery receipts
in (``deliver_sm``). A text is cut by :func:`ebs_desktop.domain.sms_text.plan` (so an
escape pair or a surrogate pair is never split, which smpplib's own splitter does not
promise) and each segment goes as one ``submit_sm`` with a concatenation header (UDH
``05 00 03 ref total seq``, ``esm_class`` 0x40); GSM-7 unpacked with ``data_coding`` 0,
UCS-2 with 8. Only the last segment asks for a receipt, and its message id is the
message's provider id, so a receipt means the whole text arrived.

SMPP 3.4 has no client reference the SMSC keeps: the outbox row's dedupe key decides
whether a message is sent again, and the concatenation reference is derived from it.

Outcomes: a refused connection or bind, a timeout, ``ESME_RTHROTTLED``, ``ESME_RMSGQFUL``
and ``ESME_RSYSERR`` are temporary; ``ESME_RINVDSTADR`` (and a bad destination TON/NPI)
is an unreachable recipient; any other error status a permanent failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import select
import warnings
from typing import Any

from ebs_desktop.devices.delivery import (
    DeliveryError,
    PermanentFailure,
    Sent,
    TemporaryFailure,
    UnreachableRecipient,
)
from ebs_desktop.domain.sms_receipts import (
    DeliveryReceipt,
    ReceiptUnreadable,
    parse_smpp_receipt_text,
    receipt_state,
    smpp_done_date,
)
from ebs_desktop.domain.sms_text import GSM7, SmsTooLong, encode, plan

ESME_ROK = 0x00
ESME_RSYSERR = 0x08
ESME_RINVDSTADR = 0x0B
ESME_RMSGQFUL = 0x14
ESME_RINVDSTTON = 0x50
ESME_RINVDSTNPI = 0x51
ESME_RTHROTTLED = 0x58
_TEMPORARY = {ESME_RSYSERR: "system error", ESME_RMSGQFUL: "message queue full",
              ESME_RTHROTTLED: "throttled"}
_UNREACHABLE = {ESME_RINVDSTADR: "invalid destination address",
                ESME_RINVDSTTON: "invalid destination number type",
                ESME_RINVDSTNPI: "invalid destination numbering plan"}
_UDHI = 0x40
_RECEIPT_FLAG = 0x04  # esm_class of a deliver_sm that is a delivery receipt
_MESSAGE_STATES = {2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 6: "ACCEPTD",
                   8: "REJECTD"}


def _address(number: str) -> tuple[int, int, str]:
    """(TON, NPI, digits) of an E.164 number or an alphanumeric sender."""
    if number.startswith("+") and number[1:].isdigit():
        return 1, 1, number[1:]
    if number.isdigit():
        return 0, 1, number
    return 5, 0, number  # alphanumeric sender id


class SmppProvider:
    """:class:`~ebs_desktop.devices.delivery.SmsProvider` over an SMPP 3.4 transceiver."""

    def __init__(self, host: str, port: int, system_id: str, password: str,
                 sender: str = "", timeout: float = 10.0, system_type: str = "") -> None:
        self.host, self.port = host, port
        self.system_id = system_id
        self._password = password
        self.sender = sender
        self.timeout = timeout
        self.system_type = system_type
        self._client: Any = None
        self._receipts: list[DeliveryReceipt] = []

    # -- connection ---------------------------------------------------------------------
    def _connected(self) -> Any:
        if self._client is not None:
            return self._client
        import smpplib.client
        import smpplib.exceptions

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            client = smpplib.client.Client(self.host, self.port, timeout=self.timeout,
                                           allow_unknown_opt_params=True)
        try:
            client.connect()
            client.bind_transceiver(system_id=self.system_id, password=self._password,
                                    system_type=self.system_type)
        except smpplib.exceptions.PDUError as exc:
            client.disconnect()
            raise TemporaryFailure(f"the SMSC at {self.host}:{self.port} refused the bind "
                                   f"of {self.system_id!r} ({exc.args[0]})") from exc
        except (smpplib.exceptions.ConnectionError, OSError) as exc:
            client.disconnect()
            raise TemporaryFailure(f"the SMSC at {self.host}:{self.port} did not answer "
                                   f"({exc or 'connection refused'})") from exc
        self._client = client
        return client

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):  # closing a broken socket
                client.disconnect()

    def close(self) -> None:
        client = self._client
        if client is None:
            return
        with contextlib.suppress(Exception):  # the SMSC may already be gone
            client.unbind()
        self._drop()

    # -- sending ------------------------------------------------------------------------
    def send(self, to: str, text: str, client_ref: str) -> Sent:
        try:
            cut = plan(text)
        except SmsTooLong as exc:
            raise PermanentFailure(str(exc)) from exc
        dest_ton, dest_npi, dest = _address(to)
        src_ton, src_npi, src = _address(self.sender) if self.sender else (0, 0, "")
        reference = hashlib.sha256(client_ref.encode()).digest()[0]
        total = cut.count
        message_id = ""
        for seq, segment in enumerate(cut.segments, start=1):
            data = encode(segment, cut.encoding)
            esm_class = 0
            if total > 1:
                data = bytes((5, 0, 3, reference, total, seq)) + data
                esm_class = _UDHI
            message_id = self._submit(
                source_addr_ton=src_ton, source_addr_npi=src_npi, source_addr=src,
                dest_addr_ton=dest_ton, dest_addr_npi=dest_npi, destination_addr=dest,
                esm_class=esm_class, data_coding=0 if cut.encoding == GSM7 else 8,
                registered_delivery=1 if seq == total else 0, short_message=data, to=to)
        return Sent(provider_id=message_id, parts=total)

    def _submit(self, to: str, **fields: Any) -> str:
        import smpplib.exceptions
        import smpplib.smpp

        client = self._connected()
        try:
            pdu = smpplib.smpp.make_pdu("submit_sm", client=client, **fields)
            client.send_pdu(pdu)
            while True:
                answer = self._read(client)
                if answer is None:
                    continue
                if answer.command == "submit_sm_resp" and answer.sequence == pdu.sequence:
                    break
        except (smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError,
                OSError) as exc:
            self._drop()
            raise TemporaryFailure(f"the connection to the SMSC at {self.host}:{self.port} "
                                   f"broke while sending ({exc or 'closed'})") from exc
        status = int(answer.status)
        if status != ESME_ROK:
            raise _classify(status, to)
        message_id = answer.message_id
        return message_id.decode() if isinstance(message_id, bytes) else str(message_id)

    def _read(self, client: Any) -> Any:
        """One PDU from the SMSC; receipts and enquire_links answered here (None then)."""
        import smpplib.smpp

        pdu = client.read_pdu()
        if pdu.command == "deliver_sm":
            self._take_receipt(pdu)
            answer = smpplib.smpp.make_pdu("deliver_sm_resp", client=client)
            answer.sequence = pdu.sequence
            client.send_pdu(answer)
            return None
        if pdu.command == "enquire_link":
            answer = smpplib.smpp.make_pdu("enquire_link_resp", client=client)
            answer.sequence = pdu.sequence
            client.send_pdu(answer)
            return None
        return pdu

    # -- receipts -----------------------------------------------------------------------
    def _take_receipt(self, pdu: Any) -> None:
        if not int(getattr(pdu, "esm_class", 0) or 0) & _RECEIPT_FLAG:
            return  # a customer's reply: not ours to read
        # an unreadable one is acknowledged all the same: the SMSC would resend it for ever
        with contextlib.suppress(ReceiptUnreadable):
            self._receipts.append(receipt_from_deliver_sm(pdu))

    def receipts(self, wait: float = 0.0) -> list[DeliveryReceipt]:
        """The receipts the SMSC sent since the last call, reading for up to ``wait``
        seconds more (a sender calls it between batches)."""
        import smpplib.exceptions

        client = self._client
        if client is not None:
            try:
                timeout = wait
                while select.select([client._socket], [], [], timeout)[0]:
                    self._read(client)
                    timeout = 0.05
            except (smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError, OSError):
                self._drop()
        found, self._receipts = self._receipts, []
        return found


def receipt_from_deliver_sm(pdu: Any) -> DeliveryReceipt:
    """A receipt from a ``deliver_sm``: the TLVs (``receipted_message_id``,
    ``message_state``) when the SMSC sends them, else the receipt text."""
    raw = pdu.short_message or b""
    text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    fields = parse_smpp_receipt_text(text)
    provider_id = getattr(pdu, "receipted_message_id", None) or fields.get("id")
    if isinstance(provider_id, bytes):
        provider_id = provider_id.decode()
    if not provider_id:
        raise ReceiptUnreadable("a deliver_sm receipt without a message id")
    state = int(getattr(pdu, "message_state", 0) or 0)
    state_word = _MESSAGE_STATES.get(state) or fields.get("stat", "")
    error = fields.get("err", "")
    return DeliveryReceipt(provider_id=str(provider_id), state=receipt_state(state_word),
                           error="" if error in ("", "000") else f"err:{error}",
                           done_at=smpp_done_date(fields.get("done date", "")))


def _classify(status: int, to: str) -> DeliveryError:
    if status in _UNREACHABLE:
        return UnreachableRecipient(f"the SMSC cannot reach {to}: {_UNREACHABLE[status]} "
                                    f"(status 0x{status:08X})")
    if status in _TEMPORARY:
        return TemporaryFailure(f"the SMSC did not take the message now: {_TEMPORARY[status]} "
                                f"(status 0x{status:08X})")
    return PermanentFailure(f"the SMSC refused the message (status 0x{status:08X})")
