import { checkInputSource } from '../credential-input-sources';
import { shownSecrets } from '../shown-secrets';
import type { Definition } from '../definition';
import { NAMED, ORGANIZATION } from './common';

export const CREDENTIAL_TYPE: Definition = {
  kind: 'credential_type',
  type: 'credential_type',
  path: 'credential_types',
  fields: {
    ...NAMED,
    kind: { type: 'string', choices: ['net', 'cloud'], default: 'cloud' },
    inputs: { type: 'object' },
    injectors: { type: 'object' },
  },
  computed: (record) => ({ namespace: record.namespace ?? null, managed: record.managed === true }),
  locked: (record) => (record.managed ? 'Managed credential types cannot be changed or deleted.' : undefined),
  links: ['activity_stream'],
  children: {
    credentials: { kind: 'credential', field: 'credential_type' },
  },
};

export const CREDENTIAL: Definition = {
  kind: 'credential',
  type: 'credential',
  path: 'credentials',
  fields: {
    ...NAMED,
    // AWX deletes a credential with its organization (on_delete=CASCADE), though it may have none.
    organization: { ...ORGANIZATION, cascade: true },
    credential_type: { type: 'reference', kinds: ['credential_type'], required: true },
    inputs: { type: 'object' },
  },
  // AWX's own credentials (the public Galaxy one it makes at install) are `managed`: read-only.
  computed: (record) => ({ inputs: shownSecrets(record.inputs), managed: record.managed === true }),
  locked: (record, action) =>
    record.managed
      ? action === 'delete'
        ? 'Deletion not allowed for managed credentials'
        : 'Modifications not allowed for managed credentials'
      : undefined,
  links: ['copy', 'activity_stream'],
  children: {
    input_sources: { kind: 'credential_input_source', field: 'target_credential' },
  },
};

/**
 * Where a credential's input is looked up (AWX's credential plugins): the target's input named
 * `input_field_name` comes from the source, a lookup credential, with `metadata` saying what to
 * look up. Kept and checked as AWX keeps them; Towerless does not look them up when a job runs
 * (docs/api.md "Credential input sources").
 */
export const CREDENTIAL_INPUT_SOURCE: Definition = {
  kind: 'credential_input_source',
  type: 'credential_input_source',
  path: 'credential_input_sources',
  fields: {
    description: { type: 'string' },
    input_field_name: { type: 'string', required: true, max: 1024 },
    metadata: { type: 'object' },
    target_credential: { type: 'reference', kinds: ['credential'], required: true },
    source_credential: { type: 'reference', kinds: ['credential'], required: true },
  },
  saving: checkInputSource,
  searchable: ['description', 'input_field_name'],
};
