import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Language, languageOf } from '@bascule/plan-model';
import { requestOf } from '../access/access.guard.js';

/**
 * The language the caller reads, from the request's Accept-Language (the web client sends the
 * language its interface is in): what Bascule writes for this caller is written in it. French when
 * the request names neither French nor English (a subscription, a tool that sends nothing).
 */
export const RequestLanguage = createParamDecorator((_data: unknown, context: ExecutionContext): Language => {
  const header = requestOf(context).headers['accept-language'];
  return languageOf(Array.isArray(header) ? header.join(',') : header);
});
