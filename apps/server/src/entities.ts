import { AuditEventEntity } from './audit/audit-event.entity.js';
import { AuthEventEntity } from './identity/auth-event.entity.js';
import { BaselineEntity } from './baselines/baseline.entity.js';
import { WebhookDeliveryEntity, WebhookEndpointEntity } from './webhooks/webhook.entities.js';
import {
  ApiTokenEntity,
  InvitationEntity,
  MembershipEntity,
  OidcLoginEntity,
  OrganizationEntity,
  RefreshTokenEntity,
  SessionEntity,
  UserEntity,
  UserIdentityEntity,
} from './identity/entities.js';
import { CatalogFrameworkEntity, CatalogOfferEntity } from './catalog/entities.js';
import { PlanEntity, PlanMemberEntity } from './plans/entities.js';
import { PROJECTION_ENTITIES } from './projection/entities.js';
import { RunbookAlertEntity } from './runbooks/runbook-alert.entity.js';
import {
  NotificationEntity,
  NotificationMarkEntity,
  NotificationPreferenceEntity,
} from './notifications/notification.entities.js';
import { MailOutboxEntity } from './mail/mail-outbox.entity.js';

/**
 * Every entity the application maps, by the folder that owns it: composition, like app.module.ts,
 * so that the database folder depends on none of them (it adds its own installation row).
 */
export const entities = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  InvitationEntity,
  SessionEntity,
  RefreshTokenEntity,
  ApiTokenEntity,
  UserIdentityEntity,
  OidcLoginEntity,
  AuthEventEntity,
  AuditEventEntity,
  PlanEntity,
  PlanMemberEntity,
  ...PROJECTION_ENTITIES,
  CatalogOfferEntity,
  CatalogFrameworkEntity,
  BaselineEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  RunbookAlertEntity,
  MailOutboxEntity,
  NotificationEntity,
  NotificationPreferenceEntity,
  NotificationMarkEntity,
];
