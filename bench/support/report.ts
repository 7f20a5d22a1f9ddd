/** One benchmark figure, printed as one JSON line. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export function print(figure: Figure): void {
  process.stdout.write(`${JSON.stringify({ ...figure, value: Math.round(figure.value * 1000) / 1000 })}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median wall time of `runs` calls, after one warm-up call. */
export async function timeMedian(runs: number, action: () => unknown | Promise<unknown>): Promise<number> {
  await action();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action();
    times.push(performance.now() - started);
  }
  return median(times);
}
