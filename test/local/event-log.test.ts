import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
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
