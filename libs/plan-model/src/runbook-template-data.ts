import type { Localized } from './language.js';
import type { RunbookTemplate } from './runbook-template-types.js';

/** The teams the templates name, so that each is spelt the same way everywhere. */
const CUTOVER_BOARD: Localized = { fr: 'Comité de bascule', en: 'Cutover board' };
const CUTOVER_LEAD: Localized = { fr: 'Pilotage de la bascule', en: 'Cutover lead' };
const MESSAGING: Localized = { fr: 'Messagerie', en: 'Messaging' };
const NETWORK: Localized = { fr: 'Réseau et DNS', en: 'Network and DNS' };
const COMMUNICATIONS: Localized = { fr: 'Communication interne', en: 'Internal communications' };
const WORKPLACE: Localized = { fr: 'Poste de travail', en: 'End-user computing' };
const SERVICE_DESK: Localized = { fr: 'Centre de services', en: 'Service desk' };
const KEY_USERS: Localized = { fr: 'Utilisateurs référents', en: 'Key users' };
const APPLICATION: Localized = { fr: 'Équipe applicative', en: 'Application team' };
const DATABASE: Localized = { fr: 'Administration des bases', en: 'Database administration' };
const CONTAINERS: Localized = { fr: 'Plateforme conteneurs', en: 'Container platform' };
const OPERATIONS: Localized = { fr: 'Exploitation', en: 'Operations' };
const INFRASTRUCTURE: Localized = { fr: 'Infrastructure et virtualisation', en: 'Infrastructure and virtualization' };
const BACKUP: Localized = { fr: 'Sauvegarde', en: 'Backup' };

/** What every go / no-go point before the point of no return leaves behind. */
const DECISION_RECORDED: Localized = {
  fr: 'Décision consignée dans le ticket de changement avec les votes des approbateurs désignés.',
  en: 'Decision recorded in the change ticket with the votes of the appointed approvers.',
};

/**
 * Realistic cutover runbooks to start from. The first one that suits a plan template is the one
 * suggested first for its plans, so the generic database move comes last.
 */
export const RUNBOOK_TEMPLATES: readonly RunbookTemplate[] = [
  {
    id: 'm365-mailbox-wave',
    title: {
      fr: 'Vague de boîtes aux lettres Exchange Online vers Bleu',
      en: 'Wave of Exchange Online mailboxes to Bleu',
    },
    description: {
      fr: 'Bascule d’une vague de boîtes aux lettres (une ou plusieurs entités et leurs domaines de messagerie) du tenant Microsoft 365 international vers le tenant Bleu : passe finale des lots de migration pré-synchronisés, bascule des enregistrements MX et autodiscover, nouveaux profils Outlook et vigilance renforcée.',
      en: 'Cutover of a wave of mailboxes (one or more entities and their mail domains) from the global Microsoft 365 tenant to the Bleu tenant: final pass of the pre-synchronized migration batches, MX and autodiscover switch, new Outlook profiles and hypercare.',
    },
    planTemplates: ['m365-to-bleu'],
    tasks: [
      {
        key: 'announce',
        stage: 'FREEZE',
        title: { fr: 'Informer les utilisateurs de la vague', en: 'Inform the users of the wave' },
        team: COMMUNICATIONS,
        startOffset: -7200,
        duration: 30,
        instructions: {
          fr: 'Envoyer aux utilisateurs de la vague et à leurs assistants le message de bascule : date et heure, envoi impossible depuis Outlook pendant la fenêtre, nouveau profil Outlook au premier démarrage, application mobile à reconfigurer. Joindre le guide utilisateur et le numéro du centre de services. Prévenir les référents de chaque direction pour qu’ils relaient le message.',
          en: 'Send the users of the wave and their assistants the cutover message: date and time, no sending from Outlook during the window, new Outlook profile at first start, mobile app to set up again. Attach the user guide and the service desk number. Warn the key users of each department so that they pass the message on.',
        },
        verification: {
          fr: 'Le message est parvenu à tous les membres du groupe de la vague ; la liste de diffusion ne renvoie aucun rejet.',
          en: 'The message reached every member of the wave group; the distribution list returned no bounce.',
        },
      },
      {
        key: 'lower-ttl',
        stage: 'FREEZE',
        title: {
          fr: 'Abaisser le TTL des enregistrements MX et autodiscover',
          en: 'Lower the TTL of the MX and autodiscover records',
        },
        team: NETWORK,
        startOffset: -2880,
        duration: 20,
        instructions: {
          fr: 'Passer à 300 secondes le TTL des enregistrements MX, autodiscover (CNAME) et SPF (TXT) des domaines de la vague, au moins 48 heures avant la bascule. Noter les anciennes valeurs dans le ticket de changement.',
          en: 'Set the TTL of the MX, autodiscover (CNAME) and SPF (TXT) records of the wave domains to 300 seconds, at least 48 hours before the cutover. Write the former values down in the change ticket.',
        },
        verification: {
          fr: '`dig +noall +answer MX <domaine>` interrogé sur deux résolveurs publics renvoie un TTL inférieur ou égal à 300.',
          en: '`dig +noall +answer MX <domain>` on two public resolvers returns a TTL of 300 or less.',
        },
      },
      {
        key: 'freeze-changes',
        stage: 'FREEZE',
        title: { fr: 'Geler les modifications sur les boîtes de la vague', en: 'Freeze changes to the wave mailboxes' },
        team: MESSAGING,
        startOffset: -120,
        duration: 30,
        after: ['announce'],
        instructions: {
          fr: 'Suspendre les créations, suppressions et changements de délégation sur les boîtes de la vague, synchronisation d’annuaire comprise pour ces objets. Annoncer le gel dans le ticket de changement et au centre de services, qui refuse toute demande sur ces boîtes jusqu’à la fin de la bascule.',
          en: 'Suspend creations, deletions and delegation changes on the wave mailboxes, directory synchronization included for these objects. Announce the freeze in the change ticket and to the service desk, which turns down any request on these mailboxes until the cutover ends.',
        },
        verification: {
          fr: 'Le journal d’audit (`Search-UnifiedAuditLog`) ne montre aucune modification des boîtes de la vague depuis le début du gel.',
          en: 'The audit log (`Search-UnifiedAuditLog`) shows no change to the wave mailboxes since the freeze began.',
        },
      },
      {
        key: 'export-config',
        stage: 'BACKUP',
        title: {
          fr: 'Exporter les permissions, délégations et règles des boîtes',
          en: 'Export mailbox permissions, delegations and rules',
        },
        team: MESSAGING,
        duration: 45,
        after: ['freeze-changes'],
        instructions: {
          fr: 'Depuis Exchange Online PowerShell sur le tenant d’origine, exporter en CSV les résultats de `Get-MailboxPermission`, `Get-RecipientPermission` et `Get-MailboxFolderPermission` (délégations d’agenda), ainsi que les transferts configurés sur les boîtes de la vague. Exporter aussi les règles de transport et les groupes de distribution qui les concernent. Déposer les fichiers dans l’espace projet, hors du tenant.',
          en: 'From Exchange Online PowerShell on the source tenant, export to CSV the output of `Get-MailboxPermission`, `Get-RecipientPermission` and `Get-MailboxFolderPermission` (calendar delegations), and the forwarding set on the wave mailboxes. Also export the transport rules and distribution groups that concern them. Store the files in the project space, outside the tenant.',
        },
        verification: {
          fr: 'Chaque boîte de la vague figure dans l’export des permissions ; les fichiers s’ouvrent et sont horodatés.',
          en: 'Every wave mailbox appears in the permissions export; the files open and are timestamped.',
        },
      },
      {
        key: 'backup-dns',
        stage: 'BACKUP',
        title: {
          fr: 'Sauvegarder la zone DNS des domaines de la vague',
          en: 'Back up the DNS zone of the wave domains',
        },
        team: NETWORK,
        duration: 15,
        after: ['freeze-changes'],
        instructions: {
          fr: 'Exporter le fichier de zone de chaque domaine de la vague avant toute modification : MX, autodiscover, SPF, CNAME DKIM (selector1 et selector2) et DMARC. Joindre l’export au ticket de changement : il sert de référence en cas de retour arrière.',
          en: 'Export the zone file of each wave domain before any change: MX, autodiscover, SPF, DKIM CNAMEs (selector1 and selector2) and DMARC. Attach the export to the change ticket: it is the reference for a rollback.',
        },
        verification: {
          fr: 'L’export contient les enregistrements MX et autodiscover actuels, conformes à ce que renvoie `dig`.',
          en: 'The export holds the current MX and autodiscover records, matching what `dig` returns.',
        },
      },
      {
        key: 'check-connector',
        stage: 'MIGRATE',
        title: {
          fr: 'Vérifier l’outil de migration et le connecteur hybride',
          en: 'Check the migration tool and the hybrid connector',
        },
        team: MESSAGING,
        duration: 30,
        after: ['freeze-changes'],
        instructions: {
          fr: 'Vérifier que l’outil de migration (Quest On Demand Migration ou BitTitan MigrationWiz, par exemple) accède aux deux tenants avec ses comptes de service et que les lots de la vague ont terminé leur pré-synchronisation sans erreur bloquante. Contrôler les connecteurs de coexistence entre le tenant d’origine et Bleu avec `Get-OutboundConnector` et `Get-InboundConnector`. Vérifier que les licences Bleu sont attribuées aux comptes cibles.',
          en: 'Check that the migration tool (Quest On Demand Migration or BitTitan MigrationWiz, for example) reaches both tenants with its service accounts and that the wave batches finished their pre-synchronization with no blocking error. Check the coexistence connectors between the source tenant and Bleu with `Get-OutboundConnector` and `Get-InboundConnector`. Check that Bleu licenses are assigned to the target accounts.',
        },
        verification: {
          fr: 'Les lots sont pré-synchronisés à plus de 95 % ; un message de test traverse le connecteur dans les deux sens (suivi des messages).',
          en: 'The batches are more than 95% pre-synchronized; a test message crosses the connector both ways (message trace).',
        },
      },
      {
        key: 'go-migration',
        stage: 'MIGRATE',
        decision: true,
        title: { fr: 'Go / no-go : lancement de la migration', en: 'Go / no-go: start of the migration' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['export-config', 'backup-dns', 'check-connector'],
        instructions: {
          fr: 'Le comité passe en revue les sauvegardes (exports et zone DNS), l’état des lots et des connecteurs, et les incidents ouverts sur le tenant d’origine. Il décide de lancer la passe finale ou de reporter la vague.',
          en: 'The board reviews the backups (exports and DNS zone), the state of the batches and connectors, and the incidents open on the source tenant. It decides to run the final pass or to postpone the wave.',
        },
        verification: {
          fr: 'Décision et votants consignés ; en cas de no-go, le gel est levé et les utilisateurs sont prévenus du report.',
          en: 'Decision and voters recorded; on a no-go, the freeze is lifted and users are told of the postponement.',
        },
      },
      {
        key: 'final-pass',
        stage: 'MIGRATE',
        title: {
          fr: 'Lancer la passe finale des lots de migration',
          en: 'Run the final pass of the migration batches',
        },
        team: MESSAGING,
        duration: 240,
        after: ['go-migration'],
        instructions: {
          fr: 'Lancer dans l’outil de migration la synchronisation finale (delta) des lots de la vague, boîtes partagées et boîtes de ressources comprises. Suivre l’avancement toutes les 30 minutes et relancer les éléments en erreur transitoire. Poser ensuite sur les boîtes d’origine une redirection vers leur adresse Bleu pour ne perdre aucun message pendant la propagation DNS.',
          en: 'In the migration tool, run the final (delta) synchronization of the wave batches, shared and resource mailboxes included. Follow progress every 30 minutes and retry items with transient errors. Then set the source mailboxes to forward to their Bleu address so that no message is lost while DNS propagates.',
        },
        verification: {
          fr: 'Tous les lots sont terminés ; le rapport de l’outil ne signale aucune boîte en échec et moins de 0,1 % d’éléments ignorés.',
          en: 'Every batch is complete; the tool report shows no failed mailbox and under 0.1% skipped items.',
        },
        rollback: 'rb-mailboxes',
      },
      {
        key: 'reapply-permissions',
        stage: 'MIGRATE',
        title: {
          fr: 'Réappliquer permissions et délégations dans Bleu',
          en: 'Apply permissions and delegations in Bleu',
        },
        team: MESSAGING,
        duration: 60,
        after: ['final-pass'],
        instructions: {
          fr: 'Rejouer les exports de permissions sur le tenant Bleu avec `Add-MailboxPermission`, `Add-RecipientPermission` et `Add-MailboxFolderPermission`, en faisant correspondre les identités d’origine aux comptes Bleu. Recréer les transferts et les membres des groupes de distribution de la vague. Journaliser les lignes rejetées.',
          en: 'Replay the permission exports on the Bleu tenant with `Add-MailboxPermission`, `Add-RecipientPermission` and `Add-MailboxFolderPermission`, mapping source identities to Bleu accounts. Recreate the forwarding and the distribution group members of the wave. Log the rejected lines.',
        },
        verification: {
          fr: 'Le script ne rejette aucune ligne, ou chaque rejet est expliqué ; un échantillon de dix délégations est contrôlé à la main.',
          en: 'The script rejects no line, or every rejection is explained; a sample of ten delegations is checked by hand.',
        },
      },
      {
        key: 'check-counts',
        stage: 'VALIDATE',
        title: {
          fr: 'Comparer le nombre d’éléments et la volumétrie par boîte',
          en: 'Compare item counts and sizes per mailbox',
        },
        team: MESSAGING,
        duration: 30,
        after: ['final-pass'],
        instructions: {
          fr: 'Extraire `Get-MailboxStatistics` (ItemCount, TotalItemSize) sur les deux tenants pour chaque boîte de la vague et comparer les résultats dans le classeur de contrôle. Examiner toute boîte dont l’écart dépasse 1 % et relancer sa synchronisation si besoin.',
          en: 'Run `Get-MailboxStatistics` (ItemCount, TotalItemSize) on both tenants for every wave mailbox and compare the results in the control workbook. Look into any mailbox more than 1% apart and synchronize it again if needed.',
        },
        verification: {
          fr: 'Aucune boîte n’a d’écart supérieur à 1 %, ou chaque écart est justifié (éléments corrompus ignorés).',
          en: 'No mailbox is more than 1% apart, or every gap is explained (corrupt items skipped).',
        },
      },
      {
        key: 'key-user-tests',
        stage: 'VALIDATE',
        title: { fr: 'Recette par les utilisateurs référents', en: 'Acceptance tests by the key users' },
        team: KEY_USERS,
        duration: 60,
        after: ['reapply-permissions'],
        instructions: {
          fr: 'Les référents se connectent à Outlook sur le web dans Bleu et déroulent la fiche de recette : envoi et réception internes et externes, agenda et invitations, boîtes partagées et délégations, recherche dans les archives. Ils signalent chaque anomalie au centre de services en précisant la vague.',
          en: 'The key users sign in to Outlook on the web in Bleu and go through the test sheet: internal and external send and receive, calendar and invitations, shared mailboxes and delegations, archive search. They report every defect to the service desk, naming the wave.',
        },
        verification: {
          fr: 'Fiche de recette signée ; aucune anomalie bloquante ouverte.',
          en: 'Test sheet signed; no blocking defect open.',
        },
      },
      {
        key: 'go-switch',
        stage: 'VALIDATE',
        decision: true,
        title: {
          fr: 'Go / no-go : bascule des enregistrements MX et autodiscover',
          en: 'Go / no-go: switch of the MX and autodiscover records',
        },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['check-counts', 'key-user-tests'],
        instructions: {
          fr: 'Le comité examine les écarts de volumétrie, le procès-verbal de recette et les points de conformité ouverts. Au-delà de ce point, le courrier arrive dans Bleu : un retour arrière impose de rapatrier les nouveaux messages vers le tenant d’origine. Consigner la décision et son heure.',
          en: 'The board reviews the size gaps, the acceptance report and the open compliance checkpoints. Past this point, mail arrives in Bleu: a rollback means bringing new messages back to the source tenant. Record the decision and its time.',
        },
        verification: DECISION_RECORDED,
      },
      {
        key: 'switch-dns',
        stage: 'SWITCH',
        title: {
          fr: 'Basculer les enregistrements MX, autodiscover et SPF vers Bleu',
          en: 'Switch the MX, autodiscover and SPF records to Bleu',
        },
        team: NETWORK,
        duration: 30,
        after: ['go-switch'],
        instructions: {
          fr: 'Remplacer l’enregistrement MX et le CNAME autodiscover des domaines de la vague par les valeurs indiquées par le tenant Bleu, et ajouter l’include Bleu à l’enregistrement SPF. Publier les CNAME DKIM de Bleu puis activer la signature DKIM dans le tenant Bleu. Garder l’ancien include SPF jusqu’à la fin de la vigilance renforcée.',
          en: 'Replace the MX record and the autodiscover CNAME of the wave domains with the values the Bleu tenant gives, and add the Bleu include to the SPF record. Publish the Bleu DKIM CNAMEs, then turn DKIM signing on in the Bleu tenant. Keep the former SPF include until hypercare ends.',
        },
        verification: {
          fr: '`dig MX` et `dig CNAME autodiscover.<domaine>` renvoient les valeurs Bleu sur deux résolveurs publics ; un message de test venu de l’extérieur arrive dans Bleu, et un message envoyé depuis Bleu passe les contrôles SPF et DKIM chez le destinataire.',
          en: '`dig MX` and `dig CNAME autodiscover.<domain>` return the Bleu values on two public resolvers; a test message from outside arrives in Bleu, and one sent from Bleu passes the SPF and DKIM checks at the recipient.',
        },
        rollback: 'rb-routing',
      },
      {
        key: 'coexistence-connector',
        stage: 'SWITCH',
        title: { fr: 'Mettre à jour les connecteurs de coexistence', en: 'Update the coexistence connectors' },
        team: MESSAGING,
        duration: 30,
        after: ['go-switch'],
        instructions: {
          fr: 'Dans le tenant d’origine, ajouter les domaines de la vague au connecteur d’envoi vers Bleu ; dans Bleu, router vers le tenant d’origine les domaines des vagues suivantes. Mettre à jour le partage des disponibilités pour que les agendas restent visibles d’un tenant à l’autre.',
          en: 'In the source tenant, add the wave domains to the send connector towards Bleu; in Bleu, route the domains of later waves to the source tenant. Update free/busy sharing so that calendars stay visible across the two tenants.',
        },
        verification: {
          fr: 'Un message envoyé depuis une boîte restée dans le tenant d’origine arrive dans Bleu, et inversement ; les disponibilités d’un utilisateur migré s’affichent depuis le tenant d’origine.',
          en: 'A message sent from a mailbox still in the source tenant arrives in Bleu, and the other way round; the free/busy of a migrated user shows from the source tenant.',
        },
        rollback: 'rb-routing',
      },
      {
        key: 'outlook-profiles',
        stage: 'SWITCH',
        title: {
          fr: 'Déployer la reconfiguration des profils Outlook',
          en: 'Roll out the Outlook profile reconfiguration',
        },
        team: WORKPLACE,
        duration: 120,
        after: ['switch-dns'],
        instructions: {
          fr: 'Publier par Intune ou par stratégie de groupe le script qui crée un nouveau profil Outlook pointant vers Bleu et en fait le profil par défaut, sans supprimer l’ancien. Déployer la configuration de l’application Outlook mobile pour le tenant Bleu. Suivre le taux d’application du script sur les postes de la vague.',
          en: 'Publish through Intune or group policy the script that creates a new Outlook profile pointing to Bleu and makes it the default, without deleting the former one. Roll out the Outlook mobile app configuration for the Bleu tenant. Follow the rate at which the script applies on the wave devices.',
        },
        verification: {
          fr: 'Le script est appliqué sur au moins 90 % des postes de la vague en deux heures ; un poste témoin ouvre Outlook sur la boîte Bleu après authentification.',
          en: 'The script has applied on at least 90% of the wave devices within two hours; a reference device opens Outlook on the Bleu mailbox after sign-in.',
        },
        rollback: 'rb-outlook',
      },
      {
        key: 'hypercare-desk',
        stage: 'HYPERCARE',
        title: { fr: 'Renforcer le centre de services pour la vague', en: 'Reinforce the service desk for the wave' },
        team: SERVICE_DESK,
        duration: 2880,
        after: ['outlook-profiles'],
        instructions: {
          fr: 'Renforcer le centre de services et l’assistance de proximité pendant les deux premiers jours ouvrés, avec un script de prise d’appel propre à la vague (profil Outlook, mobile, délégations). Envoyer aux utilisateurs le message de fin de bascule avec le guide de première connexion. Faire chaque jour un point des tickets avec l’équipe messagerie.',
          en: 'Reinforce the service desk and on-site support for the first two working days, with a call script for the wave (Outlook profile, mobile, delegations). Send users the end-of-cutover message with the first sign-in guide. Review tickets with the messaging team every day.',
        },
        verification: {
          fr: 'Tickets liés à la vague comptés chaque jour ; aucun ticket bloquant sans solution depuis plus de quatre heures.',
          en: 'Wave tickets counted every day; no blocking ticket left without a fix for more than four hours.',
        },
      },
      {
        key: 'mail-flow-watch',
        stage: 'HYPERCARE',
        title: { fr: 'Surveiller le flux de messagerie et les rejets', en: 'Watch mail flow and bounces' },
        team: MESSAGING,
        duration: 2880,
        after: ['switch-dns', 'coexistence-connector'],
        instructions: {
          fr: 'Consulter toutes les deux heures le suivi des messages (`Get-MessageTrace`) des deux tenants pour repérer les rejets (NDR), les files d’attente et les messages encore reçus par l’ancien MX. Vérifier les rapports DMARC agrégés du lendemain.',
          en: 'Every two hours, check message trace (`Get-MessageTrace`) on both tenants for bounces (NDRs), queues and messages still reaching the former MX. Check the aggregate DMARC reports of the next day.',
        },
        verification: {
          fr: 'Taux de rejet revenu à son niveau habituel ; plus aucun message reçu par l’ancien MX après 24 heures.',
          en: 'Bounce rate back to its usual level; no message reaches the former MX after 24 hours.',
        },
      },
      {
        key: 'close',
        stage: 'HYPERCARE',
        title: { fr: 'Clôturer la vague et lever le gel', en: 'Close the wave and lift the freeze' },
        team: CUTOVER_LEAD,
        duration: 30,
        after: ['hypercare-desk', 'mail-flow-watch'],
        instructions: {
          fr: 'Faire le bilan de la vague avec les équipes : durées prévues et réelles, incidents, enseignements pour la vague suivante. Lever le gel des modifications, retirer l’ancien include SPF et planifier la suppression des boîtes d’origine selon la politique de conservation.',
          en: 'Review the wave with the teams: planned and actual durations, incidents, lessons for the next wave. Lift the change freeze, remove the former SPF include and schedule the deletion of the source mailboxes under the retention policy.',
        },
        verification: {
          fr: 'Bilan publié et ticket de changement clos ; date de suppression des boîtes d’origine inscrite au plan.',
          en: 'Review published and change ticket closed; deletion date of the source mailboxes entered in the plan.',
        },
      },
      {
        key: 'rb-routing',
        stage: 'ROLLBACK',
        title: {
          fr: 'Rétablir les enregistrements DNS et les connecteurs d’origine',
          en: 'Restore the original DNS records and connectors',
        },
        team: NETWORK,
        duration: 30,
        instructions: {
          fr: 'Republier les enregistrements MX, autodiscover, SPF et DKIM à partir de l’export de zone joint au ticket. Remettre les connecteurs de coexistence dans leur configuration d’avant la bascule.',
          en: 'Publish the MX, autodiscover, SPF and DKIM records again from the zone export attached to the ticket. Put the coexistence connectors back in their pre-cutover configuration.',
        },
        verification: {
          fr: '`dig MX` renvoie de nouveau l’ancien MX ; un message de test venu de l’extérieur arrive dans le tenant d’origine.',
          en: '`dig MX` returns the former MX again; a test message from outside arrives in the source tenant.',
        },
      },
      {
        key: 'rb-outlook',
        stage: 'ROLLBACK',
        title: {
          fr: 'Remettre l’ancien profil Outlook par défaut',
          en: 'Make the former Outlook profile the default again',
        },
        team: WORKPLACE,
        duration: 60,
        after: ['rb-routing'],
        instructions: {
          fr: 'Publier le script inverse qui remet l’ancien profil Outlook par défaut sur les postes de la vague, et retirer la configuration mobile Bleu. Le nouveau profil est conservé pour la prochaine tentative.',
          en: 'Publish the reverse script that makes the former Outlook profile the default on the wave devices, and withdraw the Bleu mobile configuration. The new profile is kept for the next attempt.',
        },
        verification: {
          fr: 'Un poste témoin ouvre Outlook sur la boîte du tenant d’origine.',
          en: 'A reference device opens Outlook on the source tenant mailbox.',
        },
      },
      {
        key: 'rb-mailboxes',
        stage: 'ROLLBACK',
        title: {
          fr: 'Rapatrier le courrier reçu dans Bleu et retirer les redirections',
          en: 'Bring back the mail received in Bleu and remove the forwarding',
        },
        team: MESSAGING,
        duration: 180,
        after: ['rb-routing'],
        instructions: {
          fr: 'Retirer les redirections posées sur les boîtes d’origine. Lancer dans l’outil de migration un lot inverse limité aux éléments reçus ou créés dans Bleu depuis la bascule. Les boîtes Bleu restent en place, masquées de la liste d’adresses globale, jusqu’à la nouvelle date de la vague.',
          en: 'Remove the forwarding set on the source mailboxes. In the migration tool, run a reverse batch limited to the items received or created in Bleu since the cutover. The Bleu mailboxes stay in place, hidden from the global address list, until the new wave date.',
        },
        verification: {
          fr: 'Les messages de test reçus dans Bleu après la bascule se trouvent dans les boîtes d’origine.',
          en: 'The test messages received in Bleu after the cutover are in the source mailboxes.',
        },
      },
      {
        key: 'rb-communication',
        stage: 'ROLLBACK',
        title: { fr: 'Informer les utilisateurs du retour arrière', en: 'Tell users about the rollback' },
        team: COMMUNICATIONS,
        duration: 30,
        after: ['rb-outlook', 'rb-mailboxes'],
        instructions: {
          fr: 'Envoyer depuis le tenant d’origine le message de retour arrière : la messagerie reste inchangée, l’ancien profil Outlook est rétabli, une nouvelle date sera communiquée. Informer le centre de services et les référents.',
          en: 'Send the rollback message from the source tenant: mail stays as before, the former Outlook profile is back, a new date will follow. Inform the service desk and the key users.',
        },
        verification: {
          fr: 'Message reçu par les membres du groupe de la vague ; script de prise d’appel du centre de services mis à jour.',
          en: 'Message received by the members of the wave group; service desk call script updated.',
        },
      },
    ],
  },
  {
    id: 'app-to-kubernetes',
    title: {
      fr: 'Application vers Kubernetes sur une offre qualifiée SecNumCloud',
      en: 'Application to Kubernetes on a SecNumCloud-qualified offer',
    },
    description: {
      fr: 'Bascule d’une application conteneurisée et de sa base PostgreSQL vers un cluster Kubernetes d’une offre qualifiée SecNumCloud : images dans le registre cible, release Helm, fin de la réplication de la base, bascule de l’ingress et du DNS, tests de fumée et supervision.',
      en: 'Cutover of a containerized application and its PostgreSQL database to a Kubernetes cluster on a SecNumCloud-qualified offer: images in the target registry, Helm release, end of the database replication, ingress and DNS switch, smoke tests and monitoring.',
    },
    planTemplates: ['azure-paas-to-kubernetes', 'apps-to-anthos-ovhcloud', 'gcp-to-s3ns'],
    tasks: [
      {
        key: 'announce',
        stage: 'FREEZE',
        title: { fr: 'Annoncer la fenêtre de maintenance', en: 'Announce the maintenance window' },
        team: CUTOVER_LEAD,
        startOffset: -4320,
        duration: 30,
        instructions: {
          fr: 'Publier la fenêtre d’indisponibilité sur la page d’état et l’envoyer aux utilisateurs, aux partenaires qui appellent les API et à l’astreinte. Préciser l’heure de fin prévue et le canal de suivi de la bascule (salon de discussion dédié, pont téléphonique).',
          en: 'Publish the downtime window on the status page and send it to users, to partners calling the APIs and to the on-call team. Give the planned end time and the cutover channel (dedicated chat room, conference bridge).',
        },
        verification: {
          fr: 'Page d’état à jour ; les principaux partenaires ont accusé réception.',
          en: 'Status page up to date; the main partners have acknowledged.',
        },
      },
      {
        key: 'lower-ttl',
        stage: 'FREEZE',
        title: {
          fr: 'Abaisser le TTL des enregistrements DNS de l’application',
          en: 'Lower the TTL of the application DNS records',
        },
        team: NETWORK,
        startOffset: -2880,
        duration: 15,
        instructions: {
          fr: 'Passer à 60 secondes le TTL des enregistrements publics et internes qui portent le nom de l’application, au moins 48 heures avant la bascule. Noter les valeurs actuelles (adresse, TTL) dans le ticket de changement.',
          en: 'Set the TTL of the public and internal records carrying the application name to 60 seconds, at least 48 hours before the cutover. Write the current values (address, TTL) in the change ticket.',
        },
        verification: {
          fr: '`dig +noall +answer <nom>` renvoie un TTL de 60 secondes ou moins sur les résolveurs internes et publics.',
          en: '`dig +noall +answer <name>` returns a TTL of 60 seconds or less on internal and public resolvers.',
        },
      },
      {
        key: 'code-freeze',
        stage: 'FREEZE',
        title: { fr: 'Geler les déploiements et la configuration', en: 'Freeze deployments and configuration' },
        team: APPLICATION,
        startOffset: -240,
        duration: 15,
        after: ['announce'],
        instructions: {
          fr: 'Suspendre les pipelines de déploiement continu vers la production source et protéger la branche de release. Relever le tag et le condensat (digest) des images en production : ce sont elles qui seront déployées sur la cible.',
          en: 'Pause the continuous deployment pipelines to the source production and protect the release branch. Record the tag and digest of the images in production: these are the ones deployed on the target.',
        },
        verification: {
          fr: 'Aucun pipeline de production actif ; tag et digests consignés dans le ticket.',
          en: 'No production pipeline running; tag and digests recorded in the ticket.',
        },
      },
      {
        key: 'maintenance',
        stage: 'FREEZE',
        title: { fr: 'Passer l’application source en maintenance', en: 'Put the source application in maintenance' },
        team: APPLICATION,
        startOffset: 0,
        duration: 15,
        after: ['code-freeze'],
        instructions: {
          fr: 'Afficher la page de maintenance au niveau du frontal ou de la passerelle d’API source. Arrêter les tâches planifiées et les consommateurs de files qui écrivent en base, puis attendre la fin des transactions en cours.',
          en: 'Show the maintenance page at the source front end or API gateway. Stop the scheduled jobs and queue consumers that write to the database, then wait for running transactions to end.',
        },
        verification: {
          fr: 'La page de maintenance s’affiche depuis l’extérieur ; `pg_stat_activity` ne montre plus de session applicative active.',
          en: 'The maintenance page shows from outside; `pg_stat_activity` shows no active application session.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'backup-db',
        stage: 'BACKUP',
        title: { fr: 'Sauvegarder la base source', en: 'Back up the source database' },
        team: DATABASE,
        duration: 45,
        after: ['maintenance'],
        instructions: {
          fr: 'Lancer une sauvegarde complète de la base source (`pg_dump -Fc` ou sauvegarde à la demande du service managé), puis calculer son empreinte avec `sha256sum`. Copier la sauvegarde, chiffrée, dans le stockage objet de l’offre cible, hébergé dans l’UE.',
          en: 'Run a full backup of the source database (`pg_dump -Fc` or an on-demand backup of the managed service), then compute its hash with `sha256sum`. Copy the backup, encrypted, to the object storage of the target offer, hosted in the EU.',
        },
        verification: {
          fr: 'L’empreinte de la copie sur le stockage cible est identique à celle de l’original ; `pg_restore --list` lit l’archive sans erreur.',
          en: 'The hash of the copy on the target storage matches the original; `pg_restore --list` reads the archive without error.',
        },
      },
      {
        key: 'backup-config',
        stage: 'BACKUP',
        title: {
          fr: 'Exporter la configuration et les secrets de production',
          en: 'Export the production configuration and secrets',
        },
        team: APPLICATION,
        duration: 30,
        after: ['code-freeze'],
        instructions: {
          fr: 'Exporter les paramètres de l’application et les secrets du coffre source (Azure Key Vault, Secret Manager) et vérifier qu’ils sont présents dans le coffre cible (Vault ou secrets scellés) référencé par les values Helm. Conserver l’export chiffré dans l’espace projet.',
          en: 'Export the application settings and the secrets of the source vault (Azure Key Vault, Secret Manager) and check they are in the target vault (Vault or sealed secrets) that the Helm values refer to. Keep the encrypted export in the project space.',
        },
        verification: {
          fr: 'Chaque clé de la configuration source a son équivalent dans le coffre cible (comparaison des listes de clés, jamais des valeurs en clair).',
          en: 'Every key of the source configuration has its counterpart in the target vault (comparing key lists, never plain values).',
        },
      },
      {
        key: 'go-migration',
        stage: 'MIGRATE',
        decision: true,
        title: { fr: 'Go / no-go : lancement de la migration', en: 'Go / no-go: start of the migration' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['backup-db', 'backup-config'],
        instructions: {
          fr: 'Le comité vérifie que la sauvegarde est complète et copiée, que la configuration est prête sur la cible et que le cluster cible est sain (nœuds Ready, aucune alerte critique). Il décide de lancer la migration ou de rouvrir la source.',
          en: 'The board checks that the backup is complete and copied, that the configuration is ready on the target and that the target cluster is healthy (nodes Ready, no critical alert). It decides to start the migration or to reopen the source.',
        },
        verification: {
          fr: 'Décision consignée ; en cas de no-go, l’application source sort de maintenance.',
          en: 'Decision recorded; on a no-go, the source application leaves maintenance.',
        },
      },
      {
        key: 'push-images',
        stage: 'MIGRATE',
        title: {
          fr: 'Copier et signer les images dans le registre cible',
          en: 'Copy and sign the images in the target registry',
        },
        team: CONTAINERS,
        duration: 30,
        after: ['code-freeze'],
        instructions: {
          fr: 'Copier les images de la release gelée vers le registre de l’offre cible (Harbor, par exemple) avec `skopeo copy` ou `crane copy`, en conservant les digests. Lancer l’analyse de vulnérabilités (Trivy) puis signer les images avec `cosign sign`.',
          en: 'Copy the images of the frozen release to the registry of the target offer (Harbor, for example) with `skopeo copy` or `crane copy`, keeping the digests. Run the vulnerability scan (Trivy), then sign the images with `cosign sign`.',
        },
        verification: {
          fr: 'Les digests du registre cible sont ceux relevés au gel ; `cosign verify` réussit ; aucune vulnérabilité critique non acceptée.',
          en: 'The digests in the target registry are those recorded at the freeze; `cosign verify` passes; no unaccepted critical vulnerability.',
        },
      },
      {
        key: 'db-sync',
        stage: 'MIGRATE',
        title: {
          fr: 'Finaliser la réplication de la base vers la cible',
          en: 'Complete the database replication to the target',
        },
        team: DATABASE,
        duration: 60,
        after: ['go-migration'],
        instructions: {
          fr: 'Vérifier que la réplication logique mise en place avant la fenêtre (publication sur la source, souscription sur la cible) a rattrapé son retard : `pg_stat_subscription` sur la cible, `pg_replication_slots` sur la source. Une fois le retard nul, désactiver la souscription puis recaler les séquences sur la cible, que la réplication logique ne copie pas.',
          en: 'Check that the logical replication set up before the window (publication on the source, subscription on the target) has caught up: `pg_stat_subscription` on the target, `pg_replication_slots` on the source. Once lag is zero, disable the subscription, then set the sequences on the target, since logical replication does not copy them.',
        },
        verification: {
          fr: 'Retard de réplication nul (LSN confirmé égal au LSN courant de la source) ; les séquences de la cible sont supérieures ou égales aux valeurs de la source.',
          en: 'Replication lag is zero (confirmed LSN equal to the current source LSN); the target sequences are at or above the source values.',
        },
      },
      {
        key: 'helm-deploy',
        stage: 'MIGRATE',
        title: {
          fr: 'Déployer la release Helm sur le cluster cible',
          en: 'Deploy the Helm release on the target cluster',
        },
        team: CONTAINERS,
        duration: 30,
        after: ['push-images', 'db-sync'],
        instructions: {
          fr: 'Lancer `helm upgrade --install <release> <chart> -n <namespace> -f values-production.yaml --atomic --wait --timeout 15m` avec les digests gelés. Vérifier les NetworkPolicies, les quotas et l’autoscaling (HPA) du namespace. L’ingress est créé, mais le DNS public pointe encore vers la source.',
          en: 'Run `helm upgrade --install <release> <chart> -n <namespace> -f values-production.yaml --atomic --wait --timeout 15m` with the frozen digests. Check the NetworkPolicies, quotas and autoscaling (HPA) of the namespace. The ingress is created, but public DNS still points to the source.',
        },
        verification: {
          fr: '`helm status` indique deployed ; tous les pods sont Ready sans redémarrage ; `kubectl get ingress` affiche l’adresse du répartiteur de charge.',
          en: '`helm status` shows deployed; every pod is Ready with no restart; `kubectl get ingress` shows the load balancer address.',
        },
        rollback: 'rb-release',
      },
      {
        key: 'smoke-tests',
        stage: 'VALIDATE',
        title: { fr: 'Tests de fumée sur l’ingress cible', en: 'Smoke tests on the target ingress' },
        team: APPLICATION,
        duration: 30,
        after: ['helm-deploy'],
        instructions: {
          fr: 'Lancer la suite de tests de fumée contre l’ingress cible en forçant la résolution (`curl --resolve <nom>:443:<ip>`, scénarios Playwright) : page d’accueil, authentification par le fournisseur d’identité, lecture et écriture d’un enregistrement de test. Vérifier le certificat TLS délivré par cert-manager.',
          en: 'Run the smoke test suite against the target ingress with forced resolution (`curl --resolve <name>:443:<ip>`, Playwright scenarios): home page, sign-in through the identity provider, reading and writing a test record. Check the TLS certificate issued by cert-manager.',
        },
        verification: {
          fr: 'Tous les tests passent ; le certificat est valide pour le nom public ; l’enregistrement de test est supprimé.',
          en: 'Every test passes; the certificate is valid for the public name; the test record is deleted.',
        },
      },
      {
        key: 'data-checks',
        stage: 'VALIDATE',
        title: { fr: 'Contrôler les données répliquées', en: 'Check the replicated data' },
        team: DATABASE,
        duration: 30,
        after: ['db-sync'],
        instructions: {
          fr: 'Comparer entre source et cible le nombre de lignes de chaque table et une empreinte des principales tables métier, triées par clé primaire (`md5(string_agg(...))`, par exemple). Contrôler que les extensions et les droits des rôles applicatifs sont identiques.',
          en: 'Compare between source and target the row count of every table and a hash of the main business tables, ordered by primary key (`md5(string_agg(...))`, for example). Check that extensions and application role grants match.',
        },
        verification: {
          fr: 'Nombres de lignes et empreintes identiques sur les tables contrôlées.',
          en: 'Row counts and hashes match on the checked tables.',
        },
      },
      {
        key: 'monitoring',
        stage: 'VALIDATE',
        title: { fr: 'Vérifier la supervision et la journalisation', en: 'Check monitoring and logging' },
        team: OPERATIONS,
        duration: 30,
        after: ['helm-deploy'],
        instructions: {
          fr: 'Vérifier que Prometheus collecte les métriques de l’application (cibles up), que les tableaux de bord Grafana et les alertes sont actifs et routés vers l’astreinte. Contrôler que les journaux arrivent dans le SIEM hébergé dans l’UE.',
          en: 'Check that Prometheus scrapes the application metrics (targets up), and that the Grafana dashboards and alerts are on and routed to the on-call team. Check that logs reach the SIEM hosted in the EU.',
        },
        verification: {
          fr: 'Une alerte de test déclenchée volontairement parvient à l’astreinte ; les journaux des pods sont consultables dans le SIEM.',
          en: 'A test alert fired on purpose reaches the on-call team; pod logs can be searched in the SIEM.',
        },
      },
      {
        key: 'go-switch',
        stage: 'VALIDATE',
        decision: true,
        title: { fr: 'Go / no-go : bascule du DNS vers la cible', en: 'Go / no-go: DNS switch to the target' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['smoke-tests', 'data-checks', 'monitoring'],
        instructions: {
          fr: 'Le comité passe en revue les tests de fumée, les contrôles de données, la supervision et les points de conformité ouverts. Après la réouverture, les écritures se font sur la cible : un retour arrière imposera de reprendre ces données sur la source. Consigner la décision et son heure.',
          en: 'The board reviews the smoke tests, the data checks, monitoring and the open compliance checkpoints. After reopening, writes go to the target: a rollback would mean carrying that data back to the source. Record the decision and its time.',
        },
        verification: DECISION_RECORDED,
      },
      {
        key: 'switch-dns',
        stage: 'SWITCH',
        title: { fr: 'Basculer le DNS vers l’ingress cible', en: 'Switch DNS to the target ingress' },
        team: NETWORK,
        duration: 15,
        after: ['go-switch'],
        instructions: {
          fr: 'Faire pointer les enregistrements publics et internes de l’application vers l’adresse du répartiteur de charge de l’ingress cible. Mettre à jour les listes d’adresses autorisées du pare-feu applicatif (WAF) et prévenir les partenaires qui filtrent par adresse IP.',
          en: 'Point the public and internal records of the application to the address of the target ingress load balancer. Update the allow-lists of the web application firewall (WAF) and warn partners that filter by IP address.',
        },
        verification: {
          fr: '`dig` renvoie la nouvelle adresse sur les résolveurs internes et publics ; les journaux de l’ingress cible montrent les premières requêtes.',
          en: '`dig` returns the new address on internal and public resolvers; the target ingress logs show the first requests.',
        },
        rollback: 'rb-dns',
      },
      {
        key: 'reopen',
        stage: 'SWITCH',
        title: { fr: 'Rouvrir le service sur la cible', en: 'Reopen the service on the target' },
        team: APPLICATION,
        duration: 20,
        after: ['switch-dns'],
        instructions: {
          fr: 'Retirer la page de maintenance et réactiver les tâches planifiées et les consommateurs de files, sur la cible uniquement. Laisser l’application source arrêtée mais intacte jusqu’à la fin de la vigilance renforcée. Annoncer la réouverture sur la page d’état.',
          en: 'Remove the maintenance page and turn the scheduled jobs and queue consumers back on, on the target only. Leave the source application stopped but intact until hypercare ends. Announce the reopening on the status page.',
        },
        verification: {
          fr: 'Les premières transactions réelles aboutissent (journaux et métriques métier) ; aucune tâche planifiée ne tourne sur la source.',
          en: 'The first real transactions succeed (logs and business metrics); no scheduled job runs on the source.',
        },
        rollback: 'rb-release',
      },
      {
        key: 'watch',
        stage: 'HYPERCARE',
        title: { fr: 'Surveillance renforcée de l’application', en: 'Close watch on the application' },
        team: OPERATIONS,
        duration: 1440,
        after: ['reopen'],
        instructions: {
          fr: 'Suivre pendant 24 heures le taux d’erreurs 5xx à l’ingress, la latence au 95e centile, les redémarrages de pods et les connexions à la base, par rapport à la référence mesurée sur la source. Faire un point toutes les quatre heures avec l’équipe applicative.',
          en: 'For 24 hours, follow the 5xx error rate at the ingress, the 95th percentile latency, pod restarts and database connections, against the baseline measured on the source. Hold a check-in with the application team every four hours.',
        },
        verification: {
          fr: 'Indicateurs dans les seuils de la référence ; aucun incident majeur ouvert.',
          en: 'Indicators within the baseline thresholds; no major incident open.',
        },
      },
      {
        key: 'close',
        stage: 'HYPERCARE',
        title: {
          fr: 'Clôturer la bascule et planifier le retrait de la source',
          en: 'Close the cutover and plan the source decommissioning',
        },
        team: CUTOVER_LEAD,
        duration: 60,
        after: ['watch'],
        instructions: {
          fr: 'Faire le bilan (durées prévues et réelles, incidents), rebrancher les pipelines de déploiement sur la cible et lever le gel. Planifier l’arrêt définitif de la source, la suppression de la publication et du slot de réplication, et l’effacement des données sur l’ancienne plateforme.',
          en: 'Review the cutover (planned and actual durations, incidents), point the deployment pipelines at the target and lift the freeze. Plan the final shutdown of the source, the removal of the publication and replication slot, and the erasure of the data on the former platform.',
        },
        verification: {
          fr: 'Bilan publié ; pipelines branchés sur la cible ; date d’effacement de la source inscrite au plan.',
          en: 'Review published; pipelines aimed at the target; source erasure date entered in the plan.',
        },
      },
      {
        key: 'rb-dns',
        stage: 'ROLLBACK',
        title: { fr: 'Rétablir le DNS vers la source', en: 'Point DNS back to the source' },
        team: NETWORK,
        duration: 15,
        instructions: {
          fr: 'Republier les enregistrements de l’application avec les valeurs consignées dans le ticket de changement, et rétablir les listes d’adresses autorisées du WAF.',
          en: 'Publish the application records again with the values recorded in the change ticket, and restore the WAF allow-lists.',
        },
        verification: {
          fr: '`dig` renvoie de nouveau l’adresse source sur les résolveurs internes et publics.',
          en: '`dig` returns the source address again on internal and public resolvers.',
        },
      },
      {
        key: 'rb-release',
        stage: 'ROLLBACK',
        title: { fr: 'Mettre la release cible à l’arrêt', en: 'Scale the target release down' },
        team: CONTAINERS,
        duration: 20,
        after: ['rb-dns'],
        instructions: {
          fr: 'Ramener à zéro les réplicas de la release cible (`kubectl scale deployment --all --replicas=0 -n <namespace>`) sans la désinstaller, pour garder les ressources à l’analyse. Exporter les écritures faites sur la base cible depuis la réouverture, pour les reprendre sur la source.',
          en: 'Scale the target release to zero replicas (`kubectl scale deployment --all --replicas=0 -n <namespace>`) without uninstalling it, to keep the resources for analysis. Export the writes made on the target database since the reopening, to carry them over to the source.',
        },
        verification: {
          fr: 'Aucun pod applicatif ne tourne dans le namespace ; l’export des écritures est archivé.',
          en: 'No application pod runs in the namespace; the export of writes is archived.',
        },
      },
      {
        key: 'rb-source',
        stage: 'ROLLBACK',
        title: { fr: 'Rouvrir l’application source', en: 'Reopen the source application' },
        team: APPLICATION,
        duration: 30,
        after: ['rb-release'],
        instructions: {
          fr: 'Réintégrer sur la base source les écritures exportées, s’il y en a, puis retirer la page de maintenance et réactiver les tâches planifiées sur la source. Annoncer le retour arrière sur la page d’état et aux partenaires.',
          en: 'Apply the exported writes, if any, to the source database, then remove the maintenance page and turn the scheduled jobs back on at the source. Announce the rollback on the status page and to partners.',
        },
        verification: {
          fr: 'Les tests de fumée passent sur la source ; la page d’état annonce le retour arrière.',
          en: 'Smoke tests pass on the source; the status page announces the rollback.',
        },
      },
    ],
  },
  {
    id: 'iaas-lift-and-shift',
    title: {
      fr: 'Migration à l’identique de machines virtuelles vers un IaaS qualifié',
      en: 'Lift-and-shift of virtual machines to a qualified IaaS',
    },
    description: {
      fr: 'Bascule d’un lot de machines virtuelles répliquées vers un IaaS qualifié SecNumCloud : synchronisation finale, démarrage sur la cible, changement d’adresses IP et de DNS, rebranchement des sauvegardes et de la supervision.',
      en: 'Cutover of a group of replicated virtual machines to a SecNumCloud-qualified IaaS: final sync, boot on the target, IP and DNS change, backups and monitoring re-pointed.',
    },
    planTemplates: ['iaas-lift-and-shift'],
    tasks: [
      {
        key: 'announce',
        stage: 'FREEZE',
        title: {
          fr: 'Faire valider le changement en CAB et annoncer la fenêtre',
          en: 'Get the change approved by the CAB and announce the window',
        },
        team: CUTOVER_LEAD,
        startOffset: -4320,
        duration: 30,
        instructions: {
          fr: 'Présenter le changement au comité des changements (CAB) avec la liste des machines, l’ordre d’arrêt et de démarrage et le plan de retour arrière. Une fois le changement approuvé, annoncer la fenêtre aux métiers et aux partenaires qui accèdent aux serveurs.',
          en: 'Present the change to the change advisory board (CAB) with the list of machines, the shutdown and boot order and the rollback plan. Once the change is approved, announce the window to the business and to partners that reach the servers.',
        },
        verification: {
          fr: 'Changement approuvé dans l’outil de gestion des services (GLPI, ServiceNow) ; annonce envoyée.',
          en: 'Change approved in the service management tool (GLPI, ServiceNow); announcement sent.',
        },
      },
      {
        key: 'lower-ttl',
        stage: 'FREEZE',
        title: {
          fr: 'Abaisser le TTL des enregistrements DNS des serveurs',
          en: 'Lower the TTL of the server DNS records',
        },
        team: NETWORK,
        startOffset: -2880,
        duration: 15,
        instructions: {
          fr: 'Passer à 300 secondes le TTL des enregistrements A et CNAME des machines du lot et des noms de service qu’elles portent. Noter les anciennes adresses IP dans le ticket de changement.',
          en: 'Set the TTL of the A and CNAME records of the machines in the group, and of the service names they carry, to 300 seconds. Write the former IP addresses in the change ticket.',
        },
        verification: {
          fr: '`dig` renvoie un TTL de 300 secondes ou moins pour chaque nom du lot.',
          en: '`dig` returns a TTL of 300 seconds or less for every name in the group.',
        },
      },
      {
        key: 'check-replication',
        stage: 'FREEZE',
        title: {
          fr: 'Vérifier l’état de la réplication des machines',
          en: 'Check the replication state of the machines',
        },
        team: INFRASTRUCTURE,
        startOffset: -240,
        duration: 30,
        instructions: {
          fr: 'Dans l’outil de réplication (Veeam Replication, Zerto ou VMware HCX selon l’offre cible), vérifier que chaque machine du lot est synchronisée, que le RPO est tenu et que les ressources réservées sur la cible (vCPU, mémoire, stockage) suffisent. Vérifier aussi que le réseau cible et les règles de pare-feu sont en place.',
          en: 'In the replication tool (Veeam Replication, Zerto or VMware HCX depending on the target offer), check that every machine in the group is in sync, that the RPO is met and that the resources reserved on the target (vCPU, memory, storage) are enough. Also check that the target network and firewall rules are in place.',
        },
        verification: {
          fr: 'Toutes les machines sont synchronisées avec un RPO inférieur à 15 minutes.',
          en: 'Every machine is in sync with an RPO under 15 minutes.',
        },
      },
      {
        key: 'stop-apps',
        stage: 'FREEZE',
        title: { fr: 'Arrêter proprement les services applicatifs', en: 'Stop the application services cleanly' },
        team: APPLICATION,
        startOffset: 0,
        duration: 30,
        after: ['announce'],
        instructions: {
          fr: 'Arrêter les services dans l’ordre inverse des dépendances : frontaux, serveurs d’application, puis bases de données (`systemctl stop`, `Stop-Service`, arrêt d’IIS). Vérifier qu’aucune écriture n’est en cours et que les files d’attente sont vides.',
          en: 'Stop the services in reverse dependency order: front ends, application servers, then databases (`systemctl stop`, `Stop-Service`, IIS stop). Check that no write is in progress and that queues are empty.',
        },
        verification: {
          fr: 'Aucun processus applicatif actif ; la page de maintenance s’affiche pour les utilisateurs.',
          en: 'No application process running; users see the maintenance page.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'backup-vms',
        stage: 'BACKUP',
        title: { fr: 'Sauvegarde finale des machines source', en: 'Final backup of the source machines' },
        team: BACKUP,
        duration: 60,
        after: ['stop-apps'],
        instructions: {
          fr: 'Lancer un travail de sauvegarde complète (Veeam Backup, par exemple) de toutes les machines du lot, services arrêtés, vers le dépôt de sauvegarde existant. Conserver ce point de restauration au moins jusqu’à la clôture de la vigilance renforcée.',
          en: 'Run a full backup job (Veeam Backup, for example) of every machine in the group, services stopped, to the existing backup repository. Keep this restore point at least until hypercare closes.',
        },
        verification: {
          fr: 'Travail terminé au statut Success pour chaque machine ; point de restauration verrouillé.',
          en: 'Job finished as Success for every machine; restore point locked.',
        },
      },
      {
        key: 'export-config',
        stage: 'BACKUP',
        title: {
          fr: 'Relever la configuration réseau et les fiches d’inventaire',
          en: 'Record the network configuration and inventory records',
        },
        team: INFRASTRUCTURE,
        duration: 30,
        after: ['check-replication'],
        instructions: {
          fr: 'Relever pour chaque machine l’adresse IP, le masque, la passerelle, les routes statiques, les résolveurs DNS et les règles de pare-feu qui la concernent. Extraire les fiches correspondantes de la CMDB (GLPI, ServiceNow) pour les mettre à jour après la bascule.',
          en: 'Record, for every machine, its IP address, netmask, gateway, static routes, DNS resolvers and the firewall rules that concern it. Extract the matching records from the CMDB (GLPI, ServiceNow) to update them after the cutover.',
        },
        verification: {
          fr: 'Relevé complet pour toutes les machines du lot, joint au ticket.',
          en: 'Record complete for every machine in the group, attached to the ticket.',
        },
      },
      {
        key: 'go-migration',
        stage: 'MIGRATE',
        decision: true,
        title: { fr: 'Go / no-go : basculement des machines', en: 'Go / no-go: failover of the machines' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['backup-vms', 'export-config'],
        instructions: {
          fr: 'Le comité vérifie la sauvegarde finale, l’état de la réplication et la disponibilité des équipes applicatives pour la recette. Il décide de lancer le basculement ou de redémarrer les services sur la source.',
          en: 'The board checks the final backup, the replication state and that the application teams are available for testing. It decides to start the failover or to restart the services on the source.',
        },
        verification: {
          fr: 'Décision consignée ; en cas de no-go, les services source sont redémarrés et contrôlés.',
          en: 'Decision recorded; on a no-go, the source services are restarted and checked.',
        },
      },
      {
        key: 'final-sync',
        stage: 'MIGRATE',
        title: {
          fr: 'Synchronisation finale et arrêt des machines source',
          en: 'Final sync and shutdown of the source machines',
        },
        team: INFRASTRUCTURE,
        duration: 30,
        after: ['go-migration'],
        instructions: {
          fr: 'Lancer la dernière synchronisation incrémentale de chaque machine, puis arrêter proprement le système invité des machines source, sans les supprimer. Désactiver leur démarrage automatique pour que deux machines portant le même nom ne soient jamais actives en même temps sur le réseau.',
          en: 'Run the last incremental sync of each machine, then shut down the guest system of the source machines cleanly, without deleting them. Turn off their automatic start so that two machines with the same name are never live on the network at once.',
        },
        verification: {
          fr: 'Dernière synchronisation réussie pour chaque machine ; machines source éteintes.',
          en: 'Last sync succeeded for every machine; source machines powered off.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'boot-target',
        stage: 'MIGRATE',
        title: { fr: 'Démarrer les machines sur la cible', en: 'Boot the machines on the target' },
        team: INFRASTRUCTURE,
        duration: 45,
        after: ['final-sync'],
        instructions: {
          fr: 'Déclencher le basculement dans l’outil de réplication et démarrer les machines dans l’ordre des dépendances : bases de données, serveurs d’application, frontaux. Contrôler sur la console que chaque système démarre, que les pilotes (VMware Tools ou virtio) sont chargés et que les disques sont montés.',
          en: 'Trigger the failover in the replication tool and boot the machines in dependency order: databases, application servers, front ends. Check on the console that each system boots, that the drivers (VMware Tools or virtio) are loaded and that the disks are mounted.',
        },
        verification: {
          fr: 'Toutes les machines ont démarré ; `df -h` ou la gestion des disques montre tous les volumes attendus.',
          en: 'Every machine has booted; `df -h` or disk management shows every expected volume.',
        },
        rollback: 'rb-target',
      },
      {
        key: 'reconfigure-network',
        stage: 'MIGRATE',
        title: {
          fr: 'Appliquer le nouvel adressage et la configuration réseau',
          en: 'Apply the new addressing and network configuration',
        },
        team: INFRASTRUCTURE,
        duration: 45,
        after: ['boot-target'],
        instructions: {
          fr: 'Appliquer sur chaque machine le plan d’adressage cible (IP, passerelle, routes, résolveurs DNS, NTP), sauf si le réseau de niveau 2 est étendu et les adresses conservées. Mettre à jour les groupes de sécurité ou les règles de pare-feu de l’offre cible, et réactiver les licences liées au matériel (KMS Windows).',
          en: 'Apply the target addressing plan on each machine (IP, gateway, routes, DNS resolvers, NTP), unless the layer 2 network is stretched and the addresses kept. Update the security groups or firewall rules of the target offer, and reactivate the licenses tied to hardware (Windows KMS).',
        },
        verification: {
          fr: 'Chaque machine joint sa passerelle, les résolveurs DNS et les autres machines du lot ; heure synchronisée ; Windows activé.',
          en: 'Each machine reaches its gateway, the DNS resolvers and the other machines in the group; time in sync; Windows activated.',
        },
      },
      {
        key: 'tech-checks',
        stage: 'VALIDATE',
        title: { fr: 'Contrôles techniques après démarrage', en: 'Technical checks after boot' },
        team: INFRASTRUCTURE,
        duration: 30,
        after: ['reconfigure-network'],
        instructions: {
          fr: 'Démarrer les services applicatifs et vérifier qu’ils sont actifs, que les journaux système ne montrent pas d’erreur et que les flux entre niveaux sont ouverts. Vérifier l’appartenance au domaine (`Test-ComputerSecureChannel`) et la remontée des agents antivirus ou EDR.',
          en: 'Start the application services and check they are running, that the system logs show no error and that the flows between tiers are open. Check the domain membership (`Test-ComputerSecureChannel`) and that the antivirus or EDR agents report in.',
        },
        verification: {
          fr: 'Liste de contrôle technique remplie sans point bloquant.',
          en: 'Technical checklist completed with no blocking item.',
        },
      },
      {
        key: 'app-tests',
        stage: 'VALIDATE',
        title: { fr: 'Recette fonctionnelle sur la cible', en: 'Functional tests on the target' },
        team: APPLICATION,
        duration: 60,
        after: ['tech-checks'],
        instructions: {
          fr: 'Dérouler les scénarios de la fiche de recette en accédant directement aux nouvelles adresses (fichier hosts du poste de test) : connexion, consultation, saisie, éditions, échanges avec les autres applications. Noter les temps de réponse des écrans clés.',
          en: 'Go through the test sheet scenarios by reaching the new addresses directly (hosts file on the test device): sign-in, lookup, data entry, printing, exchanges with other applications. Note the response times of the key screens.',
        },
        verification: {
          fr: 'Fiche de recette signée par le responsable applicatif ; aucune anomalie bloquante.',
          en: 'Test sheet signed by the application owner; no blocking defect.',
        },
      },
      {
        key: 'go-switch',
        stage: 'VALIDATE',
        decision: true,
        title: { fr: 'Go / no-go : bascule DNS et réouverture', en: 'Go / no-go: DNS switch and reopening' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['app-tests'],
        instructions: {
          fr: 'Le comité examine les contrôles techniques, la recette et les points de conformité ouverts. Après la réouverture, un simple redémarrage de la source ferait perdre les données produites sur la cible : un retour arrière au-delà de ce point impose de les reprendre. Consigner la décision et son heure.',
          en: 'The board reviews the technical checks, the tests and the open compliance checkpoints. After reopening, a plain restart of the source would lose the data produced on the target: a rollback past this point means carrying it over. Record the decision and its time.',
        },
        verification: DECISION_RECORDED,
      },
      {
        key: 'switch-dns',
        stage: 'SWITCH',
        title: {
          fr: 'Modifier les enregistrements DNS et ouvrir les flux',
          en: 'Change the DNS records and open the flows',
        },
        team: NETWORK,
        duration: 20,
        after: ['go-switch'],
        instructions: {
          fr: 'Faire pointer les enregistrements A des machines et des noms de service vers les nouvelles adresses, puis vider les caches des résolveurs internes. Ouvrir les flux des partenaires vers les nouvelles adresses publiques et leur communiquer ces adresses s’ils filtrent par IP.',
          en: 'Point the A records of the machines and service names to the new addresses, then flush the internal resolver caches. Open partner flows to the new public addresses and send those addresses to partners that filter by IP.',
        },
        verification: {
          fr: '`nslookup` depuis un poste utilisateur renvoie les nouvelles adresses ; les utilisateurs accèdent à l’application.',
          en: '`nslookup` from a user device returns the new addresses; users reach the application.',
        },
        rollback: 'rb-dns',
      },
      {
        key: 'repoint-backups',
        stage: 'SWITCH',
        title: { fr: 'Rebrancher les sauvegardes et la supervision', en: 'Re-point backups and monitoring' },
        team: BACKUP,
        duration: 45,
        after: ['switch-dns'],
        instructions: {
          fr: 'Créer ou modifier les travaux de sauvegarde pour couvrir les machines migrées (ou passer au service de sauvegarde de l’offre), et désactiver ceux des machines source. Mettre à jour les hôtes dans la supervision (Centreon, Zabbix) avec les nouvelles adresses.',
          en: 'Create or change the backup jobs so they cover the migrated machines (or move to the backup service of the offer), and turn off those of the source machines. Update the hosts in monitoring (Centreon, Zabbix) with the new addresses.',
        },
        verification: {
          fr: 'Tous les hôtes du lot sont au vert dans la supervision ; chaque machine migrée figure dans un travail de sauvegarde actif.',
          en: 'Every host in the group is green in monitoring; every migrated machine is in an active backup job.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'first-backup',
        stage: 'HYPERCARE',
        title: {
          fr: 'Contrôler la première sauvegarde et tester une restauration',
          en: 'Check the first backup and test a restore',
        },
        team: BACKUP,
        duration: 120,
        after: ['repoint-backups'],
        instructions: {
          fr: 'Vérifier le résultat de la première sauvegarde nocturne sur la cible, puis restaurer un fichier et une machine complète dans un réseau isolé. Mesurer la durée de restauration et la comparer à l’objectif (RTO).',
          en: 'Check the result of the first nightly backup on the target, then restore a file and a whole machine in an isolated network. Measure the restore time and compare it with the objective (RTO).',
        },
        verification: {
          fr: 'Sauvegarde réussie ; restauration de test fonctionnelle dans le délai de l’objectif.',
          en: 'Backup succeeded; test restore working within the objective.',
        },
      },
      {
        key: 'watch',
        stage: 'HYPERCARE',
        title: { fr: 'Surveillance renforcée des machines migrées', en: 'Close watch on the migrated machines' },
        team: OPERATIONS,
        duration: 2880,
        after: ['switch-dns'],
        instructions: {
          fr: 'Pendant deux jours ouvrés, comparer la charge CPU, la mémoire et la latence disque aux mesures de référence de la source, et suivre les tickets des utilisateurs. Traiter en priorité tout flux oublié (partenaire, impression, transfert de fichiers).',
          en: 'For two working days, compare CPU load, memory and disk latency with the source reference measurements, and follow user tickets. Handle any forgotten flow (partner, printing, file transfer) first.',
        },
        verification: {
          fr: 'Aucun incident majeur ouvert ; indicateurs dans les seuils de la référence.',
          en: 'No major incident open; indicators within the baseline thresholds.',
        },
      },
      {
        key: 'close',
        stage: 'HYPERCARE',
        title: {
          fr: 'Clôturer, mettre à jour la CMDB et planifier le décommissionnement',
          en: 'Close, update the CMDB and plan decommissioning',
        },
        team: CUTOVER_LEAD,
        duration: 30,
        after: ['first-backup', 'watch'],
        instructions: {
          fr: 'Mettre à jour les fiches de la CMDB (hébergement, adresses, contrats) et faire le bilan de la bascule. Lever le gel, arrêter la réplication et programmer la suppression des machines source et l’effacement sécurisé de leurs disques après la période de conservation.',
          en: 'Update the CMDB records (hosting, addresses, contracts) and review the cutover. Lift the freeze, stop replication and schedule the deletion of the source machines and the secure erasure of their disks after the retention period.',
        },
        verification: {
          fr: 'CMDB à jour ; ticket clos ; date d’effacement des machines source inscrite au plan.',
          en: 'CMDB up to date; ticket closed; erasure date of the source machines entered in the plan.',
        },
      },
      {
        key: 'rb-dns',
        stage: 'ROLLBACK',
        title: { fr: 'Rétablir les enregistrements DNS d’origine', en: 'Restore the original DNS records' },
        team: NETWORK,
        duration: 20,
        instructions: {
          fr: 'Republier les enregistrements A avec les anciennes adresses consignées dans le ticket, vider les caches des résolveurs internes et refermer les flux ouverts vers les nouvelles adresses.',
          en: 'Publish the A records again with the former addresses recorded in the ticket, flush the internal resolver caches and close the flows opened to the new addresses.',
        },
        verification: {
          fr: '`nslookup` depuis un poste utilisateur renvoie les anciennes adresses.',
          en: '`nslookup` from a user device returns the former addresses.',
        },
      },
      {
        key: 'rb-target',
        stage: 'ROLLBACK',
        title: { fr: 'Arrêter les machines cibles', en: 'Shut down the target machines' },
        team: INFRASTRUCTURE,
        duration: 20,
        after: ['rb-dns'],
        instructions: {
          fr: 'Arrêter les machines cibles dans l’ordre inverse des dépendances, sans les supprimer, et désactiver leur démarrage automatique. Si des données ont été produites sur la cible, les exporter avant l’arrêt pour les reprendre sur la source.',
          en: 'Shut down the target machines in reverse dependency order, without deleting them, and turn off their automatic start. If data was produced on the target, export it before the shutdown to carry it over to the source.',
        },
        verification: {
          fr: 'Toutes les machines cibles sont éteintes ; aucune ne répond au ping.',
          en: 'Every target machine is powered off; none answers ping.',
        },
      },
      {
        key: 'rb-source',
        stage: 'ROLLBACK',
        title: { fr: 'Redémarrer les machines et services source', en: 'Restart the source machines and services' },
        team: INFRASTRUCTURE,
        duration: 45,
        after: ['rb-target'],
        instructions: {
          fr: 'Rallumer les machines source dans l’ordre des dépendances, redémarrer les services applicatifs et réactiver les travaux de sauvegarde et la supervision d’origine. Relancer la réplication vers la cible en vue de la prochaine tentative.',
          en: 'Power the source machines back on in dependency order, restart the application services and turn the original backup jobs and monitoring back on. Restart replication to the target for the next attempt.',
        },
        verification: {
          fr: 'Tests de fumée réussis sur la source ; services accessibles aux utilisateurs.',
          en: 'Smoke tests pass on the source; services reachable by users.',
        },
      },
    ],
  },
  {
    id: 'database-move',
    title: { fr: 'Déplacement d’une base de données de production', en: 'Move of a production database' },
    description: {
      fr: 'Gel des écritures, copie finale et bascule d’une base de production vers sa nouvelle plateforme : passage en lecture seule, synchronisation finale et contrôle du retard de réplication, comparaison des sommes de contrôle, changement des chaînes de connexion.',
      en: 'Write freeze, final copy and switch of a production database to its new platform: read-only mode, final synchronization and replication lag check, checksum comparison, connection string switch.',
    },
    planTemplates: ['iaas-lift-and-shift', 'azure-paas-to-kubernetes', 'gcp-to-s3ns'],
    tasks: [
      {
        key: 'announce',
        stage: 'FREEZE',
        title: {
          fr: 'Annoncer l’indisponibilité aux applications consommatrices',
          en: 'Announce the downtime to the consuming applications',
        },
        team: CUTOVER_LEAD,
        startOffset: -2880,
        duration: 30,
        instructions: {
          fr: 'Prévenir les responsables des applications, des flux d’échange et des traitements décisionnels qui lisent ou écrivent dans la base : fenêtre de lecture seule, heure de reprise prévue, nouveau nom d’hôte. Recenser avec eux toutes les chaînes de connexion à modifier.',
          en: 'Warn the owners of the applications, data flows and reporting jobs that read or write the database: read-only window, planned resumption time, new host name. List with them every connection string to change.',
        },
        verification: {
          fr: 'Chaque application consommatrice a confirmé et figure dans l’inventaire des chaînes de connexion.',
          en: 'Every consuming application has confirmed and is in the connection string inventory.',
        },
      },
      {
        key: 'check-replication',
        stage: 'FREEZE',
        title: { fr: 'Contrôler la réplication vers la base cible', en: 'Check replication to the target database' },
        team: DATABASE,
        startOffset: -240,
        duration: 20,
        instructions: {
          fr: 'Vérifier que la réplique cible, initialisée les jours précédents, suit la source : `pg_stat_replication` sur la source (PostgreSQL) ou `SHOW REPLICA STATUS` (MySQL, MariaDB), espace disque libre et version compatible sur la cible. Relever le retard de réplication moyen de la semaine.',
          en: 'Check that the target replica, seeded in the previous days, follows the source: `pg_stat_replication` on the source (PostgreSQL) or `SHOW REPLICA STATUS` (MySQL, MariaDB), free disk space and a compatible version on the target. Note the average replication lag of the week.',
        },
        verification: {
          fr: 'Réplication active, retard inférieur à 10 secondes, au moins 30 % d’espace disque libre sur la cible.',
          en: 'Replication running, lag under 10 seconds, at least 30% free disk space on the target.',
        },
      },
      {
        key: 'stop-batches',
        stage: 'FREEZE',
        title: { fr: 'Suspendre les traitements par lots et les flux', en: 'Suspend batch jobs and data flows' },
        team: OPERATIONS,
        startOffset: -60,
        duration: 30,
        after: ['announce'],
        instructions: {
          fr: 'Mettre en attente dans l’ordonnanceur (Control-M, $Universe, cron) les traitements qui écrivent dans la base, ainsi que les flux ETL entrants. Laisser se terminer les traitements en cours plutôt que de les interrompre.',
          en: 'Hold in the scheduler (Control-M, $Universe, cron) the jobs that write to the database, and the incoming ETL flows. Let running jobs finish rather than killing them.',
        },
        verification: {
          fr: 'Aucun traitement en cours dans l’ordonnanceur sur le périmètre de la base.',
          en: 'No job running in the scheduler for the database scope.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'read-only',
        stage: 'FREEZE',
        title: { fr: 'Passer la base source en lecture seule', en: 'Put the source database in read-only mode' },
        team: DATABASE,
        startOffset: 0,
        duration: 15,
        after: ['stop-batches'],
        instructions: {
          fr: 'Arrêter ou mettre en maintenance les applications qui écrivent, puis passer la base en lecture seule (`ALTER DATABASE <base> SET default_transaction_read_only = on` sous PostgreSQL, `SET GLOBAL super_read_only = ON` sous MySQL). Fermer les sessions restantes avec `pg_terminate_backend` après accord du responsable applicatif.',
          en: 'Stop the writing applications or put them in maintenance, then set the database read-only (`ALTER DATABASE <db> SET default_transaction_read_only = on` on PostgreSQL, `SET GLOBAL super_read_only = ON` on MySQL). Close the remaining sessions with `pg_terminate_backend` once the application owner agrees.',
        },
        verification: {
          fr: 'Une écriture de test est refusée ; le LSN (ou la position binlog) de la source n’avance plus.',
          en: 'A test write is refused; the source LSN (or binlog position) no longer moves.',
        },
        rollback: 'rb-source',
      },
      {
        key: 'final-backup',
        stage: 'BACKUP',
        title: { fr: 'Sauvegarde finale de la base source', en: 'Final backup of the source database' },
        team: DATABASE,
        duration: 60,
        after: ['read-only'],
        instructions: {
          fr: 'Lancer une sauvegarde complète de la base figée (`pg_basebackup`, `pg_dump -Fc`, RMAN ou `mysqldump --single-transaction`) et l’envoyer sur un stockage distinct des deux plateformes. Calculer et consigner son empreinte `sha256sum`.',
          en: 'Run a full backup of the frozen database (`pg_basebackup`, `pg_dump -Fc`, RMAN or `mysqldump --single-transaction`) and send it to storage apart from both platforms. Compute and record its `sha256sum` hash.',
        },
        verification: {
          fr: 'Sauvegarde terminée sans erreur, empreinte consignée, contenu lisible (`pg_restore --list`).',
          en: 'Backup finished without error, hash recorded, content readable (`pg_restore --list`).',
        },
      },
      {
        key: 'go-migration',
        stage: 'MIGRATE',
        decision: true,
        title: { fr: 'Go / no-go : copie finale et promotion', en: 'Go / no-go: final copy and promotion' },
        team: CUTOVER_BOARD,
        duration: 10,
        after: ['check-replication', 'final-backup'],
        instructions: {
          fr: 'Le comité vérifie que la source est bien figée, que la sauvegarde finale est complète et que la réplication est saine. Il décide de poursuivre ou de rouvrir la source en écriture.',
          en: 'The board checks that the source is frozen, that the final backup is complete and that replication is healthy. It decides to go on or to reopen the source for writes.',
        },
        verification: {
          fr: 'Décision consignée ; en cas de no-go, la source est rouverte en écriture et les traitements sont relancés.',
          en: 'Decision recorded; on a no-go, the source is reopened for writes and the jobs are resumed.',
        },
      },
      {
        key: 'final-sync',
        stage: 'MIGRATE',
        title: { fr: 'Attendre un retard de réplication nul', en: 'Wait for zero replication lag' },
        team: DATABASE,
        duration: 20,
        after: ['go-migration'],
        instructions: {
          fr: 'Comparer `pg_current_wal_lsn()` sur la source et `pg_last_wal_replay_lsn()` sur la cible (ou `Seconds_Behind_Source` et les positions GTID sous MySQL) jusqu’à égalité. Sans réplication, restaurer la sauvegarde finale sur la cible avec `pg_restore -j 4` et compter ce temps dans la fenêtre.',
          en: 'Compare `pg_current_wal_lsn()` on the source and `pg_last_wal_replay_lsn()` on the target (or `Seconds_Behind_Source` and the GTID positions on MySQL) until they are equal. Without replication, restore the final backup on the target with `pg_restore -j 4` and count that time in the window.',
        },
        verification: {
          fr: 'Positions identiques sur la source et la cible, relevées deux fois à une minute d’intervalle.',
          en: 'Same positions on source and target, read twice a minute apart.',
        },
      },
      {
        key: 'promote',
        stage: 'MIGRATE',
        title: { fr: 'Promouvoir la base cible', en: 'Promote the target database' },
        team: DATABASE,
        duration: 15,
        after: ['final-sync'],
        instructions: {
          fr: 'Promouvoir la réplique en base principale (`SELECT pg_promote()` ou `STOP REPLICA; RESET REPLICA ALL`), puis recaler les séquences si la réplication était logique. Laisser la cible fermée aux applications : seul le compte DBA s’y connecte à ce stade.',
          en: 'Promote the replica to primary (`SELECT pg_promote()` or `STOP REPLICA; RESET REPLICA ALL`), then set the sequences if replication was logical. Keep the target closed to applications: only the DBA account connects at this stage.',
        },
        verification: {
          fr: '`SELECT pg_is_in_recovery()` renvoie false sur la cible ; une écriture de test du DBA réussit, puis est annulée.',
          en: '`SELECT pg_is_in_recovery()` returns false on the target; a DBA test write succeeds and is then rolled back.',
        },
        rollback: 'rb-target',
      },
      {
        key: 'post-tasks',
        stage: 'MIGRATE',
        title: {
          fr: 'Finaliser la configuration de la base cible',
          en: 'Finish the configuration of the target database',
        },
        team: DATABASE,
        duration: 45,
        after: ['promote'],
        instructions: {
          fr: 'Recalculer les statistiques (`ANALYZE` ou `vacuumdb --analyze-only -j 4`), vérifier les rôles, les droits et les extensions, et réappliquer les paramètres de performance validés en répétition. Activer l’archivage des journaux de transactions et la réplique de secours sur la nouvelle plateforme.',
          en: 'Refresh statistics (`ANALYZE` or `vacuumdb --analyze-only -j 4`), check roles, grants and extensions, and apply the performance settings validated in rehearsal. Turn on transaction log archiving and the standby replica on the new platform.',
        },
        verification: {
          fr: 'Statistiques à jour sur toutes les tables ; archivage actif (`pg_stat_archiver` sans échec) ; réplique de secours connectée.',
          en: 'Statistics up to date on every table; archiving on (`pg_stat_archiver` with no failure); standby replica connected.',
        },
      },
      {
        key: 'checksums',
        stage: 'VALIDATE',
        title: { fr: 'Comparer nombres de lignes et sommes de contrôle', en: 'Compare row counts and checksums' },
        team: DATABASE,
        duration: 45,
        after: ['promote'],
        instructions: {
          fr: 'Lancer le script de contrôle qui calcule, pour chaque table, le nombre de lignes et une empreinte des données triées par clé primaire, sur la source figée et sur la cible. Pour les tables volumineuses, comparer les empreintes par tranche de clés.',
          en: 'Run the control script that computes, for every table, the row count and a hash of the data ordered by primary key, on the frozen source and on the target. For large tables, compare hashes by key range.',
        },
        verification: {
          fr: 'Aucun écart sur les tables contrôlées ; le rapport est joint au ticket.',
          en: 'No difference on the checked tables; the report is attached to the ticket.',
        },
      },
      {
        key: 'perf-check',
        stage: 'VALIDATE',
        title: { fr: 'Vérifier les performances de référence', en: 'Check the reference performance' },
        team: DATABASE,
        duration: 30,
        after: ['post-tasks'],
        instructions: {
          fr: 'Exécuter le jeu de requêtes de référence et comparer plans d’exécution (`EXPLAIN (ANALYZE, BUFFERS)`) et temps de réponse avec ceux mesurés sur la source. Contrôler la latence réseau entre les serveurs applicatifs et la nouvelle base.',
          en: 'Run the reference query set and compare execution plans (`EXPLAIN (ANALYZE, BUFFERS)`) and response times with those measured on the source. Check the network latency between the application servers and the new database.',
        },
        verification: {
          fr: 'Temps de réponse au plus 20 % au-dessus de la référence ; aucune requête passée à un parcours séquentiel inattendu.',
          en: 'Response times no more than 20% above the reference; no query turned into an unexpected sequential scan.',
        },
      },
      {
        key: 'app-test',
        stage: 'VALIDATE',
        title: {
          fr: 'Tester une instance applicative sur la base cible',
          en: 'Test one application instance on the target database',
        },
        team: APPLICATION,
        duration: 30,
        after: ['post-tasks'],
        instructions: {
          fr: 'Démarrer une instance applicative isolée, fermée aux utilisateurs et configurée sur la nouvelle base, puis dérouler les scénarios de lecture et d’écriture de la fiche de recette. Supprimer ensuite les données de test créées.',
          en: 'Start an isolated application instance, closed to users and configured on the new database, then go through the read and write scenarios of the test sheet. Then delete the test data created.',
        },
        verification: {
          fr: 'Scénarios passés ; données de test supprimées ; aucune erreur de connexion ou de droits dans les journaux.',
          en: 'Scenarios passed; test data deleted; no connection or permission error in the logs.',
        },
      },
      {
        key: 'go-switch',
        stage: 'VALIDATE',
        decision: true,
        title: { fr: 'Go / no-go : bascule des chaînes de connexion', en: 'Go / no-go: connection string switch' },
        team: CUTOVER_BOARD,
        duration: 15,
        after: ['checksums', 'perf-check', 'app-test'],
        instructions: {
          fr: 'Le comité examine le rapport des sommes de contrôle, les performances et la recette applicative. C’est le point de non-retour : dès que les applications écrivent dans la cible, revenir à la source impose de reprendre ces écritures. Consigner la décision et son heure.',
          en: 'The board reviews the checksum report, the performance and the application tests. This is the point of no return: once applications write to the target, going back to the source means carrying those writes over. Record the decision and its time.',
        },
        verification: DECISION_RECORDED,
      },
      {
        key: 'switch-connections',
        stage: 'SWITCH',
        title: {
          fr: 'Basculer les chaînes de connexion vers la nouvelle base',
          en: 'Switch the connection strings to the new database',
        },
        team: APPLICATION,
        duration: 30,
        after: ['go-switch'],
        instructions: {
          fr: 'Mettre à jour l’alias DNS de la base (par exemple `bdd-prod.interne`) ou, à défaut, les chaînes de connexion dans le coffre de secrets et les fichiers de configuration recensés. Redémarrer les applications dans l’ordre prévu et vérifier que les pools de connexions se rouvrent vers la cible.',
          en: 'Update the DNS alias of the database (for example `db-prod.internal`) or, failing that, the connection strings in the secrets vault and the listed configuration files. Restart the applications in the planned order and check that the connection pools reopen to the target.',
        },
        verification: {
          fr: 'Sur la cible, `pg_stat_activity` montre des sessions de chaque application de l’inventaire ; la source n’a plus aucune session applicative.',
          en: 'On the target, `pg_stat_activity` shows sessions from every application in the inventory; the source has no application session left.',
        },
        rollback: 'rb-connections',
      },
      {
        key: 'resume-batches',
        stage: 'SWITCH',
        title: {
          fr: 'Relancer les traitements par lots sur la nouvelle base',
          en: 'Resume the batch jobs on the new database',
        },
        team: OPERATIONS,
        duration: 20,
        after: ['switch-connections'],
        instructions: {
          fr: 'Vérifier que les traitements et les flux ETL pointent vers la nouvelle base, puis les libérer dans l’ordonnanceur en commençant par les moins critiques. Surveiller la première exécution de chacun.',
          en: 'Check that the jobs and ETL flows point to the new database, then release them in the scheduler, least critical first. Watch the first run of each.',
        },
        verification: {
          fr: 'Première exécution de chaque traitement terminée sans erreur.',
          en: 'First run of every job finished without error.',
        },
      },
      {
        key: 'watch',
        stage: 'HYPERCARE',
        title: { fr: 'Surveillance renforcée de la nouvelle base', en: 'Close watch on the new database' },
        team: DATABASE,
        duration: 1440,
        after: ['resume-batches'],
        instructions: {
          fr: 'Suivre pendant 24 heures les connexions, les verrous, les requêtes lentes (`pg_stat_statements`), la charge CPU et les entrées-sorties, ainsi que le retard de la réplique de secours. Comparer aux mesures de référence de la source.',
          en: 'For 24 hours, follow connections, locks, slow queries (`pg_stat_statements`), CPU load and I/O, and the standby replica lag. Compare with the reference measurements of the source.',
        },
        verification: {
          fr: 'Aucun incident de performance ouvert ; retard de la réplique de secours sous le seuil d’alerte.',
          en: 'No performance incident open; standby lag under the alert threshold.',
        },
      },
      {
        key: 'backup-job',
        stage: 'HYPERCARE',
        title: {
          fr: 'Rebrancher les sauvegardes et tester une restauration',
          en: 'Re-point backups and test a restore',
        },
        team: BACKUP,
        duration: 90,
        after: ['resume-batches'],
        instructions: {
          fr: 'Reconfigurer le travail de sauvegarde (pgBackRest, Barman ou l’outil de l’hébergeur) sur la nouvelle base et désactiver celui de l’ancienne. Lancer une sauvegarde complète, puis la restaurer sur un serveur de test pour vérifier le point de reprise.',
          en: 'Set the backup job (pgBackRest, Barman or the tool of the hosting provider) on the new database and turn off the one on the former database. Run a full backup, then restore it on a test server to check the recovery point.',
        },
        verification: {
          fr: 'Sauvegarde complète réussie ; base restaurée ouverte et cohérente ; ancien travail désactivé.',
          en: 'Full backup succeeded; restored database open and consistent; former job turned off.',
        },
      },
      {
        key: 'close',
        stage: 'HYPERCARE',
        title: {
          fr: 'Clôturer la bascule et programmer l’arrêt de la source',
          en: 'Close the cutover and schedule the source shutdown',
        },
        team: CUTOVER_LEAD,
        duration: 30,
        after: ['watch', 'backup-job'],
        instructions: {
          fr: 'Faire le bilan (durée prévue et réelle de la lecture seule, incidents) et lever le gel. Conserver la source en lecture seule pendant la période de retour arrière convenue, puis programmer son arrêt et l’effacement sécurisé de ses données et de ses sauvegardes.',
          en: 'Review the cutover (planned and actual read-only window, incidents) and lift the freeze. Keep the source read-only for the agreed rollback period, then schedule its shutdown and the secure erasure of its data and backups.',
        },
        verification: {
          fr: 'Bilan publié ; ticket clos ; dates d’arrêt et d’effacement de la source inscrites au plan.',
          en: 'Review published; ticket closed; source shutdown and erasure dates entered in the plan.',
        },
      },
      {
        key: 'rb-connections',
        stage: 'ROLLBACK',
        title: {
          fr: 'Rétablir les chaînes de connexion vers la source',
          en: 'Point the connection strings back to the source',
        },
        team: APPLICATION,
        duration: 30,
        instructions: {
          fr: 'Si des écritures ont eu lieu sur la cible, les exporter d’abord pour les reprendre sur la source. Remettre l’alias DNS ou les chaînes de connexion sur la base source, à partir des valeurs consignées dans le ticket, puis redémarrer les applications.',
          en: 'If writes happened on the target, export them first to carry them over to the source. Put the DNS alias or the connection strings back on the source database, from the values recorded in the ticket, then restart the applications.',
        },
        verification: {
          fr: 'Plus aucune session applicative sur la cible ; les applications se connectent à la source.',
          en: 'No application session left on the target; applications connect to the source.',
        },
      },
      {
        key: 'rb-target',
        stage: 'ROLLBACK',
        title: { fr: 'Isoler la base cible', en: 'Isolate the target database' },
        team: DATABASE,
        duration: 15,
        after: ['rb-connections'],
        instructions: {
          fr: 'Fermer la cible aux connexions applicatives (`pg_hba.conf` ou règles de pare-feu) sans la supprimer, pour analyse. Planifier la reconstruction de la réplication depuis la source avant la prochaine tentative.',
          en: 'Close the target to application connections (`pg_hba.conf` or firewall rules) without deleting it, for analysis. Plan the rebuild of replication from the source before the next attempt.',
        },
        verification: {
          fr: 'Une connexion avec un compte applicatif est refusée par la cible.',
          en: 'The target refuses a connection with an application account.',
        },
      },
      {
        key: 'rb-source',
        stage: 'ROLLBACK',
        title: { fr: 'Rouvrir la base source en écriture', en: 'Reopen the source database for writes' },
        team: DATABASE,
        duration: 20,
        after: ['rb-target'],
        instructions: {
          fr: 'Lever la lecture seule (`ALTER DATABASE <base> SET default_transaction_read_only = off` ou `SET GLOBAL super_read_only = OFF`) et réintégrer les écritures exportées de la cible, s’il y en a. Libérer ensuite les traitements par lots dans l’ordonnanceur et prévenir les applications consommatrices.',
          en: 'Turn read-only off (`ALTER DATABASE <db> SET default_transaction_read_only = off` or `SET GLOBAL super_read_only = OFF`) and apply the writes exported from the target, if any. Then release the batch jobs in the scheduler and tell the consuming applications.',
        },
        verification: {
          fr: 'Une écriture de test réussit sur la source ; les traitements par lots reprennent.',
          en: 'A test write succeeds on the source; the batch jobs resume.',
        },
      },
    ],
  },
];
