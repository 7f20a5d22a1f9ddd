import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The AWX guide's Full Deployment Pipeline (examples/guide), reduced to what the integ test posts
 * through the API: its job templates, its inventory's hosts, its nodes and edges. Credentials and
 * notification templates are left out: the playbooks run on localhost and the test must not page
 * anyone. Read at synth time and handed to the integ driver as JSON.
 */
export interface GuidePipeline {
  readonly name: string;
  readonly survey: unknown;
  readonly inventory: { readonly name: string; readonly hosts: Record<string, Record<string, unknown>> };
  readonly jobTemplates: readonly GuideJobTemplate[];
  readonly nodes: readonly GuideNode[];
}

export interface GuideJobTemplate {
  readonly name: string;
  readonly playbook: string;
  readonly extra_vars?: Record<string, unknown>;
  readonly ask_variables_on_launch?: boolean;
  readonly job_tags?: string;
}

export interface GuideNode {
  readonly identifier: string;
  readonly unified_job_template: string;
  readonly success_nodes?: readonly string[];
  readonly failure_nodes?: readonly string[];
  readonly always_nodes?: readonly string[];
}

export const PIPELINE_NAME = 'Full Deployment Pipeline';
const GUIDE = join(__dirname, '..', '..', 'examples', 'guide');

export function guidePipeline(): GuidePipeline {
  const read = (file: string) => parse(readFileSync(join(GUIDE, file), 'utf8'));
  const workflow = (read('workflows.yml').workflow_job_templates as Record<string, unknown>[]).find(
    (candidate) => candidate.name === PIPELINE_NAME,
  );
  if (!workflow) throw new Error(`examples/guide has no workflow ${PIPELINE_NAME}`);
  const nodes = workflow.workflow_nodes as GuideNode[];
  const used = new Set(nodes.map((node) => node.unified_job_template));
  const jobTemplates = (
    read('job-templates.yml').job_templates as (GuideJobTemplate & Record<string, unknown>)[]
  )
    .filter((template) => used.has(template.name))
    .map(({ name, playbook, extra_vars, ask_variables_on_launch, job_tags }) => ({
      name,
      playbook,
      extra_vars,
      ask_variables_on_launch,
      job_tags,
    }));
  const inventory = (read('resources.yml').inventories as Record<string, unknown>[])[0];
  return {
    name: PIPELINE_NAME,
    survey: (workflow as { survey_spec?: unknown }).survey_spec,
    inventory: {
      name: inventory.name as string,
      hosts: inventory.hosts as Record<string, Record<string, unknown>>,
    },
    jobTemplates,
    nodes,
  };
}
