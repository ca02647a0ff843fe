/**
 * The results a block or a section keeps for the services (`Block.memo`, `Section.memo`):
 * `get`, `has`, `set` and `clear` as a Map's, by string key. Most blocks keep two or three
 * results, so the first four are held in the object itself and a Map is made only for more: a
 * Map per block was a twentieth of a cold check's allocations (about 130 per card).
 */
export class Memo {
  private k0: string | undefined = undefined;
  private v0: unknown = undefined;
  private k1: string | undefined = undefined;
  private v1: unknown = undefined;
  private k2: string | undefined = undefined;
  private v2: unknown = undefined;
  private k3: string | undefined = undefined;
  private v3: unknown = undefined;
  /** Past four keys. The slots fill in order and are emptied only all at once (`clear`). */
  private more: Map<string, unknown> | undefined = undefined;

  get(key: string): unknown {
    if (this.k0 === key) return this.v0;
    if (this.k1 === key) return this.v1;
    if (this.k2 === key) return this.v2;
    if (this.k3 === key) return this.v3;
    return this.more?.get(key);
  }

  has(key: string): boolean {
    return this.k0 === key || this.k1 === key || this.k2 === key || this.k3 === key || (this.more?.has(key) ?? false);
  }

  set(key: string, value: unknown): this {
    if (this.k0 === key) this.v0 = value;
    else if (this.k1 === key) this.v1 = value;
    else if (this.k2 === key) this.v2 = value;
    else if (this.k3 === key) this.v3 = value;
    else if (this.k0 === undefined) {
      this.k0 = key;
      this.v0 = value;
    } else if (this.k1 === undefined) {
      this.k1 = key;
      this.v1 = value;
    } else if (this.k2 === undefined) {
      this.k2 = key;
      this.v2 = value;
    } else if (this.k3 === undefined) {
      this.k3 = key;
      this.v3 = value;
    } else (this.more ??= new Map()).set(key, value);
    return this;
  }

  clear(): void {
    this.k0 = this.k1 = this.k2 = this.k3 = undefined;
    this.v0 = this.v1 = this.v2 = this.v3 = undefined;
    this.more = undefined;
  }
}
