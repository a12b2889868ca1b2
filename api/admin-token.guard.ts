import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AdminSettings } from './api-deps';
import { apiError } from './api-error';
import { ADMIN_SETTINGS } from './tokens';

/**
 * Lets a request through to the admin endpoints only with `Authorization: Bearer <ADMIN_TOKEN>`. Without a
 * configured token the admin API does not exist (404), so an unconfigured deployment cannot be opened by guessing.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const { adminToken } = this.settings;
    if (!adminToken) throw apiError(404, 'admin API is disabled: set ADMIN_TOKEN');
    const http = context.switchToHttp();
    if (!bearerTokenMatches(http.getRequest<IncomingMessage>().headers.authorization, adminToken)) {
      http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      throw apiError(401, 'The admin API needs the header Authorization: Bearer <ADMIN_TOKEN>');
    }
    return true;
  }
}

function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  // Digests have one length whatever the tokens' lengths, so the comparison takes the same time for every guess.
  const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
