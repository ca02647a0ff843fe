/**
 * Reading the facts of many card files for `trl-cards report`, in worker threads when there are
 * many (the checker's own script runs them: see the worker branch of cli.ts). No terminal here:
 * each file gives its facts, or why it could not be read.
 */
import { pathToFileURL } from 'url';
import { Worker } from 'worker_threads';
import type { CardFacts } from '../workspace/index';
import { readCardFileSync } from '../workspace/read';
import { factsOf } from '../workspace/scan';

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
      return { file, facts: factsOf(pathToFileURL(file).toString(), read.text) };
    } catch {
      return { file, error: 'trl-cards failed on this card (an internal error: please report it, with the card if you can)' };
    }
  });
}

/** Files below this many are read in the main thread: starting workers costs more. */
const PARALLEL_FROM = 256;

/** The facts of `files`, in order, read in up to `jobs` threads running `script` (the checker's bundle). */
export async function readFactsParallel(files: readonly string[], jobs: number, script: string): Promise<FileFacts[]> {
  const n = Math.min(jobs, Math.ceil(files.length / PARALLEL_FROM));
  if (n <= 1) return readFacts(files);
  const shares = Array.from({ length: n }, (_, w) => files.filter((_, i) => i % n === w));
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise<FileFacts[]>((resolve, reject) => {
          const worker = new Worker(script, { workerData: { job: FACTS_JOB, files: share } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`a report thread stopped with code ${code}`)));
        }),
    ),
  );
  return files.map((_, i) => parts[i % n][Math.floor(i / n)]);
}
