/**
 * Reading the facts of many card files for `trl-cards report`, in worker threads when there are
 * many (the checker's own script runs them: see the worker branch of cli.ts). No terminal here:
 * each file gives its facts, or why it could not be read. The facts are `plainFacts` (no
 * ranges: the portfolio reads none), and they come back from a worker as one JSON text per
 * chunk of files, which is cheaper to send and read than the structured clone of the objects.
 */
import { pathToFileURL } from 'url';
import type { MessagePort } from 'worker_threads';
import { inThreads, serveChunks } from './threads';
import type { CardFacts } from '../workspace/index';
import { readCardFileSync } from '../workspace/read';
import { plainFactsOf } from '../workspace/facts';

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

/** The worker's side: each chunk of files answered with the JSON of their facts. */
export function serveFacts(port: MessagePort): void {
  serveChunks(port, (files) => JSON.stringify(readFacts(files)));
}

/** Files below this many are read in the main thread: starting workers costs more. */
const PARALLEL_FROM = 256;

/**
 * The facts of `files`, in order, read by up to `jobs` threads (cli/threads.ts): the main
 * thread and `jobs - 1` workers running `script` (the checker's bundle), which answer in JSON.
 * `stats.byWorkers` counts the files the workers read; `mainThread: false` leaves them every file (tests).
 */
export async function readFactsParallel(
  files: readonly string[],
  jobs: number,
  script: string,
  stats?: { byWorkers: number },
  mainThread = true,
): Promise<FileFacts[]> {
  const threads = Math.min(jobs, Math.ceil(files.length / PARALLEL_FROM));
  if (threads <= 1) return readFacts(files);
  return inThreads(files, threads, {
    script,
    workerData: { job: FACTS_JOB },
    local: readFacts,
    decode: (m) => JSON.parse(m as string) as FileFacts[],
    stats,
    mainThread,
  });
}
