import { existsSync } from 'node:fs';
import { awxExportEntries, isAwxExportDocument } from './awx-export-loader';
import { AwxTaskTranslator, isTaskDocument } from './awx-loader';
import { buildBundle, type RawEntry } from './bundle-builder';
import {
  ControllerConfigReader,
  isControllerConfigDocument,
  type RenderedVariables,
} from './controller-config-loader';
import { Diagnostics } from './diagnostics';
import { bundleFiles, type BundleFile } from './files';
import { beyondLimit, formatBytes, formatCount, INPUT_LIMITS, type InputLimit } from './input-limits';
import { isNativeDocument, nativeEntries } from './native-loader';
import { RESOURCE_KINDS, type Bundle } from './types';
import { validateBundle } from './validate';
import { readYamlFile, SourceMap } from './yaml-source';

export interface LoadOptions {
  /** Treat what AWX refuses at save time as errors (see `Diagnostics.awxRefuses`). */
  readonly strict?: boolean;
  /** controller_configuration variables as Ansible rendered them, read in place of what the files hold. */
  readonly rendered?: RenderedVariables;
}

export interface LoadResult {
  readonly bundle: Bundle;
  readonly diagnostics: Diagnostics;
  readonly files: readonly string[];
}

/**
 * Loads a bundle from a file or folder. Each file is a native bundle (a mapping of resource
 * kinds), an awx.awx task file (a list of tasks or plays), controller_configuration variables (a
 * mapping of `controller_...` variables) or an AWX export (a mapping of lists of objects with
 * natural keys), told apart by shape (docs/formats.md); all become the same typed bundle.
 * A bundle beyond the input limits (docs/input-limits.md) is refused as a whole.
 * Never throws for user errors: check `diagnostics.hasErrors`.
 */
export function loadBundle(path: string, options: LoadOptions = {}): LoadResult {
  const diagnostics = new Diagnostics(options.strict ?? false);
  if (!existsSync(path)) {
    diagnostics.error({ source: { file: path }, message: 'no such file or folder' });
    return { bundle: buildBundle([], diagnostics), diagnostics, files: [] };
  }
  const files = bundleFiles(path, INPUT_LIMITS.files.value);
  const entries = readEntries(path, files, diagnostics, options.rendered);
  const bundle = buildBundle(entries ?? [], diagnostics);
  if (entries) {
    validateBundle(bundle, diagnostics);
    if (!diagnostics.hasErrors && RESOURCE_KINDS.every((kind) => bundle[kind].length === 0)) {
      diagnostics.error({
        source: { file: path },
        message: `defines no resources: a bundle needs at least one of ${RESOURCE_KINDS.join(', ')}`,
      });
    }
  }
  return { bundle, diagnostics, files: files.map((f) => f.display) };
}

/** The raw resources of every file, or undefined when the bundle is beyond a limit (reported). */
function readEntries(
  path: string,
  files: readonly BundleFile[],
  diagnostics: Diagnostics,
  rendered: RenderedVariables | undefined,
): RawEntry[] | undefined {
  const refuse = (found: string, limit: InputLimit) => {
    diagnostics.error({ source: { file: path }, message: beyondLimit(limit, found) });
    return undefined;
  };
  if (files.length > INPUT_LIMITS.files.value)
    return refuse(
      `the folder holds more than ${formatCount(INPUT_LIMITS.files.value)} .yml/.yaml files`,
      INPUT_LIMITS.files,
    );
  if (files.length === 0)
    diagnostics.error({ source: { file: path }, message: 'no .yml or .yaml files here' });
  const sourceMap = new SourceMap();
  const translator = new AwxTaskTranslator(sourceMap, diagnostics);
  const variables = new ControllerConfigReader(sourceMap, diagnostics, rendered);
  const entries: RawEntry[] = [];
  let bytes = 0;
  for (const { file, display } of files) {
    const read = readYamlFile(file, display, sourceMap, diagnostics);
    if (!read) continue;
    bytes += read.bytes;
    if (bytes > INPUT_LIMITS.bundleBytes.value)
      return refuse(
        `the files add up to more than ${formatBytes(INPUT_LIMITS.bundleBytes.value)}`,
        INPUT_LIMITS.bundleBytes,
      );
    const { document } = read;
    if (document === undefined || document === null) {
      diagnostics.add({
        // One empty file is surely a mistake; an empty file among others may be a placeholder.
        severity: files.length === 1 ? 'error' : 'warning',
        source: { file: display },
        message: 'the file is empty: it defines nothing',
      });
    } else if (isTaskDocument(document)) translator.addDocument(document, display);
    else if (isControllerConfigDocument(document)) variables.addDocument(document, display);
    else if (isAwxExportDocument(document)) {
      for (const entry of awxExportEntries(document, display, sourceMap, diagnostics)) entries.push(entry);
    } else if (isNativeDocument(document)) {
      for (const entry of nativeEntries(document, sourceMap, diagnostics)) entries.push(entry);
    } else {
      diagnostics.error({
        source: { file: display },
        value: document,
        message:
          'expected a bundle (a mapping of resource kinds), a list of awx.awx tasks, controller_configuration variables or an AWX export',
      });
    }
    const resources = entries.length + translator.tasksRead + variables.itemsRead;
    if (resources > INPUT_LIMITS.resources.value)
      return refuse(
        `the files read so far hold ${formatCount(resources)} resources and tasks`,
        INPUT_LIMITS.resources,
      );
  }
  for (const entry of translator.entries()) entries.push(entry);
  for (const entry of variables.entries()) entries.push(entry);
  return entries;
}
