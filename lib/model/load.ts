import { existsSync } from 'node:fs';
import { AwxTaskTranslator, isTaskDocument } from './awx-loader';
import { buildBundle, type RawEntry } from './bundle-builder';
import { Diagnostics } from './diagnostics';
import { bundleFiles } from './files';
import { isNativeDocument, nativeEntries } from './native-loader';
import type { Bundle } from './types';
import { validateBundle } from './validate';
import { readYamlFile, SourceMap } from './yaml-source';

export interface LoadOptions {
  /** Treat what AWX refuses at save time as errors (see `Diagnostics.awxRefuses`). */
  readonly strict?: boolean;
}

export interface LoadResult {
  readonly bundle: Bundle;
  readonly diagnostics: Diagnostics;
  readonly files: readonly string[];
}

/**
 * Loads a bundle from a file or folder. Each file is either a native bundle (a mapping of resource
 * kinds) or an awx.awx task file (a list of tasks or plays); both become the same typed bundle.
 * Never throws for user errors: check `diagnostics.hasErrors`.
 */
export function loadBundle(path: string, options: LoadOptions = {}): LoadResult {
  const diagnostics = new Diagnostics(options.strict ?? false);
  if (!existsSync(path)) {
    diagnostics.error({ source: { file: path }, message: 'no such file or folder' });
    return { bundle: buildBundle([], diagnostics), diagnostics, files: [] };
  }
  const sourceMap = new SourceMap();
  const translator = new AwxTaskTranslator(sourceMap, diagnostics);
  const entries: RawEntry[] = [];
  const files = bundleFiles(path);
  if (files.length === 0)
    diagnostics.error({ source: { file: path }, message: 'no .yml or .yaml files here' });
  for (const { file, display } of files) {
    const document = readYamlFile(file, display, sourceMap, diagnostics);
    if (document === undefined || document === null) continue;
    if (isTaskDocument(document)) translator.addDocument(document, display);
    else if (isNativeDocument(document)) entries.push(...nativeEntries(document, sourceMap, diagnostics));
    else
      diagnostics.error({
        source: { file: display },
        value: document,
        message: 'expected a bundle (a mapping of resource kinds) or a list of awx.awx tasks',
      });
  }
  entries.push(...translator.entries());
  const bundle = buildBundle(entries, diagnostics);
  validateBundle(bundle, diagnostics);
  return { bundle, diagnostics, files: files.map((f) => f.display) };
}
