import { CreateInstallation1764403200000 } from './1764403200000-create-installation.js';
import { CreateIdentity1764489600000 } from './1764489600000-create-identity.js';
import { CreatePlans1764576000000 } from './1764576000000-create-plans.js';
import { CreateProjectionAndCatalog1764662400000 } from './1764662400000-create-projection-and-catalog.js';
import { CreateAuditTrail1764835200000 } from './1764835200000-create-audit-trail.js';
import { CreateBaselines1764921600000 } from './1764921600000-create-baselines.js';
import { CreateWebhooks1765008000000 } from './1765008000000-create-webhooks.js';
import { SnapshotGeneration1765094400000 } from './1765094400000-snapshot-generation.js';
import { ChangeOutbox1765180800000 } from './1765180800000-change-outbox.js';
import { Runbooks1765267200000 } from './1765267200000-runbooks.js';
import { MailOutbox1765353600000 } from './1765353600000-mail-outbox.js';
import { Conversations1765440000000 } from './1765440000000-conversations.js';
import { WebhookSecretRotation1765526400000 } from './1765526400000-webhook-secret-rotation.js';
import { Retention1765612800000 } from './1765612800000-retention.js';

/** Every migration, oldest first. Each one is written once for SQLite and PostgreSQL alike. */
export const migrations = [
  CreateInstallation1764403200000,
  CreateIdentity1764489600000,
  CreatePlans1764576000000,
  CreateProjectionAndCatalog1764662400000,
  CreateAuditTrail1764835200000,
  CreateBaselines1764921600000,
  CreateWebhooks1765008000000,
  SnapshotGeneration1765094400000,
  ChangeOutbox1765180800000,
  Runbooks1765267200000,
  MailOutbox1765353600000,
  Conversations1765440000000,
  WebhookSecretRotation1765526400000,
  Retention1765612800000,
];
