import type { RecordTable } from './record-table';

/**
 * What runs each workflow job template in AWS (docs/deploying.md): its state machine, the version
 * the `live` alias routes to, and the hash of the definition deployed, so a launch deploys only
 * when something changed. A failed compile is kept beside the version that still serves.
 */
export interface DeploymentRecord {
  readonly workflow: string;
  readonly stateMachineArn: string;
  readonly versionArn: string | null;
  readonly definitionHash: string | null;
  readonly deployed: string | null;
  /** Why the latest definition could not be deployed; null once one deployed. */
  readonly error: string | null;
}

const PK = 'DEPLOYMENT';

export class DeploymentRecords {
  constructor(private readonly table: RecordTable) {}

  get(workflow: string): Promise<DeploymentRecord | undefined> {
    return this.table.get<DeploymentRecord>(PK, workflow);
  }

  async put(record: DeploymentRecord): Promise<void> {
    await this.table.put(PK, record.workflow, record);
  }
}
