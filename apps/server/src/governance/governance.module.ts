import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { GovernanceWatcher } from './governance.watcher.js';

/** The governance rules on every plan document and the audit trail of their changes. */
@Module({
  imports: [AuditModule],
  providers: [GovernanceWatcher],
  exports: [GovernanceWatcher, AuditModule],
})
export class GovernanceModule {}
