import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invocations, readCron, type SchedulerEntry } from '../../lib/schedules/eventbridge-evaluator';

/**
 * The local twin of Amazon EventBridge Scheduler: an HTTP server on 127.0.0.1 speaking its
 * REST-JSON protocol as `@aws-sdk/client-scheduler` sends it (CreateSchedule `POST /schedules/{Name}`,
 * UpdateSchedule `PUT`, GetSchedule `GET`, DeleteSchedule `DELETE`, ListSchedules `GET /schedules`;
 * timestamps as epoch seconds; errors as the `x-amzn-errortype` header and `{"Message"}`), which
 * fires its schedules: at each instant lib/schedules/eventbridge-evaluator.ts's `invocations()`
 * gives (cron in its time zone between StartDate and EndDate, or a one-time `at()`), it calls
 * `invoke` with the target's ARN and Input. Time is `now()`, a clock a test may run ahead of the
 * real one; waits are real. Requests are not signature-checked; targets are not retried.
 *
 * As the service does: schedules live in groups that must exist (`default` always does), names
 * are unique in a group, a one-time schedule whose time has passed when it is made does not run,
 * one that ran stays (ActionAfterCompletion NONE) or goes (DELETE), a DISABLED one does not run.
 * `rate()` expressions are refused: Towerless never makes them.
 */
export interface SchedulerTwinOptions {
  readonly region?: string;
  readonly account?: string;
  /** Schedule groups besides `default` (the stack makes its own). */
  readonly groups?: readonly string[];
  /** Called at each invocation, with the target's Arn and Input; a rejection is recorded. */
  readonly invoke: (targetArn: string, input: string | undefined, fire: Fire) => Promise<unknown>;
  /** The twin's clock (ms since the epoch); default Date.now. */
  readonly now?: () => number;
}

/** One invocation of a target. */
export interface Fire {
  readonly group: string;
  readonly name: string;
  /** The invocation's scheduled time (what `<aws.scheduler.scheduled-time>` would give). */
  readonly at: Date;
  readonly input?: string;
  /** Set once `invoke` settled: its rejection's message. */
  error?: string;
  done?: Promise<void>;
}

/** A schedule as the twin holds it (GetSchedule's fields). */
export interface TwinSchedule extends SchedulerEntry {
  readonly Arn: string;
  readonly Name: string;
  readonly GroupName: string;
  readonly Description?: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
  readonly FlexibleTimeWindow: {
    readonly Mode: 'OFF' | 'FLEXIBLE';
    readonly MaximumWindowInMinutes?: number;
  };
  readonly Target: { readonly Arn: string; readonly RoleArn: string; readonly Input?: string } & Record<
    string,
    unknown
  >;
  readonly KmsKeyArn?: string;
  readonly CreationDate: Date;
  readonly LastModificationDate: Date;
}

export interface SchedulerTwin {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** A client bound to the twin. */
  readonly client: SchedulerClient;
  /** The schedules held, in a group or in all. */
  schedules(group?: string): TwinSchedule[];
  /** Every invocation so far, in order. */
  readonly fired: readonly Fire[];
  /** Stops the timers, closes the server. */
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

class SchedulerError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string) => new SchedulerError('ValidationException', 400, message);
/** setTimeout's longest delay; later invocations are waited for in steps. */
const LONGEST_WAIT = 2 ** 31 - 1;
/** How far ahead the next invocation is looked for, window after window. */
const HORIZONS = [3_600_000, 86_400_000, 32 * 86_400_000, 400 * 86_400_000, 5 * 400 * 86_400_000];
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

export async function startSchedulerTwin(options: SchedulerTwinOptions): Promise<SchedulerTwin> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const now = options.now ?? Date.now;
  const groups = new Set(['default', ...(options.groups ?? [])]);
  const held = new Map<string, TwinSchedule>();
  const timers = new Map<string, NodeJS.Timeout>();
  const fired: Fire[] = [];
  let closed = false;

  const key = (group: string, name: string) => `${group}/${name}`;

  /** Sets the schedule's timer for its first invocation from `from` (inclusive). */
  function arm(schedule: TwinSchedule, from: number): void {
    const id = key(schedule.GroupName, schedule.Name);
    clearTimeout(timers.get(id));
    timers.delete(id);
    if (closed || schedule.State !== 'ENABLED') return;
    const next = nextInvocation(schedule, from);
    if (!next) return;
    const wait = next.getTime() - now();
    const timer = setTimeout(
      () => {
        if (held.get(id) !== schedule) return;
        // Not yet (a long wait in steps, or a clock moved back): wait again.
        if (now() < next.getTime()) return arm(schedule, next.getTime());
        fire(schedule, next);
        if (held.get(id) === schedule) arm(schedule, next.getTime() + 1);
      },
      Math.min(Math.max(wait, 0), LONGEST_WAIT),
    );
    timer.unref();
    timers.set(id, timer);
  }

  function fire(schedule: TwinSchedule, at: Date): void {
    const entry: Fire = { group: schedule.GroupName, name: schedule.Name, at, input: schedule.Target.Input };
    fired.push(entry);
    entry.done = options.invoke(schedule.Target.Arn, schedule.Target.Input, entry).then(
      () => undefined,
      (error: unknown) => {
        entry.error = (error as Error).message;
      },
    );
    const oneTime = schedule.ScheduleExpression.startsWith('at(');
    if (oneTime && schedule.ActionAfterCompletion === 'DELETE')
      held.delete(key(schedule.GroupName, schedule.Name));
  }

  const operations = {
    create(name: string, body: Body): Body {
      const schedule = read(name, body);
      const id = key(schedule.GroupName, name);
      if (held.has(id))
        throw new SchedulerError('ConflictException', 409, `Schedule ${name} already exists.`);
      held.set(id, schedule);
      arm(schedule, now());
      return { ScheduleArn: schedule.Arn };
    },
    update(name: string, body: Body): Body {
      const schedule = read(name, body);
      const current = existing(schedule.GroupName, name);
      const updated = { ...schedule, CreationDate: current.CreationDate };
      held.set(key(schedule.GroupName, name), updated);
      arm(updated, now());
      return { ScheduleArn: schedule.Arn };
    },
    get(name: string, query: URLSearchParams): Body {
      return { ...existing(group(query.get('groupName') ?? undefined), name) };
    },
    delete(name: string, query: URLSearchParams): Body {
      const groupName = group(query.get('groupName') ?? undefined);
      existing(groupName, name);
      held.delete(key(groupName, name));
      clearTimeout(timers.get(key(groupName, name)));
      timers.delete(key(groupName, name));
      return {};
    },
    list(query: URLSearchParams): Body {
      const groupName = query.get('ScheduleGroup');
      const prefix = query.get('NamePrefix') ?? '';
      const state = query.get('State');
      const max = Number(query.get('MaxResults') ?? 100);
      const start = Number(query.get('NextToken') ?? 0);
      const all = [...held.values()].filter(
        (s) =>
          (!groupName || s.GroupName === groupName) &&
          s.Name.startsWith(prefix) &&
          (!state || s.State === state),
      );
      const page = all.slice(start, start + max);
      return {
        Schedules: page.map((s) => ({
          Arn: s.Arn,
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        })),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    },
  };

  function group(name: string | undefined): string {
    const groupName = name ?? 'default';
    if (!groups.has(groupName))
      throw new SchedulerError(
        'ResourceNotFoundException',
        404,
        `Schedule group ${groupName} does not exist.`,
      );
    return groupName;
  }

  function existing(groupName: string, name: string): TwinSchedule {
    const schedule = held.get(key(groupName, name));
    if (!schedule)
      throw new SchedulerError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    return schedule;
  }

  /** A create's or update's body as the schedule it describes, checked as the service checks it. */
  function read(name: string, body: Body): TwinSchedule {
    if (!NAME.test(name)) throw validation(`Invalid schedule name ${name}.`);
    const groupName = group(optional(body, 'GroupName'));
    const expression = required(body, 'ScheduleExpression');
    const zone = optional(body, 'ScheduleExpressionTimezone') ?? 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      throw validation(`Invalid timezone ${zone}.`);
    }
    if (/^rate\(/.test(expression))
      throw validation('The Scheduler twin does not evaluate rate() expressions.');
    if (!/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression)) {
      try {
        readCron(expression);
      } catch (error) {
        throw validation(`Invalid Schedule Expression ${expression}. ${(error as Error).message}`);
      }
    }
    const target = body.Target as Body | undefined;
    if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string')
      throw validation('Target with Arn and RoleArn is required.');
    if (target.Input !== undefined && typeof target.Input !== 'string')
      throw validation('Target Input must be a string.');
    const window = body.FlexibleTimeWindow as Body | undefined;
    if (!window || (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE'))
      throw validation('FlexibleTimeWindow with Mode OFF or FLEXIBLE is required.');
    if (window.Mode === 'FLEXIBLE' && typeof window.MaximumWindowInMinutes !== 'number')
      throw validation('MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
    const start = timestamp(body, 'StartDate');
    const end = timestamp(body, 'EndDate');
    if (start && start.getTime() < now() - 5 * 60_000)
      throw validation(
        'The StartDate you specify cannot be earlier than 5 minutes prior to the current time.',
      );
    if (end && end.getTime() <= now())
      throw validation('The EndDate you specify cannot be earlier than the current time.');
    if (start && end && end <= start) throw validation('The StartDate must come before the EndDate.');
    const state = optional(body, 'State') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw validation(`Invalid State ${state}.`);
    const after = optional(body, 'ActionAfterCompletion') ?? 'NONE';
    if (after !== 'NONE' && after !== 'DELETE') throw validation(`Invalid ActionAfterCompletion ${after}.`);
    const modified = new Date(now());
    return {
      Arn: `arn:aws:scheduler:${region}:${account}:schedule/${groupName}/${name}`,
      Name: name,
      GroupName: groupName,
      ...(optional(body, 'Description') !== undefined ? { Description: optional(body, 'Description') } : {}),
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: zone,
      ...(start ? { StartDate: start.toISOString() } : {}),
      ...(end ? { EndDate: end.toISOString() } : {}),
      State: state,
      ActionAfterCompletion: after,
      FlexibleTimeWindow: window as TwinSchedule['FlexibleTimeWindow'],
      Target: target as TwinSchedule['Target'],
      ...(optional(body, 'KmsKeyArn') !== undefined ? { KmsKeyArn: optional(body, 'KmsKeyArn') } : {}),
      CreationDate: modified,
      LastModificationDate: modified,
    };
  }

  const server = createServer((request, response) => void answer(request, response));
  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://twin');
      const text = await readBody(request);
      const body = text ? (JSON.parse(text) as Body) : {};
      const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const name = one ? decodeURIComponent(one[1]) : undefined;
      let result: Body;
      if (url.pathname === '/schedules' && request.method === 'GET')
        result = operations.list(url.searchParams);
      else if (name && request.method === 'POST') result = operations.create(name, body);
      else if (name && request.method === 'PUT') result = operations.update(name, body);
      else if (name && request.method === 'GET') result = operations.get(name, url.searchParams);
      else if (name && request.method === 'DELETE') result = operations.delete(name, url.searchParams);
      else throw new SchedulerError('UnknownOperationException', 404, `${request.method} ${url.pathname}`);
      send(response, 200, result);
    } catch (error) {
      const known = error instanceof SchedulerError;
      const type = known ? error.type : 'InternalServerException';
      send(response, known ? error.status : 500, { Message: (error as Error).message }, type);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SchedulerClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  });
  return {
    endpoint,
    client,
    schedules: (groupName) => [...held.values()].filter((s) => !groupName || s.GroupName === groupName),
    fired,
    close: async () => {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The schedule's first invocation from `from` (inclusive), looked for in growing windows. */
function nextInvocation(schedule: SchedulerEntry, from: number): Date | undefined {
  const end = schedule.EndDate ? Date.parse(schedule.EndDate) : Infinity;
  const start = Math.max(from, schedule.StartDate ? Date.parse(schedule.StartDate) : -Infinity);
  for (const horizon of HORIZONS) {
    if (start >= end) return undefined;
    const found = invocations(schedule, new Date(from), new Date(start + horizon))[0];
    if (found || start + horizon >= end) return found;
  }
  return undefined;
}

function required(body: Body, field: string): string {
  const value = optional(body, field);
  if (value === undefined || value === '') throw validation(`${field} is required.`);
  return value;
}

function optional(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${field} must be a string.`);
  return value;
}

/** A timestamp as the SDK sends it: epoch seconds (an ISO text is read too). */
function timestamp(body: Body, field: string): Date | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw validation(`${field} is not a timestamp.`);
  return date;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** JSON with timestamps as epoch seconds; an error's type in `x-amzn-errortype`. */
function send(response: ServerResponse, status: number, body: Body, errorType?: string): void {
  const text = JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    // Held as ISO text (the evaluator's entry), sent as the timestamps they are.
    if ((key === 'StartDate' || key === 'EndDate') && typeof raw === 'string') return Date.parse(raw) / 1000;
    return value;
  });
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}
