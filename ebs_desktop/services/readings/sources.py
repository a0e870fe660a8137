"""Other files a reading can come from: handheld exports and meter readouts.

A handheld export is one JSON object per line, the same reading payload as on the link
(``docs/handheld-protocol.md``); a meter readout is a P1 telegram or an IEC 62056-21 data
readout, whose OBIS registers are matched to the meter's registers through
``meter_registers.obis``.
"""

from __future__ import annotations

import json
from datetime import date

from ebs_desktop.devices.handheld.frames import FrameError
from ebs_desktop.devices.handheld.records import HandheldReading
from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.services.readings.sheet import Parsed
from ebs_desktop.services.readings.state import RegisterState
from ebs_desktop.services.readings.validate import Candidate, LocatedProblem


def handheld_candidate(reading: HandheldReading, line: int,
                       readers: dict[str, int], default_reader: int | None) -> Candidate:
    return Candidate(line, reading.meter_serial, reading.register, reading.read_at.date(),
                     reading.value, reading.reading_code,
                     readers.get(reading.reader, default_reader))


def parse_handheld_export(text: str, file_name: str, readers: dict[str, int],
                          default_reader: int | None) -> Parsed:
    out = Parsed()
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{file_name}:{line}"
        try:
            body = json.loads(raw)
        except ValueError as exc:
            out.problems.append(LocatedProblem(where, "line", raw[:80], f"not JSON: {exc}",
                                               "error"))
            continue
        if not isinstance(body, dict):
            out.problems.append(LocatedProblem(where, "line", raw[:80],
                                               "is not a JSON object", "error"))
            continue
        try:
            reading = HandheldReading.from_payload(body, where)
        except FrameError as exc:
            field = (exc.location or where).removeprefix(where).strip() or "line"
            out.problems.append(LocatedProblem(where, field, raw[:80],
                                               str(exc).split(": ", 1)[-1], "error"))
            continue
        out.candidates.append(handheld_candidate(reading, line, readers, default_reader))
    return out


NO_METER = ("the readout names no meter (no equipment id): read it with 'ebs meter read "
            "--meter SERIAL' or set the port's meter with 'ebs meter port set PORT SERIAL'")


def readout_candidates(readout: MeterReadout, registers: list[RegisterState], file_name: str,
                       today: date, reader_id: int | None) -> Parsed:
    """One candidate per OBIS register the meter is known to have; the rest is ignored."""
    out = Parsed()
    where = f"{file_name}:1"
    if readout.meter_id is None:
        out.problems.append(LocatedProblem(where, "meter_id", "", NO_METER, "error"))
        return out
    if not registers:
        out.problems.append(LocatedProblem(where, "meter_id", readout.meter_id,
                                           "no meter with this serial", "error"))
        return out
    read_on = readout.timestamp.date() if readout.timestamp is not None else today
    by_obis = {r.obis: r for r in registers if r.obis}
    for obis, value in readout.registers.items():
        state = by_obis.get(obis)
        if state is not None:
            out.candidates.append(Candidate(1, state.serial, state.code, read_on, value,
                                            None, reader_id))
    if not out.candidates:
        known = ", ".join(sorted(by_obis)) or "none"
        out.problems.append(LocatedProblem(where, "registers", ", ".join(readout.registers),
                                           f"none matches the meter's OBIS codes ({known})",
                                           "error"))
    return out
