"""Stop-and-wait transport of the handheld link, over any :class:`ByteChannel`.

The host sends one request frame and waits for the answer carrying the same sequence number.
No answer within ``timeout``, a NAK, or a damaged answer: the same request is sent again,
up to ``retries`` times, then :class:`DeviceError` (cable pulled, device off). Every request
is idempotent on the device, so a retransmission whose first copy did arrive does no harm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ebs_desktop.devices.handheld.frames import (
    Frame,
    FrameError,
    FrameSplitter,
    decode_frame,
    encode_frame,
)
from ebs_desktop.devices.serial_port import ByteChannel, Deadline, read_chunk, write_all
from ebs_desktop.errors import DeviceError


class FrameStream:
    """Frames in and out of one channel; damaged frames come back as FrameError values."""

    def __init__(self, channel: ByteChannel, port_name: str) -> None:
        self.channel = channel
        self.port_name = port_name
        self._splitter = FrameSplitter()
        self._pending: list[bytes] = []

    def send(self, frame: Frame) -> None:
        write_all(self.channel, self.port_name, encode_frame(frame))

    def receive(self, deadline: Deadline,
                check_cancel: Callable[[], None] | None = None) -> Frame | FrameError | None:
        """The next frame (or why it was refused), or None when the deadline passes."""
        while not self._pending:
            if deadline.expired():
                return None
            if check_cancel is not None:
                check_cancel()
            self._pending.extend(self._splitter.feed(read_chunk(self.channel, self.port_name)))
        wire = self._pending.pop(0)
        try:
            return decode_frame(wire, self.port_name)
        except FrameError as exc:
            return exc


class HostLink:
    """The office end: ``request`` returns the device's answer or raises DeviceError."""

    def __init__(self, channel: ByteChannel, port_name: str, *, timeout: float = 1.0,
                 retries: int = 4, check_cancel: Callable[[], None] | None = None) -> None:
        self.stream = FrameStream(channel, port_name)
        self.timeout = timeout
        self.retries = retries
        self.check_cancel = check_cancel
        self._seq = 0
        self.retransmissions = 0

    def request(self, kind: str, body: dict[str, Any]) -> Frame:
        self._seq = (self._seq + 1) % 256
        frame = Frame.with_json(kind, self._seq, body)
        problem = "no answer"
        for attempt in range(self.retries + 1):
            if attempt:
                self.retransmissions += 1
            self.stream.send(frame)
            deadline = Deadline(self.timeout)
            while True:
                answer = self.stream.receive(deadline, self.check_cancel)
                if answer is None:
                    break  # timed out: send again
                if isinstance(answer, FrameError):
                    problem = str(answer)
                    break
                if answer.seq != self._seq:
                    continue  # a late answer to an earlier try
                if answer.kind == "N":
                    problem = f"device refused the frame: {answer.json().get('reason')}"
                    break
                if answer.kind == "X":
                    reason = answer.json(self.stream.port_name).get("reason", "refused")
                    raise DeviceError(f"handheld on {self.stream.port_name}: {reason}")
                return answer
        raise DeviceError(f"handheld on {self.stream.port_name} did not answer {kind!r} after "
                          f"{self.retries + 1} tries of {self.timeout:g} s ({problem}); "
                          "check the cable and that the device is in link mode")
