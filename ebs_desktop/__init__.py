"""EBS Desktop: office application for electric utilities.

Layers, in one direction: ``gui`` -> ``services`` -> ``domain`` and ``persistence``;
``devices`` and ``reports`` are used by services. Only ``ebs_desktop.gui`` imports Qt.
"""

__version__ = "0.1.0"
