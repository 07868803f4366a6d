// Kafka-style append-only logs, as one owner keeps them: per key a dense log whose offsets
// start at 0, and per key a committed offset that only moves forward.
import type { Body } from '../../sdk/index.js';
import { ERROR_MALFORMED_REQUEST, errorBody, listField } from './replies.js';

export interface KafkaLogs {
  logs: Map<string, unknown[]>;
  committed: Map<string, number>;
  pollLimit: number;
}

export const KAFKA_REQUESTS: ReadonlySet<string> = new Set(['send', 'poll', 'commit_offsets', 'list_committed_offsets']);

const isOffsets = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

const offsetsIn = (body: Body): [string, number][] =>
  isOffsets(body.offsets)
    ? Object.entries(body.offsets as Record<string, unknown>).filter((entry): entry is [string, number] => Number.isInteger(entry[1]))
    : [];

export function serveKafka(kafka: KafkaLogs, request: Body): Body {
  if ((request.type === 'poll' || request.type === 'commit_offsets') && !isOffsets(request.offsets)) {
    return errorBody(ERROR_MALFORMED_REQUEST, 'offsets must be an object of key: offset');
  }
  if (request.type === 'list_committed_offsets' && !Array.isArray(request.keys)) return errorBody(ERROR_MALFORMED_REQUEST, 'keys must be a list');
  switch (request.type) {
    case 'send': {
      if (typeof request.key !== 'string') return errorBody(ERROR_MALFORMED_REQUEST, 'key must be a string');
      if (request.msg === undefined) return errorBody(ERROR_MALFORMED_REQUEST, 'msg is missing');
      let log = kafka.logs.get(request.key);
      if (!log) kafka.logs.set(request.key, (log = []));
      log.push(request.msg);
      return { type: 'send_ok', offset: log.length - 1 };
    }
    case 'poll': {
      const msgs: Record<string, [number, unknown][]> = {};
      for (const [key, from] of offsetsIn(request)) {
        const log = kafka.logs.get(key) ?? [];
        const start = Math.max(0, from);
        const slice = log.slice(start, start + kafka.pollLimit).map((msg, i): [number, unknown] => [start + i, msg]);
        if (slice.length > 0) msgs[key] = slice;
      }
      return { type: 'poll_ok', msgs };
    }
    case 'commit_offsets':
      for (const [key, offset] of offsetsIn(request)) kafka.committed.set(key, Math.max(offset, kafka.committed.get(key) ?? -1));
      return { type: 'commit_offsets_ok' };
    default: {
      const offsets: Record<string, number> = {};
      for (const key of listField(request, 'keys')) {
        const offset = typeof key === 'string' ? kafka.committed.get(key) : undefined;
        if (offset !== undefined) offsets[key as string] = offset;
      }
      return { type: 'list_committed_offsets_ok', offsets };
    }
  }
}
