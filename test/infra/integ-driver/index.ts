import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GuidePipeline } from '../guide-pipeline';

/**
 * The integ test's driver (test/infra/integ.towerless.ts), a Lambda in the test's own stack: it
 * posts the AWX guide's Full Deployment Pipeline through the deployed API as an AWX client would,
 * launches it, and reports the workflow job's status. The assertions call it rather than the API
 * because CloudFormation caps a custom resource's answer at 4 KB, and AWX objects are larger.
 * Environment: TOWERLESS_API_URL, TOWERLESS_ADMIN_TOKEN_SECRET, TOWERLESS_PIPELINE (JSON of
 * GuidePipeline), TOWERLESS_PROJECT_URL, TOWERLESS_PROJECT_BRANCH, TOWERLESS_PLAYBOOK_DIR.
 */
export type DriverEvent =
  { readonly action: 'launch' } | { readonly action: 'status'; readonly workflowJob: number };

export async function handler(event: DriverEvent): Promise<{ workflowJob: number } | { status: string }> {
  const api = await client();
  if (event.action === 'status') {
    const job = await api('GET', `/api/v2/workflow_jobs/${event.workflowJob}/`);
    return { status: job.status as string };
  }
  return { workflowJob: await postPipeline(api) };
}

type Api = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

async function postPipeline(api: Api): Promise<number> {
  const env = process.env;
  const pipeline = JSON.parse(env.TOWERLESS_PIPELINE!) as GuidePipeline;
  const id = (object: Record<string, unknown>) => object.id as number;
  const organizations = await api('GET', '/api/v2/organizations/?name=Default');
  const organization = id((organizations.results as Record<string, unknown>[])[0]);
  const project = id(
    await api('POST', '/api/v2/projects/', {
      name: 'Infrastructure Automation',
      organization,
      scm_type: 'git',
      scm_url: env.TOWERLESS_PROJECT_URL,
      scm_branch: env.TOWERLESS_PROJECT_BRANCH ?? '',
    }),
  );
  const inventory = id(
    await api('POST', '/api/v2/inventories/', { name: pipeline.inventory.name, organization }),
  );
  for (const [name, variables] of Object.entries(pipeline.inventory.hosts))
    await api('POST', '/api/v2/hosts/', { name, inventory, variables: JSON.stringify(variables) });
  const templates = new Map<string, number>();
  for (const template of pipeline.jobTemplates) {
    const created = await api('POST', '/api/v2/job_templates/', {
      ...template,
      playbook: `${env.TOWERLESS_PLAYBOOK_DIR ?? ''}${template.playbook}`,
      extra_vars: JSON.stringify(template.extra_vars ?? {}),
      job_tags: template.job_tags ?? '',
      project,
      inventory,
    });
    templates.set(template.name, id(created));
  }
  const workflow = id(
    await api('POST', '/api/v2/workflow_job_templates/', {
      name: pipeline.name,
      organization,
      survey_enabled: Boolean(pipeline.survey),
      ask_variables_on_launch: true,
    }),
  );
  if (pipeline.survey)
    await api('POST', `/api/v2/workflow_job_templates/${workflow}/survey_spec/`, pipeline.survey);
  const nodes = new Map<string, number>();
  for (const node of pipeline.nodes) {
    const created = await api('POST', `/api/v2/workflow_job_templates/${workflow}/workflow_nodes/`, {
      identifier: node.identifier,
      unified_job_template: templates.get(node.unified_job_template),
    });
    nodes.set(node.identifier, id(created));
  }
  for (const node of pipeline.nodes)
    for (const edge of ['success_nodes', 'failure_nodes', 'always_nodes'] as const)
      for (const child of node[edge] ?? [])
        await api('POST', `/api/v2/workflow_job_template_nodes/${nodes.get(node.identifier)}/${edge}/`, {
          id: nodes.get(child),
        });
  const launched = await api('POST', `/api/v2/workflow_job_templates/${workflow}/launch/`, {});
  return launched.workflow_job as number;
}

async function client(): Promise<Api> {
  const secrets = new SecretsManagerClient({});
  const { SecretString: token } = await secrets.send(
    new GetSecretValueCommand({ SecretId: process.env.TOWERLESS_ADMIN_TOKEN_SECRET }),
  );
  const base = process.env.TOWERLESS_API_URL!.replace(/\/$/, '');
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}
