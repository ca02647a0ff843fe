/**
 * Every command's arguments, read by Node's `util.parseArgs` (options before, after or between
 * paths; `--name value` and `--name=value`; `--` ends the options), with the checker's own
 * messages for what it refuses: an unknown option, a value given to a switch. An option with
 * a value reads the next argument, whatever it starts with, as the shells' tools do.
 */
import { parseArgs } from 'util';
import { showControls } from '../text/escape';

/** The options a command takes: switches (`boolean`) and options with a value (`string`). */
export type OptionSpec = Record<string, { type: 'boolean' | 'string'; short?: string }>;

export interface ParsedArgs {
  /** Each option given: `true` for a switch, the (last) value for an option with one. */
  values: Record<string, string | boolean | undefined>;
  /** The arguments that are not options, in order (all of them after `--`). */
  positionals: string[];
}

/** The arguments read by `spec`, or what is wrong with them (a sentence, without the command's name). */
export function readArgs(args: readonly string[], spec: OptionSpec): ParsedArgs | { error: string } {
  // Not strict: every token is checked here, so that each refusal says what to do.
  const { tokens } = parseArgs({ args: [...args], options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: ParsedArgs['values'] = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const option = Object.hasOwn(spec, t.name) ? spec[t.name] : undefined;
    // A short name is one the spec gives (`-h`); `-help` is not `--help`.
    if (!option || (!t.rawName.startsWith('--') && option.short === undefined)) return { error: `unknown option '${showControls(t.rawName)}'` };
    if (option.type === 'boolean') {
      if (t.inlineValue) return { error: `${t.rawName} takes no value` };
      values[t.name] = true;
    } else {
      // As the next argument or after `=`, whatever it starts with; none at the end: '' (the
      // command says what the option takes).
      values[t.name] = t.value ?? '';
    }
  }
  return { values, positionals };
}

/**
 * A command's arguments, or its exit status when they end it: its help asked for (printed,
 * 0), or a refusal (said with the help, 2). `prefix` begins each message (`trl-cards render`).
 */
export function commandArgs(
  args: readonly string[],
  spec: OptionSpec,
  io: { out: (text: string) => void; err: (text: string) => void },
  prefix: string,
  usage: string,
): ParsedArgs | number {
  const parsed = readArgs(args, spec);
  if ('error' in parsed) {
    io.err(`${prefix}: ${parsed.error}.\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(usage);
    return 0;
  }
  return parsed;
}
