import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { tracer } from '../telemetry/tracing.js';
import type { Authorization, CollabAuthorizer } from '@bascule/collab';
import { CollabCloseCode } from '@bascule/collab-protocol';
import { AppError } from '../common/errors.js';
import { AuthService } from '../identity/auth.service.js';
import { canWrite, PlansService } from '../plans/plans.service.js';

/** Readable on white and on the dark caret labels alike; picked per user so colours stay stable. */
const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#ff7f0e',
  '#3b4cc0',
];

/** Plan ids as the plans table issues them (lower-case UUIDs). */
const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const UNKNOWN_PLAN: Authorization = { refused: CollabCloseCode.UnknownDocument, reason: 'unknown plan' };

export function colorOf(userId: string): string {
  const index = createHash('sha256').update(userId).digest().readUInt8(0) % PALETTE.length;
  return PALETTE[index] ?? '#1f77b4';
}

/**
 * Who may open a plan's socket, with the same checks as GraphQL: the bearer token (access or API
 * token), then the plan role. Another organization's plan is unknown (4404); a plan one may not see
 * is forbidden (4403); VIEWERs and read-only tokens get a read-only socket.
 */
@Injectable()
export class PlanCollabAuthorizer implements CollabAuthorizer {
  constructor(
    private readonly auth: AuthService,
    private readonly plans: PlansService,
  ) {}

  /** Traced as `collab.authorize`, with the plan and the outcome. */
  authorize(token: string | null, planId: string, credentialVerified?: () => void): Promise<Authorization> {
    return tracer.startActiveSpan('collab.authorize', async (span) => {
      span.setAttribute('bascule.plan_id', planId);
      try {
        const authorization = await this.decide(token, planId, credentialVerified);
        span.setAttribute('bascule.collab.outcome', 'granted' in authorization ? 'granted' : authorization.refused);
        return authorization;
      } finally {
        span.end();
      }
    });
  }

  private async decide(token: string | null, planId: string, credentialVerified?: () => void): Promise<Authorization> {
    // A collab document is a plan: any other name is unknown, whoever asks (checked before the token).
    if (!PLAN_ID.test(planId)) return UNKNOWN_PLAN;
    if (token === null || token === '')
      return { refused: CollabCloseCode.Unauthenticated, reason: 'a token parameter is required' };
    let caller;
    let access;
    let name;
    try {
      const verified = await this.auth.verifyBearer(token);
      credentialVerified?.();
      // The session, and the plan with the caller's name, are read at once, in one round trip's
      // wait; the plan counts only for the caller the session confirms.
      const [confirmed, read] = await Promise.all([
        verified.caller,
        this.plans.readAccessAndName(planId, verified.identity),
      ]);
      caller = confirmed;
      access = this.plans.decideAccess(caller, read.rows);
      name = read.callerName;
    } catch (error) {
      if (error instanceof AppError) return { refused: CollabCloseCode.Unauthenticated, reason: error.message };
      throw error;
    }
    if (access.kind === 'unknown') return UNKNOWN_PLAN;
    if (access.kind === 'forbidden') return { refused: CollabCloseCode.Forbidden, reason: 'no access to this plan' };
    if (name === null) return { refused: CollabCloseCode.Unauthenticated, reason: 'this account no longer exists' };
    return {
      granted: {
        // A tool's socket shows (in presence and the trail) as its owner's, naming the token.
        identity: { userId: caller.userId, name, color: colorOf(caller.userId) },
        readOnly: !canWrite(access.role),
        role: access.role,
        expiresAt: caller.expiresAt,
        sessionId: caller.sessionId,
        apiTokenId: caller.apiTokenId,
      },
    };
  }
}
