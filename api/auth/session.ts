import { jwtVerify, SignJWT } from 'jose';

/**
 * Who a request comes from. A customer may see and change only their own orders; an operator sees and may
 * cancel every order, and runs the board, the admin API and the reports.
 */
export type Session = { role: 'customer'; customerId: string } | { role: 'operator'; operator: string };

/** Sessions last a working day; then the page signs in again. */
export const SESSION_SECONDS = 12 * 60 * 60;
export const SESSION_COOKIE = 'bubble_tea_session';
const ISSUER = 'bubble-tea-shop';

/** Signs and reads sessions (HMAC-SHA256 JWTs): the same token is the cookie of a page and the bearer token of an API client. */
export interface SessionTokens {
  issue(session: Session): Promise<string>;
  read(token: string): Promise<Session | undefined>;
}

export function sessionTokens(secret: Uint8Array): SessionTokens {
  return {
    issue: (session) =>
      new SignJWT(session.role === 'customer' ? { role: 'customer' } : { role: 'operator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(session.role === 'customer' ? session.customerId : session.operator)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${SESSION_SECONDS}s`)
        .sign(secret),
    async read(token) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
        if (payload.role === 'customer') return { role: 'customer', customerId: payload.sub };
        if (payload.role === 'operator') return { role: 'operator', operator: payload.sub };
        return undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Who did it, for log lines and the audit trail. */
export function actorOf(session: Session): string {
  return session.role === 'customer' ? `customer:${session.customerId}` : `operator:${session.operator}`;
}
