import { writeFileSync } from 'node:fs';
import { exportBundle } from '../../client/export';
import type { ParsedArgs } from '../args';
import type { Io } from '../output';
import { serverClient } from '../server';

/** `towerless export`: the server's definitions as a native bundle, on stdout or in `--out FILE`. */
export async function exportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { yaml, warnings } = await exportBundle(serverClient(args));
  for (const warning of warnings) io.err(`warning: ${warning}`);
  if (args.out) writeFileSync(args.out, yaml);
  else io.out(yaml);
  return 0;
}
