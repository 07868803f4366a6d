// One line of text per recorded fault, for the fault timeline and tooltips.
import type { FaultPoint } from '../../../../core/api/contract.js';

type Detail = {
  nodes?: string[];
  node?: string;
  refused?: string;
  groups?: string[][];
  pattern?: string;
  from?: string | string[];
  to?: string | string[];
  skipped?: string[];
  why?: string;
  latency?: { meanMs?: number; jitterMs?: number; distribution?: string };
  loss?: { kind?: string; p?: number };
  duplicate?: number;
  corrupt?: number;
  reorder?: number;
  bandwidthBytesPerSec?: number | null;
};

const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : (v ?? '*'));
const groups = (g: string[][]) => g.map((members) => `{${members.join(' ')}}`).join(' | ');
const percent = (p: number) => `${Math.round(p * 1000) / 10}%`;

export function describeFault([, kind, raw]: FaultPoint): string {
  const d = (raw && typeof raw === 'object' ? raw : {}) as Detail;
  const skipped = d.skipped?.length ? ` (skipped ${d.skipped.join(', ')}${d.why ? `: ${d.why}` : ''})` : '';
  switch (kind) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'resume':
    case 'restart':
      return `${kind} ${(d.nodes ?? []).join(', ')}${skipped}`.trim();
    case 'partition':
      return `partition ${groups(d.groups ?? [])}`;
    case 'partition-pattern':
      return `partition ${d.pattern ?? ''}${d.groups?.length ? `: ${groups(d.groups)}` : ''}${skipped}`;
    case 'cut':
      return `cut ${list(d.from)} → ${list(d.to)} (one way)`;
    case 'heal':
      return 'heal';
    case 'join':
    case 'leave':
      return `${kind} ${d.node ?? ''}${d.refused ? ` (refused: ${d.refused})` : ''}`;
    case 'change-link': {
      const parts: string[] = [];
      if (d.latency) parts.push(`latency ${d.latency.meanMs ?? '?'} ms${d.latency.jitterMs ? ` ±${d.latency.jitterMs}` : ''}`);
      if (d.loss) parts.push(d.loss.kind === 'gilbert-elliott' ? 'bursty loss' : `loss ${percent(d.loss.p ?? 0)}`);
      if (d.duplicate !== undefined) parts.push(`duplicate ${percent(d.duplicate)}`);
      if (d.corrupt !== undefined) parts.push(`corrupt ${percent(d.corrupt)}`);
      if (d.reorder !== undefined) parts.push(`reorder ${percent(d.reorder)}`);
      if (d.bandwidthBytesPerSec !== undefined) parts.push(d.bandwidthBytesPerSec === null ? 'unlimited bandwidth' : `bandwidth ${d.bandwidthBytesPerSec} B/s`);
      const where = list(d.from) === '*' && list(d.to) === '*' ? 'every link' : `link ${list(d.from)} → ${list(d.to)}`;
      return `${where}: ${parts.join(', ') || 'changed'}`;
    }
    default:
      return kind;
  }
}

/** The family a fault belongs to, for its colour on the timeline. */
export function faultFamily(kind: string): 'node' | 'network' | 'heal' | 'link' {
  if (kind === 'heal' || kind === 'resume' || kind === 'restart') return 'heal';
  if (kind === 'partition' || kind === 'partition-pattern' || kind === 'cut') return 'network';
  if (kind === 'change-link') return 'link';
  if (kind === 'join') return 'heal';
  return 'node';
}
