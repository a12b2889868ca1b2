import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { sessionTokens } from './session';
import type { AuthSettings } from './session.guard';

/** Who may sign in and how sessions are signed, from the configuration. */
export function authSettings(app: AppConfig['app'], logger: Logger): AuthSettings {
  if (app.sessionSecret === undefined) logger.warn('SESSION_SECRET is not set: sessions are signed with a random key and end when this process does');
  if (app.operators.length === 0 && !app.adminToken) logger.warn('No OPERATORS configured: nobody can sign in to the operator board');
  return {
    tokens: sessionTokens(app.sessionSecret === undefined ? randomBytes(32) : new TextEncoder().encode(app.sessionSecret)),
    operators: new Map(app.operators.map((operator) => [operator.name, operator.passwordHash])),
    adminToken: app.adminToken,
  };
}
