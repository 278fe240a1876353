import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { BaselinesService } from './baselines.service.js';

/** Plan baselines, in every role: the one of a completed milestone is saved where the change is stored. */
@Module({
  imports: [ChangesModule, CollabModule],
  providers: [BaselinesService],
  exports: [BaselinesService],
})
export class BaselinesModule {}
