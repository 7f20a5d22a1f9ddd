import { existsSync } from 'node:fs';
import { awxExportEntries } from './awx-export-loader';
import { AwxTaskTranslator } from './awx-loader';
import { WITHOUT_ANSIBLE } from './ansible-only';
import { buildBundle, type RawEntry } from './bundle-builder';
import { ControllerConfigReader, type RenderedVariables } from './controller-config-loader';
import { Diagnostics, type Diagnostic } from './diagnostics';
import { readFolder, type ReadFile } from './folder-read';
import { folderSummary } from './folder-walk';
import { beyondLimit, formatCount, INPUT_LIMITS } from './input-limits';
import { nativeEntries } from './native-loader';
import { RESOURCE_KINDS, type Bundle } from './types';
import { validateBundle } from './validate';
import { SourceMap } from './yaml-source';
import { AWX_DEFAULTS_BASE, type ReadingBase } from './reading-base';

export interface LoadOptions {
  /** Treat what AWX refuses at save time as errors (see `Diagnostics.awxRefuses`). */
  readonly strict?: boolean;
  /** controller_configuration variables as Ansible rendered them, read in place of what the files hold. */
  readonly rendered?: RenderedVariables;
  /** What Ansible defined by applying the path's playbooks and task files, read in their place. */
  readonly applied?: AppliedTasks;
  /** `-i`: an inventory inside the folder keeps its files and group_vars (docs/reading.md "Folders"). */
  readonly inventory?: string;
  /**
   * Where names the files use but do not define are found: AWX's default objects (the default),
   * or a server's definitions (`--catalog`; reading-base.ts).
   */
  readonly base?: ReadingBase;
}

/** The resources an Ansible run left in the reader's API (lib/reader/ansible-reader.ts). */
export interface AppliedTasks {
  readonly entries: readonly RawEntry[];
  /** What the run found: failed tasks, notes on what the API's export left out. */
  readonly findings: readonly Diagnostic[];
  /** Ansible's warnings (a host pattern that matched nothing), for a run that defined nothing. */
  readonly warnings: string;
}

export interface LoadResult {
  readonly bundle: Bundle;
  readonly diagnostics: Diagnostics;
  /** The files read, by Towerless or Ansible. */
  readonly files: readonly string[];
  /** The files skipped, each with a note saying why. */
  readonly skipped: readonly string[];
}

/**
 * Loads a bundle from a file or folder. Each file is classified by its place and shape
 * (folder-walk.ts): a native bundle (a mapping of resource kinds), an awx.awx task file or
 * playbook, controller_configuration variables (a mapping of `controller_...` variables) or an
 * AWX export (a mapping of lists of objects with natural keys) is read, and all become the same
 * typed bundle (docs/formats.md); any other file gets one note saying why it is not read
 * (docs/reading.md "Folders"). A bundle beyond the input limits (docs/input-limits.md) is refused
 * as a whole. Never throws for user errors: check `diagnostics.hasErrors`.
 */
export function loadBundle(path: string, options: LoadOptions = {}): LoadResult {
  const diagnostics = new Diagnostics(options.strict ?? false);
  for (const finding of options.applied?.findings ?? []) diagnostics.add(finding);
  if (!existsSync(path)) {
    diagnostics.error({ source: { file: path }, message: 'no such file or folder' });
    return unreadBundle(diagnostics);
  }
  const sourceMap = new SourceMap();
  const files = readFolder(path, sourceMap, diagnostics, { inventory: options.inventory });
  const entries = files && readEntries(path, files, sourceMap, diagnostics, options);
  const base = options.base ?? AWX_DEFAULTS_BASE;
  const bundle = buildBundle(entries ?? [], diagnostics, base);
  // A task that failed left the rest half applied, as in AWX: what is missing is its consequence.
  const applyFailed = options.applied?.findings.some(({ severity }) => severity === 'error');
  if (entries && !applyFailed) {
    validateBundle(bundle, diagnostics, base);
    if (!diagnostics.hasErrors && RESOURCE_KINDS.every((kind) => bundle[kind].length === 0))
      diagnostics.error({ source: { file: path }, message: nothingDefined(files!, options.applied) });
  }
  const shown = (skipped: boolean) =>
    (files ?? [])
      .filter(({ verdict }) => (verdict.reading === 'skipped') === skipped)
      .map(({ display }) => display);
  return { bundle, diagnostics, files: shown(false), skipped: shown(true) };
}

/** A bundle nothing could be read into: the diagnostics say why. */
export function unreadBundle(diagnostics: Diagnostics): LoadResult {
  return { bundle: buildBundle([], diagnostics), diagnostics, files: [], skipped: [] };
}

/** The raw resources of every file read, or undefined when the bundle is beyond a limit (reported). */
function readEntries(
  path: string,
  files: readonly ReadFile[],
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
  { rendered, applied }: LoadOptions,
): RawEntry[] | undefined {
  if (files.length === 0)
    diagnostics.error({ source: { file: path }, message: 'no .yml or .yaml files here' });
  const translator = new AwxTaskTranslator(sourceMap, diagnostics);
  const variables = new ControllerConfigReader(sourceMap, diagnostics, rendered);
  const entries: RawEntry[] = [];
  for (const { display, content, verdict } of files) {
    const document = content.kind === 'yaml' ? content.document : undefined;
    const source = { file: display };
    switch (verdict.reading) {
      case 'skipped':
        diagnostics.note({ source, message: verdict.why! });
        break;
      case 'through':
        diagnostics.note({ source, message: verdict.why! });
        // Included each time by files that only include: what they define is what it defines.
        if (verdict.alone && !applied) translator.addDocument(document as unknown[], display);
        break;
      case 'empty':
        diagnostics.add({
          // One empty file is surely a mistake; an empty file among others may be a placeholder.
          severity: files.length === 1 ? 'error' : 'warning',
          source,
          message: 'the file is empty: it defines nothing',
        });
        break;
      case 'playbook':
      case 'tasks':
        // Applied by Ansible (its resources come in `applied`), or read by the static reader: its
        // files if it only includes them, itself if it brings in nothing.
        if (applied || verdict.alone) break;
        if (verdict.brings!.length > 0)
          diagnostics.needsAnsible({
            source,
            message: `brings in ${listed(verdict.brings!)}, which only Ansible reads with it; ${WITHOUT_ANSIBLE}`,
          });
        else translator.addDocument(document as unknown[], display);
        break;
      case 'variables':
        variables.addDocument(document as Record<string, unknown>, display);
        break;
      case 'export':
        append(
          entries,
          awxExportEntries(document as Record<string, unknown>, display, sourceMap, diagnostics),
        );
        break;
      case 'bundle':
        append(entries, nativeEntries(document as Record<string, unknown>, sourceMap, diagnostics));
        break;
      case 'unknown':
        diagnostics.error({
          source,
          value: document,
          message:
            'expected a bundle (a mapping of resource kinds), a list of awx.awx tasks, controller_configuration variables or an AWX export',
        });
        break;
      case 'unreadable': // its reader reported why
        break;
    }
    const resources = entries.length + translator.tasksRead + variables.itemsRead;
    if (resources > INPUT_LIMITS.resources.value) {
      diagnostics.error({
        source: { file: path },
        message: beyondLimit(
          INPUT_LIMITS.resources,
          `the files read so far hold ${formatCount(resources)} resources and tasks`,
        ),
      });
      return undefined;
    }
  }
  for (const more of [translator.entries(), variables.entries(), applied?.entries ?? []])
    append(entries, more);
  return entries;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Pushes one by one: a spread of a quarter million entries would overflow the call stack. */
function append(entries: RawEntry[], more: Iterable<RawEntry>): void {
  for (const entry of more) entries.push(entry);
}

/** A bundle that defines nothing: what each file was taken for says why. */
function nothingDefined(files: readonly ReadFile[], applied: AppliedTasks | undefined): string {
  const ansible = applied ? `; applied through Ansible, it defined nothing${applied.warnings}` : '';
  const summary = files.length > 0 ? `; ${folderSummary(files.map(({ verdict }) => verdict))}` : '';
  return `defines no resources: a bundle needs at least one of ${RESOURCE_KINDS.join(', ')}${ansible}${summary}`;
}
