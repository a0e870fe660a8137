"""The demo utility: a realistic, deterministic utility for trying and testing the product.

``build_demo`` writes reference data (settings, users, tariffs, cycles, routes, counters),
then customers with premises and meters in bulk, then months of readings, and bills every
month before ``until`` through the real billing run, paying most of them.
"""

from ebs_desktop.services.demo.build import DEMO_USERS, DemoResult, build_demo

__all__ = ["DEMO_USERS", "DemoResult", "build_demo"]
