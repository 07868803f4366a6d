// The one definition of a run's message counts, shared by the switch, the summary, the
// queries over the record and the record-consistent check (see docs/record.md):
// `sent` counts original messages and `duplicated` the extra copies the network made;
// every one of them, original or copy, has exactly one fate, so the fates add up to
// sent + duplicated, which is the number of rows in `messages`.
import type { MessageFate } from '../store/schema.js';

export interface MessageCounts {
  sent: number;
  duplicated: number;
  delivered: number;
  corrupted: number;
  lost: number;
  partitioned: number;
  overflow: number;
  undeliverable: number;
  inFlightAtEnd: number;
}

export type FateCount = Exclude<keyof MessageCounts, 'sent' | 'duplicated'>;

/** The counter of each fate. */
export const FATE_COUNTS: Readonly<Record<MessageFate, FateCount>> = {
  delivered: 'delivered',
  corrupted: 'corrupted',
  lost: 'lost',
  partitioned: 'partitioned',
  overflow: 'overflow',
  undeliverable: 'undeliverable',
  'in-flight-at-end': 'inFlightAtEnd',
};

export function zeroCounts(): MessageCounts {
  return { sent: 0, duplicated: 0, delivered: 0, corrupted: 0, lost: 0, partitioned: 0, overflow: 0, undeliverable: 0, inFlightAtEnd: 0 };
}

/** Sum of every fate: equals sent + duplicated once every message has one. */
export function fatesTotal(c: MessageCounts): number {
  return c.delivered + c.corrupted + c.lost + c.partitioned + c.overflow + c.undeliverable + c.inFlightAtEnd;
}

/** Messages that reached their destination, with or without an altered body. */
export function reached(c: MessageCounts): number {
  return c.delivered + c.corrupted;
}

/** Messages (originals and copies) that did not reach their destination. */
export function notReached(c: MessageCounts): number {
  return c.lost + c.partitioned + c.overflow + c.undeliverable + c.inFlightAtEnd;
}
