/** What a command may do to the terminal: its folder and a line to stdout or stderr. */
export interface CliIO {
  cwd: string;
  /** Writes one line to stdout. */
  out: (text: string) => void;
  /** Writes one line (or the usage text) to stderr. */
  err: (text: string) => void;
  /** `--debug`: an internal error's stack is printed, not only said. */
  debug?: boolean;
}
