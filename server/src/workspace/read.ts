/**
 * Reading card files safely: only regular files, never a named pipe, a socket or a device
 * (opening a pipe blocks until someone writes to it; reading `/dev/zero` never ends), and at
 * most MAX_CARD_FILE_BYTES. Never throws: a file that cannot be read gives the reason, in
 * words, for the problem or message that names it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MAX_CARD_FILE_BYTES } from '../limits';

/** The text, or why there is none: `error` in words, `missing` when there is no file at all. */
export type ReadResult = { text: string; error?: undefined; missing?: undefined } | { text?: undefined; error: string; missing?: boolean };

export interface ReadOptions {
  /**
   * The caller has just seen the path as a regular file (a directory listing or a stat), so
   * it is not looked at again before opening (saving a system call per card). It is opened
   * without blocking and checked again once open, so a file swapped for a pipe in between is
   * still refused.
   */
  knownFile?: boolean;
  /** The size limit in bytes (default MAX_CARD_FILE_BYTES). */
  maxBytes?: number;
  /** A symbolic link at `file` itself is not followed: reading it fails (ELOOP). */
  noFollow?: boolean;
}

/** The part of `fs` that reading uses: tests pass one that fails as they need. */
export interface ReadFs {
  statSync(file: string): fs.Stats;
  openSync(file: string, flags: number): number;
  fstatSync(fd: number): fs.Stats;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
}

/** Read-only, and never waiting for a writer at the other end of a pipe (0 on Windows, which has no such files). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

const MB = 1024 * 1024;

/** What a file is, when it is not a regular file, in words; undefined for a regular file. */
export function notAFile(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'it is a directory, not a file';
  if (stat.isFIFO()) return 'it is a named pipe, not a file';
  if (stat.isSocket()) return 'it is a socket, not a file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'it is a device, not a file';
  return 'it is not a regular file';
}

function tooLarge(max: number): string {
  return `it is larger than ${max >= MB ? `${Math.round(max / MB)} MB` : `${max} bytes`}, the limit for a card file`;
}

/** A failed system call, in words: "permission denied (EACCES)"; `doing` says what failed when no more is known. */
export function describeFsError(err: unknown, doing: 'read' | 'written' = 'read'): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT)';
    case 'EFBIG':
      return 'the file would be larger than allowed (EFBIG)';
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    case 'ENOTDIR':
      return 'a part of the path is not a directory (ENOTDIR)';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files (${code})`;
    case undefined:
      return `it cannot be ${doing}`;
    default:
      return `it cannot be ${doing} (${code})`;
  }
}

function failure(err: unknown): { error: string; missing: boolean } {
  return { error: describeFsError(err), missing: (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
}

/**
 * Reads an open file: its `size` bytes (what it held when it was looked at: a file that grows
 * meanwhile is read as it was), or, for a file that says it is empty and may not be (like
 * those in /proc), up to `max` bytes. Undefined when it holds more than `max`.
 */
function readBounded(fsys: ReadFs, fd: number, size: number, max: number): Buffer | undefined {
  if (size > 0) {
    const buffer = Buffer.allocUnsafe(size);
    let length = 0;
    while (length < size) {
      const n = fsys.readSync(fd, buffer, length, size - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  }
  let buffer = Buffer.allocUnsafe(Math.min(max + 1, 64 * 1024));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > max) return undefined;
      const bigger = Buffer.allocUnsafe(Math.min(max + 1, buffer.length * 2));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const n = fsys.readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return length > max ? undefined : buffer.subarray(0, length);
}

/** A card file's text, or why it cannot be read. Never blocks on a pipe, never reads past the limit, never throws. */
export function readCardFileSync(file: string, options: ReadOptions = {}, fsys: ReadFs = fs): ReadResult {
  const read = readCardBytesSync(file, options, fsys);
  return read.error !== undefined ? read : { text: read.bytes.toString('utf8') };
}

/** A card file's bytes and what `fstat` said of it once open, or why it cannot be read (as `readCardFileSync`). */
export function readCardBytesSync(
  file: string,
  options: ReadOptions = {},
  fsys: ReadFs = fs,
): { bytes: Buffer; stat: fs.Stats; error?: undefined } | { error: string; missing?: boolean } {
  const max = options.maxBytes ?? MAX_CARD_FILE_BYTES;
  let fd: number | undefined;
  try {
    if (!options.knownFile) {
      const stat = fsys.statSync(file);
      const not = notAFile(stat);
      if (not) return { error: not };
      if (stat.size > max) return { error: tooLarge(max) };
    }
    fd = fsys.openSync(file, options.noFollow ? OPEN_FLAGS | (fs.constants.O_NOFOLLOW ?? 0) : OPEN_FLAGS);
    const stat = fsys.fstatSync(fd);
    const not = notAFile(stat);
    if (not) return { error: not };
    if (stat.size > max) return { error: tooLarge(max) };
    const bytes = readBounded(fsys, fd, stat.size, max);
    if (!bytes) return { error: tooLarge(max) };
    return { bytes, stat };
  } catch (err) {
    return failure(err);
  } finally {
    if (fd !== undefined) {
      try {
        fsys.closeSync(fd);
      } catch {
        // nothing more to do with it
      }
    }
  }
}

/** The same for the language server, without blocking its event loop. */
export async function readCardFile(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const max = options.maxBytes ?? MAX_CARD_FILE_BYTES;
  let handle: fs.promises.FileHandle | undefined;
  try {
    if (!options.knownFile) {
      const stat = await fs.promises.stat(file);
      const not = notAFile(stat);
      if (not) return { error: not };
      if (stat.size > max) return { error: tooLarge(max) };
    }
    handle = await fs.promises.open(file, OPEN_FLAGS);
    const stat = await handle.stat();
    const not = notAFile(stat);
    if (not) return { error: not };
    if (stat.size > max) return { error: tooLarge(max) };
    // As readBounded: the size it had, or up to the limit for a file that says it is empty.
    const chunks: Buffer[] = [];
    let length = 0;
    const want = stat.size > 0 ? stat.size : max + 1;
    while (length < want) {
      const chunk = Buffer.allocUnsafe(Math.min(want - length, stat.size > 0 ? want : 64 * 1024));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > max) return { error: tooLarge(max) };
    return { text: Buffer.concat(chunks, length).toString('utf8') };
  } catch (err) {
    return failure(err);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** True when `file` is `root` or below it (both absolute). */
export function isBelow(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}
