import type { Vars, WorkflowPrompts } from '../model/types';

/**
 * What the store keeps about runs. Variables and artifacts are kept as the job received or
 * produced them, except secrets: masked keys are replaced before anything is stored.
 */
export type WorkflowJobStatus = 'pending' | 'running' | 'successful' | 'failed' | 'error' | 'canceled';
export type NodeJobStatus = 'running' | 'successful' | 'failed' | 'error' | 'canceled';

export interface WorkflowJobRecord {
  readonly id: string;
  readonly workflow: string;
  readonly status: WorkflowJobStatus;
  /** The workflow job's extra vars (docs/semantics.md §4.1), survey passwords shown as `$encrypted$`. */
  readonly extra_vars: Vars;
  /**
   * The survey password answers behind the `$encrypted$` of `extra_vars`. The store seals them:
   * they are never written in clear, and only the runner reads them back.
   */
  readonly secret_vars?: Vars;
  readonly prompts?: WorkflowPrompts;
  /** For nested workflow jobs: the outer workflow job and node. */
  readonly parent?: { readonly workflowJob: string; readonly node: string };
  readonly started: string;
  readonly finished?: string;
  readonly job_explanation?: string;
}

export interface HostSummary {
  readonly ok: number;
  readonly changed: number;
  readonly failures: number;
  readonly unreachable: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

export interface NodeJobRecord {
  readonly workflowJob: string;
  readonly node: string;
  readonly kind: string;
  readonly template: string | null;
  readonly status: NodeJobStatus;
  readonly started: string;
  readonly finished?: string;
  readonly elapsed?: number;
  readonly rc?: number;
  /** The job's own `set_stats` artifacts. */
  readonly artifacts: Vars;
  /** Artifacts inherited from ancestors (docs/semantics.md §4.3), passed on to descendants. */
  readonly ancestor_artifacts: Vars;
  readonly host_summary?: Readonly<Record<string, HostSummary>>;
  /** The project commit the job ran. */
  readonly scm_revision?: string;
  readonly job_explanation?: string;
  readonly stdout?: string;
  /** What an inventory sync node produced (an inventory document), for the jobs after it. */
  readonly inventory?: Readonly<Record<string, unknown>>;
}
