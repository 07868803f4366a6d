// A fault in a few words ("kill n2", "partition n1 n2 | n3"), for the labels of pending events.
import type { FaultAction } from '../experiment/types.js';

export function describeFault(action: FaultAction): string {
  switch (action.kind) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'resume':
    case 'restart':
      return `${action.kind} ${action.nodes.join(' ')}`;
    case 'partition':
      return `partition ${action.groups.map((group) => group.join(' ')).join(' | ')}`;
    case 'partition-pattern':
      return `partition ${action.pattern}`;
    case 'heal':
      return 'heal';
    case 'cut':
      return `cut ${action.from.join(' ')} → ${action.to.join(' ')}`;
    case 'change-link':
      return `change link ${action.from ?? '*'} → ${action.to ?? '*'}`;
    case 'join':
    case 'leave':
      return `${action.kind} ${action.node}`;
  }
}
