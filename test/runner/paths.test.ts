import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../lib/runner/paths';

describe('paths a definition names stay inside their root', () => {
  const root = mkdtempSync(join(tmpdir(), 'towerless-root-'));
  mkdirSync(join(root, 'project'));
  writeFileSync(join(root, 'project', '..ok.yml'), '');
  symlinkSync('/etc', join(root, 'project', 'out'));

  it('accepts names inside, including ones that start with two dots', () => {
    expect(resolveInside(join(root, 'project'), '..ok.yml')).toMatchObject({ inside: true, exists: true });
    expect(resolveInside(root, 'project')).toMatchObject({ inside: true, exists: true });
  });
  it.each(['/', '/etc/hosts', '../../../../../../', '..', 'project/../../x', 'out/hosts'])(
    'refuses %s',
    (path) => {
      expect(resolveInside(join(root, 'project'), path).inside).toBe(false);
    },
  );
});
