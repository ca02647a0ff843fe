/**
 * Runs `fn` at most once per `ms`, on the leading and the trailing edge: the first call runs at
 * once, calls during the window are folded into one run at its end.
 */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(
    private readonly fn: () => void,
    private readonly ms: number,
  ) {}

  /** `now`: run at once even inside a window (a new card to show, a server back), and start a new window. */
  run(now = false): void {
    if (this.timer && !now) {
      this.dirty = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.dirty = false;
    this.fn();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) this.run();
    }, this.ms);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
