import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { prepareDataFolder } from '../../lib/local/data-folder';
import { openLocalSession } from '../../lib/local/local-session';
import { openLocalStore } from '../../lib/local/local-store';
import { eventually } from '../support/eventually';
import { gitProject } from '../support/git-project';

/**
 * `towerless run` tried as an attacker and a careless user would: secrets in every form they
 * leave a playbook, every way the process can end, a second process, hostile paths.
 */
const exec = promisify(execFile);
const cli = join(__dirname, '../../bin/towerless');
const LOCALHOST =
  '{ localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } }';

interface Workspace {
  readonly dir: string;
  readonly data: string;
  readonly secrets: string;
}

/** A bundle folder with a git project of `playbooks`, a data folder and a secrets file (600). */
function workspace(
  bundle: (repoUrl: string) => string,
  playbooks: Record<string, string>,
  secrets = {},
): Workspace {
  const repo = gitProject(playbooks);
  const dir = mkdtempSync(join(tmpdir(), 'towerless-hardening-'));
  writeFileSync(join(dir, 'bundle.yml'), bundle(repo.url));
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'towerless-hardening-secrets-')), 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify(secrets));
  chmodSync(secretsFile, 0o600);
  return { dir, data: join(dir, 'data'), secrets: secretsFile };
}

/** `towerless run` of the workspace's workflow W, with its data folder and secrets file. */
function runArgs(space: Workspace, ...extra: string[]): string[] {
  const { dir, data, secrets } = space;
  return ['run', join(dir, 'bundle.yml'), '--workflow', 'W', '--data', data, '--secrets', secrets, ...extra];
}

function run(
  space: Workspace,
  ...extra: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(cli, runArgs(space, ...extra), { maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const token = () => randomBytes(6).toString('hex');

describe('secrets leave no trace', () => {
  it('a secret with quotes, backslashes, lines, JSON fields or from a password survey is nowhere', async () => {
    const [quoted, line1, line2, inner, survey] = [token(), token(), token(), token(), token()];
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
credentials:
  - name: AWS
    credential_type: Amazon Web Services
    inputs:
      username: { secret: "app/json#key_id" }
      password: { secret: app/quoted }
      security_token: { secret: app/pem }
job_templates:
  - { name: Leak, project: P, inventory: I, playbook: leak.yml, credentials: [AWS] }
  - { name: Echo, project: P, inventory: I, playbook: echo.yml }
  - { name: Cut, project: P, inventory: I, playbook: cut.yml, credentials: [AWS] }
workflow_job_templates:
  - name: W
    survey_enabled: true
    survey_spec:
      name: s
      description: ''
      spec:
        - { variable: db_password, question_name: DB password, type: password, required: true }
    workflow_nodes:
      - { identifier: leak, unified_job_template: Leak, success_nodes: [echo] }
      - { identifier: echo, unified_job_template: Echo }
      - { identifier: cut, unified_job_template: Cut, failure_nodes: [echoed] }
      - { identifier: echoed, unified_job_template: Echo }
`,
      {
        'leak.yml': `
- hosts: localhost
  gather_facts: false
  vars:
    q: "{{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}"
  tasks:
    - ansible.builtin.debug: { var: q }
    - ansible.builtin.debug: { msg: "as a list {{ [q] }}" }
    - ansible.builtin.debug: { msg: "{{ {'nested': [q] } | to_json }}" }
    - ansible.builtin.command: printenv AWS_SESSION_TOKEN
      register: pem
    - ansible.builtin.debug: { var: pem.stdout_lines }
    - ansible.builtin.debug: { msg: "{{ lookup('env', 'AWS_ACCESS_KEY_ID') }}" }
    - ansible.builtin.debug: { var: db_password }
    - ansible.builtin.set_stats: { data: { passed: "{{ db_password }}", q: "{{ q }}" }, per_host: false }
`,
        // An error message cut to length must not keep the start of a secret.
        'cut.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: cut
      ansible.builtin.fail: { msg: "{{ 'x' * 478 }}{{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}" }
`,
        'echo.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug: { msg: "got {{ passed | default('') }} and {{ q | default('') }}" }
`,
      },
      {
        // The random part first: an explanation cut at 500 characters would keep it whole.
        'app/quoted': `${quoted}"Q\\X-CANARY`,
        'app/pem': `-----BEGIN TEST KEY-----\nAAAA${line1}\nBBBB${line2}\n-----END TEST KEY-----\n`,
        'app/json': { key_id: `AKIA${inner}`, other: 'x' },
      },
    );
    const started = Date.now();
    const result = await run(
      space,
      '--json',
      '--extra-vars',
      JSON.stringify({ db_password: `pw-${survey}` }),
    );
    expect(result.stdout).toContain('"status":"successful"');
    const secrets = [quoted, line1, line2, inner, survey];

    // The playbook did get them: scrubbed output says so.
    const logs = join(space.data, 'logs');
    const [job] = readdirSync(logs);
    expect(readFileSync(join(logs, job, 'leak.jsonl'), 'utf8')).toContain('********');

    const places: Record<string, string> = { stdout: result.stdout, stderr: result.stderr };
    for (const file of filesUnder(space.data)) places[file] = readFileSync(file, 'latin1');
    // Other processes come and go in the temp folder: a file gone since it was listed held nothing of ours.
    for (const file of filesUnder(tmpdir(), started)) {
      const text = file === space.secrets ? undefined : readIfPresent(file);
      if (text !== undefined) places[file] = text;
    }
    // Everything in the data folder is private (checked before this test opens the store itself).
    for (const file of filesUnder(space.data)) expect(statSync(file).mode & 0o077, file).toBe(0);
    places.store = await rawStore(space.data);
    for (const [place, text] of Object.entries(places))
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${place}`).toBe(false);
    // AWX shows a survey password as $encrypted$.
    expect(places.store).toContain('$encrypted$');
  }, 120_000);
});

describe('no process or secret outlives the run', () => {
  /** A workflow whose one node runs `sleep` for two minutes, with names no other test uses. */
  function slow(): Workspace & { readonly marker: string; readonly sleep: string } {
    const marker = token();
    // The playbook's own command, in a process of its own (a grandchild of ansible-playbook).
    const sleep = `sleep 120.${parseInt(marker, 16) % 1_000_000}`;
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
credentials:
  - { name: AWS, credential_type: Amazon Web Services, inputs: { username: AKIA, password: { secret: aws } } }
job_templates: [{ name: Slow, project: P, inventory: I, playbook: slow-${marker}.yml, credentials: [AWS] }]
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: slow, unified_job_template: Slow }
`,
      {
        [`slow-${marker}.yml`]: `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.command: ${sleep}\n`,
      },
      { aws: `secret-${marker}` },
    );
    return { ...space, marker, sleep };
  }

  /** Starts a run and resolves once its playbook's `sleep` runs. */
  async function startSlow(space: ReturnType<typeof slow>): Promise<ChildProcess> {
    const child = spawn(cli, runArgs(space), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.resume();
    child.stderr!.resume();
    await eventually(
      () => processes(`slow-${space.marker}`).length > 0 && processes(space.sleep).length > 0,
      30_000,
    );
    return child;
  }

  async function expectNothingLeft(space: ReturnType<typeof slow>): Promise<void> {
    const left = () => processes(`slow-${space.marker}`).length + processes(space.sleep).length;
    expect(await eventually(() => left() === 0, 30_000)).toBe(true);
    // No private data dir or key file is left (they live in the data folder's scratch folder).
    expect(readdirSync(join(space.data, 'scratch'))).toEqual([]);
  }

  it.each([
    ['SIGINT twice', ['SIGINT', 'SIGINT'], 130, 'canceled'],
    ['SIGTERM', ['SIGTERM'], 1, 'canceled'],
    ['SIGKILL', ['SIGKILL'], null, 'running'],
  ] as const)(
    '%s',
    async (_, signals, exitCode, recorded) => {
      const space = slow();
      const child = startSlow(space);
      const towerless = await child;
      const exited = new Promise<number | null>((resolve) => towerless.on('exit', (code) => resolve(code)));
      for (const signal of signals) {
        towerless.kill(signal);
        await new Promise((resolve) => setTimeout(resolve, 10)); // the second arrives while the first cancels
      }
      const code = await exited;
      expect(code).toBe(exitCode);
      await expectNothingLeft(space);
      // What the process recorded; a SIGKILL records nothing, and the next start ends the job as error.
      const local = await openLocalStore(prepareDataFolder(space.data));
      const [job] = recorded === 'running' ? await local.store.unfinishedWorkflowJobs() : [];
      await local.close();
      if (recorded === 'running') {
        expect(job.status).toBe('running');
        // The next start in this folder (run, or serve) ends it.
        const next = await openLocalSession(space.data);
        const ended = await next.store.getWorkflowJob(job.id);
        const node = await next.store.getNodeJob(job.id, 'slow');
        await next.close();
        expect(node?.status).toBe('error');
        expect(ended?.status).toBe('error');
        expect(ended?.job_explanation).toMatch(/ended before the job did/);
      } else {
        const store = await rawStore(space.data);
        expect(store).toContain(`\\"status\\":\\"${recorded}\\"`);
        expect(store).not.toContain('\\"status\\":\\"running\\"');
      }
    },
    90_000,
  );

  it('a second run on the same data folder is refused with a clear message', async () => {
    const space = slow();
    const first = await startSlow(space);
    const second = await run(space);
    first.kill('SIGINT');
    await new Promise((resolve) => first.on('exit', resolve));
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `towerless run: the data folder ${space.data} is in use by another towerless process; wait for it, or give another --data DIR`,
    );
  }, 90_000);
});

describe('a full disk', () => {
  /** A tmpfs of `megabytes` (mounting needs root, as in CI); undefined where it cannot be mounted. */
  function smallDisk(megabytes: number): string | undefined {
    const point = mkdtempSync(join(tmpdir(), 'towerless-small-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', point], { stdio: 'ignore' });
      return point;
    } catch {
      return undefined;
    }
  }

  it('fails the node with the reason, finishes the job, and leaves whole lines', async (context) => {
    const disk = smallDisk(3);
    if (!disk) return context.skip('mounting a small tmpfs needs root');
    try {
      const space = workspace(
        (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
job_templates: [{ name: Big, project: P, inventory: I, playbook: big.yml }]
workflow_job_templates: [{ name: W, workflow_nodes: [{ identifier: big, unified_job_template: Big }] }]
`,
        {
          'big.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: "{{ 'x' * 200000 }}" }\n      loop: "{{ range(30) | list }}"\n`,
        },
      );
      const result = await run({ ...space, data: join(disk, 'data') }, '--json');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.status).toBe('failed');
      expect(report.nodes[0].explanation).toMatch(
        /^cannot write the event log .*: no space left on the device$/,
      );
      const logs = join(disk, 'data', 'logs', String(report.id));
      for (const line of readFileSync(join(logs, 'big.jsonl'), 'utf8').split('\n').slice(0, -1))
        expect(() => JSON.parse(line)).not.toThrow();
      const local = await openLocalStore(prepareDataFolder(join(disk, 'data')));
      expect((await local.store.getWorkflowJob(report.id))?.status).toBe('failed');
      await local.close();
    } finally {
      execFileSync('umount', [disk]);
    }
  }, 60_000);
});

describe('hostile and broken input', () => {
  const bundle =
    (project: string, extra = '') =>
    (url: string) => `
projects:
  - { name: Git, scm_type: git, scm_url: ${url} }
  - ${project}
inventories:
  - name: I
    hosts: ${LOCALHOST}
${extra}
job_templates:
  - { name: T, project: Local, inventory: I, playbook: ..ok.yml }
  - { name: Broken, project: Git, inventory: I, playbook: broken.yml }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: t, unified_job_template: T }
`;

  it('a local project must be a folder inside the projects root (the bundle folder)', async () => {
    for (const path of ['/', '../../../../../../']) {
      const space = workspace(bundle(`{ name: Local, local_path: "${path}" }`), { 'x.yml': '' });
      const result = await run(space, '--json');
      expect(JSON.parse(result.stdout).nodes[0].explanation).toBe(
        `project 'Local': local_path '${path}' is not a folder inside the projects root ${space.dir}`,
      );
    }
  }, 60_000);

  it('a project playbook named ..ok.yml runs', async () => {
    const space = workspace(bundle('{ name: Local, local_path: project }'), { 'x.yml': '' });
    execFileSync('mkdir', [join(space.dir, 'project')]);
    writeFileSync(
      join(space.dir, 'project', '..ok.yml'),
      '- hosts: localhost\n  gather_facts: false\n  tasks: []\n',
    );
    expect((await run(space)).code).toBe(0);
  }, 60_000);

  it('an inventory source file outside its root is refused', async () => {
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories:
  - name: I
    inventory_sources: [{ name: S, source: file, source_path: ../../../../etc/hosts, update_on_launch: true }]
job_templates: [{ name: T, project: P, inventory: I, playbook: x.yml }]
workflow_job_templates: [{ name: W, workflow_nodes: [{ identifier: t, unified_job_template: T }] }]
`,
      { 'x.yml': '' },
    );
    const result = await run(space, '--json');
    expect(JSON.parse(result.stdout).nodes[0].explanation).toBe(
      "inventory source 'S': source_path '../../../../etc/hosts' leaves the projects root",
    );
  }, 60_000);

  it("Ansible's own errors (a playbook syntax error) reach the explanation", async () => {
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
job_templates: [{ name: T, project: P, inventory: I, playbook: broken.yml }]
workflow_job_templates: [{ name: W, workflow_nodes: [{ identifier: t, unified_job_template: T }] }]
`,
      { 'broken.yml': '- hosts: localhost\n  tasks:\n    - ansible.builtin.debug: { msg: [unclosed\n' },
    );
    const result = await run(space, '--json');
    expect(JSON.parse(result.stdout).nodes[0].explanation).toMatch(
      /^Playbook run failed \(rc \d+\): ERROR! /,
    );
  }, 60_000);

  it('node identifiers with /, spaces and .. each get their own event log', async () => {
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
job_templates: [{ name: T, project: P, inventory: I, playbook: x.yml }]
workflow_job_templates:
  - name: W
    workflow_nodes:
      - { identifier: "a/b", unified_job_template: T }
      - { identifier: "a_b", unified_job_template: T }
      - { identifier: "a b", unified_job_template: T }
      - { identifier: "../../x", unified_job_template: T }
`,
      { 'x.yml': '- hosts: localhost\n  gather_facts: false\n  tasks: []\n' },
    );
    expect((await run(space)).code).toBe(0);
    const [job] = readdirSync(join(space.data, 'logs'));
    expect(readdirSync(join(space.data, 'logs', job)).sort()).toEqual(
      ['%2E%2E%2F%2E%2E%2Fx.jsonl', 'a%20b.jsonl', 'a%2Fb.jsonl', 'a_b.jsonl'].sort(),
    );
  }, 60_000);

  it("launch variables and artifacts are never rendered as templates; the template's own vars are", async () => {
    const touched = join(mkdtempSync(join(tmpdir(), 'towerless-hardening-')), 'pwned');
    const payload = `{{ lookup('pipe', 'touch ${touched}') }}`;
    const space = workspace(
      (url) => `
projects: [{ name: P, scm_type: git, scm_url: ${url} }]
inventories: [{ name: I, hosts: ${LOCALHOST} }]
job_templates:
  - { name: Pass, project: P, inventory: I, playbook: pass.yml, extra_vars: { own: "{{ 'rendered' | upper }}" } }
  - { name: Show, project: P, inventory: I, playbook: show.yml }
workflow_job_templates:
  - name: W
    ask_variables_on_launch: true
    workflow_nodes:
      - { identifier: pass, unified_job_template: Pass, success_nodes: [show] }
      - { identifier: show, unified_job_template: Show }
`,
      {
        'pass.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: "own={{ own }} payload={{ payload }}" }\n    - ansible.builtin.set_stats: { data: { passed: "{{ payload }}" }, per_host: false }\n`,
        'show.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: "passed={{ passed }}" }\n`,
      },
    );
    const result = await run(space, '-e', `payload=${payload}`);
    expect(result.code).toBe(0);
    const [job] = readdirSync(join(space.data, 'logs'));
    const log = (node: string) => readFileSync(join(space.data, 'logs', job, `${node}.jsonl`), 'utf8');
    expect(log('pass')).toContain(`own=RENDERED payload=${payload}`);
    expect(log('show')).toContain('passed={{ lookup(');
    expect(existsSync(touched)).toBe(false);
  }, 60_000);

  it('a secrets file others can read refuses the launch once, before anything starts', async () => {
    const space = workspace(bundle('{ name: Local, local_path: project }'), { 'x.yml': '' });
    chmodSync(space.secrets, 0o644);
    const result = await run(space);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `towerless run: the secrets file ${space.secrets} is readable by others (mode 644): run chmod 600 on it`,
    );
    expect(result.stdout).toBe('');
  }, 60_000);
});

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Every file under `root` (modified since `since`, when given), skipping what cannot be read. */
function filesUnder(root: string, since = 0): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat && stat.mtimeMs >= since && stat.size < 64 * 1024 * 1024) files.push(path);
      }
    }
  };
  walk(root);
  return files;
}

/** Every item of the data folder's store, as DynamoDB returns it (sealed values stay sealed). */
async function rawStore(data: string): Promise<string> {
  const local = await openLocalStore(prepareDataFolder(data));
  try {
    const client = local.store['client'];
    const { Items } = await client.send(new ScanCommand({ TableName: 'towerless' }));
    return JSON.stringify(Items);
  } finally {
    await local.close();
  }
}

/** Processes whose command line contains `text` (this test's own excluded). */
function processes(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}
