import type { RawEntry } from './bundle-builder';
import { didYouMean, type Diagnostics } from './diagnostics';
import { RESOURCE_KINDS, type ResourceKind } from './types';
import type { SourceMap } from './yaml-source';

/** Is this parsed file a native bundle (a mapping of resource kinds)? */
export function isNativeDocument(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Turns one native bundle document into raw entries (docs/architecture.md §6 "Bundle format"). */
export function nativeEntries(
  document: Record<string, unknown>,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): RawEntry[] {
  const entries: RawEntry[] = [];
  for (const [key, value] of Object.entries(document)) {
    const source = sourceMap.at(document, key);
    if (!(RESOURCE_KINDS as readonly string[]).includes(key)) {
      diagnostics.error({
        source,
        field: key,
        message: `unknown top-level key${didYouMean(key, RESOURCE_KINDS)}; expected ${RESOURCE_KINDS.join(', ')}`,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) {
      diagnostics.error({ source, field: key, message: 'must be a list of resources' });
      continue;
    }
    value.forEach((item, index) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        entries.push({
          kind: key as ResourceKind,
          raw: item as Record<string, unknown>,
          sourceMap,
          style: 'native',
        });
      } else {
        diagnostics.error({
          source: sourceMap.at(value, index, source),
          field: `${key}[${index}]`,
          value: item,
          message: 'must be a mapping',
        });
      }
    });
  }
  return entries;
}
