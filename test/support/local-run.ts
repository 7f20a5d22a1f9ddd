import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedApproval } from '../../lib/local/approvals';
import { prepareDataFolder } from '../../lib/local/data-folder';
import { openLocalStore } from '../../lib/local/local-store';
import { RunRecorder, type RunReport } from '../../lib/local/run-report';
import { runWorkflowLocally } from '../../lib/local/run-locally';
import { workflowCompiler } from '../../lib/local/workflow-compiler';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import type { Vars } from '../../lib/model/types';
import { FileSecretProvider } from '../../lib/runner/secrets';
import type { NodeJobRecord, WorkflowJobRecord } from '../../lib/store/records';

export interface LocalRunOutcome {
  readonly report: RunReport;
  readonly records: ReadonlyMap<string, NodeJobRecord>;
  readonly workflowJob: WorkflowJobRecord;
  /** Every job event, history event and store item, serialised: for secret scans. */
  readonly everything: string;
  readonly events: readonly Record<string, unknown>[];
  readonly dataDir: string;
}

/** Runs a bundle's workflow for real (ansible-runner, in-memory dynalite) and collects everything it wrote. */
export async function runLocally(
  bundleYaml: string,
  workflowName: string,
  options: {
    launchVars?: Vars;
    secrets?: Record<string, string>;
    approve?: boolean;
    signal?: AbortSignal;
  } = {},
): Promise<LocalRunOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'towerless-run-'));
  writeFileSync(join(dir, 'bundle.yml'), bundleYaml);
  const secretsFile = join(dir, 'secrets.yml');
  writeFileSync(secretsFile, JSON.stringify(options.secrets ?? {}));
  chmodSync(secretsFile, 0o600);
  const loaded = loadBundle(join(dir, 'bundle.yml'));
  if (loaded.diagnostics.hasErrors)
    throw new Error(loaded.diagnostics.errors.map(formatDiagnostic).join('\n'));
  const local = await openLocalStore(undefined);
  const events: Record<string, unknown>[] = [];
  const history: unknown[] = [];
  const recorder = new RunRecorder();
  try {
    const workflowJob = await runWorkflowLocally(
      {
        store: local.store,
        secrets: new FileSecretProvider(secretsFile),
        data: prepareDataFolder(join(dir, 'data')),
        approvals: fixedApproval(options.approve === false ? 'denied' : 'approved'),
        observer: {
          executionStarted: (e) => recorder.executionStarted(e),
          nodeStarted: (e) => recorder.nodeStarted(e),
          nodeFinished: (e) => recorder.nodeFinished(e),
          history: (e) => history.push(e),
        },
        onEvent: (event) => events.push(event),
      },
      {
        bundle: loaded.bundle,
        baseDir: dir,
        workflow: workflowName,
        body: { extra_vars: options.launchVars ?? {} },
      },
      options.signal,
    );
    await new Promise((resolve) => setImmediate(resolve));
    const compile = workflowCompiler(loaded.bundle);
    const records = await local.store.nodeJobs(workflowJob.id);
    const status = workflowJob.status as RunReport['status'];
    return {
      report: recorder.report(workflowJob.id, status, compile(workflowName), compile),
      records: new Map(records.map((r) => [r.node, r])),
      workflowJob,
      everything: JSON.stringify({ events, history, records, workflowJob }),
      events,
      dataDir: join(dir, 'data'),
    };
  } finally {
    await local.close();
  }
}
