/**
 * Work on many files spread over threads: the main thread and `threads - 1` workers running
 * the checker's own bundle, each taking the next chunk of files as it is free (the main thread
 * between the workers' answers). No terminal here.
 */
import * as os from 'os';
import { Worker, type MessagePort } from 'worker_threads';

/**
 * How many threads in all when not told (`--jobs`): one per CPU but one, at least 1 and at
 * most 8. Each JavaScript thread has V8's garbage-collection and compiler threads beside it,
 * and each worker compiles the bundle and warms up on its own: on a 2-CPU machine a second
 * thread made a cold check of 1,000 cards slower (1.74 s against 1.65 s in one thread).
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism() - 1, 8));
}

/** Files per chunk handed out: small enough to keep every thread busy to the end. */
const CHUNK = 64;
/** Chunks a worker holds at once, so that it never waits for the main thread to give it the next. */
const IN_FLIGHT = 2;

export interface ThreadJob<T> {
  /** The bundle the workers run, and what tells its worker branch which job this is. */
  script: string;
  workerData: unknown;
  /** The work on one chunk, in this thread. */
  local: (files: string[]) => T[];
  /** A worker's answer for a chunk, as its `serveChunks` posted it. */
  decode: (answer: unknown) => T[];
  /** Counts the files the workers did (tests check that they did some). */
  stats?: { byWorkers: number };
  /**
   * Whether this thread takes chunks too (the default). A test sets it false, so that the
   * workers do every chunk, however fast this thread would have been without them.
   */
  mainThread?: boolean;
}

/** The results for `files`, in order, from up to `threads` threads. */
export async function inThreads<T>(files: readonly string[], threads: number, job: ThreadJob<T>): Promise<T[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
  if (threads <= 1 || chunks.length <= 1) return job.local(files.slice());
  const done: T[][] = new Array(chunks.length);
  let next = 0;
  const workers: Worker[] = [];
  const finished = Array.from(
    { length: Math.min(threads, chunks.length) - 1 },
    () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(job.script, { workerData: job.workerData });
        workers.push(worker);
        const held: number[] = [];
        const give = () => {
          while (held.length < IN_FLIGHT && next < chunks.length) {
            held.push(next);
            worker.postMessage(chunks[next++]);
          }
          if (held.length === 0) worker.postMessage(null);
        };
        worker.on('message', (m: unknown) => {
          if (m !== 'ready') {
            const i = held.shift()!;
            done[i] = job.decode(m);
            if (job.stats) job.stats.byWorkers += done[i].length;
          }
          give();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (held.length === 0 && next >= chunks.length && code === 0 ? resolve() : reject(new Error(`a thread stopped with code ${code}`))));
      }),
  );
  const all = Promise.all(finished);
  all.catch(() => undefined); // a worker failing while this thread works is handled below
  try {
    while (job.mainThread !== false && next < chunks.length) {
      const i = next++;
      done[i] = job.local(chunks[i]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await all;
  } catch (err) {
    for (const w of workers) void w.terminate();
    throw err;
  }
  return done.flat();
}

/** A worker's side: says it is ready, then answers each chunk of files with `work(files)`, until sent `null`. */
export function serveChunks(port: MessagePort, work: (files: string[]) => unknown): void {
  port.on('message', (files: string[] | null) => {
    if (files === null) port.close();
    else port.postMessage(work(files));
  });
  port.postMessage('ready');
}
