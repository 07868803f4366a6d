// The rate-limited service's parameters, and the one check a ParamSpec cannot state: a
// rate must be above 0 (a min is inclusive).
import type { ParamSpec, Params } from '../../sdk/index.js';

export const throttleParams: ParamSpec[] = [
  { name: 'limiter', default: 'token-bucket', oneOf: ['token-bucket', 'leaky-bucket'], description: "'token-bucket': bursts up to `burst`, then `rate` per second; 'leaky-bucket': a steady `rate` per second, with `queue` requests waiting" },
  { name: 'rate', default: 10, description: 'requests admitted per second (greater than 0): per node, or across the nodes when distributed' },
  { name: 'burst', default: 5, unit: 'count', min: 1, integer: true, description: 'token bucket: the most tokens it holds, the longest burst admitted at once' },
  { name: 'queue', default: 5, unit: 'count', min: 0, integer: true, description: 'leaky bucket: requests that may wait for their turn; more are rejected' },
  { name: 'scope', default: 'global', oneOf: ['global', 'per-client'], description: "'global': one limiter for every client; 'per-client': one per client, each with the whole rate" },
  { name: 'distributed', default: false, description: 'the nodes gossip what they admitted in the last second, and each also rejects once its estimate of the cluster\'s count reaches the rate' },
  { name: 'gossip', default: 100, unit: 'ms', min: 1, description: 'distributed: how often each node sends its counts to its peers' },
  { name: 'serviceTime', default: 5, unit: 'ms', min: 0, description: 'how long the small service works on an admitted request before answering' },
];

export function checkThrottleParams(params: Params): Array<{ name: string; message: string }> {
  const rate = Number(params.rate);
  if (!(rate > 0)) return [{ name: 'rate', message: `expected a rate in requests per second greater than 0, got ${JSON.stringify(params.rate)}` }];
  return [];
}
