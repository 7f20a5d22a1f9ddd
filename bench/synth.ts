import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npx cdk synth -q` in the repository, once, as a user runs it: wall time, the runner's build
 * step (cdk.json's `build`), the app, the functions' bundling and cdk-nag's checks included.
 */
export async function synthBenchmarks(): Promise<void> {
  const started = performance.now();
  execFileSync('npx', ['cdk', 'synth', '-q'], { cwd: join(__dirname, '..'), stdio: 'pipe' });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ name: 'cdk_synth_seconds', value: Math.round(seconds * 100) / 100, unit: 's (wall, npx cdk synth -q, once)' })}\n`,
  );
}

if (require.main === module) {
  synthBenchmarks().catch((error: unknown) => {
    process.stderr.write(`synth failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
