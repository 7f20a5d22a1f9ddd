import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Bundle } from '../model/types';
import { UserError } from '../errors';
import type { JobStore } from './job-store';
import { isPart, RecordTable, type Attributes, type MainItem } from './record-table';
import {
  nodeJobType,
  type ApprovalDecision,
  type ApprovalRecord,
  type NodeJobRecord,
  type NodeJobType,
  type WorkflowJobNodeRecord,
  type WorkflowJobRecord,
  type WorkflowJobStatus,
} from './records';
import type { Sealer } from './sealer';
import { Sequences } from './sequences';
import { ACTIVE_INDEX, ACTIVE_KEY, KIND_INDEX } from './table';

/**
 * Job records in the single table (records as RecordTable writes them), one partition per
 * workflow job so that one query reads a run:
 *
 * | pk | sk | holds |
 * |---|---|---|
 * | `WJ#<id>` | `JOB` | the workflow job |
 * | `WJ#<id>` | `WJNODE#<identifier>` | a workflow job node |
 * | `WJ#<id>` | `NODE#<identifier>` | the job of a node (its latest attempt, when it retried) |
 * | `WJ#<id>` | `TRY#<identifier>#<attempt>` | an earlier attempt of a node's job (docs/semantics.md §13.12) |
 * | `WJ#<id>` | `APPROVAL#<identifier>` | the approval of an approval node |
 * | `WJ#<id>` | `DEFINITIONS` | the definitions it launched with |
 * | `JOB#<id>` | `P` | where the node job of that id lives (workflow job, node, and attempt if earlier) |
 *
 * Workflow jobs, nodes, node jobs and approvals are listed in id order through the `kind` index
 * under AWX's type names (`workflow_job`, `workflow_job_node`, `job`, `project_update`,
 * `inventory_update`, `workflow_approval`). Status changes are conditional on top-level
 * attributes: `phase` (a workflow job's status), `active` (present while unfinished) and
 * `decision` (an approval's status). What must not be readable from the store (survey password
 * answers, the saved definitions) is sealed on the way in.
 */
export class DynamoJobStore implements JobStore {
  private readonly table: RecordTable;
  private readonly sequences: Sequences;

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly sealer: Sealer,
  ) {
    this.table = new RecordTable(client, tableName);
    this.sequences = new Sequences(this.table);
  }

  nextJobId(): Promise<number> {
    return this.sequences.next('unified_job');
  }

  nextNodeIds(count: number): Promise<number[]> {
    return this.sequences.reserve('workflow_job_node', count);
  }

  async createWorkflowJob(record: WorkflowJobRecord): Promise<void> {
    try {
      await this.putWorkflowJob(record, { condition: 'attribute_not_exists(pk)' });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Error(`workflow job ${record.id} already exists`);
      throw error;
    }
  }

  async getWorkflowJob(id: number): Promise<WorkflowJobRecord | undefined> {
    const main = await this.table.item(workflowJobKey(id), 'JOB');
    if (!main) return undefined;
    const record = await this.table.read<WorkflowJobRecord>(main);
    if (typeof main.sealed !== 'string') return record;
    let opened: Buffer;
    try {
      opened = this.sealer.open(main.sealed);
    } catch {
      throw new UserError(
        `the sealing key does not open the sealed values of workflow job ${id}: the key was replaced, or the record altered`,
      );
    }
    return { ...record, secret_vars: JSON.parse(opened.toString('utf8')) };
  }

  /**
   * The job record an item holds, as a DynamoDB stream shows the item (its new or old image),
   * by what its key says it is; undefined for any other item. Sealed values stay sealed.
   */
  async streamedRecord(item: MainItem): Promise<StreamedJobRecord | undefined> {
    if (!item.pk.startsWith(workflowJobKey(0).slice(0, -1)) || isPart(item.sk)) return undefined;
    if (item.sk === 'JOB') return { type: 'workflow_job', record: await this.table.read(item) };
    if (item.sk.startsWith('NODE#')) return { type: 'node_job', record: await this.table.read(item) };
    if (item.sk.startsWith('APPROVAL#')) return { type: 'approval', record: await this.table.read(item) };
    return undefined;
  }

  /** Listed without their sealed values (a list never shows them). */
  listWorkflowJobs(): Promise<WorkflowJobRecord[]> {
    return this.kindRecords<WorkflowJobRecord>('workflow_job');
  }

  startWorkflowJob(id: number, started: string): Promise<boolean> {
    return this.transition(id, { status: 'running', started }, PENDING_CONDITION, { ':pending': 'pending' });
  }

  /** Ends a workflow job; its sealed values stay as they are, unopened (the key may be gone). */
  finishWorkflowJob(
    id: number,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation' | 'canceled_on'>,
  ): Promise<boolean> {
    // Only while it is still unfinished: the one who ends it first wins, whoever writes second.
    return this.transition(id, update, UNFINISHED_CONDITION, { ':active': ACTIVE_KEY });
  }

  claimResume(id: number, by: number, stale?: number): Promise<boolean> {
    return stale === undefined
      ? this.transition(id, { resumed_by: by }, RESUMABLE_CONDITION)
      : this.transition(id, { resumed_by: by }, STALE_CLAIM_CONDITION, { ':stale': stale });
  }

  async unfinishedWorkflowJobs(): Promise<WorkflowJobRecord[]> {
    const keys = await this.table.query({
      IndexName: ACTIVE_INDEX,
      KeyConditionExpression: 'active = :active',
      ExpressionAttributeValues: marshall({ ':active': ACTIVE_KEY }),
    });
    // Read without opening sealed values: ending jobs left by a dead process must work even when
    // the key that sealed them is gone.
    const records = await Promise.all(
      keys.map(async (key) => {
        const main = await this.table.item(key.pk, 'JOB');
        return main && this.table.read<WorkflowJobRecord>(main);
      }),
    );
    return records.filter((record): record is WorkflowJobRecord => record !== undefined);
  }

  /** A status change, written only while `condition` holds; false when it no longer does. */
  private async transition(
    id: number,
    update: Partial<WorkflowJobRecord>,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    const main = await this.table.item(workflowJobKey(id), 'JOB');
    if (!main) throw new Error(`workflow job ${id} does not exist`);
    const current = await this.table.read<WorkflowJobRecord>(main);
    const sealed = typeof main.sealed === 'string' ? main.sealed : undefined;
    try {
      await this.putWorkflowJob({ ...current, ...update }, { condition, values, sealed });
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Secret vars go in sealed; an unfinished job is listed in the `active` index. */
  private async putWorkflowJob(
    record: WorkflowJobRecord,
    options: { condition: string; values?: Record<string, unknown>; sealed?: string },
  ): Promise<void> {
    const { secret_vars: secretVars, ...stored } = record;
    const attributes: Record<string, string | number> = {
      kind: 'workflow_job',
      kid: record.id,
      phase: record.status,
    };
    if (options.sealed) attributes.sealed = options.sealed;
    else if (secretVars && Object.keys(secretVars).length > 0)
      attributes.sealed = this.sealer.seal(Buffer.from(JSON.stringify(secretVars)));
    if (UNFINISHED.includes(record.status))
      Object.assign(attributes, { active: ACTIVE_KEY, started: record.created });
    if (record.resumed_by !== undefined) attributes.resumed = record.resumed_by;
    await this.table.put(workflowJobKey(record.id), 'JOB', stored, {
      condition: options.condition,
      attributes,
      ...(options.values ? { values: options.values } : {}),
    });
  }

  /** A node's `job` is not kept here: it is read from the node's job record, the one place it lives. */
  async putWorkflowJobNodes(records: readonly WorkflowJobNodeRecord[]): Promise<void> {
    await Promise.all(
      records.map(({ job: _job, ...record }) =>
        this.table.put(workflowJobKey(record.workflowJob), `WJNODE#${record.identifier}`, record, {
          attributes: { kind: 'workflow_job_node', kid: record.id },
        }),
      ),
    );
  }

  async workflowJobNodes(workflowJob: number): Promise<WorkflowJobNodeRecord[]> {
    const [nodes, jobs] = await Promise.all([
      this.table.records<StoredNode>(workflowJobKey(workflowJob), 'WJNODE#'),
      this.nodeJobs(workflowJob),
    ]);
    const ids = new Map(jobs.map((job) => [job.node, job.id]));
    return nodes
      .map((node) => ({ ...node, job: ids.get(node.identifier) ?? null }))
      .sort((a, b) => a.id - b.id);
  }

  async getWorkflowJobNode(id: number): Promise<WorkflowJobNodeRecord | undefined> {
    const [node] = await this.kindRecords<StoredNode>('workflow_job_node', id);
    return node && this.withJob(node);
  }

  async findWorkflowJobNode(
    workflowJob: number,
    identifier: string,
  ): Promise<WorkflowJobNodeRecord | undefined> {
    const node = await this.table.get<StoredNode>(workflowJobKey(workflowJob), `WJNODE#${identifier}`);
    return node && this.withJob(node);
  }

  private async withJob(node: StoredNode): Promise<WorkflowJobNodeRecord> {
    return { ...node, job: (await this.getNodeJob(node.workflowJob, node.identifier))?.id ?? null };
  }

  async createNodeJob(record: NodeJobRecord): Promise<void> {
    // The pointer first: a record that exists is always findable by its id.
    if (record.id !== null)
      await this.table.put(jobKey(record.id), 'P', { workflowJob: record.workflowJob, node: record.node });
    await this.putNodeJob(record);
  }

  async putNodeJob(record: NodeJobRecord): Promise<void> {
    await this.table.put(workflowJobKey(record.workflowJob), `NODE#${record.node}`, record, {
      attributes: typeListing(record),
    });
  }

  async getNodeJob(workflowJob: number, node: string): Promise<NodeJobRecord | undefined> {
    return this.table.get<NodeJobRecord>(workflowJobKey(workflowJob), `NODE#${node}`);
  }

  async nodeJobs(workflowJob: number): Promise<NodeJobRecord[]> {
    return this.table.records<NodeJobRecord>(workflowJobKey(workflowJob), 'NODE#');
  }

  async findNodeJob(id: number): Promise<NodeJobRecord | undefined> {
    const where = await this.pointer(id);
    if (where?.attempt !== undefined)
      return this.table.get<NodeJobRecord>(
        workflowJobKey(where.workflowJob),
        attemptKey(where.node, where.attempt),
      );
    return where && this.getNodeJob(where.workflowJob, where.node);
  }

  async archiveNodeJob(record: NodeJobRecord): Promise<void> {
    const attempt = record.attempt ?? 1;
    await this.table.put(
      workflowJobKey(record.workflowJob),
      attemptKey(record.node, attempt),
      { ...record, attempt },
      { attributes: typeListing(record) },
    );
    // Then the pointer: the job is findable by its id at every moment.
    if (record.id !== null)
      await this.table.put(jobKey(record.id), 'P', {
        workflowJob: record.workflowJob,
        node: record.node,
        attempt,
      });
  }

  listNodeJobs(type: NodeJobType): Promise<NodeJobRecord[]> {
    return this.kindRecords<NodeJobRecord>(type);
  }

  async createApproval(record: ApprovalRecord): Promise<void> {
    await this.table.put(jobKey(record.id), 'P', { workflowJob: record.workflowJob, node: record.node });
    await this.putApproval(record, 'attribute_not_exists(pk)');
  }

  async getApproval(id: number): Promise<ApprovalRecord | undefined> {
    const where = await this.pointer(id);
    return (
      where && this.table.get<ApprovalRecord>(workflowJobKey(where.workflowJob), `APPROVAL#${where.node}`)
    );
  }

  listApprovals(): Promise<ApprovalRecord[]> {
    return this.kindRecords<ApprovalRecord>('workflow_approval');
  }

  async decideApproval(id: number, decision: ApprovalDecision): Promise<boolean> {
    const current = await this.getApproval(id);
    if (current?.status !== 'pending') return false;
    try {
      await this.putApproval(
        {
          ...current,
          status: decision.status,
          decided_by: decision.by,
          ...(decision.via ? { decided_via: decision.via } : {}),
          decided: decision.at,
        },
        'decision = :pending',
        { ':pending': 'pending' },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async putApproval(
    record: ApprovalRecord,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<void> {
    await this.table.put(workflowJobKey(record.workflowJob), `APPROVAL#${record.node}`, record, {
      condition,
      ...(values ? { values } : {}),
      attributes: { kind: 'workflow_approval', kid: record.id, decision: record.status },
    });
  }

  async putDefinitions(workflowJob: number, bundle: Bundle): Promise<void> {
    // Gzipped (a bundle of hundreds of templates stays far below the item limit), then sealed.
    const definitions = this.sealer.seal(gzipSync(JSON.stringify(bundle)));
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: workflowJobKey(workflowJob), sk: 'DEFINITIONS', definitions }),
      }),
    );
  }

  async getDefinitions(workflowJob: number): Promise<Bundle | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: workflowJobKey(workflowJob), sk: 'DEFINITIONS' }),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const sealed = unmarshall(Item).definitions as string;
    return JSON.parse(gunzipSync(this.sealer.open(sealed)).toString('utf8')) as Bundle;
  }

  private async pointer(id: number): Promise<JobPointer | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    return this.table.get<JobPointer>(jobKey(id), 'P');
  }

  /** Records of one kind from the `kind` index, in id order (or the one with that id). */
  private async kindRecords<T>(kind: string, id?: number): Promise<T[]> {
    const items: MainItem[] = await this.table.query({
      IndexName: KIND_INDEX,
      KeyConditionExpression: id === undefined ? 'kind = :kind' : 'kind = :kind AND kid = :kid',
      ExpressionAttributeValues: marshall(
        id === undefined ? { ':kind': kind } : { ':kind': kind, ':kid': id },
      ),
    });
    return Promise.all(items.map((item) => this.table.read<T>(item)));
  }
}

type StoredNode = Omit<WorkflowJobNodeRecord, 'job'>;

/** Where a job lives: its workflow job and node, and which earlier attempt it was, if it was one. */
interface JobPointer {
  readonly workflowJob: number;
  readonly node: string;
  readonly attempt?: number;
}

/**
 * Where a node's job is listed: under its AWX type (`job`, `project_update`...) by id. Approvals
 * and nested workflow jobs are listed as such elsewhere; a kept copy where its job ran.
 */
function typeListing(record: NodeJobRecord): Attributes {
  const type = nodeJobType(record.kind);
  return type && record.id !== null && record.kept_from === undefined ? { kind: type, kid: record.id } : {};
}

/** Attempts sort in order under their node (a node retries at most 100 times). */
function attemptKey(node: string, attempt: number): string {
  return `TRY#${node}#${String(attempt).padStart(3, '0')}`;
}

/**
 * The table stream's records of job records (what `streamedRecord` reads), as an event filter
 * pattern: the notifier's event source passes only these.
 */
export const JOB_RECORD_STREAM_FILTER = {
  dynamodb: {
    Keys: {
      pk: { S: [{ prefix: workflowJobKey(0).slice(0, -1) }] },
      sk: { S: ['JOB', { prefix: 'NODE#' }, { prefix: 'APPROVAL#' }] },
    },
  },
};

export type StreamedJobRecord =
  | { readonly type: 'workflow_job'; readonly record: WorkflowJobRecord }
  | { readonly type: 'node_job'; readonly record: NodeJobRecord }
  | { readonly type: 'approval'; readonly record: ApprovalRecord };

function workflowJobKey(id: number): string {
  return `WJ#${id}`;
}

function jobKey(id: number): string {
  return `JOB#${id}`;
}

const UNFINISHED: readonly WorkflowJobStatus[] = ['pending', 'running'];
/** An unfinished workflow job is the one that carries the `active` index key. */
const UNFINISHED_CONDITION = 'active = :active';
/** Ended, and not resumed yet. */
const RESUMABLE_CONDITION = 'attribute_not_exists(active) AND attribute_not_exists(resumed)';
/** Ended, and claimed by a resume that created no job. */
const STALE_CLAIM_CONDITION = 'attribute_not_exists(active) AND resumed = :stale';
const PENDING_CONDITION = 'phase = :pending';
