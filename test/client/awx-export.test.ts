import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBundle } from '../../lib/client/apply';
import type { AwxClient } from '../../lib/client/awx-client';
import { awxExportOf, exportAwx } from '../../lib/client/awx-export';
import { loadBundle } from '../../lib/model';
import { openApiFixture, type ApiFixture } from '../api/api-fixture';
import { fixtureClient, withoutAwxDefaults } from './servers';

const fixtures = join(__dirname, '../fixtures/in-the-wild/awx-export');
const RELEASE = join(fixtures, 'release-pipeline.json');

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('the AWX export writer', () => {
  it('writes a loaded export back as it was, but for key order', () => {
    const { bundle, diagnostics } = loadBundle(RELEASE);
    expect(diagnostics.errors).toEqual([]);
    expect(awxExportOf(bundle)).toEqual(fixture(RELEASE));
  });

  it('writes a YAML export back as JSON: the lists it has as they were, the others empty', () => {
    const path = join(fixtures, 'monthly-patching.yml');
    const original = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const written = awxExportOf(loadBundle(path).bundle);
    // The lists of the release export, written by `awx export` with each list's flag.
    expect(Object.keys(written)).toEqual(Object.keys(fixture(RELEASE) as object));
    for (const [list, objects] of Object.entries(written)) expect(objects).toEqual(original[list] ?? []);
  });
});

describe('export --format awx', () => {
  let api: ApiFixture;
  let client: AwxClient;
  beforeAll(async () => {
    api = await openApiFixture();
    client = fixtureClient(api);
  });
  afterAll(() => api.close());

  it('an AWX export applied, then exported, is the same export', async () => {
    const { bundle, diagnostics } = loadBundle(RELEASE);
    expect(diagnostics.errors).toEqual([]);
    await applyBundle(client, bundle, () => undefined);
    const written = await exportAwx(client);
    // What `awx export` prints: JSON indented by 5, ASCII only.
    expect(written).toMatch(/^\{\n {5}"credential_types": \[\n/);
    const exported = JSON.parse(written) as Record<string, { name: string }[]>;
    // The server's own default objects are exported too, as `awx export` of any AWX writes them.
    expect(exported.job_templates.map((template) => template.name)).toContain('Demo Job Template');
    expect(withoutAwxDefaults(exported)).toEqual(fixture(RELEASE));
  });
});
