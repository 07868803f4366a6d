// seq-kv: a sequentially consistent key-value store, weak on purpose as Maelstrom's is.
// The store's states form one total order (state i is the one after the i-th change). Each
// client has its place in that order and never goes back: a request that changes nothing
// (a read, a failed cas) may be served from any state between the client's place and the
// newest, so reads can be stale; a change always applies to the newest state. Only the
// last WINDOW states are kept, so a client is at most that far behind.
import type { Body } from '../sdk/protocol.js';
import type { Rng } from '../engine/prng.js';
import { applyKv, isKvRequest, keyOf, parseKvRequest, type Current } from './kv-request.js';
import type { Service } from './service.js';

const DEFAULT_WINDOW = 32;

/** One key's values, each from the state that set it on. */
type Versions = Array<{ state: number; value: unknown }>;

export class SeqKv implements Service {
  private readonly keys = new Map<string, Versions>();
  /** The newest state's index; state 0 is the empty store. */
  private newest = 0;
  private readonly placeOf = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    private readonly window = DEFAULT_WINDOW,
  ) {}

  handle(client: string, body: Body): Body {
    const request = parseKvRequest('seq-kv', body);
    if (!isKvRequest(request)) return request;
    const key = keyOf(request);
    const place = Math.max(this.placeOf.get(client) ?? 0, this.oldestKept());
    const state = place + this.rng.int(this.newest - place + 1);
    const tried = applyKv(request, this.valueAt(key, state));
    if (!tried.write) {
      this.placeOf.set(client, state);
      return tried.reply;
    }
    // A change on a past state would rewrite history: it goes to the newest state instead.
    const outcome = state === this.newest ? tried : applyKv(request, this.valueAt(key, this.newest));
    if (outcome.write) this.append(key, outcome.write.value);
    this.placeOf.set(client, this.newest);
    return outcome.reply;
  }

  private oldestKept(): number {
    return Math.max(0, this.newest - this.window + 1);
  }

  private valueAt(key: string, state: number): Current {
    const versions = this.keys.get(key);
    if (!versions) return { exists: false };
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i].state <= state) return { exists: true, value: versions[i].value };
    return { exists: false };
  }

  private append(key: string, value: unknown): void {
    this.newest++;
    const versions = this.keys.get(key) ?? [];
    versions.push({ state: this.newest, value });
    // Versions older than the window matter only as the value that the oldest kept state sees.
    const oldest = this.oldestKept();
    let drop = 0;
    while (drop + 1 < versions.length && versions[drop + 1].state <= oldest) drop++;
    if (drop) versions.splice(0, drop);
    this.keys.set(key, versions);
  }
}
