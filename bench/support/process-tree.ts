import { readdirSync, readFileSync } from 'node:fs';

/** A process and its descendants, from /proc (Linux). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // The command name may hold spaces and parentheses: the fields after its last ')' are fixed.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(entry));
    children.set(parent, siblings);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** A field of /proc/<pid>/status in kB (VmRSS), or of smaps_rollup (Pss); 0 if the process is gone. */
function kilobytes(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeMemory {
  /** Processes in the tree. */
  readonly processes: number;
  /** The sum of their resident set sizes, MB (pages shared between them are counted in each). */
  readonly rssMb: number;
  /** The sum of their proportional set sizes, MB (shared pages divided among their sharers). */
  readonly pssMb: number;
  /** Command names in the tree, counted. */
  readonly commands: Record<string, number>;
}

/** The memory of a process and all its descendants, now. */
export function treeMemory(root: number): TreeMemory {
  const pids = processTree(root);
  let rss = 0;
  let pss = 0;
  const commands: Record<string, number> = {};
  for (const pid of pids) {
    rss += kilobytes(pid, 'status', 'VmRSS');
    pss += kilobytes(pid, 'smaps_rollup', 'Pss');
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // ended meanwhile
    }
    commands[command] = (commands[command] ?? 0) + 1;
  }
  return { processes: pids.length, rssMb: rss / 1024, pssMb: pss / 1024, commands };
}

/** CPU time (user and system, ms) a process has used so far; its children are not counted. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** How many files, sockets and pipes a process has open. */
export function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
