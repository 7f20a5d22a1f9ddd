import { isSecretConfigurationKey } from '../model/resources/notification-template';
import type { KeptSecretOwner } from '../runner/kept-secrets';
import type { Definition } from './definition';
import type { ResourceKind } from './kinds';
import { CREDENTIAL } from './resources/credential';
import { NOTIFICATION_TEMPLATE, SCHEDULE } from './resources/others';

/** Reads a catalog record: the store's, or, while the activity stream records a call, its view. */
export type FindRecord = (
  kind: ResourceKind,
  id: number,
) => Promise<Readonly<Record<string, unknown>> | undefined>;

/**
 * A kind whose records hold secrets in one mapping field: the values of its secret keys are
 * kept under the owner's names (lib/runner/kept-secrets.ts), never in the record
 * (lib/catalog/kept-secret-records.ts), and the activity stream masks them.
 */
export interface SecretField {
  readonly definition: Definition;
  readonly owner: KeptSecretOwner;
  /** The mapping whose secret keys are kept. */
  readonly field: string;
  /** Which keys of `field` hold secrets in `record` (an update's values merged onto the record). */
  secretKeys(record: Readonly<Record<string, unknown>>, find: FindRecord): Promise<(key: string) => boolean>;
}

/** A credential's inputs: those its credential type marks secret. */
export const CREDENTIAL_INPUTS: SecretField = {
  definition: CREDENTIAL,
  owner: 'credentials',
  field: 'inputs',
  async secretKeys(record, find) {
    const type =
      typeof record.credential_type === 'number'
        ? await find('credential_type', record.credential_type)
        : undefined;
    const fields = (type?.inputs as { fields?: Array<{ id: string; secret?: boolean }> } | undefined)?.fields;
    const secret = new Set((fields ?? []).filter((input) => input.secret).map((input) => input.id));
    return (key) => secret.has(key);
  },
};

/** A notification template's configuration: the keys the model marks secret for its type. */
export const NOTIFICATION_CONFIGURATION: SecretField = {
  definition: NOTIFICATION_TEMPLATE,
  owner: 'notification_templates',
  field: 'notification_configuration',
  secretKeys: async (record) => (key) => isSecretConfigurationKey(String(record.notification_type), key),
};

/**
 * A schedule's saved launch variables: the answers to its template's survey password questions,
 * which AWX encrypts and shows as `$encrypted$` (docs/semantics.md §6.3, §9).
 */
export const SCHEDULE_EXTRA_DATA: SecretField = {
  definition: SCHEDULE,
  owner: 'schedules',
  field: 'extra_data',
  async secretKeys(record, find) {
    const id = record.unified_job_template;
    const template =
      typeof id === 'number'
        ? ((await find('workflow_job_template', id)) ?? (await find('job_template', id)))
        : undefined;
    const spec = (template?.survey_spec as { spec?: Array<{ type?: string; variable?: string }> } | undefined)
      ?.spec;
    const passwords = new Set(
      (spec ?? []).filter((question) => question.type === 'password').map((question) => question.variable),
    );
    return (key) => passwords.has(key);
  },
};

/** Every kind whose records keep secrets, one per owner of kept secrets. */
export const SECRET_FIELDS: readonly SecretField[] = [
  CREDENTIAL_INPUTS,
  NOTIFICATION_CONFIGURATION,
  SCHEDULE_EXTRA_DATA,
];

/** The kind whose records keep the secrets of `owner`. */
export function secretFieldOf(owner: KeptSecretOwner): SecretField {
  return SECRET_FIELDS.find((field) => field.owner === owner)!;
}

/** The secret field of a kind's records; undefined for a kind that keeps no secrets. */
export function secretFieldOfKind(kind: ResourceKind): SecretField | undefined {
  return SECRET_FIELDS.find((field) => field.definition.kind === kind);
}
