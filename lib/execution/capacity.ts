import { availableParallelism, totalmem } from 'node:os';
import type { Bundle, WorkflowNode, WorkflowPrompts } from '../model/types';
import { promptedValue } from '../semantics/prompts';

/**
 * AWX's instance capacity, in forks (docs/architecture.md §8): a CPU holds 4 forks, memory 100 MB
 * per fork after 2 GB kept for the rest of the system. AWX's `capacity_adjustment` picks between
 * the two: 0 the smaller, 1 the larger. AWX defaults to 1; Towerless to 0, because the jobs of
 * `serve` are processes on the machine it shares with its user, and a playbook's start is CPU
 * work: on a 2-core, 24 GB machine the larger would run 110 playbooks at once in 10 GB for no
 * more throughput (docs/semantics.md §13.10).
 */
export function instanceCapacity(
  machine: { readonly cpus: number; readonly memoryBytes: number } = {
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
  },
  adjustment = 0,
): number {
  if (!(adjustment >= 0 && adjustment <= 1)) throw new Error('capacity adjustment is between 0 and 1');
  const cpu = Math.max(1, Math.floor(machine.cpus * 4));
  const memory = Math.max(1, Math.floor(Math.floor((machine.memoryBytes - 2 ** 31) / 2 ** 20) / 100));
  const [low, high] = [Math.min(cpu, memory), Math.max(cpu, memory)];
  return Math.floor(low + (high - low) * adjustment);
}

/** AWX's default forks when a template sets none. */
const DEFAULT_FORKS = 5;

/**
 * How much capacity a node's job takes while it runs (AWX `_get_task_impact`): a playbook job its
 * forks (no more than its inventory's hosts) plus one for ansible-playbook itself; a project or
 * inventory sync 1; approvals and nested workflows nothing (their own jobs count).
 */
export function nodeJobImpact(bundle: Bundle, node: WorkflowNode, prompts: WorkflowPrompts = {}): number {
  const target = node.unified_job_template;
  if (target?.type === 'project' || target?.type === 'inventory_source') return 1;
  if (target?.type !== 'job_template') return 0;
  const template = bundle.job_templates.find((t) => t.name === target.name);
  if (!template) return 1;
  const forks =
    promptedValue(template.ask_forks_on_launch, { node: node.forks, template: template.forks }) ||
    DEFAULT_FORKS;
  const inventoryName = promptedValue(template.ask_inventory_on_launch, {
    workflow: prompts.inventory,
    node: node.inventory,
    template: template.inventory,
  });
  const inventory = bundle.inventories.find((i) => i.name === inventoryName);
  return Math.min(inventory ? inventory.hosts.length : forks, forks) + 1;
}

/**
 * The capacity of this process, handed out in launch order: a job waits (`pending`) until the
 * jobs before it have started and its impact fits; a job bigger than the whole capacity runs
 * when nothing else does (AWX starts it on an idle instance).
 */
export class CapacityPool {
  private used = 0;
  private readonly waiting: { readonly impact: number; readonly grant: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('capacity is a whole number of forks, 1 or more');
  }

  /** Resolves with the release of the capacity taken, once it is granted; rejects if `signal` aborts first. */
  acquire(impact: number, signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(aborted(signal));
      const waiter = {
        impact,
        grant: () => {
          signal.removeEventListener('abort', abort);
          this.used += impact;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.used -= impact;
            this.grant();
          });
        },
      };
      const abort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(aborted(signal));
        this.grant();
      };
      signal.addEventListener('abort', abort, { once: true });
      this.waiting.push(waiter);
      this.grant();
    });
  }

  private grant(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if (next.impact > 0 && this.used > 0 && this.used + next.impact > this.capacity) return;
      this.waiting.shift();
      next.grant();
    }
  }
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}
