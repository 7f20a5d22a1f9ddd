/**
 * Makes every process of a job end with the job, on any exit path.
 *
 * Process groups are not enough: ansible-runner starts ansible-playbook through pexpect, in a new
 * session, so killing the runner's group leaves the playbook running, re-parented to PID 1. And a
 * towerless process killed with SIGKILL cleans up nothing. Linux has what is needed, but Node
 * cannot reach it, so a tiny supervisor in Python (the runner needs Python anyway) sits between
 * towerless and the job's command:
 *
 * - PR_SET_CHILD_SUBREAPER: every orphaned descendant (the playbook, its workers, ssh) is
 *   re-parented to the supervisor rather than to PID 1, so it can always find and kill them.
 * - PR_SET_PDEATHSIG: the kernel sends the supervisor SIGTERM when towerless dies, however it dies.
 * - SIGINT is passed to the command (ansible-runner cancels the playbook cleanly); SIGTERM kills
 *   every descendant at once; when the command exits, descendants it left behind are killed too.
 * - Then it removes the job's private files (answered passwords, keys), so they are gone even
 *   when towerless was killed with SIGKILL.
 *
 * The supervisor exits with the command's exit code (128 + signal when it was killed), and runs
 * the command with the user's umask (see keepCreatedFilesPrivate).
 */
const SUPERVISOR = String.raw`
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(36, 1, 0, 0, 0)                 # PR_SET_CHILD_SUBREAPER
libc.prctl(1, signal.SIGTERM, 0, 0, 0)     # PR_SET_PDEATHSIG
cleanup = sys.argv[3]
if os.getppid() != int(sys.argv[1]):       # towerless died before the death signal was armed
    sys.exit(137)

def descendants():
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat:
                text = stat.read()
            ppid = int(text[text.rindex(')') + 2:].split()[1])
        except (OSError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found

def remove_private_files():
    if cleanup != '-':
        import shutil
        shutil.rmtree(cleanup, ignore_errors=True)

def kill_all():
    while True:
        for pid in descendants():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while True:
                os.waitpid(-1, 0)
        except ChildProcessError:
            pass
        if not descendants():
            return

command = os.fork()
if command == 0:
    if sys.argv[2] != '-':
        os.umask(int(sys.argv[2], 8))
    os.execvp(sys.argv[4], sys.argv[4:])

def stop(signum, frame):
    kill_all()
    remove_private_files()
    os._exit(128 + signum)

signal.signal(signal.SIGINT, lambda signum, frame: os.kill(command, signal.SIGINT))
signal.signal(signal.SIGTERM, stop)
_, status = os.waitpid(command, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
kill_all()
remove_private_files()
sys.exit(code)
`;

/** The Python the runner's packages are installed for (the first python3 on PATH may be another). */
const PYTHON = '/usr/bin/python3';

/** The umask jobs run with: the user's, even while towerless keeps its own files private. */
let jobUmask: number | undefined;

/**
 * From now on, every file and folder this process creates (store, logs, checkouts, keys) is
 * private to its owner, whatever the user's umask; jobs still create theirs with the user's umask
 * (a playbook's files on localhost must not change with how towerless was started).
 */
export function keepCreatedFilesPrivate(): void {
  const previous = process.umask(0o077);
  jobUmask ??= previous;
}

/**
 * `[file, args]` that run `command args` under the supervisor, for spawn or execFile;
 * `privateFiles` is a folder removed when the command ends.
 */
export function supervised(
  command: string,
  args: readonly string[],
  privateFiles?: string,
): [string, string[]] {
  const umask = jobUmask === undefined ? '-' : jobUmask.toString(8);
  // -S -E: no site packages or PYTHON* variables: a fast start, and nothing the job set can change it.
  return [
    PYTHON,
    ['-S', '-E', '-c', SUPERVISOR, String(process.pid), umask, privateFiles ?? '-', command, ...args],
  ];
}
