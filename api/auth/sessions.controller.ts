import type { IncomingMessage } from 'node:http';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { placeOrderSchema } from '../../contracts/order-input';
import { apiError } from '../api-error';
import { ApiDoc, error, type OperationDoc } from '../openapi-docs';
import { API_LOGGER, AUTH_SETTINGS } from '../tokens';
import { ZodValidationPipe } from '../zod-validation-pipe';
import { verifyPassword } from './passwords';
import { SESSION_COOKIE, SESSION_SECONDS, type Session } from './session';
import { CustomerGuard, SAME_SITE_JSON, sessionOf, type AuthSettings } from './session.guard';

const customerSignInSchema = z.strictObject({ customerId: placeOrderSchema.shape.customerId });
const operatorSignInSchema = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });
type CustomerSignIn = z.output<typeof customerSignInSchema>;
type OperatorSignIn = z.output<typeof operatorSignInSchema>;

/** A sign-in in the document: anyone may call it, and it answers the session. */
function signInDoc(operationId: string, summary: string): OperationDoc {
  const sessionAnswer = {
    description: 'Signed in: the session, as a cookie (Set-Cookie) and as a bearer token.',
    content: { 'application/json': { schema: { type: 'object', required: ['session', 'token', 'expiresInSeconds'], properties: { session: { type: 'object' }, token: { type: 'string' }, expiresInSeconds: { type: 'integer' } } } } },
  };
  return {
    operationId,
    summary,
    security: [],
    responses: { '200': sessionAnswer, '400': error('Invalid sign-in.'), '401': error('Unknown operator or wrong password.'), '403': error('A cross-site request.'), '415': error('Content-Type is not application/json.') },
  };
}

/** Compared against when the name is unknown, so a wrong name takes as long as a wrong password. */
const NO_SUCH_OPERATOR = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface SessionAnswer {
  session: Session;
  /** The same session as a bearer token, for API clients; pages use the HttpOnly cookie set alongside. */
  token: string;
  expiresInSeconds: number;
}

/**
 * Signing in. A customer signs in with their name, as the shop's page always asked (a second device does the
 * same); an operator with a name and password from OPERATORS, whose hash alone is configured.
 */
@Controller('sessions')
export class SessionsController {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @UseGuards(SAME_SITE_JSON)
  @ApiDoc(signInDoc('signInCustomer', 'Sign in as a customer, with a name (a second device signs in the same way)'))
  async signInCustomer(@Res({ passthrough: true }) response: Response, @Body(new ZodValidationPipe(customerSignInSchema, 'Invalid sign-in')) signIn: CustomerSignIn): Promise<SessionAnswer> {
    return this.start({ role: 'customer', customerId: signIn.customerId }, response);
  }

  @Post('operator')
  @UseGuards(SAME_SITE_JSON)
  @ApiDoc(signInDoc('signInOperator', 'Sign in as an operator (OPERATORS)'))
  async signInOperator(@Res({ passthrough: true }) response: Response, @Body(new ZodValidationPipe(operatorSignInSchema, 'Invalid sign-in')) signIn: OperatorSignIn): Promise<SessionAnswer> {
    const { name, password } = signIn;
    const stored = this.settings.operators.get(name);
    const valid = await verifyPassword(password, stored ?? NO_SUCH_OPERATOR);
    if (!stored || !valid) {
      this.logger.warn({ audit: true, operator: name, action: 'sign-in', outcome: 'refused' }, 'operator sign-in refused');
      throw apiError(401, 'Unknown operator or wrong password');
    }
    this.logger.info({ audit: true, operator: name, action: 'sign-in', outcome: 'signed-in' }, 'operator signed in');
    return this.start({ role: 'operator', operator: name }, response);
  }

  @Get('current')
  @UseGuards(CustomerGuard)
  @ApiDoc({ operationId: 'currentSession', summary: 'Who this session is', responses: { '200': { description: 'The session.', content: { 'application/json': { schema: { type: 'object' } } } }, '401': error('No session.') } })
  current(@Req() request: IncomingMessage): Session {
    return sessionOf(request);
  }

  @Delete()
  @HttpCode(204)
  @ApiDoc({ operationId: 'signOut', summary: 'Sign out: clears the session cookie', security: [], responses: { '204': { description: 'Signed out.' } } })
  signOut(@Res({ passthrough: true }) response: Response): void {
    response.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
  }

  private async start(session: Session, response: Response): Promise<SessionAnswer> {
    const token = await this.settings.tokens.issue(session);
    response.cookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: SESSION_SECONDS * 1000 });
    response.status(200);
    return { session, token, expiresInSeconds: SESSION_SECONDS };
  }
}
