"""Handheld meter-reading terminal link: frame codec, host side, and a device simulator.

The protocol is specified in ``docs/handheld-protocol.md``; ``frames`` is the pure codec,
``records`` the route and reading payloads, ``link`` the stop-and-wait transport, ``host`` the
office side (download a route, upload readings, resume) and ``simulator`` plays the device.
"""
