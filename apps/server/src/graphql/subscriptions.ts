import type { Request, Response } from 'express';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { SubscribePayload, Context as WsContext } from 'graphql-ws';
import type { AuthContext } from '../access/auth-context.js';
import type { AuthService } from '../identity/auth.service.js';

/** What a graphql-ws connection keeps once its connection parameters were accepted. */
interface ConnectionExtra {
  auth?: AuthContext;
  token?: string;
}

/** The request a subscription's resolvers see: no headers, the identity established at connection. */
export interface SubscriptionRequest {
  readonly headers: Record<string, never>;
  readonly user: AuthContext | undefined;
  /** The credential, so that long-lived subscriptions can check it again (expiry, revocation, roles). */
  readonly bearerToken: string | undefined;
}

/** `{ authorization: "Bearer <token>" }`, or `{ token }`, as browsers and tools send them. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string' && /^Bearer \S+$/i.test(authorization)) return authorization.slice(7).trim();
  return typeof params?.token === 'string' && params.token !== '' ? params.token : null;
}

/**
 * graphql-ws on /graphql: a connection without a valid token is closed at once (4403); errors in
 * results get the same codes and masking as over HTTP.
 */
export function subscriptionTransport(
  auth: AuthService,
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  limits: (payload: SubscribePayload) => readonly GraphQLError[],
) {
  return {
    path: '/graphql',
    /** The operation limits of HTTP requests apply to subscriptions too, counted with their variables. */
    onSubscribe: (_context: unknown, _id: string, payload: SubscribePayload): readonly GraphQLError[] | undefined => {
      const errors = limits(payload);
      return errors.length === 0 ? undefined : errors;
    },
    onNext: (
      _context: unknown,
      _id: string,
      _payload: unknown,
      _args: unknown,
      result: ExecutionResult,
    ): FormattedExecutionResult | undefined =>
      result.errors === undefined
        ? undefined
        : { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) },
    onConnect: async (context: WsContext<Record<string, unknown> | undefined, unknown>): Promise<boolean> => {
      const token = tokenOf(context.connectionParams);
      if (token === null) return false;
      try {
        const extra = context.extra as ConnectionExtra;
        extra.auth = await auth.authenticateBearer(token);
        extra.token = token;
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The GraphQL context: the HTTP request and response, or a subscription's stand-in request. */
export interface GraphqlContext {
  readonly req: Request | SubscriptionRequest;
  readonly res?: Response;
}

export function contextOf(
  argument: { req: Request; res: Response } | WsContext<Record<string, unknown> | undefined, unknown>,
): GraphqlContext {
  if ('req' in argument) return { req: argument.req, res: argument.res };
  const extra = argument.extra as ConnectionExtra;
  return { req: { headers: {}, user: extra.auth, bearerToken: extra.token } };
}
