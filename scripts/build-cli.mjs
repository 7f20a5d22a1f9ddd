// Bundles with esbuild what runs as plain JavaScript, since one file starts much faster than
// TypeScript compiled on the fly:
// - by default, the CLI into dist/towerless.cjs (run by `npm ci` through `prepare`, and by
//   bin/towerless when sources are newer);
// - with --runner, the runner image's entrypoint into runner-image/dist/entrypoint.cjs;
// - with --cdk (cdk.json's build step, before every synth), that entrypoint and the CDK app
//   (dist/cdk/app.cjs, cdk.json's app), each only when a file it was built from changed since.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
const minified = { ...node, sourcemap: 'linked', legalComments: 'none', minify: true, keepNames: true };

const cli = {
  ...minified,
  entryPoints: [join(root, 'bin/cli.ts')],
  outfile: join(root, 'dist/towerless.cjs'),
  // dynalite stores through LevelDB, and the data folder lock is a LevelDB lock: a native addon
  // that must load from node_modules. The notification renderer's child process loads
  // @huggingface/jinja from node_modules by the path the CLI resolves (lib/notifications/sandbox.ts).
  external: ['dynalite', 'classic-level', '@huggingface/jinja'],
};
const runner = {
  ...cli,
  entryPoints: [join(root, 'runner-image/entrypoint.ts')],
  outfile: join(root, 'runner-image/dist/entrypoint.cjs'),
};

/**
 * Each module's own `__dirname`, as when it runs from its source file: lib/infra finds the
 * repository's files from its folder, wherever the bundle is. esbuild keeps one declaration per
 * module, renamed where two meet.
 */
const sourceDirname = {
  name: 'source-dirname',
  setup(on) {
    on.onLoad({ filter: /\.ts$/ }, ({ path }) => ({
      contents: `var __dirname = ${JSON.stringify(dirname(path))};${readFileSync(path, 'utf8')}`,
      loader: 'ts',
    }));
  },
};
const app = {
  ...node,
  entryPoints: [join(root, 'bin/app.ts')],
  outfile: join(root, 'dist/cdk/app.cjs'),
  // Loaded from node_modules as they are: one aws-cdk-lib for the app, cdk-nag and the CLI.
  packages: 'external',
  plugins: [sourceDirname],
};

/** Files whose change changes every bundle: the options here, the compiler's, the dependencies. */
const ALWAYS = [fileURLToPath(import.meta.url), join(root, 'tsconfig.json'), join(root, 'package-lock.json')];

/**
 * Builds `options` unless the inputs esbuild recorded last time (dist/cdk/<name>.meta.json,
 * stamped with that build's start) are all older than it, its outputs are still there, and the
 * repository has not moved (the app's bundle holds its folders).
 */
async function buildIfChanged(name, options) {
  const meta = join(root, 'dist/cdk', `${name}.meta.json`);
  if (existsSync(meta)) {
    const built = statSync(meta).mtimeMs;
    const last = JSON.parse(readFileSync(meta, 'utf8'));
    const sources = [...Object.keys(last.inputs).map((input) => join(root, input)), ...ALWAYS];
    const changed = (file) => !existsSync(file) || statSync(file).mtimeMs >= built;
    const outputs = Object.keys(last.outputs).map((output) => join(root, output));
    if (last.root === root && !sources.some(changed) && outputs.every(existsSync)) return;
  }
  const started = new Date();
  const { metafile } = await build({ ...options, absWorkingDir: root, metafile: true });
  mkdirSync(dirname(meta), { recursive: true });
  writeFileSync(meta, JSON.stringify({ root, ...metafile }));
  utimesSync(meta, started, started);
}

if (process.argv.includes('--cdk'))
  await Promise.all([buildIfChanged('runner', runner), buildIfChanged('app', app)]);
else await build(process.argv.includes('--runner') ? runner : cli);
