// The final reads that judge broadcast, g-set and the counters, as the simulator and real
// runs both send them: one read to every live node, and on a lossy link a read (or its
// answer) can be lost, so a read that times out is sent again, to the same node, up to
// FINAL_READ_ATTEMPTS in all, each bounded by the workload's timeout. A read answered, even
// with an error, is not sent again. The final phase is bounded accordingly: the quiet
// period, then at most FINAL_READ_ATTEMPTS × timeout of reads.

/** Attempts at each node's final read, the first included. */
export const FINAL_READ_ATTEMPTS = 5;

/** The longest the final reads take: every attempt timed out. */
export const finalReadsBoundMs = (readTimeoutMs: number): number => FINAL_READ_ATTEMPTS * readTimeoutMs;

/** The longest a final phase takes: the quiet period, then the final reads. */
export const finalPhaseBoundMs = (quietMs: number, readTimeoutMs: number): number => quietMs + finalReadsBoundMs(readTimeoutMs);

/**
 * Sends one attempt of a node's final read: `attempt` is 1 for the first. `settled` must be
 * called, synchronously where the read completes, with whether it timed out and may be
 * retried, so that the retry is open before anyone sees no request outstanding.
 */
export type SendFinalRead = (node: string, index: number, attempt: number, settled: (timedOut: boolean) => void) => void;

/** Reads every node, retrying timeouts; resolves when each read was answered or its last attempt timed out. */
export function readEachWithRetries(nodes: readonly string[], sendRead: SendFinalRead, attempts = FINAL_READ_ATTEMPTS): Promise<void> {
  const reads = nodes.map(
    (node, index) =>
      new Promise<void>((resolve) => {
        const attempt = (n: number): void =>
          sendRead(node, index, n, (timedOut) => {
            if (timedOut && n < attempts) attempt(n + 1);
            else resolve();
          });
        attempt(1);
      }),
  );
  return Promise.all(reads).then(() => undefined);
}
