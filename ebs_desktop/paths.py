"""Where the program finds its data folders: ``ui/``, ``resources/`` and ``db/``.

They live at the top of the repository beside the package, as in MusicBrainz Picard, so
designers can edit them without touching Python. The program runs from the checkout
(``pip install -e .``); an installer copies the folders next to the package and sets
``EBS_RESOURCES_ROOT`` if it puts them elsewhere. Every layer asks here, so that one
override moves them all.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    override = os.environ.get("EBS_RESOURCES_ROOT")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    return project_root() / "resources"


def logo_path() -> Path | None:
    """The utility's logo for bills and receipts (``resources/logo.png``), if installed."""
    path = resources_dir() / "logo.png"
    return path if path.exists() else None


def migrations_dir() -> Path:
    return project_root() / "db"


def styles_dir() -> Path:
    return project_root() / "ui" / "styles"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def translations_dir() -> Path:
    return resources_dir() / "translations"
