import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_TARGETS,
  EXPECTATIONS,
  prepareRun,
  runTargets,
  summary,
  type Expectations,
  type TargetResult,
} from '../awx-integration/run';

/**
 * AWX's own integration tests of the awx.awx collection (test/awx-integration: the targets of AWX
 * 21.14.0, the collection Debian ships) run unchanged against `towerless serve`. Per target, the
 * tasks that pass must not fall below test/awx-integration/expectations.json: a regression fails
 * here; when more pass, record them (`npm run awx-integration -- --record`) and update the
 * README's table.
 *
 * Every target takes 10 to 30 minutes together (`npm run awx-integration`; or here with
 * AWX_INTEGRATION_TARGETS=all, or a comma-separated list). The check runs the targets below, two
 * at a time, in about two to three minutes: they cover the definitions a workflow user applies with
 * awx.awx (organizations, teams, labels, hosts, credential types, notification templates), the
 * HTTPS login checks every module shares, and the approval flow of a launched workflow (launch,
 * wait for the approval node, approve). They are the quick ones: the long targets (job_template,
 * workflow_job_template, credential, schedule, workflow_launch) take two to ten minutes each, and
 * the rest exercise what Towerless leaves out (ad hoc commands, OAuth applications, instances,
 * settings, awxkit's export and import).
 */
const CI_TARGETS = [
  'organization',
  'team',
  'label',
  'host',
  'credential_type',
  'notification_template',
  'workflow_approval',
];

const chosen = process.env.AWX_INTEGRATION_TARGETS;
const targets = chosen === 'all' ? [...ALL_TARGETS] : chosen ? chosen.split(',') : CI_TARGETS;
const recorded = (JSON.parse(readFileSync(EXPECTATIONS, 'utf8')) as Expectations).targets;
let results: Map<string, TargetResult>;

beforeAll(
  async () => {
    const run = prepareRun();
    const finished = await runTargets(run, targets, { jobs: 2, timeoutSeconds: 600 });
    results = new Map(finished.map((result) => [result.target, result]));
  },
  Math.max(290_000, targets.length * 150_000),
);

describe("AWX's integration tests of awx.awx against towerless serve", () => {
  it.each(targets)('%s: at least the recorded tasks pass', (target) => {
    const result = results.get(target)!;
    const report = JSON.stringify(summary(result, true), null, 1);
    expect(result.error, report).toBeUndefined();
    expect(result.timed_out, report).toBe(false);
    expect(result.preload_errors, report).toEqual([]);
    expect(result.passed, report).toBeGreaterThanOrEqual(recorded[target].passed);
  });
});
