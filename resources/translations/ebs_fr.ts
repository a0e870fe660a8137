<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="27" />
        <source>Find account</source>
        <translation>Rechercher un compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="29" />
        <source>New payment</source>
        <translation>Nouveau paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="31" />
        <source>Print or reprint receipt</source>
        <translation>Imprimer ou réimprimer le reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="33" />
        <source>Open shift</source>
        <translation>Ouvrir la caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="35" />
        <source>Reverse payment</source>
        <translation>Annuler un paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="37" />
        <source>Close shift</source>
        <translation>Fermer la caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="40" />
        <source>Search customers</source>
        <translation>Rechercher des clients</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="42" />
        <source>New account</source>
        <translation>Nouveau compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="45" />
        <source>Choose route</source>
        <translation>Choisir la tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="48" />
        <source>Dry run</source>
        <translation>Simulation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="51" />
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="53" />
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="55" />
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>AdministrationPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="16" />
        <source>Users and roles</source>
        <translation>Utilisateurs et rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="16" />
        <source>Counters and printers</source>
        <translation>Guichets et imprimantes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="17" />
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="17" />
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="17" />
        <source>Audit log</source>
        <translation>Journal d’audit</translation>
    </message>
</context>
<context>
    <name>BillingPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="31" />
        <source>Tariffs</source>
        <translation>Tarifs</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="35" />
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="39" />
        <source>Cycle</source>
        <translation>Cycle</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="42" />
        <source>Dry run</source>
        <translation>Simulation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="45" />
        <source>Approve</source>
        <translation>Approuver</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="50" />
        <source>Exceptions</source>
        <translation>Anomalies</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="52" />
        <source>Billing run</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="55" />
        <source>Bills</source>
        <translation>Factures</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="28" />
        <source>No shift open</source>
        <translation>Aucune caisse ouverte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="32" />
        <source>Open shift (F5)</source>
        <translation>Ouvrir la caisse (F5)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="33" />
        <source>Close shift (F9)</source>
        <translation>Fermer la caisse (F9)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="38" />
        <source>Account number or scan the bill  (F2)</source>
        <translation>Numéro de compte ou scanner la facture  (F2)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="41" />
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="42" />
        <source>No account selected</source>
        <translation>Aucun compte sélectionné</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="44" />
        <source>Payments this shift</source>
        <translation>Paiements de cette caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="47" />
        <source>Payment</source>
        <translation>Paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="51" />
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="52" />
        <source>Tender</source>
        <translation>Mode de paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="53" />
        <source>Tendered</source>
        <translation>Remis</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="54" />
        <source>Change</source>
        <translation>Monnaie</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="55" />
        <source>Take payment (F3)</source>
        <translation>Encaisser (F3)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="58" />
        <source>Print receipt (F4)</source>
        <translation>Imprimer le reçu (F4)</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="32" />
        <source>Account number, meter serial, name or phone  (Ctrl+F)</source>
        <translation>Numéro de compte, compteur, nom ou téléphone  (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="36" />
        <source>New account</source>
        <translation>Nouveau compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="41" />
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="51" />
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="41" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="41" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="42" />
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="42" />
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="53" />
        <source>Select an account to see its details, meters, ledger and bills.</source>
        <translation>Sélectionnez un compte pour voir ses détails, compteurs, écritures et factures.</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="136" />
        <source>Create the administrator</source>
        <translation>Créer l’administrateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="137" />
        <source>This database has no users yet. The first user is an administrator who can then add the others.</source>
        <translation>Cette base n’a pas encore d’utilisateur. Le premier est un administrateur qui pourra ajouter les autres.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="139" />
        <source>Create and sign in</source>
        <translation>Créer et se connecter</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="140" />
        <source>First start</source>
        <translation>Premier démarrage</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="144" />
        <source>e.g. Amina Diallo</source>
        <translation>p. ex. Amina Diallo</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="149" />
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="150" />
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="151" />
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="152" />
        <source>Repeat password</source>
        <translation>Répéter le mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="157" />
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="98" />
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="99" />
        <source>Sign in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="98" />
        <source>EBS Desktop: electricity billing</source>
        <translation>EBS Desktop : facturation d’électricité</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="100" />
        <source>Sign in to EBS Desktop</source>
        <translation>Connexion à EBS Desktop</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="104" />
        <source>user name</source>
        <translation>nom d’utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="108" />
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="109" />
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="115" />
        <source>Enter your user name.</source>
        <translation>Saisissez votre nom d’utilisateur.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="123" />
        <source>Wrong user name or password.</source>
        <translation>Nom d’utilisateur ou mot de passe incorrect.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="51" />
        <location filename="../../ebs_desktop/gui/main_window.py" line="99" />
        <source>EBS Desktop</source>
        <translation>EBS Desktop</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="80" />
        <source>Your roles do not give access to any screen. Ask an administrator to assign a role.</source>
        <translation>Vos rôles ne donnent accès à aucun écran. Demandez un rôle à un administrateur.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="102" />
        <source>Electricity billing and service</source>
        <translation>Facturation et service client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="109" />
        <source>Sign out {0}</source>
        <translation>Déconnecter {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="117" />
        <source>User: {0} ({1})</source>
        <translation>Utilisateur : {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="119" />
        <source>Counter: none</source>
        <translation>Guichet : aucun</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="120" />
        <source>Shift: closed</source>
        <translation>Caisse : fermée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="121" />
        <location filename="../../ebs_desktop/gui/main_window.py" line="134" />
        <source>Database: {0}</source>
        <translation>Base : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="130" />
        <source>Counter: {0}</source>
        <translation>Guichet : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="132" />
        <source>Shift: {0}</source>
        <translation>Caisse : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="168" />
        <source>{0}: not available yet</source>
        <translation>{0} : pas encore disponible</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="35" />
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="36" />
        <source>Find an account, see its meters, ledger and bills</source>
        <translation>Trouver un compte, voir ses compteurs, écritures et factures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="38" />
        <source>Search as you type by account, meter, name or phone</source>
        <translation>Recherche instantanée par compte, compteur, nom ou téléphone</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="39" />
        <source>Account details, meters, ledger with running balance</source>
        <translation>Détails du compte, compteurs, écritures avec solde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="40" />
        <source>Bills with their lines, payments, consumption chart</source>
        <translation>Factures détaillées, paiements, courbe de consommation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="41" />
        <source>Create and edit accounts; notes</source>
        <translation>Créer et modifier des comptes ; notes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="42" />
        <source>Reading entry</source>
        <translation>Saisie des relevés</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="43" />
        <source>Key meter readings route by route</source>
        <translation>Saisir les relevés tournée par tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="45" />
        <source>Readings in walk order with previous and expected</source>
        <translation>Relevés dans l’ordre de tournée avec précédent et attendu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="46" />
        <source>Inline warnings to confirm or re-enter</source>
        <translation>Alertes à confirmer ou corriger sur place</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="47" />
        <source>Handheld download and upload with progress</source>
        <translation>Échange avec le terminal portable, avec progression</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="48" />
        <source>Direct meter readout (optical probe, P1)</source>
        <translation>Lecture directe du compteur (tête optique, P1)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="49" />
        <source>Billing</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="50" />
        <source>Tariffs, billing runs and bills</source>
        <translation>Tarifs, facturations et factures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="52" />
        <source>Tariff versions and a bill calculator</source>
        <translation>Versions de tarifs et calculateur de facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="53" />
        <source>Billing run: dry run, exceptions, approve</source>
        <translation>Facturation : simulation, anomalies, approbation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="54" />
        <source>Bill view with explanations; cancel and rebill</source>
        <translation>Facture expliquée ; annulation et refacturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="55" />
        <source>Cash counter</source>
        <translation>Caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="56" />
        <source>Shifts, payments and receipts</source>
        <translation>Sessions, paiements et reçus</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="58" />
        <source>Open a shift; find the account or scan the bill</source>
        <translation>Ouvrir la caisse ; trouver le compte ou scanner la facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="59" />
        <source>Payment with tenders and change; print the receipt</source>
        <translation>Paiement, rendu de monnaie, impression du reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="60" />
        <source>Reprint; reversal with a supervisor</source>
        <translation>Réimpression ; annulation avec un superviseur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="61" />
        <source>Close the shift with a blind count and Z-report</source>
        <translation>Clôture avec comptage à l’aveugle et rapport Z</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="62" />
        <source>Reports</source>
        <translation>Rapports</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="63" />
        <source>Choose, preview, print or save a report</source>
        <translation>Choisir, prévisualiser, imprimer ou enregistrer un rapport</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="65" />
        <source>Report parameters and preview</source>
        <translation>Paramètres et aperçu du rapport</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="66" />
        <source>Print, save as PDF or CSV</source>
        <translation>Imprimer, enregistrer en PDF ou CSV</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="67" />
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="68" />
        <source>Users, counters, printers, database and audit log</source>
        <translation>Utilisateurs, guichets, imprimantes, base et audit</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="70" />
        <source>Users and roles</source>
        <translation>Utilisateurs et rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="71" />
        <source>Counters and receipt printers, with a test print</source>
        <translation>Guichets et imprimantes de reçus, avec impression de test</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="72" />
        <source>Database connection and utility settings</source>
        <translation>Connexion à la base et paramètres du distributeur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="73" />
        <source>Audit log viewer with verification</source>
        <translation>Journal d’audit avec vérification</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="145" />
        <source>Layout ready; actions are being connected to {0}.</source>
        <translation>Écran prêt ; ses actions sont en cours de raccordement à {0}.</translation>
    </message>
</context>
<context>
    <name>ReadingsPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="29" />
        <source>Route</source>
        <translation>Tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="34" />
        <source>Read meter</source>
        <translation>Lire le compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="38" />
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="38" />
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="38" />
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="39" />
        <source>Previous</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="40" />
        <source>Expected</source>
        <translation>Attendu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="41" />
        <source>Reading</source>
        <translation>Relevé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="41" />
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="48" />
        <source>Handheld</source>
        <translation>Terminal portable</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="50" />
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="51" />
        <source>Download route</source>
        <translation>Charger la tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="52" />
        <source>Upload readings</source>
        <translation>Envoyer les relevés</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="29" />
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="35" />
        <source>Print</source>
        <translation>Imprimer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="36" />
        <source>Save as PDF</source>
        <translation>Enregistrer en PDF</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="37" />
        <source>Save as CSV</source>
        <translation>Enregistrer en CSV</translation>
    </message>
</context>
<context>
    <name>ServicePlaceholder</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="55" />
        <source>{0} is not available yet</source>
        <translation>{0} n’est pas encore disponible</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="61" />
        <source>This screen needs a service that is not part of this build yet. It will appear here as soon as the service is installed; nothing is lost in the meantime.</source>
        <translation>Cet écran a besoin d’un service qui ne fait pas encore partie de cette version. Il apparaîtra ici dès que le service sera installé ; rien n’est perdu entre-temps.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="72" />
        <source>What this screen will do</source>
        <translation>Ce que fera cet écran</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="152" />
        <source>Cannot do that</source>
        <translation>Action impossible</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="157" />
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="158" />
        <source>Something went wrong that the program did not expect:
{0}</source>
        <translation>Une erreur que le programme n’attendait pas s’est produite :
{0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="240" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="241" />
        <source>Working</source>
        <translation>Traitement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="254" />
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
</context>
<context>
    <name>_CardDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="81" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
</TS>