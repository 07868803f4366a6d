// What happens to one message on one directed link: the switch's hot path.
// decide() allocates nothing: it fills and returns one reused decision object.

import type { LinkParams } from '../experiment/types.js';
import { sampleLatencyMs } from './latency.js';
import type { Rng } from './prng.js';

export type LinkFate = 'deliver' | 'lost' | 'queue-full';

export interface LinkDecision {
  fate: LinkFate;
  /** Absolute µs. NaN unless fate is 'deliver'. */
  deliverAtUs: number;
  corrupt: boolean;
  duplicate: boolean;
  /** Absolute µs. NaN unless duplicate. */
  duplicateAtUs: number;
  duplicateCorrupt: boolean;
}

const INITIAL_QUEUE_CAPACITY = 16;

/**
 * The network model of one directed link, driven by its own rng stream.
 *
 * Per message, in this fixed order (a lost or queue-full message stops early):
 * 1. loss: one draw (Bernoulli), or Gilbert–Elliott: advance the good/bad chain once
 *    (one draw), then one draw against the current state's loss probability;
 * 2. bandwidth, when set: the link transmits one message at a time, bytes/bandwidth
 *    each; a message that finds queueLimit messages still in the link (accepted and not
 *    yet fully transmitted, i.e. departing after nowUs, the one on the wire included) is
 *    'queue-full' and takes no link time. Lost messages take no link time either
 *    (netem drops before queueing). Without bandwidth the message departs at nowUs and
 *    queueLimit has no effect;
 * 3. reorder: one draw; a chosen message skips the latency and arrives at its departure
 *    time (netem's reorder), otherwise one latency sample is added;
 * 4. corrupt: one draw;
 * 5. duplicate: one draw; a duplicate leaves with the original, needs no extra link time,
 *    and gets its own latency sample and its own corrupt draw.
 * Probability draws happen even at probability 0, so the draw pattern does not depend
 * on which faults are switched on.
 */
export class LinkModel {
  private current: LinkParams;
  private readonly rng: Rng;
  private readonly decision: LinkDecision = {
    fate: 'deliver',
    deliverAtUs: Number.NaN,
    corrupt: false,
    duplicate: false,
    duplicateAtUs: Number.NaN,
    duplicateCorrupt: false,
  };
  /** Gilbert–Elliott state; starts good and survives parameter changes. */
  private inBadState = false;
  /** When the link finishes transmitting everything accepted so far. */
  private busyUntilUs = Number.NEGATIVE_INFINITY;
  /**
   * Ring of departure times of the messages still in the link, oldest first. Departures
   * never decrease (the link is FIFO), so the departed ones are always at the head. It
   * holds at most queueLimit entries and grows by doubling, so growth stops early.
   */
  private departures = new Float64Array(INITIAL_QUEUE_CAPACITY);
  private queueHead = 0;
  private queueLength = 0;

  constructor(params: LinkParams, rng: Rng) {
    this.current = validatedCopy(params);
    this.rng = rng;
  }

  /** The parameters in force. Read-only: change them through setParams. */
  get params(): Readonly<LinkParams> {
    return this.current;
  }

  /**
   * Applies from the next message on. The rng sequence, the Gilbert–Elliott state and the
   * bandwidth queue carry over: messages already accepted keep their departure times, and
   * a lowered queueLimit only refuses new messages until the queue has drained below it.
   */
  setParams(params: LinkParams): void {
    this.current = validatedCopy(params);
  }

  /**
   * The fate of a message of `bytes` bytes offered to the link at `nowUs`.
   * Returns the same object on every call: copy the fields you need before calling again.
   */
  decide(nowUs: number, bytes: number): LinkDecision {
    const d = this.decision;
    const params = this.current;
    const rng = this.rng;
    d.deliverAtUs = Number.NaN;
    d.corrupt = false;
    d.duplicate = false;
    d.duplicateAtUs = Number.NaN;
    d.duplicateCorrupt = false;

    if (this.drawLoss()) {
      d.fate = 'lost';
      return d;
    }

    let departUs = nowUs;
    const bandwidth = params.bandwidthBytesPerSec;
    if (bandwidth !== null) {
      if (this.queuedAfter(nowUs) >= params.queueLimit) {
        d.fate = 'queue-full';
        return d;
      }
      departUs = this.transmit(nowUs, bytes, bandwidth);
    }

    d.fate = 'deliver';
    const reordered = rng.next() < params.reorder;
    d.deliverAtUs = reordered ? departUs : departUs + sampleLatencyMs(params.latency, rng) * 1000;
    d.corrupt = rng.next() < params.corrupt;
    if (rng.next() < params.duplicate) {
      d.duplicate = true;
      d.duplicateAtUs = departUs + sampleLatencyMs(params.latency, rng) * 1000;
      d.duplicateCorrupt = rng.next() < params.corrupt;
    }
    return d;
  }

  private drawLoss(): boolean {
    const loss = this.current.loss;
    const rng = this.rng;
    if (loss.kind === 'bernoulli') return rng.next() < loss.p;
    if (this.inBadState) {
      if (rng.next() < loss.r) this.inBadState = false;
    } else if (rng.next() < loss.p) {
      this.inBadState = true;
    }
    return rng.next() < (this.inBadState ? loss.lossBad : loss.lossGood);
  }

  /** Forgets the messages that have fully departed by nowUs and counts the rest. */
  private queuedAfter(nowUs: number): number {
    const mask = this.departures.length - 1;
    while (this.queueLength > 0 && this.departures[this.queueHead] <= nowUs) {
      this.queueHead = (this.queueHead + 1) & mask;
      this.queueLength--;
    }
    return this.queueLength;
  }

  /** Serializes the message behind everything accepted before; returns its departure time. */
  private transmit(nowUs: number, bytes: number, bytesPerSec: number): number {
    const startUs = nowUs > this.busyUntilUs ? nowUs : this.busyUntilUs;
    const departUs = startUs + (bytes * 1e6) / bytesPerSec;
    this.busyUntilUs = departUs;
    if (this.queueLength === this.departures.length) this.growQueue();
    const mask = this.departures.length - 1;
    this.departures[(this.queueHead + this.queueLength) & mask] = departUs;
    this.queueLength++;
    return departUs;
  }

  private growQueue(): void {
    const old = this.departures;
    const grown = new Float64Array(old.length * 2);
    for (let i = 0; i < this.queueLength; i++) grown[i] = old[(this.queueHead + i) & (old.length - 1)];
    this.departures = grown;
    this.queueHead = 0;
  }
}

function validatedCopy(params: LinkParams): LinkParams {
  const { latency, loss } = params;
  requireNonNegative('latency.meanMs', latency.meanMs);
  requireNonNegative('latency.jitterMs', latency.jitterMs);
  requireProbability('loss.p', loss.p);
  if (loss.kind === 'gilbert-elliott') {
    requireProbability('loss.r', loss.r);
    requireProbability('loss.lossGood', loss.lossGood);
    requireProbability('loss.lossBad', loss.lossBad);
  }
  requireProbability('duplicate', params.duplicate);
  requireProbability('corrupt', params.corrupt);
  requireProbability('reorder', params.reorder);
  const bandwidth = params.bandwidthBytesPerSec;
  if (bandwidth !== null && !(bandwidth > 0 && bandwidth < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`bandwidthBytesPerSec must be a positive number or null, got ${bandwidth}`);
  }
  if (!(params.queueLimit >= 0)) {
    throw new RangeError(`queueLimit must be ≥ 0, got ${params.queueLimit}`);
  }
  return { ...params, latency: { ...latency }, loss: { ...loss } };
}

function requireProbability(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
}

function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const UPPER_A = 0x41;
const LOWER_A = 0x61;

/** A character corruptBody may change; a number's first digit must not become 0 ("07" is not JSON). */
interface EligibleChar {
  index: number;
  leadingDigit: boolean;
}

/**
 * Shows a corruption in the recorded JSON text: one ASCII letter or digit, chosen
 * uniformly, becomes a different letter (same case) or digit. Only characters whose change
 * keeps the JSON valid are chosen: letters and digits inside strings outside escape
 * sequences, and the digits of numbers. Never touched: escapes (\n, \u00e9), anything
 * right after a backslash, true/false/null, a number's e/E, and all punctuation. A body
 * with no such character comes back unchanged. Two rng.int calls; same rng state, same result.
 */
export function corruptBody(body: string, rng: Rng): string {
  const eligible = findEligibleChars(body);
  if (eligible.length === 0) return body;
  const target = eligible[rng.int(eligible.length)];
  const original = body.charCodeAt(target.index);
  const replacement = isDigit(original)
    ? differentDigit(original - DIGIT_0, target.leadingDigit, rng) + DIGIT_0
    : differentLetter(original, rng);
  return body.slice(0, target.index) + String.fromCharCode(replacement) + body.slice(target.index + 1);
}

function findEligibleChars(body: string): EligibleChar[] {
  const found: EligibleChar[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === QUOTE) i = scanString(body, i + 1, found);
    else if (c === MINUS || isDigit(c)) i = scanNumber(body, i, found);
    else i++;
  }
  return found;
}

/** From just after the opening quote; returns the index after the closing quote. */
function scanString(body: string, start: number, found: EligibleChar[]): number {
  let i = start;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      i += body.charCodeAt(i + 1) === 0x75 /* u */ ? 6 : 2;
      continue;
    }
    if ((isDigit(c) || isAsciiLetter(c)) && body.charCodeAt(i - 1) !== BACKSLASH) {
      found.push({ index: i, leadingDigit: false });
    }
    i++;
  }
  return i;
}

/** Digits of one number token; only the first digit of the integer part is leading. */
function scanNumber(body: string, start: number, found: EligibleChar[]): number {
  let i = start;
  let seenDigit = false;
  while (i < body.length && isNumberChar(body.charCodeAt(i))) {
    if (isDigit(body.charCodeAt(i))) {
      if (body.charCodeAt(i - 1) !== BACKSLASH) found.push({ index: i, leadingDigit: !seenDigit });
      seenDigit = true;
    }
    i++;
  }
  return i;
}

function differentDigit(digit: number, leading: boolean, rng: Rng): number {
  if (!leading) {
    const k = rng.int(9);
    return k >= digit ? k + 1 : k;
  }
  // Leading: choose among 1..9 without the original.
  if (digit === 0) return rng.int(9) + 1;
  const k = rng.int(8) + 1;
  return k >= digit ? k + 1 : k;
}

function differentLetter(code: number, rng: Rng): number {
  const base = code >= LOWER_A ? LOWER_A : UPPER_A;
  const k = rng.int(25);
  return base + (k >= code - base ? k + 1 : k);
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= 0x39;
}

function isAsciiLetter(c: number): boolean {
  return (c >= UPPER_A && c <= 0x5a) || (c >= LOWER_A && c <= 0x7a);
}

function isNumberChar(c: number): boolean {
  return isDigit(c) || c === MINUS || c === 0x2b /* + */ || c === 0x2e /* . */ || c === 0x45 /* E */ || c === 0x65 /* e */;
}
