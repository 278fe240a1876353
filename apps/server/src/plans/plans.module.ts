import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PlansResolver } from './plans.resolver.js';
import { PlansService } from './plans.service.js';

@Module({ imports: [IdentityModule, AuditModule], providers: [PlansService, PlansResolver], exports: [PlansService] })
export class PlansModule {}
