// A small service behind a rate limiter. Each `request` from a client goes through a token
// bucket (rate, burst) or a leaky bucket (rate, queue), one for everyone or one per client;
// admitted requests are served after `serviceTime` and answered request_ok, the others
// answered at once with error 11 (temporarily unavailable, "rate limited"). Distributed,
// the nodes gossip what they admitted in the last second, and a node also rejects when its
// estimate of the global count has reached the rate: approximate, and under a partition
// each side spends the whole budget.
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { metric, reply, send, setTimer, state } from '../../sdk/index.js';
import { ERROR_NOT_SUPPORTED, ERROR_TEMPORARILY_UNAVAILABLE, errorBody } from '../replication/kv-store.js';
import { estimatedGlobal, globalAllows, livePeers, onPeerCounts, ownCounts, recordAdmission } from './global-estimate.js';
import { admit, level, newLimiter, nextReleaseIn, release, type Limiter } from './limiter.js';
import { GLOBAL_KEY, keyOf, newServiceState, serviceConfig, type HeldRequest, type ServiceState } from './service-state.js';
import { checkThrottleParams, throttleParams } from './throttle-params.js';

export const RATE_LIMITED_TEXT = 'rate limited';
const REPORT_TIMER = 'report';
const REPORT_EVERY_MS = 100;
const LIMIT_EVERY_REPORTS = 10;
const GOSSIP_TIMER = 'gossip';
const LEAK_PREFIX = 'leak:';
const SERVE_PREFIX = 'serve:';

const protocol: Protocol<ServiceState> = {
  init({ self, peers, params, now }) {
    const s = newServiceState(self, peers, serviceConfig(params));
    const out: Output[] = [setTimer(REPORT_TIMER, REPORT_EVERY_MS)];
    if (s.config.gossipMs !== null && s.others.length) out.push(setTimer(GOSSIP_TIMER, s.config.gossipMs));
    report(s, now, out);
    return [s, out];
  },
  step(s, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') onTimer(s, input.name, input.now, out);
    else onMessage(s, input.from, input.body, input.now, out);
    return [s, out];
  },
};

function onMessage(s: ServiceState, from: string, body: Body, now: number, out: Output[]): void {
  if (body.type === 'limiter_counts') {
    if (s.estimate && isCounts(body.counts)) onPeerCounts(s.estimate, from, body.counts, now);
    return;
  }
  if (body.type === 'request') return onRequest(s, { from, body }, now, out);
  if (body.msg_id !== undefined && !s.others.includes(from)) out.push(reply(from, body, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported`)));
}

function onRequest(s: ServiceState, request: HeldRequest, now: number, out: Output[]): void {
  const key = keyOf(s, request.from);
  if (s.estimate && !globalAllows(s.estimate, key, s.config.rate, now)) return reject(s, request, out);
  const verdict = admit(limiterOf(s, key, now), s.config, request, now);
  if (verdict === 'rejected') return reject(s, request, out);
  s.accepted++;
  if (s.estimate) recordAdmission(s.estimate, key, now);
  if (verdict === 'admitted') serve(s, request, out);
  else armLeak(s, key, now, out);
}

function reject(s: ServiceState, request: HeldRequest, out: Output[]): void {
  s.rejected++;
  out.push(reply(request.from, request.body, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, RATE_LIMITED_TEXT)));
}

/** The small service: answers after `serviceTime`, or at once. */
function serve(s: ServiceState, request: HeldRequest, out: Output[]): void {
  if (s.config.serviceTimeMs <= 0) return answer(s, request, out);
  const id = s.nextServeId++;
  s.serving.set(id, request);
  out.push(setTimer(`${SERVE_PREFIX}${id}`, s.config.serviceTimeMs));
}

function answer(s: ServiceState, request: HeldRequest, out: Output[]): void {
  out.push(reply(request.from, request.body, { type: 'request_ok', served_by: s.self }));
}

function onTimer(s: ServiceState, name: string, now: number, out: Output[]): void {
  if (name === REPORT_TIMER) {
    report(s, now, out);
    out.push(setTimer(REPORT_TIMER, REPORT_EVERY_MS));
  } else if (name === GOSSIP_TIMER && s.estimate && s.config.gossipMs !== null) {
    const counts = ownCounts(s.estimate, now);
    for (const peer of s.others) out.push(send(peer, { type: 'limiter_counts', counts }));
    out.push(setTimer(GOSSIP_TIMER, s.config.gossipMs));
  } else if (name.startsWith(LEAK_PREFIX)) {
    onLeak(s, name.slice(LEAK_PREFIX.length), now, out);
  } else if (name.startsWith(SERVE_PREFIX)) {
    const id = Number(name.slice(SERVE_PREFIX.length));
    const request = s.serving.get(id);
    s.serving.delete(id);
    if (request) answer(s, request, out);
  }
}

function onLeak(s: ServiceState, key: string, now: number, out: Output[]): void {
  s.leakArmed.delete(key);
  const limiter = s.limiters.get(key);
  if (!limiter) return;
  const next = release(limiter, s.config, now);
  if (next) serve(s, next, out);
  armLeak(s, key, now, out);
}

function armLeak(s: ServiceState, key: string, now: number, out: Output[]): void {
  if (s.leakArmed.has(key)) return;
  const wait = nextReleaseIn(limiterOf(s, key, now), now);
  if (wait === null) return;
  s.leakArmed.add(key);
  out.push(setTimer(`${LEAK_PREFIX}${key}`, wait));
}

function limiterOf(s: ServiceState, key: string, now: number): Limiter<HeldRequest> {
  let limiter = s.limiters.get(key);
  if (!limiter) s.limiters.set(key, (limiter = newLimiter<HeldRequest>(s.config, now)));
  return limiter;
}

/** Metrics for the charts, and the bucket's state for the inspector (sent when it changed). */
function report(s: ServiceState, now: number, out: Output[]): void {
  // The global limit this node stands for (summed over the nodes, the cluster's), once a
  // second: a live view that drops its oldest metrics still has it.
  if (s.config.scope === 'global' && s.reports++ % LIMIT_EVERY_REPORTS === 0) out.push(metric('throttle.limit', limitShare(s)));
  const levels = new Map([...s.limiters].map(([key, limiter]) => [key, round(level(limiter, s.config, now))]));
  const global = s.config.scope === 'global';
  const tokens = s.config.kind === 'token-bucket';
  const shown = round(reportedLevel(s, levels));
  out.push(metric(tokens ? 'throttle.tokens' : 'throttle.queue', shown));
  out.push(metric('throttle.accepted', s.accepted), metric('throttle.rejected', s.rejected));
  const bucket = {
    limiter: s.config.kind,
    scope: s.config.scope,
    rate: s.config.rate,
    capacity: tokens ? s.config.burst : s.config.queue,
    ...(global ? { level: shown } : { levels: Object.fromEntries(levels) }),
    accepted: s.accepted,
    rejected: s.rejected,
    ...(s.estimate && global && { globalEstimate: estimatedGlobal(s.estimate, GLOBAL_KEY, now), peersHeard: livePeers(s.estimate, now) }),
  };
  const json = JSON.stringify(bucket);
  if (json === s.lastReported) return;
  s.lastReported = json;
  out.push(state('bucket', bucket));
}

const limitShare = (s: ServiceState) => (s.config.gossipMs === null ? s.config.rate : s.config.rate / (s.others.length + 1));

/**
 * One number per node for the chart: the global bucket's level; per client, the mean of the
 * clients' tokens or the sum of their queues. A bucket not used yet is full (tokens) or empty (queue).
 */
function reportedLevel(s: ServiceState, levels: Map<string, number>): number {
  const tokens = s.config.kind === 'token-bucket';
  if (levels.size === 0) return tokens ? s.config.burst : 0;
  const sum = [...levels.values()].reduce((a, b) => a + b, 0);
  return tokens ? sum / levels.size : sum;
}

const round = (x: number) => Math.round(x * 100) / 100;

function isCounts(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v));
}

export const rateLimitedService: Program = {
  name: 'rate-limited-service',
  description: 'A small service behind a rate limiter: a token or leaky bucket, global or per client, optionally distributed with gossiped counts; rejects with error 11.',
  params: throttleParams,
  checkParams: checkThrottleParams,
  protocol,
};
