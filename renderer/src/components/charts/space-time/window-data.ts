// The messages the diagram draws, cut from a source (the model's sample, or a window loaded
// from the recording) and kept between frames: sorting, cutting and building the causal
// graph happen again only when the source or the window changed.
import type { MessagePoint } from '../../../../../core/api/contract';
import { buildCausalGraph, type CausalGraph } from '../derive/causality.js';
import { longestFlightMs, messagesInWindow, sortedBySend } from '../derive/message-window.js';

export interface WindowCut {
  /** Messages crossing the window, in send order; event ids index into this. */
  messages: MessagePoint[];
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
  private current: WindowCut = { messages: [], index: new Map() };
  private graphOf: readonly MessagePoint[] | null = null;
  private graph: CausalGraph | null = null;

  /** `version` changes whenever a source array that is reused changed its content. */
  cut(source: readonly MessagePoint[], version: number, fromMs: number, toMs: number): WindowCut {
    if (this.sortedOf !== source || this.sortedVersion !== version) {
      this.sortedOf = source;
      this.sortedVersion = version;
      this.sorted = sortedBySend(source);
      this.longest = longestFlightMs(this.sorted);
    }
    const key = `${version}:${fromMs}:${toMs}`;
    if (this.cutOf !== source || this.cutKey !== key) {
      this.cutOf = source;
      this.cutKey = key;
      const messages = messagesInWindow(this.sorted, fromMs, toMs, this.longest);
      this.current = { messages, index: new Map(messages.map((m, i) => [m[0], i])) };
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
