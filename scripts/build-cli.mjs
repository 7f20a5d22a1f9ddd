// Bundles the CLI into dist/towerless.cjs (run by `npm ci` through `prepare`, and by bin/towerless
// when sources are newer): one file starts much faster than TypeScript compiled on the fly.
// With --runner, bundles the runner image's entrypoint into runner-image/dist/entrypoint.cjs.
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runner = process.argv.includes('--runner');
buildSync({
  entryPoints: [join(root, runner ? 'runner-image/entrypoint.ts' : 'bin/cli.ts')],
  outfile: join(root, runner ? 'runner-image/dist/entrypoint.cjs' : 'dist/towerless.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  // dynalite stores through LevelDB, and the data folder lock is a LevelDB lock: a native addon
  // that must load from node_modules. The notification renderer's child process loads
  // @huggingface/jinja from node_modules by the path the CLI resolves (lib/notifications/sandbox.ts).
  external: ['dynalite', 'classic-level', '@huggingface/jinja'],
});
