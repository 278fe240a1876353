import { Module } from '@nestjs/common';
import { AuditTrailService } from './audit-trail.service.js';
import { AuthEventsBridge } from './auth-events.bridge.js';

/** The audit trail: every change to a plan and every governance refusal, hash-chained per organization. */
@Module({
  providers: [AuditTrailService, AuthEventsBridge],
  exports: [AuditTrailService],
})
export class AuditModule {}
