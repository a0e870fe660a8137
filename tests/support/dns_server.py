"""A minimal DNS server on the loopback for the e-mail domain check's tests.

It answers from a small zone given as ``{name: {"MX": [...], "A": [...]}}`` (a name
absent from the zone is NXDOMAIN; a name present without the type asked for is an empty
answer), over UDP on 127.0.0.1, on a thread; ``resolver()`` is a dnspython resolver that
asks it and nothing else.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset

Zone = dict[str, dict[str, list[str]]]


class DnsServer:
    def __init__(self, zone: Zone) -> None:
        self.zone = {name.rstrip(".").lower() + ".": records for name, records in zone.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.questions: list[tuple[str, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text().lower()
        kind = dns.rdatatype.to_text(question.rdtype)
        self.questions.append((name, kind))
        records = self.zone.get(name)
        if records is None:
            reply.set_rcode(dns.rcode.NXDOMAIN)
            return reply
        values = records.get(kind, [])
        if values:
            reply.answer.append(dns.rrset.from_text_list(
                question.name, 300, dns.rdataclass.IN, question.rdtype, values))
        return reply

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self._answer(dns.message.from_wire(data))
            self.sock.sendto(reply.to_wire(), peer)

    def resolver(self) -> dns.resolver.Resolver:
        found = dns.resolver.Resolver(configure=False)
        found.nameservers = ["127.0.0.1"]
        found.port = self.port
        found.timeout = found.lifetime = 3
        return found

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@contextmanager
def dns_server(zone: Zone) -> Iterator[DnsServer]:
    server = DnsServer(zone)
    server.start()
    try:
        yield server
    finally:
        server.stop()
