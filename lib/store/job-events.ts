/**
 * Where the events a node's job emitted are read back (the runner's `onEvent`, one JSON object
 * each, secrets already scrubbed): the data folder's event log locally (`EventLog`). The job
 * records never hold them: a playbook may emit far more than a record can carry.
 */
export interface JobEventSource {
  /** The events of one node's job in a workflow job, in the order emitted; none if it emitted none. */
  events(workflowJob: number, node: string): Promise<Record<string, unknown>[]>;
}
