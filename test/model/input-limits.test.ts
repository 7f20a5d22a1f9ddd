import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { INPUT_LIMITS } from '../../lib/model/input-limits';
import { tempBundle } from '../support/files';

const PROJECT = 'projects:\n  - { name: P, local_path: p }\n';

function messages(path: string): string[] {
  return loadBundle(path).diagnostics.all.map(formatDiagnostic);
}

function templates(count: number): string {
  const lines = [PROJECT, 'job_templates:\n'];
  for (let i = 0; i < count; i++) lines.push(`  - {name: t${i}, project: P, playbook: p.yml}\n`);
  return lines.join('');
}

describe('input limits (docs/input-limits.md)', () => {
  it('130,000 job templates in one file load (no stack overflow, no quadratic step)', () => {
    const result = loadBundle(join(tempBundle({ 'big.yml': templates(130_000) }), 'big.yml'));
    expect(result.diagnostics.errors).toEqual([]);
    expect(result.bundle.job_templates).toHaveLength(130_000);
  }, 60_000);

  it('a file over the size limit is refused before it is read, naming the file, limit and size', () => {
    const folder = tempBundle({ 'ok.yml': PROJECT });
    const big = join(folder, 'big.yml');
    writeFileSync(big, '');
    truncateSync(big, INPUT_LIMITS.fileBytes.value + 1);
    expect(messages(folder)).toContainEqual(
      expect.stringMatching(
        /big\.yml: error: the file is 32\.0 MiB; the limit is 32 MiB per file \(see docs\/input-limits\.md\)$/,
      ),
    );
  });

  it('files that add up to more than the bundle limit are refused', () => {
    const folder = tempBundle({ 'a.yml': PROJECT });
    const comment = `#${'x'.repeat(INPUT_LIMITS.fileBytes.value - 2)}\n`;
    const files = Math.ceil(INPUT_LIMITS.bundleBytes.value / INPUT_LIMITS.fileBytes.value) + 1;
    try {
      for (let i = 0; i < files; i++) writeFileSync(join(folder, `filler-${i}.yml`), comment);
      expect(messages(folder)).toContainEqual(
        expect.stringMatching(/: error: the files add up to more than 128 MiB; the limit is 128 MiB for all/),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('a folder with more files than the limit is refused without reading them', () => {
    const folder = tempBundle({});
    for (let i = 0; i <= INPUT_LIMITS.files.value; i++) writeFileSync(join(folder, `f${i}.yml`), '');
    expect(messages(folder)).toEqual([
      expect.stringMatching(
        /: error: the folder holds more than 10,000 \.yml\/\.yaml files; the limit is 10,000 \.yml\/\.yaml files per bundle/,
      ),
    ]);
  }, 60_000);

  it('more resources than the limit are refused', () => {
    const lines = ['projects:\n'];
    for (let i = 0; i <= INPUT_LIMITS.resources.value; i++) lines.push('  - {}\n');
    expect(messages(join(tempBundle({ 'many.yml': lines.join('') }), 'many.yml'))).toEqual([
      expect.stringMatching(
        /: error: the files read so far hold 250,001 resources and tasks; the limit is 250,000 resources and awx\.awx tasks per bundle/,
      ),
    ]);
  }, 60_000);

  it('nesting deeper than the limit is refused with its line; the limit itself is fine', () => {
    const nested = (depth: number) => `a: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    const block = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}k:\n`).join('');
    const folder = tempBundle({
      'flow.yml': nested(2000),
      'block.yml': block,
      'ok.yml': `${PROJECT}${'job_templates:\n  - name: T\n    project: P\n    playbook: p.yml\n    extra_vars:\n'}      v: ${'['.repeat(INPUT_LIMITS.nestingDepth.value - 4)}1${']'.repeat(INPUT_LIMITS.nestingDepth.value - 4)}\n`,
    });
    const found = messages(folder);
    const limit = 'the limit is 100 levels of nested mappings and lists \\(see docs/input-limits\\.md\\)';
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(`block\\.yml:102: error: mappings and lists nest deeper than 100 levels; ${limit}`),
      ),
      expect.stringMatching(
        new RegExp(`flow\\.yml:1: error: mappings and lists nest deeper than 100 levels; ${limit}`),
      ),
    ]);
  });

  it('an alias bomb is refused with the number of nodes its aliases stand for', () => {
    const levels = 'abcdefghi'.split('');
    const text = levels
      .map((name, i) =>
        i === 0
          ? `${name}: &${name} [lol, lol, lol, lol, lol, lol, lol, lol, lol]`
          : `${name}: &${name} [${Array(9)
              .fill(`*${levels[i - 1]}`)
              .join(', ')}]`,
      )
      .join('\n');
    expect(messages(join(tempBundle({ 'bomb.yml': text }), 'bomb.yml'))).toEqual([
      expect.stringMatching(
        /bomb\.yml:7: error: aliases stand for 490,329,036 nodes; the limit is 1,000,000 YAML nodes reached through aliases per file/,
      ),
    ]);
  });

  it('special files never hang: each is named, and the regular files beside them still load', () => {
    const folder = tempBundle({ 'good.yml': PROJECT });
    symlinkSync('/dev/zero', join(folder, 'zero.yml'));
    execFileSync('mkfifo', [join(folder, 'pipe.yml')]);
    mkdirSync(join(folder, 'dir.yml', 'inner'), { recursive: true });
    symlinkSync(join(folder, 'dir.yml'), join(folder, 'link.yml'));
    const found = messages(folder);
    expect(found).toEqual([
      expect.stringMatching(
        /link\.yml: error: a folder, not a regular file: Towerless reads only regular files$/,
      ),
      expect.stringMatching(/pipe\.yml: error: a named pipe \(FIFO\), not a regular file/),
      expect.stringMatching(/zero\.yml: error: a character device, not a regular file/),
    ]);
    expect(messages('/dev/zero')).toEqual([expect.stringMatching(/^\/dev\/zero: error: a character device/)]);
  });
});
