import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

/**
 * A schedule's rule holding Jinja gives one diagnostic about the rule, however many of its parts
 * Jinja spoils: refused as needing Ansible where Ansible would render it, one error where it is
 * literal (`!unsafe`, a native bundle), never one per rule check.
 */
const RULE =
  'DTSTART:{{ start }} RRULE:FREQ={{ freq }};INTERVAL={{ every }};BYDAY={% if weekend %}SA{% endif %}';

/** The diagnostics about the rule, of a bundle of one file. */
function ruleFindings(file: string, text: string) {
  const { diagnostics } = loadBundle(join(tempBundle({ [file]: text }), file));
  return diagnostics.all.filter((d) => d.field?.endsWith('rrule')).map(formatDiagnostic);
}

const TEMPLATES = `
- awx.awx.project: { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }
- awx.awx.job_template: { name: J, project: P, playbook: j.yml }
`;

const CONFIG_TEMPLATES = `
controller_projects:
  - { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }
controller_templates:
  - { name: J, project: P, playbook: j.yml }
`;

describe('one Jinja rrule gives one diagnostic, not one per rule check', () => {
  it('in a task file: refused as needing Ansible', () => {
    const findings = ruleFindings(
      'tasks.yml',
      `${TEMPLATES}- awx.awx.schedule: { name: S, unified_job_template: J, rrule: "${RULE}" }\n`,
    );
    expect(findings).toEqual([
      expect.stringMatching(/field 'rrule', .*: is a Jinja expression only Ansible can render/),
    ]);
  });

  it('in a task file, tagged !unsafe: one error, as AWX receives it', () => {
    const findings = ruleFindings(
      'tasks.yml',
      `${TEMPLATES}- awx.awx.schedule: { name: S, unified_job_template: J, rrule: !unsafe "${RULE}" }\n`,
    );
    expect(findings).toEqual([
      expect.stringMatching(/error: schedule 'S', field 'rrule', .*: holds Jinja, which AWX does not render/),
    ]);
  });

  it('in controller_configuration variables: marked for rendering; tagged !unsafe, one error', () => {
    const schedule = (rule: string) =>
      `${CONFIG_TEMPLATES}controller_schedules:\n  - { name: S, unified_job_template: J, rrule: ${rule} }\n`;
    expect(ruleFindings('config.yml', schedule(`"${RULE}"`))).toEqual([
      expect.stringMatching(
        /field 'controller_schedules\[0\]\.rrule', .*: is a Jinja expression only Ansible can render/,
      ),
    ]);
    expect(ruleFindings('config.yml', schedule(`!unsafe "${RULE}"`))).toEqual([
      expect.stringMatching(/error: schedule 'S', field 'rrule', .*: holds Jinja, which AWX does not render/),
    ]);
  });

  it('in a native bundle: one error', () => {
    const findings = ruleFindings(
      'bundle.yml',
      `projects:
  - { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }
job_templates:
  - { name: J, project: P, playbook: j.yml }
schedules:
  - { name: S, unified_job_template: J, rrule: "${RULE}" }
`,
    );
    expect(findings).toEqual([
      expect.stringMatching(/error: schedule 'S', field 'rrule', .*: holds Jinja, which AWX does not render/),
    ]);
  });
});
