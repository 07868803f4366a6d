// The messages the diagram draws, cut from a source (the model's sample, or a window loaded
// from the recording) and kept between frames: sorting, cutting and building the causal
// graph happen again only when the source or the window changed.
import type { MessagePoint } from '../../../../../core/api/contract.js';
import { buildCausalGraph, type CausalGraph } from '../derive/causality.js';
import { longestFlightMs, messagesInWindow, sortedBySend } from '../derive/message-window.js';

export interface WindowCut {
  /** Messages crossing the window, in send order, less the hidden types; event ids index into this. */
  messages: MessagePoint[];
  /** Every message crossing the window, hidden types too (for the legend's counts). */
  all: MessagePoint[];
  /** Message id → its index in `messages`. */
  index: Map<number, number>;
}

export class WindowData {
  private sortedOf: readonly MessagePoint[] | null = null;
  private sortedVersion = -1;
  private sorted: readonly MessagePoint[] = [];
  private longest = 0;
  private cutKey = '';
  private cutOf: readonly MessagePoint[] | null = null;
  private current: WindowCut = { messages: [], all: [], index: new Map() };
  private graphOf: readonly MessagePoint[] | null = null;
  private graph: CausalGraph | null = null;

  /**
   * `version` changes whenever a source array that is reused changed its content. `tail`: the
   * window is at the end of a source that grows at its end (a live sample), so only the end
   * is sorted, not all of it at every increment.
   */
  cut(source: readonly MessagePoint[], version: number, fromMs: number, toMs: number, tail = false, hidden: ReadonlySet<string> = NONE): WindowCut {
    if (this.sortedOf !== source || this.sortedVersion !== version) {
      this.sortedOf = source;
      this.sortedVersion = version;
      this.sorted = sortedBySend(tail ? recentEnd(source, fromMs - this.longest - TAIL_SLACK_MS) : source);
      this.longest = Math.max(tail ? this.longest : 0, longestFlightMs(this.sorted));
    }
    const key = `${version}:${fromMs}:${toMs}:${[...hidden].join('\u0000')}`;
    if (this.cutOf !== source || this.cutKey !== key) {
      this.cutOf = source;
      this.cutKey = key;
      const all = messagesInWindow(this.sorted, fromMs, toMs, this.longest);
      // Hidden types leave the window altogether: their arrows, dots and causal edges.
      const messages = hidden.size ? all.filter((m) => !hidden.has(m[3])) : all;
      this.current = { messages, all, index: new Map(messages.map((m, i) => [m[0], i])) };
    }
    return this.current;
  }

  /** The last cut made. */
  get latest(): WindowCut {
    return this.current;
  }

  /** Happened-before over the latest cut, built when first asked for. */
  causalGraph(): CausalGraph {
    if (this.graphOf !== this.current.messages || !this.graph) {
      this.graphOf = this.current.messages;
      this.graph = buildCausalGraph(this.current.messages);
    }
    return this.graph;
  }
}

const NONE: ReadonlySet<string> = new Set();

/** How far out of send order a live sample's messages can arrive (their fate comes later), with room to spare. */
const TAIL_SLACK_MS = 2000;

/** The end of `source` from where its messages were sent before `fromMs` for good (50 in a row). */
function recentEnd(source: readonly MessagePoint[], fromMs: number): readonly MessagePoint[] {
  let i = source.length;
  let older = 0;
  while (i > 0 && older < 50) {
    older = source[i - 1][4] < fromMs ? older + 1 : 0;
    i--;
  }
  return i === 0 ? source : source.slice(i);
}
