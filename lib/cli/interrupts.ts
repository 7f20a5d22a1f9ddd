import { abandonRunningJobs } from '../runner/ansible-runner';
import type { Io } from './output';

/** How long a quitting process may spend recording what it abandons before it exits anyway. */
const QUIT_RECORDING_MS = 2000;

export interface Interrupts {
  /** Aborted by the first Ctrl-C (or SIGTERM, SIGHUP): running nodes are canceled cleanly. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Ctrl-C once cancels: running playbooks stop cleanly and the workflow ends `canceled`. Twice
 * quits at once: every job process is killed (their supervisors take every process they started
 * with them), private data dirs are removed, then `recordQuit` gets a moment to mark what was
 * abandoned before the process exits with 130. A third Ctrl-C exits without waiting. Whatever
 * `recordQuit` could not mark, the next start in the data folder ends as `error`.
 */
export function handleInterrupts(io: Io, recordQuit: () => Promise<unknown>): Interrupts {
  const controller = new AbortController();
  let quitting = false;
  const interrupt = () => {
    if (quitting) process.exit(130);
    if (controller.signal.aborted) {
      quitting = true;
      abandonRunningJobs();
      const deadline = new Promise((resolve) => setTimeout(resolve, QUIT_RECORDING_MS).unref());
      void Promise.race([recordQuit().catch(() => undefined), deadline]).then(() => process.exit(130));
      return;
    }
    io.err('\ncanceling: stopping running nodes (Ctrl-C again to quit at once)');
    controller.abort('canceled');
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, interrupt);
  // Whatever else ends the process (an uncaught error, process.exit) leaves no job running either.
  process.on('exit', abandonRunningJobs);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const signal of signals) process.off(signal, interrupt);
      process.off('exit', abandonRunningJobs);
    },
  };
}
