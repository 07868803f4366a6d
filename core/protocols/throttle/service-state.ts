// What one limiter node holds: its configuration, a limiter per key, the requests being
// served, its counts, and (distributed) its estimate of the global rate.
import type { Body, Params } from '../../sdk/index.js';
import type { GlobalEstimate } from './global-estimate.js';
import { newEstimate } from './global-estimate.js';
import type { Limiter, LimiterConfig, LimiterKind } from './limiter.js';

export type Scope = 'global' | 'per-client';

/** A client's request, held while it waits in a leaky bucket or is being served. */
export interface HeldRequest {
  from: string;
  body: Body;
}

export interface ServiceConfig extends LimiterConfig {
  scope: Scope;
  /** Gossip interval in ms; null when the limiter is not distributed. */
  gossipMs: number | null;
  serviceTimeMs: number;
}

export interface ServiceState {
  self: string;
  others: string[];
  config: ServiceConfig;
  limiters: Map<string, Limiter<HeldRequest>>;
  /** Keys whose leak timer is set. */
  leakArmed: Set<string>;
  estimate: GlobalEstimate | null;
  serving: Map<number, HeldRequest>;
  nextServeId: number;
  accepted: number;
  rejected: number;
  /** The last `bucket` state sent, as JSON, so an unchanged one is not sent again. */
  lastReported: string;
  /** Reports sent so far (the limit goes out with every tenth). */
  reports: number;
}

export function serviceConfig(params: Params): ServiceConfig {
  const gossip = Number(params.gossip);
  return {
    kind: params.limiter === 'leaky-bucket' ? 'leaky-bucket' : ('token-bucket' satisfies LimiterKind),
    rate: Number(params.rate),
    burst: Number(params.burst),
    queue: Number(params.queue),
    scope: params.scope === 'per-client' ? 'per-client' : 'global',
    gossipMs: params.distributed === true ? gossip : null,
    serviceTimeMs: Number(params.serviceTime),
  };
}

export function newServiceState(self: string, peers: readonly string[], config: ServiceConfig): ServiceState {
  return {
    self,
    others: peers.filter((p) => p !== self),
    config,
    limiters: new Map(),
    leakArmed: new Set(),
    estimate: config.gossipMs === null ? null : newEstimate(config.gossipMs),
    serving: new Map(),
    nextServeId: 1,
    accepted: 0,
    rejected: 0,
    lastReported: '',
    reports: 0,
  };
}

/** The limiter key of a request: one for everyone, or one per client. */
export const keyOf = (s: ServiceState, client: string): string => (s.config.scope === 'global' ? GLOBAL_KEY : client);
export const GLOBAL_KEY = '*';
