import { describe, expect, it } from 'vitest';
import { deadlineReason, labelSlaSeconds, slaSeconds, type OrderPolicy } from './order-policy';

const policy: OrderPolicy = { stationTimeScale: 0.5, slaFactor: 1.5, slaGraceSeconds: 2, deadlineSeconds: 90 };

describe('an order policy', () => {
  it('gives a stage its estimate, scaled as the stations run and stretched by the factor, plus the grace', () => {
    expect(slaSeconds(8, policy)).toBe(8 * 0.5 * 1.5 + 2);
  });

  it('gives labelling the most a label can take per drink, since its estimate comes only when it is done', () => {
    expect(labelSlaSeconds(3, policy)).toBe(slaSeconds(6, policy));
  });

  it('has no SLA for instant stations without grace, and says why a late order failed', () => {
    expect(slaSeconds(8, { ...policy, stationTimeScale: 0, slaGraceSeconds: 0 })).toBe(0);
    expect(deadlineReason(policy)).toBe('not ready within the 90s deadline');
  });
});
