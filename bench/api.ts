import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localCatalog } from '../test/support/local-catalog';
import { startServe, stop, type Server } from '../test/support/serve-process';
import { ApiClient, bounded } from './support/http-load';
import { cpuMs, openFiles, treeMemory, type TreeMemory } from './support/process-tree';
import { median, print } from './support/report';

/**
 * The API against a real `towerless serve` on 127.0.0.1 (a fresh data folder, the admin token from
 * TOWERLESS_ADMIN_TOKEN, a manual project in the projects root, which is serve's working folder),
 * driven over loopback by a load generator in this process with a bounded number of requests in
 * flight. Figures: launch-to-first-node latency, status reads per second, 1,000 concurrent
 * launches (none lost or duplicated, all finished), and the memory of serve with its job processes.
 *
 * `TOWERLESS_BENCH_LAUNCHES` lowers the 1,000 launches for a quick look (the figure's unit says how
 * many ran); `TOWERLESS_BENCH_SERVE_NODE_ARGS` passes Node options to serve (a CPU profile).
 */
/** The built CLI, for a serve run with Node options (bin/towerless otherwise). */
const BUNDLE = join(__dirname, '..', 'dist', 'towerless.cjs');
const V2 = '/api/v2';
const TOKEN = 'bench-admin-token-0123456789abcdef';
/** The file whose creation lets the jobs of the memory figure end (they wait for it). */
const RELEASE = 'release';
const LAUNCHES = Number(process.env.TOWERLESS_BENCH_LAUNCHES ?? 1000);
const IN_FLIGHT = 50;
const FINISHED = new Set(['successful', 'failed', 'error', 'canceled']);

type Obj = Record<string, unknown> & { id: number };
type Page = { count: number; next: string | null; results: Obj[] };

const PLAY = (task: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n    - ${task}\n`;

interface Serve {
  readonly server: Server;
  /** A client for the setup and the lighter figures. */
  readonly api: ApiClient;
  readonly root: string;
  /**
   * A client of its own for one figure (fresh connections: a keep-alive connection left idle since
   * an earlier figure may be closed by serve just as it is reused). Closed by `stop`.
   */
  client(): ApiClient;
  stop(): Promise<void>;
}

/** `towerless serve --port 0` in a fresh folder that holds the project; resolves once it listens. */
export async function startBenchServe(): Promise<Serve> {
  const root = mkdtempSync(join(tmpdir(), 'towerless-bench-api-'));
  mkdirSync(join(root, 'demo'));
  writeFileSync(join(root, 'demo', 'fast.yml'), PLAY('ansible.builtin.debug: { msg: hi }'));
  writeFileSync(
    join(root, 'demo', 'wait.yml'),
    PLAY(`ansible.builtin.wait_for: { path: ${join(root, RELEASE)}, timeout: 1800 }`),
  );
  const nodeArgs = (process.env.TOWERLESS_BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startServe(join(root, 'data'), {
    cwd: root,
    env: { TOWERLESS_ADMIN_TOKEN: TOKEN },
    command: nodeArgs.length > 0 ? BUNDLE : undefined,
    nodeArgs,
  });
  const clients: ApiClient[] = [];
  const client = () => {
    clients.push(new ApiClient(server.url, TOKEN, IN_FLIGHT + 8));
    return clients.at(-1)!;
  };
  return {
    server,
    api: client(),
    root,
    client,
    async stop() {
      for (const open of clients) open.close();
      await stop(server);
      if (server.stderr().trim()) process.stderr.write(`serve said:\n${server.stderr()}\n`);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

interface Catalog {
  /** One node running a one-task playbook. */
  readonly fast: number;
  /** One node running a playbook that waits until the bench creates the RELEASE file. */
  readonly wait: number;
}

/** The catalog, built through the API as a client would: both workflows allow simultaneous jobs. */
export async function buildCatalog(api: ApiClient): Promise<Catalog> {
  const { organization, project, inventory } = await localCatalog(api);
  const workflow = async (name: string, playbook: string) => {
    const template = await api.json<Obj>('POST', `${V2}/job_templates/`, {
      name,
      organization,
      project,
      inventory,
      playbook,
      allow_simultaneous: true,
    });
    const flow = await api.json<Obj>('POST', `${V2}/workflow_job_templates/`, {
      name,
      organization,
      allow_simultaneous: true,
    });
    await api.json('POST', `${V2}/workflow_job_templates/${flow.id}/workflow_nodes/`, {
      identifier: 'only',
      unified_job_template: template.id,
    });
    return flow.id;
  };
  return { fast: await workflow('Fast', 'fast.yml'), wait: await workflow('Wait', 'wait.yml') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every page of a list. */
async function listAll(api: ApiClient, path: string): Promise<Obj[]> {
  const all: Obj[] = [];
  let next: string | null = `${path}${path.includes('?') ? '&' : '?'}page_size=200`;
  while (next) {
    const page: Page = await api.json<Page>('GET', next);
    all.push(...page.results);
    next = page.next;
  }
  return all;
}

/** How many of a template's workflow jobs have not finished. */
async function unfinished(api: ApiClient, template: number): Promise<number> {
  const page = await api.json<Page>(
    'GET',
    `${V2}/workflow_jobs/?workflow_job_template=${template}&status__in=pending,waiting,running&page_size=1`,
  );
  return page.count;
}

async function waitFinished(api: ApiClient, template: number, timeoutMs: number, poll = 1000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await unfinished(api, template)) > 0) {
    if (performance.now() > deadline) return;
    await sleep(poll);
  }
}

/** The node job of a one-node workflow job, once the workflow job has finished. */
async function nodeJob(api: ApiClient, workflowJob: number): Promise<Obj> {
  for (;;) {
    const job = await api.json<Obj>('GET', `${V2}/workflow_jobs/${workflowJob}/`);
    if (FINISHED.has(job.status as string)) break;
    await sleep(100);
  }
  const nodes = await api.json<Page>('GET', `${V2}/workflow_jobs/${workflowJob}/workflow_nodes/`);
  return api.json<Obj>('GET', `${V2}/jobs/${nodes.results[0].job as number}/`);
}

/**
 * Launch accepted (the client has the 201) to the first node's runner starting: the `started` the
 * runner records on the node's job before it checks out the project and starts ansible-runner.
 * Launches one at a time on an otherwise idle server; both clocks are this machine's.
 */
export async function launchToFirstNode(api: ApiClient, catalog: Catalog): Promise<void> {
  const latencies: number[] = [];
  const requests: number[] = [];
  for (let i = 0; i <= 20; i++) {
    const sent = performance.now();
    const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${catalog.fast}/launch/`, {});
    const accepted = Date.now();
    const answered = performance.now();
    const job = await nodeJob(api, launched.id);
    if (job.status !== 'successful') throw new Error(`job ${job.id} ended ${String(job.status)}`);
    if (i === 0) continue; // warm-up
    latencies.push(Date.parse(job.started as string) - accepted);
    requests.push(answered - sent);
  }
  print({
    name: 'launch_to_first_node_ms_p50',
    value: median(latencies),
    unit: "ms (median of 20: 201 received to the node job's recorded `started`)",
  });
  print({
    name: 'launch_request_ms_p50',
    value: median(requests),
    unit: 'ms (median of 20: launch POST round trip)',
  });
}

/**
 * GET /api/v2/workflow_jobs/<id>/ of a finished job, 32 in flight. The CPU time serve spent per
 * request is printed too: it does not depend on what else the machine runs.
 */
export async function statusRequests(serve: Serve, catalog: Catalog): Promise<void> {
  const api = serve.client();
  const launched = await api.json<Obj>('POST', `${V2}/workflow_job_templates/${catalog.fast}/launch/`, {});
  await nodeJob(api, launched.id);
  const path = `${V2}/workflow_jobs/${launched.id}/`;
  const get = async () => {
    const answer = await api.call('GET', path);
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status}`);
  };
  await bounded(500, 32, get);
  const count = 5000;
  const cpuBefore = cpuMs(serve.server.process.pid!);
  const began = performance.now();
  await bounded(count, 32, get);
  const seconds = (performance.now() - began) / 1000;
  const cpu = cpuMs(serve.server.process.pid!) - cpuBefore;
  print({
    name: 'status_requests_per_s',
    value: count / seconds,
    unit: 'requests/s (5,000 GET workflow_jobs/<id>/, 32 in flight, keep-alive, loopback)',
  });
  print({
    name: 'status_serve_cpu_ms_per_request',
    value: cpu / count,
    unit: "ms (serve's CPU time over those 5,000 requests, per request)",
  });
}

/** The largest number of intervals [started, finished] that overlap. */
function maxOverlap(jobs: readonly Obj[]): number {
  const points = jobs.flatMap((job) => [
    { at: Date.parse(job.started as string), step: 1 },
    { at: Date.parse(job.finished as string), step: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const point of points) most = Math.max(most, (now += point.step));
  return most;
}

/** Samples the memory of serve and its children every `everyMs` until `until` settles; the peak. */
async function peakMemory(pid: number, until: Promise<unknown>, everyMs = 500): Promise<TreeMemory> {
  let done = false;
  const settled = () => (done = true);
  until.then(settled, settled);
  let peak = treeMemory(pid);
  while (!done) {
    await sleep(everyMs);
    const now = treeMemory(pid);
    if (now.rssMb > peak.rssMb) peak = now;
  }
  await until; // its failure, if it failed
  return peak;
}

/** How many node jobs of a template have a status, now. */
async function nodeJobs(api: ApiClient, name: string, status: string): Promise<number> {
  return (await api.json<Page>('GET', `${V2}/jobs/?name=${name}&status=${status}&page_size=1`)).count;
}

/**
 * 100 launches at once of a workflow whose playbook waits for a file: once as many of its jobs
 * run as will (capacity keeps the rest pending) and every one of them has its ansible-playbook,
 * serve's memory with its job processes is sampled for 5 s; then the file is created and all end.
 */
export async function hundredRunning(serve: Serve, catalog: Catalog): Promise<void> {
  const api = serve.client();
  const launches = await bounded(100, IN_FLIGHT, () =>
    api.json<Obj>('POST', `${V2}/workflow_job_templates/${catalog.wait}/launch/`, {}),
  );
  // Running: as many as started, once none has started for 10 s (or all 100 have).
  let running = 0;
  for (let still = 0; running < 100 && still < 5;) {
    await sleep(2000);
    const now = await nodeJobs(api, 'Wait', 'running');
    still = now === running ? still + 1 : 0;
    running = now;
  }
  const playbooks = () => treeMemory(serve.server.process.pid!).commands['ansible-playboo'] ?? 0;
  for (let i = 0; i < 300 && playbooks() < running; i++) await sleep(1000);
  let peak = treeMemory(serve.server.process.pid!);
  for (let i = 0; i < 10; i++) {
    await sleep(500);
    const now = treeMemory(serve.server.process.pid!);
    if (now.rssMb > peak.rssMb) peak = now;
  }
  const pending = await nodeJobs(api, 'Wait', 'pending');
  writeFileSync(join(serve.root, RELEASE), '');
  await waitFinished(api, catalog.wait, 30 * 60_000, 2000);
  const ids = new Set(launches.map((launched) => launched.id));
  const jobs = (await listAll(api, `${V2}/workflow_jobs/?workflow_job_template=${catalog.wait}`)).filter(
    (job) => ids.has(job.id),
  );
  const failed = jobs.filter((job) => job.status !== 'successful').length;
  if (jobs.length !== 100 || failed > 0) throw new Error(`of 100 waiting jobs, ${failed} did not succeed`);
  print({
    name: 'serve_rss_mb_100_running',
    value: peak.rssMb,
    unit: `MB (RSS sum of serve and its ${peak.processes} processes, 100 workflow jobs launched, ${running} running; PSS ${Math.round(peak.pssMb)} MB)`,
  });
  print({
    name: 'serve_jobs_running_at_once_of_100',
    value: running,
    unit: `jobs (node jobs running, each with its ansible-playbook; ${pending} pending for capacity)`,
  });
}

/**
 * LAUNCHES launches at once (IN_FLIGHT in flight) of a one-node workflow that allows simultaneous
 * jobs: every 201 has a distinct id, every job is listed and every one ends successful. Lost: a
 * launch not answered 201, an id missing from the list, or a job not successful within the time
 * allowed; duplicated: ids answered twice.
 */
async function concurrentLaunches(serve: Serve, catalog: Catalog): Promise<void> {
  const api = serve.client();
  const pid = serve.server.process.pid!;
  const filesBefore = openFiles(pid);
  const cpuBefore = cpuMs(pid);
  const began = performance.now();
  const answers = await bounded(LAUNCHES, IN_FLIGHT, async () => {
    try {
      return await api.call<Obj>('POST', `${V2}/workflow_job_templates/${catalog.fast}/launch/`, {});
    } catch (error) {
      return { status: 0, body: { id: -1, error: (error as Error).message } as Obj };
    }
  });
  const acceptedSeconds = (performance.now() - began) / 1000;
  const ids = answers.filter((a) => a.status === 201).map((a) => a.body.id);
  const refused = answers.length - ids.length;
  const distinct = new Set(ids);
  const peak = await peakMemory(pid, waitFinished(api, catalog.fast, 60 * 60_000, 2000));
  const finishedSeconds = (performance.now() - began) / 1000;
  const cpu = cpuMs(pid) - cpuBefore;
  const filesAfter = openFiles(pid);
  const listed = new Map(
    (await listAll(api, `${V2}/workflow_jobs/?workflow_job_template=${catalog.fast}`)).map((job) => [
      job.id,
      job,
    ]),
  );
  const statuses: Record<string, number> = {};
  let lost = refused;
  for (const id of distinct) {
    const status = (listed.get(id)?.status as string | undefined) ?? 'missing';
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 'successful') lost++;
  }
  const nodes = await listAll(api, `${V2}/jobs/?name=Fast&status=successful`);
  if (refused > 0)
    process.stderr.write(
      `refused launches: ${JSON.stringify(answers.filter((a) => a.status !== 201).slice(0, 5))}\n`,
    );
  const of = `of ${LAUNCHES}`;
  print({
    name: 'concurrent_launches_lost',
    value: lost,
    unit: `launches ${of} (${IN_FLIGHT} in flight; not 201, not listed, or not successful: ${JSON.stringify(statuses)})`,
  });
  print({
    name: 'concurrent_launches_duplicated',
    value: ids.length - distinct.size,
    unit: `ids ${of} answered twice`,
  });
  print({
    name: 'concurrent_launches_accept_s',
    value: acceptedSeconds,
    unit: `s (all ${LAUNCHES} answered 201)`,
  });
  print({
    name: 'concurrent_launches_finish_s',
    value: finishedSeconds,
    unit: `s (first launch to all ${LAUNCHES} finished)`,
  });
  print({
    name: 'concurrent_launches_running_at_once',
    value: maxOverlap(nodes),
    unit: 'jobs (most node jobs between their started and finished at one time)',
  });
  print({
    name: 'concurrent_launches_serve_cpu_ms_per_job',
    value: cpu / LAUNCHES,
    unit: "ms (serve's own CPU time per workflow job: launch, run, records; its job processes not counted)",
  });
  print({
    name: 'serve_open_files_added',
    value: filesAfter - filesBefore,
    unit: `files (open in serve after all ${LAUNCHES} finished, minus before)`,
  });
  print({
    name: 'serve_rss_mb_peak_concurrent_launches',
    value: peak.rssMb,
    unit: `MB (peak RSS sum of serve and its ${peak.processes} processes while ${LAUNCHES} launches ran; PSS ${Math.round(peak.pssMb)} MB)`,
  });
}

export async function apiBenchmarks(): Promise<void> {
  execFileSync('ansible-runner', ['--version']);
  const serve = await startBenchServe();
  try {
    const catalog = await buildCatalog(serve.api);
    await sleep(1000);
    const idle = treeMemory(serve.server.process.pid!);
    print({
      name: 'serve_rss_mb_idle',
      value: idle.rssMb,
      unit: `MB (RSS sum of serve and its ${idle.processes} processes, catalog built, nothing running)`,
    });
    await launchToFirstNode(serve.api, catalog);
    await statusRequests(serve, catalog);
    await hundredRunning(serve, catalog);
    await concurrentLaunches(serve, catalog);
  } finally {
    await serve.stop();
  }
}
