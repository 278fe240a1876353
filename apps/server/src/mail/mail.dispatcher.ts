import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { MailOutbox } from './mail-outbox.js';

const INTERVAL_MS = 1000;
const BATCH = 20;

/** Worker role, when e-mail is on: every second, sends the e-mails that are due (new ones and retries). */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    async () => {
      // A full round means more are waiting: go on until the backlog is sent.
      while ((await this.outbox.dispatchDue(BATCH)) === BATCH);
    },
    (error) => this.logger.error({ err: error }, 'e-mail round failed; next round in 1 s'),
  );

  constructor(
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker') && this.config.mail.enabled)
      this.rounds.start(INTERVAL_MS, { immediately: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }
}
