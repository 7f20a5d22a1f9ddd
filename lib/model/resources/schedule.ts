import type { FieldReader } from '../field-reader';
import { checkRrule } from '../rrule';
import type { Schedule } from '../types';
import { readBase } from './common';

export function readSchedule(reader: FieldReader): Schedule {
  const schedule: Schedule = {
    ...readBase(reader),
    unified_job_template: reader.requiredString('unified_job_template'),
    rrule: reader.requiredString('rrule'),
    enabled: reader.boolean('enabled', true),
    extra_data: reader.vars('extra_data'),
    inventory: reader.nullableString('inventory'),
    limit: reader.nullableString('limit'),
    scm_branch: reader.nullableString('scm_branch'),
    job_tags: reader.nullableString('job_tags'),
    skip_tags: reader.nullableString('skip_tags'),
  };
  if (schedule.rrule) {
    const findings = checkRrule(schedule.rrule);
    for (const message of findings.errors) reader.fail('rrule', schedule.rrule, message);
    for (const message of findings.awxOnly) {
      reader.diagnostics.awxRefuses({
        source: reader.sourceOf('rrule'),
        resource: reader.resource,
        field: 'rrule',
        value: schedule.rrule,
        message: `${message}; Towerless reads it as INTERVAL=1 (RFC 5545 default)`,
      });
    }
  }
  return schedule;
}
