/** Polls `check` until it holds or `ms` pass; the last answer is the result. */
export async function eventually(check: () => boolean, ms = 5000, every = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return check();
}
