// The flags of `maelstrom test`, read with Maelstrom's meanings and defaults. Each bad value
// is a UserError that names its flag.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_CLIENTS, MAX_NODES } from '../experiment/schema.js';
import { UserError } from './user-error.js';

/** Maelstrom's workloads, by the names its -w flag takes. */
export const MAELSTROM_WORKLOADS = ['echo', 'unique-ids', 'broadcast', 'g-set', 'g-counter', 'pn-counter', 'lin-kv', 'kafka', 'txn-rw-register', 'txn-list-append'] as const;
export type MaelstromWorkload = (typeof MAELSTROM_WORKLOADS)[number];

export const MAELSTROM_NEMESES = ['partition', 'kill', 'pause'] as const;
export type MaelstromNemesis = (typeof MAELSTROM_NEMESES)[number];

/** Maelstrom's broadcast topologies (treeN: a tree with N children per node), and Distlab's ring. */
const TOPOLOGIES = ['grid', 'line', 'tree', 'tree2', 'tree3', 'tree4', 'total', 'ring'] as const;
const LATENCY_DISTRIBUTIONS = ['constant', 'uniform', 'exponential'] as const;

/** Elle's consistency models, as --consistency-models names them. */
export const CONSISTENCY_MODELS = [
  'read-uncommitted',
  'read-committed',
  'monotonic-atomic-view',
  'cursor-stability',
  'repeatable-read',
  'snapshot-isolation',
  'serializable',
  'strong-session-serializable',
  'strong-serializable',
  'strict-serializable',
  'update-serializable',
  'consistent-view',
  'forward-consistent-view',
  'parallel-snapshot-isolation',
  'prefix',
  'causal-cerone',
] as const;

/** The flags as commander hands them over: strings, true for switches. */
export interface MaelstromFlags {
  workload: string;
  bin?: string;
  nodeCount?: string;
  nodes?: string;
  timeLimit: string;
  rate: string;
  concurrency: string;
  latency: string;
  latencyDist: string;
  nemesis?: string;
  nemesisInterval: string;
  topology: string;
  availability?: string;
  consistencyModels?: string;
  keyCount?: string;
  maxTxnLength?: string;
  maxWritesPerKey?: string;
  logStderr?: boolean;
  logNetSend?: boolean;
  logNetRecv?: boolean;
  testCount: string;
  seed?: string;
}

export interface MaelstromOptions {
  workload: MaelstromWorkload;
  /** The node's command: the binary, absolute, then its arguments. */
  command: string[];
  nodeCount: number;
  timeLimitMs: number;
  rate: number;
  concurrency: number;
  latency: { meanMs: number; distribution: (typeof LATENCY_DISTRIBUTIONS)[number] };
  nemesis: MaelstromNemesis[];
  nemesisIntervalMs: number;
  topology: { shape: 'grid' | 'line' | 'tree' | 'total' | 'ring'; branching?: number };
  availability?: number;
  /** Only when given: the checker's own default is Maelstrom's, strict-serializable. */
  consistencyModels?: string[];
  keyCount?: number;
  maxTxnLength?: number;
  logStderr: boolean;
  testCount: number;
  seed?: number;
  /** Flags accepted for Maelstrom's sake that change nothing here, with why. */
  notes: string[];
}

/** Jepsen's default cluster: n1..n5. */
const DEFAULT_NODE_COUNT = 5;

export function readMaelstromFlags(flags: MaelstromFlags, args: string[], cwd = process.cwd()): MaelstromOptions {
  const notes: string[] = [];
  const workload = oneOf('-w/--workload', flags.workload, MAELSTROM_WORKLOADS);
  const nodeCount = flags.nodeCount !== undefined ? integer('--node-count', flags.nodeCount, 1, MAX_NODES) : flags.nodes !== undefined ? nodeList(flags.nodes, notes) : DEFAULT_NODE_COUNT;
  const nemesis = flags.nemesis === undefined ? [] : list('--nemesis', flags.nemesis, MAELSTROM_NEMESES);
  if (nemesis.includes('partition') && nodeCount < 2) throw new UserError(`--nemesis partition: a partition needs at least 2 nodes, and --node-count is ${nodeCount}`);
  if (flags.maxWritesPerKey !== undefined) {
    integer('--max-writes-per-key', flags.maxWritesPerKey, 1, Number.MAX_SAFE_INTEGER);
    notes.push('--max-writes-per-key: Distlab’s workloads write unique values without such a limit; ignored');
  }
  if (flags.logNetSend || flags.logNetRecv) notes.push('--log-net-send/--log-net-recv: Distlab records every message anyway; see them in the lab or with distlab export');
  const rate = number('--rate', flags.rate, 0);
  if (rate === 0) throw new UserError('--rate: expected a rate above 0; with --rate 0 Maelstrom sends no requests, which Distlab runs as an experiment without a workload (workload kind none)');
  return {
    workload,
    command: nodeCommand(flags.bin, args, cwd),
    nodeCount,
    timeLimitMs: Math.round(number('--time-limit', flags.timeLimit, 0, { above: true }) * 1000),
    rate,
    concurrency: concurrency(flags.concurrency, nodeCount),
    latency: { meanMs: integer('--latency', flags.latency, 0, 3_600_000), distribution: oneOf('--latency-dist', flags.latencyDist, LATENCY_DISTRIBUTIONS) },
    nemesis,
    nemesisIntervalMs: Math.round(number('--nemesis-interval', flags.nemesisInterval, 0, { above: true }) * 1000),
    topology: topology(flags.topology),
    ...(flags.availability !== undefined && { availability: availability(flags.availability) }),
    ...(flags.consistencyModels !== undefined && { consistencyModels: list('--consistency-models', flags.consistencyModels, CONSISTENCY_MODELS) }),
    ...(flags.keyCount !== undefined && { keyCount: integer('--key-count', flags.keyCount, 1, 1_000_000) }),
    ...(flags.maxTxnLength !== undefined && { maxTxnLength: integer('--max-txn-length', flags.maxTxnLength, 1, 100) }),
    logStderr: flags.logStderr === true,
    testCount: integer('--test-count', flags.testCount, 1, 1000),
    ...(flags.seed !== undefined && { seed: integer('--seed', flags.seed, 0, Number.MAX_SAFE_INTEGER) }),
    notes,
  };
}

/** --bin and its arguments; the binary must be an executable file. */
function nodeCommand(bin: string | undefined, args: string[], cwd: string): string[] {
  if (bin === undefined || bin === '') throw new UserError('--bin: expected the path of the program that runs a node, e.g. --bin ./node.py (Maelstrom: "Expected a --bin PATH_TO_BINARY to test")');
  const file = path.resolve(cwd, bin);
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new UserError(`--bin ${bin}: no such file (looked for ${file})`);
  }
  if (!isFile) throw new UserError(`--bin ${bin}: not a file`);
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new UserError(`--bin ${bin}: not executable; make it so (chmod +x ${bin}) or name its interpreter: --bin /usr/bin/python3 ${bin}`);
  }
  return [file, ...args];
}

function oneOf<T extends string>(flag: string, value: string, known: readonly T[]): T {
  if ((known as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${flag}: expected one of ${known.join(', ')}, got "${value}"`);
}

function list<T extends string>(flag: string, value: string, known: readonly T[]): T[] {
  const items = value.split(/\s*,\s*/).filter((item) => item !== '');
  if (items.length === 0) throw new UserError(`${flag}: expected a comma-separated list of ${known.join(', ')}, got "${value}"`);
  return [...new Set(items.map((item) => oneOf(flag, item, known)))];
}

function number(flag: string, value: string, min: number, options: { above?: boolean } = {}): number {
  const n = /^\s*[+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || (options.above && n === min)) throw new UserError(`${flag}: expected a number ${options.above ? 'above' : 'of at least'} ${min}, got "${value}"`);
  return n;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`${flag}: expected an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Jepsen's --concurrency: a count, or "3n" for three times the node count. */
function concurrency(value: string, nodeCount: number): number {
  const match = /^\s*(\d+)(n?)\s*$/.exec(value);
  const n = match ? Number(match[1]) * (match[2] ? nodeCount : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CLIENTS) {
    throw new UserError(`--concurrency: expected a number of clients from 1 to ${MAX_CLIENTS}, or a multiple of the node count like 2n, got "${value}"${match ? ` (${n} clients)` : ''}`);
  }
  return n;
}

function nodeList(value: string, notes: string[]): number {
  const names = value.split(/\s*,\s*/).filter((name) => name !== '');
  if (names.length === 0 || names.length > MAX_NODES) throw new UserError(`--nodes: expected a comma-separated list of 1 to ${MAX_NODES} node names, got "${value}"`);
  const distlabNames = names.map((_, i) => `n${i + 1}`);
  if (names.join() !== distlabNames.join()) notes.push(`--nodes: Distlab names the ${names.length} nodes ${distlabNames.join(', ')}`);
  return names.length;
}

function topology(value: string): MaelstromOptions['topology'] {
  const shape = oneOf('--topology', value, TOPOLOGIES);
  if (shape.startsWith('tree')) return { shape: 'tree', branching: shape === 'tree' ? 2 : Number(shape.slice(4)) };
  return { shape: shape as MaelstromOptions['topology']['shape'] };
}

/** Maelstrom's --availability: "total", or the least fraction of operations that must succeed. */
function availability(value: string): number {
  if (value === 'total') return 1;
  const n = /^\s*(0(\.\d*)?|1(\.0*)?|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new UserError(`--availability: expected total or a fraction from 0 to 1, got "${value}"`);
  return n;
}
