"""Languages: Qt translations for the interface, Babel for money, dates and numbers.

Source strings are English, marked with ``self.tr()`` in widgets and
``QCoreApplication.translate(context, text)`` elsewhere; registries of labels defined at
import time mark theirs with :func:`QT_TRANSLATE_NOOP` and translate when shown.
``pyside6-lupdate`` collects them into ``resources/translations/ebs_<lang>.ts``, a
translator fills them in (Qt Linguist), ``pyside6-lrelease`` compiles the ``.qm`` loaded
here. The language is the ``appearance/language`` setting, else the system locale.
"""

from __future__ import annotations

from ebs_desktop.domain.formatting import normalise_locale
from ebs_desktop.gui.qt import QCoreApplication, QLocale, QTranslator
from ebs_desktop.paths import translations_dir

LANGUAGES = {"en": "English", "fr": "Français"}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` without translating it yet."""
    return text


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def system_language() -> str:
    return QLocale.system().name().split("_")[0]


def install_translator(app: QCoreApplication, language: str | None) -> QTranslator | None:
    """Load ``ebs_<language>.qm`` into the app; English (the source) needs none."""
    lang = (language or system_language()).split("_")[0]
    if lang == "en" or lang not in LANGUAGES:
        return None
    translator = QTranslator(app)
    if not translator.load(str(translations_dir() / f"ebs_{lang}.qm")):
        return None
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(lang))
    return translator


def ui_locale() -> str:
    """The Babel locale for money and dates, following Qt's default locale."""
    return normalise_locale(QLocale().name())
