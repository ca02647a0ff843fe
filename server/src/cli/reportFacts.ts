/**
 * Reading the facts of many card files for `trl-cards report`, in worker threads when there are
 * many (the checker's own script runs them: see the worker branch of cli.ts). No terminal here:
 * each file gives its facts, or why it could not be read. The facts are `plainFacts` (no
 * ranges: the portfolio reads none), and they come back from a worker as one JSON text per
 * chunk of files, which is cheaper to send and read than the structured clone of the objects.
 */
import { pathToFileURL } from 'url';
import { Worker, type MessagePort } from 'worker_threads';
import type { CardFacts } from '../workspace/index';
import { readCardFileSync } from '../workspace/read';
import { plainFactsOf } from '../workspace/scan';

export interface FileFacts {
  file: string;
  facts?: CardFacts;
  error?: string;
}

/** Marks the worker data of a facts job, for the worker branch of cli.ts. */
export const FACTS_JOB = 'trl-cards/report-facts';

export function readFacts(files: readonly string[]): FileFacts[] {
  return files.map((file) => {
    const read = readCardFileSync(file, { knownFile: true });
    if (read.error !== undefined) return { file, error: read.error };
    try {
      return { file, facts: plainFactsOf(pathToFileURL(file).toString(), read.text) };
    } catch {
      return { file, error: 'trl-cards failed on this card (an internal error: please report it, with the card if you can)' };
    }
  });
}

/**
 * The worker's side: says it is ready, then answers each chunk of files with the JSON of their
 * facts, until it is sent `null`.
 */
export function serveFacts(port: MessagePort): void {
  port.on('message', (files: string[] | null) => {
    if (files === null) port.close();
    else port.postMessage(JSON.stringify(readFacts(files)));
  });
  port.postMessage('ready');
}

/** Files below this many are read in the main thread: starting workers costs more. */
const PARALLEL_FROM = 256;
/** Files per chunk handed out: small enough to keep every thread busy to the end. */
const CHUNK = 64;
/** Chunks a worker holds at once, so that it never waits for the main thread to give it the next. */
const IN_FLIGHT = 2;

/**
 * The facts of `files`, in order, read by up to `jobs` threads: the main thread and `jobs - 1`
 * workers running `script` (the checker's bundle). Chunks of files go to whichever thread is
 * free, the main thread taking one while the workers start and between their answers.
 * `stats.byWorkers` counts the files the workers read.
 */
export async function readFactsParallel(files: readonly string[], jobs: number, script: string, stats?: { byWorkers: number }): Promise<FileFacts[]> {
  const threads = Math.min(jobs, Math.ceil(files.length / PARALLEL_FROM));
  if (threads <= 1) return readFacts(files);
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
  const done: FileFacts[][] = new Array(chunks.length);
  let next = 0;
  const workers: Worker[] = [];
  const finished = Array.from(
    { length: threads - 1 },
    () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(script, { workerData: { job: FACTS_JOB } });
        workers.push(worker);
        const held: number[] = [];
        const give = () => {
          while (held.length < IN_FLIGHT && next < chunks.length) {
            held.push(next);
            worker.postMessage(chunks[next++]);
          }
          if (held.length === 0) worker.postMessage(null);
        };
        worker.on('message', (m: string) => {
          if (m !== 'ready') {
            const i = held.shift()!;
            done[i] = JSON.parse(m) as FileFacts[];
            if (stats) stats.byWorkers += done[i].length;
          }
          give();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (held.length === 0 && next >= chunks.length && code === 0 ? resolve() : reject(new Error(`a report thread stopped with code ${code}`))));
      }),
  );
  const all = Promise.all(finished);
  all.catch(() => undefined); // a worker failing while the main thread reads is handled below
  try {
    // The main thread reads too, a chunk at a time, letting the workers' answers in between.
    while (next < chunks.length) {
      const i = next++;
      done[i] = readFacts(chunks[i]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await all;
  } catch (err) {
    for (const w of workers) void w.terminate();
    throw err;
  }
  return done.flat();
}
