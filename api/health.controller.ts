import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { ApiDoc, json, unavailable } from './openapi-docs';
import type { Logger } from 'pino';
import type { ReadinessChecks } from './api-deps';
import { API_LOGGER, READINESS_CHECKS } from './tokens';

const CHECK_TIMEOUT_MS = 3_000;
const SERVICES = ['temporal', 'kafka', 'postgres'] as const satisfies ReadonlyArray<keyof ReadinessChecks>;

type Outcome = 'ok' | 'failed';

/** Liveness says the process answers; readiness says it can serve, which needs all three servers. */
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessChecks,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  @Get('health')
  @ApiDoc({ operationId: 'health', summary: 'Liveness', responses: { '200': { description: 'The process answers.', content: json('Health') } } })
  health() {
    return { status: 'ok' as const };
  }

  @Get('ready')
  @ApiDoc({
    operationId: 'ready',
    summary: 'Readiness: Temporal, Kafka and PostgreSQL answer',
    responses: { '200': { description: 'Ready.', content: json('Readiness') }, '503': { ...unavailable('Not ready; `checks` says which server failed.'), content: json('Readiness') } },
  })
  async ready() {
    const outcomes = await Promise.all(SERVICES.map((service) => this.probe(service)));
    const checks = Object.fromEntries(SERVICES.map((service, index) => [service, outcomes[index]])) as Record<(typeof SERVICES)[number], Outcome>;
    const failed = SERVICES.filter((service) => checks[service] === 'failed');
    if (failed.length > 0) {
      throw new HttpException({ status: 'not ready', message: `Not ready: ${failed.join(', ')} unavailable`, checks }, 503);
    }
    return { status: 'ready' as const, checks };
  }

  private async probe(service: keyof ReadinessChecks): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.checks[service](), timeout]);
      return 'ok';
    } catch (error) {
      this.logger.warn({ err: error, service }, 'readiness check failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
