import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { type Entities, openDatabase } from './data-source.js';
import { ensureInstallation, type Installation } from './installation.repository.js';
import { Transactor } from './transactor.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export const INSTALLATION = Symbol('INSTALLATION');

@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WalCheckpointer) private readonly checkpointer: WalCheckpointer | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info('database closed');
  }
}

/**
 * The TypeORM data source mapping `entities`, migrated before any other module sees it, and this
 * installation's identity.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: Entities): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (config: AppConfig, logger: Logger) => openDatabase(config, logger, entities),
        },
        {
          provide: INSTALLATION,
          inject: [DataSource, LOGGER],
          useFactory: async (dataSource: DataSource, logger: Logger): Promise<Installation> => {
            const installation = await ensureInstallation(dataSource);
            logger.info({ installation: installation.id, since: installation.createdAt }, 'database ready');
            return installation;
          },
        },
        {
          // A SQLite file's log is checkpointed off the event loop while the server runs.
          provide: WalCheckpointer,
          inject: [DataSource, APP_CONFIG, LOGGER],
          useFactory: (dataSource: DataSource, config: AppConfig, logger: Logger) =>
            config.database.dialect === 'sqlite'
              ? WalCheckpointer.start(dataSource, config.database.path, logger)
              : null,
        },
        DatabaseCloser,
        Transactor,
      ],
      exports: [DataSource, INSTALLATION, Transactor],
    };
  }
}
