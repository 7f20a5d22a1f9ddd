import { InvalidError } from '../errors';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

/**
 * A template's webhook credential is a personal access token of its webhook service (AWX's
 * check of job and workflow job templates): a GitHub token for `github`, and none without a
 * service.
 */
export async function checkWebhookCredential(
  definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  const { webhook_credential: credential, webhook_service: service } = { ...current, ...values };
  if (typeof credential !== 'number') return values;
  const found = await definitions.store.find<DefinitionRecord>('credential', credential);
  const type =
    found &&
    (await definitions.store.find<DefinitionRecord>('credential_type', found.credential_type as number));
  const refuse = (message: string) => new InvalidError(message, { webhook_credential: [message] });
  if (type?.kind !== 'token') throw refuse('Must be a Personal Access Token.');
  if (!service || type.namespace !== `${String(service)}_token`)
    throw refuse('Must match the selected webhook service.');
  return values;
}
