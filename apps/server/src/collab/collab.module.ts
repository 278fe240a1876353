import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CollabServer, type Fanout, localFanout } from '@bascule/collab';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import { type AccessChange, AccessEvents } from '../events/access-events.js';
import { IdentityModule } from '../identity/identity.module.js';
import type { Logger } from '../logging/logger.js';
import { PlansModule } from '../plans/plans.module.js';
import { REDIS } from '../redis/redis.module.js';
import { PlanCollabAuthorizer } from './collab-authorizer.js';
import { CompactionWorker } from './compaction.worker.js';
import { SqlDocumentStore } from './document.store.js';
import { PlanDocumentService } from './plan-document.service.js';
import { RedisFanout } from './redis-fanout.js';

const FANOUT = Symbol('FANOUT');

function concerns(
  change: AccessChange,
  connection: {
    planId: string;
    grant: { identity: { userId: string }; sessionId: string | null; apiTokenId: string | null };
  },
): boolean {
  switch (change.kind) {
    case 'user':
      return connection.grant.identity.userId === change.userId;
    case 'session':
      return connection.grant.sessionId === change.sessionId;
    case 'apiToken':
      return connection.grant.apiTokenId === change.tokenId;
    case 'plan':
      return connection.planId === change.planId;
  }
}

/**
 * Puts the collab engine on the HTTP server (collab role): WebSocket upgrades to /collab/<planId>,
 * re-checks of open sockets whenever access changes anywhere, and a clean close at shutdown.
 */
@Injectable()
class CollabGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly collab: CollabServer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly accessEvents: AccessEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopListening = this.accessEvents.listen((change) => {
      this.collab
        .recheck((connection) => concerns(change, connection))
        .catch((error: unknown) => {
          this.logger.error({ err: error, change }, 'collab access re-check failed');
        });
    });
    if (!this.config.roles.includes('collab')) return;
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    server.on('upgrade', (request, socket, head: Buffer) => {
      if (CollabServer.handles(request.url)) this.collab.handleUpgrade(request, socket, head);
    });
  }

  /** Before the HTTP server closes: sockets are asked to reconnect elsewhere, accepted updates stored. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.collab.close();
  }
}

@Module({
  imports: [IdentityModule, PlansModule],
  providers: [
    SqlDocumentStore,
    PlanCollabAuthorizer,
    {
      provide: FANOUT,
      inject: [REDIS, INSTALLATION, LOGGER],
      useFactory: (redis: Redis | null, installation: Installation, logger: Logger): Fanout =>
        redis === null ? localFanout : new RedisFanout(redis, `bascule:${installation.id}`, logger),
    },
    {
      provide: CollabServer,
      inject: [PlanCollabAuthorizer, SqlDocumentStore, FANOUT, APP_CONFIG, LOGGER],
      useFactory: (
        authorizer: PlanCollabAuthorizer,
        store: SqlDocumentStore,
        fanout: Fanout,
        config: AppConfig,
        logger: Logger,
      ) =>
        new CollabServer({
          authorizer,
          store,
          fanout,
          logger: logger.child({ component: 'collab' }),
          limits: {
            maxFrameBytes: config.collab.maxFrameBytes,
            maxDocumentBytes: config.collab.maxDocumentBytes,
            messagesPerSecond: config.collab.messagesPerSecond,
            messageBurst: config.collab.messagesPerSecond * 4,
            connectionsPerUser: config.collab.connectionsPerUser,
          },
        }),
    },
    CollabGateway,
    CompactionWorker,
    PlanDocumentService,
  ],
  exports: [PlanDocumentService, SqlDocumentStore],
})
export class CollabModule {}
