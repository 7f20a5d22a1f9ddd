import type { Diagnostics } from './diagnostics';
import { INPUT_LIMITS } from './input-limits';
import { readRegularFile } from './regular-file';
import type { SourceRef } from './types';
import { constructYaml, YamlProblem } from './yaml-construct';

type Key = string | number;

/** Where one parsed mapping or list is written. */
interface Place {
  readonly file: string;
  readonly line?: number;
  readonly keyLines: Map<Key, number>;
  /** Files of keys copied from another file (see `copyKeys`); the others are in `file`. */
  keyFiles?: Map<Key, string>;
  /** Keys whose values Ansible must take literally (tagged `!unsafe`). */
  literalKeys?: Set<Key>;
}

/**
 * Where parsed YAML objects and their keys are written, across every file of a bundle, so errors
 * can point at `file:line` even after the awx loader merges tasks from several files.
 */
export class SourceMap {
  // A Map, not a WeakMap: the map lives only while a bundle loads, and a WeakMap with hundreds of
  // thousands of keys costs the garbage collector far more than it saves.
  private readonly places = new Map<object, Place>();

  /** Records where a mapping or list is written; `keyLines` may still be filled afterwards. */
  record(object: object, file: string, line: number, keyLines: Map<Key, number>): void {
    this.places.set(object, { file, line, keyLines });
  }

  /** Notes that `object[key]` was written as Ansible's `!unsafe`: a literal, never templated. */
  markLiteral(object: object, key: Key): void {
    const place = this.places.get(object);
    if (place) (place.literalKeys ??= new Set()).add(key);
  }

  isLiteral(object: object, key: Key): boolean {
    return this.places.get(object)?.literalKeys?.has(key) ?? false;
  }

  /** Where `object` (or its field `key`) is written; `fallback` names the file when unknown. */
  at(object: unknown, key?: Key, fallback: SourceRef = { file: '<definition>' }): SourceRef {
    if (object === null || typeof object !== 'object') return fallback;
    const place = this.places.get(object);
    if (!place) return fallback;
    const keyLine = key === undefined ? undefined : place.keyLines.get(key);
    if (keyLine === undefined) return { file: place.file, line: place.line };
    return { file: place.keyFiles?.get(key!) ?? place.file, line: keyLine };
  }

  /** Gives `target` the positions of `from`'s keys, for values copied from one object into another. */
  copyKeys(target: object, from: object, keys: Iterable<string>): void {
    for (const key of keys) this.copyKey(target, key, from, key);
  }

  /** Gives `target[key]` the position of `from[fromKey]`: a value copied under another name. */
  copyKey(target: object, key: Key, from: object, fromKey: Key): void {
    let place = this.places.get(target);
    if (!place) {
      const origin = this.at(from);
      place = { file: origin.file, line: origin.line, keyLines: new Map() };
      this.places.set(target, place);
    }
    const where = this.at(from, fromKey);
    if (where.line === undefined) return;
    place.keyLines.set(key, where.line);
    if (where.file !== place.file) (place.keyFiles ??= new Map()).set(key, where.file);
    else place.keyFiles?.delete(key);
  }

  /**
   * Places `value`, a value Ansible rendered from `written` (parsed from a file), where `written` is:
   * what keeps its shape keeps its line, and what Jinja made (a list built from other variables)
   * is at `fallback`, the line of the Jinja that made it.
   */
  placeRendered(value: unknown, written: unknown, fallback: SourceRef): void {
    if (value === null || typeof value !== 'object') return;
    const sameShape =
      written !== null &&
      typeof written === 'object' &&
      Array.isArray(written) === Array.isArray(value) &&
      this.places.has(written);
    const origin = sameShape ? this.at(written) : fallback;
    const keyLines = new Map<Key, number>();
    this.places.set(value, { file: origin.file, line: origin.line, keyLines });
    for (const [key, child] of Object.entries(value)) {
      const index = Array.isArray(value) ? Number(key) : key;
      const writtenChild = sameShape ? (written as Record<Key, unknown>)[index] : undefined;
      const at = sameShape && writtenChild !== undefined ? this.at(written, index) : origin;
      if (at.line !== undefined) keyLines.set(index, at.line);
      this.placeRendered(child, writtenChild, at);
    }
  }
}

/** What one YAML file holds, or undefined when it could not be read (the reason is a diagnostic). */
export interface YamlFile {
  /** undefined or null for a file with no content (empty, or only comments). */
  readonly document: unknown;
  readonly bytes: number;
}

/** Reads and parses one YAML file, a regular file within the size limit. */
export function readYamlFile(
  file: string,
  displayName: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): YamlFile | undefined {
  const read = readRegularFile(file, INPUT_LIMITS.fileBytes);
  if ('problem' in read) {
    diagnostics.error({ source: { file: displayName }, message: read.problem });
    return undefined;
  }
  try {
    return { document: constructYaml(read.text, displayName, sourceMap), bytes: read.bytes };
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    diagnostics.error({ source: { file: displayName, line: error.line }, message: error.message });
    return undefined;
  }
}
