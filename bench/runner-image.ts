import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { median, print } from './support/report';

/**
 * What runner-image/Dockerfile adds to its base image, measured from the real Debian bookworm
 * packages: apt resolves the install line against the base's package database, exactly as the
 * Dockerfile's `apt-get install --no-install-recommends` does, and the .debs are downloaded,
 * unpacked and packed into one tar, as the image's layer holds them. Needs apt, dpkg-deb, tar, gzip,
 * zstd, python3 and the Debian mirrors; its apt state is private, so the host's packages and
 * sources play no part. The architecture is the stack's default (ARM64); TOWERLESS_BENCH_ARCH=amd64
 * measures X86_64.
 */

const ROOT = join(__dirname, '..');
const ARCHITECTURE = process.env.TOWERLESS_BENCH_ARCH ?? 'arm64';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
/** The sources debian:bookworm-slim ships (/etc/apt/sources.list.d/debian.sources). */
const SOURCES = [
  ['http://deb.debian.org/debian', 'bookworm'],
  ['http://deb.debian.org/debian', 'bookworm-updates'],
  ['http://deb.debian.org/debian-security', 'bookworm-security'],
];
/**
 * debian:bookworm-slim is debootstrap's minbase: the packages of priority required, with
 * usr-is-merged for the merged /usr (the same 88 names as docker-debian-artifacts'
 * bookworm/slim/rootfs.manifest). node:20.20.2-bookworm-slim adds node and yarn from tarballs and
 * purges every package it installed to fetch them (nodejs/docker-node's Dockerfile), so its
 * package database is debian's: that is what is not counted.
 */
const BASE_SELECTION = ['?priority(required)', 'usr-is-merged'];
/**
 * The slim base tells dpkg not to unpack these (/etc/dpkg/dpkg.cfg.d/docker, from debuerreotype's
 * .slimify-excludes and .slimify-includes): the layer never holds them.
 */
const PATH_EXCLUDE = [
  '/usr/share/doc/*',
  '/usr/share/groff/*',
  '/usr/share/info/*',
  '/usr/share/linda/*',
  '/usr/share/lintian/overrides/*',
  '/usr/share/locale/*',
  '/usr/share/man/*',
];
const PATH_INCLUDE = [
  '/usr/share/doc/*/copyright',
  '/usr/share/doc/kde/HTML/C/*',
  '/usr/share/gnome/help/*/C/*',
  '/usr/share/locale/all_languages',
  '/usr/share/locale/currency/*',
  '/usr/share/locale/l10n/*',
  '/usr/share/locale/languages',
  '/usr/share/locale/locale.alias',
  '/usr/share/omf/*/*-C.emf',
];
const MIB = 1024 * 1024;
const PYTHON = '/usr/bin/python3';

interface Package {
  readonly name: string;
  readonly version: string;
  /** Installed-Size, bytes (the field is KiB). */
  readonly installed: number;
  /** Size: the .deb, bytes. */
  readonly download: number;
}

/** The packages the Dockerfile's apt-get line names: packages.txt's, then those it adds itself. */
function dockerfilePackages(dockerfile: string): string[] {
  const listed = readFileSync(join(ROOT, 'runner-image', 'packages.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));
  const line = /apt-get install [^\n]*\$\(grep -v '\^#' \/tmp\/packages\.txt\)([^\\\n]*)/.exec(dockerfile);
  if (!line) throw new Error('runner-image/Dockerfile: no apt-get install line reading packages.txt');
  return [...listed.map((name) => name.trim()), ...line[1].trim().split(/\s+/).filter(Boolean)];
}

class PrivateApt {
  readonly options: string[];
  private status: string[] = [];

  constructor(readonly dir: string) {
    for (const sub of ['lists/partial', 'cache/archives/partial', 'state', 'parts'])
      mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(
      join(dir, 'sources.list'),
      SOURCES.map(
        ([uri, suite]) => `deb [arch=${ARCHITECTURE} signed-by=${KEYRING}] ${uri} ${suite} main\n`,
      ).join(''),
    );
    this.options = [
      `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
      `Dir::Etc::SourceParts=${join(dir, 'parts')}`,
      `Dir::Etc::PreferencesParts=${join(dir, 'parts')}`,
      `Dir::State=${join(dir, 'state')}`,
      `Dir::State::Lists=${join(dir, 'lists')}`,
      `Dir::Cache=${join(dir, 'cache')}`,
      `APT::Architecture=${ARCHITECTURE}`,
      `APT::Architectures::=${ARCHITECTURE}`,
      'Debug::NoLocking=1',
    ].flatMap((option) => ['-o', option]);
    this.useStatus(join(dir, 'empty-status'), '');
  }

  useStatus(file: string, content: string): void {
    writeFileSync(file, content);
    this.status = ['-o', `Dir::State::status=${file}`];
  }

  run(tool: string, args: string[], cwd = this.dir): string {
    return execFileSync(tool, [...this.options, ...this.status, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * MIB,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** `name=version` of what `apt-get install --no-install-recommends` would unpack. */
  simulateInstall(selection: string[]): string[] {
    const output = this.run('apt-get', ['install', '--simulate', '--no-install-recommends', ...selection]);
    return [...output.matchAll(/^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) /gm)].map(
      ([, name, version]) => `${name}=${version}`,
    );
  }

  show(packages: string[]): string[] {
    return this.run('apt-cache', ['show', ...packages])
      .split(/\n\n+/)
      .filter((record) => record.startsWith('Package:'));
  }
}

function field(record: string, name: string): string {
  const match = new RegExp(`^${name}: (.*)$`, 'm').exec(record);
  if (!match) throw new Error(`no ${name} in ${record.split('\n')[0]}`);
  return match[1];
}

/** dpkg's path filters match with fnmatch(3) without FNM_PATHNAME: `*` crosses `/`. */
function globs(patterns: readonly string[]): RegExp {
  const escaped = patterns.map((glob) => glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  return new RegExp(`^(?:${escaped.join('|')})$`);
}

/** Removes what dpkg would not have unpacked into the slim base; returns the bytes removed. */
function applyPathFilters(tree: string): number {
  const exclude = globs(PATH_EXCLUDE);
  const include = globs(PATH_INCLUDE);
  let removed = 0;
  for (const entry of readdirSync(tree, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const file = join(entry.parentPath, entry.name);
    const path = `/${relative(tree, file)}`;
    if (!exclude.test(path) || include.test(path)) continue;
    removed += lstatSync(file).size;
    rmSync(file);
  }
  return removed;
}

function filesUnder(dir: string, suffix: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith(suffix))
      bytes += statSync(join(entry.parentPath, entry.name)).size;
  return bytes;
}

/** Seconds `tool args` takes with stdin and stdout on files (median of `runs`). */
function timed(runs: number, tool: string, args: string[], input: string, output: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const stdin = openSync(input, 'r');
    const stdout = openSync(output, 'w');
    const started = performance.now();
    try {
      execFileSync(tool, args, { stdio: [stdin, stdout, 'pipe'] });
    } finally {
      closeSync(stdin);
      closeSync(stdout);
    }
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

/**
 * Debian's Python packages byte-compile their files when configured (py3compile and py_compile in
 * their postinst scripts), so the layer holds .pyc files no .deb carries. Compiled here with the
 * Python minor version the image gets; on a host with another one this part is not measured.
 */
function byteCompile(tree: string, added: readonly Package[]): number | undefined {
  const image = added.map((p) => /^python(3\.\d+)$/.exec(p.name)?.[1]).find(Boolean);
  const host = execFileSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  }).trim();
  if (!image || image !== host) return undefined;
  const dirs = [`usr/lib/python${image}`, 'usr/lib/python3/dist-packages'].map((dir) => join(tree, dir));
  // Exits 1 for the files that are not Python 3 (templates, test data), as py3compile skips them.
  const compiled = spawnSync(PYTHON, ['-m', 'compileall', '-q', '-j', '0', '-s', tree, '-p', '/', ...dirs], {
    stdio: 'ignore',
  });
  if (compiled.error) throw compiled.error;
  return filesUnder(tree, '.pyc');
}

/** Runs the Dockerfile's deletion of bytecode (its `find ... -name __pycache__ ... rm -rf`) in the tree. */
function pruneBytecode(tree: string, dockerfile: string): void {
  const prune =
    /find (\/\S+) -path '([^']+)'\s*(?:\\\s*)?-name __pycache__ -type d -prune -exec rm -rf \{\} \+/.exec(
      dockerfile,
    );
  if (!prune) return;
  const [, root, glob] = prune;
  // The Dockerfile's paths are the image's; here the image's root is the tree.
  const path = glob.startsWith('/') ? `${tree}${glob}` : glob;
  const action = ['-name', '__pycache__', '-type', 'd', '-prune', '-exec', 'rm', '-rf', '{}', '+'];
  execFileSync('find', [join(tree, root), '-path', path, ...action]);
}

function figure(name: string, value: number, unit: string): void {
  print({ name: `runner_image_${name}`, value, unit });
}

export async function runnerImageBenchmarks(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'towerless-runner-image-'));
  try {
    const apt = new PrivateApt(join(work, 'apt'));
    apt.run('apt-get', ['update', '-q']);
    const base = apt.simulateInstall(BASE_SELECTION);
    apt.useStatus(
      join(work, 'apt', 'base-status'),
      apt
        .show(base)
        .map((record) => `Status: install ok installed\n${record}\n\n`)
        .join(''),
    );
    const dockerfile = readFileSync(join(ROOT, 'runner-image', 'Dockerfile'), 'utf8');
    const selection = dockerfilePackages(dockerfile);
    const added: Package[] = apt.show(apt.simulateInstall(selection)).map((record) => ({
      name: field(record, 'Package'),
      version: field(record, 'Version'),
      installed: Number(field(record, 'Installed-Size')) * 1024,
      download: Number(field(record, 'Size')),
    }));
    const sum = (bytes: (p: Package) => number) => added.reduce((total, p) => total + bytes(p), 0);
    const arch = `linux/${ARCHITECTURE}, Debian bookworm`;
    figure(
      'base_packages',
      base.length,
      `packages in node:20.20.2-bookworm-slim's dpkg database (not counted)`,
    );
    figure('added_packages', added.length, `packages apt adds for ${selection.join(' ')} (${arch})`);
    figure('added_installed_mib', sum((p) => p.installed) / MIB, 'MiB installed (sum of Installed-Size)');
    figure('added_download_mib', sum((p) => p.download) / MIB, 'MiB of .deb files (sum of Size)');
    const largest = [...added].sort((a, b) => b.installed - a.installed).slice(0, 10);
    for (const p of largest)
      figure(
        `package_${p.name}_installed_mib`,
        p.installed / MIB,
        `MiB installed; ${(p.download / MIB).toFixed(2)} MiB .deb (${p.version})`,
      );

    const debs = join(work, 'debs');
    mkdirSync(debs);
    apt.run('apt-get', ['download', ...added.map((p) => `${p.name}=${p.version}`)], debs);
    const tree = join(work, 'tree');
    for (const deb of readdirSync(debs)) execFileSync('dpkg-deb', ['-x', join(debs, deb), tree]);
    figure(
      'path_excluded_mib',
      applyPathFilters(tree) / MIB,
      `MiB the slim base's dpkg path-excludes leave out`,
    );
    const bytecode = byteCompile(tree, added);
    if (bytecode !== undefined) {
      figure('python_bytecode_mib', bytecode / MIB, 'MiB of .pyc the packages write when configured');
      pruneBytecode(tree, dockerfile);
      figure('python_bytecode_kept_mib', filesUnder(tree, '.pyc') / MIB, 'MiB of them the Dockerfile keeps');
    }

    const layer = join(work, 'layer.tar');
    execFileSync('tar', ['-C', tree, '-cf', layer, '.']);
    figure(
      'layer_tar_mib',
      statSync(layer).size / MIB,
      `MiB, the layer's files (what dpkg unpacks, the .pyc kept) as one tar`,
    );
    const sizes: Record<string, number> = {};
    for (const [name, tool, level] of [
      ['gzip', 'gzip', '-6'],
      ['zstd', 'zstd', '-3'],
    ]) {
      const packed = `${layer}.${name}`;
      const compress = timed(1, tool, [level, '-c'], layer, packed);
      sizes[name] = statSync(packed).size;
      const decompress = timed(3, tool, ['-d', '-c'], packed, '/dev/null');
      figure(`layer_${name}_mib`, sizes[name] / MIB, `MiB, the layer tar through ${tool} ${level}`);
      figure(`layer_${name}_compress_seconds`, compress, `s (${tool} ${level}, one thread, this machine)`);
      figure(`layer_${name}_decompress_seconds`, decompress, `s (${tool} -d, one thread, median of 3)`);
    }
    figure(
      'layer_zstd_saving_percent',
      (1 - sizes.zstd / sizes.gzip) * 100,
      '% fewer bytes to pull than gzip',
    );

    execFileSync('node', [join(ROOT, 'scripts', 'build-cli.mjs'), '--runner'], { stdio: 'pipe' });
    const entrypoint = statSync(join(ROOT, 'runner-image', 'dist', 'entrypoint.cjs')).size;
    figure(
      'entrypoint_kib',
      entrypoint / 1024,
      'KiB, runner-image/dist/entrypoint.cjs (npm run build:runner)',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runnerImageBenchmarks().catch((error: unknown) => {
    process.stderr.write(`runner-image failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
