import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { RecordTable } from '../store/record-table';
import { KIND_INDEX } from '../store/table';

/** Who holds a role: users directly, and teams (whose members hold it through the team). */
export interface Grant {
  readonly role: number;
  readonly users: ReadonlySet<number>;
  readonly teams: ReadonlySet<number>;
}

export type Holder = { readonly user: number } | { readonly team: number };

/**
 * The grants of roles, one item per role that has holders (`ROLE#<id>`), with the holders as
 * number sets changed by DynamoDB's atomic ADD and DELETE: two grants racing both land, and a
 * grant is idempotent.
 */
export class RoleGrants {
  constructor(private readonly table: RecordTable) {}

  async grant(role: number, holder: Holder): Promise<void> {
    await this.change(role, holder, 'ADD');
  }

  async revoke(role: number, holder: Holder): Promise<void> {
    await this.change(role, holder, 'DELETE');
  }

  async get(role: number): Promise<Grant> {
    return grantOf(role, await this.table.item(`ROLE#${role}`, 'G'));
  }

  /** Every role with holders. */
  async all(): Promise<Grant[]> {
    const items = await this.table.query({
      IndexName: KIND_INDEX,
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: marshall({ ':kind': 'role_grant' }),
    });
    return Promise.all(items.map((item) => this.get(Number(item.kid))));
  }

  private async change(role: number, holder: Holder, operation: 'ADD' | 'DELETE'): Promise<void> {
    const field = 'user' in holder ? 'users' : 'teams';
    const id = 'user' in holder ? holder.user : holder.team;
    await this.table.client.send(
      new UpdateItemCommand({
        TableName: this.table.tableName,
        Key: marshall({ pk: `ROLE#${role}`, sk: 'G' }),
        UpdateExpression: `${operation} #holders :ids SET kind = :kind, kid = :role`,
        ExpressionAttributeNames: { '#holders': field },
        ExpressionAttributeValues: marshall({ ':ids': new Set([id]), ':kind': 'role_grant', ':role': role }),
      }),
    );
  }
}

function grantOf(role: number, item: Record<string, unknown> | undefined): Grant {
  const set = (value: unknown) => new Set([...((value as Set<number> | undefined) ?? [])].map(Number));
  return { role, users: set(item?.users), teams: set(item?.teams) };
}
