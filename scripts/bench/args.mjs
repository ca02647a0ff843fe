/** The benchmark scripts' command line: `--name N` numbers with a default. */
export function numberOption(args, name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}
