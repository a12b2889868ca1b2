import { hashPassword } from '../auth/passwords';
import { sessionTokens } from '../auth/session';
import type { AuthSettings } from '../auth/session.guard';

/** The operator every test shop knows (OPERATORS of the whole shop, the test API's defaults). */
export const TEST_OPERATOR = { name: 'test-operator', password: 'test-operator-password' } as const;
export const TEST_OPERATORS_ENTRY = `${TEST_OPERATOR.name}:${await hashPassword(TEST_OPERATOR.password)}`;
export const TEST_SESSION_SECRET = 'test-session-secret-of-at-least-32-characters';

export const TEST_AUTH: AuthSettings = {
  tokens: sessionTokens(new TextEncoder().encode(TEST_SESSION_SECRET)),
  operators: new Map([[TEST_OPERATOR.name, TEST_OPERATORS_ENTRY.slice(TEST_OPERATOR.name.length + 1)]]),
  adminToken: undefined,
};

async function signIn(baseUrl: string, path: string, body: unknown): Promise<{ authorization: string }> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`sign-in at ${path} answered ${response.status}: ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** Headers of a customer's session, signed in through the API as a client would. */
export function asCustomer(baseUrl: string, customerId: string): Promise<{ authorization: string }> {
  return signIn(baseUrl, '/sessions', { customerId });
}

/** Headers of the test operator's session. */
export function asOperator(baseUrl: string): Promise<{ authorization: string }> {
  return signIn(baseUrl, '/sessions/operator', TEST_OPERATOR);
}

let operatorToken: Promise<string> | undefined;

/**
 * `fetch` as the test operator, who may reach every order: for tests of what the API does rather than whom it
 * lets in (api/auth.unit.spec.ts tests that). A request that brings its own Authorization keeps it.
 */
export async function operatorFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) {
    operatorToken ??= TEST_AUTH.tokens.issue({ role: 'operator', operator: TEST_OPERATOR.name });
    headers.set('authorization', `Bearer ${await operatorToken}`);
  }
  return fetch(input, { ...init, headers });
}
