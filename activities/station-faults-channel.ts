import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ensureTopics } from '../config/kafka-topics';
import { TOPICS, type Station } from '../contracts/names';
import { NO_FAULTS, stationFaultsSchema, type StationFaults, type StationFaultsChanged } from '../contracts/station-faults';

/*
 * Fault settings travel on a compacted topic keyed by station: the admin API publishes a change, and every
 * station worker, wherever it runs, reads the topic from the start and keeps the latest value per station.
 */

export function ensureStationFaultsTopic(kafka: Kafka): Promise<void> {
  return ensureTopics(kafka, [{ topic: TOPICS.stationFaults, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]);
}

export function createStationFaultsPublisher(kafka: Kafka) {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  let connected: Promise<void> | undefined;
  return {
    async publish(change: StationFaultsChanged): Promise<void> {
      connected ??= ensureStationFaultsTopic(kafka).then(() => producer.connect());
      await connected;
      await producer.send({ topic: TOPICS.stationFaults, acks: -1, messages: [{ key: change.station, value: JSON.stringify(change.faults) }] });
    },
    async close(): Promise<void> {
      if (connected) await producer.disconnect();
    },
  };
}

export interface StationFaultsBoard {
  faultsOf(station: Station): StationFaults;
  /** Every station's faults now. */
  all(): Readonly<Record<Station, StationFaults>>;
  stop(): Promise<void>;
}

/**
 * Starts with the configured faults and follows the topic; a message it cannot read is logged and skipped. A
 * change is logged only for the stations in `logChangesOf` (a station worker's own), so one change is one line
 * per station worker, however many followers a process runs (the admin API logs who made it).
 */
export async function followStationFaults(kafka: Kafka, initial: Record<Station, StationFaults>, logger: Logger, logChangesOf: readonly Station[] = []): Promise<StationFaultsBoard> {
  const current: Record<Station, StationFaults> = { ...initial };
  await ensureStationFaultsTopic(kafka);
  const consumer = kafka.consumer({ groupId: `bubble-tea.station-faults.${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.stationFaults, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const station = message.key?.toString() as Station | undefined;
      const parsed = stationFaultsSchema.safeParse(message.value === null ? NO_FAULTS : parseJson(message.value.toString()));
      if (!station || !(station in current) || !parsed.success) {
        logger.warn({ station, offset: message.offset }, 'Ignoring an unreadable station-faults message');
        return;
      }
      current[station] = parsed.data;
      if (logChangesOf.includes(station)) logger.info({ station, faults: parsed.data }, 'Station faults changed');
    },
  });
  return {
    faultsOf: (station) => current[station],
    all: () => current,
    stop: () => consumer.disconnect(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
