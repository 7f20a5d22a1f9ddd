import type { UnifiedJobTemplateType, Vars, WorkflowPrompts } from '../model/types';

/**
 * What the store keeps about runs. Variables and artifacts are kept as the job received or
 * produced them, except secrets: masked keys are replaced before anything is stored.
 *
 * Ids are AWX's: workflow jobs and the jobs of their nodes (playbook jobs, project and inventory
 * updates, approvals, nested workflow jobs) share one integer id space, the `unified_job`
 * sequence; workflow job nodes have their own (docs/semantics.md §7).
 */
export type WorkflowJobStatus = 'pending' | 'running' | 'successful' | 'failed' | 'error' | 'canceled';
/** A node job is `pending` from its spawn until it starts (an approval stays pending until answered). */
export type NodeJobStatus = 'pending' | 'running' | 'successful' | 'failed' | 'error' | 'canceled';

/** How a workflow job came to be, with AWX's names. */
export type LaunchType =
  'manual' | 'relaunch' | 'callback' | 'scheduled' | 'dependency' | 'workflow' | 'webhook';

/** The user who launched a job (or decided an approval); null when no user did. */
export interface Actor {
  readonly id: number;
  readonly username: string;
}

/** A schedule as the jobs it launches name it. */
export interface ScheduleRef {
  readonly id: number;
  readonly name: string;
}

export interface WorkflowJobRecord {
  readonly id: number;
  /** The workflow job template's name, which names the job too (as in AWX). */
  readonly name: string;
  /** The template's catalog id when the launcher knew it (the API); null for file bundles and nested jobs. */
  readonly workflow_job_template: number | null;
  readonly status: WorkflowJobStatus;
  readonly launch_type: LaunchType;
  readonly launched_by: Actor | null;
  /** The schedule that launched it (AWX's `schedule`; docs/schedules.md, Firing). */
  readonly schedule?: ScheduleRef;
  /** The workflow job's extra vars (docs/semantics.md §4.1), survey passwords shown as `$encrypted$`. */
  readonly extra_vars: Vars;
  /**
   * The survey password answers behind the `$encrypted$` of `extra_vars`. The store seals them:
   * they are never written in clear, and only the runner reads them back.
   */
  readonly secret_vars?: Vars;
  readonly prompts?: WorkflowPrompts;
  /** Labels given at launch; they stay on the workflow job (docs/semantics.md §4.2). */
  readonly labels?: readonly { readonly id: number; readonly name: string }[];
  /** Copied from the template at launch: whether another job of it may run at the same time. */
  readonly allow_simultaneous: boolean;
  /** The folder relative project paths of the saved definitions are relative to. */
  readonly base_dir: string;
  /** For nested workflow jobs: the outer workflow job and node. */
  readonly parent?: { readonly workflowJob: number; readonly node: string };
  /**
   * For a launch of a job template, project update or inventory update on its own (not as a
   * workflow's node): this workflow job only carries its one node and is never shown; the node's
   * job takes the id reserved here at launch, the id the client was answered
   * (docs/architecture.md, standalone jobs).
   */
  readonly standalone?: StandaloneLaunch;
  /** For a resume (docs/semantics.md §13.11): the workflow job it continues, and the nodes it keeps. */
  readonly resumes?: ResumedJob;
  /** The workflow job that resumes this one: a job is resumed once, by the first resume asked. */
  readonly resumed_by?: number;
  readonly created: string;
  /** Set when it turns `running`. */
  readonly started?: string;
  /** Set when it reaches a final status. */
  readonly finished?: string;
  /** When a cancel was asked for. */
  readonly canceled_on?: string;
  readonly job_explanation?: string;
}

export interface ResumedJob {
  readonly workflowJob: number;
  /** Identifiers of the nodes whose success is kept: reached, each succeeds with its earlier job. */
  readonly kept: readonly string[];
}

export interface StandaloneLaunch {
  /** The id of the one node's job. */
  readonly job: number;
  /** The catalog id of the job template, project or inventory source launched. */
  readonly unified_job_template: number;
}

/**
 * One node of a workflow job (AWX's workflow job node), created with the job for every node of
 * its template. Edges name nodes by identifier.
 */
export interface WorkflowJobNodeRecord {
  readonly id: number;
  readonly workflowJob: number;
  readonly identifier: string;
  /** What the node runs; null for a node whose template is missing. */
  readonly unified_job_template: { readonly type: UnifiedJobTemplateType; readonly name: string } | null;
  /** The id of the node's job, once spawned. */
  readonly job: number | null;
  /** Set when the workflow job ends, on the nodes that never ran (docs/semantics.md §1.6). */
  readonly do_not_run: boolean;
  readonly success_nodes: readonly string[];
  readonly failure_nodes: readonly string[];
  readonly always_nodes: readonly string[];
  readonly all_parents_must_converge: boolean;
  readonly created: string;
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
  /**
   * The job's id; for a nested workflow node, the id of the inner workflow job. Null only for a
   * node without a template, which fails when reached without any job (docs/semantics.md §1.2).
   */
  readonly id: number | null;
  readonly workflowJob: number;
  readonly node: string;
  readonly kind: UnifiedJobTemplateType | 'missing';
  readonly template: string | null;
  readonly status: NodeJobStatus;
  /** When the job was spawned. */
  readonly created?: string;
  readonly started?: string;
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
  /**
   * The job of a standalone launch (a job template launched on its own, a project or inventory
   * update): the workflow job it belongs to only carries it, and is shown nowhere.
   */
  readonly standalone?: true;
  /** What an inventory sync node produced (an inventory document), for the jobs after it. */
  readonly inventory?: Readonly<Record<string, unknown>>;
  /**
   * A resume kept this node: the record is the job it had in that workflow job (where the job
   * itself belongs and is listed), with the artifacts it inherits in this one.
   */
  readonly kept_from?: number;
  /** Which run of the node this job is, when the node retried (docs/semantics.md §13.12); absent: 1. */
  readonly attempt?: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'timed_out' | 'canceled';

/**
 * A waiting approval (AWX's workflow approval): the job of an approval node, sharing its id, with
 * the template's name, description and timeout copied when the node is reached (docs/semantics.md §3).
 */
export interface ApprovalRecord {
  readonly id: number;
  readonly workflowJob: number;
  readonly node: string;
  readonly name: string;
  readonly description: string;
  /** Seconds; 0 never expires. */
  readonly timeout: number;
  readonly created: string;
  /** created + timeout; null when it never expires. */
  readonly expires: string | null;
  readonly status: ApprovalStatus;
  /** Who approved or denied it (null: nobody yet, or not a user: the terminal, a flag, a link). */
  readonly decided_by: Actor | null;
  /** How a decision nobody signed in to make came: through its signed link (docs/approvals.md). */
  readonly decided_via?: ApprovalChannel;
  readonly decided?: string;
  /**
   * The token that resumes the waiting execution (Step Functions' task token; locally the
   * engine's). Kept here only to answer the waiter: never serialized, logged or recorded.
   */
  readonly task_token?: string;
}

/** Ways to decide an approval besides an API call by a user. */
export type ApprovalChannel = 'link';

/** What deciding an approval writes on its record. */
export interface ApprovalDecision {
  readonly status: Exclude<ApprovalStatus, 'pending'>;
  readonly by: Actor | null;
  readonly via?: ApprovalChannel;
  readonly at: string;
}

/** AWX's names of the job types a node runs, which the API lists them under. */
export type NodeJobType = 'job' | 'project_update' | 'inventory_update';

const NODE_JOB_TYPES: Partial<Record<NodeJobRecord['kind'], NodeJobType>> = {
  job_template: 'job',
  project: 'project_update',
  inventory_source: 'inventory_update',
};

/**
 * The job type of a node job record; undefined for approval and nested workflow nodes, whose
 * jobs are listed as approvals and workflow jobs, and for nodes without a template.
 */
export function nodeJobType(kind: NodeJobRecord['kind']): NodeJobType | undefined {
  return NODE_JOB_TYPES[kind];
}
