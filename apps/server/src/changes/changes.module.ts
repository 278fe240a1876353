import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ChangeLog } from './change-log.js';
import { ChangeRecovery } from './change-recovery.js';
import { ChangeWatcher } from './change-watcher.js';
import { PendingCorrections } from './pending-corrections.js';
import { PlanOrganizations } from './plan-organizations.js';
import { PlanUpkeep } from './plan-upkeep.js';

/**
 * What a stored change to a plan leads to, in every role: the watcher follows the documents the
 * collab engine loads, reviews each change against the governance rules (reverting what breaks
 * them), and the change log writes its audit events, webhook deliveries, notifications (with their
 * e-mails) and the mark that its update is recorded in one transaction; recovery (worker role) records what a crash left
 * unrecorded; upkeep makes the changes Bascule owes a plan (schema upgrades, automatic risks).
 */
@Module({
  imports: [AuditModule, CatalogModule, CollabModule, NotificationsModule, WebhooksModule],
  providers: [ChangeLog, ChangeWatcher, ChangeRecovery, PendingCorrections, PlanOrganizations, PlanUpkeep],
  exports: [ChangeLog, ChangeWatcher, ChangeRecovery, PlanUpkeep],
})
export class ChangesModule {}
