import type { IncomingHttpHeaders } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Language, LANGUAGES, languageOf } from '@bascule/plan-model';
import { z } from 'zod';
import { requestOf } from './request.js';
import { parseBody } from '../common/http.js';

/** `?lang=fr` or `?lang=en`: what an address says, over the request's Accept-Language. */
const languageQuery = z.object({ lang: z.enum(LANGUAGES, { error: `expected ${LANGUAGES.join(' or ')}` }).optional() });

/**
 * The language the caller reads: `?lang=` when the address gives one (calendar applications send
 * no useful header), else the request's Accept-Language (the web client sends the language its
 * interface is in). What Bascule writes for this caller is written in it. French when neither names
 * French or English (a subscription, a tool that sends nothing); another `lang` is refused.
 */
export const RequestLanguage = createParamDecorator((_data: unknown, context: ExecutionContext): Language =>
  languageOfRequest(requestOf(context)),
);

/** Languages of requests already asked: a list of plans asks once per plan. */
const known = new WeakMap<object, Language>();

/** What RequestLanguage gives, for a resolver that reads its request itself. */
export function languageOfRequest(request: { headers: IncomingHttpHeaders; query?: unknown }): Language {
  const remembered = known.get(request);
  if (remembered !== undefined) return remembered;
  const header = request.headers['accept-language'];
  const language =
    parseBody(languageQuery, request.query).lang ?? languageOf(Array.isArray(header) ? header.join(',') : header);
  known.set(request, language);
  return language;
}
