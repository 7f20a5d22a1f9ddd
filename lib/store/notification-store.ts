import type { RecordTable } from './record-table';
import { Sequences } from './sequences';

export type NotificationStatus = 'pending' | 'successful' | 'failed';

/** One try at sending: when, and why it failed (absent when it did not). */
export interface DeliveryAttempt {
  readonly at: string;
  readonly error?: string;
}

/**
 * One message sent by a notification template (AWX's Notification, `/api/v2/notifications/`):
 * what was sent, to whom (secret recipients masked), and how its delivery went, each attempt
 * kept. Never holds a secret: the configuration's secrets are read when sending, not stored.
 */
export interface NotificationRecord {
  readonly id: number;
  readonly notification_template: number;
  readonly notification_type: string;
  readonly status: NotificationStatus;
  readonly error: string;
  readonly notifications_sent: number;
  readonly recipients: string;
  readonly subject: string;
  /** The rendered body; AWX keeps a test's body for chat types as `{"body": ...}`. */
  readonly body: unknown;
  /** The unified job it tells of (a workflow job, a node's job, an approval); null for a test. */
  readonly job: number | null;
  readonly attempts: readonly DeliveryAttempt[];
  readonly created: string;
  readonly modified: string;
}

const KIND = 'notification';

/** Notification records in the single table, `NOTIFICATION#<id>`, listed in id order by the `kind` index. */
export class NotificationStore {
  private readonly sequences: Sequences;

  constructor(private readonly table: RecordTable) {
    this.sequences = new Sequences(table);
  }

  async create(
    fields: Omit<
      NotificationRecord,
      'id' | 'created' | 'modified' | 'status' | 'error' | 'notifications_sent' | 'attempts'
    >,
  ): Promise<NotificationRecord> {
    const now = new Date().toISOString();
    const record: NotificationRecord = {
      ...fields,
      id: await this.sequences.next(KIND),
      status: 'pending',
      error: '',
      notifications_sent: 0,
      attempts: [],
      created: now,
      modified: now,
    };
    await this.put(record);
    return record;
  }

  async put(record: NotificationRecord): Promise<void> {
    await this.table.put(`${KIND.toUpperCase()}#${record.id}`, 'R', record, {
      attributes: { kind: KIND, kid: record.id },
    });
  }

  get(id: number): Promise<NotificationRecord | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return Promise.resolve(undefined);
    return this.table.get<NotificationRecord>(`${KIND.toUpperCase()}#${id}`, 'R');
  }

  /** Every notification, in id order. */
  list(): Promise<NotificationRecord[]> {
    return this.table.ofKind<NotificationRecord>(KIND);
  }
}
