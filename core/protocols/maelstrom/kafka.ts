// Maelstrom kafka: one owner keeps every log and committed offset; the other nodes forward.
import type { Program } from '../../sdk/index.js';
import { KAFKA_REQUESTS, serveKafka, type KafkaLogs } from './kafka-logs.js';
import { ownerParams, ownerProtocol } from './owner-protocol.js';

export const kafka: Program = {
  name: 'kafka',
  description:
    'Maelstrom kafka: one owner node keeps every log (dense offsets from 0) and the committed offsets, which only move forward; the others forward requests to it. Offsets never repeat or skip, at the price of availability when the owner is cut off.',
  params: [
    ...ownerParams,
    { name: 'pollLimit', default: 100, unit: 'count', integer: true, min: 1, description: 'most messages a poll returns per key' },
  ],
  protocol: ownerProtocol<KafkaLogs>({
    requestTypes: KAFKA_REQUESTS,
    create: (params) => ({ logs: new Map(), committed: new Map(), pollLimit: Number(params.pollLimit) }),
    serve: serveKafka,
  }),
};
