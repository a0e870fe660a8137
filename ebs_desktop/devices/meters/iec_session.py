"""Host side of an IEC 62056-21 mode C data readout over a serial port (optical probe).

Sequence: at 300 Bd 7E1 send ``/?[address]!`` CR LF; read ``/XXXZident`` CR LF; wait the
meter's reaction time; send ``ACK 0 Z 0`` CR LF (normal protocol, baud Z, data readout);
switch to baud Z; read ``STX .. ETX BCC``; check it; send the break ``SOH B0 ETX BCC`` and go
back to 300 Bd. Every step has a deadline, so a silent or unplugged meter ends in
:class:`DeviceError` rather than a hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ebs_desktop.devices.meters.iec62056_21 import (
    ACK,
    BAUD_RATES,
    ETX,
    SOH,
    IecReadout,
    block_check,
    find_block_end,
    parse_identification,
    parse_readout,
)
from ebs_desktop.devices.serial_port import (
    ByteChannel,
    Deadline,
    read_until,
    set_baud,
    write_all,
)
from ebs_desktop.errors import DeviceError

SIGN_ON_BAUD = 300
BREAK = bytes([SOH]) + b"B0" + bytes([ETX]) + bytes([block_check(b"B0" + bytes([ETX]))])


def sign_on_message(address: str = "") -> bytes:
    if not address.isascii() or any(ch in address for ch in "/?!\r\n"):
        raise DeviceError(f"meter address {address!r} may not contain / ? ! or line breaks")
    return b"/?" + address.encode("ascii") + b"!\r\n"


def option_select(baud_char: str) -> bytes:
    """``ACK 0 Z 0`` CR LF: normal protocol, switch to baud Z, data readout mode."""
    return bytes([ACK]) + b"0" + baud_char.encode("ascii") + b"0\r\n"


def _line_end(buffer: bytes) -> int | None:
    newline = buffer.find(b"\n")
    return None if newline < 0 else newline + 1


def read_iec_meter(channel: ByteChannel, port_name: str, *, address: str = "",
                   max_baud: int = 19200, timeout: float = 5.0,
                   progress: Callable[[str], None] | None = None,
                   check_cancel: Callable[[], None] | None = None) -> IecReadout:
    """Run one mode C readout on an open 7E1 ``channel``; ``timeout`` bounds each step."""
    say = progress or (lambda _message: None)
    set_baud(channel, port_name, SIGN_ON_BAUD)
    channel.reset_input_buffer()
    request = sign_on_message(address)
    say(f"sign-on at {SIGN_ON_BAUD} Bd")
    write_all(channel, port_name, request)
    line = read_until(channel, port_name, _line_end, Deadline(timeout), "identification line",
                      limit=256, check_cancel=check_cancel)
    if line == request:  # optical heads on some probes echo what they send
        line = read_until(channel, port_name, _line_end, Deadline(timeout),
                          "identification line", limit=256, check_cancel=check_cancel)
    ident = parse_identification(line.lstrip(b"\x00"), f"{port_name} identification")
    baud_char = max((char for char, rate in BAUD_RATES.items()
                     if rate <= min(ident.max_baud, max_baud)), default="0")
    time.sleep(ident.reaction_ms / 1000)
    say(f"meter {ident.manufacturer} {ident.ident}; switching to {BAUD_RATES[baud_char]} Bd")
    write_all(channel, port_name, option_select(baud_char))
    set_baud(channel, port_name, BAUD_RATES[baud_char])
    try:
        block = read_until(channel, port_name, find_block_end, Deadline(timeout * 6),
                           "data block (STX..ETX BCC)", check_cancel=check_cancel)
        write_all(channel, port_name, BREAK)
    finally:
        set_baud(channel, port_name, SIGN_ON_BAUD)
    say(f"received {len(block)} bytes")
    return parse_readout(line + block[block.find(b"\x02"):], port_name)
