import { describe, expect, it } from 'vitest';
import { distribution, median, perSecond, percentile } from './stats';

describe('benchmark statistics', () => {
  it('takes the nearest-rank percentile', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarises unsorted samples', () => {
    expect(distribution([30, 10, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
    expect(median([5, 1, 3])).toBe(3);
  });

  it('turns a count over milliseconds into a rate per second', () => {
    expect(perSecond(50, 2000)).toBe(25);
    expect(perSecond(1, 0)).toBeNaN();
  });
});
