import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, EventLogError, nodeFileName } from '../../lib/local/event-log';

describe('event log file names', () => {
  it('are distinct for distinct identifiers, never paths or hidden files', () => {
    const ids = [
      'a/b',
      'a_b',
      'a b',
      'a%2Fb',
      '..',
      '../../x',
      '.hidden',
      '',
      'é',
      'x'.repeat(600),
      'x'.repeat(601),
    ];
    const names = ids.map(nodeFileName);
    expect(new Set(names).size).toBe(ids.length);
    for (const name of names) {
      expect(name).not.toMatch(/[/\s]|^\./);
      expect(Buffer.byteLength(`${name}.jsonl`)).toBeLessThanOrEqual(255);
    }
  });
});

describe('event log', () => {
  it('writes each job its own private file, one whole JSON line per event', () => {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-logs-'));
    const log = new EventLog(folder);
    log.write({ workflow_job: 'wj', node: 'a/b', event: 'one' });
    log.write({ workflow_job: 'wj', node: 'a_b', event: 'two' });
    log.close();
    const file = join(folder, 'wj', 'a%2Fb.jsonl');
    expect(readFileSync(file, 'utf8')).toBe('{"workflow_job":"wj","node":"a/b","event":"one"}\n');
    expect(existsSync(join(folder, 'wj', 'a_b.jsonl'))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'wj')).mode & 0o777).toBe(0o700);
  });
  it('keeps few files open however many jobs it logs, and appends to one it closed', () => {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-logs-'));
    const log = new EventLog(folder);
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let job = 0; job < 500; job++) log.write({ workflow_job: job, node: 'n', event: 'first' });
    expect(open() - before).toBeLessThanOrEqual(64);
    log.write({ workflow_job: 0, node: 'n', event: 'again' });
    log.close();
    expect(open()).toBeLessThanOrEqual(before);
    expect(readFileSync(join(folder, '0', 'n.jsonl'), 'utf8')).toBe(
      '{"workflow_job":0,"node":"n","event":"first"}\n{"workflow_job":0,"node":"n","event":"again"}\n',
    );
  });
  it("reads a job's events back in order, leaving out a line still being written", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-logs-'));
    const log = new EventLog(folder);
    log.write({ workflow_job: 7, node: 'a/b', event: 'one' });
    log.write({ workflow_job: 7, node: 'a/b', event: 'two' });
    log.close();
    appendFileSync(join(folder, '7', 'a%2Fb.jsonl'), '{"workflow_job":7,"no');
    expect((await log.events(7, 'a/b')).map((event) => event.event)).toEqual(['one', 'two']);
    expect(await log.events(7, 'other')).toEqual([]);
    expect(await log.events(8, 'a/b')).toEqual([]);
  });
  it('throws a clear error on a full disk and leaves no half line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-logs-'));
    mkdirSync(join(folder, 'wj'));
    // /dev/full answers every write with ENOSPC, as a full disk does.
    symlinkSync('/dev/full', join(folder, 'wj', 'n.jsonl'));
    const log = new EventLog(folder);
    let error: unknown;
    try {
      log.write({ workflow_job: 'wj', node: 'n', stdout: 'x'.repeat(10_000) });
    } catch (thrown) {
      error = thrown;
    }
    log.close();
    expect(error).toBeInstanceOf(EventLogError);
    expect((error as Error).message).toBe(
      `cannot write the event log ${join(folder, 'wj', 'n.jsonl')}: no space left on the device`,
    );
  });
});
