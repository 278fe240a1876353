import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { roleAtLeast } from '../access/permissions.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { AppError } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { attemptDue, backoffMs, MAX_ATTEMPTS } from '../database/outbox.js';
import type { Logger } from '../logging/logger.js';
import { Metrics } from '../metrics/metrics.js';
import { postOnce } from './guarded-post.js';
import { newWebhookSecret, standardWebhookHeaders } from './webhook-signing.js';
import { WEBHOOK_EVENTS, type WebhookEvent, WebhookDeliveryEntity, WebhookEndpointEntity } from './webhook.entities.js';

/** A webhook event a plan change gave rise to; its organization is the plan's. */
export interface PlanMessage {
  readonly event: string;
  readonly planId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const TIMEOUT_MS = 10_000;
const MAX_ENDPOINTS = 50;

/** A rotated secret signs deliveries beside the new one for at most a week. */
export const MAX_GRACE_HOURS = 168;

/**
 * Webhooks: endpoints registered by organization admins, and the outbox of their deliveries. An event
 * becomes one row per matching endpoint before anything is sent; the dispatcher (worker role) sends
 * what is due, signed by the Standard Webhooks specification, and retries with backoff, so a delivery
 * survives restarts and outages.
 */
@Injectable()
export class WebhooksService {
  private readonly key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrailService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.key = createHash('sha256').update(`${config.secrets.BASCULE_TOKEN_HASH_KEY}:webhooks`).digest();
  }

  async register(
    auth: AuthContext,
    input: { url: string; events: readonly string[] },
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const organizationId = this.requireAdmin(auth);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new AppError('BAD_USER_INPUT', 'url must be an absolute http(s) URL.', { field: 'url' });
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || input.url.length > 2000 || url.username !== '')
      throw new AppError(
        'BAD_USER_INPUT',
        'url must be an http(s) URL of at most 2000 characters, without credentials.',
        {
          field: 'url',
        },
      );
    if (this.config.production && url.protocol !== 'https:')
      throw new AppError('BAD_USER_INPUT', 'url must use https in production.', { field: 'url' });
    const events = [...new Set(input.events)];
    const unknown = events.filter((event) => !(WEBHOOK_EVENTS as readonly string[]).includes(event));
    if (events.length === 0 || unknown.length > 0)
      throw new AppError('BAD_USER_INPUT', `events must name some of ${WEBHOOK_EVENTS.join(', ')}.`, {
        field: 'events',
      });
    const repository = this.dataSource.getRepository(WebhookEndpointEntity);
    if ((await repository.countBy({ organizationId, deletedAt: IsNull() })) >= MAX_ENDPOINTS)
      throw new AppError('CONFLICT', `An organization has at most ${MAX_ENDPOINTS} webhook endpoints.`);
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpointEntity = {
      id: randomUUID(),
      organizationId,
      url: url.toString(),
      events: events as WebhookEvent[],
      secretSealed: this.seal(secret),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      createdAt: this.clock.now(),
      createdBy: auth.userId,
      deletedAt: null,
    };
    await repository.insert(endpoint);
    await this.audit.recordAdmin(auth, {
      action: 'WEBHOOK_ENDPOINT_CREATED',
      entity: 'webhook',
      entityId: endpoint.id,
      after: { url: endpoint.url, events: endpoint.events },
    });
    return { endpoint, secret };
  }

  endpoints(auth: AuthContext): Promise<WebhookEndpointEntity[]> {
    const organizationId = this.requireAdmin(auth);
    return this.dataSource
      .getRepository(WebhookEndpointEntity)
      .find({ where: { organizationId, deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /**
   * Gives an endpoint a new secret, shown once. The old one goes on signing deliveries beside it for
   * `graceHours` (a second signature in the same header), so the receiver can switch without losing
   * any; with 0 it stops at once.
   */
  async rotateSecret(
    auth: AuthContext,
    id: string,
    graceHours: number,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS)
      throw new AppError('BAD_USER_INPUT', `graceHours must be a whole number from 0 to ${MAX_GRACE_HOURS}.`, {
        field: 'graceHours',
      });
    const endpoint = await this.endpoint(auth, id);
    const secret = newWebhookSecret();
    const change = {
      secretSealed: this.seal(secret),
      previousSecretSealed: graceHours === 0 ? null : endpoint.secretSealed,
      previousSecretExpiresAt: graceHours === 0 ? null : new Date(this.clock.now().getTime() + graceHours * 3_600_000),
    };
    await this.dataSource.getRepository(WebhookEndpointEntity).update({ id }, change);
    await this.audit.recordAdmin(auth, {
      action: 'WEBHOOK_SECRET_ROTATED',
      entity: 'webhook',
      entityId: id,
      after: { url: endpoint.url, graceHours },
    });
    return { endpoint: { ...endpoint, ...change }, secret };
  }

  /** Stops an endpoint: nothing more is sent to it, its log stays. */
  async remove(auth: AuthContext, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoint(auth, id);
    endpoint.deletedAt = this.clock.now();
    await this.dataSource.getRepository(WebhookEndpointEntity).update({ id }, { deletedAt: endpoint.deletedAt });
    await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .update({ endpointId: id, status: 'PENDING' }, { status: 'FAILED', lastError: 'endpoint removed' });
    await this.audit.recordAdmin(auth, {
      action: 'WEBHOOK_ENDPOINT_DELETED',
      entity: 'webhook',
      entityId: id,
      before: { url: endpoint.url, events: endpoint.events },
    });
    return endpoint;
  }

  async deliveries(auth: AuthContext, endpointId: string, first: number): Promise<WebhookDeliveryEntity[]> {
    await this.endpoint(auth, endpointId);
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new AppError('BAD_USER_INPUT', 'first must be between 1 and 200.', { field: 'first' });
    return this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .find({ where: { endpointId }, order: { createdAt: 'DESC' }, take: first });
  }

  /** Puts events in the outbox of every endpoint of their organization that wants them, through `manager`. */
  async enqueueIn(manager: EntityManager, organizationId: string, messages: readonly PlanMessage[]): Promise<number> {
    const endpoints = await manager
      .getRepository(WebhookEndpointEntity)
      .findBy({ organizationId, deletedAt: IsNull() });
    const now = this.clock.now();
    const rows = messages.flatMap((message) =>
      endpoints
        .filter((endpoint) => endpoint.events.includes(message.event as WebhookEvent))
        .map((endpoint): WebhookDeliveryEntity => {
          const id = randomUUID();
          return {
            id,
            endpointId: endpoint.id,
            organizationId,
            event: message.event as WebhookEvent,
            payload: JSON.stringify({
              id,
              type: message.event,
              occurredAt: now.toISOString(),
              organizationId,
              planId: message.planId,
              data: message.data,
            }),
            status: 'PENDING',
            attempts: 0,
            nextAttemptAt: now,
            lockedUntil: null,
            lastStatus: null,
            lastError: null,
            createdAt: now,
            deliveredAt: null,
          };
        }),
    );
    if (rows.length > 0) await manager.getRepository(WebhookDeliveryEntity).insert(rows);
    return rows.length;
  }

  /** Sends what is due (at most `limit`), each delivery held by this instance while it is being sent. */
  dispatchDue(limit = 20): Promise<number> {
    return attemptDue(this.dataSource, WebhookDeliveryEntity, this.clock.now(), limit, (delivery) =>
      this.attempt(delivery),
    );
  }

  private async attempt(delivery: WebhookDeliveryEntity): Promise<void> {
    const repository = this.dataSource.getRepository(WebhookDeliveryEntity);
    const endpoint = await this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id: delivery.endpointId });
    const attempts = delivery.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      if (endpoint === null || endpoint.deletedAt !== null) throw new Error('endpoint removed');
      const now = this.clock.now();
      const inGrace =
        endpoint.previousSecretSealed !== null &&
        endpoint.previousSecretExpiresAt !== null &&
        endpoint.previousSecretExpiresAt > now;
      const secrets = [endpoint.secretSealed, ...(inGrace ? [endpoint.previousSecretSealed as string] : [])].map(
        (sealed) => this.unseal(sealed),
      );
      status = await postOnce(
        new URL(endpoint.url),
        {
          'content-type': 'application/json',
          'user-agent': 'Bascule-Webhooks/1',
          ...standardWebhookHeaders(secrets, delivery.id, now, delivery.payload),
        },
        delivery.payload,
        { timeoutMs: TIMEOUT_MS, allowPrivate: this.config.webhooks.allowPrivateTargets },
      );
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const now = this.clock.now();
    if (error === null) {
      this.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      await repository.update(
        { id: delivery.id },
        { status: 'DELIVERED', attempts, lastStatus: status, lastError: null, deliveredAt: now, lockedUntil: null },
      );
      return;
    }
    const givenUp = attempts >= MAX_ATTEMPTS || error === 'endpoint removed';
    this.metrics.webhookDeliveries.inc({ outcome: givenUp ? 'failed' : 'retry' });
    this.logger.warn(
      { delivery: delivery.id, endpoint: delivery.endpointId, attempts, error, givenUp },
      'webhook delivery failed',
    );
    await repository.update(
      { id: delivery.id },
      {
        status: givenUp ? 'FAILED' : 'PENDING',
        attempts,
        lastStatus: status,
        lastError: error.slice(0, 500),
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, this.config.webhooks.retryBaseMs)),
        lockedUntil: null,
      },
    );
  }

  private async endpoint(auth: AuthContext, id: string): Promise<WebhookEndpointEntity> {
    const organizationId = this.requireAdmin(auth);
    const endpoint = await this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id, organizationId });
    if (endpoint === null || endpoint.deletedAt !== null) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
    return endpoint;
  }

  private requireAdmin(auth: AuthContext): string {
    if (auth.organizationId === null || !roleAtLeast(auth.orgRole, 'ADMIN'))
      throw new AppError('FORBIDDEN', "Webhooks are for the organization's owners and admins.");
    return auth.organizationId;
  }

  private seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
  }

  private unseal(sealed: string): string {
    const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }
}
