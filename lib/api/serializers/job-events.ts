import type { NodeJobType } from '../../store/records';
import { API_PREFIX } from '../version';
import { summaryOf } from './jobs';

type Serialized = Record<string, unknown>;
type LoggedEvent = Record<string, unknown>;

/**
 * Events have no record of their own, so an event's id is computed from its job's id and its
 * counter: unique, stable, and read back without a store (`/job_events/{id}/`). A job's events
 * past this many are not shown.
 */
const EVENTS_PER_JOB = 10_000_000;

/** The id of the job whose event has this id. */
export function jobOfEvent(id: number): number {
  return Math.floor(id / EVENTS_PER_JOB);
}

/**
 * AWX's event kinds (awx/main/models/events.py, EVENT_TYPES): level in the playbook's tree,
 * the name shown, and whether the event is a failure.
 */
const EVENT_TYPES: Readonly<Record<string, readonly [level: number, display: string, failed: boolean]>> = {
  runner_on_failed: [3, 'Host Failed', true],
  runner_on_start: [3, 'Host Started', false],
  runner_on_ok: [3, 'Host OK', false],
  runner_on_error: [3, 'Host Failure', true],
  runner_on_skipped: [3, 'Host Skipped', false],
  runner_on_unreachable: [3, 'Host Unreachable', true],
  runner_on_no_hosts: [3, 'No Hosts Remaining', false],
  runner_on_async_poll: [3, 'Host Polling', false],
  runner_on_async_ok: [3, 'Host Async OK', false],
  runner_on_async_failed: [3, 'Host Async Failure', true],
  runner_item_on_ok: [3, 'Item OK', false],
  runner_item_on_failed: [3, 'Item Failed', true],
  runner_item_on_skipped: [3, 'Item Skipped', false],
  runner_retry: [3, 'Host Retry', false],
  runner_on_file_diff: [3, 'File Difference', false],
  playbook_on_start: [0, 'Playbook Started', false],
  playbook_on_notify: [2, 'Running Handlers', false],
  playbook_on_include: [2, 'Including File', false],
  playbook_on_no_hosts_matched: [2, 'No Hosts Matched', false],
  playbook_on_no_hosts_remaining: [2, 'No Hosts Remaining', false],
  playbook_on_task_start: [2, 'Task Started', false],
  playbook_on_vars_prompt: [1, 'Variables Prompted', false],
  playbook_on_setup: [2, 'Gathering Facts', false],
  playbook_on_import_for_host: [2, 'internal: on Import for Host', false],
  playbook_on_not_import_for_host: [2, 'internal: on Not Import for Host', false],
  playbook_on_play_start: [1, 'Play Started', false],
  playbook_on_stats: [1, 'Playbook Complete', false],
  debug: [0, 'Debug', false],
  verbose: [0, 'Verbose', false],
  deprecated: [0, 'Deprecated', false],
  warning: [0, 'Warning', false],
  system_warning: [0, 'System Warning', false],
  error: [0, 'Error', true],
};

/**
 * The fields of AWX's JobEventSerializer that the events of the other job types do not have
 * (ProjectUpdateEventSerializer, InventoryUpdateEventSerializer).
 */
const LEFT_OUT: Readonly<Record<NodeJobType, readonly string[]>> = {
  job: [],
  project_update: ['parent_uuid', 'host'],
  inventory_update: ['event_level', 'parent_uuid', 'host', 'host_name', 'playbook', 'play', 'task', 'role'],
};

/**
 * A job's logged events as AWX's event list shows them, in the order emitted (`job` is the job
 * as JobSerializer shows it). `counter`, `start_line` and `end_line` are counted here over the
 * events shown, so they stay in step even where Ansible printed plain text (which the runner
 * logs as `verbose` events with neither); `host` is null (the job record does not keep which
 * inventory's host ran: `host_name` names it). The log holds what the runner scrubbed: secrets
 * masked, `no_log` results censored by Ansible.
 */
export function serializeJobEvents(job: Serialized, logged: readonly LoggedEvent[]): Serialized[] {
  const type = job.type as NodeJobType;
  const jobId = job.id as number;
  const summary = summaryOf(job);
  // Towerless's own events (how long ansible-runner ran) are the log's, not AWX's.
  const events = logged
    .filter((event) => !String(event.event).startsWith('towerless_'))
    .slice(0, EVENTS_PER_JOB - 1);
  const outcomes = failedAndChanged(events);
  let line = 0;
  return events.map((event, index) => {
    const data = (event.event_data ?? {}) as Serialized;
    const stdout = typeof event.stdout === 'string' ? event.stdout : '';
    const start = line;
    line += stdout === '' ? 0 : stdout.split('\n').length;
    const name = String(event.event);
    const counter = index + 1;
    const id = jobId * EVENTS_PER_JOB + counter;
    const created = createdTime(event.created);
    const shown: Serialized = {
      id,
      type: `${type}_event`,
      // Only job events have a detail path in AWX; the others have no url.
      url: type === 'job' ? `${API_PREFIX}/job_events/${id}/` : '',
      related: { [type]: job.url },
      summary_fields: { [type]: summary },
      created,
      modified: created,
      [type]: jobId,
      event: name,
      counter,
      event_display: eventDisplay(name, data),
      event_data: data,
      event_level: EVENT_TYPES[name]?.[0] ?? 0,
      failed: outcomes[index].failed,
      changed: outcomes[index].changed,
      uuid: String(event.uuid ?? ''),
      parent_uuid: String(event.parent_uuid ?? ''),
      host: null,
      host_name: dataText(data, 'host'),
      playbook: dataText(data, 'playbook'),
      play: dataText(data, 'play'),
      task: dataText(data, 'task'),
      role: dataText(data, 'role'),
      stdout,
      start_line: start,
      end_line: line,
      verbosity: typeof event.verbosity === 'number' ? event.verbosity : 0,
    };
    for (const field of LEFT_OUT[type]) delete shown[field];
    return shown;
  });
}

/** A text field of an event's data, as AWX copies it to the event (trimmed, empty when absent). */
function dataText(data: Serialized, field: string): string {
  return String(data[field] ?? '').trim();
}

/** The module's result an event carries (`res`), or nothing. */
function resultOf(data: Serialized): Serialized {
  return typeof data.res === 'object' && data.res !== null ? (data.res as Serialized) : {};
}

/** ansible-runner writes UTC times without a zone; AWX shows them with `Z`. */
function createdTime(created: unknown): string | null {
  if (typeof created !== 'string' || created === '') return null;
  return /(Z|[+-]\d\d:?\d\d)$/.test(created) ? created : `${created}Z`;
}

/**
 * `failed` and `changed` as AWX derives them (BasePlaybookEvent._update_from_event_data): a
 * failure event not ignored, a result that changed; the stats event from its totals. Once the
 * playbook has ended (its stats event is in), the parents of failed or changed events (the task,
 * the play...) are marked too, one level up, as AWX marks them.
 */
function failedAndChanged(events: readonly LoggedEvent[]): { failed: boolean; changed: boolean }[] {
  const outcomes = events.map((event) => {
    const data = (event.event_data ?? {}) as Serialized;
    if (event.event === 'playbook_on_stats') {
      const total = (field: string) =>
        Object.values((data[field] ?? {}) as Record<string, number>).reduce((sum, n) => sum + n, 0);
      return { failed: total('failures') + total('dark') > 0, changed: total('changed') > 0 };
    }
    return {
      failed: EVENT_TYPES[String(event.event)]?.[2] === true && !data.ignore_errors,
      changed: Boolean(resultOf(data).changed),
    };
  });
  if (!events.some((event) => event.event === 'playbook_on_stats')) return outcomes;
  const parentsOf = (flag: 'failed' | 'changed') =>
    new Set(
      events
        .filter((event, index) => outcomes[index][flag] && event.parent_uuid)
        .map((event) => event.parent_uuid),
    );
  const [failedParents, changedParents] = [parentsOf('failed'), parentsOf('changed')];
  return outcomes.map((outcome, index) => ({
    failed: outcome.failed || failedParents.has(events[index].uuid),
    changed: outcome.changed || changedParents.has(events[index].uuid),
  }));
}

/** AWX's `event_display` (BasePlaybookEvent.get_event_display2). */
function eventDisplay(event: string, data: Serialized): string {
  const display = EVENT_TYPES[event]?.[1] ?? event;
  const [play, task, role] = ['play', 'task', 'role'].map((field) => dataText(data, field));
  if (event === 'playbook_on_play_start') return play ? `${display} (${play})` : display;
  if (event === 'playbook_on_task_start' && task) {
    const shown = data.is_conditional ? 'Handler Notified' : display;
    return role ? `${shown} (${role} | ${task})` : `${shown} (${task})`;
  }
  const result = resultOf(data);
  if (event === 'runner_on_async_ok' && (result.failed || (result.rc ?? 0) !== 0)) return 'Host Async Failed';
  if (event === 'runner_on_failed' || event === 'runner_on_async_failed') {
    if (result.msg === 'timed out') return 'Host Async Timeout';
  }
  const invocation = result.invocation as Serialized | undefined;
  if (
    (event === 'runner_on_ok' || event === 'runner_on_failed') &&
    invocation?.module_name &&
    result.ansible_job_id
  )
    return invocation.module_name === 'async_status' ? 'Host Async Checking' : 'Host Async Started';
  return display;
}
