import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwxClient } from '../lib/client/awx-client';
import { startServe, stop } from '../test/support/serve-process';
import { median, print } from './support/report';

/**
 * How late a schedule launches its workflow in `towerless serve` (docs/schedules.md, Firing):
 * schedules on an empty workflow, each with one occurrence a few seconds ahead, one a second
 * apart; the drift is each scheduled workflow job's `created` less its occurrence. AWX looks every
 * 30 seconds; the target here is under a second.
 */
const TOKEN = 'bench-schedules-admin-token-0123456789';
const FIRES = 10;
const LEAD_SECONDS = 4;

type Obj = Record<string, unknown> & { id: number };

export async function scheduleBenchmarks(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'towerless-bench-schedules-'));
  const server = await startServe(join(root, 'data'), { cwd: root, env: { TOWERLESS_ADMIN_TOKEN: TOKEN } });
  const api = new AwxClient({ url: server.url, token: TOKEN });
  try {
    const [{ id: organization }] = await api.list<Obj>('/organizations/', { name: 'Default' });
    const workflow = await api.post<Obj>('/workflow_job_templates/', { name: 'Tick', organization });
    const first = Math.ceil(Date.now() / 1000) + LEAD_SECONDS;
    const occurrences = new Map<number, number>();
    for (let fire = 0; fire < FIRES; fire++) {
      const at = (first + fire) * 1000;
      const stamp = new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15);
      const schedule = await api.post<Obj>(`/workflow_job_templates/${workflow.id}/schedules/`, {
        name: `Tick ${fire}`,
        rrule: `DTSTART:${stamp}Z RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=1`,
      });
      occurrences.set(schedule.id, at);
    }
    const deadline = (first + FIRES) * 1000 + 30_000;
    let jobs: Obj[] = [];
    while (jobs.length < FIRES && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      jobs = (await api.list<Obj>('/workflow_jobs/')).filter((job) => job.launch_type === 'scheduled');
    }
    if (jobs.length < FIRES) throw new Error(`${jobs.length} of ${FIRES} schedules fired`);
    const drifts = jobs.map(
      (job) => Date.parse(String(job.created)) - occurrences.get(job.schedule as number)!,
    );
    print({ name: 'schedule_fire_drift_ms_max', value: Math.max(...drifts), unit: 'ms' });
    print({ name: 'schedule_fire_drift_ms_p50', value: median(drifts), unit: 'ms' });
  } finally {
    await stop(server);
    rmSync(root, { recursive: true, force: true });
  }
}
