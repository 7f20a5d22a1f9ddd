import type { ResourceKind } from '../catalog/kinds';

/**
 * AWX's object roles (docs/api.md "Roles"): which roles each kind of object has, and what each
 * grants. A role's id is computed from its object and field, so every object has its roles from
 * the moment it exists without a write; only grants are stored (lib/access/role-grants.ts).
 */
export type Action = 'read' | 'change' | 'execute' | 'approve' | 'use' | 'update';

/** Per kind, its role fields in AWX's order, with the actions each grants on the object itself. */
const OBJECT_ROLES = {
  organization: {
    admin_role: ['read', 'change', 'execute', 'approve', 'use', 'update'],
    execute_role: ['read'],
    project_admin_role: ['read'],
    inventory_admin_role: ['read'],
    credential_admin_role: ['read'],
    workflow_admin_role: ['read'],
    notification_admin_role: ['read'],
    job_template_admin_role: ['read'],
    execution_environment_admin_role: ['read'],
    auditor_role: ['read'],
    member_role: ['read'],
    read_role: ['read'],
    approval_role: ['read'],
  },
  team: { admin_role: ['read', 'change'], member_role: ['read'], read_role: ['read'] },
  project: {
    admin_role: ['read', 'change', 'use', 'update'],
    use_role: ['read', 'use'],
    update_role: ['read', 'update'],
    read_role: ['read'],
  },
  inventory: {
    admin_role: ['read', 'change', 'use', 'update'],
    update_role: ['read', 'update'],
    adhoc_role: ['read', 'use'],
    use_role: ['read', 'use'],
    read_role: ['read'],
  },
  credential: { admin_role: ['read', 'change', 'use'], use_role: ['read', 'use'], read_role: ['read'] },
  job_template: {
    admin_role: ['read', 'change', 'execute'],
    execute_role: ['read', 'execute'],
    read_role: ['read'],
  },
  workflow_job_template: {
    admin_role: ['read', 'change', 'execute', 'approve'],
    execute_role: ['read', 'execute'],
    read_role: ['read'],
    approval_role: ['read', 'approve'],
  },
  instance_group: { admin_role: ['read', 'change', 'use'], use_role: ['read', 'use'], read_role: ['read'] },
} as const satisfies Partial<Record<ResourceKind, Record<string, readonly Action[]>>>;

export type RoleKind = keyof typeof OBJECT_ROLES;

/**
 * What an organization role grants on the objects of the organization: the kinds it covers and
 * the actions (AWX's organization-level roles).
 */
const ORGANIZATION_SCOPES: Readonly<
  Record<string, { kinds: readonly ResourceKind[] | 'all'; actions: readonly Action[] }>
> = {
  admin_role: { kinds: 'all', actions: ['read', 'change', 'execute', 'approve', 'use', 'update'] },
  auditor_role: { kinds: 'all', actions: ['read'] },
  project_admin_role: { kinds: ['project'], actions: ['read', 'change', 'use', 'update'] },
  inventory_admin_role: {
    kinds: ['inventory', 'host', 'group', 'inventory_source'],
    actions: ['read', 'change', 'use', 'update'],
  },
  credential_admin_role: { kinds: ['credential'], actions: ['read', 'change', 'use'] },
  workflow_admin_role: {
    kinds: ['workflow_job_template', 'workflow_job_template_node'],
    actions: ['read', 'change', 'execute', 'approve'],
  },
  job_template_admin_role: { kinds: ['job_template'], actions: ['read', 'change', 'execute'] },
  notification_admin_role: { kinds: ['notification_template'], actions: ['read', 'change'] },
  execution_environment_admin_role: { kinds: ['execution_environment'], actions: ['read', 'change', 'use'] },
  execute_role: { kinds: ['job_template', 'workflow_job_template'], actions: ['read', 'execute'] },
  approval_role: { kinds: ['workflow_job_template'], actions: ['read', 'approve'] },
};

const KINDS = Object.keys(OBJECT_ROLES) as RoleKind[];
/** Role ids leave room for this many role fields per object. */
const SLOTS = 16;

export function hasRoles(kind: ResourceKind): kind is RoleKind {
  return kind in OBJECT_ROLES;
}

export function roleFields(kind: RoleKind): string[] {
  return Object.keys(OBJECT_ROLES[kind]);
}

export function grantsOn(kind: RoleKind, field: string): readonly Action[] {
  return (OBJECT_ROLES[kind] as Record<string, readonly Action[]>)[field] ?? [];
}

export function organizationScope(field: string) {
  return ORGANIZATION_SCOPES[field];
}

/** The id of an object's role: unique, stable, and computable without the store. */
export function roleId(kind: RoleKind, objectId: number, field: string): number {
  return (objectId * KINDS.length + KINDS.indexOf(kind)) * SLOTS + roleFields(kind).indexOf(field) + 1;
}

/** The object and field of a role id, or undefined when no role has it. */
export function roleOf(id: number): { kind: RoleKind; objectId: number; field: string } | undefined {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const slot = (id - 1) % SLOTS;
  const rest = Math.floor((id - 1) / SLOTS);
  const kind = KINDS[rest % KINDS.length];
  const objectId = Math.floor(rest / KINDS.length);
  const field = roleFields(kind)[slot];
  return field && objectId > 0 ? { kind, objectId, field } : undefined;
}

/** AWX's words for a role: its name and description, as role lists show them. */
export function roleName(field: string): string {
  return field
    .replace(/_role$/, '')
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}
