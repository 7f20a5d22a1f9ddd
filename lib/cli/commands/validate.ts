import type { ParsedArgs } from '../args';
import { loadValidBundle } from '../bundle';
import type { Io } from '../output';

export async function validateCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { bundle, result } = loadValidBundle(args, io);
  const counts = [
    [bundle.workflow_job_templates.length, 'workflow job templates'],
    [bundle.job_templates.length, 'job templates'],
    [bundle.projects.length, 'projects'],
    [bundle.inventories.length, 'inventories'],
    [bundle.credentials.length, 'credentials'],
    [bundle.notification_templates.length, 'notification templates'],
    [bundle.schedules.length, 'schedules'],
  ] as const;
  if (args.json) {
    io.out(
      JSON.stringify({
        valid: true,
        files: result.files,
        resources: Object.fromEntries(counts.map(([n, label]) => [label.replace(/ /g, '_'), n])),
        diagnostics: result.diagnostics.all,
      }),
    );
  } else {
    const warnings = result.diagnostics.all.filter((d) => d.severity === 'warning').length;
    io.out(
      `valid: ${counts.map(([n, label]) => `${n} ${label}`).join(', ')} (${result.files.length} files${warnings ? `, ${warnings} warnings` : ''})`,
    );
  }
  return 0;
}
