/**
 * The command line's entry: `trl-cards <command>`. It reads the command, hands the rest of the
 * arguments to the command's module in cli/ (each reads its own options with `util.parseArgs`,
 * cli/args.ts), prints the help and the version, and sets the exit status. A checker thread
 * started by `check` or `report` runs this same script, and is handed its job here. This is the
 * only module that knows the process and the terminal.
 */
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { version as VERSION } from 'virtual:package';
import { levelTableMarkdown } from './docs';
import { CHECK_JOB, CHECK_USAGE, checkFiles, runCheck, type CheckOptions } from './cli/check';
import { findConfig, loadConfigFile } from './cli/config';
import { INTERNAL } from './cli/format';
import { IMPORT_USAGE, runImport } from './cli/import';
import type { CliIO } from './cli/io';
import { RENDER_USAGE, runRender } from './cli/render';
import { FACTS_JOB, serveFacts } from './cli/reportFacts';
import { serveChunks } from './cli/threads';
import { LEVELS_USAGE, OVERVIEW, REPORT_USAGE } from './cli/usage';
import { showControls } from './text/escape';

export type { CliIO };

/** Each command's help, for `trl-cards help <command>`. */
const COMMAND_HELP: Record<string, string> = { check: CHECK_USAGE, render: RENDER_USAGE, report: REPORT_USAGE, levels: LEVELS_USAGE, import: IMPORT_USAGE };

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    // `trl-cards help <command>`: that command's help.
    const help = command === 'help' && rest.length ? COMMAND_HELP[rest[0]] : OVERVIEW;
    if (help === undefined) {
      io.err(`trl-cards: no command '${showControls(rest[0])}': the commands are ${Object.keys(COMMAND_HELP).join(', ')}.`);
      return 2;
    }
    (command === undefined ? io.err : io.out)(help);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(VERSION);
    return 0;
  }
  switch (command) {
    case 'check':
      return runCheck(rest, io);
    case 'levels':
      if (rest.length === 1 && (rest[0] === '-h' || rest[0] === '--help')) io.out(LEVELS_USAGE);
      else if (rest.length) {
        io.err(`trl-cards levels: unexpected '${showControls(rest[0])}': levels takes no arguments.\n\n${LEVELS_USAGE}`);
        return 2;
      } else io.out(levelTableMarkdown().replace(/\n$/, ''));
      return 0;
    case 'render':
      return runRender(rest, io, { findConfig, loadConfigFile });
    case 'import':
      return runImport(rest, io);
    case 'report':
      // Loaded on demand: the report's charting library is not needed to check cards.
      return (await import('./cli/report')).runReport(rest, io);
    default:
      io.err(`trl-cards: unknown command '${showControls(command)}'.\n\n${OVERVIEW}`);
      return 2;
  }
}

/**
 * Writes lines to a stream. Once the stream fails — EPIPE when the reader has gone
 * (`trl-cards check | head`) — it quietly writes nothing more: no stack trace, and the check
 * ends with its own exit status.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return (line) => {
    if (open) stream.write(line + '\n');
  };
}

if (!isMainThread && workerData && (workerData as { job?: string }).job === FACTS_JOB) {
  serveFacts(parentPort!);
} else if (!isMainThread && workerData && (workerData as { job?: string }).job === CHECK_JOB) {
  const { cwd, options } = workerData as { cwd: string; options: CheckOptions };
  serveChunks(parentPort!, (files) => checkFiles(files, cwd, options));
} else if (require.main === module) {
  const err = lineWriter(process.stderr);
  const argv = process.argv.slice(2);
  void runCli(argv, { cwd: process.cwd(), out: lineWriter(process.stdout), err }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      err(`trl-cards: the check stopped: ${INTERNAL.replace(' on this card', '')}.`);
      if (argv.includes('--debug')) err(String((e as Error)?.stack ?? e));
      process.exitCode = 2;
    },
  );
}
