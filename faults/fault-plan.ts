import type { RoleName } from '../roles/roles';
import type { ServiceName } from '../stack/service';

/* What the suite can break: each role process and each server of the local stack, killed with SIGKILL. */

export type Fault = { kind: 'role'; name: RoleName } | { kind: 'server'; name: ServiceName };

/** Roles first (cheapest to bring back), then the servers; this is the order the suite injects them in. */
export const ALL_FAULTS: readonly Fault[] = [
  { kind: 'role', name: 'projector' },
  { kind: 'role', name: 'orchestrator' },
  { kind: 'role', name: 'station:label' },
  { kind: 'role', name: 'station:mix' },
  { kind: 'role', name: 'station:top' },
  { kind: 'role', name: 'api' },
  { kind: 'server', name: 'kafka' },
  { kind: 'server', name: 'postgres' },
  { kind: 'server', name: 'temporal' },
];

export const FAULT_NAMES: readonly string[] = ALL_FAULTS.map((fault) => fault.name);

/** The faults named in `--only` (in the order given), or every fault. */
export function selectFaults(only: readonly string[] | undefined): Fault[] {
  if (!only || only.length === 0) return [...ALL_FAULTS];
  return only.map((name) => {
    const fault = ALL_FAULTS.find((candidate) => candidate.name === name);
    if (!fault) throw new Error(`unknown fault "${name}": expected some of ${FAULT_NAMES.join(', ')}`);
    return fault;
  });
}
