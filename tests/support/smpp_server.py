"""A minimal SMPP 3.4 SMSC for tests: a real TCP server in a thread.

It takes ``bind_transceiver`` (checking system id and password), ``submit_sm`` (keeping
every PDU's fields; multipart texts put together again from their UDH), answers
``enquire_link`` and ``unbind``, and sends a ``deliver_sm`` delivery receipt for every
``submit_sm`` that asks for one. Per destination it can refuse with an error status
(``ESME_RINVDSTADR``...) or report a receipt state other than ``DELIVRD``.
Written from the SMPP 3.4 specification (section 4 PDUs, appendix B receipts); it shares
no code with smpplib, which the product's adapter uses.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

BIND_TRANSCEIVER = 0x00000009
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
ENQUIRE_LINK = 0x00000015
RESP = 0x80000000
GENERIC_NACK = 0x80000000

ESME_RINVPASWD = 0x0E
ESME_RINVDSTADR = 0x0B
ESME_RTHROTTLED = 0x58


@dataclass
class Submitted:
    source_addr: str
    dest_ton: int
    destination_addr: str
    esm_class: int
    registered_delivery: int
    data_coding: int
    short_message: bytes
    message_id: str

    @property
    def udh(self) -> bytes:
        return self.short_message[:6] if self.esm_class & 0x40 else b""

    @property
    def payload(self) -> bytes:
        return self.short_message[6:] if self.esm_class & 0x40 else self.short_message


@dataclass
class SmppServer:
    system_id: str = "ebs"
    password: str = "secret"
    refuse: dict[str, int] = field(default_factory=dict)  # destination digits -> status
    receipt_stat: dict[str, str] = field(default_factory=dict)  # digits -> stat word
    submitted: list[Submitted] = field(default_factory=list)
    receipts_sent: list[str] = field(default_factory=list)
    binds: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> SmppServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads[:1]:
            thread.join(timeout=2)
        self._listener.close()
        for conn in list(self._connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            self._connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    # -- what the tests read --------------------------------------------------------------
    def texts(self) -> list[tuple[str, str]]:
        """(destination, text) of every message, multipart ones put together."""
        out: list[tuple[str, str]] = []
        parts: dict[tuple[str, int], dict[int, Submitted]] = {}
        for sub in self.submitted:
            if not sub.udh:
                out.append((sub.destination_addr, _decode(sub.payload, sub.data_coding)))
                continue
            _, _, _, ref, total, seq = sub.udh
            got = parts.setdefault((sub.destination_addr, ref), {})
            got[seq] = sub
            if len(got) == total:
                text = "".join(_decode(got[i].payload, got[i].data_coding)
                               for i in range(1, total + 1))
                out.append((sub.destination_addr, text))
        return out

    # -- the protocol ---------------------------------------------------------------------
    def _serve(self, conn: socket.socket) -> None:
        sequence = 0x7000_0000
        try:
            while not self._stop.is_set():
                head = _recv(conn, 16)
                if head is None:
                    return
                length, command, _status, seq = struct.unpack(">IIII", head)
                body = _recv(conn, length - 16) if length > 16 else b""
                if body is None:
                    return
                if command == BIND_TRANSCEIVER:
                    system_id, rest = _cstr(body)
                    password, _ = _cstr(rest)
                    ok = system_id == self.system_id and password == self.password
                    if ok:
                        with self._lock:
                            self.binds += 1
                    _send(conn, command | RESP, 0 if ok else ESME_RINVPASWD, seq,
                          b"smsc\0")
                elif command == SUBMIT_SM:
                    sub = self._submit(body)
                    status = self.refuse.get(sub.destination_addr, 0)
                    if status:
                        _send(conn, SUBMIT_SM | RESP, status, seq, b"")
                        continue
                    with self._lock:
                        sub.message_id = f"m{len(self.submitted) + 1}"
                        self.submitted.append(sub)
                    _send(conn, SUBMIT_SM | RESP, 0, seq, sub.message_id.encode() + b"\0")
                    if sub.registered_delivery & 1:
                        sequence += 1
                        self._send_receipt(conn, sub, sequence)
                elif command == ENQUIRE_LINK:
                    _send(conn, ENQUIRE_LINK | RESP, 0, seq, b"")
                elif command == UNBIND:
                    _send(conn, UNBIND | RESP, 0, seq, b"")
                    return
                elif command & RESP:
                    continue  # deliver_sm_resp, enquire_link_resp
                else:
                    _send(conn, GENERIC_NACK, 0x03, seq, b"")
        except OSError:
            return
        finally:
            conn.close()

    def _submit(self, body: bytes) -> Submitted:
        _service, rest = _cstr(body)
        rest = rest[2:]  # source ton, npi
        source, rest = _cstr(rest)
        dest_ton = rest[0]
        rest = rest[2:]
        dest, rest = _cstr(rest)
        esm_class, _pid, _prio = rest[0], rest[1], rest[2]
        rest = rest[3:]
        _sched, rest = _cstr(rest)
        _validity, rest = _cstr(rest)
        registered, _replace, coding, _default, sm_length = rest[:5]
        message = rest[5:5 + sm_length]
        return Submitted(source, dest_ton, dest, esm_class, registered, coding, message, "")

    def _send_receipt(self, conn: socket.socket, sub: Submitted, seq: int) -> None:
        stat = self.receipt_stat.get(sub.destination_addr, "DELIVRD")
        err = "000" if stat == "DELIVRD" else "001"
        text = (f"id:{sub.message_id} sub:001 dlvrd:{'001' if stat == 'DELIVRD' else '000'} "
                f"submit date:2612061200 done date:2612061201 stat:{stat} err:{err} text:")
        states = {"DELIVRD": 2, "EXPIRED": 3, "UNDELIV": 5, "REJECTD": 8}
        body = (b"\0" + bytes((1, 1)) + sub.destination_addr.encode() + b"\0"
                + bytes((5, 0)) + sub.source_addr.encode() + b"\0"
                + bytes((0x04, 0, 0)) + b"\0" + b"\0" + bytes((0, 0, 0, 0))
                + bytes((len(text),)) + text.encode())
        rid = sub.message_id.encode() + b"\0"
        body += struct.pack(">HH", 0x001E, len(rid)) + rid
        body += struct.pack(">HHB", 0x0427, 1, states.get(stat, 5))
        _send(conn, DELIVER_SM, 0, seq, body)
        with self._lock:
            self.receipts_sent.append(sub.message_id)


def _decode(data: bytes, coding: int) -> str:
    from ebs_desktop.domain.sms_text import GSM7, UCS2, decode
    return decode(data, UCS2 if coding == 8 else GSM7)


def _cstr(data: bytes) -> tuple[str, bytes]:
    end = data.index(b"\0")
    return data[:end].decode("latin-1"), data[end + 1:]


def _recv(conn: socket.socket, size: int) -> bytes | None:
    chunks = b""
    while len(chunks) < size:
        part = conn.recv(size - len(chunks))
        if not part:
            return None
        chunks += part
    return chunks


def _send(conn: socket.socket, command: int, status: int, seq: int, body: bytes) -> None:
    conn.sendall(struct.pack(">IIII", 16 + len(body), command, status, seq) + body)
