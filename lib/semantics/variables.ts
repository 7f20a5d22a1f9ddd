import { acceptVariables } from '../model/prompts';
import { surveyDefaults } from '../model/survey-answers';
import type { JobTemplate, Vars, WorkflowJobTemplate } from '../model/types';
import type { WorkflowGraph } from './graph';

/**
 * Variables and artifacts as AWX computes them (docs/semantics.md §4): what each node's job receives,
 * and how `set_stats` artifacts flow and merge.
 */

export const NO_LOG_KEY = '_ansible_no_log';
/** What AWX shows in place of a secret value. */
export const ENCRYPTED = '$encrypted$';

type Surveyed = Pick<JobTemplate | WorkflowJobTemplate, 'extra_vars' | 'survey_enabled' | 'survey_spec'>;

/** Template vars, then the valid survey defaults when the survey is enabled. */
function templateVars(template: Surveyed): Vars {
  const defaults =
    template.survey_enabled && template.survey_spec ? surveyDefaults(template.survey_spec) : {};
  return { ...template.extra_vars, ...defaults };
}

/**
 * Variables answered by the password questions of an enabled survey: AWX keeps them encrypted,
 * shows `$encrypted$`, and scrubs them from output like credential secrets.
 */
export function passwordVariables(template: Surveyed): string[] {
  if (!template.survey_enabled || !template.survey_spec) return [];
  return template.survey_spec.spec.filter((q) => q.type === 'password').map((q) => q.variable);
}

/** Splits vars into what a record may show (secret keys as `$encrypted$`) and the secret values. */
export function separateSecrets(vars: Vars, secretKeys: Iterable<string>): { shown: Vars; secret: Vars } {
  const shown = { ...vars };
  const secret: Vars = {};
  for (const key of secretKeys) {
    if (!(key in vars)) continue;
    secret[key] = vars[key];
    shown[key] = ENCRYPTED;
  }
  return { shown, secret };
}

/** §4.1: a workflow job's own extra vars, from already-accepted launch vars (or schedule extra_data). */
export function workflowJobVars(workflow: WorkflowJobTemplate, acceptedLaunchVars: Vars): Vars {
  return { ...templateVars(workflow), ...acceptedLaunchVars };
}

export interface JobVarsInput {
  readonly template: JobTemplate;
  /** The node's saved `extra_data`. */
  readonly nodeExtraData: Vars;
  readonly ancestorArtifacts: Vars;
  /** The workflow job's extra vars (§4.1). */
  readonly workflowVars: Vars;
}

export interface JobVars {
  readonly vars: Vars;
  /** Keys whose values must be masked wherever shown (artifacts under `_ansible_no_log`). */
  readonly maskedKeys: readonly string[];
}

/**
 * §4.2 for a job template node, lowest to highest: template vars < survey defaults < accepted node
 * extra_data < ancestor artifacts < workflow job vars. (Meta vars are added by the runner, last.)
 */
export function jobNodeVars(input: JobVarsInput): JobVars {
  const accepted = acceptVariables(input.template, input.nodeExtraData).accepted;
  const { vars: artifacts, maskedKeys } = unmaskArtifacts(input.ancestorArtifacts);
  return {
    vars: { ...templateVars(input.template), ...accepted, ...artifacts, ...input.workflowVars },
    maskedKeys,
  };
}

/**
 * §4.2 for a nested workflow node: node extra_data overlaid with the outer workflow vars, filtered
 * by what the inner workflow accepts, then the artifacts on top, unfiltered. The result is the
 * inner workflow job's launch vars.
 */
export function nestedWorkflowLaunchVars(
  inner: WorkflowJobTemplate,
  nodeExtraData: Vars,
  outerVars: Vars,
  ancestorArtifacts: Vars,
): JobVars {
  const accepted = acceptVariables(inner, { ...nodeExtraData, ...outerVars }).accepted;
  const { vars: artifacts, maskedKeys } = unmaskArtifacts(ancestorArtifacts);
  return { vars: { ...accepted, ...artifacts }, maskedKeys };
}

/** §4.3 `_ansible_no_log`: the key itself is dropped and every other artifact becomes masked. */
function unmaskArtifacts(artifacts: Vars): { vars: Vars; maskedKeys: string[] } {
  if (!(NO_LOG_KEY in artifacts)) return { vars: artifacts, maskedKeys: [] };
  const { [NO_LOG_KEY]: _dropped, ...vars } = artifacts;
  return { vars, maskedKeys: Object.keys(vars) };
}

/** What the evaluator knows about parents when a node is spawned. */
export interface ArtifactSources {
  /** The parent's job's own artifacts (set_stats), or the effective artifacts of a nested workflow. */
  readonly ownArtifacts: (id: string) => Vars;
  /** The ancestor artifacts already computed for the parent. */
  readonly ancestorArtifacts: (id: string) => Vars;
  readonly isDnr: (id: string) => boolean;
}

/**
 * §4.3: a node's ancestor artifacts. Every non-DNR parent (whatever the edge, fired or not) in
 * ascending node-id order contributes its own ancestor artifacts, then its job's artifacts; later
 * merges overwrite earlier keys.
 */
export function ancestorArtifacts(graph: WorkflowGraph, id: string, sources: ArtifactSources): Vars {
  const parents = [...new Set(graph.parents(id).map((e) => e.parent))]
    .filter((parent) => !sources.isDnr(parent))
    .sort((a, b) => graph.node(a).index - graph.node(b).index);
  let merged: Vars = {};
  for (const parent of parents)
    merged = { ...merged, ...sources.ancestorArtifacts(parent), ...sources.ownArtifacts(parent) };
  return merged;
}

export interface FinishedJob {
  readonly id: number | string;
  readonly status: string;
  readonly finished: number;
  readonly artifacts: Vars;
}

/**
 * §5 "Artifacts out" of a nested workflow job: the artifacts of its jobs that ended successful or
 * failed (not error/canceled), applied in finished-time order, then id; later wins.
 */
export function nestedEffectiveArtifacts(jobs: readonly FinishedJob[]): Vars {
  return jobs
    .filter((job) => job.status === 'successful' || job.status === 'failed')
    .sort(
      (a, b) =>
        a.finished - b.finished || String(a.id).localeCompare(String(b.id), undefined, { numeric: true }),
    )
    .reduce<Vars>((merged, job) => ({ ...merged, ...job.artifacts }), {});
}
