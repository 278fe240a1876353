import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Language, LANGUAGES, languageOf } from '@bascule/plan-model';
import { z } from 'zod';
import { requestOf } from '../access/access.guard.js';
import { parseBody } from './http.js';

/** `?lang=fr` or `?lang=en`: what an address says, over the request's Accept-Language. */
const languageQuery = z.object({ lang: z.enum(LANGUAGES, { error: `expected ${LANGUAGES.join(' or ')}` }).optional() });

/**
 * The language the caller reads: `?lang=` when the address gives one (calendar applications send
 * no useful header), else the request's Accept-Language (the web client sends the language its
 * interface is in). What Bascule writes for this caller is written in it. French when neither names
 * French or English (a subscription, a tool that sends nothing); another `lang` is refused.
 */
export const RequestLanguage = createParamDecorator((_data: unknown, context: ExecutionContext): Language => {
  const request = requestOf(context);
  const header = request.headers['accept-language'];
  return (
    parseBody(languageQuery, (request as { query?: unknown }).query).lang ??
    languageOf(Array.isArray(header) ? header.join(',') : header)
  );
});
