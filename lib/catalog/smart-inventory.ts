import { InvalidError } from '../errors';
import type { DefinitionRecord } from './definition';
import type { DefinitionCatalog } from './definitions';

/** A smart inventory is its host filter: AWX refuses one without (an inventory made smart too). */
export async function checkSmartInventory(
  _definitions: DefinitionCatalog,
  values: Record<string, unknown>,
  current: DefinitionRecord | undefined,
): Promise<Record<string, unknown>> {
  const { kind, host_filter: filter } = { ...current, ...values };
  if (kind === 'smart' && !filter)
    throw new InvalidError('smart inventory without a host filter', {
      host_filter: ['Smart inventories must specify host_filter'],
    });
  return values;
}
