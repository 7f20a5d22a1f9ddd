import { writeFileSync } from 'node:fs';
import { exportAwx } from '../../client/awx-export';
import { exportBundle } from '../../client/export';
import { UsageError, type ParsedArgs } from '../args';
import type { Io } from '../output';
import { serverClient } from '../server';

/**
 * `towerless export`: the server's definitions as a native bundle, or with `--format awx` as an AWX
 * export (docs/api.md "export"), on stdout or in `--out FILE`.
 */
export async function exportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const format = args.format ?? 'native';
  if (format !== 'native' && format !== 'awx')
    throw new UsageError(`--format ${format}: expected native or awx`);
  const client = serverClient(args);
  const { text, warnings } =
    format === 'awx'
      ? await exportAwx(client).then(({ json, warnings }) => ({ text: json, warnings }))
      : await exportBundle(client).then(({ yaml, warnings }) => ({ text: yaml, warnings }));
  for (const warning of warnings) io.err(`warning: ${warning}`);
  if (args.out) writeFileSync(args.out, text);
  else io.out(text);
  return 0;
}
