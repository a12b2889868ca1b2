import type { IncomingMessage } from 'node:http';
import { Body, Controller, Inject, Param, Put, Req, UseGuards } from '@nestjs/common';
import type { Logger } from 'pino';
import { stationSchema } from '../contracts/events';
import { fieldProblems } from '../contracts/order-input';
import { stationFaultsSchema, type StationFaultsChanged } from '../contracts/station-faults';
import { OperatorGuard, sessionOf } from './auth/session.guard';
import { actorOf } from './auth/session';
import { apiError, serviceUnavailable } from './api-error';
import { isJson } from './json-request';
import { storablePathParam } from './path-params';
import type { StationFaultsPublisher } from './station-faults-publisher';
import { API_LOGGER, STATION_FAULTS_PUBLISHER } from './tokens';

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
  async setStationFaults(@Req() request: IncomingMessage, @Param('station') station: string, @Body() body: unknown): Promise<StationFaultsChanged> {
    const known = stationSchema.safeParse(storablePathParam('station', station));
    if (!known.success) throw apiError(404, `Station ${station} not found: the stations are ${stationSchema.options.join(', ')}`);
    if (!isJson(request)) throw apiError(415, 'Content-Type must be application/json');
    const faults = stationFaultsSchema.safeParse(body);
    if (!faults.success) throw apiError(400, 'Invalid station faults', fieldProblems(faults.error));

    const change: StationFaultsChanged = { station: known.data, faults: faults.data };
    try {
      await this.publisher.publish(change);
    } catch (error) {
      throw serviceUnavailable('The station faults could not be published; please retry shortly', error);
    }
    this.logger.info({ audit: true, actor: actorOf(sessionOf(request)), action: 'set-station-faults', station: change.station, faults: change.faults }, 'station faults changed');
    return change;
  }
}
