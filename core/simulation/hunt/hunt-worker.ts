// A worker thread of a hunt: judges one seed at a time in its own scratch database.
import { parentPort } from 'node:worker_threads';
import { ScratchStore } from '../simulate-seed.js';
import { judgeSeed } from './seed-verdict.js';
import type { JudgeReply, JudgeRequest } from './judges.js';

const scratch = new ScratchStore();

parentPort!.on('message', (request: JudgeRequest) => {
  judgeSeed(request.experiment, request.seed, scratch).then(
    (verdict) => parentPort!.postMessage({ id: request.id, verdict } satisfies JudgeReply),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) } satisfies JudgeReply),
  );
});
