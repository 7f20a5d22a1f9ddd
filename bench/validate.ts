import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, print } from './support/report';

const ROOT = join(__dirname, '..');

/**
 * A bundle of `templates` job templates, spread over 3 projects and 2 inventories, and 5 workflows
 * of 20 nodes (a chain with a failure branch) that run some of them: the shape of a large AWX
 * installation exported as one native bundle.
 */
export function writeLargeBundle(folder: string, templates: number): void {
  const resources = [
    'projects:',
    ...[1, 2, 3].map(
      (p) => `  - { name: Project ${p}, scm_type: git, scm_url: 'https://git.example.com/p${p}.git' }`,
    ),
    'inventories:',
    ...['Production', 'Staging'].map((name) => `  - { name: ${name}, hosts: { localhost: {} } }`),
  ];
  writeFileSync(join(folder, 'resources.yml'), `${resources.join('\n')}\n`);
  const lines = ['job_templates:'];
  for (let i = 0; i < templates; i++) {
    lines.push(
      `  - name: Template ${i}`,
      `    project: Project ${(i % 3) + 1}`,
      `    inventory: ${i % 2 ? 'Staging' : 'Production'}`,
      `    playbook: playbooks/service-${i}.yml`,
    );
  }
  writeFileSync(join(folder, 'job-templates.yml'), `${lines.join('\n')}\n`);
  const workflows = ['workflow_job_templates:'];
  for (let w = 0; w < 5; w++) {
    workflows.push(`  - name: Workflow ${w}`, '    workflow_nodes:');
    for (let n = 0; n < 20; n++) {
      const template = (w * 7919 + n * 104729) % templates;
      workflows.push(`      - identifier: step-${n}`, `        unified_job_template: Template ${template}`);
      if (n + 1 < 20)
        workflows.push(`        success_nodes: [step-${n + 1}]`, '        failure_nodes: [rollback]');
    }
    workflows.push('      - identifier: rollback', '        unified_job_template: Template 0');
  }
  writeFileSync(join(folder, 'workflows.yml'), `${workflows.join('\n')}\n`);
}

interface Probe {
  /** A script preloaded into the CLI's process that writes its peak RSS to `rssFile` on exit. */
  readonly preload: string;
  readonly rssFile: string;
}

/** Runs `./bin/towerless validate` as a user does. */
function validateOnce(bundle: string, probe: Probe): { seconds: number; rssMb: number } {
  const started = performance.now();
  const run = spawnSync(join(ROOT, 'bin', 'towerless'), ['validate', bundle], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_OPTIONS: `--require ${JSON.stringify(probe.preload)}`,
      TOWERLESS_BENCH_RSS_FILE: probe.rssFile,
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`validate failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
  return { seconds, rssMb: Number(readFileSync(probe.rssFile, 'utf8')) / 1024 };
}

/** `towerless validate` of 100,000 job templates: wall seconds and peak RSS, and how they scale. */
export async function validateBenchmarks(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'towerless-bench-'));
  try {
    const probe: Probe = { preload: join(work, 'max-rss.cjs'), rssFile: join(work, 'rss') };
    // maxRSS (KiB) read as the process exits: the peak of the whole run.
    writeFileSync(
      probe.preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.TOWERLESS_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
    const measure = (templates: number) => {
      const bundle = join(work, `bundle-${templates}`);
      mkdirSync(bundle);
      writeLargeBundle(bundle, templates);
      validateOnce(bundle, probe); // warm-up: rebuilds dist/ if sources changed, fills the page cache
      const runs = [0, 1, 2].map(() => validateOnce(bundle, probe));
      return { seconds: median(runs.map((r) => r.seconds)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
    };
    const half = measure(50_000);
    const full = measure(100_000);
    print({ name: 'validate_s_100k_templates', value: full.seconds, unit: 's (median of 3, wall, CLI)' });
    print({ name: 'validate_rss_mb_100k_templates', value: full.rssMb, unit: 'MB (peak RSS of the CLI)' });
    print({
      name: 'validate_time_ratio_100k_vs_50k',
      value: full.seconds / half.seconds,
      unit: 'ratio (2 is linear)',
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
