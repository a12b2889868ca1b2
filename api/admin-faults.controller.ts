import type { IncomingMessage } from 'node:http';
import { Body, Controller, Inject, Param, Put, Req, UseGuards } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Station } from '../contracts/names';
import { stationFaultsSchema, type StationFaults, type StationFaultsChanged } from '../contracts/station-faults';
import { OperatorGuard, sessionOf } from './auth/session.guard';
import { actorOf } from './auth/session';
import { serviceUnavailable } from './api-error';
import { JSON_BODY } from './json-request';
import { ADMIN_SECURITY_SCHEME, ApiDoc, error, json, SESSION_SECURITY, unavailable } from './openapi-docs';
import { STATION_PARAM } from './path-params';
import type { StationFaultsPublisher } from './station-faults-publisher';
import { API_LOGGER, STATION_FAULTS_PUBLISHER } from './tokens';
import { ZodValidationPipe } from './zod-validation-pipe';

/** Fault injection: sets the faults a station simulates, so the demo and the tests can provoke every failure path. */
@Controller('admin/faults')
@UseGuards(OperatorGuard)
export class AdminFaultsController {
  constructor(
    @Inject(STATION_FAULTS_PUBLISHER) private readonly publisher: StationFaultsPublisher,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  /** Replaces the station's faults as a whole: a field left out goes back to its default, so `{}` clears them all. */
  @Put(':station')
  @UseGuards(JSON_BODY)
  @ApiDoc({
    operationId: 'setStationFaults',
    summary: 'Make a station fail, slow down or run out of ingredients (fault injection)',
    description:
      'Replaces the station’s faults as a whole: a field left out returns to its default, so `{}` clears them. ' +
      '`failureRate`: the share of attempts that fail with a transient error (retried by the order); ' +
      '`extraLatencyMs`: added to every attempt; `outOfStock`: ingredients the station has run out of, so an order needing one fails and is refunded.',
    security: [...SESSION_SECURITY, { [ADMIN_SECURITY_SCHEME]: [] }],
    responses: {
      '200': { description: 'Published: the station simulates these faults from its next attempt.', content: json('StationFaultsChanged') },
      '400': error('Invalid faults or invalid JSON.'),
      '401': error('No session and no ADMIN_TOKEN.'),
      '403': error('Not an operator.'),
      '404': error('No such station.'),
      '413': error('Request body too large.'),
      '415': error('Content-Type is not application/json.'),
      '503': unavailable('The change could not be published.'),
    },
  })
  async setStationFaults(
    @Req() request: IncomingMessage,
    @Param('station', STATION_PARAM) station: Station,
    @Body(new ZodValidationPipe(stationFaultsSchema, 'Invalid station faults')) faults: StationFaults,
  ): Promise<StationFaultsChanged> {
    const change: StationFaultsChanged = { station, faults };
    try {
      await this.publisher.publish(change);
    } catch (error) {
      throw serviceUnavailable('The station faults could not be published; please retry shortly', error);
    }
    this.logger.info({ audit: true, actor: actorOf(sessionOf(request)), action: 'set-station-faults', station: change.station, faults: change.faults }, 'station faults changed');
    return change;
  }
}
