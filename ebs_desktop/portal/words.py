"""The portal in the customer's language: words, money, dates and quantities.

The language is the customer's preference (the language of their messages, chosen on the
profile page or at the counter), else the utility's locale
(:func:`ebs_desktop.services.customer_profile.portal_locale`). Money, dates and numbers go
through Babel (:mod:`ebs_desktop.domain.formatting`), so a French customer reads
``1 234,50 $US`` and ``31 mars 2026`` where an English one reads ``$1,234.50`` and
``Mar 31, 2026``.

Words: the English text is the key; :data:`FRENCH` holds its French. A text without a
translation shows in English (a test lists the templates' texts that lack one). Templates
call ``t("Bills")``, or ``t("Bill {number}", number=b.bill_number)`` with fields. An
English word with two meanings carries its sense before a bar: ``t("meter|Register")`` reads
"Register" in English and "Registre" in French, where ``t("Register")`` (signing up) reads
"S'inscrire".
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
    "Security": "Sécurité", "Save": "Enregistrer", "Saved.": "Enregistré.",
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
    "portal_verify": "Confirmation de l'adresse du compte en ligne",
    "portal_reset": "Nouveau mot de passe du compte en ligne",
    "portal_invite": "Invitation au compte en ligne",
    "high_usage": "Consommation inhabituellement élevée",
    # help and requests (support_*.html, support.py)
    'Help and requests': 'Aide et demandes',
    'Ask us about a bill, a meter, a payment or a move, and follow our answers '
    'here. We also tell you by email or text message when we reply.':
        'Posez-nous vos questions sur une facture, un compteur, un paiement ou un'
        ' déménagement, et suivez nos réponses ici. Nous vous prévenons aussi par'
        ' courriel ou SMS quand nous répondons.',
    'Ask for help': "Demander de l'aide",
    'Your requests': 'Vos demandes',
    'Your requests, latest first': "Vos demandes, les plus récentes d'abord",
    'Request': 'Demande',
    'Topic': 'Sujet',
    'Last activity': 'Dernière activité',
    'You have not asked us anything yet.': 'Vous ne nous avez encore rien demandé.',
    'With us': 'Chez nous',
    'Waiting for your reply': 'En attente de votre réponse',
    'Answered': 'Répondue',
    'Closed': 'Fermée',
    'Billing question': 'Question de facturation',
    'Meter problem': 'Problème de compteur',
    'Payment issue': 'Problème de paiement',
    'Moving in or out': 'Emménagement ou déménagement',
    'Other': 'Autre',
    'New request': 'Nouvelle demande',
    'Back to Help and requests': 'Retour à Aide et demandes',
    'Please check your request': 'Merci de vérifier votre demande',
    'About account {number}': 'Concernant le compte {number}',
    'Choose an account': 'Choisissez un compte',
    'What is it about?': "De quoi s'agit-il ?",
    'Choose a topic': 'Choisissez un sujet',
    'Your message': 'Votre message',
    'Tell us what happened and what you would like us to do (at most {count} characters).':
        "Dites-nous ce qui s'est passé et ce que vous attendez de nous (au plus "
        '{count} caractères).',
    'A photo (optional)': 'Une photo (facultatif)',
    "For example of the meter's display. JPEG, PNG or WebP, at most {mb} MB. We "
    "remove the photo's hidden details (such as where it was taken).":
        "Par exemple de l'affichage du compteur. JPEG, PNG ou WebP, au plus {mb} "
        'Mo. Nous retirons les informations cachées de la photo (comme le lieu de'
        ' la prise de vue).',
    'Send': 'Envoyer',
    'Request {number}': 'Demande {number}',
    'Your message was sent. We will tell you when we reply.':
        'Votre message a été envoyé. Nous vous préviendrons quand nous répondrons.',
    'Opened': 'Ouverte le',
    'Messages': 'Messages',
    'You': 'Vous',
    'Photo sent with this message': 'Photo envoyée avec ce message',
    'Reply': 'Répondre',
    'This request is closed. Writing again reopens it.':
        'Cette demande est fermée. Écrire à nouveau la rouvre.',
    'Your reply was not sent': "Votre réponse n'a pas été envoyée",
    'Your reply': 'Votre réponse',
    'JPEG, PNG or WebP, at most {mb} MB.': 'JPEG, PNG ou WebP, au plus {mb} Mo.',
    'Send reply': 'Envoyer la réponse',
    # usage (usage.html, usage.py)
    'Consumption chart': 'Graphique de consommation',
    'Your consumption': 'Votre consommation',
    'Electricity used per billing period in kWh, {first} to {last}; the dark'
    ' bar beside each period is the same month a year before. The same figures '
    'are in the table below.':
        'Électricité consommée par période de facturation en kWh, de {first} à '
        '{last} ; la barre foncée à côté de chaque période est le même '
        'mois un an plus tôt. Les mêmes chiffres sont dans le tableau ci-dessous.',
    'Consumption as a table': 'Consommation en tableau',
    'kWh': 'kWh',
    'Same month last year': "Même mois l'an dernier",
    'Change': 'Écart',
    'What we notice': 'Ce que nous remarquons',
    'No bills yet: your usage will show here after your first bill.':
        "Pas encore de facture : votre consommation s'affichera ici après votre première facture.",
    'Send a meter reading': 'Envoyer un relevé de compteur',
    "Type the figures on the meter's display, left to right, without the red or "
    'last decimal digit. A reading that looks unusual is checked by our staff '
    'before it is used for a bill.':
        'Saisissez les chiffres affichés par le compteur, de gauche à droite, '
        'sans le dernier chiffre rouge ou décimal. Un relevé inhabituel est '
        "vérifié par nos équipes avant d'être facturé.",
    'Meter': 'Compteur',
    'Reading': 'Relevé',
    'Photo of the meter (optional)': 'Photo du compteur (facultatif)',
    'meter|Register': 'Registre',
    'Total (kWh)': 'Total (kWh)',
    'A time-of-use meter shows each register in turn on its display; send one reading for each.':
        'Un compteur à plusieurs tarifs affiche chaque registre tour à tour ; '
        'envoyez un relevé pour chacun.',
    'JPEG, PNG or WebP, at most 5 MB.': 'JPEG, PNG ou WebP, 5 Mo au plus.',
    'Send reading': 'Envoyer le relevé',
    'Your recent readings': 'Vos derniers relevés',
    'Accepted': 'Accepté',
    'Being checked': 'En vérification',
    'Not used': 'Non retenu',
    'Thank you: your reading was accepted.': 'Merci : votre relevé a été accepté.',
    'Thank you: your reading looks unusual, so our staff will check it before it is used.':
        "Merci : votre relevé semble inhabituel, nos équipes le vérifieront avant de l'utiliser.",
    'We already have this reading for today.': "Nous avons déjà ce relevé pour aujourd'hui.",
    'Your use this period is well above usual: we have sent you a message with what to check.':
        'Votre consommation de cette période est nettement plus élevée que '
        "d'habitude : nous vous avons envoyé un message avec les points à "
        'vérifier.',
    'There is a problem with the reading': 'Le relevé pose un problème',
    'No meter is installed on this account, so it cannot take readings.':
        "Aucun compteur n'est installé sur ce compte : il ne peut pas recevoir de relevé.",
    'This period': 'Cette période',
    # sign-in, registration, security, errors (auth.py and its templates)
    'Menu': 'Menu',
    'Sign in': 'Se connecter',
    'You are signed out.': 'Vous êtes déconnecté.',
    'You are signed out on every device.': 'Vous êtes déconnecté sur tous vos appareils.',
    'Email': 'Courriel',
    'Password': 'Mot de passe',
    'Forgotten your password?': 'Mot de passe oublié ?',
    'New here?': 'Nouveau ici ?',
    'Register': "S'inscrire",
    'Register with your account number and a recent bill':
        'Inscrivez-vous avec votre numéro de compte et une facture récente',
    'Enter your code': 'Saisissez votre code',
    'Open your authenticator app and type the 6-digit code it shows for {name}.':
        "Ouvrez votre application d'authentification et saisissez le code à 6 "
        "chiffres qu'elle affiche pour {name}.",
    'Code': 'Code',
    'Continue': 'Continuer',
    'Start again': 'Recommencer',
    'This invitation has expired or has already been used. You can still register'
    ' with your account number and a recent bill.':
        'Cette invitation a expiré ou a déjà servi. Vous pouvez quand même vous '
        'inscrire avec votre numéro de compte et une facture récente.',
    'You were invited to see account {number} online.':
        'Vous êtes invité à consulter le compte {number} en ligne.',
    'Account number': 'Numéro de compte',
    'As printed at the top of your bill.': "Tel qu'imprimé en haut de votre facture.",
    'Bill number or bill total': "Numéro ou montant total d'une facture",
    'From one of your last three bills, e.g. B2026-0000123 or 84.20.':
        "D'une de vos trois dernières factures, par exemple B2026-0000123 ou 84,20.",
    'At least 8 characters.': 'Au moins 8 caractères.',
    'Password again': 'Mot de passe (confirmation)',
    'Already registered?': 'Déjà inscrit ?',
    'Forgotten password': 'Mot de passe oublié',
    'Type the email you sign in with. We will send it a link to choose a new password.':
        'Saisissez le courriel avec lequel vous vous connectez. Nous y enverrons '
        'un lien pour choisir un nouveau mot de passe.',
    'Send the link': 'Envoyer le lien',
    'Back to sign in': 'Retour à la connexion',
    'Choose a new password': 'Choisissez un nouveau mot de passe',
    'New password': 'Nouveau mot de passe',
    'New password again': 'Nouveau mot de passe (confirmation)',
    'Change the password': 'Changer le mot de passe',
    'Ask for a new link': 'Demander un nouveau lien',
    'Check your email': 'Consultez vos courriels',
    'Link not valid': 'Lien non valable',
    'Email confirmed': 'Courriel confirmé',
    'Password changed': 'Mot de passe changé',
    'Thank you: {email} is confirmed. You can sign in now.':
        'Merci : {email} est confirmé. Vous pouvez maintenant vous connecter.',
    'Your password is changed and every session signed out. Sign in with the new password.':
        'Votre mot de passe est changé et toutes les sessions sont fermées. '
        'Connectez-vous avec le nouveau.',
    'Sign in to get a new one.': 'Connectez-vous pour en recevoir un nouveau.',
    'Ask for a new one.': 'Demandez-en un nouveau.',
    'There is a problem:': 'Il y a un problème :',
    'Add an account': 'Ajouter un compte',
    "See another account you pay for (a rented property, a family member's) with this sign-in.":
        'Consultez avec cet accès un autre compte que vous payez (un logement '
        "loué, celui d'un proche).",
    "From one of the account's last three bills.":
        "D'une des trois dernières factures de ce compte.",
    'Add the account': 'Ajouter le compte',
    'Back to your accounts': 'Retour à vos comptes',
    'Not found': 'Introuvable',
    'Not allowed': 'Non autorisé',
    'Too many attempts': 'Trop de tentatives',
    'Sorry': 'Désolé',
    'Back to the start': "Retour à l'accueil",
    'Sign-in and security': 'Connexion et sécurité',
    'Your password is changed. Every other session was signed out.':
        'Votre mot de passe est changé. Toutes les autres sessions ont été fermées.',
    'Sign-in codes are on.': 'Les codes de connexion sont activés.',
    'Sign-in codes are off.': 'Les codes de connexion sont désactivés.',
    'You sign in as {email}.': 'Vous vous connectez en tant que {email}.',
    'Current password': 'Mot de passe actuel',
    'Sign-in codes (second factor)': 'Codes de connexion (second facteur)',
    'On: after your password we ask for the code of your authenticator app.':
        'Activés : après votre mot de passe, nous demandons le code de votre '
        "application d'authentification.",
    'Turn codes off': 'Désactiver les codes',
    'Scan this code with your authenticator app:':
        "Scannez ce code avec votre application d'authentification :",
    'QR code that adds {name} to an authenticator app':
        "Code QR qui ajoute {name} à une application d'authentification",
    'Or add this key by hand (choose "enter a setup key", time-based):':
        'Ou saisissez cette clé à la main (choisissez « saisir une clé de '
        "configuration », basée sur l'heure) :",
    'Or open this link on the phone that has the app:':
        "Ou ouvrez ce lien sur le téléphone qui a l'application :",
    'add to authenticator': "ajouter à l'application",
    'Code from the app': "Code de l'application",
    'Turn codes on': 'Activer les codes',
    'Off. With codes on, a stolen password is not enough to sign in.':
        'Désactivés. Avec les codes, un mot de passe volé ne suffit pas pour se connecter.',
    'Set up sign-in codes': 'Configurer les codes de connexion',
    'Sessions': 'Sessions',
    'Signed in on one device or browser.': 'Connecté sur un appareil ou navigateur.',
    'Signed in on {count} devices or browsers.': 'Connecté sur {count} appareils ou navigateurs.',
    'Log out everywhere': 'Se déconnecter partout',
}

KIND_WORDS = {
    "bill_issued": "New bill", "payment_posted": "Payment received",
    "payment_reversed": "Payment reversed", "reminder": "Reminder before the due date",
    "overdue_notice": "Overdue notice", "final_notice": "Final notice",
    "disconnection_notice": "Disconnection notice", "reconnection": "Reconnection",
    "account_problem": "A problem with the account",
    "support_reply": "A reply to a help request",
    "portal_verify": "Confirming your online account's address",
    "portal_reset": "A new password for your online account",
    "portal_invite": "An invitation to the online account",
    "high_usage": "Unusually high use",
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
        if "|" in found:  # "meter|Register": one English word, another French one
            found = found.split("|", 1)[1]
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


def translator(locale: str) -> Any:
    """``t(text, **fields)`` for ``locale`` (English where French is missing)."""
    return Words(locale).t


def visitor_words(request: Request) -> Words:
    """The language of a page shown before sign-in (sign-in, registration, password):
    French when the browser asks for French before English (``Accept-Language``), else
    English; nobody is known yet whose choice could say otherwise."""
    best: tuple[float, str] = (0.0, "en")
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip()[:2].lower()
        if lang not in ("en", "fr"):
            continue
        try:
            weight = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        if weight > best[0]:
            best = (weight, lang)
    return Words(best[1])


async def words_for(request: Request, me: CustomerServices) -> Words:
    """The signed-in customer's language (one read, per request)."""
    from ebs_desktop.portal.web import run

    return Words(await run(me.portal_locale))
