import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { parseBody } from '../common/http.js';
import { AuditQueryService } from './audit-query.service.js';
import { eventValues } from '../audit/audit-trail.service.js';

const exportQuery = z.object({
  planId: z.uuid().optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});

const COLUMNS = [
  'seq',
  'occurred_at',
  'plan_id',
  'actor_kind',
  'actor_id',
  'actor_name',
  'action',
  'entity',
  'entity_id',
  'field',
  'before',
  'after',
  'details',
  'hash',
] as const;

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets never run it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The trail as CSV, for auditors' spreadsheets: GET /audit/events.csv?planId=...&since=...&until=... */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Allow('audit.read')
  @Get('events.csv')
  async exportCsv(@CurrentAuth() auth: AuthContext, @Query() query: unknown, @Res() response: Response): Promise<void> {
    const { planId, since, until } = parseBody(exportQuery, query);
    const filter = {
      planId: planId ?? null,
      since: since === undefined ? null : new Date(since),
      until: until === undefined ? null : new Date(until),
    };
    const pages = this.audit.all(auth, filter);
    // The first page is read before anything is sent, so a refusal is still a proper error answer.
    const first = await pages.next();
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="bascule-audit${planId ? `-${planId}` : ''}.csv"`);
    response.write(`${COLUMNS.join(',')}\n`);
    for (let page = first; page.done !== true; page = await pages.next()) {
      for (const event of page.value) {
        const cells = [...eventValues(event), event.hash];
        response.write(`${cells.map(csvCell).join(',')}\n`);
      }
    }
    response.end();
  }
}
