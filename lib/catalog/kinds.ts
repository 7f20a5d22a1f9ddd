/**
 * The kinds of resource the catalog stores, with what AWX decides per kind: the id space the id
 * comes from, and whether a name is unique per organization or across the server.
 */
export interface KindSpec {
  /** Words for messages (AWX's verbose name). */
  readonly label: string;
  /** Kinds that share a sequence share one id space, as AWX's unified models do. */
  readonly sequence: string;
  readonly namesPerOrganization: boolean;
  /** False for kinds without names (tokens): nothing to keep unique. */
  readonly named: boolean;
  /** AWX's answer to a name taken: the field it names (`__all__` for name and organization) and why. */
  readonly duplicate?: { readonly field: string; readonly message: string };
}

const KINDS = {
  organization: {
    label: 'Organization',
    sequence: 'organization',
    namesPerOrganization: false,
    named: true,
    duplicate: { field: 'name', message: 'Organization with this Name already exists.' },
  },
  user: {
    label: 'User',
    sequence: 'user',
    namesPerOrganization: false,
    named: true,
    duplicate: { field: 'username', message: 'A user with that username already exists.' },
  },
  token: { label: 'Token', sequence: 'token', namesPerOrganization: false, named: false },
} as const satisfies Record<string, KindSpec>;

export type ResourceKind = keyof typeof KINDS;

export function kindOf(kind: ResourceKind): KindSpec {
  return KINDS[kind];
}
