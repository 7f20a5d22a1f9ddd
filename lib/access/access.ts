import type { CatalogStore } from '../catalog/catalog-store';
import type { DefinitionRecord } from '../catalog/definition';
import type { ResourceKind } from '../catalog/kinds';
import type { UserRecord } from './accounts';
import type { RoleGrants } from './role-grants';
import { grantsOn, hasRoles, organizationScope, roleFields, roleId, roleOf, type Action } from './roles';

/**
 * Objects that belong to another and take their access from it (a node from its workflow...):
 * the field that names the container, and the kinds it may be.
 */
export const CONTAINERS: Partial<Record<ResourceKind, { field: string; kinds: readonly ResourceKind[] }>> = {
  workflow_job_template_node: { field: 'workflow_job_template', kinds: ['workflow_job_template'] },
  credential_input_source: { field: 'target_credential', kinds: ['credential'] },
  host: { field: 'inventory', kinds: ['inventory'] },
  group: { field: 'inventory', kinds: ['inventory'] },
  inventory_source: { field: 'inventory', kinds: ['inventory'] },
  schedule: {
    field: 'unified_job_template',
    kinds: ['job_template', 'workflow_job_template', 'project', 'inventory_source'],
  },
};

/** Kinds every user may read (AWX shows them to all): what credentials and templates are made of. */
const READ_BY_ALL: readonly ResourceKind[] = [
  'credential_type',
  'execution_environment',
  'instance_group',
  'label',
];

/** The organization roles that make a user one of its members (AWX's admin role implies member). */
const MEMBERSHIP: readonly string[] = ['member_role', 'admin_role'];

/**
 * What one user may do, from the roles they hold directly and through their teams
 * (docs/api.md "Roles"): a superuser anything; others what an object role, an organization role
 * over the object's kind, or a role on the object it belongs to grants.
 */
export class UserAccess {
  private constructor(
    readonly user: UserRecord,
    private readonly held: ReadonlySet<number>,
    private readonly catalog: CatalogStore,
  ) {}

  static async of(user: UserRecord, grants: RoleGrants, catalog: CatalogStore): Promise<UserAccess> {
    if (user.is_superuser) return new UserAccess(user, new Set(), catalog);
    const all = await grants.all();
    const direct = all.filter((grant) => grant.users.has(user.id)).map((grant) => grant.role);
    // A member (or admin) of a team holds the roles granted to the team.
    const teamIds = new Set(
      (await catalog.list<DefinitionRecord>('team'))
        .filter(
          (team) =>
            direct.includes(roleId('team', team.id, 'member_role')) ||
            direct.includes(roleId('team', team.id, 'admin_role')),
        )
        .map((team) => team.id),
    );
    const throughTeams = all
      .filter((grant) => [...grant.teams].some((team) => teamIds.has(team)))
      .map((grant) => grant.role);
    return new UserAccess(user, new Set([...direct, ...throughTeams]), catalog);
  }

  get isSuperuser(): boolean {
    return this.user.is_superuser;
  }

  /** Whether the user may do `action` on `record` of `kind`. */
  async can(action: Action, kind: ResourceKind, record: DefinitionRecord): Promise<boolean> {
    if (this.user.is_superuser) return true;
    if (action === 'read' && READ_BY_ALL.includes(kind)) return true;
    if (
      hasRoles(kind) &&
      roleFields(kind).some(
        (field) => this.held.has(roleId(kind, record.id, field)) && grantsOn(kind, field).includes(action),
      )
    )
      return true;
    const organization = kind === 'organization' ? undefined : record.organization;
    if (typeof organization === 'number' && this.viaOrganization(action, kind, organization)) return true;
    const parent = CONTAINERS[kind];
    const parentId = parent && record[parent.field];
    if (parent && typeof parentId === 'number') {
      const found = await this.catalog.findAmong<DefinitionRecord>(parent.kinds, parentId);
      // Reading a part needs reading its whole; changing a part is changing its whole.
      if (found) return this.can(action, found.kind, found.record);
    }
    return false;
  }

  /** Whether the user may create an object of `kind` in `organization` (superusers: anywhere). */
  canCreate(kind: ResourceKind, organization: unknown): boolean {
    if (this.user.is_superuser) return true;
    return typeof organization === 'number' && this.viaOrganization('change', kind, organization);
  }

  /**
   * Whether the user may create users in an organization they administer (AWX's
   * UserAccess.can_add): a superuser; an organization admin, of users who are no superusers.
   */
  canCreateUser(superuser: boolean): boolean {
    return this.user.is_superuser || (!superuser && this.organizations(['admin_role']).length > 0);
  }

  /**
   * Whether the user may change or delete `target`, someone else (AWX's UserAccess.can_admin):
   * a superuser may; an organization admin may for a user who is no superuser and is a member of
   * some organization, each of which they administer. A user in no organization is the
   * superusers' alone.
   */
  canAdminUser(target: UserAccess): boolean {
    if (this.user.is_superuser) return true;
    if (target.user.is_superuser) return false;
    const theirs = target.organizations(MEMBERSHIP);
    const mine = new Set(this.organizations(['admin_role']));
    return theirs.length > 0 && theirs.every((organization) => mine.has(organization));
  }

  /** The organizations one of whose `fields` roles the user holds (directly or through a team). */
  private organizations(fields: readonly string[]): number[] {
    return [...this.held]
      .map(roleOf)
      .filter((role) => role?.kind === 'organization' && fields.includes(role.field))
      .map((role) => role!.objectId);
  }

  /** Whether an organization role the user holds covers `action` on objects of `kind`. */
  private viaOrganization(action: Action, kind: ResourceKind, organization: number): boolean {
    return roleFields('organization').some((field) => {
      const scope = organizationScope(field);
      return (
        scope !== undefined &&
        this.held.has(roleId('organization', organization, field)) &&
        (scope.kinds === 'all' || scope.kinds.includes(kind)) &&
        scope.actions.includes(action)
      );
    });
  }
}
