// Bundles the CLI into dist/towerless.cjs (run by `npm ci` through `prepare`, and by bin/towerless
// when sources are newer): one file starts much faster than TypeScript compiled on the fly.
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
buildSync({
  entryPoints: [join(root, 'bin/cli.ts')],
  outfile: join(root, 'dist/towerless.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // dynalite stores through LevelDB, a native addon that must load from node_modules.
  external: ['dynalite'],
});
