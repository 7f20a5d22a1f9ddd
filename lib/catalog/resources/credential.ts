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
  computed: (record) => ({ inputs: shownSecrets(record.inputs) }),
  links: ['copy', 'input_sources', 'activity_stream'],
};
