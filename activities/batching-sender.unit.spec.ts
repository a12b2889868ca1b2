import { describe, expect, it } from 'vitest';
import { batchingSender } from './batching-sender';

function controllableSend() {
  const sends: Array<{ items: number[]; finish: (error?: Error) => void }> = [];
  const send = (items: number[]) =>
    new Promise<void>((resolve, reject) => sends.push({ items, finish: (error) => (error ? reject(error) : resolve()) }));
  return { sends, send };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('batchingSender', () => {
  it('sends the first item at once and the calls made meanwhile together, in call order', async () => {
    const { sends, send } = controllableSend();
    const sendOne = batchingSender(send);
    const first = sendOne(1);
    const later = [sendOne(2), sendOne(3), sendOne(4)];
    await settle();
    expect(sends.map((call) => call.items)).toEqual([[1]]);

    sends[0]!.finish();
    await first;
    await settle();
    expect(sends.map((call) => call.items)).toEqual([[1], [2, 3, 4]]);
    sends[1]!.finish();
    await Promise.all(later);
  });

  it('rejects only the calls whose send failed, and goes on with the next ones', async () => {
    const { sends, send } = controllableSend();
    const sendOne = batchingSender(send);
    const first = sendOne(1);
    const second = sendOne(2);
    await settle();
    sends[0]!.finish(new Error('broker away'));
    await expect(first).rejects.toThrow('broker away');
    await settle();
    expect(sends[1]!.items).toEqual([2]);
    sends[1]!.finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('caps a batch', async () => {
    const { sends, send } = controllableSend();
    const sendOne = batchingSender(send, 2);
    const calls = [1, 2, 3, 4, 5].map((item) => sendOne(item));
    await settle();
    sends[0]!.finish();
    await settle();
    sends[1]!.finish();
    await settle();
    sends[2]!.finish();
    await Promise.all(calls);
    expect(sends.map((call) => call.items)).toEqual([[1], [2, 3], [4, 5]]);
  });
});
