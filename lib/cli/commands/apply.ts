import { applyBundle, type Outcome } from '../../client/apply';
import type { ParsedArgs } from '../args';
import { readValidBundle } from '../reading';
import type { Io } from '../output';
import { serverClient } from '../server';

/**
 * `towerless apply`: every resource of the bundle created or updated through the API; one line per
 * resource (created, changed and what, unchanged) and a count. A bundle with errors is refused
 * before the server is asked anything.
 */
export async function applyCommand(args: ParsedArgs, io: Io): Promise<number> {
  const client = serverClient(args);
  const { bundle } = await readValidBundle(args, io, { needs: 'names' });
  const counts = { created: 0, changed: 0, unchanged: 0 };
  await applyBundle(client, bundle, (outcome) => {
    counts[outcome.result] += 1;
    io.out(outcomeLine(outcome));
  });
  const total = counts.created + counts.changed + counts.unchanged;
  io.out(
    counts.created + counts.changed === 0
      ? `nothing to change: all ${total} resources are as the bundle defines them`
      : `${counts.created} created, ${counts.changed} changed, ${counts.unchanged} unchanged`,
  );
  return 0;
}

function outcomeLine({ result, label, name, changes }: Outcome): string {
  return `${result.padEnd(9)} ${label} '${name}'${changes.length > 0 ? `: ${changes.join(', ')}` : ''}`;
}
