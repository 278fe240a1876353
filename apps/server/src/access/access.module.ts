import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccessAudit } from './access-audit.js';
import { AccessService } from './access.service.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [AccessService, AccessAudit],
  exports: [AccessService],
})
export class AccessModule {}
