import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, Module } from '@nestjs/common';
import { GraphQLSchemaHost, Query, Resolver } from '@nestjs/graphql';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import type { GraphqlResponse } from '../../../../test/support/http.js';
import { startSmtpServer, type TestSmtpServer } from '../../../../test/support/smtp.js';
import { subscribe } from '../../../../test/support/subscriptions.js';
import { ProjectionService } from '../projection/projection.service.js';
import { AccessAudit } from './access-audit.js';
import { addMember, graphqlAs, invite, type SignedUp, signUp, uniqueEmail } from '../../../../test/support/identity.js';

/** What organization A owns, which an outsider must neither reach nor learn about. */
interface Victim {
  owner: SignedUp;
  member: SignedUp;
  apiTokenId: string;
  apiTokenSecret: string;
  sessionId: string;
  pendingInvitationToken: string;
  invitedEmail: string;
  planId: string;
  webhookEndpointId: string;
  baselineId: string;
  /** A plan of the attacker's own organization, to pair with A's ids that belong under a plan. */
  attackerPlanId: string;
  /** One entry of each collection of A's plan. */
  entries: Record<'milestone' | 'risk' | 'checkpoint' | 'workload' | 'runbook' | 'runbookTask' | 'comment', string>;
  /** A notification of A's owner (A's member mentioned them). */
  notificationId: string;
}

type Expectation = 'denied' | 'own-data-only';
interface Attack {
  readonly query: string;
  readonly variables?: (victim: Victim) => Record<string, unknown>;
  /** denied: NOT_FOUND or FORBIDDEN. own-data-only: the answer concerns the caller's organization alone. */
  readonly expect: Expectation;
  /** A subscription, attempted over graphql-ws while A's plan changes. */
  readonly subscription?: true;
}

/**
 * Every GraphQL operation, aimed at organization A by a member of organization B. A new operation
 * must be added here (the first test fails until it is), with the ids of A it could be pointed at.
 */
const ATTACKS: Record<string, Attack> = {
  serverInfo: { query: '{ serverInfo { version } }', expect: 'own-data-only' },
  me: {
    query: '{ me { user { id email } organization { id name } organizations { organization { id } } } }',
    expect: 'own-data-only',
  },
  sessions: { query: '{ sessions { id } }', expect: 'own-data-only' },
  organization: { query: '{ organization { id name } }', expect: 'own-data-only' },
  members: { query: '{ members(first: 500) { user { id email } role } }', expect: 'own-data-only' },
  apiTokens: { query: '{ apiTokens { id name prefix createdBy { id } } }', expect: 'own-data-only' },
  revokeSession: {
    query: 'mutation($id: ID!) { revokeSession(id: $id) { id } }',
    variables: (v) => ({ id: v.sessionId }),
    expect: 'denied',
  },
  acceptInvitation: {
    query: 'mutation($t: String!) { acceptInvitation(token: $t) { organization { id } } }',
    variables: (v) => ({ t: v.pendingInvitationToken }),
    expect: 'denied',
  },
  inviteMember: {
    query: 'mutation($e: String!) { inviteMember(input: { email: $e, role: ADMIN }) { invitation { id email } } }',
    variables: () => ({ e: uniqueEmail('outsider-invite') }),
    expect: 'own-data-only',
  },
  changeMemberRole: {
    query: 'mutation($u: ID!) { changeMemberRole(userId: $u, role: OWNER) { role } }',
    variables: (v) => ({ u: v.member.userId }),
    expect: 'denied',
  },
  removeMember: {
    query: 'mutation($u: ID!) { removeMember(userId: $u) { user { id } } }',
    variables: (v) => ({ u: v.owner.userId }),
    expect: 'denied',
  },
  createApiToken: {
    query: 'mutation { createApiToken(input: { name: "outsider", scopes: [WRITE] }) { apiToken { id } } }',
    expect: 'own-data-only',
  },
  plans: { query: '{ plans(first: 500) { edges { node { id title } } } }', expect: 'own-data-only' },
  createPlan: { query: 'mutation { createPlan(input: { title: "Outsider plan" }) { id } }', expect: 'own-data-only' },
  setPlanMemberRole: {
    query: 'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }',
    variables: (v) => ({ p: v.planId, u: v.member.userId }),
    expect: 'denied',
  },
  setPlanDefaultRole: {
    query: 'mutation($p: ID!) { setPlanDefaultRole(planId: $p, role: EDITOR) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  revokeApiToken: {
    query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
    variables: (v) => ({ id: v.apiTokenId }),
    expect: 'denied',
  },
  plan: {
    query: 'query($p: ID!) { plan(id: $p) { id title milestones { edges { node { id title } } } } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  portfolio: {
    query:
      '{ portfolio { planCount overdueMilestones { plan { id title } } topRisks { plan { id title } risk { id title } } } }',
    expect: 'own-data-only',
  },
  templates: { query: '{ templates { id name } }', expect: 'own-data-only' },
  auditEvents: {
    query: 'query($p: ID!) { auditEvents(filter: { planId: $p }) { edges { node { seq entityId } } } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  auditTrailCheck: { query: '{ auditTrailCheck { valid events } }', expect: 'own-data-only' },
  previewInventoryImport: {
    query: 'query($p: ID!) { previewInventoryImport(planId: $p, csv: "name\\nX") { rows { name } } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  importInventory: {
    query: 'mutation($p: ID!) { importInventory(planId: $p, csv: "name\\nOutsider") { created } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  webhookEndpoints: { query: '{ webhookEndpoints { id url } }', expect: 'own-data-only' },
  createWebhookEndpoint: {
    query:
      'mutation { createWebhookEndpoint(input: { url: "https://outsider.example/hook", events: ["plan.changed"] }) { endpoint { id } } }',
    expect: 'own-data-only',
  },
  deleteWebhookEndpoint: {
    query: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }',
    variables: (v) => ({ id: v.webhookEndpointId }),
    expect: 'denied',
  },
  rotateWebhookSecret: {
    query: 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }',
    variables: (v) => ({ id: v.webhookEndpointId }),
    expect: 'denied',
  },
  webhookDeliveries: {
    query: 'query($id: ID!) { webhookDeliveries(endpointId: $id) { id payload } }',
    variables: (v) => ({ id: v.webhookEndpointId }),
    expect: 'denied',
  },
  mailDeliveries: { query: '{ mailDeliveries(first: 200) { id to kind subject } }', expect: 'own-data-only' },
  compareBaselines: {
    query: 'query($p: ID!, $b: ID!) { compareBaselines(planId: $p, fromId: $b) { meta { field } } }',
    variables: (v) => ({ p: v.attackerPlanId, b: v.baselineId }),
    expect: 'denied',
  },
  createBaseline: {
    query: 'mutation($p: ID!) { createBaseline(planId: $p, name: "Outsider") { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  restoreBaseline: {
    query: 'mutation($p: ID!, $b: ID!) { restoreBaseline(planId: $p, baselineId: $b) { id } }',
    variables: (v) => ({ p: v.attackerPlanId, b: v.baselineId }),
    expect: 'denied',
  },
  catalog: { query: '{ catalog { offers { id version } frameworks { id } } }', expect: 'own-data-only' },
  saveTargetOffer: {
    query:
      'mutation { saveTargetOffer(input: { id: "bleu", provider: "B", name: "B edit", secNumCloudStatus: QUALIFIED, hds: true }) { id version } }',
    expect: 'own-data-only',
  },
  saveComplianceFramework: {
    query: 'mutation { saveComplianceFramework(input: { id: "GDPR", name: "B edit", requirements: [] }) { id } }',
    expect: 'own-data-only',
  },
  createPlanFromTemplate: {
    query:
      'mutation { createPlanFromTemplate(input: { templateId: "gcp-to-s3ns", title: "Outsider", startDate: "2027-01-04" }) { id } }',
    expect: 'own-data-only',
  },
  planChanged: {
    query: 'subscription($p: ID!) { planChanged(id: $p) { id title } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
    subscription: true,
  },
  portfolioChanged: {
    query: 'subscription { portfolioChanged { planCount topRisks { plan { id title } risk { id title } } } }',
    expect: 'own-data-only',
    subscription: true,
  },
  updatePlan: {
    query: 'mutation($p: ID!) { updatePlan(id: $p, input: { title: "Taken over" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  createMilestone: {
    query: 'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "x" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  updateMilestone: {
    query: 'mutation($p: ID!, $id: ID!) { updateMilestone(planId: $p, id: $id, input: { owner: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.milestone }),
    expect: 'denied',
  },
  deleteMilestone: {
    query: 'mutation($p: ID!, $id: ID!) { deleteMilestone(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.milestone }),
    expect: 'denied',
  },
  moveMilestone: {
    query: 'mutation($p: ID!, $id: ID!) { moveMilestone(planId: $p, id: $id, index: 0) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.milestone }),
    expect: 'denied',
  },
  createRisk: {
    query: 'mutation($p: ID!) { createRisk(planId: $p, input: { title: "x" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  updateRisk: {
    query: 'mutation($p: ID!, $id: ID!) { updateRisk(planId: $p, id: $id, input: { owner: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.risk }),
    expect: 'denied',
  },
  deleteRisk: {
    query: 'mutation($p: ID!, $id: ID!) { deleteRisk(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.risk }),
    expect: 'denied',
  },
  moveRisk: {
    query: 'mutation($p: ID!, $id: ID!) { moveRisk(planId: $p, id: $id, index: 0) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.risk }),
    expect: 'denied',
  },
  createCheckpoint: {
    query: 'mutation($p: ID!) { createCheckpoint(planId: $p, input: { title: "x", framework: "GDPR" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  updateCheckpoint: {
    query:
      'mutation($p: ID!, $id: ID!) { updateCheckpoint(planId: $p, id: $id, input: { requirement: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.checkpoint }),
    expect: 'denied',
  },
  deleteCheckpoint: {
    query: 'mutation($p: ID!, $id: ID!) { deleteCheckpoint(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.checkpoint }),
    expect: 'denied',
  },
  moveCheckpoint: {
    query: 'mutation($p: ID!, $id: ID!) { moveCheckpoint(planId: $p, id: $id, index: 0) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.checkpoint }),
    expect: 'denied',
  },
  createWorkload: {
    query: 'mutation($p: ID!) { createWorkload(planId: $p, input: { name: "x" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  updateWorkload: {
    query: 'mutation($p: ID!, $id: ID!) { updateWorkload(planId: $p, id: $id, input: { owner: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.workload }),
    expect: 'denied',
  },
  deleteWorkload: {
    query: 'mutation($p: ID!, $id: ID!) { deleteWorkload(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.workload }),
    expect: 'denied',
  },
  moveWorkload: {
    query: 'mutation($p: ID!, $id: ID!) { moveWorkload(planId: $p, id: $id, index: 0) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.workload }),
    expect: 'denied',
  },
  runbook: {
    query: 'query($p: ID!, $id: ID!) { runbook(planId: $p, id: $id) { id title tasks { id title } } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  runbookTemplates: {
    query: 'query($p: ID) { runbookTemplates(planId: $p) { id title suited } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  createRunbook: {
    query: 'mutation($p: ID!) { createRunbook(planId: $p, input: { title: "x" }) { id } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
  },
  updateRunbook: {
    query: 'mutation($p: ID!, $id: ID!) { updateRunbook(planId: $p, id: $id, input: { title: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  deleteRunbook: {
    query: 'mutation($p: ID!, $id: ID!) { deleteRunbook(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  startRunbook: {
    query: 'mutation($p: ID!, $id: ID!) { startRunbook(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  endRunbook: {
    query: 'mutation($p: ID!, $id: ID!) { endRunbook(planId: $p, id: $id, outcome: ABORTED) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  startRehearsal: {
    query: 'mutation($p: ID!, $id: ID!) { startRehearsal(planId: $p, runbookId: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  applyRehearsalDurations: {
    query: 'mutation($p: ID!, $id: ID!) { applyRehearsalDurations(planId: $p, rehearsalId: $id) }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbook }),
    expect: 'denied',
  },
  createRunbookTask: {
    query: 'mutation($p: ID!, $r: ID!) { createRunbookTask(planId: $p, runbookId: $r, input: { title: "x" }) { id } }',
    variables: (v) => ({ p: v.planId, r: v.entries.runbook }),
    expect: 'denied',
  },
  updateRunbookTask: {
    query: 'mutation($p: ID!, $id: ID!) { updateRunbookTask(planId: $p, id: $id, input: { team: "outsider" }) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  deleteRunbookTask: {
    query: 'mutation($p: ID!, $id: ID!) { deleteRunbookTask(planId: $p, id: $id) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  moveRunbookTask: {
    query: 'mutation($p: ID!, $id: ID!) { moveRunbookTask(planId: $p, id: $id, index: 0) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  startTask: {
    query: 'mutation($p: ID!, $id: ID!) { startTask(planId: $p, id: $id) { id status } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  finishTask: {
    query: 'mutation($p: ID!, $id: ID!) { finishTask(planId: $p, id: $id) { id status } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  failTask: {
    query: 'mutation($p: ID!, $id: ID!) { failTask(planId: $p, id: $id, reason: "outsider") { id status } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  skipTask: {
    query: 'mutation($p: ID!, $id: ID!) { skipTask(planId: $p, id: $id, reason: "outsider") { id status } }',
    variables: (v) => ({ p: v.planId, id: v.entries.runbookTask }),
    expect: 'denied',
  },
  vote: {
    query: 'mutation($p: ID!, $t: ID!) { vote(planId: $p, taskId: $t, vote: NO_GO) { id voterId } }',
    variables: (v) => ({ p: v.planId, t: v.entries.runbookTask }),
    expect: 'denied',
  },
  runbookTaskChanged: {
    query: 'subscription($p: ID!) { runbookTaskChanged(planId: $p) { id title status } }',
    variables: (v) => ({ p: v.planId }),
    expect: 'denied',
    subscription: true,
  },
  addComment: {
    query:
      'mutation($p: ID!, $r: ID!) { addComment(planId: $p, input: { subject: risks, entryId: $r, body: "x" }) { id } }',
    variables: (v) => ({ p: v.planId, r: v.entries.risk }),
    expect: 'denied',
  },
  editComment: {
    query: 'mutation($p: ID!, $id: ID!) { editComment(planId: $p, id: $id, body: "taken over") { id body } }',
    variables: (v) => ({ p: v.planId, id: v.entries.comment }),
    expect: 'denied',
  },
  deleteComment: {
    query: 'mutation($p: ID!, $id: ID!) { deleteComment(planId: $p, id: $id) }',
    variables: (v) => ({ p: v.planId, id: v.entries.comment }),
    expect: 'denied',
  },
  setThreadState: {
    query: 'mutation($p: ID!, $id: ID!) { setThreadState(planId: $p, threadId: $id, state: RESOLVED) { id } }',
    variables: (v) => ({ p: v.planId, id: v.entries.comment }),
    expect: 'denied',
  },
  notifications: {
    query: '{ notifications(first: 100) { id title planId planTitle actorName excerpt } }',
    expect: 'own-data-only',
  },
  unreadNotificationCount: { query: '{ unreadNotificationCount }', expect: 'own-data-only' },
  markNotificationsRead: {
    query: 'mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }',
    variables: (v) => ({ ids: [v.notificationId] }),
    expect: 'own-data-only',
  },
  notificationSettings: {
    query: '{ notificationSettings { emailEnabled preferences { kind channel } } }',
    expect: 'own-data-only',
  },
  setNotificationPreference: {
    query: 'mutation { setNotificationPreference(kind: MENTIONED, channel: NONE) { preferences { kind channel } } }',
    expect: 'own-data-only',
  },
  unsubscribe: {
    query: 'mutation($u: ID!) { unsubscribe(userId: $u, kind: "MENTIONED", token: "forged") }',
    variables: (v) => ({ u: v.owner.userId }),
    expect: 'denied',
  },
  assignedToMe: {
    query: '{ assignedToMe { plan { id title } milestone { id title } risk { id title } checkpoint { id title } } }',
    expect: 'own-data-only',
  },
  setLanguage: { query: 'mutation { setLanguage(language: en) { language } }', expect: 'own-data-only' },
  notificationReceived: {
    query: 'subscription { notificationReceived { id title planId excerpt } }',
    expect: 'own-data-only',
    subscription: true,
  },
};

describe('tenant isolation: every GraphQL operation against another organization', () => {
  let smtp: TestSmtpServer;
  let testApp: TestApp;
  let app: INestApplication;
  let baseUrl: string;
  let victim: Victim;
  let attackers: { label: string; token: string }[];

  beforeAll(async () => {
    // E-mail on, so that A's invitations leave e-mails (to A's member) in A's delivery log.
    smtp = await startSmtpServer();
    testApp = await startTestApp({ BASCULE_SMTP_URL: smtp.url });
    ({ app, baseUrl } = testApp);

    const owner = await signUp(baseUrl, { organizationName: 'Organization A' });
    const member = await addMember(baseUrl, owner.tokens.accessToken, 'MEMBER');
    const token = await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
      baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "A integration", scopes: [WRITE] }) { secret apiToken { id } } }',
    );
    const sessions = await graphqlAs<{ sessions: { id: string }[] }>(
      baseUrl,
      owner.tokens.accessToken,
      '{ sessions { id } }',
    );
    const invitedEmail = uniqueEmail('a-invitee');
    victim = {
      owner,
      member,
      apiTokenId: token.data!.createApiToken.apiToken.id,
      apiTokenSecret: token.data!.createApiToken.secret,
      sessionId: sessions.data!.sessions[0]!.id,
      pendingInvitationToken: await invite(baseUrl, owner.tokens.accessToken, invitedEmail),
      invitedEmail,
      planId: (
        await graphqlAs<{ createPlan: { id: string } }>(
          baseUrl,
          owner.tokens.accessToken,
          'mutation { createPlan(input: { title: "Plan of A", defaultMemberRole: null }) { id } }',
        )
      ).data!.createPlan.id,
      webhookEndpointId: '',
      baselineId: '',
      attackerPlanId: '',
      entries: { milestone: '', risk: '', checkpoint: '', workload: '', runbook: '', runbookTask: '', comment: '' },
      notificationId: '',
    };
    const created = await graphqlAs<Record<string, { id: string }>>(
      baseUrl,
      owner.tokens.accessToken,
      `mutation($p: ID!) {
        milestone: createMilestone(planId: $p, input: { title: "Milestone of A" }) { id }
        risk: createRisk(planId: $p, input: { title: "Risk of A" }) { id }
        checkpoint: createCheckpoint(planId: $p, input: { title: "Checkpoint of A", framework: "GDPR" }) { id }
        workload: createWorkload(planId: $p, input: { name: "Workload of A" }) { id }
      }`,
      { p: victim.planId },
    );
    const runbook = await graphqlAs<{ createRunbook: { id: string; tasks: { id: string }[] } }>(
      baseUrl,
      owner.tokens.accessToken,
      'mutation($p: ID!) { createRunbook(planId: $p, input: { title: "Runbook of A", templateId: "database-move" }) { id tasks { id } } }',
      { p: victim.planId },
    );
    expect(runbook.errors).toBeUndefined();
    victim.entries = {
      milestone: created.data!.milestone!.id,
      risk: created.data!.risk!.id,
      checkpoint: created.data!.checkpoint!.id,
      workload: created.data!.workload!.id,
      runbook: runbook.data!.createRunbook.id,
      runbookTask: runbook.data!.createRunbook.tasks[0]!.id,
      comment: '',
    };
    await graphqlAs(
      baseUrl,
      owner.tokens.accessToken,
      'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }',
      { p: victim.planId, u: member.userId },
    );
    const comment = await graphqlAs<{ addComment: { id: string } }>(
      baseUrl,
      member.tokens.accessToken,
      'mutation($p: ID!, $r: ID!, $b: String!) { addComment(planId: $p, input: { subject: risks, entryId: $r, body: $b }) { id } }',
      { p: victim.planId, r: victim.entries.risk, b: `Comment of A for @[Owner of A](user:${owner.userId})` },
    );
    expect(comment.errors).toBeUndefined();
    victim.entries.comment = comment.data!.addComment.id;
    victim.notificationId = await eventually(async () => {
      const found = await graphqlAs<{ notifications: { id: string }[] }>(
        baseUrl,
        owner.tokens.accessToken,
        '{ notifications(first: 1) { id } }',
      );
      const id = found.data?.notifications[0]?.id;
      expect(id).toBeDefined();
      return id as string;
    });

    const hooksAndVersions = await graphqlAs<{
      createWebhookEndpoint: { endpoint: { id: string } };
      createBaseline: { id: string };
    }>(
      baseUrl,
      owner.tokens.accessToken,
      `mutation($p: ID!) {
        createWebhookEndpoint(input: { url: "https://itsm.a.example/hook", events: ["plan.changed"] }) { endpoint { id } }
        createBaseline(planId: $p, name: "Baseline of A") { id }
      }`,
      { p: victim.planId },
    );
    expect(hooksAndVersions.errors).toBeUndefined();
    victim.webhookEndpointId = hooksAndVersions.data!.createWebhookEndpoint.endpoint.id;
    victim.baselineId = hooksAndVersions.data!.createBaseline.id;

    const outsider = await signUp(baseUrl, { organizationName: 'Organization B' });
    victim.attackerPlanId = (
      await graphqlAs<{ createPlan: { id: string } }>(
        baseUrl,
        outsider.tokens.accessToken,
        'mutation { createPlan(input: { title: "Plan of B" }) { id } }',
      )
    ).data!.createPlan.id;
    const outsiderToken = await graphqlAs<{ createApiToken: { secret: string } }>(
      baseUrl,
      outsider.tokens.accessToken,
      'mutation { createApiToken(input: { name: "B integration", scopes: [WRITE] }) { secret } }',
    );
    attackers = [
      { label: 'owner of B (session)', token: outsider.tokens.accessToken },
      { label: 'API token of B (write)', token: outsiderToken.data!.createApiToken.secret },
    ];
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  /** Subscribes as an attacker, has A's owner change A's plan, and returns what the attacker got. */
  async function subscribeWhileAChanges(
    token: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphqlResponse> {
    const subscription = subscribe(baseUrl, { authorization: `Bearer ${token}` }, query, variables);
    try {
      await subscription.connected;
      await graphqlAs(
        baseUrl,
        victim.owner.tokens.accessToken,
        'mutation($p: ID!, $d: String) { updatePlan(id: $p, input: { description: $d }) { id } }',
        { p: victim.planId, d: `changed ${Date.now()}` },
      );
      await app.get(ProjectionService).idle();
      await eventually(() => expect(subscription.ended.done || subscription.results.length > 0).toBe(true), 500).catch(
        () => undefined,
      );
      const first = subscription.results[0];
      return {
        status: 101,
        data: first?.data as Record<string, unknown> | undefined,
        errors: first?.errors as GraphqlResponse['errors'],
      };
    } finally {
      await subscription.close();
    }
  }

  it('covers every operation of the schema', () => {
    const schema = app.get(GraphQLSchemaHost).schema;
    const operations = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (type) => (type === null || type === undefined ? [] : Object.keys(type.getFields())),
    );
    expect(Object.keys(ATTACKS).sort()).toEqual(operations.sort());
  });

  it.each(Object.keys(ATTACKS))('%s: organization A stays out of reach', async (operation) => {
    const attack = ATTACKS[operation]!;
    const secretsOfA = [
      victim.owner.organizationId,
      victim.owner.userId,
      victim.owner.email,
      victim.member.userId,
      victim.member.email,
      victim.apiTokenId,
      victim.sessionId,
      victim.planId,
      'Organization A',
      'Plan of A',
      'Milestone of A',
      'Risk of A',
      'Checkpoint of A',
      'Workload of A',
      'Runbook of A',
      'Comment of A',
      victim.notificationId,
      ...Object.values(victim.entries),
    ];
    for (const attacker of attackers) {
      const response = attack.subscription
        ? await subscribeWhileAChanges(attacker.token, attack.query, attack.variables?.(victim))
        : await graphqlAs(baseUrl, attacker.token, attack.query, attack.variables?.(victim));
      const code = response.errors?.[0]?.extensions?.code;
      const seen = { attacker: attacker.label, code };
      if (attack.expect === 'denied') {
        expect(seen).toEqual({ attacker: attacker.label, code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/) });
      } else {
        expect(['NOT_FOUND', 'FORBIDDEN', undefined]).toContain(code);
      }
      const body = JSON.stringify(response.data ?? null);
      for (const secret of secretsOfA) {
        expect({ ...seen, leaks: body.includes(secret) ? secret : null }).toEqual({ ...seen, leaks: null });
      }
    }
  });

  it('declares these permissions, operation by operation (a change here is a security review)', () => {
    const declared = Object.fromEntries(
      app
        .get(AccessAudit)
        .operations()
        .map((operation) => [operation.handler, `${operation.type}: ${operation.permission ?? 'NONE'}`])
        .sort(([a], [b]) => (a as string).localeCompare(b as string)),
    );
    expect(declared).toEqual({
      'AccountResolver.acceptInvitation': 'Mutation: account.manage',
      'AccountResolver.me': 'Query: account.read',
      'AccountResolver.revokeSession': 'Mutation: account.manage',
      'AuditResolver.auditEvents': 'Query: audit.read',
      'AuditResolver.auditTrailCheck': 'Query: audit.read',
      'BaselinesResolver.compareBaselines': 'Query: plans.read',
      'WebhooksResolver.createWebhookEndpoint': 'Mutation: webhooks.manage',
      'WebhooksResolver.deleteWebhookEndpoint': 'Mutation: webhooks.manage',
      'WebhooksResolver.rotateWebhookSecret': 'Mutation: webhooks.manage',
      'WebhooksResolver.webhookDeliveries': 'Query: webhooks.manage',
      'WebhooksResolver.webhookEndpoints': 'Query: webhooks.manage',
      'MailResolver.mailDeliveries': 'Query: members.manage',
      'BaselinesResolver.createBaseline': 'Mutation: plans.write',
      'BaselinesResolver.restoreBaseline': 'Mutation: plans.write',
      'AccountResolver.sessions': 'Query: account.manage',
      'ApiTokensResolver.apiTokens': 'Query: apiTokens.manage',
      'ApiTokensResolver.createApiToken': 'Mutation: apiTokens.manage',
      'ApiTokensResolver.revokeApiToken': 'Mutation: apiTokens.manage',
      'OrganizationsResolver.changeMemberRole': 'Mutation: members.manage',
      'OrganizationsResolver.inviteMember': 'Mutation: members.manage',
      'OrganizationsResolver.members': 'Query: organization.read',
      'OrganizationsResolver.organization': 'Query: organization.read',
      'OrganizationsResolver.removeMember': 'Mutation: members.manage',
      'CatalogResolver.catalog': 'Query: plans.read',
      'CatalogResolver.saveComplianceFramework': 'Mutation: catalog.manage',
      'CatalogResolver.saveTargetOffer': 'Mutation: catalog.manage',
      ...Object.fromEntries(
        ['Milestone', 'Risk', 'Checkpoint', 'Workload'].flatMap((entity) =>
          ['create', 'update', 'delete', 'move'].map((verb) => [`${entity}sResolver.${verb}`, 'Mutation: plans.write']),
        ),
      ),
      'PlanEditResolver.createPlan': 'Mutation: plans.write',
      'PlanEditResolver.importInventory': 'Mutation: plans.write',
      'PlanEditResolver.previewInventoryImport': 'Query: plans.read',
      'PlanEditResolver.createPlanFromTemplate': 'Mutation: plans.write',
      'PlanEditResolver.setPlanDefaultRole': 'Mutation: plans.write',
      'PlanEditResolver.updatePlan': 'Mutation: plans.write',
      'PlanQueriesResolver.plan': 'Query: plans.read',
      'PlanQueriesResolver.plans': 'Query: plans.read',
      'PlanQueriesResolver.portfolio': 'Query: plans.read',
      'PlanQueriesResolver.templates': 'Query: plans.read',
      'PlanSubscriptionsResolver.planChanged': 'Subscription: plans.read',
      'PlanSubscriptionsResolver.portfolioChanged': 'Subscription: plans.read',
      'PlansResolver.setPlanMemberRole': 'Mutation: plans.write',
      ...Object.fromEntries(
        [
          'createRunbook',
          'updateRunbook',
          'deleteRunbook',
          'startRunbook',
          'endRunbook',
          'startRehearsal',
          'applyRehearsalDurations',
        ].map((name) => [`RunbooksResolver.${name}`, 'Mutation: plans.write']),
      ),
      'RunbooksResolver.runbook': 'Query: plans.read',
      'RunbooksResolver.runbookTemplates': 'Query: plans.read',
      ...Object.fromEntries(
        [
          'createRunbookTask',
          'updateRunbookTask',
          'deleteRunbookTask',
          'moveRunbookTask',
          'startTask',
          'finishTask',
          'failTask',
          'skipTask',
          'vote',
        ].map((name) => [`RunbookTasksResolver.${name}`, 'Mutation: plans.write']),
      ),
      'RunbookSubscriptionsResolver.runbookTaskChanged': 'Subscription: plans.read',
      'ServerInfoResolver.serverInfo': 'Query: public',
      ...Object.fromEntries(
        ['addComment', 'editComment', 'deleteComment', 'setThreadState'].map((name) => [
          `CommentsResolver.${name}`,
          'Mutation: plans.write',
        ]),
      ),
      'NotificationsResolver.notifications': 'Query: notifications.read',
      'NotificationsResolver.unreadNotificationCount': 'Query: notifications.read',
      'NotificationsResolver.notificationSettings': 'Query: notifications.read',
      'NotificationsResolver.markNotificationsRead': 'Mutation: notifications.manage',
      'NotificationsResolver.setNotificationPreference': 'Mutation: notifications.manage',
      'NotificationsResolver.unsubscribe': 'Mutation: public',
      'NotificationsResolver.notificationReceived': 'Subscription: notifications.read',
      'AccountResolver.setLanguage': 'Mutation: account.manage',
      'AssignmentsResolver.assignedToMe': 'Query: plans.read',
    });
  });

  it('left organization A exactly as it was', async () => {
    const state = await graphqlAs(
      baseUrl,
      victim.owner.tokens.accessToken,
      '{ organization { name } members { user { id } role } apiTokens { id revokedAt } sessions { id } }',
    );
    expect(state.data).toEqual({
      organization: { name: 'Organization A' },
      members: [
        { user: { id: victim.owner.userId }, role: 'OWNER' },
        { user: { id: victim.member.userId }, role: 'MEMBER' },
      ],
      apiTokens: [{ id: victim.apiTokenId, revokedAt: null }],
      sessions: [{ id: victim.sessionId }],
    });
    expect((await graphqlAs(baseUrl, victim.apiTokenSecret, '{ organization { name } }')).data).toEqual({
      organization: { name: 'Organization A' },
    });
    const plan = await graphqlAs<{
      plan: Record<string, { edges: { node: { id: string; owner: string | null } }[] }> & { title: string };
      catalog: { offers: { id: string; name: string; version: number }[]; frameworks: { id: string; name: string }[] };
    }>(
      baseUrl,
      victim.owner.tokens.accessToken,
      `query($p: ID!) {
        plan(id: $p) {
          title
          milestones { edges { node { id owner } } }
          risks { edges { node { id owner } } }
          checkpoints { edges { node { id owner: requirement } } }
          workloads { edges { node { id owner } } }
        }
        catalog { offers { id name version } frameworks { id name } }
      }`,
      { p: victim.planId },
    );
    expect(plan.data!.plan.title).toBe('Plan of A');
    for (const collection of ['milestones', 'risks', 'checkpoints', 'workloads'])
      expect(plan.data!.plan[collection]!.edges.map((edge) => edge.node)).toEqual([
        { id: expect.any(String), owner: null },
      ]);
    expect(plan.data!.catalog.offers.find((offer) => offer.id === 'bleu')).toMatchObject({
      name: 'Bleu (Azure, Microsoft 365)',
      version: 2,
    });
    expect(plan.data!.catalog.frameworks.find((framework) => framework.id === 'GDPR')?.name).toBe(
      'Règlement général sur la protection des données (RGPD)',
    );
  });
});

@Resolver()
class ForgetfulResolver {
  @Query(() => String)
  undeclaredOperation(): string {
    return 'should never run';
  }
}

@Module({ providers: [ForgetfulResolver] })
class ForgetfulModule {}

describe('an operation without an access declaration', () => {
  it('stops the application from starting, naming it', async () => {
    await expect(startTestApp({}, { extra: [ForgetfulModule] })).rejects.toThrow(
      /ForgetfulResolver\.undeclaredOperation \(Query\)/,
    );
  });
});
