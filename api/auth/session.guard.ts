import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { apiError } from '../api-error';
import { isJson } from '../json-request';
import { AUTH_SETTINGS } from '../tokens';
import { SESSION_COOKIE, type Session, type SessionTokens } from './session';

export interface AuthSettings {
  tokens: SessionTokens;
  /** Operators' password hashes by name (OPERATORS). */
  operators: ReadonlyMap<string, string>;
  /** A bearer token that acts as the operator `admin-token`, for scripts (ADMIN_TOKEN). */
  adminToken: string | undefined;
}

type SignedRequest = IncomingMessage & { cookies?: Record<string, string> };

const sessions = new WeakMap<IncomingMessage, Session>();

/** The session a guard let through; only on routes behind CustomerGuard or OperatorGuard. */
export function sessionOf(request: IncomingMessage): Session {
  const session = sessions.get(request);
  if (!session) throw new Error('no session: the route has no session guard');
  return session;
}

export const SIGN_IN_HINT =
  'Sign in first: POST /sessions with {"customerId": "<your name>"} (customers) or POST /sessions/operator with {"name", "password"} (operators), then send the session cookie or Authorization: Bearer <token>';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets a request through with a session (the bearer token or the session cookie) and remembers it for the
 * handler. A state change that rides on the cookie must also come from this site and be JSON, which a form
 * or a script on another site cannot send without the browser asking first.
 */
abstract class SessionGuard implements CanActivate {
  constructor(@Inject(AUTH_SETTINGS) protected readonly settings: AuthSettings) {}

  protected abstract allows(session: Session): boolean;
  protected abstract refusal: string;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<SignedRequest>();
    const found = await this.sessionFrom(request);
    if (!found) {
      http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="bubble-tea-shop"');
      throw apiError(401, SIGN_IN_HINT);
    }
    if (found.viaCookie && !SAFE_METHODS.has(request.method ?? 'GET')) refuseCrossSite(request);
    if (!this.allows(found.session)) throw apiError(403, this.refusal);
    sessions.set(request, found.session);
    return true;
  }

  private async sessionFrom(request: SignedRequest): Promise<{ session: Session; viaCookie: boolean } | undefined> {
    const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      const { adminToken } = this.settings;
      if (adminToken && sameSecret(bearer, adminToken)) return { session: { role: 'operator', operator: 'admin-token' }, viaCookie: false };
      const session = await this.settings.tokens.read(bearer);
      return session && { session, viaCookie: false };
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    const session = cookie === undefined ? undefined : await this.settings.tokens.read(cookie);
    return session && { session, viaCookie: true };
  }
}

@Injectable()
export class CustomerGuard extends SessionGuard {
  protected refusal = 'This needs a session';
  protected allows(): boolean {
    return true;
  }
}

@Injectable()
export class OperatorGuard extends SessionGuard {
  protected refusal = 'Only an operator may do this: sign in with POST /sessions/operator';
  protected allows(session: Session): boolean {
    return session.role === 'operator';
  }
}

/** A sign-in, like a cookie-borne state change, must come from a page of this site, as JSON. */
export const SAME_SITE_JSON: CanActivate = {
  canActivate(context: ExecutionContext): boolean {
    refuseCrossSite(context.switchToHttp().getRequest<IncomingMessage>());
    return true;
  },
};

/** A cookie-borne state change must come from a page of this site, as JSON (see SessionGuard). */
export function refuseCrossSite(request: IncomingMessage): void {
  const fetchSite = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const host = request.headers.host;
  const sameOrigin = origin === undefined || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
  if (fetchSite === 'cross-site' || fetchSite === 'same-site' || !sameOrigin) throw apiError(403, 'Cross-site requests may not change anything');
  if (!isJson(request)) throw apiError(415, 'Content-Type must be application/json');
}

function sameSecret(given: string, expected: string): boolean {
  // Digests have one length whatever the tokens' lengths, so the comparison takes the same time for every guess.
  const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
