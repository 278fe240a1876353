import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { AuditController } from './audit.controller.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditResolver } from './audit.resolver.js';

/** Reading the audit trail (api role): GraphQL auditEvents and auditTrailCheck, CSV export. */
@Module({
  imports: [AuditModule, PlansModule],
  controllers: [AuditController],
  providers: [AuditQueryService, AuditResolver],
})
export class AuditApiModule {}
