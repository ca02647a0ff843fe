/**
 * The messages between the extension and the preview webview, both ways, and the state the
 * webview keeps across reloads (the serializer restores a preview from it). Types only.
 */
import type { CardPreview } from '../protocol/preview';

/** Extension → webview. */
export type HostMessage =
  | { type: 'model'; model: CardPreview }
  /** The editor's cursor is on this (0-based) line of the card: highlight its block. */
  | { type: 'highlight'; line: number }
  /** The editor scrolled: this (0-based) line is at its top; bring its block to the top. */
  | { type: 'scrollTo'; line: number }
  | { type: 'locked'; locked: boolean };

/** Webview → extension. */
export type WebviewMessage =
  | { type: 'ready' }
  /** Reveal this (0-based) line of the card in its editor. */
  | { type: 'reveal'; line: number }
  | { type: 'openCard'; uri: string }
  | { type: 'openLink'; href: string }
  /** Show the changes against this entry of the card's `previous` list (as written). */
  | { type: 'compareWith'; written: string }
  /** A model was drawn: what the page shows now, and what it cost (performance marks). */
  | {
      type: 'rendered';
      uri: string;
      version: number | null;
      /** Milliseconds spent applying the model to the page (posted once the page is painted). */
      ms: number;
      /** Milliseconds of the page's layout after it. */
      layoutMs: number;
      /** Parts, risk rows and card blocks re-drawn (the rest kept their DOM). */
      parts: number;
      rowsDrawn: number;
      blocksDrawn: number;
      /** Read back from the page: the title, the level line, and the risk rows shown. */
      title: string;
      level: string;
      rows: number;
      /** Items listed under "Changes since the previous card". */
      changes: number;
      /** The verdict's line, as shown. */
      verdict: string;
    };

export interface PreviewState {
  uri: string;
  locked: boolean;
  showChanges: boolean;
  scrollY: number;
}
