// One zod schema per API method, for the argument. Both transports pass what they receive
// straight to Lab.call, which parses it here before any handler sees it.
import { z } from 'zod';
import type { Method, Problem } from './contract.js';
import { formatPath } from '../experiment/load.js';
import { compareIdsProblem } from '../analysis/compare-ids.js';
import { EXPORT_FORMAT_NAMES } from '../export/formats.js';
import { MAX_LABEL_LENGTH, MAX_NOTE_LENGTH } from '../store/runs.js';

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

const sweepId = z
  .number({ error: 'expected a sweep id: a positive integer' })
  .int({ error: 'expected a sweep id: a positive integer' })
  .positive({ error: 'expected a sweep id: a positive integer' });

const huntId = z
  .number({ error: 'expected a hunt id: a positive integer' })
  .int({ error: 'expected a hunt id: a positive integer' })
  .positive({ error: 'expected a hunt id: a positive integer' });

const seed = z
  .number({ error: `expected a seed: an integer from 0 to ${Number.MAX_SAFE_INTEGER}` })
  .int({ error: `expected a seed: an integer from 0 to ${Number.MAX_SAFE_INTEGER}` })
  .min(0, { error: `expected a seed: an integer from 0 to ${Number.MAX_SAFE_INTEGER}` })
  .max(Number.MAX_SAFE_INTEGER, { error: `expected a seed: an integer from 0 to ${Number.MAX_SAFE_INTEGER}` });

/** Seeds judged at once, each on a worker thread. */
export const MAX_HUNT_PARALLEL = 8;

/** step.run takes at most this many steps per call: each is judged by the run's checks. */
const MAX_RUN_STEPS = 10_000;

const sessionId = z
  .number({ error: 'expected a stepping session id: a positive integer' })
  .int({ error: 'expected a stepping session id: a positive integer' })
  .positive({ error: 'expected a stepping session id: a positive integer' });

const treeNode = z
  .number({ error: 'expected a tree node id: an integer from 0' })
  .int({ error: 'expected a tree node id: an integer from 0' })
  .min(0, { error: 'expected a tree node id: an integer from 0' });

const messageId = z
  .number({ error: 'expected a message id: a positive integer' })
  .int({ error: 'expected a message id: a positive integer' })
  .positive({ error: 'expected a message id: a positive integer' });

const stepChoice = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('next') }),
    z.strictObject({ kind: z.literal('deliver'), messageId }),
    z.strictObject({ kind: z.literal('drop'), messageId }),
    z.strictObject({ kind: z.literal('duplicate'), messageId }),
    z.strictObject({
      kind: z.literal('fire'),
      node: z.string({ error: 'expected a node id such as n2' }).min(1, { error: 'expected a node id such as n2' }),
      timer: z.string({ error: 'expected a timer name such as election' }).min(1, { error: 'expected a timer name such as election' }),
    }),
  ],
  { error: 'expected a choice: { kind: next | deliver | drop | duplicate | fire, … }' },
);

const runMs = z.number({ error: 'expected a run time in ms' }).finite({ error: 'expected a finite run time in ms' }).min(0, { error: 'expected a run time of 0 ms or more' });

export const ARG_SCHEMAS = {
  'lab.info': noArg,
  'programs.list': noArg,
  'presets.list': noArg,
  'experiment.validate': z.strictObject({ text: experimentText }),
  'run.start': z.strictObject({ text: experimentText, originRunId: runId.optional() }),
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
  'runs.annotate': z.strictObject({
    runId,
    label: z.string({ error: 'expected a label (text) or null' }).max(MAX_LABEL_LENGTH, { error: `expected a label of at most ${MAX_LABEL_LENGTH} characters` }).nullable(),
    note: z.string({ error: 'expected a note (text) or null' }).max(MAX_NOTE_LENGTH, { error: `expected a note of at most ${MAX_NOTE_LENGTH} characters` }).nullable(),
  }),
  'runs.find': z.strictObject({
    runId,
    query: z.string({ error: 'expected a search, like type:vote or term=3' }).max(500, { error: 'expected a search of at most 500 characters' }),
    limit: z.number({ error: 'expected a limit from 1 to 10000' }).int({ error: 'expected a limit from 1 to 10000' }).min(1, { error: 'expected a limit from 1 to 10000' }).max(10_000, { error: 'expected a limit from 1 to 10000' }),
  }),
  'runs.operations': z.strictObject({
    runId,
    ids: z
      .array(z.number({ error: 'expected operation ids (whole numbers from 1)' }).int({ error: 'expected operation ids (whole numbers from 1)' }).min(1, { error: 'expected operation ids (whole numbers from 1)' }), { error: 'expected a list of operation ids' })
      .max(1000, { error: 'expected at most 1000 operation ids' }),
  }),
  'runs.stateAt': z.strictObject({ runId, tMs: runMs, node: z.string({ error: 'expected a node id such as n1' }).optional() }),
  'runs.export': z.strictObject({
    runId,
    dir: z.string({ error: 'expected a folder path' }).regex(/\S/, { error: 'expected a folder path' }),
    overwrite: z.boolean({ error: 'expected true or false' }).optional(),
    format: z.enum(EXPORT_FORMAT_NAMES, { error: `expected one of ${EXPORT_FORMAT_NAMES.join(', ')}` }).optional(),
  }),
  'run.again': z.strictObject({ runId }),
  'runs.compare': z.strictObject({
    runIds: z.array(runId, { error: 'expected a list of two to four run ids' }).superRefine((ids, ctx) => {
      const problem = compareIdsProblem(ids);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  }),
  'sweeps.list': noArg,
  'sweeps.get': z.strictObject({ sweepId }),
  'sweep.start': z.strictObject({ text: experimentText }),
  'sweep.stop': z.strictObject({ sweepId }),
  'sweep.active': noArg,
  'hunt.start': z
    .strictObject({
      text: experimentText,
      from: seed,
      to: seed,
      parallel: z
        .number({ error: `expected seeds at a time from 1 to ${MAX_HUNT_PARALLEL}` })
        .int({ error: `expected seeds at a time from 1 to ${MAX_HUNT_PARALLEL}` })
        .min(1, { error: `expected seeds at a time from 1 to ${MAX_HUNT_PARALLEL}` })
        .max(MAX_HUNT_PARALLEL, { error: `expected seeds at a time from 1 to ${MAX_HUNT_PARALLEL}` })
        .optional(),
      stopAtFirst: z.boolean({ error: 'expected true or false' }).optional(),
    })
    .refine((arg) => arg.to >= arg.from, { path: ['to'], error: 'expected the last seed at or after the first (from); a reversed range holds no seed' }),
  'hunt.get': z.strictObject({ huntId }),
  'hunt.stop': z.strictObject({ huntId }),
  'step.open': z.strictObject({ text: experimentText }),
  'step.choose': z.strictObject({ sessionId, choice: stepChoice }),
  'step.run': z.strictObject({
    sessionId,
    maxSteps: z
      .number({ error: `expected a number of steps from 1 to ${MAX_RUN_STEPS}` })
      .int({ error: `expected a number of steps from 1 to ${MAX_RUN_STEPS}` })
      .min(1, { error: `expected a number of steps from 1 to ${MAX_RUN_STEPS}` })
      .max(MAX_RUN_STEPS, { error: `expected a number of steps from 1 to ${MAX_RUN_STEPS}` }),
  }),
  'step.goto': z.strictObject({ sessionId, treeNode }),
  'step.save': z.strictObject({ sessionId, treeNode }),
  'step.close': z.strictObject({ sessionId }),
} satisfies Record<Method, z.ZodType>;

/** The problems of an argument that does not fit its schema, one per field. */
export function argProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
