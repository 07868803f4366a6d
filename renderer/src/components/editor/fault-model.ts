// Faults as the experiment file writes them ({ at: 3s, kill: n2 }), read and rewritten for
// the fault list and timeline. Shapes the form has no editor for stay as they are.
import { durationMs, idsFromValue, textFromValue } from './field-text.js';

export const NODE_FAULT_KINDS = ['kill', 'stop', 'pause', 'resume', 'restart'] as const;
export const MEMBERSHIP_KINDS = ['join', 'leave'] as const;
export const FAULT_KINDS = [...NODE_FAULT_KINDS, 'partition', 'heal', 'cut', 'change-link', ...MEMBERSHIP_KINDS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const PARTITION_PATTERNS = ['one', 'majority', 'majorities-ring', 'bridge', 'leader'] as const;
/** Link parameters a change-link fault may set, besides from and to. */
export const LINK_KEYS = ['latency', 'loss', 'duplicate', 'corrupt', 'reorder', 'bandwidth', 'queueLimit'] as const;

export const FAULT_LABELS: Record<FaultKind, string> = {
  kill: 'kill (SIGKILL)',
  stop: 'stop (SIGTERM)',
  pause: 'pause (SIGSTOP)',
  resume: 'resume (SIGCONT)',
  restart: 'restart',
  partition: 'partition',
  heal: 'heal',
  cut: 'cut a link one way',
  'change-link': 'change link',
  join: 'join (a new node)',
  leave: 'leave (drain, then stop)',
};

export type FaultRecord = Record<string, unknown>;

export function isNodeFault(kind: FaultKind | null): kind is (typeof NODE_FAULT_KINDS)[number] {
  return (NODE_FAULT_KINDS as readonly string[]).includes(kind ?? '');
}

export function isMembershipFault(kind: FaultKind | null): kind is (typeof MEMBERSHIP_KINDS)[number] {
  return kind === 'join' || kind === 'leave';
}

export function asFault(value: unknown): FaultRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FaultRecord) : {};
}

/** The fault's action: the first known action key it has. */
export function faultKind(fault: unknown): FaultKind | null {
  const record = asFault(fault);
  return FAULT_KINDS.find((kind) => kind in record) ?? null;
}

export function faultAtMs(fault: unknown): number | null {
  return durationMs(asFault(fault).at);
}

/** [[n1], [n2, n3]] ↔ "n1 | n2 n3". */
export function groupsText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((group) => idsFromValue(group).join(' ')).join(' | ');
}

export function groupsFromText(text: string): string[][] {
  return text
    .split('|')
    .map((group) => group.split(/[\s,]+/).filter(Boolean))
    .filter((group) => group.length > 0);
}

function endpoints(value: unknown): string {
  const ids = idsFromValue(value);
  return ids.length ? ids.join(', ') : 'every endpoint';
}

/** One line saying what the fault does: "kill n2", "partition majority", "cut n1 → n2, n3". */
export function faultSummary(fault: unknown): string {
  const record = asFault(fault);
  const kind = faultKind(record);
  if (!kind) return 'no action';
  const arg = record[kind];
  if (isNodeFault(kind)) return `${kind} ${idsFromValue(arg).join(', ') || '?'}`;
  if (kind === 'heal') return 'heal';
  if (isMembershipFault(kind)) return `${kind} ${textFromValue(arg) || '?'}`;
  if (kind === 'partition') return typeof arg === 'string' ? `partition: ${arg}` : `partition ${groupsText(arg)}`;
  const link = asFault(arg);
  if (kind === 'cut') return `cut ${endpoints(link.from)} → ${endpoints(link.to)}`;
  const changes = LINK_KEYS.filter((k) => k in link).map((k) => `${k} ${textFromValue(link[k])}`);
  return `link ${endpoints(link.from)} → ${endpoints(link.to)}: ${changes.join(', ') || 'no change'}`;
}

/** What a fault of `kind` starts with, reusing the node targets of a node fault it replaces. */
export function defaultArgument(kind: FaultKind, previous: FaultRecord, nodes: readonly string[]): unknown {
  const previousKind = faultKind(previous);
  const first = nodes[0] ?? 'n1';
  const second = nodes[1] ?? 'n2';
  if (isNodeFault(kind)) return isNodeFault(previousKind) ? previous[previousKind] : first;
  switch (kind) {
    case 'partition':
      return 'majority';
    case 'heal':
      return true;
    case 'cut':
      return { from: first, to: second };
    case 'change-link':
      return { latency: '50ms' };
    case 'join':
      return nextNodeId(nodes);
    case 'leave':
      return nodes[nodes.length - 1] ?? first;
  }
}

/** The id after the highest n<k> of the experiment (its nodes and those that join). */
function nextNodeId(nodes: readonly string[]): string {
  const numbers = nodes.map((id) => /^n(\d+)$/.exec(id)).filter((m) => m !== null).map((m) => Number(m[1]));
  return `n${Math.max(0, ...numbers) + 1}`;
}

/** The fault with its action replaced by one of `kind`; `at` and its position are kept. */
export function withKind(fault: FaultRecord, kind: FaultKind, nodes: readonly string[]): FaultRecord {
  const next: FaultRecord = 'at' in fault ? { at: fault.at } : {};
  for (const [key, val] of Object.entries(fault)) if (key !== 'at' && !(FAULT_KINDS as readonly string[]).includes(key)) next[key] = val;
  next[kind] = defaultArgument(kind, fault, nodes);
  return next;
}

/** The state colour (a theme variable) a fault is drawn in. */
export function faultColor(kind: FaultKind | null): string {
  switch (kind) {
    case 'kill':
    case 'stop':
      return 'var(--crashed)';
    case 'pause':
    case 'resume':
      return 'var(--paused)';
    case 'restart':
    case 'heal':
    case 'join':
      return 'var(--up)';
    case 'leave':
      return 'var(--crashed)';
    case 'partition':
    case 'cut':
      return 'var(--partitioned)';
    case 'change-link':
      return 'var(--accent)';
    default:
      return 'var(--text-dim)';
  }
}

export interface FaultSpan {
  fromMs: number;
  toMs: number;
  kind: 'partition' | 'down' | 'paused';
  label: string;
}

/** Intervals the schedule opens and closes: partition/cut → heal, kill/stop → restart, pause → resume. */
export function faultSpans(faults: readonly unknown[], durationMsTotal: number): FaultSpan[] {
  const timed = faults
    .map((fault, index) => ({ fault: asFault(fault), at: faultAtMs(fault), index }))
    .filter((f): f is { fault: FaultRecord; at: number; index: number } => f.at !== null)
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const spans: FaultSpan[] = [];
  let split: { at: number; label: string } | null = null;
  const down = new Map<string, { at: number; kind: 'down' | 'paused'; label: string }>();
  for (const { fault, at } of timed) {
    const kind = faultKind(fault);
    if (kind === 'partition' || kind === 'cut') split ??= { at, label: faultSummary(fault) };
    else if (kind === 'heal' && split) {
      spans.push({ fromMs: split.at, toMs: at, kind: 'partition', label: split.label });
      split = null;
    } else if (kind === 'kill' || kind === 'stop' || kind === 'pause') {
      for (const node of idsFromValue(fault[kind])) if (!down.has(node)) down.set(node, { at, kind: kind === 'pause' ? 'paused' : 'down', label: `${kind} ${node}` });
    } else if (kind === 'restart' || kind === 'resume') {
      for (const node of idsFromValue(fault[kind])) {
        const since = down.get(node);
        if (!since || (kind === 'resume') !== (since.kind === 'paused')) continue;
        spans.push({ fromMs: since.at, toMs: at, kind: since.kind, label: since.label });
        down.delete(node);
      }
    }
  }
  if (split) spans.push({ fromMs: split.at, toMs: durationMsTotal, kind: 'partition', label: split.label });
  for (const since of down.values()) spans.push({ fromMs: since.at, toMs: durationMsTotal, kind: since.kind, label: since.label });
  return spans.sort((a, b) => a.fromMs - b.fromMs);
}
