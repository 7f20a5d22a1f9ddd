import '../lib/local/polyfills';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { compileBenchmarks } from './compile';
import { makespanBenchmarks } from './makespan';
import { runnerBenchmarks } from './runner';
import { simulateBenchmarks } from './simulate';
import { transitionBenchmarks } from './transitions';
import { validateBenchmarks } from './validate';

/** `npm run bench`: one JSON object per line, `{"name", "value", "unit"}`. */
async function main(): Promise<void> {
  await compileBenchmarks();
  await transitionBenchmarks();
  makespanBenchmarks();
  await simulateBenchmarks();
  await validateBenchmarks();
  await runnerBenchmarks();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
