import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Diagnostics } from './diagnostics';
import { bundleFiles, type BundleFile } from './files';
import { holdsSeveralDocuments, looksLikeIniInventory } from './folder-shapes';
import { classifyFolder, type FileContent, type FileVerdict } from './folder-walk';
import { beyondLimit, formatBytes, formatCount, INPUT_LIMITS, type InputLimit } from './input-limits';
import { readRegularFile } from './regular-file';
import { readYamlFile, type SourceMap } from './yaml-source';

/** One file of a bundle path, parsed, with how it is read (a project's files are not among them). */
export interface ReadFile extends BundleFile {
  readonly content: FileContent;
  readonly verdict: FileVerdict;
}

export interface FolderReadOptions {
  /** `-i`: an inventory inside the folder keeps its files and group_vars (folder-walk.ts). */
  readonly inventory?: string;
}

/**
 * Lists, parses and classifies the files of a bundle path (folder-walk.ts), within the input
 * limits (docs/input-limits.md): undefined when the path is beyond one (reported). A file's parse
 * error is reported only if its content is what tells how to read it: a role's file or a
 * GitHub workflow that is not valid YAML is for Ansible or GitHub to refuse.
 */
export function readFolder(
  path: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
  options: FolderReadOptions = {},
): ReadFile[] | undefined {
  const refuse = (found: string, limit: InputLimit) => {
    diagnostics.error({ source: { file: path }, message: beyondLimit(limit, found) });
    return undefined;
  };
  const files = bundleFiles(path, INPUT_LIMITS.files.value);
  if (files.length > INPUT_LIMITS.files.value)
    return refuse(
      `the folder holds more than ${formatCount(INPUT_LIMITS.files.value)} .yml/.yaml files`,
      INPUT_LIMITS.files,
    );
  const read: { file: BundleFile; content: FileContent; problems: Diagnostics }[] = [];
  let bytes = 0;
  for (const file of files) {
    const problems = new Diagnostics(diagnostics.strict);
    const { content, bytes: size } = readContent(file, sourceMap, problems);
    bytes += size;
    if (bytes > INPUT_LIMITS.bundleBytes.value)
      return refuse(
        `the files add up to more than ${formatBytes(INPUT_LIMITS.bundleBytes.value)}`,
        INPUT_LIMITS.bundleBytes,
      );
    if (content) read.push({ file, content, problems });
  }
  const verdicts = classifyFolder(
    read.map(({ file, content }) => ({ path: file.path, content })),
    { inventory: inventory(path, options.inventory) },
  );
  const byPath = new Map(read.map((each) => [each.file.path, each]));
  return verdicts.map((verdict) => {
    const { file, content, problems } = byPath.get(verdict.path)!;
    if (verdict.reading === 'unreadable') for (const problem of problems.all) diagnostics.add(problem);
    return { ...file, content, verdict };
  });
}

/** What a file holds; undefined for a file listed as maybe an inventory that is not one. */
function readContent(
  { file, display, format }: BundleFile,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): { content?: FileContent; bytes: number } {
  if (format === 'ini') {
    const read = readRegularFile(file, INPUT_LIMITS.fileBytes);
    if ('problem' in read || !looksLikeIniInventory(read.text)) return { bytes: 0 };
    return { content: { kind: 'ini-inventory' }, bytes: read.bytes };
  }
  const read = readYamlFile(file, display, sourceMap, diagnostics);
  if (read) return { content: { kind: 'yaml', document: read.document }, bytes: read.bytes };
  // Several documents (Kubernetes manifests) are another tool's YAML, not a broken file.
  const text = readRegularFile(file, INPUT_LIMITS.fileBytes);
  if (!('problem' in text) && holdsSeveralDocuments(text.text))
    return { content: { kind: 'several-documents' }, bytes: text.bytes };
  return { content: { kind: 'unreadable' }, bytes: 0 };
}

/** `-i` as a path inside the folder, or undefined when it is elsewhere (or the path is a file). */
function inventory(path: string, given: string | undefined): string | undefined {
  if (given === undefined || !statSync(path).isDirectory()) return undefined;
  const inside = relative(resolve(path), resolve(given));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return inside.split(sep).join('/');
}
