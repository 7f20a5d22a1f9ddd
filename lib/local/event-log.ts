import { createHash } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemErrorReason, UserError } from '../errors';
import type { JobEventSource } from '../store/job-events';

/**
 * Each job's sanitised events, one JSON line each, in `logs/<workflow job>/<node>.jsonl` of the
 * data folder. Lines are whole or absent: a write that fails (a full disk) is undone, so a reader
 * never meets half a line, and the failure is thrown for the node to fail with.
 */
export class EventLog implements JobEventSource {
  private readonly files = new Map<string, { fd: number; size: number }>();

  constructor(private readonly folder: string) {}

  write(event: Record<string, unknown>): void {
    const path = this.pathOf(event.workflow_job, event.node);
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    const file = this.open(path);
    try {
      let written = 0;
      while (written < line.length) written += writeSync(file.fd, line, written);
      file.size += line.length;
    } catch (error) {
      try {
        ftruncateSync(file.fd, file.size);
      } catch {
        // The line may stay cut; the node fails either way.
      }
      throw new EventLogError(path, error);
    }
  }

  async events(workflowJob: number, node: string): Promise<Record<string, unknown>[]> {
    let text: string;
    try {
      text = await readFile(this.pathOf(workflowJob, node), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A line still being written (its job runs) has no newline yet: it is read next time.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    return whole === ''
      ? []
      : whole
          .slice(0, -1)
          .split('\n')
          .map((line) => JSON.parse(line));
  }

  close(): void {
    for (const { fd } of this.files.values()) closeSync(fd);
    this.files.clear();
  }

  private pathOf(workflowJob: unknown, node: unknown): string {
    return join(this.folder, nodeFileName(String(workflowJob)), `${nodeFileName(String(node))}.jsonl`);
  }

  private open(path: string): { fd: number; size: number } {
    let file = this.files.get(path);
    if (file) {
      // Most recently used last: the first entry is the one closed when too many are open.
      this.files.delete(path);
      this.files.set(path, file);
      return file;
    }
    // A server writes the logs of thousands of jobs: only the most recently written stay open (a
    // later event of a closed one reopens it), so the process never runs out of file descriptors.
    if (this.files.size >= MAX_OPEN_FILES) {
      const [oldest, { fd }] = this.files.entries().next().value!;
      this.files.delete(oldest);
      closeSync(fd);
    }
    try {
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      const fd = openSync(path, 'a', 0o600);
      // Appending to an existing log: its size is where a failed write is cut back to.
      file = { fd, size: fstatSync(fd).size };
    } catch (error) {
      throw new EventLogError(path, error);
    }
    this.files.set(path, file);
    return file;
  }
}

/** An event log cannot be written: the node that produced the event fails with this. */
export class EventLogError extends UserError {
  constructor(path: string, cause: unknown) {
    super(`cannot write the event log ${path}: ${systemErrorReason(cause)}`);
  }
}

/**
 * A node identifier (or workflow job id) as a file name, injectively: letters, digits, `_` and `-`
 * stay, every other byte becomes `%XX`. So `a/b`, `a_b` and `a b` get three files, `..` or a
 * leading `.` can never make a path or a hidden file, and the name reads back exactly. Names that
 * would pass the file system's 255-byte limit keep their start and gain a hash of the whole.
 */
export function nodeFileName(identifier: string): string {
  const encoded = [...Buffer.from(identifier, 'utf8')]
    .map((byte) =>
      SAFE_BYTE.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  if (encoded.length <= MAX_NAME) return encoded || '%';
  const hash = createHash('sha256').update(identifier).digest('hex').slice(0, 16);
  return `${encoded.slice(0, MAX_NAME - 17)}~${hash}`;
}

/** Event log files kept open at once (one per node job that is writing; more is rare). */
const MAX_OPEN_FILES = 64;

const SAFE_BYTE = /^[A-Za-z0-9_-]$/;
/** Leaves room for the `.jsonl` suffix within 255 bytes. */
const MAX_NAME = 240;
