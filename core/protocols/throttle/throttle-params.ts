// The rate-limited service's parameters, and the one check a ParamSpec cannot state: a
// distributed limiter needs peers to gossip with.
import type { ParamSpec, Params } from '../../sdk/index.js';

export const throttleParams: ParamSpec[] = [
  { name: 'limiter', default: 'token-bucket', oneOf: ['token-bucket', 'leaky-bucket'], description: "'token-bucket': bursts up to `burst`, then `rate` per second; 'leaky-bucket': a steady `rate` per second, with `queue` requests waiting" },
  // A rate of 0 would admit nothing, ever, and leave the leaky bucket's interval infinite.
  { name: 'rate', default: 10, min: 0.01, description: 'requests admitted per second: per node, or across the nodes when distributed' },
  { name: 'burst', default: 5, unit: 'count', min: 1, integer: true, description: 'token bucket: the most tokens it holds, the longest burst admitted at once' },
  { name: 'queue', default: 5, unit: 'count', min: 0, integer: true, description: 'leaky bucket: requests that may wait for their turn; more are rejected' },
  { name: 'scope', default: 'global', oneOf: ['global', 'per-client'], description: "'global': one limiter for every client; 'per-client': one per client, each with the whole rate" },
  { name: 'distributed', default: false, description: 'the nodes gossip what they admitted in the last second, and each also rejects once its estimate of the cluster\'s count reaches the rate' },
  { name: 'gossip', default: 100, unit: 'ms', min: 1, description: 'distributed: how often each node sends its counts to its peers' },
  { name: 'serviceTime', default: 5, unit: 'ms', min: 0, description: 'how long the small service works on an admitted request before answering' },
];

export function checkThrottleParams(params: Params, nodeCount: number): Array<{ name: string; message: string }> {
  if (params.distributed === true && nodeCount < 2) return [{ name: 'distributed', message: 'expected false with one node: a distributed limiter gossips its counts to peers, and a single node has none' }];
  return [];
}
