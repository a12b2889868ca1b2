/**
 * Group commit for a sender that is slow per call and fast per batch (a Kafka produce request): calls made
 * while a send is in flight wait, and ride together on the next send. Each call resolves when the send that
 * carried its item succeeded, or rejects with that send's error. Items are sent in the order of the calls.
 */
export function batchingSender<Item>(send: (items: Item[]) => Promise<void>, maxBatch = 500): (item: Item) => Promise<void> {
  let waiting: Array<{ item: Item; resolve: () => void; reject: (error: unknown) => void }> = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        await send(batch.map(({ item }) => item));
        batch.forEach(({ resolve }) => resolve());
      } catch (error) {
        batch.forEach(({ reject }) => reject(error));
      }
    }
    sending = false;
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!sending) void drain();
    });
}
