/**
 * `--fix` writing a fixed card back, as a careful editor saves a file:
 *
 * - a symbolic link is written through to its target, when the target's real path is below the
 *   folders being checked; otherwise it is left alone;
 * - a read-only file (no write permission bit, or not writable by whoever runs the checker) is
 *   left alone;
 * - a file with more than one hard link, one whose owner or group the checker cannot give a new
 *   file, or one in a folder where no file can be made, is written in place (the same inode:
 *   every link, the owner, the group and the mode stay as they were); if that write fails, the
 *   old text is written back;
 * - any other file is replaced atomically: a new file with a random name beside it (created
 *   exclusively), given the old one's owner, group and mode, synced, then renamed over it — a
 *   reader sees the old card or the new one, never half of one.
 *
 * The file is written only if it still holds exactly the text that was fixed.
 * No terminal here: the outcome says what happened, in words.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { insideRoots } from '../files';
import { describeFsError } from '../workspace/read';

export type WriteOutcome =
  | { written: true; inPlace: boolean }
  /** Not written by choice (`failed` false: a read-only file, a link out of bounds), or because writing failed. */
  | { written: false; failed: boolean; why: string };

const READ_WRITE = fs.constants.O_RDWR | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
const READ_ONLY = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** The whole of an open file. */
function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks);
}

/** The whole of a file, not through a link. */
function readFile(file: string): Buffer {
  const fd = fs.openSync(file, READ_ONLY);
  try {
    return readAll(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Why a file may not be written by whoever runs the checker: read-only, or undefined. */
function readOnly(file: string, stat: fs.Stats): string | undefined {
  // Root may write anything; a file with no write bit at all was made read-only on purpose.
  if ((stat.mode & 0o222) === 0) return 'read-only';
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'read-only';
    if (code === 'EROFS') return 'read-only (the file system is read-only)';
    throw err;
  }
  return undefined;
}

const CHANGED = 'the file changed while it was checked, or it is not valid UTF-8';

/** A write that failed, in words; `restored` says whether the old text is back after a failed write in place. */
class WriteFailure extends Error {
  constructor(why: string, readonly restored?: boolean) {
    super(why);
  }
}

/** Overwrites the open file with `after`; on failure writes `before` back and throws what failed (saying whether the old text is back). */
function overwrite(fd: number, before: Buffer, after: Buffer): void {
  try {
    writeAll(fd, after, 0);
    fs.ftruncateSync(fd, after.length);
    fs.fsyncSync(fd);
  } catch (err) {
    let restored = false;
    try {
      writeAll(fd, before, 0);
      fs.ftruncateSync(fd, before.length);
      restored = true;
    } catch {
      // reported below
    }
    throw new WriteFailure(describeFsError(err, 'written'), restored);
  }
}

/** The fixed text written over the file in place (every link and the owner stay). */
function writeInPlace(file: string, stat: fs.Stats, before: Buffer, after: Buffer): void {
  const fd = fs.openSync(file, READ_WRITE);
  try {
    const now = fs.fstatSync(fd);
    if (!now.isFile() || now.ino !== stat.ino || now.dev !== stat.dev || !readAll(fd).equals(before)) throw new WriteFailure(CHANGED);
    overwrite(fd, before, after);
  } finally {
    fs.closeSync(fd);
  }
}

type Atomic = 'written' | 'in place';

/**
 * The fixed text in a new file beside `file`, renamed over it; 'in place' when such a file cannot
 * be made there or cannot be given the old one's owner and group (nothing is changed then).
 */
function writeByRename(file: string, stat: fs.Stats, before: Buffer, after: Buffer): Atomic {
  const check = fs.openSync(file, READ_ONLY);
  try {
    const now = fs.fstatSync(check);
    if (!now.isFile() || now.ino !== stat.ino || now.dev !== stat.dev || !readAll(check).equals(before)) throw new WriteFailure(CHANGED);
  } finally {
    fs.closeSync(check);
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.trl-cards-tmp`);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'in place';
    throw err;
  }
  let renamed = false;
  try {
    try {
      fs.fchownSync(fd, stat.uid, stat.gid);
    } catch {
      const made = fs.fstatSync(fd);
      if (made.uid !== stat.uid || made.gid !== stat.gid) return 'in place';
    }
    writeAll(fd, after, 0);
    // After the owner: changing the owner clears the set-user-ID and set-group-ID bits.
    fs.fchmodSync(fd, stat.mode & 0o7777);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(temp, file);
    renamed = true;
  } finally {
    if (fd !== -1) fs.closeSync(fd);
    if (!renamed) fs.rmSync(temp, { force: true });
  }
  return 'written';
}

/**
 * Writes the fixed card `after` over `file` if the file still holds `before`. `roots` are the
 * real paths of the folders being checked: a link is written through only to a target below
 * them. Never throws.
 */
export function writeFixed(file: string, before: string, after: string, roots: readonly string[]): WriteOutcome {
  try {
    let target = file;
    if (fs.lstatSync(file).isSymbolicLink()) {
      target = fs.realpathSync.native(file);
      if (!insideRoots(target, roots)) return { written: false, failed: false, why: `it is a symbolic link to ${target}, outside the folders being checked` };
    }
    const stat = fs.lstatSync(target);
    if (!stat.isFile()) return { written: false, failed: true, why: CHANGED };
    const old = Buffer.from(before, 'utf8');
    const bytes = Buffer.from(after, 'utf8');
    // Already written this run under another name (a link to it, or another hard link, was checked too).
    if (stat.size === bytes.length && readFile(target).equals(bytes)) return { written: true, inPlace: true };
    const ro = readOnly(target, stat);
    if (ro) return { written: false, failed: false, why: ro };
    if (stat.nlink <= 1 && writeByRename(target, stat, old, bytes) === 'written') return { written: true, inPlace: false };
    writeInPlace(target, stat, old, bytes);
    return { written: true, inPlace: true };
  } catch (err) {
    if (!(err instanceof WriteFailure)) return { written: false, failed: true, why: describeFsError(err, 'written') };
    const tail = err.restored === undefined ? '' : err.restored ? '; the old text was written back' : '; the old text could not be written back either: the file may be damaged';
    return { written: false, failed: true, why: err.message + tail };
  }
}
