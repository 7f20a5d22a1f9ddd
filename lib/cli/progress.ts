import type { EngineObserver, NodeEvent } from '../local/engine';
import { pathId, type ReportedNode, type RunReport } from '../local/run-report';
import type { JobStore } from '../store/job-store';
import type { NodeJobRecord } from '../store/records';

/** A node of `run`'s report: the report's fields plus what its job record says. */
export interface RunNodeDetails extends ReportedNode {
  readonly elapsed?: number;
  readonly rc?: number;
  /** Hosts the job changed. */
  readonly changed?: readonly string[];
}

/** Live progress of `towerless run`: a line when each node starts and ends. */
export class RunProgress implements EngineObserver {
  private readonly jobs = new Map<string, number>(); // node path → its workflow job
  /** Lines print in event order, although a finished line waits for its job record. */
  private printed: Promise<void> = Promise.resolve();

  constructor(
    private readonly print: (line: string) => void,
    private readonly store: JobStore,
  ) {}

  nodeStarted(event: NodeEvent): void {
    this.jobs.set(pathId(event), event.workflowJob);
    if (event.kind !== 'workflow')
      this.line(async () => `  ▶ ${pathId(event)}  (${event.kind.replace('_', ' ')})`);
  }

  nodeKept(event: NodeEvent): void {
    this.jobs.set(pathId(event), event.workflowJob);
    this.line(async () => {
      const record = await this.store.getNodeJob(event.workflowJob, event.node);
      return `  = ${pathId(event)}  kept: job ${record?.id} of workflow job ${record?.kept_from}`;
    });
  }

  nodeFinished(
    event: NodeEvent & { readonly status: 'successful' | 'failed'; readonly explanation?: string },
  ): void {
    this.line(async () => {
      const record = await this.store.getNodeJob(event.workflowJob, event.node);
      const mark = event.status === 'successful' ? '✔' : '✖';
      const time = record?.elapsed !== undefined ? `  ${record.elapsed.toFixed(1)}s` : '';
      const changed = changedHosts(record);
      const note = event.explanation ? `  ${event.explanation}` : '';
      return `  ${mark} ${pathId(event)}  ${record?.status ?? event.status}${time}${changed.length ? `  changed: ${changed.join(', ')}` : ''}${note}`;
    });
  }

  /** Waits until every line so far is printed. */
  flushed(): Promise<void> {
    return this.printed;
  }

  /** The report's nodes with their job records' timing, rc and changed hosts. */
  async details(report: RunReport): Promise<RunNodeDetails[]> {
    return Promise.all(
      report.nodes.map(async (node) => {
        const job = this.jobs.get(node.id);
        const record = job ? await this.store.getNodeJob(job, node.id.split('/').pop()!) : undefined;
        if (!record) return node;
        return {
          ...node,
          elapsed: record.elapsed,
          ...(record.rc !== undefined ? { rc: record.rc } : {}),
          changed: changedHosts(record),
        };
      }),
    );
  }

  private line(text: () => Promise<string>): void {
    // A line whose record cannot be read is skipped, never an unhandled rejection.
    const next = text().catch(() => undefined);
    this.printed = this.printed
      .then(() => next)
      .then((line) => {
        if (line !== undefined) this.print(line);
      });
  }
}

function changedHosts(record: NodeJobRecord | undefined): string[] {
  return Object.entries(record?.host_summary ?? {})
    .filter(([, summary]) => summary.changed > 0)
    .map(([host]) => host);
}
