import type { IncomingMessage } from 'node:http';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { fieldProblems, placeOrderSchema } from '../../contracts/order-input';
import { apiError } from '../api-error';
import { API_LOGGER, AUTH_SETTINGS } from '../tokens';
import { verifyPassword } from './passwords';
import { SESSION_COOKIE, SESSION_SECONDS, type Session } from './session';
import { CustomerGuard, refuseCrossSite, sessionOf, type AuthSettings } from './session.guard';

const customerSignInSchema = z.strictObject({ customerId: placeOrderSchema.shape.customerId });
const operatorSignInSchema = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });

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
  async signInCustomer(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: Response, @Body() body: unknown): Promise<SessionAnswer> {
    refuseCrossSite(request);
    const parsed = customerSignInSchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'Invalid sign-in', fieldProblems(parsed.error));
    return this.start({ role: 'customer', customerId: parsed.data.customerId }, response);
  }

  @Post('operator')
  async signInOperator(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: Response, @Body() body: unknown): Promise<SessionAnswer> {
    refuseCrossSite(request);
    const parsed = operatorSignInSchema.safeParse(body);
    if (!parsed.success) throw apiError(400, 'Invalid sign-in', fieldProblems(parsed.error));
    const { name, password } = parsed.data;
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
  current(@Req() request: IncomingMessage): Session {
    return sessionOf(request);
  }

  @Delete()
  @HttpCode(204)
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
