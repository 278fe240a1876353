import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, INTERNAL_ERROR_MESSAGE, toPublicError } from '../common/errors.js';
import type { Logger } from '../logging/logger.js';

/** Errors Apollo raises about the request itself (syntax, validation, bad variables): the client's to fix. */
const REQUEST_ERROR_CODES = new Set<unknown>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/**
 * GraphQL Armor and the parser's token limit present a limit passed as "Syntax Error: …": the query
 * is well formed, only too deep, too aliased or too long, and the message says that alone.
 */
const limitMessage = (message: string) =>
  message.replace(/^Syntax Error: (?=.*\blimit of\b|Document contains more)/, '');

/**
 * Gives every GraphQL error one of the contract's codes. Internals (stack traces, driver messages,
 * SQL) never reach the client: they are logged here and replaced by a generic message.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const where = {
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
    };
    const unwrapped = unwrapResolverError(error);
    // A refusal raised before execution (the cost limit) is an AppError in a GraphQLError without a path.
    const original =
      unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError
        ? unwrapped.originalError
        : unwrapped;
    const known = toPublicError(original);
    if (known !== undefined) {
      return { message: known.message, ...where, extensions: { ...known.details, code: known.code } };
    }
    if (REQUEST_ERROR_CODES.has(formatted.extensions?.code)) {
      return { message: limitMessage(formatted.message), ...where, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return { message: INTERNAL_ERROR_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
