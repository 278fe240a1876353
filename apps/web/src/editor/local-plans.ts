const LOCAL_PREFIX = 'bascule-plan-';

/** The IndexedDB database that keeps a plan's document on this device. */
export const localDatabaseOf = (planId: string): string => `${LOCAL_PREFIX}${planId}`;

/** Forgets every plan kept on this device (at sign-out: the next person at this browser sees none). */
export async function forgetLocalPlans(): Promise<void> {
  for (const key of Object.keys(localStorage)) if (key.startsWith(DURABLE_PREFIX)) localStorage.removeItem(key);
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .filter((database) => database.name?.startsWith(LOCAL_PREFIX) === true)
      .map(
        (database) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(database.name ?? '');
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}

const DURABLE_PREFIX = 'bascule-durable-';
const durableKey = (planId: string) => `${DURABLE_PREFIX}${planId}`;

/** What the server was known to hold when this device last heard from it, per Yjs client. */
export function readDurable(planId: string): Map<number, number> {
  try {
    const stored = JSON.parse(localStorage.getItem(durableKey(planId)) ?? '[]') as unknown;
    if (Array.isArray(stored))
      return new Map(
        stored.filter(
          (entry): entry is [number, number] =>
            Array.isArray(entry) && typeof entry[0] === 'number' && typeof entry[1] === 'number',
        ),
      );
  } catch {
    // A damaged entry only means "nothing known to be saved" until the server says otherwise.
  }
  return new Map();
}

export function writeDurable(planId: string, durable: Map<number, number>): void {
  try {
    localStorage.setItem(durableKey(planId), JSON.stringify([...durable]));
  } catch {
    // Storage full or refused: the indicator stays right for this page; a reload asks the server.
  }
}
