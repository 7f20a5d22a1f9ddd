import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { beyondLimit, formatBytes, type InputLimit } from './input-limits';

export type RegularFileRead =
  { readonly text: string; readonly bytes: number } | { readonly problem: string };

/**
 * Reads a file the user named, or a folder holds, as UTF-8 text: only a regular file, and only up to
 * `limit` bytes. A symbolic link to `/dev/zero`, a named pipe or a device never blocks or streams
 * forever: it is refused before it is opened. The file is then opened non-blocking and checked
 * again, so swapping it for a pipe in between cannot hang the read either.
 */
export function readRegularFile(path: string, limit: InputLimit): RegularFileRead {
  try {
    const refused = refusal(statSync(path), limit);
    if (refused) return { problem: refused };
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      const refusedNow = refusal(stat, limit);
      if (refusedNow) return { problem: refusedNow };
      return readUpTo(fd, stat.size, limit);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { problem: `cannot read the file: ${(error as Error).message}` };
  }
}

function refusal(stat: Stats, limit: InputLimit): string | undefined {
  if (!stat.isFile()) return `${describeKind(stat)}, not a regular file: Towerless reads only regular files`;
  if (stat.size > limit.value) return beyondLimit(limit, `the file is ${formatBytes(stat.size)}`);
  return undefined;
}

/** Reads to the end, but never more than one byte past the limit: the file may grow meanwhile. */
function readUpTo(fd: number, announcedSize: number, limit: InputLimit): RegularFileRead {
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(
      Math.min(Math.max(announcedSize - length, 64 * 1024), limit.value + 1 - length),
    );
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    length += read;
    if (length > limit.value)
      return { problem: beyondLimit(limit, 'the file grew past the limit while it was read') };
  }
  return { text: Buffer.concat(chunks, length).toString('utf8'), bytes: length };
}

function describeKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}
