import '../lib/local/polyfills';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { apiBenchmarks } from './api';
import { approvalBenchmarks } from './approvals';
import { awsCostBenchmarks } from './aws-cost';
import { compileBenchmarks } from './compile';
import { makespanBenchmarks } from './makespan';
import { notificationBenchmarks } from './notifications';
import { readerBenchmarks } from './reader';
import { runnerBenchmarks } from './runner';
import { runnerImageBenchmarks } from './runner-image';
import { scheduleBenchmarks } from './schedules';
import { simulateBenchmarks } from './simulate';
import { synthBenchmarks } from './synth';
import { transitionBenchmarks } from './transitions';
import { validateBenchmarks } from './validate';

const GROUPS: Record<string, () => unknown> = {
  compile: compileBenchmarks,
  transitions: transitionBenchmarks,
  makespan: makespanBenchmarks,
  simulate: simulateBenchmarks,
  validate: validateBenchmarks,
  runner: runnerBenchmarks,
  api: apiBenchmarks,
  approvals: approvalBenchmarks,
  reader: readerBenchmarks,
  notifications: notificationBenchmarks,
  schedules: scheduleBenchmarks,
  'aws-cost': awsCostBenchmarks,
  synth: synthBenchmarks,
  'runner-image': runnerImageBenchmarks,
};

/**
 * `npm run bench`: one JSON object per line, `{"name", "value", "unit"}`. `npm run bench -- api`
 * runs the named groups only.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in GROUPS));
  if (unknown.length > 0)
    throw new Error(`unknown groups ${unknown.join(', ')}: ${Object.keys(GROUPS).join(', ')}`);
  for (const [name, run] of Object.entries(GROUPS))
    if (wanted.length === 0 || wanted.includes(name)) await run();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
