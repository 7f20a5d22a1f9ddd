import { AsyncLocalStorage } from 'node:async_hooks';
import { CatalogStore, type CatalogObserver } from '../catalog/catalog-store';
import type { RecordTable } from '../store/record-table';
import { Sequences } from '../store/sequences';
import {
  AuditLookup,
  entriesOf,
  typeOfKind,
  type Change,
  type EntryDraft,
  type ObjectChange,
  type RoleChange,
  type Snapshot,
} from './audit-rules';

/** Who made a change, as the entry keeps them (they stay named after the user is deleted). */
export interface ActivityActor {
  readonly id: number;
  readonly username: string;
  readonly first_name: string;
  readonly last_name: string;
}

/** One activity stream entry, as the store keeps it. */
export interface ActivityEntry extends EntryDraft {
  readonly id: number;
  readonly actor: ActivityActor | null;
  /** The server the change was made on (AWX's cluster node). */
  readonly action_node: string;
}

/** The record kind of entries in the single table (`activity_stream#<id>`, listed by the kind index). */
const KIND = 'activity_stream';

interface PendingChange extends ObjectChange {
  after?: Snapshot;
  at: string;
  readonly secretsReplaced: Set<string>;
}

/** What one API call has changed so far, in the order it changed it; closed once it has answered. */
class CallActivity {
  readonly changes: Array<PendingChange | RoleChange> = [];
  private readonly objects = new Map<string, PendingChange>();
  /** Replaced secrets by object (a credential's secrets are kept before its record is written). */
  private readonly secrets = new Map<string, Set<string>>();
  closed = false;

  observe(type: string, id: number, before: Snapshot | undefined, after: Snapshot | undefined): void {
    if (this.closed) return;
    const key = `${type}#${id}`;
    const at = new Date().toISOString();
    const change = this.objects.get(key);
    // An object changed twice in one call is one change: as it was first, as it is last.
    if (change) Object.assign(change, { after, at });
    else {
      const added: PendingChange = { type, id, before, after, at, secretsReplaced: this.replaced(key) };
      this.objects.set(key, added);
      this.changes.push(added);
    }
  }

  roleChanged(change: Omit<RoleChange, 'at'>): void {
    if (!this.closed) this.changes.push({ ...change, at: new Date().toISOString() });
  }

  secretReplaced(type: string, id: number, field: string): void {
    if (!this.closed) this.replaced(`${type}#${id}`).add(field);
  }

  private replaced(key: string): Set<string> {
    let fields = this.secrets.get(key);
    if (!fields) this.secrets.set(key, (fields = new Set()));
    return fields;
  }
}

/**
 * AWX's activity stream: every change an API call makes, recorded once the call has succeeded.
 *
 * A call runs inside `during`; while it runs, the stores it changes report each object they
 * write (the catalog through its observer; launched workflow jobs through the launcher's job
 * store, cancels and approvals through the execution port, roles granted or revoked through the
 * role grants, replaced kept secrets through the secrets writer: lib/audit/observers.ts).
 * When
 * the call has answered, its changes become entries (lib/audit/audit-rules.ts decides what they
 * show and masks secrets) and are written in one go; a refused call's changes are dropped, so
 * it records nothing. Changes made outside a call (the first start, jobs running) are not API
 * calls and are not recorded. Entries are records `activity_stream#<id>` in the single table,
 * with ids from their own sequence, listed through the `kind` index.
 */
export class ActivityStream {
  private readonly calls = new AsyncLocalStorage<CallActivity>();
  private readonly sequences: Sequences;
  /** Reads what masking needs; never observed (it writes nothing). */
  private readonly reader: CatalogStore;

  constructor(
    private readonly table: RecordTable,
    private readonly node = 'towerless',
  ) {
    this.sequences = new Sequences(table);
    this.reader = new CatalogStore(table);
  }

  /** The catalog's observer: every record it writes or deletes during a call. */
  readonly catalogObserver: CatalogObserver = {
    changed: (kind, id, before, after) => this.observe(typeOfKind(kind), id, before, after),
  };

  /** Whether a call is being recorded (observers read the state before a change only then). */
  get recording(): boolean {
    const call = this.calls.getStore();
    return call !== undefined && !call.closed;
  }

  /** Reports that the current call changed an object (undefined: it did not, or no longer, exists). */
  observe(type: string, id: number, before: object | undefined, after: object | undefined): void {
    this.calls.getStore()?.observe(type, id, before as Snapshot | undefined, after as Snapshot | undefined);
  }

  /** Reports that the current call granted (or revoked) a role to a user or team. */
  roleChanged(change: Omit<RoleChange, 'at'>): void {
    this.calls.getStore()?.roleChanged(change);
  }

  /** Reports that the current call replaced a kept secret held in an object's `field`. */
  secretReplaced(type: string, id: number, field: string): void {
    this.calls.getStore()?.secretReplaced(type, id, field);
  }

  /**
   * Runs writes of the current call that it does not record, as AWX records a copy as the create
   * of the copy alone (docs/api.md "Copies"); inside, the call reads as not recording.
   */
  unrecorded<T>(work: () => Promise<T>): Promise<T> {
    const silent = new CallActivity();
    silent.closed = true;
    return this.calls.run(silent, work);
  }

  /**
   * Runs one API call; what it changed is recorded if `call` resolves true (it succeeded), and
   * dropped otherwise.
   */
  async during(actor: ActivityActor | null, call: () => Promise<boolean>): Promise<ActivityEntry[]> {
    const activity = new CallActivity();
    let succeeded = false;
    try {
      succeeded = await this.calls.run(activity, call);
    } finally {
      // Work the call started and left running (a launched job) reports nothing more here.
      activity.closed = true;
    }
    return succeeded ? this.record(actor, activity.changes) : [];
  }

  private async record(actor: ActivityActor | null, changes: readonly Change[]): Promise<ActivityEntry[]> {
    if (changes.length === 0) return [];
    const objects = changes.filter((change): change is ObjectChange => 'type' in change);
    const touched = new Map(objects.map((change) => [`${change.type}#${change.id}`, change]));
    const drafts = await entriesOf(changes, new AuditLookup(this.reader, touched));
    const ids = await this.sequences.reserve(KIND, drafts.length);
    const entries = drafts.map((draft, i): ActivityEntry => ({
      id: ids[i],
      ...draft,
      actor,
      action_node: this.node,
    }));
    await Promise.all(
      entries.map((entry) =>
        this.table.put(`${KIND}#${entry.id}`, 'R', entry, {
          condition: 'attribute_not_exists(pk)',
          attributes: { kind: KIND, kid: entry.id },
        }),
      ),
    );
    return entries;
  }

  /** Every entry, oldest first. */
  list(): Promise<ActivityEntry[]> {
    return this.table.ofKind<ActivityEntry>(KIND);
  }

  async get(id: number): Promise<ActivityEntry | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    return this.table.get<ActivityEntry>(`${KIND}#${id}`, 'R');
  }
}
