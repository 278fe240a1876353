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
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import { type AccessChange, AccessEvents } from '../events/access-events.js';
import { IdentityModule } from '../identity/identity.module.js';
import { Periodic } from '../common/periodic.js';
import { DrainPhase, Shutdown } from '../lifecycle/shutdown.js';
import type { Logger } from '../logging/logger.js';
import { Metrics } from '../metrics/metrics.js';
import { PlansModule } from '../plans/plans.module.js';
import { REDIS } from '../redis/redis.module.js';
import { PlanCollabAuthorizer } from './collab-authorizer.js';
import { CompactionScheduler } from './compaction.scheduler.js';
import { CompactionWorker } from './compaction.worker.js';
import { SqlDocumentStore } from './document.store.js';
import { PlanDocumentService } from './plan-document.service.js';
import { RedisFanout } from './redis-fanout.js';

const FANOUT = Symbol('FANOUT');
/** Every open socket's access is checked again this often, whatever the events said. */
const ACCESS_SWEEP_MS = 60_000;

function concerns(
  change: AccessChange,
  connection: {
    documentName: string;
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
      return connection.documentName === change.planId;
  }
}

/**
 * Puts the collab engine on the HTTP server (collab role): WebSocket upgrades to /collab/<planId>,
 * re-checks of open sockets whenever access changes anywhere, and a clean close at shutdown.
 */
@Injectable()
class CollabGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopListening: (() => void) | undefined;
  /** Access changes arrive as events within moments; this catches one lost on the way (a Redis outage). */
  private readonly sweeps = new Periodic(
    () => this.collab.recheck(() => true),
    (error) => this.logger.error({ err: error }, 'collab access sweep failed'),
  );

  constructor(
    private readonly collab: CollabServer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly accessEvents: AccessEvents,
    private readonly shutdown: Shutdown,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // First of the drain: sockets told to reconnect (elsewhere), every accepted update stored.
    this.shutdown.onDrain(DrainPhase.Intake, 'collab sockets', async () => {
      this.stopListening?.();
      await this.sweeps.stop();
      await this.collab.stopIntake();
    });
    this.stopListening = this.accessEvents.listen((change) => {
      this.collab
        .recheck((connection) => concerns(change, connection))
        .catch((error: unknown) => {
          this.logger.error({ err: error, change }, 'collab access re-check failed');
        });
    });
    if (!this.config.roles.includes('collab')) return;
    this.sweeps.start(ACCESS_SWEEP_MS);
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    server.on('upgrade', (request, socket, head: Buffer) => {
      if (CollabServer.handles(request.url)) this.collab.handleUpgrade(request, socket, head);
    });
  }

  /** Sockets asked to reconnect elsewhere, accepted updates stored: at the drain, or when Nest closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.sweeps.stop();
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
      inject: [PlanCollabAuthorizer, SqlDocumentStore, FANOUT, Metrics, APP_CONFIG, LOGGER],
      useFactory: (
        authorizer: PlanCollabAuthorizer,
        store: SqlDocumentStore,
        fanout: Fanout,
        metrics: Metrics,
        config: AppConfig,
        logger: Logger,
      ) => {
        const server = new CollabServer({
          authorizer,
          store,
          fanout,
          metrics: {
            stored: (bytes, seconds) => {
              metrics.collabUpdates.inc();
              metrics.collabUpdateBytes.inc(bytes);
              metrics.durableAppend.observe(seconds);
            },
          },
          logger: logger.child({ component: 'collab' }),
          limits: {
            maxFrameBytes: config.collab.maxFrameBytes,
            maxDocumentBytes: config.collab.maxDocumentBytes,
            messagesPerSecond: config.collab.messagesPerSecond,
            messageBurst: config.collab.messagesPerSecond * 4,
            connectionsPerUser: config.collab.connectionsPerUser,
          },
        });
        metrics.gauge('bascule_collab_rooms', 'Plan documents loaded on this instance.', () => server.stats.rooms);
        metrics.gauge(
          'bascule_collab_connections',
          'Collab sockets open on this instance.',
          () => server.stats.connections,
        );
        return server;
      },
    },
    CollabGateway,
    CompactionWorker,
    CompactionScheduler,
    PlanDocumentService,
  ],
  exports: [CompactionScheduler, PlanDocumentService, SqlDocumentStore],
})
export class CollabModule {}
