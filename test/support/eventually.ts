/** Polls `check` until it holds or `ms` pass; the last answer is the result. */
export async function eventually(check: () => boolean, ms = 5000, every = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return check();
}

/** Polls `find` until it resolves with a value, which it returns; fails after `ms`. */
export async function until<T>(find: () => Promise<T | undefined>, ms = 5000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
