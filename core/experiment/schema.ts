// The zod schema of an experiment file. It checks the shape of every field and
// turns units into numbers; references between fields (node ids, programs,
// fault times within the duration) are checked afterwards by load.ts.
//
// Every message starts with "expected …"; the loader appends ", got <value>"
// from the raw input unless an issue carries VALUE_SHOWN.
import { CONSISTENCY_MODELS, type ConsistencyModel } from '../checks/elle/models.js';
import { z } from 'zod';
import type {
  ClockSpec,
  LatencyDistribution,
  LatencyModel,
  LinkOverride,
  LinkParams,
  LinkPatch,
  LossModel,
  NodesSpec,
  PartitionPattern,
  RandomFaultKind,
  RandomFaultSpec,
  ScheduledFault,
  WorkloadKind,
  WorkloadSpec,
} from './types.js';
import { stepsSchema } from './steps.js';
import { DEFAULT_BACKOFF, DEFAULT_RETRY_ATTEMPTS, RETRY_WORKLOADS } from './workload-kinds.js';
import { DEFAULT_FINAL_QUIET_MS, DEFAULT_MAX_TXN_LENGTH, FINAL_READ_WORKLOADS, hasFinalReads, KEYED_WORKLOADS, KV_WORKLOADS, TXN_WORKLOADS, WORKLOAD_KINDS, workloadNames } from './workload-kinds.js';
import {
  BANDWIDTH_FORMS,
  DURATION_FORMS,
  DURATION_TOO_LONG,
  formatDurationMs,
  MAX_DURATION_MS,
  MAX_DURATION_TEXT,
  parseBandwidthBytesPerSec,
  parseBytes,
  parseDurationMs,
  UnitError,
} from './units.js';

/** Issue params telling the loader that the message already names the bad value. */
export const VALUE_SHOWN = { valueShown: true } as const;

/** A fresh object each time, so no experiment can alter another's defaults. */
export function defaultLinkParams(): LinkParams {
  return {
    latency: { distribution: 'constant', meanMs: 0, jitterMs: 0 },
    loss: { kind: 'bernoulli', p: 0 },
    duplicate: 0,
    corrupt: 0,
    reorder: 0,
    bandwidthBytesPerSec: null,
    queueLimit: 1000,
  };
}

export const DEFAULT_INIT_TIMEOUT_MS = 10_000;
/** How long a leaving node runs on after it is told the new membership (nodes.leaveDrain). */
export const DEFAULT_LEAVE_DRAIN_MS = 1000;
/** What the engine holds for one node that stops reading, before messages to it overflow. */
export const DEFAULT_INBOX_LIMIT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_WORKLOAD_TIMEOUT_MS = 5000;

export const DEFAULT_KV_KEYS = 5;
export const DEFAULT_KV_MIX = { read: 2, write: 2, cas: 1 };

export function noWorkload(): WorkloadSpec {
  return { kind: 'none', rate: 0, clients: 0, timeoutMs: DEFAULT_WORKLOAD_TIMEOUT_MS, loop: 'closed', keys: DEFAULT_KV_KEYS, mix: { ...DEFAULT_KV_MIX } };
}

export function noClockChange(): ClockSpec {
  return { skewMs: 0, driftPpm: 0 };
}

export const DEFAULT_ECHO_RATE = 10;
export const DEFAULT_ECHO_CLIENTS = 1;
export const MAX_NODES = 1000;
export const MAX_CLIENTS = 1000;

// ---------------------------------------------------------------- helpers

/** A strict object whose messages name the known keys, so typos are caught and explained. */
function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeysMessage(issue.keys, known);
      if (issue.code === 'invalid_type') return `expected an object with keys ${known.join(', ')}`;
      return undefined;
    },
  });
}

function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const described = keys.map((key) => {
    const suggestion = closestKey(key, known);
    return suggestion ? `"${key}" (did you mean "${suggestion}"?)` : `"${key}"`;
  });
  const noun = keys.length === 1 ? 'unknown key' : 'unknown keys';
  return `${noun} ${described.join(', ')}; known keys are ${known.join(', ')}`;
}

/** The known key a typo most likely meant: same letters in another case, or a few edits away. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  // Short keys allow a single edit, or "a" would suggest any two-letter key.
  const maxDistance = key.length < 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance where swapping two neighbours ("nmae") counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

type ValueKind = 'string' | 'number' | 'boolean' | 'array' | 'object';

function kindOf(value: unknown): ValueKind | undefined {
  if (Array.isArray(value)) return 'array';
  if (value === null) return undefined;
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : undefined;
}

/**
 * Picks a schema by the JSON type of the value ("2ms" or { mean: 2ms }).
 * Unlike z.union, the errors then come from the one branch the user meant.
 */
function byKind<Branches extends Partial<Record<ValueKind, z.ZodType>>>(branches: Branches, expected: string) {
  return z.unknown().transform((value, ctx): z.output<NonNullable<Branches[keyof Branches]>> => {
    const kind = kindOf(value);
    const schema = kind === undefined ? undefined : branches[kind];
    if (!schema) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.output<NonNullable<Branches[keyof Branches]>>;
    // Relative paths: the enclosing objects prefix them on the way up.
    for (const issue of result.error.issues) ctx.addIssue({ ...issue } as z.core.$ZodRawIssue);
    return z.NEVER;
  });
}

function integer(min: number, max: number, expected = `expected an integer from ${min} to ${max}`) {
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

const probability = z
  .number({ error: 'expected a probability from 0 to 1' })
  .min(0, { error: 'expected a probability from 0 to 1' })
  .max(1, { error: 'expected a probability from 0 to 1' });

function nonEmptyString(expected: string) {
  return z.string({ error: expected }).regex(/\S/, { error: expected });
}

function duration(options: { positive?: boolean } = {}) {
  return z.unknown().transform((value, ctx) => {
    try {
      const ms = parseDurationMs(value);
      if (options.positive && ms === 0) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration greater than 0' });
        return z.NEVER;
      }
      return ms;
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.expected });
      return z.NEVER;
    }
  });
}

/** A node's inbound queue: at least 64 KiB (a few messages), at most 1 GiB. */
const MIN_INBOX_BYTES = 64 * 1024;
const MAX_INBOX_BYTES = 1024 ** 3;
const inboxLimit = z.unknown().transform((value, ctx): number => {
  try {
    const bytes = parseBytes(value);
    if (bytes >= MIN_INBOX_BYTES && bytes <= MAX_INBOX_BYTES) return bytes;
    ctx.addIssue({ code: 'custom', message: 'expected a size from 64KiB to 1GiB' });
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.expected });
  }
  return z.NEVER;
});

/** null means unlimited. */
const bandwidth = z.unknown().transform((value, ctx): number | null => {
  if (value === null) return null;
  try {
    return parseBandwidthBytesPerSec(value);
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
    const expected = typeof value === 'string' || typeof value === 'number' ? error.expected : `expected ${BANDWIDTH_FORMS}, or null for unlimited`;
    ctx.addIssue({ code: 'custom', message: expected });
    return z.NEVER;
  }
});

// ---------------------------------------------------------------- network

const DISTRIBUTIONS = ['constant', 'uniform', 'normal', 'exponential', 'pareto'] as const satisfies readonly LatencyDistribution[];

const latencyObject = strict({
  distribution: z.enum(DISTRIBUTIONS, { error: `expected one of ${DISTRIBUTIONS.join(', ')}` }).optional(),
  mean: duration(),
  jitter: duration().optional(),
})
  .superRefine((latency, ctx) => {
    const jitter = latency.jitter ?? 0;
    if (latency.distribution === 'uniform' && jitter > latency.mean) {
      ctx.addIssue({
        code: 'custom',
        path: ['jitter'],
        message: `expected at most the mean (${formatDurationMs(latency.mean)}) for a uniform distribution, since delays cannot be negative`,
      });
    }
    if ((latency.distribution === 'constant' || latency.distribution === 'exponential') && jitter > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['jitter'],
        message: `expected no jitter for a ${latency.distribution} distribution, which ignores it`,
      });
    }
  })
  .transform(
    (latency): LatencyModel => ({
      // netem's rule: jitter without a distribution means normal.
      distribution: latency.distribution ?? (latency.jitter !== undefined ? 'normal' : 'constant'),
      meanMs: latency.mean,
      jitterMs: latency.jitter ?? 0,
    }),
  );

const constantLatency = duration().transform((ms): LatencyModel => ({ distribution: 'constant', meanMs: ms, jitterMs: 0 }));

const latency = byKind(
  { string: constantLatency, number: constantLatency, object: latencyObject },
  `expected ${DURATION_FORMS}, or { distribution, mean, jitter }`,
);

const burstLoss = strict({
  p: probability,
  r: probability,
  lossGood: probability.optional(),
  lossBad: probability.optional(),
}).transform(
  (burst): LossModel => ({
    kind: 'gilbert-elliott',
    p: burst.p,
    r: burst.r,
    lossGood: burst.lossGood ?? 0,
    lossBad: burst.lossBad ?? 1,
  }),
);

const loss = byKind(
  {
    number: probability.transform((p): LossModel => ({ kind: 'bernoulli', p })),
    object: strict({ burst: burstLoss }).transform(({ burst }) => burst),
  },
  'expected a probability from 0 to 1, or { burst: { p, r, lossGood, lossBad } }',
);

const linkParamsShape = {
  latency: latency.optional(),
  loss: loss.optional(),
  duplicate: probability.optional(),
  corrupt: probability.optional(),
  reorder: probability.optional(),
  bandwidth: bandwidth.optional(),
  queueLimit: integer(0, Number.MAX_SAFE_INTEGER, 'expected a non-negative integer').optional(),
};

const LINK_PARAM_KEYS = Object.keys(linkParamsShape);

type ParsedLinkParams = { [Key in keyof typeof linkParamsShape]?: z.output<(typeof linkParamsShape)[Key]> };

function linkPatch(params: ParsedLinkParams): LinkPatch {
  const patch: LinkPatch = {};
  if (params.latency !== undefined) patch.latency = params.latency;
  if (params.loss !== undefined) patch.loss = params.loss;
  if (params.duplicate !== undefined) patch.duplicate = params.duplicate;
  if (params.corrupt !== undefined) patch.corrupt = params.corrupt;
  if (params.reorder !== undefined) patch.reorder = params.reorder;
  if (params.bandwidth !== undefined) patch.bandwidthBytesPerSec = params.bandwidth;
  if (params.queueLimit !== undefined) patch.queueLimit = params.queueLimit;
  return patch;
}

/** A link override or change-link with nothing to change is almost surely a mistake. */
function requireSomeLinkParam(params: ParsedLinkParams, ctx: z.RefinementCtx): void {
  if (Object.keys(linkPatch(params)).length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected at least one link parameter (${LINK_PARAM_KEYS.join(', ')})`,
    });
  }
}

const endpoint = nonEmptyString('expected a node or client id like "n1" or "c1"');

function endpoints(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

const linkOverride = strict({ from: endpoint.optional(), to: endpoint.optional(), ...linkParamsShape })
  .superRefine((link, ctx) => {
    if (link.from === undefined && link.to === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected "from" or "to" (or both); to change every link, set the parameter under network itself',
      });
    }
    requireSomeLinkParam(link, ctx);
  })
  .transform((link): LinkOverride => ({ ...endpoints(link.from, link.to), patch: linkPatch(link) }));

const network = strict({
  ...linkParamsShape,
  links: z.array(linkOverride, { error: 'expected a list of link overrides like { from: n1, to: n2, loss: 0.5 }' }).optional(),
}).transform((parsed) => ({
  defaults: { ...defaultLinkParams(), ...linkPatch(parsed) },
  links: parsed.links ?? [],
}));

// ---------------------------------------------------------------- faults

const PARTITION_PATTERNS = ['one', 'majority', 'majorities-ring', 'bridge', 'leader'] as const satisfies readonly PartitionPattern[];
const NODE_ACTIONS = ['kill', 'stop', 'pause', 'resume', 'restart'] as const;
export const FAULT_ACTIONS = [...NODE_ACTIONS, 'partition', 'heal', 'cut', 'change-link', 'join', 'leave'] as const;

const nodeId = nonEmptyString('expected a node id like "n1"');

const nodeList = byKind(
  {
    string: nodeId.transform((id) => [id]),
    array: z.array(nodeId).min(1, { error: 'expected at least one node' }),
  },
  'expected a node id like "n2" or a list of them like [n2, n3]',
);

const endpointList = byKind(
  {
    string: endpoint.transform((id) => [id]),
    array: z.array(endpoint).min(1, { error: 'expected at least one node' }),
  },
  'expected a node id like "n2" or a list of them like [n2, n3]',
);

const PARTITION_FORMS = `a list of groups like [[n1], [n2, n3]] or one of ${PARTITION_PATTERNS.join(', ')}`;

const partition = byKind(
  {
    string: z.enum(PARTITION_PATTERNS, { error: `expected ${PARTITION_FORMS}` }),
    array: z
      .array(z.array(nodeId, { error: 'expected a group: a list of node ids' }).min(1, { error: 'expected a group with at least one node' }))
      .min(2, { error: 'expected at least two groups' }),
  },
  `expected ${PARTITION_FORMS}`,
);

const changeLink = strict({ from: endpoint.optional(), to: endpoint.optional(), ...linkParamsShape }).superRefine(requireSomeLinkParam);

const faultEntry = strict({
  at: duration(),
  kill: nodeList.optional(),
  stop: nodeList.optional(),
  pause: nodeList.optional(),
  resume: nodeList.optional(),
  restart: nodeList.optional(),
  partition: partition.optional(),
  heal: z.literal(true, { error: 'expected true' }).optional(),
  cut: strict({ from: endpointList, to: endpointList }).optional(),
  'change-link': changeLink.optional(),
  join: nodeId.optional(),
  leave: nodeId.optional(),
})
  .superRefine((fault, ctx) => {
    const actions = FAULT_ACTIONS.filter((action) => fault[action] !== undefined);
    if (actions.length === 1) return;
    const got = actions.length === 0 ? 'none' : actions.join(' and ');
    ctx.addIssue({
      code: 'custom',
      params: VALUE_SHOWN,
      message: `expected exactly one action (${FAULT_ACTIONS.join(', ')}) besides "at", got ${got}${
        actions.length > 1 ? '; put each action in its own entry, with the same "at" if they happen together' : ''
      }`,
    });
  })
  .transform((fault): ScheduledFault => {
    const atMs = fault.at;
    for (const kind of NODE_ACTIONS) {
      const nodes = fault[kind];
      if (nodes !== undefined) return { atMs, action: { kind, nodes } };
    }
    if (fault.partition !== undefined) {
      return typeof fault.partition === 'string'
        ? { atMs, action: { kind: 'partition-pattern', pattern: fault.partition } }
        : { atMs, action: { kind: 'partition', groups: fault.partition } };
    }
    if (fault.heal) return { atMs, action: { kind: 'heal' } };
    if (fault.cut) return { atMs, action: { kind: 'cut', from: fault.cut.from, to: fault.cut.to } };
    if (fault.join !== undefined) return { atMs, action: { kind: 'join', node: fault.join } };
    if (fault.leave !== undefined) return { atMs, action: { kind: 'leave', node: fault.leave } };
    const change = fault['change-link']!; // superRefine guaranteed exactly one action
    return { atMs, action: { kind: 'change-link', ...endpoints(change.from, change.to), patch: linkPatch(change) } };
  });

const faultList = z.array(faultEntry, { error: 'expected a list of faults like - { at: 3s, kill: n2 }' });

/** How long a random fault lasts before it is healed, resumed or restarted, unless `lasts` says otherwise. */
export const DEFAULT_RANDOM_FAULT_LASTS_MS = 1000;
export const RANDOM_FAULT_KINDS = ['kill', 'restart', 'pause', 'partition', 'cut', 'loss'] as const satisfies readonly RandomFaultKind[];

const chancePerSecond = z
  .number({ error: 'expected a chance per second of virtual time from 0 to 1' })
  .min(0, { error: 'expected a chance per second of virtual time from 0 to 1' })
  .max(1, { error: 'expected a chance per second of virtual time from 0 to 1' });

const randomRates = strict(Object.fromEntries(RANDOM_FAULT_KINDS.map((kind) => [kind, chancePerSecond.optional()])) as Record<RandomFaultKind, z.ZodOptional<typeof chancePerSecond>>);

/** `faults: { random: { kill: 0.1, … }, lasts: 2s, schedule: [ …fixed faults… ] }`. */
const randomFaults = strict({
  random: randomRates,
  lasts: duration({ positive: true }).optional(),
  schedule: faultList.optional(),
});

/** The faults section: the list of the file (fixed), and random faults to draw from the seed. */
export interface FaultsSection {
  fixed: ScheduledFault[];
  random?: RandomFaultSpec;
}

const faults = byKind(
  {
    array: faultList.transform((fixed): FaultsSection => ({ fixed })),
    object: randomFaults.transform((section): FaultsSection => {
      const rates: RandomFaultSpec['rates'] = {};
      for (const kind of RANDOM_FAULT_KINDS) if (section.random[kind] !== undefined) rates[kind] = section.random[kind];
      return { fixed: section.schedule ?? [], random: { rates, lastsMs: section.lasts ?? DEFAULT_RANDOM_FAULT_LASTS_MS } };
    }),
  },
  'expected a list of faults like - { at: 3s, kill: n2 }, or { random: { kill: 0.1, partition: 0.05 }, lasts: 1s }',
);

// ---------------------------------------------------------------- nodes, workload, switch

/** A duration that may be negative: "-50ms" puts a clock behind. */
const signedDuration = z.unknown().transform((value, ctx) => {
  const negative = (typeof value === 'string' && value.trim().startsWith('-')) || (typeof value === 'number' && value < 0);
  const magnitude = typeof value === 'string' ? value.trim().replace(/^-/, '') : typeof value === 'number' ? Math.abs(value) : value;
  try {
    const ms = parseDurationMs(magnitude);
    return negative ? -ms : ms;
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
    const message = error.expected === DURATION_TOO_LONG
      ? `expected a skew from -${MAX_DURATION_TEXT} to ${MAX_DURATION_TEXT}`
      : `${error.expected}, optionally with a leading - for a clock behind`;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
});

const clock = strict({
  skew: signedDuration.optional(),
  drift: z.number({ error: 'expected a drift in ppm (parts per million), e.g. 100 or -50' }).min(-100_000, { error: 'expected a drift from -100000 to 100000 ppm' }).max(100_000, { error: 'expected a drift from -100000 to 100000 ppm' }).optional(),
}).transform((spec): ClockSpec => ({ skewMs: spec.skew ?? 0, driftPpm: spec.drift ?? 0 }));

const nodes = strict({
  count: integer(1, MAX_NODES),
  program: nonEmptyString('expected the name of a built-in program').optional(),
  command: z
    .array(nonEmptyString('expected a non-empty string'), { error: 'expected a command as a list like [python3, node.py]' })
    .min(1, { error: 'expected a command as a non-empty list like [python3, node.py]' })
    .optional(),
  params: z.record(z.string(), z.unknown(), { error: 'expected an object of parameters' }).optional(),
  initTimeout: duration({ positive: true }).optional(),
  leaveDrain: duration().optional(),
  inboxLimit: inboxLimit.optional(),
  env: z
    .record(z.string(), z.string({ error: 'expected a string (quote numbers and booleans in YAML)' }), {
      error: 'expected an object of NAME: value strings',
    })
    .optional(),
  cwd: nonEmptyString('expected a directory path').optional(),
  clock: clock.optional(),
  clocks: z.record(z.string(), clock, { error: 'expected per-node clocks like { n2: { skew: 50ms } }' }).optional(),
})
  .superRefine((spec, ctx) => {
    if ((spec.program === undefined) === (spec.command === undefined)) {
      ctx.addIssue({
        code: 'custom',
        params: VALUE_SHOWN,
        message: `expected exactly one of "program" (a built-in) or "command" (a process to run), got ${
          spec.program === undefined ? 'neither' : 'both'
        }`,
      });
    }
  })
  .transform(
    (spec): NodesSpec => ({
      count: spec.count,
      ...(spec.program !== undefined && { program: spec.program }),
      ...(spec.command !== undefined && { command: spec.command }),
      params: spec.params ?? {},
      initTimeoutMs: spec.initTimeout ?? DEFAULT_INIT_TIMEOUT_MS,
      ...(spec.leaveDrain !== undefined && { leaveDrainMs: spec.leaveDrain }),
      inboxLimitBytes: spec.inboxLimit ?? DEFAULT_INBOX_LIMIT_BYTES,
      env: spec.env ?? {},
      ...(spec.cwd !== undefined && { cwd: spec.cwd }),
      clock: spec.clock ?? noClockChange(),
      clocks: spec.clocks ?? {},
    }),
  );

const AVAILABILITY_FORMS = 'expected total (every operation must succeed) or a fraction from 0 to 1';
const TOPOLOGY_KINDS = ['grid', 'line', 'tree', 'total', 'ring'] as const;
const weight = z.number({ error: 'expected a weight of 0 or more' }).min(0, { error: 'expected a weight of 0 or more' });

const finalPhase = strict({ quiet: duration() });

const RETRY_POLICIES = ['none', 'immediate', 'backoff'] as const;
const backoff = strict({
  base: duration({ positive: true }).optional(),
  max: duration({ positive: true }).optional(),
  jitter: z.enum(['full', 'none'], { error: 'expected full (a random wait up to the backoff) or none (the backoff itself)' }).optional(),
});

/** Options that belong to some workloads only, with the kinds they belong to. */
const MODEL_NAMES = Object.keys(CONSISTENCY_MODELS) as [ConsistencyModel, ...ConsistencyModel[]];
/** Maelstrom's default for its transactional workloads. */
const DEFAULT_CONSISTENCY_MODEL: ConsistencyModel = 'strict-serializable';

const KIND_OPTIONS = [
  { keys: ['keys'], kinds: KEYED_WORKLOADS },
  { keys: ['mix'], kinds: KV_WORKLOADS },
  { keys: ['topology', 'branching'], kinds: ['broadcast'] },
  { keys: ['maxTxnLength', 'consistencyModels'], kinds: TXN_WORKLOADS },
  { keys: ['final'], kinds: FINAL_READ_WORKLOADS },
  { keys: ['retry', 'attempts', 'backoff'], kinds: RETRY_WORKLOADS },
] as const satisfies ReadonlyArray<{ keys: readonly string[]; kinds: readonly WorkloadKind[] }>;

const workload = strict({
  kind: z.enum(WORKLOAD_KINDS, { error: `expected one of ${WORKLOAD_KINDS.join(', ')}` }),
  rate: z
    .number({ error: 'expected a rate in operations per second greater than 0' })
    .positive({ error: 'expected a rate in operations per second greater than 0' })
    .optional(),
  clients: integer(1, MAX_CLIENTS).optional(),
  timeout: duration({ positive: true }).optional(),
  loop: z.enum(['open', 'closed'], { error: 'expected open or closed' }).optional(),
  keys: integer(1, 1_000_000).optional(),
  mix: strict({ read: weight.optional(), write: weight.optional(), cas: weight.optional() }).optional(),
  /** broadcast: the neighbours each node is told about first (Maelstrom's topology message). */
  topology: z
    .union([z.enum(TOPOLOGY_KINDS), z.record(z.string(), z.array(z.string()))], {
      error: `expected ${TOPOLOGY_KINDS.join(', ')}, or a map from each node to its neighbours like { n1: [n2], n2: [n1] }`,
    })
    .optional(),
  branching: integer(2, 16).optional(),
  /** The least fraction of operations that must succeed, checked after the run (Maelstrom's --availability). */
  availability: byKind(
    {
      string: z.literal('total', { error: AVAILABILITY_FORMS }).transform(() => 1),
      number: z.number().min(0, { error: AVAILABILITY_FORMS }).max(1, { error: AVAILABILITY_FORMS }),
    },
    AVAILABILITY_FORMS,
  ).optional(),
  maxTxnLength: integer(1, 100).optional(),
  /** txn-*: the models the Elle-style check judges the history against (Maelstrom's --consistency-models). */
  consistencyModels: z
    .array(z.enum(MODEL_NAMES, { error: `expected one of ${MODEL_NAMES.join(', ')}` }), { error: `expected a list of consistency models: ${MODEL_NAMES.join(', ')}` })
    .min(1, { error: 'expected at least one consistency model' })
    .optional(),
  /** broadcast, g-set, counters: the quiet period before the final reads. */
  final: finalPhase.optional(),
  /** requests: what a client does with a rejected request. */
  retry: z.enum(RETRY_POLICIES, { error: `expected one of ${RETRY_POLICIES.join(', ')}` }).optional(),
  attempts: integer(1, 100).optional(),
  backoff: backoff.optional(),
})
  .superRefine((spec, ctx) => {
    for (const { keys, kinds } of KIND_OPTIONS) {
      for (const key of keys) {
        if (spec[key] !== undefined && !(kinds as readonly WorkloadKind[]).includes(spec.kind)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `expected nothing: ${key} belongs to ${workloadNames(kinds)}, not ${spec.kind}` });
        }
      }
    }
    if (spec.backoff !== undefined && spec.kind === 'requests' && spec.retry !== 'backoff') ctx.addIssue({ code: 'custom', path: ['backoff'], message: 'expected nothing: backoff applies with retry: backoff' });
    if (spec.attempts !== undefined && spec.kind === 'requests' && (spec.retry ?? 'none') === 'none') ctx.addIssue({ code: 'custom', path: ['attempts'], message: 'expected nothing: with retry: none a request is tried once' });
    const base = spec.backoff?.base ?? DEFAULT_BACKOFF.baseMs;
    if (spec.backoff && base > (spec.backoff.max ?? Math.max(base, DEFAULT_BACKOFF.maxMs))) ctx.addIssue({ code: 'custom', path: ['backoff', 'max'], message: `expected a max of at least the base (${base} ms)` });
    if (spec.branching !== undefined && spec.topology !== 'tree') ctx.addIssue({ code: 'custom', path: ['branching'], message: 'expected nothing: branching is the fan-out of topology: tree' });
    if (spec.mix && (spec.mix.read ?? DEFAULT_KV_MIX.read) + (spec.mix.write ?? DEFAULT_KV_MIX.write) + (spec.mix.cas ?? DEFAULT_KV_MIX.cas) === 0) {
      ctx.addIssue({ code: 'custom', path: ['mix'], message: 'expected at least one weight above 0' });
    }
    if (spec.kind !== 'none') {
      checkRateAgainstClients(spec.rate, spec.clients ?? DEFAULT_ECHO_CLIENTS, ctx);
      return;
    }
    // A rate or clients under kind none suggests traffic that will never be sent.
    for (const key of ['rate', 'clients', 'timeout', 'loop', 'availability'] as const) {
      if (spec[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'expected nothing: workload kind "none" sends no requests' });
      }
    }
  })
  .transform((spec): WorkloadSpec => {
    if (spec.kind === 'none') return noWorkload();
    return {
      kind: spec.kind,
      rate: spec.rate ?? DEFAULT_ECHO_RATE,
      clients: spec.clients ?? DEFAULT_ECHO_CLIENTS,
      timeoutMs: spec.timeout ?? DEFAULT_WORKLOAD_TIMEOUT_MS,
      loop: spec.loop ?? 'closed',
      keys: spec.keys ?? DEFAULT_KV_KEYS,
      mix: { ...DEFAULT_KV_MIX, ...spec.mix },
      ...(spec.kind === 'broadcast' && { topology: spec.topology ?? 'grid', branching: spec.branching ?? 2 }),
      ...(spec.availability !== undefined && { availability: spec.availability }),
      ...(TXN_WORKLOADS.includes(spec.kind) && { maxTxnLength: spec.maxTxnLength ?? DEFAULT_MAX_TXN_LENGTH, consistencyModels: spec.consistencyModels ?? [DEFAULT_CONSISTENCY_MODEL] }),
      ...(hasFinalReads(spec.kind) && { finalQuietMs: spec.final?.quiet ?? DEFAULT_FINAL_QUIET_MS }),
      ...(RETRY_WORKLOADS.includes(spec.kind) && {
        retry: {
          policy: spec.retry ?? 'none',
          attempts: spec.retry === undefined || spec.retry === 'none' ? 1 : spec.attempts ?? DEFAULT_RETRY_ATTEMPTS,
          backoff: {
            baseMs: spec.backoff?.base ?? DEFAULT_BACKOFF.baseMs,
            maxMs: spec.backoff?.max ?? Math.max(spec.backoff?.base ?? DEFAULT_BACKOFF.baseMs, DEFAULT_BACKOFF.maxMs),
            jitter: spec.backoff?.jitter ?? DEFAULT_BACKOFF.jitter,
          },
        },
      }),
    };
  });

/**
 * Each client sends a request every clients/rate seconds, on a timer: that interval must
 * stay within the longest duration, or the timer would overflow.
 */
function checkRateAgainstClients(rate: number | undefined, clients: number, ctx: z.RefinementCtx): void {
  if (rate === undefined) return;
  const minRate = (1000 * clients) / MAX_DURATION_MS;
  if (rate >= minRate) return;
  const who = clients === 1 ? 'the client sends' : `each of the ${clients} clients sends`;
  ctx.addIssue({
    code: 'custom',
    path: ['rate'],
    message: `expected at least ${ceilToSignificant(minRate, 3)} operations per second, so that ${who} a request at least every ${MAX_DURATION_TEXT}`,
  });
}

/** Rounds up to `digits` significant digits, so that the number shown is itself accepted. */
function ceilToSignificant(value: number, digits: number): number {
  const step = 10 ** (Math.floor(Math.log10(value)) - digits + 1);
  return Number((Math.ceil(value / step - 1e-9) * step).toPrecision(digits));
}

export const RUN_MODES = ['real', 'simulate'] as const;

const switchSpec = strict({ port: integer(0, 65535, 'expected a port from 0 to 65535 (0 picks a free one)') });

// ---------------------------------------------------------------- the file

export const experimentFileSchema = strict({
  name: nonEmptyString('expected a non-empty name'),
  /** What the run teaches and what to look for; the lab shows it beside the run. */
  lesson: nonEmptyString('expected the lesson as text, a paragraph or a few').optional(),
  // Beyond 2^53 - 1, YAML and JSON numbers lose digits: 9007199254740993 reads as …992.
  seed: integer(0, Number.MAX_SAFE_INTEGER, `expected an integer from 0 to ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`).optional(),
  /** real: one OS process per node; simulate: one process, virtual time, every choice from the seed. */
  mode: z.enum(RUN_MODES, { error: 'expected "real" (one process per node) or "simulate" (deterministic, virtual time)' }).optional(),
  duration: duration({ positive: true }),
  nodes,
  network: network.optional(),
  faults: faults.optional(),
  workload: workload.optional(),
  switch: switchSpec.optional(),
  /** mode: simulate: a stepped run's choices after bring-up (steps.ts). */
  steps: stepsSchema.optional(),
});

/** The file after shape checks and unit conversion, before references are checked. */
export type ExperimentFile = z.output<typeof experimentFileSchema>;
