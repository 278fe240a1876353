import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Localized, pick } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { AccountsService } from '../identity/accounts.service.js';
import { UserEntity } from '../identity/entities.js';
import { type OrgRole } from '../access/roles.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import type { Logger } from '../logging/logger.js';

/** The demo organization's name, in the language of the start (BASCULE_LANGUAGE, else LANG's). */
export const DEMO_ORGANIZATION: Localized = {
  fr: 'Centre hospitalier de démonstration',
  en: 'Demonstration hospital',
};
export const DEMO_PASSWORD = 'bascule-demo-2026';
export const DEMO_USERS: readonly { email: string; displayName: string; role: OrgRole }[] = [
  { email: 'owner@demo.bascule.test', displayName: 'Odile Roux', role: 'OWNER' },
  { email: 'admin@demo.bascule.test', displayName: 'Arnaud Blanc', role: 'ADMIN' },
  { email: 'member@demo.bascule.test', displayName: 'Maëlle Guérin', role: 'MEMBER' },
];

/** The embedded default in development, where a newcomer lands after `npm start`; never production. */
export function demoDataWanted(config: AppConfig): boolean {
  return config.nodeEnv === 'development' && config.database.dialect === 'sqlite';
}

/**
 * Gives a fresh embedded installation a demo organization with one user per role, so that
 * `npm start` shows something to sign in to. Runs only while the database has no user at all.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private organizationCreated: (value: { organizationId: string; ownerId: string; memberId: string } | null) => void =
    () => undefined;
  /** The demo organization and its owner when this start created them; null otherwise. */
  readonly created = new Promise<{ organizationId: string; ownerId: string; memberId: string } | null>(
    (resolve) => (this.organizationCreated = resolve),
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let created: { organizationId: string; ownerId: string; memberId: string } | null = null;
    try {
      if (!demoDataWanted(this.config)) return;
      if ((await this.dataSource.getRepository(UserEntity).count()) === 0) created = await this.seed();
    } finally {
      this.organizationCreated(created);
    }
    const users = this.dataSource.getRepository(UserEntity);
    const present = await users.countBy(DEMO_USERS.map((user) => ({ email: user.email })));
    if (present === 0) return;
    this.logger.info(
      `Demo organization "${pick(DEMO_ORGANIZATION, this.config.language)}": sign in with password "${DEMO_PASSWORD}" as ${DEMO_USERS.map((user) => `${user.email} (${user.role})`).join(', ')}`,
    );
  }

  private async seed(): Promise<{ organizationId: string; ownerId: string; memberId: string } | null> {
    const passwordHash = await this.passwords.hash(DEMO_PASSWORD);
    const created = await this.transactor.run(async (manager) => {
      const users: { id: string; role: OrgRole }[] = [];
      for (const user of DEMO_USERS) {
        const entity = await this.accounts.createUser(manager, {
          email: user.email,
          displayName: user.displayName,
          passwordHash,
          emailVerified: true,
        });
        users.push({ id: entity.id, role: user.role });
      }
      const [owner, ...others] = users;
      const member = users.find((user) => user.role === 'MEMBER');
      if (owner === undefined || member === undefined) return null;
      const organization = await this.accounts.createOrganization(
        manager,
        pick(DEMO_ORGANIZATION, this.config.language),
        owner.id,
      );
      for (const user of others) await this.accounts.addMember(manager, organization.id, user.id, user.role);
      return { organizationId: organization.id, ownerId: owner.id, memberId: member.id };
    });
    this.logger.info({ organization: pick(DEMO_ORGANIZATION, this.config.language) }, 'demo organization created');
    return created;
  }
}
