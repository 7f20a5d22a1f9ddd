import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** One `npx cdk synth -q` in the repository, as a user runs it: wall seconds. */
function synthSeconds(): number {
  const started = performance.now();
  execFileSync('npx', ['cdk', 'synth', '-q'], { cwd: ROOT, stdio: 'pipe' });
  return Math.round((performance.now() - started) / 10) / 100;
}

/**
 * `npx cdk synth -q` twice: first as after a change to the sources (the build step's record of
 * what it built is dropped, so it bundles the runner's entrypoint and the app again), then with
 * both bundles current. Both include the app, the functions' bundling, cdk-nag's checks and CDK's
 * built-in template validation.
 */
export async function synthBenchmarks(): Promise<void> {
  const report = (name: string, value: number, when: string) =>
    process.stdout.write(
      `${JSON.stringify({ name, value, unit: `s (wall, npx cdk synth -q, once, ${when})` })}\n`,
    );
  rmSync(join(ROOT, 'dist', 'cdk'), { recursive: true, force: true });
  report(
    'cdk_synth_seconds_after_change',
    synthSeconds(),
    'the build step bundling the runner and the app again',
  );
  report('cdk_synth_seconds', synthSeconds(), 'the build step finding the runner and app bundles current');
}

if (require.main === module) {
  synthBenchmarks().catch((error: unknown) => {
    process.stderr.write(`synth failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
