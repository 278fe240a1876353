import { Controller, HttpCode, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Allow } from '../access/permissions.js';
import { parseBody } from '../common/http.js';
import { NotificationsService } from './notifications.service.js';

const unsubscribeQuery = z.object({
  user: z.string().min(1).max(64),
  kind: z.string().min(1).max(32),
  token: z.string().min(1).max(100),
});

/**
 * One-click unsubscribe (RFC 8058): mail clients POST to the link an e-mail's List-Unsubscribe header
 * gives. The same link opened in a browser (a GET) is the web client's page, which asks first and
 * calls the `unsubscribe` mutation.
 */
@Controller('notifications')
export class UnsubscribeController {
  constructor(private readonly notifications: NotificationsService) {}

  @Allow('public')
  @Post('unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Query() query: unknown): Promise<{ unsubscribed: string }> {
    const { user, kind, token } = parseBody(unsubscribeQuery, query);
    return { unsubscribed: await this.notifications.unsubscribeOrFail(user, kind, token) };
  }
}
