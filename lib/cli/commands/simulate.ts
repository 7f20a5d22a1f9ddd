import { simulate } from '../../local/simulate';
import type { ParsedArgs } from '../args';
import { readValidBundle } from '../reading';
import { checkOutcomes, parseOutcomes } from '../outcomes';
import { table, type Io } from '../output';
import { selectWorkflow } from '../workflow';

export async function simulateCommand(args: ParsedArgs, io: Io): Promise<number> {
  const forced = parseOutcomes(args.outcome);
  const { bundle } = await readValidBundle(args, io, { quietWarnings: true, needs: 'objects' });
  const workflow = selectWorkflow(bundle, args);
  checkOutcomes(bundle, workflow, forced);
  const report = await simulate(bundle, workflow.name, forced);
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
