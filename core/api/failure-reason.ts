// Why a client operation failed, in words: the Maelstrom error the node answered with
// ("not the leader, and no leader known (code 11)"), for tooltips and tables.

const MAELSTROM_ERRORS: Record<number, string> = {
  0: 'timeout',
  1: 'node not found',
  10: 'not supported',
  11: 'temporarily unavailable',
  12: 'malformed request',
  13: 'crash',
  14: 'abort',
  20: 'key does not exist',
  21: 'key already exists',
  22: 'precondition failed',
  30: 'transaction conflict',
};

/** The error text and code of a failed operation's detail, or null when it carries none. */
export function failureReason(detail: unknown): string | null {
  const d = (detail ?? {}) as { code?: unknown; text?: unknown };
  const code = typeof d.code === 'number' ? d.code : null;
  const text = typeof d.text === 'string' && d.text.trim() ? d.text.trim() : code !== null ? (MAELSTROM_ERRORS[code] ?? 'error') : null;
  if (text === null) return null;
  return code === null ? text : `${text} (code ${code})`;
}
