import { describe, expect, it } from 'vitest';
import { ALL_FAULTS } from './fault-plan';
import { parseFaultSuiteOptions } from './options';

describe('npm run faults options', () => {
  it('defaults to every role and every server, in a run of a few minutes', () => {
    const options = parseFaultSuiteOptions([])!;
    expect(options.faults).toEqual(ALL_FAULTS);
    expect(options.faults.map((fault) => fault.name)).toEqual(['projector', 'orchestrator', 'station:label', 'station:mix', 'station:top', 'api', 'kafka', 'postgres', 'temporal']);
    expect(options).toMatchObject({ ratePerSecond: 1, faultSeconds: 20, downSeconds: 2, stationTimeScale: 0.1 });
  });

  it('takes the faults to inject, in the order given, and the load and timing', () => {
    const options = parseFaultSuiteOptions(['--only', 'kafka,projector', '--rate', '3', '--fault-seconds', '12', '--time-scale', '0'])!;
    expect(options.faults).toEqual([
      { kind: 'server', name: 'kafka' },
      { kind: 'role', name: 'projector' },
    ]);
    expect(options).toMatchObject({ ratePerSecond: 3, faultSeconds: 12, stationTimeScale: 0 });
  });

  it('refuses an unknown fault, a bad number and an unknown option, and answers --help with nothing to run', () => {
    expect(() => parseFaultSuiteOptions(['--only', 'redis'])).toThrow('unknown fault "redis"');
    expect(() => parseFaultSuiteOptions(['--rate', '0'])).toThrow('--rate must be a positive number');
    expect(() => parseFaultSuiteOptions(['--fault-seconds', '2', '--down-seconds', '3'])).toThrow('--down-seconds must be shorter');
    expect(() => parseFaultSuiteOptions(['--speed', '2'])).toThrow();
    expect(parseFaultSuiteOptions(['--help'])).toBeUndefined();
  });
});
