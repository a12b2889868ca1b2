import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LOCAL_STACK_DEFAULTS, loadConfig } from '../config/app-config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { KAFKA_VERSION } from './kafka';
import { REPO_ROOT } from './stack-home';
import { TEMPORAL_CLI_VERSION } from './temporal';

interface ComposeService {
  image: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const { temporal, kafka, postgres } = compose.services as Record<'temporal' | 'kafka' | 'postgres', ComposeService>;

/** `127.0.0.1:${VAR:-default}:container` → the variable, its default and the container port. */
function publishedPorts(service: ComposeService) {
  return service.ports.map((mapping) => {
    const match = /^127\.0\.0\.1:\$\{(\w+):-(\d+)\}:(\d+)$/.exec(mapping);
    if (!match) throw new Error(`unexpected port mapping ${mapping}`);
    return { variable: match[1]!, fallback: Number(match[2]), container: Number(match[3]) };
  });
}

describe('docker-compose.yml agrees with the local stack', () => {
  it('publishes every port on loopback under the stack variable and default', () => {
    const all = [...publishedPorts(temporal), ...publishedPorts(kafka), ...publishedPorts(postgres)];
    expect(all.map((port) => port.variable).sort()).toEqual(['KAFKA_PORT', 'POSTGRES_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT']);
    for (const port of all) {
      expect(port.fallback).toBe(LOCAL_STACK_DEFAULTS[port.variable as keyof typeof LOCAL_STACK_DEFAULTS]);
    }
  });

  it('lets the app defaults reach each service', () => {
    const config = loadConfig({});
    expect(config.temporal.address).toBe(`127.0.0.1:${publishedPorts(temporal)[0]!.fallback}`);
    expect(config.kafka.brokers).toEqual([`127.0.0.1:${publishedPorts(kafka)[0]!.fallback}`]);
    expect(kafka.environment?.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://127.0.0.1:${KAFKA_PORT:-9092}');
    const url = new URL(config.database.url);
    expect(url.username).toBe('bubble_tea_owner');
    expect(postgres.environment).toMatchObject({
      POSTGRES_DB: url.pathname.slice(1),
      DATABASE_OWNER_PASSWORD: `\${DATABASE_OWNER_PASSWORD:-${LOCAL_STACK_DEFAULTS.DATABASE_OWNER_PASSWORD}}`,
      DATABASE_PROJECTOR_PASSWORD: `\${DATABASE_PROJECTOR_PASSWORD:-${LOCAL_STACK_DEFAULTS.DATABASE_PROJECTOR_PASSWORD}}`,
      DATABASE_READER_PASSWORD: `\${DATABASE_READER_PASSWORD:-${LOCAL_STACK_DEFAULTS.DATABASE_READER_PASSWORD}}`,
    });
    expect(postgres.volumes).toContain('./stack/docker-postgres-init.sh:/docker-entrypoint-initdb.d/10-shop-roles.sh:ro');
    expect(Number(url.port)).toBe(publishedPorts(postgres)[0]!.fallback);
  });

  it('runs the same versions and registers the same search attributes', () => {
    expect(temporal.image).toBe(`temporalio/temporal:${TEMPORAL_CLI_VERSION}`);
    expect(kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    const registered = (temporal.command ?? []).filter((arg) => arg.startsWith('--search-attribute=')).map((arg) => arg.split('=')[1]);
    expect(registered.sort()).toEqual(Object.values(SEARCH_ATTRIBUTES).map((key) => key.name).sort());
  });
});
