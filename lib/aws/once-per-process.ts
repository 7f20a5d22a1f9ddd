/**
 * What a function opens at its first invocation and keeps for the next ones (clients, the store,
 * the API): a cold start pays for it once. An opening that failed (a secret not readable yet) is
 * not kept, so the next invocation tries again.
 */
export function oncePerProcess<T>(open: () => Promise<T>): () => Promise<T> {
  let opened: Promise<T> | undefined;
  return () => {
    opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
}
