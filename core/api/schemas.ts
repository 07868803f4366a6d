// One zod schema per API method, for the argument. Both transports pass what they receive
// straight to Lab.call, which parses it here before any handler sees it.
import { z } from 'zod';
import type { Method, Problem } from './contract.js';
import { formatPath } from '../experiment/load.js';

/** Experiment texts beyond this are refused: the WebSocket frame limit is 1 MiB too. */
const MAX_TEXT_CHARS = 1 << 20;
const MAX_MESSAGES_LIMIT = 10_000;

const noArg = z.union([z.null(), z.undefined()], { error: 'expected no argument (null)' }).transform(() => null);

const runId = z
  .number({ error: 'expected a run id: a positive integer' })
  .int({ error: 'expected a run id: a positive integer' })
  .positive({ error: 'expected a run id: a positive integer' });

const experimentText = z
  .string({ error: 'expected the experiment as YAML or JSON text' })
  .max(MAX_TEXT_CHARS, { error: `expected at most ${MAX_TEXT_CHARS} characters` });

const runMs = z.number({ error: 'expected a run time in ms' }).finite({ error: 'expected a finite run time in ms' }).min(0, { error: 'expected a run time of 0 ms or more' });

export const ARG_SCHEMAS = {
  'lab.info': noArg,
  'programs.list': noArg,
  'presets.list': noArg,
  'experiment.validate': z.strictObject({ text: experimentText }),
  'run.start': z.strictObject({ text: experimentText }),
  'run.stop': z.strictObject({ runId }),
  'run.fault': z.strictObject({
    runId,
    fault: z.record(z.string(), z.unknown(), { error: 'expected a fault like { kill: n2 } or { partition: majority }' }),
  }),
  'run.active': noArg,
  'runs.list': noArg,
  'runs.get': z.strictObject({ runId }),
  'runs.data': z.strictObject({ runId }),
  'runs.messages': z
    .strictObject({
      runId,
      fromMs: runMs,
      toMs: runMs,
      limit: z
        .number({ error: `expected a limit from 1 to ${MAX_MESSAGES_LIMIT}` })
        .int({ error: `expected a limit from 1 to ${MAX_MESSAGES_LIMIT}` })
        .min(1, { error: `expected a limit from 1 to ${MAX_MESSAGES_LIMIT}` })
        .max(MAX_MESSAGES_LIMIT, { error: `expected a limit from 1 to ${MAX_MESSAGES_LIMIT}` }),
    })
    .refine((arg) => arg.toMs >= arg.fromMs, { path: ['toMs'], error: 'expected toMs at or after fromMs' }),
  'runs.stateAt': z.strictObject({ runId, tMs: runMs, node: z.string({ error: 'expected a node id such as n1' }).optional() }),
  'runs.export': z.strictObject({
    runId,
    dir: z.string({ error: 'expected a folder path' }).regex(/\S/, { error: 'expected a folder path' }),
    overwrite: z.boolean({ error: 'expected true or false' }).optional(),
  }),
} satisfies Record<Method, z.ZodType>;

/** The problems of an argument that does not fit its schema, one per field. */
export function argProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
