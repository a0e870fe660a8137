"""Direct meter readout: DSMR P1 telegrams and IEC 62056-21 optical port (mode C).

Parsers (``dsmr``, ``iec62056_21``) are pure: bytes in, a record or a located
:class:`~ebs_desktop.errors.ValidationError` out. The ``*_port`` modules are the thin serial
shells. Both protocols end in the same :class:`~.readout.MeterReadout`.
"""
