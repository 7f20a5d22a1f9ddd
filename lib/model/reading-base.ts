import { AWX_DEFAULT_OBJECTS } from './awx-defaults';
import type { RawEntry } from './bundle-builder';
import { Diagnostics } from './diagnostics';
import { nativeEntries } from './native-loader';
import { referencedLabel, type ReferencedKind } from './references';
import { RESOURCE_KINDS, type Bundle, type SourceRef } from './types';
import { SourceMap } from './yaml-source';

/**
 * What the files may name without defining it (docs/reading.md "Objects the files do not
 * define"): AWX's default objects, which every AWX has, or with `--catalog URL` that server's
 * definitions. A reference the files do not satisfy is read from the base, with a note; the
 * resources read so are marked `origin.base`, so that they resolve references and reach compile
 * and run, while apply leaves them to the server, which has them.
 */
export class ReadingBase {
  /** Per kind, the entries by name (the first of a name winning); an inventory source names its inventory. */
  private readonly byName = new Map<ReferencedKind, Map<string, RawEntry>>();

  constructor(
    entries: readonly RawEntry[],
    /** Where the base's objects come from, as notes and warnings name it. */
    readonly description: string,
    /** The note on a reference the base resolves. */
    private readonly resolvedNote: (label: string) => string,
    /** What the warning on a name neither the files nor the base define adds, after "not defined in these files". */
    readonly missingHint: string,
  ) {
    const add = (kind: ReferencedKind, name: unknown, entry: RawEntry) => {
      if (typeof name !== 'string') return;
      const names = this.byName.get(kind) ?? new Map<string, RawEntry>();
      if (!names.has(name)) names.set(name, entry);
      this.byName.set(kind, names);
    };
    for (const entry of entries) {
      add(entry.kind, entry.raw.name, entry);
      if (entry.kind !== 'inventories' || !Array.isArray(entry.raw.inventory_sources)) continue;
      for (const source of entry.raw.inventory_sources as { name?: unknown }[])
        add('inventory_sources', source?.name, entry);
    }
  }

  /** The raw entry that defines `name` of that kind (an inventory source's inventory), if any. */
  find(kind: ReferencedKind, name: string): RawEntry | undefined {
    return this.byName.get(kind)?.get(name);
  }

  /** The names the base has of a kind, for a typo's hint. */
  names(kind: ReferencedKind): Iterable<string> {
    return this.byName.get(kind)?.keys() ?? [];
  }

  /** The kinds among `kinds` of which the base has `name`. */
  kindsOf(kinds: readonly ReferencedKind[], name: string): ReferencedKind[] {
    return kinds.filter((kind) => this.find(kind, name) !== undefined);
  }

  /** The note at the first reference the base resolves. */
  noteFor(kind: ReferencedKind, name: string): string {
    return `not defined in these files: ${this.resolvedNote(`${referencedLabel([kind])} '${name}'`)}`;
  }

  /** `unknown project 'X' (did you mean …?): not defined in these files; …`. */
  unknown(kinds: readonly ReferencedKind[], name: string, hint: string): string {
    return `unknown ${referencedLabel(kinds)} '${name}'${hint}: not defined in these files${this.missingHint}`;
  }
}

/** The base's objects as raw entries of a native bundle document, each placed at `origin`. */
export function baseEntries(document: Record<string, unknown>, origin: SourceRef): RawEntry[] {
  // The document was written by a program, not a person: nothing in it is reported by line.
  return nativeEntries(structuredClone(document), new SourceMap(), new Diagnostics()).map((entry) => ({
    ...entry,
    origin,
  }));
}

/** AWX's default objects, the base when no `--catalog` is given. */
export const AWX_DEFAULTS_BASE = new ReadingBase(
  baseEntries(AWX_DEFAULT_OBJECTS, { file: "AWX's default objects", base: true }),
  "AWX's default objects",
  (label) => `AWX's default ${label}, as every AWX has it from its install`,
  '; if it exists on your AWX or Towerless server, pass --catalog URL to read it from there',
);

/** No base: every name must be defined by what is read (the objects of a whole export). */
export const NO_BASE = new ReadingBase([], 'nothing', (label) => label, '');

/** A server's definitions (its native export) as the base: `--catalog URL`. */
export function catalogBase(url: string, document: Record<string, unknown>): ReadingBase {
  return new ReadingBase(
    baseEntries(document, { file: url, base: true }),
    url,
    (label) => `${label} read from the catalog ${url}`,
    ` nor on the catalog ${url}`,
  );
}

/** What the files themselves define: the bundle without what its base gave it. */
export function definedInFiles(bundle: Bundle): Bundle {
  return Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [
      kind,
      (bundle[kind] as readonly { readonly origin: SourceRef }[]).filter((resource) => !resource.origin.base),
    ]),
  ) as unknown as Bundle;
}
