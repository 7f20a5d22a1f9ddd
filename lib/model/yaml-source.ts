import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostics } from './diagnostics';
import type { SourceRef } from './types';

/**
 * Where parsed YAML objects and their keys are written, across every file of a bundle, so errors
 * can point at `file:line` even after the awx loader merges tasks from several files.
 */
export class SourceMap {
  private readonly objects = new WeakMap<object, SourceRef>();
  private readonly keys = new WeakMap<object, Map<string | number, SourceRef>>();

  record(object: object, where: SourceRef, keys: Map<string | number, SourceRef>): void {
    this.objects.set(object, where);
    this.keys.set(object, keys);
  }

  /** Where `object` (or its field `key`) is written; `fallback` names the file when unknown. */
  at(object: unknown, key?: string | number, fallback: SourceRef = { file: '<definition>' }): SourceRef {
    if (object === null || typeof object !== 'object') return fallback;
    return (
      (key !== undefined ? this.keys.get(object)?.get(key) : undefined) ??
      this.objects.get(object) ??
      fallback
    );
  }

  /** Gives `target` the positions of `from`'s keys, for values copied from one object into another. */
  copyKeys(target: object, from: object, keys: Iterable<string>): void {
    if (!this.objects.has(target)) this.objects.set(target, this.at(from));
    const targetKeys = this.keys.get(target) ?? new Map<string | number, SourceRef>();
    for (const key of keys) targetKeys.set(key, this.at(from, key));
    this.keys.set(target, targetKeys);
  }
}

/** Reads and parses one YAML file. */
export function readYamlFile(
  file: string,
  displayName: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    diagnostics.error({
      source: { file: displayName },
      message: `cannot read file: ${(error as Error).message}`,
    });
    return undefined;
  }
  return parseYamlText(text, displayName, sourceMap, diagnostics);
}

/** Parses YAML text; syntax errors become diagnostics and the result is `undefined`. */
export function parseYamlText(
  text: string,
  displayName: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const line = error.linePos?.[0]?.line;
      diagnostics.error({
        source: { file: displayName, line },
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      });
    }
    return undefined;
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (document.contents) recordLines(document.contents, value, displayName, sourceMap, lineCounter);
  return value;
}

function recordLines(
  node: Node,
  value: unknown,
  file: string,
  sourceMap: SourceMap,
  lines: LineCounter,
): void {
  if (value === null || typeof value !== 'object') return;
  const at = (n: Node | null | undefined): SourceRef =>
    n?.range ? { file, line: lines.linePos(n.range[0]).line } : { file };
  const keys = new Map<string | number, SourceRef>();
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode)) continue;
      const key = String(keyNode.value);
      keys.set(key, at(keyNode));
      const child = (value as Record<string, unknown>)[key];
      if (pair.value) recordLines(pair.value as Node, child, file, sourceMap, lines);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      keys.set(index, at(item as Node));
      recordLines(item as Node, (value as unknown[])[index], file, sourceMap, lines);
    });
  }
  sourceMap.record(value, at(node), keys);
}
