import '../lib/local/polyfills';
import { compileBenchmarks } from './compile';
import { makespanBenchmarks } from './makespan';
import { simulateBenchmarks } from './simulate';
import { transitionBenchmarks } from './transitions';

/** `npm run bench`: one JSON object per line, `{"name", "value", "unit"}`. */
async function main(): Promise<void> {
  await compileBenchmarks();
  await transitionBenchmarks();
  makespanBenchmarks();
  await simulateBenchmarks();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
