import { describe, expect, it } from 'vitest';
import { customerNameSchema } from './order-input';

describe('customer names', () => {
  it.each(['Alice Smith', 'José', 'Zoë O’Brien', "Anne-Marie d'Arc", 'anna.k@home', 'e2e_tester-1', '王小明', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(customerNameSchema().safeParse(name).success).toBe(true);
  });

  it('refuses an empty name with one problem, coded, not two', () => {
    const issues = customerNameSchema().safeParse('').error!.issues;
    expect(issues.map((issue) => [issue.code, issue.message])).toEqual([['too_small', 'customerId is required']]);
  });

  it.each([' Alice', 'Alice ', 'Alice  Smith', 'Robert; drop table', '<b>', 'a'.repeat(65), 'tab\tname'])('refuses %j', (name) => {
    expect(customerNameSchema().safeParse(name).success).toBe(false);
  });
});
