import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { print, timeMedian } from './support/report';

/** `towerless simulate` of the Full Deployment Pipeline as a user runs it: wall time, start-up included. */
export async function simulateBenchmarks(): Promise<void> {
  const cli = join(__dirname, '..', 'bin', 'towerless');
  const args = ['simulate', 'examples/guide', '--workflow', 'Full Deployment Pipeline', '--json'];
  const ms = await timeMedian(5, () => execFileSync(cli, args, { cwd: join(__dirname, '..') }));
  print({ name: 'simulate_full_pipeline_ms', value: ms, unit: 'ms (median of 5, wall)' });
}
