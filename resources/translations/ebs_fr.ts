<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AccountForm</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="35"/>
        <source>New account</source>
        <translation>Nouveau compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="35"/>
        <source>Edit customer</source>
        <translation>Modifier le client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="44"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="45"/>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="46"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="47"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="58"/>
        <source>same as the address</source>
        <translation>identique à l’adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="62"/>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="63"/>
        <source>Tariff</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="64"/>
        <source>Route</source>
        <translation>Tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="65"/>
        <source>Premise address</source>
        <translation>Adresse du point de livraison</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="66"/>
        <source>Sanctioned load (kW)</source>
        <translation>Puissance souscrite (kW)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/account_form.py" line="67"/>
        <source>Phases</source>
        <translation>Phases</translation>
    </message>
</context>
<context>
    <name>AccountPanel</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="163"/>
        <source>No account selected</source>
        <translation>Aucun compte sélectionné</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="165"/>
        <source>Search and select an account to see it here.</source>
        <translation>Recherchez et sélectionnez un compte pour l’afficher ici.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="172"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="183"/>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="183"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="184"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="184"/>
        <source>Premise</source>
        <translation>Point de livraison</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="185"/>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="185"/>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="204"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="186"/>
        <source>Tariff</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="186"/>
        <source>Cycle / route</source>
        <translation>Cycle / tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="187"/>
        <source>Sanctioned load</source>
        <translation>Puissance souscrite</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="188"/>
        <source>Meters</source>
        <translation>Compteurs</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="188"/>
        <source>Opened</source>
        <translation>Ouvert le</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="194"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="195"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="195"/>
        <source>Entry</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="196"/>
        <source>Document</source>
        <translation>Pièce</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="196"/>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="212"/>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="197"/>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="200"/>
        <source>Ledger</source>
        <translation>Écritures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="201"/>
        <source>Bill</source>
        <translation>Facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="201"/>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="202"/>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="202"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="203"/>
        <source>Open</source>
        <translation>Reste dû</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="203"/>
        <source>Due</source>
        <translation>Échéance</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="209"/>
        <source>Bills</source>
        <translation>Factures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="210"/>
        <source>Received</source>
        <translation>Reçu le</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="211"/>
        <source>Receipt</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="212"/>
        <source>Tender</source>
        <translation>Mode de paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="213"/>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="214"/>
        <source>Reversed</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="217"/>
        <source>Payments</source>
        <translation>Paiements</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="221"/>
        <source>Consumption</source>
        <translation>Consommation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="229"/>
        <source>A note on this account (a call, a promise to pay, access to the meter)</source>
        <translation>Une note sur ce compte (un appel, une promesse de paiement, l’accès au compteur)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="233"/>
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="237"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="248"/>
        <source>Balance {0}</source>
        <translation>Solde {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="261"/>
        <source>cancelled</source>
        <translation>annulée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="262"/>
        <source>paid</source>
        <translation>payée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="262"/>
        <source>open</source>
        <translation>à régler</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="268"/>
        <source>Consumption, last {0} periods (kWh)</source>
        <translation>Consommation des {0} dernières périodes (kWh)</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="27"/>
        <source>Find account</source>
        <translation>Rechercher un compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="29"/>
        <source>New payment</source>
        <translation>Nouveau paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="31"/>
        <source>Print or reprint receipt</source>
        <translation>Imprimer ou réimprimer le reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="33"/>
        <source>Open shift</source>
        <translation>Ouvrir la caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="35"/>
        <source>Reverse payment</source>
        <translation>Annuler un paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="37"/>
        <source>Close shift</source>
        <translation>Fermer la caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="40"/>
        <source>Search customers</source>
        <translation>Rechercher des clients</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="42"/>
        <source>New account</source>
        <translation>Nouveau compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="45"/>
        <source>Choose route</source>
        <translation>Choisir la tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="48"/>
        <source>Dry run</source>
        <translation>Simulation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="51"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="53"/>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/actions.py" line="55"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>AdministrationPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="58"/>
        <source>Users and roles</source>
        <translation>Utilisateurs et rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="60"/>
        <source>Utility settings</source>
        <translation>Paramètres du distributeur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="61"/>
        <source>This PC&apos;s counter</source>
        <translation>Guichet de ce poste</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="63"/>
        <source>Counters and printers</source>
        <translation>Guichets et imprimantes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="64"/>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="78"/>
        <source>Verify the chain</source>
        <translation>Vérifier la chaîne</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="81"/>
        <source>Verification walks every entry and names the first one that was edited, deleted or reordered.</source>
        <translation>La vérification parcourt toutes les entrées et signale la première qui a été modifiée, supprimée ou déplacée.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="86"/>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="86"/>
        <source>Who</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="87"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="87"/>
        <source>Entity</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="87"/>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="113"/>
        <source>Verifying…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="119"/>
        <source>Chain intact: {0} entries, head hash {1}</source>
        <translation>Chaîne intacte : {0} entrées, dernière empreinte {1}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="122"/>
        <source>Chain BROKEN: {0}</source>
        <translation>Chaîne ROMPUE : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="142"/>
        <source>Save settings</source>
        <translation>Enregistrer les paramètres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="175"/>
        <source>Saved: {0}</source>
        <translation>Enregistré : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="184"/>
        <source>This PC is counter</source>
        <translation>Ce poste est le guichet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="185"/>
        <source>Use this counter</source>
        <translation>Utiliser ce guichet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="188"/>
        <source>Kept on this PC only; the status bar shows it. Receipt numbers follow the counter&apos;s own series.</source>
        <translation>Conservé sur ce poste uniquement ; la barre d’état l’affiche. Les numéros de reçu suivent la série propre au guichet.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="196"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="208"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="217"/>
        <source>In use now</source>
        <translation>En cours d’utilisation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="219"/>
        <source>SQLite file on this PC</source>
        <translation>Fichier SQLite sur ce poste</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="220"/>
        <source>PostgreSQL server</source>
        <translation>Serveur PostgreSQL</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="221"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="224"/>
        <source>/path/to/ebs.sqlite3  or  postgresql+psycopg://user@host:5432/ebs</source>
        <translation>/chemin/vers/ebs.sqlite3  ou  postgresql+psycopg://utilisateur@hôte:5432/ebs</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="225"/>
        <source>File or URL</source>
        <translation>Fichier ou URL</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="228"/>
        <source>PostgreSQL only; stored in the OS keyring</source>
        <translation>PostgreSQL uniquement ; conservé dans le trousseau du système</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="229"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="231"/>
        <source>Use at next start</source>
        <translation>Utiliser au prochain démarrage</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="234"/>
        <source>The connection is applied at the next start; --db and EBS_DATABASE_URL still take precedence.</source>
        <translation>La connexion s’applique au prochain démarrage ; --db et EBS_DATABASE_URL restent prioritaires.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="249"/>
        <source>A PostgreSQL URL starts with postgresql+psycopg://</source>
        <translation>Une URL PostgreSQL commence par postgresql+psycopg://</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="259"/>
        <source>Enter a file or a URL.</source>
        <translation>Saisissez un fichier ou une URL.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="262"/>
        <source>Saved: {0} will be opened at the next start.</source>
        <translation>Enregistré : {0} s’ouvrira au prochain démarrage.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="vanished">Paramètres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/administration.py" line="59"/>
        <source>Audit log</source>
        <translation>Journal d’audit</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ebs_desktop/gui/app.py" line="130"/>
        <source>Cannot open the database</source>
        <translation>Impossible d’ouvrir la base de données</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/app.py" line="131"/>
        <source>{0}

Database: {1}</source>
        <translation>{0}

Base de données : {1}</translation>
    </message>
</context>
<context>
    <name>BillDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="96"/>
        <source>Bill {0}</source>
        <translation>Facture {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="99"/>
        <source>Bill {0} · account {1} · period {2} ({3} to {4})</source>
        <translation>Facture {0} · compte {1} · période {2} (du {3} au {4})</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="104"/>
        <source>Consumption {0} kWh{1} · total {2} · after due date {3} · due {4}</source>
        <translation>Consommation {0} kWh{1} · total {2} · après l’échéance {3} · échéance le {4}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="106"/>
        <source> (estimated)</source>
        <translation> (estimée)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="110"/>
        <source>Cancelled by credit note {0}</source>
        <translation>Annulée par l’avoir {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="112"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="113"/>
        <source>Line and explanation</source>
        <translation>Ligne et explication</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="114"/>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="123"/>
        <source>Cancel by credit note…</source>
        <translation>Annuler par un avoir…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="125"/>
        <source>Rebill</source>
        <translation>Refacturer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="136"/>
        <source>Cancel bill</source>
        <translation>Annuler la facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/account_panel.py" line="137"/>
        <source>Why is this bill cancelled? (printed on the credit note)</source>
        <translation>Pourquoi cette facture est-elle annulée ? (imprimé sur l’avoir)</translation>
    </message>
</context>
<context>
    <name>BillingPage</name>
    <message>
        <source>Tariffs</source>
        <translation type="vanished">Tarifs</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="54"/>
        <source>Tariffs and bill calculator</source>
        <translation>Tarifs et calculateur de facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="66"/>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="72"/>
        <source>Cycle</source>
        <translation>Cycle</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="74"/>
        <source>All cycles</source>
        <translation>Tous les cycles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="78"/>
        <source>Dry run  (Ctrl+D)</source>
        <translation>Simulation  (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="82"/>
        <source>Approve and run</source>
        <translation>Approuver et lancer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="92"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="97"/>
        <source>Choose the period and run a dry run first: it prices every due account without writing anything.</source>
        <translation>Choisissez la période et lancez d’abord une simulation : elle calcule chaque compte à facturer sans rien enregistrer.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="100"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="100"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="101"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="138"/>
        <source>Dry run</source>
        <translation>Simulation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="138"/>
        <source>Billing</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="176"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="190"/>
        <source>Cancelling after the current batch…</source>
        <translation>Annulation à la fin du lot en cours…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="202"/>
        <source>Dry run for {0}: {1} accounts due, {2} bills would be written for {3}; {4} exceptions to look at. Nothing was written.</source>
        <translation>Simulation pour {0} : {1} comptes à facturer, {2} factures seraient émises pour {3} ; {4} anomalies à examiner. Rien n’a été enregistré.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="206"/>
        <source>cancelled part-way; run again to finish</source>
        <translation>interrompue en cours de route ; relancez-la pour terminer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="207"/>
        <source>done</source>
        <translation>terminée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="209"/>
        <source>Billing {0} {1}: {2} bills written ({3} to {4}) for {5}.</source>
        <translation>Facturation {0} {1} : {2} factures émises ({3} à {4}) pour {5}.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="vanished">Approuver</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation type="vanished">Anomalies</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing.py" line="55"/>
        <source>Billing run</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation type="vanished">Factures</translation>
    </message>
</context>
<context>
    <name>BlindCountDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="83"/>
        <source>Close shift: blind count</source>
        <translation>Clôture de session : comptage à l&apos;aveugle</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="85"/>
        <source>Count the drawer and type how many of each note and coin you hold. The expected amounts are shown after the count is stored.</source>
        <translation>Comptez la caisse et saisissez le nombre de billets et de pièces de chaque valeur. Les montants attendus s&apos;affichent une fois le comptage enregistré.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="90"/>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="103"/>
        <source>note</source>
        <translation>billet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="103"/>
        <source>coin</source>
        <translation>pièce</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="112"/>
        <source>Card slips total</source>
        <translation>Total des tickets carte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="113"/>
        <source>Cheques total</source>
        <translation>Total des chèques</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="114"/>
        <source>Transfers total</source>
        <translation>Total des virements</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="164"/>
        <source>Cash counted: {0}</source>
        <translation>Espèces comptées : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="170"/>
        <source>{0} is not an amount</source>
        <translation>{0} n&apos;est pas un montant</translation>
    </message>
</context>
<context>
    <name>CounterDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="79"/>
        <source>Counter</source>
        <translation>Guichet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="87"/>
        <source>(none)</source>
        <translation>(aucune)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="92"/>
        <source>In use</source>
        <translation>En service</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="94"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="95"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="96"/>
        <source>Receipt printer</source>
        <translation>Imprimante de reçus</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <source>No shift open</source>
        <translation type="vanished">Aucune caisse ouverte</translation>
    </message>
    <message>
        <source>Open shift (F5)</source>
        <translation type="vanished">Ouvrir la caisse (F5)</translation>
    </message>
    <message>
        <source>Close shift (F9)</source>
        <translation type="vanished">Fermer la caisse (F9)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="77"/>
        <source>Account number or scan the bill  (F2)</source>
        <translation>Numéro de compte ou scanner la facture  (F2)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="81"/>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="90"/>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="109"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="81"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="82"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="83"/>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="93"/>
        <source>No account selected</source>
        <translation>Aucun compte sélectionné</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="101"/>
        <source>Bill</source>
        <translation>Facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="101"/>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="102"/>
        <source>Due</source>
        <translation>Échéance</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="103"/>
        <source>Open amount</source>
        <translation>Reste dû</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="108"/>
        <source>Payments this shift</source>
        <translation>Paiements de cette caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="109"/>
        <source>Receipt</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="111"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="112"/>
        <source>Reversed</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="129"/>
        <source>Payment</source>
        <translation>Paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="151"/>
        <source>Take payment  (Enter)</source>
        <translation>Encaisser  (Entrée)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="155"/>
        <source>Reprint receipt  (F4)</source>
        <translation>Réimprimer le reçu  (F4)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="158"/>
        <source>Reverse payment…  (F8)</source>
        <translation>Annuler un paiement…  (F8)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="201"/>
        <source>No account matches {0}</source>
        <translation>Aucun compte ne correspond à {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="277"/>
        <source>Find the account first (F2).</source>
        <translation>Trouvez d&apos;abord le compte (F2).</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="280"/>
        <source>Open a shift first (F5).</source>
        <translation>Ouvrez d&apos;abord une session (F5).</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="286"/>
        <source>{0} is not an amount</source>
        <translation>{0} n&apos;est pas un montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="305"/>
        <source>printed</source>
        <translation>imprimé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="306"/>
        <source>queued: {0}</source>
        <translation>en attente : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="307"/>
        <source>no printer</source>
        <translation>pas d&apos;imprimante</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="308"/>
        <source>Receipt {0}: {1} paid, change {2}; receipt {3}.</source>
        <translation>Reçu {0} : {1} payé, monnaie rendue {2} ; reçu {3}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="328"/>
        <source>No receipt to print yet.</source>
        <translation>Aucun reçu à imprimer pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="110"/>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="134"/>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="136"/>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="136"/>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="137"/>
        <source>Cheque</source>
        <translation>Chèque</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="137"/>
        <source>Transfer</source>
        <translation>Virement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="140"/>
        <source>Tender</source>
        <translation>Mode de paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="143"/>
        <source>cash handed over</source>
        <translation>espèces remises</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="144"/>
        <source>Tendered</source>
        <translation>Remis</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="146"/>
        <source>last 4 digits / cheque no. / reference</source>
        <translation>4 derniers chiffres / n° de chèque / référence</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="147"/>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter.py" line="150"/>
        <source>Change</source>
        <translation>Monnaie</translation>
    </message>
    <message>
        <source>Take payment (F3)</source>
        <translation type="vanished">Encaisser (F3)</translation>
    </message>
    <message>
        <source>Print receipt (F4)</source>
        <translation type="vanished">Imprimer le reçu (F4)</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Account number, meter serial, name or phone  (Ctrl+F)</source>
        <translation type="vanished">Numéro de compte, compteur, nom ou téléphone  (Ctrl+F)</translation>
    </message>
    <message>
        <source>New account</source>
        <translation type="vanished">Nouveau compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="53"/>
        <source>Account number, meter serial, name, phone or scan the bill  (Ctrl+F)</source>
        <translation>N° de compte, n° de compteur, nom, téléphone ou scanner la facture  (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="60"/>
        <source>New account  (Ctrl+N)</source>
        <translation>Nouveau compte  (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="66"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="66"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="66"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="67"/>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="114"/>
        <source>{0} accounts</source>
        <translation>{0} comptes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="133"/>
        <source>{0} found</source>
        <translation>{0} trouvé(s)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="177"/>
        <source>Cancelled by credit note {0} for {1}.</source>
        <translation>Annulée par l’avoir {0} de {1}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="183"/>
        <source>Rebilled as {0} for {1}.</source>
        <translation>Refacturée sous le numéro {0} pour {1}.</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="vanished">Compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/customers.py" line="67"/>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <source>Select an account to see its details, meters, ledger and bills.</source>
        <translation type="vanished">Sélectionnez un compte pour voir ses détails, compteurs, écritures et factures.</translation>
    </message>
</context>
<context>
    <name>DevicesPanel</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="82"/>
        <source>Handheld</source>
        <translation>Terminal portable</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="87"/>
        <source>A serial port or a pyserial URL (socket://host:port)</source>
        <translation>Un port série ou une URL pyserial (socket://hôte:port)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="88"/>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="113"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="89"/>
        <source>Sync route</source>
        <translation>Synchroniser la tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="90"/>
        <source>Upload the device&apos;s readings, send it the route, upload again</source>
        <translation>Récupérer les relevés du terminal, lui envoyer la tournée, récupérer à nouveau</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="94"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="103"/>
        <source>Connect the handheld&apos;s cradle and choose its port.</source>
        <translation>Branchez le socle du terminal et choisissez son port.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="108"/>
        <source>Direct meter readout</source>
        <translation>Lecture directe du compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="115"/>
        <source>Optical probe (IEC)</source>
        <translation>Sonde optique (CEI)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="116"/>
        <source>P1 port (DSMR)</source>
        <translation>Port P1 (DSMR)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="117"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="118"/>
        <source>Read and store</source>
        <translation>Lire et enregistrer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="159"/>
        <source>Choose a route and the handheld&apos;s port first.</source>
        <translation>Choisissez d&apos;abord une tournée et le port du terminal.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="174"/>
        <source>Route {0}: {1} sent, {2} readings received, {3} stored, {4} already stored.</source>
        <translation>Tournée {0} : {1} envoyés, {2} relevés reçus, {3} enregistrés, {4} déjà enregistrés.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="179"/>
        <source>Not stored: {0}</source>
        <translation>Non enregistrés : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="184"/>
        <source>Connecting to {0}…</source>
        <translation>Connexion à {0}…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="191"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="201"/>
        <source>Choose the probe&apos;s port first.</source>
        <translation>Choisissez d&apos;abord le port de la sonde.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="215"/>
        <source>Stored: {0}</source>
        <translation>Enregistré : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings_devices.py" line="219"/>
        <source>Reading the meter on {0}…</source>
        <translation>Lecture du compteur sur {0}…</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="136"/>
        <source>Create the administrator</source>
        <translation>Créer l’administrateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="137"/>
        <source>This database has no users yet. The first user is an administrator who can then add the others.</source>
        <translation>Cette base n’a pas encore d’utilisateur. Le premier est un administrateur qui pourra ajouter les autres.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="139"/>
        <source>Create and sign in</source>
        <translation>Créer et se connecter</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="140"/>
        <source>First start</source>
        <translation>Premier démarrage</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="144"/>
        <source>e.g. Amina Diallo</source>
        <translation>p. ex. Amina Diallo</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="149"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="150"/>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="151"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="152"/>
        <source>Repeat password</source>
        <translation>Répéter le mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="157"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="98"/>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="99"/>
        <source>Sign in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="98"/>
        <source>EBS Desktop: electricity billing</source>
        <translation>EBS Desktop : facturation d’électricité</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="100"/>
        <source>Sign in to EBS Desktop</source>
        <translation>Connexion à EBS Desktop</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="104"/>
        <source>user name</source>
        <translation>nom d’utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="108"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="109"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="115"/>
        <source>Enter your user name.</source>
        <translation>Saisissez votre nom d’utilisateur.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="123"/>
        <source>Wrong user name or password.</source>
        <translation>Nom d’utilisateur ou mot de passe incorrect.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="51"/>
        <location filename="../../ebs_desktop/gui/main_window.py" line="99"/>
        <source>EBS Desktop</source>
        <translation>EBS Desktop</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="80"/>
        <source>Your roles do not give access to any screen. Ask an administrator to assign a role.</source>
        <translation>Vos rôles ne donnent accès à aucun écran. Demandez un rôle à un administrateur.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="102"/>
        <source>Electricity billing and service</source>
        <translation>Facturation et service client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="109"/>
        <source>Sign out {0}</source>
        <translation>Déconnecter {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="117"/>
        <source>User: {0} ({1})</source>
        <translation>Utilisateur : {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="119"/>
        <source>Counter: none</source>
        <translation>Guichet : aucun</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="120"/>
        <source>Shift: closed</source>
        <translation>Caisse : fermée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="121"/>
        <location filename="../../ebs_desktop/gui/main_window.py" line="134"/>
        <source>Database: {0}</source>
        <translation>Base : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="130"/>
        <source>Counter: {0}</source>
        <translation>Guichet : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="132"/>
        <source>Shift: {0}</source>
        <translation>Caisse : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/main_window.py" line="168"/>
        <source>{0}: not available yet</source>
        <translation>{0} : pas encore disponible</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="0"/>
        <source>Service requests</source>
        <translation>Demandes de service</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="0"/>
        <source>Customers' questions from the portal, answered here</source>
        <translation>Les questions des clients depuis l’espace client, traitées ici</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="0"/>
        <source>The queue: status, assignee, time open</source>
        <translation>La file : statut, responsable, durée d’ouverture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="0"/>
        <source>The thread with the customer's photos</source>
        <translation>L’échange avec les photos du client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="0"/>
        <source>Reply by the customer's channel</source>
        <translation>Répondre par le canal du client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="35"/>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="36"/>
        <source>Find an account, see its meters, ledger and bills</source>
        <translation>Trouver un compte, voir ses compteurs, écritures et factures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="38"/>
        <source>Search as you type by account, meter, name or phone</source>
        <translation>Recherche instantanée par compte, compteur, nom ou téléphone</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="39"/>
        <source>Account details, meters, ledger with running balance</source>
        <translation>Détails du compte, compteurs, écritures avec solde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="40"/>
        <source>Bills with their lines, payments, consumption chart</source>
        <translation>Factures détaillées, paiements, courbe de consommation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="41"/>
        <source>Create and edit accounts; notes</source>
        <translation>Créer et modifier des comptes ; notes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="42"/>
        <source>Reading entry</source>
        <translation>Saisie des relevés</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="43"/>
        <source>Key meter readings route by route</source>
        <translation>Saisir les relevés tournée par tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="45"/>
        <source>Readings in walk order with previous and expected</source>
        <translation>Relevés dans l’ordre de tournée avec précédent et attendu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="46"/>
        <source>Inline warnings to confirm or re-enter</source>
        <translation>Alertes à confirmer ou corriger sur place</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="47"/>
        <source>Handheld download and upload with progress</source>
        <translation>Échange avec le terminal portable, avec progression</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="48"/>
        <source>Direct meter readout (optical probe, P1)</source>
        <translation>Lecture directe du compteur (tête optique, P1)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="49"/>
        <source>Billing</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="50"/>
        <source>Tariffs, billing runs and bills</source>
        <translation>Tarifs, facturations et factures</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="52"/>
        <source>Tariff versions and a bill calculator</source>
        <translation>Versions de tarifs et calculateur de facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="53"/>
        <source>Billing run: dry run, exceptions, approve</source>
        <translation>Facturation : simulation, anomalies, approbation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="54"/>
        <source>Bill view with explanations; cancel and rebill</source>
        <translation>Facture expliquée ; annulation et refacturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="55"/>
        <source>Cash counter</source>
        <translation>Caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="56"/>
        <source>Shifts, payments and receipts</source>
        <translation>Sessions, paiements et reçus</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="58"/>
        <source>Open a shift; find the account or scan the bill</source>
        <translation>Ouvrir la caisse ; trouver le compte ou scanner la facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="59"/>
        <source>Payment with tenders and change; print the receipt</source>
        <translation>Paiement, rendu de monnaie, impression du reçu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="60"/>
        <source>Reprint; reversal with a supervisor</source>
        <translation>Réimpression ; annulation avec un superviseur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="61"/>
        <source>Close the shift with a blind count and Z-report</source>
        <translation>Clôture avec comptage à l’aveugle et rapport Z</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="62"/>
        <source>Reports</source>
        <translation>Rapports</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="63"/>
        <source>Choose, preview, print or save a report</source>
        <translation>Choisir, prévisualiser, imprimer ou enregistrer un rapport</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="65"/>
        <source>Report parameters and preview</source>
        <translation>Paramètres et aperçu du rapport</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="66"/>
        <source>Print, save as PDF or CSV</source>
        <translation>Imprimer, enregistrer en PDF ou CSV</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="67"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="68"/>
        <source>Users, counters, printers, database and audit log</source>
        <translation>Utilisateurs, guichets, imprimantes, base et audit</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="70"/>
        <source>Users and roles</source>
        <translation>Utilisateurs et rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="71"/>
        <source>Counters and receipt printers, with a test print</source>
        <translation>Guichets et imprimantes de reçus, avec impression de test</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="72"/>
        <source>Database connection and utility settings</source>
        <translation>Connexion à la base et paramètres du distributeur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/__init__.py" line="73"/>
        <source>Audit log viewer with verification</source>
        <translation>Journal d’audit avec vérification</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="145"/>
        <source>Layout ready; actions are being connected to {0}.</source>
        <translation>Écran prêt ; ses actions sont en cours de raccordement à {0}.</translation>
    </message>
</context>
<context>
    <name>PrinterDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="30"/>
        <source>Receipt printer</source>
        <translation>Imprimante de reçus</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="47"/>
        <source>Print the utility&apos;s logo</source>
        <translation>Imprimer le logo du distributeur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="49"/>
        <source>Open the cash drawer after a cash receipt</source>
        <translation>Ouvrir le tiroir-caisse après un reçu en espèces</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="51"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="52"/>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="53"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/printer_dialogs.py" line="54"/>
        <source>Paper</source>
        <translation>Papier</translation>
    </message>
</context>
<context>
    <name>PrintersTab</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="64"/>
        <source>Counters</source>
        <translation>Guichets</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="65"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="65"/>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="73"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="66"/>
        <source>Receipt printer</source>
        <translation>Imprimante de reçus</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="67"/>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="72"/>
        <source>Receipt printers</source>
        <translation>Imprimantes de reçus</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="73"/>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="74"/>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="75"/>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="76"/>
        <source>Paper (mm)</source>
        <translation>Papier (mm)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="77"/>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="78"/>
        <source>Cash drawer</source>
        <translation>Tiroir-caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="83"/>
        <source>Test print on the selected</source>
        <translation>Impression de test sur la sélection</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="92"/>
        <source>Test print to this address</source>
        <translation>Impression de test à cette adresse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="101"/>
        <source>Add counter…</source>
        <translation>Ajouter un guichet…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="102"/>
        <source>Edit counter…</source>
        <translation>Modifier le guichet…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="103"/>
        <source>Add printer…</source>
        <translation>Ajouter une imprimante…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="104"/>
        <source>Edit printer…</source>
        <translation>Modifier l’imprimante…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="175"/>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="201"/>
        <source>Select a counter first.</source>
        <translation>Sélectionnez d’abord un guichet.</translation>
    </message>
    <message>
        <source>Adding and editing counters and printers needs an audited service that is not in this build yet; use the command line or ask your administrator meanwhile.</source>
        <translation type="vanished">L&apos;ajout et la modification des guichets et imprimantes attendent un service audité absent de cette version ; utilisez la ligne de commande ou demandez à votre administrateur en attendant.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="138"/>
        <source>Printing a test receipt on {0}…</source>
        <translation>Impression d&apos;un reçu de test sur {0}…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="141"/>
        <source>Test receipt sent to {0} ({1} bytes).</source>
        <translation>Reçu de test envoyé à {0} ({1} octets).</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="150"/>
        <location filename="../../ebs_desktop/gui/pages/admin_printers.py" line="187"/>
        <source>Select a printer first.</source>
        <translation>Sélectionnez d&apos;abord une imprimante.</translation>
    </message>
</context>
<context>
    <name>ReadingsPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="80"/>
        <source>Route</source>
        <translation>Tournée</translation>
    </message>
    <message>
        <source>Read meter</source>
        <translation type="vanished">Lire le compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="86"/>
        <source>Read on</source>
        <translation>Relevé le</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="91"/>
        <source>Load route</source>
        <translation>Charger la tournée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="102"/>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="102"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="102"/>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="103"/>
        <source>Previous</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="103"/>
        <source>Register</source>
        <translation>Registre</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="104"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="105"/>
        <source>Expected</source>
        <translation>Attendu</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="106"/>
        <source>Previous on</source>
        <translation>Relevé précédent le</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="131"/>
        <source>Choose a route to start</source>
        <translation>Choisissez une tournée pour commencer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="138"/>
        <source>value, Enter saves</source>
        <translation>valeur, Entrée enregistre</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="143"/>
        <source>Confirm  (Ctrl+Enter)</source>
        <translation>Confirmer  (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="147"/>
        <source>Re-enter</source>
        <translation>Ressaisir</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="229"/>
        <source>{0} of {1} keyed</source>
        <translation>{0} sur {1} saisis</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="239"/>
        <source>{0}/{1} · account {2} · previous {3} · expected {4}</source>
        <translation>{0}/{1} · compte {2} · précédent {3} · attendu {4}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="275"/>
        <source>{0}/{1}: {2} is not a number</source>
        <translation>{0}/{1} : {2} n&apos;est pas un nombre</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="285"/>
        <source>Check this reading: {0}. Confirm it as keyed (Ctrl+Enter) or type it again.</source>
        <translation>Vérifiez ce relevé : {0}. Confirmez-le tel quel (Ctrl+Entrée) ou saisissez-le à nouveau.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="312"/>
        <source>Route complete: {0} readings saved</source>
        <translation>Tournée terminée : {0} relevés enregistrés</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="104"/>
        <location filename="../../ebs_desktop/gui/pages/readings.py" line="135"/>
        <source>Reading</source>
        <translation>Relevé</translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="vanished">Note</translation>
    </message>
    <message>
        <source>Handheld</source>
        <translation type="vanished">Terminal portable</translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="vanished">Port</translation>
    </message>
    <message>
        <source>Download route</source>
        <translation type="vanished">Charger la tournée</translation>
    </message>
    <message>
        <source>Upload readings</source>
        <translation type="vanished">Envoyer les relevés</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="51"/>
        <source>Daily collections</source>
        <translation>Encaissements du jour</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="52"/>
        <source>Shift Z-reports</source>
        <translation>Rapports Z des sessions</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="53"/>
        <source>Revenue by tariff</source>
        <translation>Recettes par tarif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="54"/>
        <source>Arrears aging</source>
        <translation>Ancienneté des impayés</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="55"/>
        <source>Consumption trends</source>
        <translation>Tendances de consommation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="56"/>
        <source>Billing exceptions</source>
        <translation>Anomalies de facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="57"/>
        <source>Reading completeness</source>
        <translation>Complétude des relevés</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="58"/>
        <source>Ledger reconciliation</source>
        <translation>Rapprochement du grand livre</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="136"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="148"/>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="152"/>
        <source>Days</source>
        <translation>Jours</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="155"/>
        <source>all</source>
        <translation>tous</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="157"/>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="200"/>
        <source>Shift</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="160"/>
        <source>Preview  (Enter)</source>
        <translation>Aperçu  (Entrée)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="165"/>
        <source>Print…</source>
        <translation>Imprimer…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="168"/>
        <source>Save as PDF, CSV or XLSX…</source>
        <translation>Enregistrer en PDF, CSV ou XLSX…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="173"/>
        <source>Choose a report and press Enter</source>
        <translation>Choisissez un rapport et appuyez sur Entrée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="199"/>
        <source>Billing run</source>
        <translation>Facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="234"/>
        <source>Building {0}…</source>
        <translation>Préparation de {0}…</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="253"/>
        <source>{0} rows</source>
        <translation>{0} lignes</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="268"/>
        <source>Sent to {0}.</source>
        <translation>Envoyé à {0}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="276"/>
        <source>Save report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="277"/>
        <source>PDF (*.pdf);;CSV (*.csv);;Excel workbook (*.xlsx)</source>
        <translation>PDF (*.pdf);;CSV (*.csv);;Classeur Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/reports.py" line="291"/>
        <source>Saved to {0}</source>
        <translation>Enregistré dans {0}</translation>
    </message>
    <message>
        <source>Print</source>
        <translation type="vanished">Imprimer</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation type="vanished">Enregistrer en PDF</translation>
    </message>
    <message>
        <source>Save as CSV</source>
        <translation type="vanished">Enregistrer en CSV</translation>
    </message>
</context>
<context>
    <name>ServicePlaceholder</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="55"/>
        <source>{0} is not available yet</source>
        <translation>{0} n’est pas encore disponible</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="61"/>
        <source>This screen needs a service that is not part of this build yet. It will appear here as soon as the service is installed; nothing is lost in the meantime.</source>
        <translation>Cet écran a besoin d’un service qui ne fait pas encore partie de cette version. Il apparaîtra ici dès que le service sera installé ; rien n’est perdu entre-temps.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/base.py" line="72"/>
        <source>What this screen will do</source>
        <translation>Ce que fera cet écran</translation>
    </message>
</context>
<context>
    <name>ShiftControls</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="57"/>
        <source>No shift open</source>
        <translation>Aucune session ouverte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="61"/>
        <source>Float</source>
        <translation>Fonds de caisse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="68"/>
        <source>Open shift  (F5)</source>
        <translation>Ouvrir la session  (F5)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="71"/>
        <source>Close shift  (F9)</source>
        <translation>Clôturer la session  (F9)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="96"/>
        <source>Counter {0}: no shift open</source>
        <translation>Guichet {0} : aucune session ouverte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="97"/>
        <source>closed</source>
        <translation>fermée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="100"/>
        <source>Counter {0}: shift {1} open since {2}, {3}, float {4}</source>
        <translation>Guichet {0} : session {1} ouverte depuis {2}, {3}, fonds de caisse {4}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="103"/>
        <source>{0} open since {1}</source>
        <translation>{0} ouverte depuis {1}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="121"/>
        <source>No counter is configured: add one in Administration.</source>
        <translation>Aucun guichet configuré : ajoutez-en un dans Administration.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="148"/>
        <source>{0} is not an amount</source>
        <translation>{0} n&apos;est pas un montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="174"/>
        <source>printed</source>
        <translation>imprimé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="175"/>
        <source>queued: {0}</source>
        <translation>en attente : {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="175"/>
        <source>no printer</source>
        <translation>pas d&apos;imprimante</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="176"/>
        <source>Receipt {0}: duplicate {1} {2}.</source>
        <translation>Reçu {0} : duplicata {1} {2}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="185"/>
        <source>Select the payment to reverse in the list.</source>
        <translation>Sélectionnez dans la liste le paiement à annuler.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="188"/>
        <source>Reverse receipt {0}</source>
        <translation>Annuler le reçu {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="189"/>
        <source>A supervisor approves the reversal of receipt {0}. The customer&apos;s bills are re-opened and a reversal receipt is printed.</source>
        <translation>Un superviseur approuve l&apos;annulation du reçu {0}. Les factures du client sont rouvertes et un reçu d&apos;annulation est imprimé.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="211"/>
        <source>Receipt {0} reversed by {1}; balance now {2}.</source>
        <translation>Reçu {0} annulé par {1} ; solde désormais {2}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="246"/>
        <source>Shift {0} closed; over/short {1}.</source>
        <translation>Session {0} clôturée ; écart {1}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="248"/>
        <source>Z-report, shift {0}</source>
        <translation>Rapport Z, session {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="259"/>
        <source>Approve shift {0}</source>
        <translation>Approuver la session {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="260"/>
        <source>The count differs from the books by more than the threshold: a supervisor signs the shift off.</source>
        <translation>Le comptage s&apos;écarte des écritures au-delà du seuil : un superviseur valide la session.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/counter_shift.py" line="268"/>
        <source>Shift {0} approved.</source>
        <translation>Session {0} approuvée.</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="59"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="65"/>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/counter_dialogs.py" line="66"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
</context>
<context>
    <name>TariffsTab</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="92"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="92"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="93"/>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="94"/>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="100"/>
        <source>Component</source>
        <translation>Composante</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="100"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="108"/>
        <source>Bill calculator</source>
        <translation>Calculateur de facture</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="124"/>
        <source>kW, for demand tariffs</source>
        <translation>kW, pour les tarifs à la puissance appelée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="126"/>
        <source>kW, for tariffs charging the load</source>
        <translation>kW, pour les tarifs facturant la puissance souscrite</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="127"/>
        <source>Tariff</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="128"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="129"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="130"/>
        <source>Consumption (kWh)</source>
        <translation>Consommation (kWh)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="131"/>
        <source>Registers</source>
        <translation>Registres</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="132"/>
        <source>Demand (kW)</source>
        <translation>Puissance appelée (kW)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="133"/>
        <source>Sanctioned load (kW)</source>
        <translation>Puissance souscrite (kW)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="135"/>
        <source>Calculate</source>
        <translation>Calculer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="139"/>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="139"/>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="177"/>
        <source>Version {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="178"/>
        <source>from {0}</source>
        <translation>à partir du {0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/billing_tariffs.py" line="203"/>
        <source>Total {0}  ·  after due date {1}</source>
        <translation>Total {0}  ·  après l’échéance {1}</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="152"/>
        <source>Cannot do that</source>
        <translation>Action impossible</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="157"/>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="158"/>
        <source>Something went wrong that the program did not expect:
{0}</source>
        <translation>Une erreur que le programme n’attendait pas s’est produite :
{0}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="240"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="241"/>
        <source>Working</source>
        <translation>Traitement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/tasks.py" line="254"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="47"/>
        <source>Add user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="47"/>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="64"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="56"/>
        <source>User name</source>
        <translation>Nom d’utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="57"/>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="58"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="87"/>
        <source>Add user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="89"/>
        <source>Disable / enable</source>
        <translation>Désactiver / activer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="91"/>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="156"/>
        <source>Reset password</source>
        <translation>Réinitialiser le mot de passe</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="93"/>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="100"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="99"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="99"/>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="100"/>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="101"/>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/admin_users.py" line="157"/>
        <source>New password for {0}:</source>
        <translation>Nouveau mot de passe pour {0} :</translation>
    </message>
</context>
<context>
    <name>_CardDialog</name>
    <message>
        <location filename="../../ebs_desktop/gui/dialogs/login.py" line="81"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>ServiceRequestsPage</name>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Request</source>
        <translation>Demande</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Assigned to</source>
        <translation>Attribuée à</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Time open</source>
        <translation>Ouverte depuis</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Last activity</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Last from</source>
        <translation>Dernier message de</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Not closed</source>
        <translation>Non fermées</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Any status</source>
        <translation>Tout statut</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Anyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Me</source>
        <translation>Moi</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Nobody</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Any topic</source>
        <translation>Tout sujet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Account, name or words</source>
        <translation>Compte, nom ou mots</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Status</source>
        <translation>&amp;Statut</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Assi&amp;gned</source>
        <translation>Attri&amp;buée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Topic</source>
        <translation>Su&amp;jet</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Find</source>
        <translation>&amp;Chercher</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Assignee</source>
        <translation>&amp;Responsable</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Stat&amp;us</source>
        <translation>Stat&amp;ut</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Set</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Reply to the customer</source>
        <translation>&amp;Répondre au client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Your answer; the customer is told by their channel (Ctrl+Return sends)</source>
        <translation>Votre réponse ; le client est prévenu par son canal (Ctrl+Entrée envoie)</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Waiting on the customer</source>
        <translation>&amp;En attente du client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>&amp;Close the request</source>
        <translation>&amp;Fermer la demande</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Send reply</source>
        <translation>Envoyer la réponse</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Staff</source>
        <translation>Personnel</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>{0} · {1} · account {2} ({3}) · {4}</source>
        <translation>{0} · {1} · compte {2} ({3}) · {4}</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>{0} assigned to {1}.</source>
        <translation>{0} attribuée à {1}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>{0} is now {1}.</source>
        <translation>{0} est maintenant : {1}.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Write the reply first.</source>
        <translation>Écrivez d’abord la réponse.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Reply sent on {0}; the customer is told.</source>
        <translation>Réponse envoyée sur {0} ; le client est prévenu.</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Waiting on customer</source>
        <translation>En attente du client</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Answered</source>
        <translation>Répondue</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Billing question</source>
        <translation>Question de facturation</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Meter problem</source>
        <translation>Problème de compteur</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Payment issue</source>
        <translation>Problème de paiement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Moving in or out</source>
        <translation>Emménagement ou déménagement</translation>
    </message>
    <message>
        <location filename="../../ebs_desktop/gui/pages/service_requests.py" line="0"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
</context>
</TS>
