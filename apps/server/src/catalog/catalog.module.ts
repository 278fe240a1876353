import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service.js';

/** Target offers and compliance frameworks (built-in rows seeded at start, organizations' own copies). */
@Module({ providers: [CatalogService], exports: [CatalogService] })
export class CatalogModule {}
