// Clients of a rate-limited service: each sends `request` and gets request_ok, or error 11
// when the limiter rejects it. A rejected request may be retried (at once, or after an
// exponential backoff with full jitter), up to `attempts` tries in all. Every attempt is its
// own operation, with `attempt` (0 for the first) and `first` (the msg_id of the first try)
// in its detail, so accepted, rejected and retried per second all come from the record.
import type { Body } from '../sdk/protocol.js';
import type { RetrySpec } from '../experiment/types.js';
import { RequestWorkload, wrongReply, type Pending, type Request, type Verdict } from './request-workload.js';
import type { Cancelable } from './timer-port.js';

/** Maelstrom's temporarily-unavailable: the limiter's rejection. */
export const REJECTED_CODE = 11;

const NO_RETRY: RetrySpec = { policy: 'none', attempts: 1, backoff: { baseMs: 50, maxMs: 1000, jitter: 'full' } };

/** The wait before retrying after the k-th rejection (k from 0): min(max, base·2^k), or up to it with full jitter. */
export function backoffMs(retry: RetrySpec, k: number, random: () => number): number {
  if (retry.policy !== 'backoff') return 0;
  const ceiling = Math.min(retry.backoff.maxMs, retry.backoff.baseMs * 2 ** k);
  return retry.backoff.jitter === 'full' ? random() * ceiling : ceiling;
}

export class RequestsWorkload extends RequestWorkload {
  /** Retries waiting out their backoff, by client. */
  private readonly waiting = new Map<string, Set<Cancelable>>();
  private stopped = false;

  private get retry(): RetrySpec {
    return this.spec.retry ?? NO_RETRY;
  }

  protected nextRequest(): Request {
    return { op: 'request', body: { type: 'request' }, detail: { attempt: 0 } };
  }

  protected judge(reply: Body): Verdict {
    return reply.type === 'request_ok' ? { outcome: 'ok', detail: typeof reply.served_by === 'string' ? { servedBy: reply.served_by } : {} } : wrongReply(`expected request_ok, got ${reply.type}`);
  }

  protected override isBusy(client: string): boolean {
    return super.isBusy(client) || (this.waiting.get(client)?.size ?? 0) > 0;
  }

  override stopIssuing(): void {
    super.stopIssuing();
    this.stopped = true;
    for (const timers of this.waiting.values()) for (const t of timers) t.cancel();
    this.waiting.clear();
  }

  protected override complete(p: Pending, verdict: Verdict): void {
    super.complete(p, verdict);
    const attempt = Number(p.detail.attempt ?? 0);
    const rejected = verdict.outcome === 'fail' && verdict.detail?.code === REJECTED_CODE;
    if (!rejected || this.stopped || attempt + 1 >= this.retry.attempts) return;
    const first = (p.detail.first as number | undefined) ?? p.msgId;
    const again: Request = { op: 'request', body: { type: 'request' }, detail: { attempt: attempt + 1, first } };
    const timers = this.waiting.get(p.client) ?? new Set<Cancelable>();
    this.waiting.set(p.client, timers);
    // The run's timers (virtual in a simulation), like every other wait of a workload.
    const timer = this.timers.after(backoffMs(this.retry, attempt, () => this.rng.next()), () => {
      timers.delete(timer);
      if (this.stopped || this.port.nodes.length === 0) return;
      this.send(p.client, this.rng.pick(this.port.nodes), again);
    });
    timers.add(timer);
  }
}
