import { roleOf } from '../access/roles';
import type { CatalogRecord, CatalogStore } from '../catalog/catalog-store';
import type { Definition } from '../catalog/definition';
import type { ResourceKind } from '../catalog/kinds';
import { DEFINITIONS } from '../catalog/resources';
import { UNIFIED_JOB_TEMPLATE_KINDS } from '../catalog/resources/common';
import { CREDENTIAL_INPUTS, NOTIFICATION_CONFIGURATION, type SecretField } from '../catalog/secret-fields';
import { isSecretRef } from '../model/resources/credential';

/**
 * What the activity stream records of a change, and how it hides secrets: the one place that
 * decides (docs/api.md "Activity stream"). Everything else only reports which objects a call
 * changed, as they were before and after; this turns that into AWX's entries.
 *
 * - `create` shows the new object's fields, `delete` the deleted one's, `update` `[old, new]` of
 *   the fields that changed; a change to an association list is an `associate` or `disassociate`
 *   entry per object added or taken away (AWX's operations).
 * - The fields shown are the kind's writable fields and `id`, as AWX shows them; anything a
 *   kind keeps beside them (a user's password hash, a workflow job's sealed values, a token's
 *   digest) is never read here.
 * - Secrets are masked before anything is kept: a password as `hidden`, a credential's secret
 *   inputs, a notification's secret configuration, a survey's password defaults and the password
 *   answers a node or schedule gives as `$encrypted$`, a token as `************`; any secret
 *   reference and any value already shown as `$encrypted$` stays `$encrypted$`. Mappings and
 *   lists are shown as JSON text, as AWX does.
 */

/** A record as a change saw it: a catalog record, a workflow job, an approval. */
export type Snapshot = Readonly<Record<string, unknown>>;

/** How one object changed within one API call (undefined: it did not exist). */
export interface ObjectChange {
  /** AWX's type of the object (`job_template`, `o_auth2_access_token`, `workflow_job`...). */
  readonly type: string;
  readonly id: number;
  readonly before?: Snapshot;
  readonly after?: Snapshot;
  /** When the call last changed it. */
  readonly at: string;
  /** Fields holding a kept secret whose value was replaced (the record's reference stays the same). */
  readonly secretsReplaced: ReadonlySet<string>;
}

/** A role granted to (or revoked from) a user or a team within one API call. */
export interface RoleChange {
  readonly role: number;
  readonly holder: { readonly type: 'user' | 'team'; readonly id: number };
  readonly granted: boolean;
  readonly at: string;
}

export type Change = ObjectChange | RoleChange;

export type Operation = 'create' | 'update' | 'delete' | 'associate' | 'disassociate';

/** An object an entry is about, with what AWX's summary shows of it, as it was then. */
export interface EntryObject {
  readonly type: string;
  readonly id: number;
  readonly summary: Readonly<Record<string, unknown>>;
}

/** An entry before it is given an id and an actor. */
export interface EntryDraft {
  readonly timestamp: string;
  readonly operation: Operation;
  readonly object1: string;
  /** The other object's type for associations; empty otherwise. */
  readonly object2: string;
  /** The association list that changed (`credentials`, `success_nodes`...); empty otherwise. */
  readonly object_association: string;
  readonly objects: readonly EntryObject[];
  readonly changes: Readonly<Record<string, unknown>>;
}

/** What AWX shows for a password field, a secret value, and a token. */
const HIDDEN = 'hidden';
const ENCRYPTED = '$encrypted$';
const CENSORED = '************';
/** Keys that name a secret wherever they appear in a mapping no type describes. */
const SECRET_KEY = /(password|passwd|secret|token|api_key|private_key)/i;

/** AWX's type of the objects of a catalog kind. */
export function typeOfKind(kind: ResourceKind): string {
  return kind === 'token' ? 'o_auth2_access_token' : kind;
}

function kindOfType(type: string): ResourceKind {
  return (type === 'o_auth2_access_token' ? 'token' : type) as ResourceKind;
}

/** Reads what masking needs (a credential's type, a node's template), once per call. */
export class AuditLookup {
  private readonly found = new Map<string, Promise<CatalogRecord | undefined>>();

  constructor(
    private readonly catalog: CatalogStore,
    /** The objects of the call being recorded, as they are after it (deleted ones as before). */
    private readonly touched: ReadonlyMap<string, ObjectChange>,
  ) {}

  async record(type: string, id: number): Promise<Snapshot | undefined> {
    const change = this.touched.get(`${type}#${id}`);
    if (change) return change.after ?? change.before;
    const key = `${type}#${id}`;
    let found = this.found.get(key);
    if (!found) this.found.set(key, (found = this.catalog.find(kindOfType(type), id)));
    return (await found) as Snapshot | undefined;
  }

  async amongTemplates(id: number): Promise<Snapshot | undefined> {
    for (const kind of UNIFIED_JOB_TEMPLATE_KINDS) {
      const record = await this.record(kind, id);
      if (record) return record;
    }
    return undefined;
  }
}

type Mask = (field: string, value: unknown, record: Snapshot, lookup: AuditLookup) => Promise<unknown>;

interface TypeRules {
  /** The fields `changes` shows, raw (masking comes after). */
  readonly fields: (record: Snapshot) => Record<string, unknown>;
  readonly summary: (record: Snapshot) => Record<string, unknown>;
  /** Association lists kept on the record: relation → AWX type of what is listed. */
  readonly associations: Readonly<Record<string, string>>;
  /** Masks the secrets a field of this type holds. */
  readonly mask?: Mask;
}

const pick = (record: Snapshot, names: readonly string[]) =>
  Object.fromEntries(names.filter((name) => name in record).map((name) => [name, record[name]]));

/** AWX's default summary of an object: id, name, description. */
const namedSummary = (record: Snapshot) => pick(record, ['id', 'name', 'description']);

const SUMMARY_EXTRAS: Partial<Record<string, (record: Snapshot) => Record<string, unknown>>> = {
  credential: (record) => ({ credential_type_id: record.credential_type }),
  credential_type: (record) => pick(record, ['kind', 'managed']),
  label: (record) => ({ organization_id: record.organization }),
  workflow_approval_template: (record) => pick(record, ['timeout']),
  inventory: (record) => ({ organization_id: record.organization, kind: record.kind }),
};

/** Survey questions asked as passwords in a raw survey spec. */
function passwordQuestions(spec: unknown): Array<Record<string, unknown>> {
  const questions = (spec as { spec?: unknown } | null | undefined)?.spec;
  return Array.isArray(questions)
    ? (questions as Array<Record<string, unknown>>).filter((q) => q?.type === 'password')
    : [];
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** A mapping with the values of `secret` keys (those that hold something) shown as `$encrypted$`. */
function maskKeys(value: unknown, secret: (key: string) => boolean): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, secret(key) && !isEmpty(item) ? ENCRYPTED : item]),
  );
}

/**
 * The keys of a kept-secret field (a credential's inputs, a notification template's configuration)
 * that hold secrets, as the records' store decides them (lib/catalog/secret-fields.ts), and, where
 * `byName`, the keys named like secrets too.
 */
function maskSecretField(secrets: SecretField, byName = false): Mask {
  return async (field, value, record, lookup) => {
    if (field !== secrets.field) return value;
    const secret = await secrets.secretKeys(record, (kind, id) => lookup.record(kind, id));
    return maskKeys(value, (key) => secret(key) || (byName && SECRET_KEY.test(key)));
  };
}

/** The secrets of the catalog's kinds, by kind and field. */
const DEFINITION_MASKS: Partial<Record<string, Mask>> = {
  credential: maskSecretField(CREDENTIAL_INPUTS),
  // Whatever a notification type may hold that the model does not know of is masked by its name.
  notification_template: maskSecretField(NOTIFICATION_CONFIGURATION, true),
  job_template: async (field, value) => (field === 'survey_spec' ? maskSurveyDefaults(value) : value),
  workflow_job_template: async (field, value) =>
    field === 'survey_spec' ? maskSurveyDefaults(value) : value,
  // Answers a node or a schedule gives to its template's password questions.
  workflow_job_template_node: (field, value, record, lookup) => maskAnswers(field, value, record, lookup),
  schedule: (field, value, record, lookup) => maskAnswers(field, value, record, lookup),
};

function maskSurveyDefaults(spec: unknown): unknown {
  const survey = spec as { spec?: unknown } | null | undefined;
  if (!survey || !Array.isArray(survey.spec)) return spec;
  return {
    ...survey,
    spec: (survey.spec as Array<Record<string, unknown>>).map((question) =>
      question?.type === 'password' && !isEmpty(question.default)
        ? { ...question, default: ENCRYPTED }
        : question,
    ),
  };
}

async function maskAnswers(field: string, value: unknown, record: Snapshot, lookup: AuditLookup) {
  if (field !== 'extra_data' || typeof record.unified_job_template !== 'number') return value;
  const template = await lookup.amongTemplates(record.unified_job_template);
  const passwords = new Set(passwordQuestions(template?.survey_spec).map((q) => q.variable));
  return maskKeys(value, (key) => passwords.has(key));
}

/** What a kind keeps beside its field table that AWX shows changing (a template's survey). */
const KEPT_BESIDE: Partial<Record<string, readonly string[]>> = {
  job_template: ['survey_spec'],
  workflow_job_template: ['survey_spec'],
};

function definitionRules(definition: Definition): TypeRules {
  const names = ['id', ...Object.keys(definition.fields), ...(KEPT_BESIDE[definition.type] ?? [])];
  const extras = SUMMARY_EXTRAS[definition.type];
  return {
    fields: (record) => pick(record, names),
    summary:
      definition.kind === 'workflow_job_template_node'
        ? (record) => ({ id: record.id, unified_job_template_id: record.unified_job_template })
        : (record) => ({ ...namedSummary(record), ...extras?.(record) }),
    associations: Object.fromEntries(
      Object.entries(definition.associations ?? {}).map(([relation, kind]) => [relation, typeOfKind(kind)]),
    ),
    mask: DEFINITION_MASKS[definition.type],
  };
}

/** AWX's status of an approval: pending, then successful (approved) or failed. */
const APPROVAL_STATUS: Record<string, string> = {
  pending: 'pending',
  approved: 'successful',
  denied: 'failed',
  timed_out: 'failed',
  canceled: 'canceled',
};

const RULES: Record<string, TypeRules> = {
  ...Object.fromEntries(DEFINITIONS.map((definition) => [definition.type, definitionRules(definition)])),
  user: {
    fields: (record) => ({
      id: record.id,
      username: record.name,
      ...pick(record, ['first_name', 'last_name', 'email', 'is_superuser']),
      // Compared to tell a change, never shown: `password` is always `hidden`.
      ...(record.password_hash ? { password: record.password_hash } : {}),
    }),
    summary: (record) => ({
      id: record.id,
      username: record.name,
      ...pick(record, ['first_name', 'last_name']),
    }),
    associations: {},
  },
  o_auth2_access_token: {
    fields: (record) => ({
      ...pick(record, ['id', 'description', 'scope', 'user', 'expires']),
      application: null,
      token: CENSORED,
    }),
    summary: (record) => ({ id: record.id, user_id: record.user, ...pick(record, ['description', 'scope']) }),
    associations: {},
  },
  workflow_job: {
    // Survey password answers are `$encrypted$` in `extra_vars` already; the sealed values beside
    // them (`secret_vars`) are never read here.
    fields: (record) => {
      const prompts = (record.prompts ?? {}) as Record<string, unknown>;
      return {
        ...pick(record, ['id', 'name', 'workflow_job_template', 'launch_type', 'status']),
        extra_vars: record.extra_vars ?? {},
        ...pick(prompts, ['inventory', 'limit', 'scm_branch', 'job_tags', 'skip_tags']),
        labels: ((record.labels ?? []) as Array<{ name: string }>).map((label) => label.name),
        ...pick(record, ['allow_simultaneous']),
        cancel_flag: record.cancel_flag === true,
      };
    },
    summary: (record) => ({ id: record.id, name: record.name, description: '' }),
    associations: {},
  },
  workflow_approval: {
    fields: (record) => ({
      ...pick(record, ['id', 'name', 'description', 'timeout']),
      status: APPROVAL_STATUS[record.status as string] ?? record.status,
      timed_out: record.status === 'timed_out',
      approved_or_denied_by: (record.decided_by as { username?: string } | null)?.username ?? null,
    }),
    summary: (record) => pick(record, ['id', 'name', 'description', 'timeout']),
    associations: {},
  },
};

/** A kind nothing here describes: every field but the bookkeeping, secrets guessed by name. */
const OTHER_RULES: TypeRules = {
  fields: (record) =>
    Object.fromEntries(
      Object.entries(record).filter(
        ([field]) => !['created', 'modified'].includes(field) && !/hash/.test(field),
      ),
    ),
  summary: (record) => pick(record, ['id', 'name', 'description']),
  associations: {},
  mask: async (field, value) => (SECRET_KEY.test(field) && !isEmpty(value) ? ENCRYPTED : maskDeepKeys(value)),
};

function maskDeepKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskDeepKeys);
  if (!value || typeof value !== 'object' || isSecretRef(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) && !isEmpty(item) ? ENCRYPTED : maskDeepKeys(item),
    ]),
  );
}

function rulesOf(type: string): TypeRules {
  return RULES[type] ?? OTHER_RULES;
}

/** Any secret reference, and any value shown as `$encrypted$`, stays `$encrypted$`. */
function maskReferences(value: unknown): unknown {
  if (isSecretRef(value)) return ENCRYPTED;
  if (typeof value === 'string') return value.startsWith(ENCRYPTED) ? ENCRYPTED : value;
  if (Array.isArray(value)) return value.map(maskReferences);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskReferences(item)]));
  return value;
}

/** A field's value as `changes` shows it: masked, mappings and lists as JSON text. */
async function display(
  rules: TypeRules,
  field: string,
  value: unknown,
  record: Snapshot,
  lookup: AuditLookup,
): Promise<unknown> {
  if (field === 'password') return isEmpty(value) ? value : HIDDEN;
  const masked = maskReferences(rules.mask ? await rules.mask(field, value, record, lookup) : value);
  return masked !== null && typeof masked === 'object' ? JSON.stringify(masked) : masked;
}

async function shown(rules: TypeRules, record: Snapshot, lookup: AuditLookup) {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rules.fields(record)))
    changes[field] = await display(rules, field, value, record, lookup);
  return changes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The entries one call's changes make, in the order the call first changed each object. An
 * object both created and deleted by the call makes none.
 */
export async function entriesOf(changes: readonly Change[], lookup: AuditLookup): Promise<EntryDraft[]> {
  const entries: EntryDraft[] = [];
  for (const change of changes)
    entries.push(
      ...('type' in change ? await entriesOfChange(change, lookup) : await roleEntries(change, lookup)),
    );
  return entries;
}

/**
 * A role granted or revoked, as AWX records it: the user or team associated with the role's
 * object (`object_association` `role`), the role among the objects it is about.
 */
async function roleEntries(change: RoleChange, lookup: AuditLookup): Promise<EntryDraft[]> {
  const role = roleOf(change.role);
  if (!role) return [];
  const { holder } = change;
  const summary = async (type: string, id: number) => {
    const record = await lookup.record(type, id);
    return record ? rulesOf(type).summary(record) : { id };
  };
  const operation: Operation = change.granted ? 'associate' : 'disassociate';
  return [
    {
      timestamp: change.at,
      operation,
      object1: holder.type,
      object2: role.kind,
      object_association: 'role',
      objects: [
        { type: holder.type, id: holder.id, summary: await summary(holder.type, holder.id) },
        { type: role.kind, id: role.objectId, summary: await summary(role.kind, role.objectId) },
        { type: 'role', id: change.role, summary: { id: change.role, role_field: role.field } },
      ],
      changes: {
        object1: holder.type,
        object1_pk: holder.id,
        object2: role.kind,
        object2_pk: role.objectId,
        action: operation,
        relationship: `${role.kind}.${role.field}`,
      },
    },
  ];
}

async function entriesOfChange(change: ObjectChange, lookup: AuditLookup): Promise<EntryDraft[]> {
  const { type, before, after, at } = change;
  const rules = rulesOf(type);
  const entry = (operation: Operation, record: Snapshot, changes: Record<string, unknown>): EntryDraft => ({
    timestamp: at,
    operation,
    object1: type,
    object2: '',
    object_association: '',
    objects: [{ type, id: change.id, summary: rules.summary(record) }],
    changes,
  });
  if (!before && !after) return [];
  if (!before)
    return [
      entry('create', after!, await shown(rules, after!, lookup)),
      ...(await associations(change, lookup)),
    ];
  if (!after) return [entry('delete', before, await shown(rules, before, lookup))];
  const [old, now] = [rules.fields(before), rules.fields(after)];
  const diff: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (same(old[field], now[field]) && !change.secretsReplaced.has(field)) continue;
    diff[field] = [
      await display(rules, field, old[field], before, lookup),
      await display(rules, field, now[field], after, lookup),
    ];
  }
  const associated = await associations(change, lookup);
  // A call that wrote the object without changing a field shown still changed it (`modified`).
  const updated = Object.keys(diff).length > 0 || associated.length === 0;
  return [...(updated ? [entry('update', after, diff)] : []), ...associated];
}

/** `associate` and `disassociate` entries for what the association lists gained and lost. */
async function associations(change: ObjectChange, lookup: AuditLookup): Promise<EntryDraft[]> {
  const rules = rulesOf(change.type);
  const record = change.after!;
  const entries: EntryDraft[] = [];
  for (const [relation, targetType] of Object.entries(rules.associations)) {
    const old = new Set((change.before?.[relation] as number[] | undefined) ?? []);
    const now = new Set((record[relation] as number[] | undefined) ?? []);
    const moves: Array<[Operation, number]> = [
      ...[...now].filter((id) => !old.has(id)).map((id): [Operation, number] => ['associate', id]),
      ...[...old].filter((id) => !now.has(id)).map((id): [Operation, number] => ['disassociate', id]),
    ];
    for (const [operation, targetId] of moves) {
      const target = await lookup.record(targetType, targetId);
      entries.push({
        timestamp: change.at,
        operation,
        object1: change.type,
        object2: targetType,
        object_association: relation,
        objects: [
          { type: change.type, id: change.id, summary: rules.summary(record) },
          {
            type: targetType,
            id: targetId,
            summary: target ? rulesOf(targetType).summary(target) : { id: targetId },
          },
        ],
        changes: {
          object1: change.type,
          object1_pk: change.id,
          object2: targetType,
          object2_pk: targetId,
          action: operation,
          relationship: relation,
        },
      });
    }
  }
  return entries;
}
