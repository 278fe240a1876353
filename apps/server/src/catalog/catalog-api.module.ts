import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from './catalog.module.js';
import { CatalogResolver } from './catalog.resolver.js';

/** The catalog in GraphQL (api role): read it, and an organization's own offers and frameworks. */
@Module({ imports: [CatalogModule, AuditModule], providers: [CatalogResolver] })
export class CatalogApiModule {}
