import { endUnfinishedJobs } from '../jobs/unfinished-jobs';
import { observeRecordChanges, RecordChanges } from '../notifications/record-changes';
import { keepCreatedFilesPrivate } from '../runner/supervisor';
import type { JobStore } from '../store/job-store';
import { prepareDataFolder, sweepScratch, type DataFolder } from './data-folder';
import { EventLog } from './event-log';
import { openLocalSecrets, type LocalSecrets } from './local-secrets';
import { openLocalStore, type LocalStore } from './local-store';

/**
 * What a local towerless process (`run`, later `serve`) holds while it works on a data folder:
 * the folder (private, locked), its store, and the event log. Opening it cleans up after an
 * earlier process that died mid-run: the lock proves that process is gone, so its scratch files
 * are removed and the jobs it left unfinished end as `error`, with an explanation.
 */
export interface LocalSession {
  readonly data: DataFolder;
  /** The job store, telling `changes` of what it writes. */
  readonly store: JobStore;
  /** The job record changes of this process (notifications listen: lib/notifications). */
  readonly changes: RecordChanges;
  readonly table: LocalStore['table'];
  readonly eventLog: EventLog;
  /** The Secrets Manager twin: secrets kept through the API, read back by node runs. */
  readonly secrets: LocalSecrets;
  close(): Promise<void>;
}

export async function openLocalSession(dataPath: string): Promise<LocalSession> {
  keepCreatedFilesPrivate();
  const data = prepareDataFolder(dataPath);
  const local = await openLocalStore(data);
  let secrets: LocalSecrets;
  try {
    sweepScratch(data);
    await endUnfinishedJobs(local.store, 'error', ABANDONED);
    secrets = await openLocalSecrets(data); // after the store: it needs the folder's lock
  } catch (error) {
    await local.close();
    throw error;
  }
  const eventLog = new EventLog(data.logs);
  const changes = new RecordChanges();
  return {
    data,
    store: observeRecordChanges(local.store, changes),
    changes,
    table: local.table,
    eventLog,
    secrets,
    close: async () => {
      eventLog.close();
      await secrets.close();
      await local.close();
    },
  };
}

const ABANDONED =
  'The towerless process running this job ended before the job did (it was killed, or the machine stopped); the next start in its data folder found it unfinished';
