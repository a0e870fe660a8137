"""Where the desktop app finds its style sheets, icons and translations.

They live at the top of the repository (``ui/``, ``resources/``) beside the package, as
in MusicBrainz Picard, so designers can edit them without touching Python. The app runs
from the checkout (``pip install -e .``); an installer copies both folders next to the
package and sets ``EBS_RESOURCES_ROOT`` if it puts them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    override = os.environ.get("EBS_RESOURCES_ROOT")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2]


def styles_dir() -> Path:
    return project_root() / "ui" / "styles"


def icons_dir() -> Path:
    return project_root() / "resources" / "icons"


def translations_dir() -> Path:
    return project_root() / "resources" / "translations"
