import { renderMermaid } from '../../compiler/mermaid';
import { WorkflowGraph } from '../../semantics/graph';
import { UsageError, type ParsedArgs } from '../args';
import { loadValidBundle, workflowName } from '../bundle';
import type { Io } from '../output';

export async function graphCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { bundle } = loadValidBundle(args, io, { quietWarnings: true });
  const name = workflowName(args);
  const workflow = bundle.workflow_job_templates.find((w) => w.name === name);
  if (!workflow) throw new UsageError(`no workflow job template named '${name}'`);
  io.out(renderMermaid(WorkflowGraph.fromTemplate(workflow), name));
  return 0;
}
