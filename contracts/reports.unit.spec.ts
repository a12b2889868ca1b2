import { describe, expect, it } from 'vitest';
import { countedFrom, parseSince, sinceSchema } from './reports';

describe('parseSince', () => {
  const now = new Date('2026-11-23T12:00:00.000Z');

  it.each([
    ['30m', '2026-11-23T11:30:00.000Z'],
    ['1h', '2026-11-23T11:00:00.000Z'],
    ['7d', '2026-11-16T12:00:00.000Z'],
    ['2w', '2026-11-09T12:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30:00Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30:00.5+01:00', '2026-11-01T08:30:00.500Z'],
  ])('reads %s as %s', (text, expected) => {
    expect((parseSince(text, now) as Date).toISOString()).toBe(expected);
  });

  it('reads all as all time', () => {
    expect(parseSince('all', now)).toBeNull();
  });

  it.each(['', '1y', 'yesterday', '2026-13-45', '-1h', '1.5h', '2026-11-01 09:30'])('refuses %o, saying what it takes', (text) => {
    const since = parseSince(text, now);
    expect(since).toBeInstanceOf(Error);
    expect((since as Error).message).toContain('expected a span such as 30m');
  });

  it('is the last 24 hours by default, as a query parameter', () => {
    const since = sinceSchema.parse(undefined) as Date;
    expect(Date.now() - since.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(Date.now() - since.getTime()).toBeLessThan(24 * 3_600_000 + 60_000);
    expect(sinceSchema.safeParse('soon').success).toBe(false);
  });
});

describe('countedFrom', () => {
  it('starts the whole-hour reports at the start of the hour, and leaves the others and all time alone', () => {
    const since = new Date('2026-11-23T10:42:17.500Z');
    expect(countedFrom('popular-items', since)?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(countedFrom('stage-durations-hourly', since)?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(countedFrom('stage-durations', since)).toBe(since);
    expect(countedFrom('popular-items', null)).toBeNull();
  });
});
