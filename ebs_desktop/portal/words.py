"""The portal in the customer's language: words, money, dates and quantities.

The language is the customer's preference (the language of their messages, chosen on the
profile page or at the counter), else the utility's locale
(:func:`ebs_desktop.services.customer_profile.portal_locale`). Money, dates and numbers go
through Babel (:mod:`ebs_desktop.domain.formatting`), so a French customer reads
``1 234,50 $US`` and ``31 mars 2026`` where an English one reads ``$1,234.50`` and
``Mar 31, 2026``.

Words: the English text is the key; :data:`FRENCH` holds its French. A text without a
translation shows in English (a test lists the templates' texts that lack one). Templates
call ``t("Bills")``, or ``t("Bill {number}", number=b.bill_number)`` with fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from ebs_desktop.domain.formatting import format_date, format_decimal, format_money
from ebs_desktop.domain.money import Money
from ebs_desktop.services.facade.customer import CustomerServices

FRENCH: dict[str, str] = {
    # the menu (base.html)
    "Home": "Accueil", "Bills": "Factures", "Payments": "Paiements", "Usage": "Consommation",
    "Help": "Aide", "Profile": "Profil", "Log out": "Se déconnecter",
    "Skip to content": "Aller au contenu", "Main": "Principal",
    # home
    "Your accounts": "Vos comptes", "Account {number}": "Compte {number}",
    "You owe": "Vous devez", "In credit": "Crédit en votre faveur", "Balance": "Solde",
    "Nothing to pay": "Rien à payer", "Open bills": "Factures ouvertes",
    "Latest bill": "Dernière facture", "Latest payment": "Dernier paiement",
    "None yet": "Aucun pour l'instant", "due {date}": "à payer le {date}",
    "See the bills": "Voir les factures", "See the payments": "Voir les paiements",
    "No account is linked to this login yet.": "Aucun compte n'est encore lié à cet accès.",
    "Receipt {number}": "Reçu {number}",
    # bills
    "Bill": "Facture", "Period": "Période", "Issued": "Émise le", "Due": "Échéance",
    "Amount": "Montant", "Paid": "Payé", "To pay": "Reste à payer", "Status": "État",
    "paid": "payée", "partly paid": "payée en partie", "overdue": "en retard",
    "open": "à payer", "cancelled": "annulée", "replaced": "remplacée",
    "Download all bills (CSV)": "Télécharger toutes les factures (CSV)",
    "Download meter readings (CSV)": "Télécharger les relevés du compteur (CSV)",
    "No bills yet.": "Aucune facture pour l'instant.",
    "Bill {number}": "Facture {number}", "Download PDF": "Télécharger le PDF",
    "Account": "Compte", "Billing period": "Période facturée",
    "{start} to {end}": "du {start} au {end}", "Consumption": "Consommation",
    "estimated": "estimée", "Total": "Total", "After the due date": "Après l'échéance",
    "What you are charged for": "Le détail de votre facture", "Charge": "Poste",
    "Quantity": "Quantité", "Rate": "Tarif",
    "This bill was cancelled by credit note {number}.":
        "Cette facture a été annulée par l'avoir {number}.",
    "This bill was replaced by bill {number}.":
        "Cette facture a été remplacée par la facture {number}.",
    "Back to the bills": "Retour aux factures",
    "Pay by {date} to avoid the late amount of {amount}.":
        "Payez avant le {date} pour éviter le montant majoré de {amount}.",
    # payments
    "Date": "Date", "Channel": "Moyen", "Receipt": "Reçu", "reversed": "annulé",
    "No payments yet.": "Aucun paiement pour l'instant.",
    "Payment received": "Paiement reçu", "Bills paid": "Factures payées",
    "This payment was reversed.": "Ce paiement a été annulé.",
    "Back to the payments": "Retour aux paiements",
    "Not applied to a bill yet (kept as credit on the account).":
        "Pas encore affecté à une facture (crédit sur le compte).",
    "Print this receipt": "Imprimer ce reçu",
    # profile
    "Contact details": "Coordonnées", "E-mail": "Courriel", "Phone": "Téléphone",
    "Bills on paper": "Factures papier",
    "Paperless: send my bills by e-mail or SMS, not by post":
        "Sans papier : envoyez mes factures par courriel ou SMS, pas par la poste",
    "How we tell you": "Comment nous vous prévenons",
    "e-mail": "courriel", "SMS": "SMS", "e-mail and SMS": "courriel et SMS", "none": "aucun",
    "required by law: it cannot be turned off": "obligatoire : ne peut pas être désactivé",
    "Quiet hours for SMS": "Heures calmes pour les SMS",
    "From": "De", "To": "À",
    "We never send SMS between {start} and {end}. You can add quiet hours of your own "
    "(HH:MM); leave both empty for none.":
        "Nous n'envoyons jamais de SMS entre {start} et {end}. Vous pouvez ajouter vos "
        "propres heures calmes (HH:MM) ; laissez les deux vides pour aucune.",
    "Language": "Langue", "The utility's": "Celle du distributeur",
    "Save": "Enregistrer", "Saved.": "Enregistré.",
    "Please correct the field marked below.": "Veuillez corriger le champ indiqué ci-dessous.",
    "unreachable": "injoignable", "Used for bills and notices.":
        "Utilisé pour les factures et les avis.",
    "In E.164 or as you dial it locally.": "Au format international ou local.",
    "Your name and address are changed at our office or through a help request.":
        "Votre nom et votre adresse se changent à nos guichets ou par une demande d'aide.",
    "Which account": "Quel compte", "Show": "Afficher",
    "bill_issued": "Nouvelle facture", "payment_posted": "Paiement reçu",
    "payment_reversed": "Paiement annulé", "reminder": "Rappel avant l'échéance",
    "overdue_notice": "Avis de retard", "final_notice": "Dernier avis",
    "disconnection_notice": "Avis de coupure", "reconnection": "Remise en service",
    "account_problem": "Problème sur le compte",
    "support_reply": "Réponse à une demande d'aide",
}

KIND_WORDS = {
    "bill_issued": "New bill", "payment_posted": "Payment received",
    "payment_reversed": "Payment reversed", "reminder": "Reminder before the due date",
    "overdue_notice": "Overdue notice", "final_notice": "Final notice",
    "disconnection_notice": "Disconnection notice", "reconnection": "Reconnection",
    "account_problem": "A problem with the account",
    "support_reply": "A reply to a help request",
}


# What a bill line's code means (the "explained lines"): code prefix -> (English, French).
LINE_HELP: tuple[tuple[str, str, str], ...] = (
    ("ENERGY-PEAK", "Electricity used in the peak hours, the dearest hours of your tariff.",
     "L'électricité consommée aux heures de pointe, les plus chères de votre tarif."),
    ("ENERGY-SHOULDER", "Electricity used in the shoulder hours, between peak and off-peak.",
     "L'électricité consommée aux heures intermédiaires."),
    ("ENERGY-OFFPEAK", "Electricity used in the off-peak hours, the cheapest of your tariff.",
     "L'électricité consommée aux heures creuses, les moins chères de votre tarif."),
    ("ENERGY", "Electricity you used, by block: each block of kWh has its own price.",
     "L'électricité consommée, par tranche : chaque tranche de kWh a son prix."),
    ("FIXED", "The monthly charge for your connection, whatever you use.",
     "L'abonnement mensuel de votre raccordement, quelle que soit la consommation."),
    ("DEMAND", "Your highest demand in the period, priced per kW.",
     "Votre puissance maximale de la période, facturée par kW."),
    ("DUTY", "A duty the law sets on each kWh, collected for the state.",
     "Une taxe légale sur chaque kWh, perçue pour l'État."),
    ("VAT", "Sales tax on the charges above, at the rate the law sets.",
     "La taxe sur les postes ci-dessus, au taux fixé par la loi."),
    ("LATE", "A surcharge on an earlier bill paid after its due date.",
     "Une majoration sur une facture précédente payée après l'échéance."),
    ("REBATE", "A rebate for paying the earlier bill on time.",
     "Une remise pour le paiement à temps de la facture précédente."),
)


def line_help(code: str, lang: str = "en") -> str:
    """A sentence on what a bill line is for, "" for a code without one."""
    for prefix, english, french in LINE_HELP:
        if code.upper().startswith(prefix):
            return french if lang == "fr" else english
    return ""

CHANNEL_WORDS = {"counter": ("At the counter", "Au guichet"),
                 "bank": ("Bank transfer", "Virement bancaire")}


@dataclass(frozen=True)
class Words:
    """One request's language: ``t`` for words, the rest through Babel."""

    locale: str  # Babel's name: "en_US", "fr", "fr_CA"

    @property
    def lang(self) -> str:
        return self.locale[:2]

    def t(self, text: str, **fields: object) -> str:
        found = FRENCH.get(text, text) if self.lang == "fr" else text
        return found.format(**fields) if fields else found

    def kind(self, kind: str) -> str:
        """A kind of notification in words."""
        return FRENCH[kind] if self.lang == "fr" else KIND_WORDS.get(kind, kind)

    def channel(self, channel: str) -> str:
        """How a payment came in, in words."""
        english, french = CHANNEL_WORDS.get(channel, (channel, channel))
        return french if self.lang == "fr" else english

    def money(self, amount: Money) -> str:
        return format_money(amount, self.locale)

    def day(self, value: date) -> str:
        return format_date(value, self.locale)

    def period(self, period: str) -> str:
        """A billing period ``2026-05`` as "May 2026" / "mai 2026" (as it is when unusual)."""
        try:
            year, month = (int(x) for x in period.split("-"))
            return format_date(date(year, month, 1), self.locale, "LLLL y")
        except ValueError:
            return period

    def kwh(self, value: Decimal) -> str:
        return f"{format_decimal(value, self.locale)} kWh"

    def number(self, value: Decimal) -> str:
        return format_decimal(value, self.locale)

    def context(self) -> dict[str, Any]:
        """What a template needs to speak this language."""
        return {"lang": self.lang, "t": self.t, "w": self}


async def words_for(request: Request, me: CustomerServices) -> Words:
    """The signed-in customer's language (one read, per request)."""
    from ebs_desktop.portal.web import run

    return Words(await run(me.portal_locale))
