import type { Bundle, LoadResult } from '../../model';
import { definedInFiles } from '../../model/reading-base';
import type { ParsedArgs } from '../args';
import { readBundleAt, readValidBundle } from '../reading';
import type { Io } from '../output';

/**
 * `towerless validate`. With `--json`, stdout carries one JSON document whether the bundle is valid
 * or not, and stderr stays quiet: the diagnostics are in the document.
 */
export async function validateCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.json) {
    const result = await readBundleAt(args);
    io.out(JSON.stringify(validationReport(result)));
    return result.diagnostics.hasErrors ? 1 : 0;
  }
  const { bundle, result } = await readValidBundle(args, io, { needs: 'names' });
  io.out(
    `valid: ${resourceCounts(bundle)
      .map(([label, n]) => `${n} ${label}`)
      .join(', ')} ${fileCounts(result)}`,
  );
  return 0;
}

/** `(12 files, 3 skipped, 2 warnings)`: what was read, and what the lines above say more of. */
function fileCounts(result: LoadResult): string {
  const warnings = result.diagnostics.all.filter((d) => d.severity === 'warning').length;
  const counts = [`${result.files.length} files`];
  // Each skipped file has its note, saying why (docs/reading.md "Folders").
  if (result.skipped.length > 0) counts.push(`${result.skipped.length} skipped`);
  if (warnings > 0) counts.push(`${warnings} warnings`);
  return `(${counts.join(', ')})`;
}

/** The `--json` document: resource counts only for a valid bundle (an invalid one is partial). */
function validationReport(result: LoadResult) {
  const valid = !result.diagnostics.hasErrors;
  return {
    valid,
    files: result.files,
    ...(valid
      ? {
          resources: Object.fromEntries(
            resourceCounts(result.bundle).map(([label, n]) => [label.replace(/ /g, '_'), n]),
          ),
        }
      : {}),
    diagnostics: result.diagnostics.all,
  };
}

/** What the files define: what they only name (AWX's default objects, a catalog's) is not theirs. */
function resourceCounts(read: Bundle): [label: string, count: number][] {
  const bundle = definedInFiles(read);
  return [
    ['workflow job templates', bundle.workflow_job_templates.length],
    ['job templates', bundle.job_templates.length],
    ['projects', bundle.projects.length],
    ['inventories', bundle.inventories.length],
    ['credentials', bundle.credentials.length],
    ['notification templates', bundle.notification_templates.length],
    ['schedules', bundle.schedules.length],
  ];
}
