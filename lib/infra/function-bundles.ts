import { AssetHashType, DockerImage, Stage, type ILocalBundling } from 'aws-cdk-lib';
import { Code, type Runtime } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, realpathSync, renameSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** The handlers the stack deploys: `lambdas/<name>/index.ts`, each exporting `handler`. */
export const FUNCTION_NAMES = [
  'api',
  'approval',
  'record',
  'sync',
  'lifecycle',
  'task-watcher',
  'notifier',
  'scheduler',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

const REPOSITORY_ROOT = join(__dirname, '..', '..');

/**
 * Modules the code finds with `require.resolve` at run time instead of importing them, so that
 * esbuild cannot bundle them: the notification template renderer runs @huggingface/jinja in a
 * child process of its own (lib/notifications/sandbox.ts). They go beside the bundle, in its
 * node_modules, as the package's manifest and the file `require` loads.
 */
const RESOLVED_AT_RUN_TIME = ['@huggingface/jinja'];

/** Copies RESOLVED_AT_RUN_TIME into a bundle's folder (no install, no network). */
function copyResolvedModules(outputDir: string): void {
  const resolve = createRequire(join(REPOSITORY_ROOT, 'package.json')).resolve;
  for (const module of RESOLVED_AT_RUN_TIME) {
    // Its real folder: `resolve` answers real paths, also where node_modules is a link.
    const from = realpathSync(join(REPOSITORY_ROOT, 'node_modules', module));
    const to = join(outputDir, 'node_modules', module);
    const main = relative(from, resolve(module));
    mkdirSync(join(to, dirname(main)), { recursive: true });
    copyFileSync(join(from, 'package.json'), join(to, 'package.json'));
    copyFileSync(join(from, main), join(to, main));
  }
}

/**
 * The folder esbuild writes a function's bundle to. It sits directly in the assembly folder, as
 * the asset folder it is moved to does, so the source map's relative paths stay right.
 */
const builtFolder = (assetOutdir: string, name: FunctionName) =>
  join(assetOutdir, `bundling-temp-function-${name}`);

/** Per assembly folder, the bundles built and not yet taken by their function's asset. */
const pending = new Map<string, Set<FunctionName>>();

/**
 * Bundles every handler in one esbuild call: the AWS SDK and the code the handlers share are
 * parsed once instead of once per function, and no process is started per function.
 */
function buildAll(assetOutdir: string, runtime: Runtime): Set<FunctionName> {
  buildSync({
    absWorkingDir: REPOSITORY_ROOT,
    entryPoints: FUNCTION_NAMES.map((name) => ({
      in: join(REPOSITORY_ROOT, 'lambdas', name, 'index.ts'),
      out: join(relative(assetOutdir, builtFolder(assetOutdir, name)), 'index'),
    })),
    outdir: assetOutdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: runtime.name.replace(/^nodejs(\d+).*$/, 'node$1'),
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    // Answered by copyResolvedModules: the module is beside the bundle at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return new Set(FUNCTION_NAMES);
}

/** Hands a function its folder of the shared build, building all of them when it has none. */
class SharedBuild implements ILocalBundling {
  constructor(
    private readonly assetOutdir: string,
    private readonly name: FunctionName,
    private readonly runtime: Runtime,
  ) {}

  tryBundle(outputDir: string): boolean {
    let built = pending.get(this.assetOutdir);
    if (!built?.has(this.name))
      pending.set(this.assetOutdir, (built = buildAll(this.assetOutdir, this.runtime)));
    built.delete(this.name);
    const folder = builtFolder(this.assetOutdir, this.name);
    for (const file of readdirSync(folder)) renameSync(join(folder, file), join(outputDir, file));
    rmdirSync(folder);
    copyResolvedModules(outputDir);
    return true;
  }
}

/**
 * The code of handler `name`, bundled for `runtime` with the AWS SDK (its version is the one
 * tested, not the runtime's), minified, with a source map. The asset is hashed on the bundle, so
 * a change anywhere in what the handler imports deploys it and nothing else does; synth with
 * bundling skipped for the stack (`aws:cdk:bundling-stacks`) builds nothing.
 */
export function functionCode(scope: IConstruct, name: FunctionName, runtime: Runtime): Code {
  const assetOutdir = Stage.of(scope)?.assetOutdir;
  if (assetOutdir === undefined) throw new Error(`${scope.node.path} is not in a CDK app`);
  return Code.fromAsset(join(REPOSITORY_ROOT, 'lambdas', name), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new SharedBuild(assetOutdir, name, runtime),
      // Required by the type, never pulled: the local build above always answers (or throws).
      image: DockerImage.fromRegistry('scratch'),
    },
  });
}
