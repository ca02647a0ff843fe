/**
 * The store of preview answers: each answer is named (this process's prefix, so a restarted
 * server never matches an old name), and a preview that names the answer it holds (`base`) gets
 * only what changed since it (protocol/previewDelta.ts), when that answer is among the last
 * `LIMITS.maxPreviewAnswersKept` and of the same card.
 */
import type { CardPreview, CardPreviewResponse } from '../../../protocol/preview';
import { previewDelta } from '../../../protocol/previewDelta';
import { LIMITS } from '../limits';
import { attempt } from '../runner';

export class PreviewAnswers {
  private count = 0;
  private readonly kept = new Map<string, CardPreview>();

  constructor(
    private readonly prefix: string,
    private readonly log: (message: string) => void,
    private readonly max: number = LIMITS.maxPreviewAnswersKept,
  ) {}

  /** Names a new answer and keeps it; the answer, or what changed since `base`. */
  answer(model: Omit<CardPreview, 'answer'>, base: unknown): CardPreviewResponse {
    const answer = `${this.prefix}:${++this.count}`;
    const full: CardPreview = { ...model, answer };
    const old = typeof base === 'string' ? this.kept.get(base) : undefined;
    this.kept.set(answer, full);
    for (const k of this.kept.keys()) if (this.kept.size > this.max) this.kept.delete(k);
    if (!old || old.uri !== full.uri) return full;
    return attempt(this.log, 'Preview', () => previewDelta(old, full, base as string, answer), () => undefined) ?? full;
  }
}
