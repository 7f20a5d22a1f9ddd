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
import { RecordTable } from './record-table';
import type { NodeJobRecord, WorkflowJobRecord, WorkflowJobStatus } from './records';
import type { Sealer } from './sealer';
import { ACTIVE_INDEX, ACTIVE_KEY } from './table';

/**
 * Job records in the single table: `pk = WJ#<workflow job>` with `sk = JOB` for the workflow job,
 * `sk = NODE#<node>` for each node job and `sk = DEFINITIONS` for the launch's definitions, so one
 * query reads a run (records as RecordTable writes them). What must not be readable from the store
 * (survey password answers, the saved definitions) is sealed on the way in.
 */
export class DynamoJobStore implements JobStore {
  private readonly table: RecordTable;

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly sealer: Sealer,
  ) {
    this.table = new RecordTable(client, tableName);
  }

  async createWorkflowJob(record: WorkflowJobRecord): Promise<void> {
    try {
      await this.putWorkflowJob(record, 'attribute_not_exists(pk)');
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Error(`workflow job ${record.id} already exists`);
      throw error;
    }
  }

  async getWorkflowJob(id: string): Promise<WorkflowJobRecord | undefined> {
    const main = await this.table.item(`WJ#${id}`, 'JOB');
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

  /** Ends a workflow job; its sealed values stay as they are, unopened (the key may be gone). */
  async finishWorkflowJob(
    id: string,
    update: Pick<WorkflowJobRecord, 'status' | 'finished' | 'job_explanation'>,
  ): Promise<boolean> {
    const main = await this.table.item(`WJ#${id}`, 'JOB');
    if (!main) throw new Error(`workflow job ${id} does not exist`);
    const current = await this.table.read<WorkflowJobRecord>(main);
    if (!UNFINISHED.includes(current.status)) return false;
    const sealed = typeof main.sealed === 'string' ? main.sealed : undefined;
    try {
      // Only while it is still unfinished: the one who ends it first wins, whoever writes second.
      await this.putWorkflowJob({ ...current, ...update }, UNFINISHED_CONDITION, sealed);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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

  /** Secret vars go in sealed; an unfinished job is listed in the `active` index. */
  private async putWorkflowJob(record: WorkflowJobRecord, condition: string, sealed?: string): Promise<void> {
    const { secret_vars: secretVars, ...stored } = record;
    const attributes: Record<string, string> = {};
    if (sealed) attributes.sealed = sealed;
    else if (secretVars && Object.keys(secretVars).length > 0)
      attributes.sealed = this.sealer.seal(Buffer.from(JSON.stringify(secretVars)));
    if (UNFINISHED.includes(record.status))
      Object.assign(attributes, { active: ACTIVE_KEY, started: record.started });
    await this.table.put(`WJ#${record.id}`, 'JOB', stored, {
      condition,
      attributes,
      ...(condition === UNFINISHED_CONDITION ? { values: { ':active': ACTIVE_KEY } } : {}),
    });
  }

  async putNodeJob(record: NodeJobRecord): Promise<void> {
    await this.table.put(`WJ#${record.workflowJob}`, `NODE#${record.node}`, record);
  }

  async getNodeJob(workflowJob: string, node: string): Promise<NodeJobRecord | undefined> {
    return this.table.get<NodeJobRecord>(`WJ#${workflowJob}`, `NODE#${node}`);
  }

  async nodeJobs(workflowJob: string): Promise<NodeJobRecord[]> {
    return this.table.records<NodeJobRecord>(`WJ#${workflowJob}`, 'NODE#');
  }

  async putDefinitions(workflowJob: string, bundle: Bundle): Promise<void> {
    // Gzipped (a bundle of hundreds of templates stays far below the item limit), then sealed.
    const definitions = this.sealer.seal(gzipSync(JSON.stringify(bundle)));
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: `WJ#${workflowJob}`, sk: 'DEFINITIONS', definitions }),
      }),
    );
  }

  async getDefinitions(workflowJob: string): Promise<Bundle | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: `WJ#${workflowJob}`, sk: 'DEFINITIONS' }),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const sealed = unmarshall(Item).definitions as string;
    return JSON.parse(gunzipSync(this.sealer.open(sealed)).toString('utf8')) as Bundle;
  }
}

const UNFINISHED: readonly WorkflowJobStatus[] = ['pending', 'running'];
/** An unfinished workflow job is the one that carries the `active` index key. */
const UNFINISHED_CONDITION = 'active = :active';
