import { Inject, Injectable } from '@nestjs/common';
import { PLAN_SCHEMA_VERSION } from '@bascule/plan-model';
import type { AppConfig, Role } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import { VERSION } from '../core/version.js';
import { DatabaseDialect, ServerRole, ServerInfoModel } from './models/server-info.model.js';

const roleModels: Record<Role, ServerRole> = {
  api: ServerRole.API,
  collab: ServerRole.COLLAB,
  worker: ServerRole.WORKER,
};
const dialectModels = { sqlite: DatabaseDialect.SQLITE, postgres: DatabaseDialect.POSTGRES } as const;

@Injectable()
export class ServerInfoService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  serverInfo(): ServerInfoModel {
    return {
      version: VERSION,
      databaseDialect: dialectModels[this.config.database.dialect],
      roles: this.config.roles.map((role) => roleModels[role]),
      planSchemaVersion: PLAN_SCHEMA_VERSION,
      emailEnabled: this.config.mail.enabled,
    };
  }
}
