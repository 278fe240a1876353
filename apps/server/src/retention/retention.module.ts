import { Module } from '@nestjs/common';
import { RetentionSweeper } from './retention.sweeper.js';

/** What is only a log is taken out once old (worker role): notifications, e-mail and webhook deliveries. */
@Module({ providers: [RetentionSweeper], exports: [RetentionSweeper] })
export class RetentionModule {}
