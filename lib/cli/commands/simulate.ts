import { FORCED_STATUSES, simulate, type ForcedStatus } from '../../local/simulate';
import { UsageError, type ParsedArgs } from '../args';
import { loadValidBundle, workflowName } from '../bundle';
import { table, type Io } from '../output';

export async function simulateCommand(args: ParsedArgs, io: Io): Promise<number> {
  const forced = parseOutcomes(args.outcome);
  const { bundle } = loadValidBundle(args, io, { quietWarnings: true });
  const report = await simulate(bundle, workflowName(args), forced);
  if (args.json) io.out(JSON.stringify(report));
  else {
    const rows = report.nodes.map((n) => [
      n.started === null ? '-' : String(n.started),
      n.id,
      n.status,
      n.explanation ?? '',
    ]);
    io.out(
      `${report.workflow} (simulated)\n${table(['#', 'node', 'status', 'note'], rows)}\nworkflow status: ${report.status}`,
    );
  }
  return report.status === 'successful' ? 0 : 1;
}

function parseOutcomes(values: readonly string[]): Record<string, ForcedStatus> {
  const forced: Record<string, ForcedStatus> = {};
  for (const value of values) {
    const match = /^(.+)=([a-z_]+)$/.exec(value);
    if (!match) throw new UsageError(`--outcome ${value}: expected ID=STATUS, e.g. deploy=failed`);
    if (!(FORCED_STATUSES as readonly string[]).includes(match[2])) {
      throw new UsageError(`--outcome ${value}: STATUS must be one of ${FORCED_STATUSES.join(', ')}`);
    }
    forced[match[1]] = match[2] as ForcedStatus;
  }
  return forced;
}
