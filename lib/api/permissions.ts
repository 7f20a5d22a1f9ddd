import type { Context } from 'hono';
import { UserAccess } from '../access/access';
import type { UserRecord } from '../access/accounts';
import type { Action } from '../access/roles';
import type { DefinitionRecord } from '../catalog/definition';
import type { ResourceKind } from '../catalog/kinds';
import { ForbiddenError } from '../errors';
import type { WorkflowJobRecord } from '../store/records';
import type { ApiEnv } from './context';

/** AWX's answer to an action the caller's roles do not allow. */
export const FORBIDDEN = 'You do not have permission to perform this action.';

/** Only a superuser may do this (users, tokens of others, settings). */
export function requireSuperuser(user: UserRecord): void {
  if (!user.is_superuser) throw new ForbiddenError(FORBIDDEN);
}

/** What the caller may do, read once per request. */
export function accessOf(c: Context<ApiEnv>): Promise<UserAccess> {
  let access = c.get('access');
  if (!access) {
    const { grants, catalog } = c.get('services');
    access = UserAccess.of(c.get('user'), grants, catalog);
    c.set('access', access);
  }
  return access;
}

/** Refuses (403, AWX's words) unless the caller may do `action` on the record. */
export async function requireAccess(
  c: Context<ApiEnv>,
  action: Action,
  kind: ResourceKind,
  record: DefinitionRecord,
): Promise<void> {
  if (!(await (await accessOf(c)).can(action, kind, record))) throw new ForbiddenError(FORBIDDEN);
}

/** Refuses unless the caller may change or delete `target`, another user (AWX's can_admin). */
export async function requireUserAdmin(c: Context<ApiEnv>, target: UserRecord): Promise<void> {
  const { grants, catalog } = c.get('services');
  const theirs = await UserAccess.of(target, grants, catalog);
  if (!(await accessOf(c)).canAdminUser(theirs)) throw new ForbiddenError(FORBIDDEN);
}

/** Refuses unless the caller may create a user, a superuser or not (AWX's UserAccess.can_add). */
export async function requireUserCreate(c: Context<ApiEnv>, superuser: boolean): Promise<void> {
  if (!(await accessOf(c)).canCreateUser(superuser)) throw new ForbiddenError(FORBIDDEN);
}

/** Refuses unless the caller may create an object of `kind` in `organization`. */
export async function requireCreate(
  c: Context<ApiEnv>,
  kind: ResourceKind,
  organization: unknown,
): Promise<void> {
  if (!(await accessOf(c)).canCreate(kind, organization)) throw new ForbiddenError(FORBIDDEN);
}

/**
 * Whether the caller may `action` a workflow job: what the roles allow on its template (a nested
 * job's own template, found by name; a standalone job's job template, project or inventory
 * source), and reading the jobs one launched oneself.
 */
export async function mayOnJob(c: Context<ApiEnv>, action: Action, job: WorkflowJobRecord): Promise<boolean> {
  const access = await accessOf(c);
  if (access.isSuperuser || (action === 'read' && job.launched_by?.id === access.user.id)) return true;
  const { catalog } = c.get('services');
  if (job.standalone) {
    // A standalone job: its job template's roles (execute), or its project's or source's (update).
    const found = await catalog.findAmong<DefinitionRecord>(
      ['job_template', 'project', 'inventory_source'],
      job.standalone.unified_job_template,
    );
    const act = action === 'execute' && found?.kind !== 'job_template' ? 'update' : action;
    return found !== undefined && access.can(act, found.kind, found.record);
  }
  const template =
    job.workflow_job_template !== null
      ? await catalog.find<DefinitionRecord>('workflow_job_template', job.workflow_job_template)
      : (await catalog.list<DefinitionRecord>('workflow_job_template')).find(
          (record) => record.name === job.name,
        );
  return template !== undefined && access.can(action, 'workflow_job_template', template);
}

export async function requireOnJob(
  c: Context<ApiEnv>,
  action: Action,
  job: WorkflowJobRecord,
): Promise<void> {
  if (!(await mayOnJob(c, action, job))) throw new ForbiddenError(FORBIDDEN);
}
