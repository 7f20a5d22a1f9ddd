import { randomUUID } from 'node:crypto';
import { compileProgram, type Program } from './step-functions-program';
import { optionalText, requiredText, StepFunctionsError, type Request } from './step-functions-wire';

/**
 * The twin's state machines with their revisions, versions and aliases, and the operations that
 * manage them, answered with Step Functions' fields and exceptions.
 */

export interface Revision {
  readonly revisionId: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly program: Program;
}

interface Version {
  readonly arn: string;
  readonly revision: Revision;
  readonly description?: string;
  readonly creationDate: Date;
}

interface Route {
  readonly stateMachineVersionArn: string;
  readonly weight: number;
}

interface Alias {
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly creationDate: Date;
  routing: readonly Route[];
  updateDate?: Date;
}

export interface Machine {
  readonly name: string;
  readonly arn: string;
  readonly creationDate: Date;
  readonly loggingConfiguration: unknown;
  readonly tracingConfiguration: unknown;
  revision: Revision;
  readonly versions: Version[];
  /** Versions ever published: AWS never gives a deleted version's number again. */
  published: number;
  readonly aliases: Map<string, Alias>;
}

/** What a StartExecution ARN runs: the machine's latest revision, a version, or an alias's version. */
export interface StartTarget {
  readonly machine: Machine;
  readonly revision: Revision;
  readonly versionArn?: string;
  readonly aliasArn?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([^:]+)(?::([^:]+))?$/;
const MAX_RESULTS = 1000;

export class Machines {
  private readonly machines = new Map<string, Machine>();

  constructor(private readonly arnPrefix: string) {}

  create(input: Request): Record<string, unknown> {
    const name = requiredText(input, 'name');
    if (!NAME.test(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    if ((input.type ?? 'STANDARD') !== 'STANDARD')
      throw new StepFunctionsError('StateMachineTypeNotSupported', 'the twin runs STANDARD workflows only');
    const definition = requiredText(input, 'definition');
    const roleArn = requiredText(input, 'roleArn');
    const existing = this.machines.get(name);
    if (existing) return this.createAgain(existing, definition, roleArn);
    const machine: Machine = {
      name,
      arn: this.arnPrefix + name,
      creationDate: new Date(),
      loggingConfiguration: input.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: input.tracingConfiguration ?? { enabled: false },
      revision: revisionOf(definition, roleArn),
      versions: [],
      published: 0,
      aliases: new Map(),
    };
    this.machines.set(name, machine);
    const version =
      input.publish === true ? this.publishRevision(machine, input.versionDescription) : undefined;
    return {
      stateMachineArn: machine.arn,
      creationDate: machine.creationDate,
      ...(version ? { stateMachineVersionArn: version.arn } : {}),
    };
  }

  update(input: Request): Record<string, unknown> {
    const machine = this.machine(requiredText(input, 'stateMachineArn'));
    const definition = optionalText(input, 'definition');
    const roleArn = optionalText(input, 'roleArn');
    if (definition === undefined && roleArn === undefined && input.publish !== true)
      throw new StepFunctionsError('MissingRequiredParameter', 'definition or roleArn is required');
    const current = machine.revision;
    // An update that changes nothing keeps the revision (publishing it again makes no new version).
    if (
      (definition ?? current.definition) !== current.definition ||
      (roleArn ?? current.roleArn) !== current.roleArn
    )
      machine.revision = revisionOf(definition ?? current.definition, roleArn ?? current.roleArn);
    const version =
      input.publish === true ? this.publishRevision(machine, input.versionDescription) : undefined;
    return {
      updateDate: new Date(),
      revisionId: machine.revision.revisionId,
      ...(version ? { stateMachineVersionArn: version.arn } : {}),
    };
  }

  publish(input: Request): Record<string, unknown> {
    const machine = this.machine(requiredText(input, 'stateMachineArn'));
    const expected = optionalText(input, 'revisionId');
    if (expected !== undefined && expected !== machine.revision.revisionId)
      throw new StepFunctionsError('ConflictException', `revision ${expected} is not the current revision`);
    const version = this.publishRevision(machine, input.description);
    return { stateMachineVersionArn: version.arn, creationDate: version.creationDate };
  }

  listVersions(input: Request): Record<string, unknown> {
    const machine = this.machine(requiredText(input, 'stateMachineArn'));
    // Newest first, as AWS lists them.
    const all = [...machine.versions].reverse();
    const start = Number(optionalText(input, 'nextToken') ?? 0);
    const size = Math.min(Number(input.maxResults) || 100, MAX_RESULTS);
    const page = all.slice(start, start + size);
    return {
      stateMachineVersions: page.map((v) => ({
        stateMachineVersionArn: v.arn,
        creationDate: v.creationDate,
      })),
      ...(start + size < all.length ? { nextToken: String(start + size) } : {}),
    };
  }

  describe(input: Request): Record<string, unknown> {
    const arn = requiredText(input, 'stateMachineArn');
    const target = this.resolve(arn);
    const { machine, revision } = target;
    const version = machine.versions.find((v) => v.arn === target.versionArn);
    return {
      stateMachineArn: target.aliasArn ? target.versionArn : arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: revision.definition,
      roleArn: revision.roleArn,
      type: 'STANDARD',
      creationDate: version?.creationDate ?? machine.creationDate,
      loggingConfiguration: machine.loggingConfiguration,
      tracingConfiguration: machine.tracingConfiguration,
      revisionId: revision.revisionId,
      ...(version?.description ? { description: version.description } : {}),
    };
  }

  delete(input: Request): Record<string, unknown> {
    const { name, qualifier } = parseArn(requiredText(input, 'stateMachineArn'));
    if (qualifier !== undefined)
      throw new StepFunctionsError(
        'ValidationException',
        'DeleteStateMachine takes an unqualified state machine ARN',
      );
    this.machines.delete(name);
    return {};
  }

  /** Executions of the version go on; an alias's version cannot be deleted. */
  deleteVersion(input: Request): Record<string, unknown> {
    const arn = requiredText(input, 'stateMachineVersionArn');
    const { name, qualifier } = parseArn(arn);
    if (qualifier === undefined || !/^\d+$/.test(qualifier))
      throw new StepFunctionsError('ValidationException', `'${arn}' is not a version ARN`);
    const machine = this.machines.get(name);
    const index = machine?.versions.findIndex((v) => v.arn === arn) ?? -1;
    // Deleting a version that does not exist succeeds, as in AWS.
    if (!machine || index < 0) return {};
    if ([...machine.aliases.values()].some((a) => a.routing.some((r) => r.stateMachineVersionArn === arn)))
      throw new StepFunctionsError('ConflictException', `version ${arn} is referenced by an alias`);
    machine.versions.splice(index, 1);
    return {};
  }

  createAlias(input: Request): Record<string, unknown> {
    const name = requiredText(input, 'name');
    if (!NAME.test(name) || /^\d+$/.test(name))
      throw new StepFunctionsError('ValidationException', `Invalid alias name: '${name}'`);
    const routing = this.routing(input.routingConfiguration);
    const machine = this.machine(routing[0].stateMachineVersionArn.replace(/:\d+$/, ''));
    if (machine.aliases.has(name))
      throw new StepFunctionsError('ConflictException', `alias ${name} already exists`);
    const alias: Alias = {
      arn: `${machine.arn}:${name}`,
      name,
      creationDate: new Date(),
      routing,
      ...(typeof input.description === 'string' ? { description: input.description } : {}),
    };
    machine.aliases.set(name, alias);
    return { stateMachineAliasArn: alias.arn, creationDate: alias.creationDate };
  }

  updateAlias(input: Request): Record<string, unknown> {
    const alias = this.alias(requiredText(input, 'stateMachineAliasArn'));
    alias.routing = this.routing(input.routingConfiguration);
    alias.updateDate = new Date();
    return { updateDate: alias.updateDate };
  }

  describeAlias(input: Request): Record<string, unknown> {
    const alias = this.alias(requiredText(input, 'stateMachineAliasArn'));
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      routingConfiguration: alias.routing,
      creationDate: alias.creationDate,
      ...(alias.description ? { description: alias.description } : {}),
      ...(alias.updateDate ? { updateDate: alias.updateDate } : {}),
    };
  }

  /** A machine, version or alias ARN, as StartExecution takes it; an alias picks its version now. */
  resolve(arn: string): StartTarget {
    const { name, qualifier } = parseArn(arn);
    const machine = this.machines.get(name);
    if (!machine || machine.arn !== `${this.arnPrefix}${name}`) throw doesNotExist(arn);
    if (qualifier === undefined) return { machine, revision: machine.revision };
    if (/^\d+$/.test(qualifier)) {
      const version = machine.versions.find((v) => v.arn === arn);
      if (!version) throw doesNotExist(arn);
      return { machine, revision: version.revision, versionArn: version.arn };
    }
    const alias = machine.aliases.get(qualifier);
    if (!alias) throw doesNotExist(arn);
    const version = machine.versions.find((v) => v.arn === pickRoute(alias.routing))!;
    return { machine, revision: version.revision, versionArn: version.arn, aliasArn: alias.arn };
  }

  private machine(arn: string): Machine {
    const target = this.resolve(arn);
    if (target.versionArn) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}' is qualified`);
    return target.machine;
  }

  private alias(arn: string): Alias {
    const { name, qualifier } = parseArn(arn);
    const alias = qualifier === undefined ? undefined : this.machines.get(name)?.aliases.get(qualifier);
    if (!alias) throw new StepFunctionsError('ResourceNotFound', `Resource not found: '${arn}'`);
    return alias;
  }

  /** AWS does not publish a new version of a revision that already is the latest version. */
  private publishRevision(machine: Machine, description: unknown): Version {
    const latest = machine.versions.at(-1);
    if (latest?.revision === machine.revision) return latest;
    const version: Version = {
      arn: `${machine.arn}:${++machine.published}`,
      revision: machine.revision,
      creationDate: new Date(),
      ...(typeof description === 'string' ? { description } : {}),
    };
    machine.versions.push(version);
    return version;
  }

  private routing(value: unknown): Route[] {
    const routes = Array.isArray(value) ? (value as Route[]) : [];
    const weights = routes.reduce((sum, r) => sum + Number(r.weight), 0);
    if (routes.length < 1 || routes.length > 2 || weights !== 100)
      throw new StepFunctionsError(
        'ValidationException',
        'routingConfiguration needs 1 or 2 versions weighing 100 in all',
      );
    for (const route of routes) {
      const target = this.resolve(String(route.stateMachineVersionArn));
      if (!target.versionArn || target.aliasArn)
        throw new StepFunctionsError(
          'ValidationException',
          `${route.stateMachineVersionArn} is not a version ARN`,
        );
    }
    return routes.map((r) => ({
      stateMachineVersionArn: r.stateMachineVersionArn,
      weight: Number(r.weight),
    }));
  }

  /** CreateStateMachine is idempotent for the same definition and role, as in AWS. */
  private createAgain(machine: Machine, definition: string, roleArn: string): Record<string, unknown> {
    if (machine.revision.definition !== definition || machine.revision.roleArn !== roleArn)
      throw new StepFunctionsError(
        'StateMachineAlreadyExists',
        `State Machine Already Exists: '${machine.arn}'`,
      );
    return { stateMachineArn: machine.arn, creationDate: machine.creationDate };
  }
}

function revisionOf(definition: string, roleArn: string): Revision {
  return { revisionId: randomUUID(), definition, roleArn, program: compileProgram(definition) };
}

function parseArn(arn: string): { name: string; qualifier?: string } {
  const match = ARN.exec(arn);
  if (!match) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
  return match[2] === undefined ? { name: match[1] } : { name: match[1], qualifier: match[2] };
}

function doesNotExist(arn: string): StepFunctionsError {
  return new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

/** Weighted routing: each execution picks a version with its weight's probability. */
function pickRoute(routes: readonly Route[]): string {
  let draw = Math.random() * 100;
  for (const route of routes) {
    draw -= route.weight;
    if (draw < 0) return route.stateMachineVersionArn;
  }
  return routes[routes.length - 1].stateMachineVersionArn;
}
