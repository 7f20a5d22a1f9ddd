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
import ctypes, json, os, shutil, signal, sys, time
# Signals wait until the command is started and the handlers are in place (none is lost).
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(36, 1, 0, 0, 0)                 # PR_SET_CHILD_SUBREAPER
libc.prctl(1, signal.SIGTERM, 0, 0, 0)     # PR_SET_PDEATHSIG
parent, umask, cleanup, workdir, argv = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5:]
if os.getppid() != parent:                 # towerless died before the death signal was armed
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

def reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass

def kill_all():
    # A job may start processes while it is killed: scan, kill, reap, until nothing is left.
    while True:
        found = descendants()
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)
        reap()

def finish(code):
    kill_all()
    for folder in cleanup:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(code)

command = os.fork()
if command == 0:
    if umask != '-':
        os.umask(int(umask, 8))
    try:
        os.chdir(workdir)
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        os.execvp(argv[0], argv)
    except OSError as error:
        sys.stderr.write('cannot run %s: %s\n' % (argv[0], error.strerror))
        os._exit(127)

running = [True]
def interrupt(signum, frame):
    if running[0]:
        os.kill(command, signal.SIGINT)
signal.signal(signal.SIGINT, interrupt)
signal.signal(signal.SIGTERM, lambda signum, frame: finish(128 + signum))
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
_, status = os.waitpid(command, 0)
running[0] = False
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
finish(code)
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

/** How to start a command under the supervisor (spawn or execFile `file` with `args` and `cwd`). */
export interface Supervised {
  readonly file: string;
  readonly args: string[];
  /** The supervisor itself runs in `/`: nothing in the job's folders can be imported by it. */
  readonly cwd: '/';
}

/**
 * `command args` under the supervisor, run in `workdir`; `privateFiles` are folders removed when
 * the command ends (its private data dir, the node's key files); `userUmask` for a job's own
 * processes (see keepCreatedFilesPrivate).
 */
export function supervised(
  command: string,
  args: readonly string[],
  options: { workdir?: string; privateFiles?: readonly string[]; userUmask?: boolean } = {},
): Supervised {
  // Playbooks create files with the user's umask; tools towerless runs for itself (git) keep its own.
  const umask = options.userUmask && jobUmask !== undefined ? jobUmask.toString(8) : '-';
  const workdir = options.workdir ?? process.cwd();
  const cleanup = JSON.stringify(options.privateFiles ?? []);
  // -I -S: isolated (no current folder or PYTHON* variables on its path) and no site packages:
  // a fast start, and nothing in the job's folders or environment can change what it runs.
  return {
    file: PYTHON,
    args: ['-I', '-S', '-c', SUPERVISOR, String(process.pid), umask, cleanup, workdir, command, ...args],
    cwd: '/',
  };
}
