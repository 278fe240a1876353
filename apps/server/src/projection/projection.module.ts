import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ChangesModule } from '../changes/changes.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { PlanProjector } from './plan-projector.js';
import { ProjectionRebuilder } from './projection.rebuilder.js';
import { ProjectionRepository } from './projection.repository.js';
import { ProjectionService } from './projection.service.js';
import { ProjectionWorker } from './projection.worker.js';

/** The read model: projected after each stored change, rebuilt on demand, refreshed daily by the worker. */
@Module({
  imports: [CatalogModule, ChangesModule, CollabModule],
  providers: [PlanProjector, ProjectionRepository, ProjectionService, ProjectionRebuilder, ProjectionWorker],
  exports: [ProjectionService, ProjectionRebuilder],
})
export class ProjectionModule {}
