// The `steps` key of a stepped simulation: the choices taken after bring-up, one per line of
// the file, in the lab's words: `next` (or `{ next: 40 }` for forty), `{ deliver: 12 }`,
// `{ drop: 12 }`, `{ duplicate: 12 }`, `{ fire: n2, timer: election }`. The schema checks
// each entry's shape; load.ts checks the node names and that the run is simulated.
import { z } from 'zod';
import type { NodeId, StepChoice } from './types.js';

/** A `{ next: N }` beyond this is surely a mistake (and would take very long to step). */
export const MAX_NEXT_RUN = 1_000_000;

const STEP_FORMS = 'next, { next: 40 }, { deliver: 12 }, { drop: 12 }, { duplicate: 12 } or { fire: n2, timer: election }';

const messageId = z.number({ error: 'expected a message id: a positive integer' }).int({ error: 'expected a message id: a positive integer' }).positive({ error: 'expected a message id: a positive integer' });
const name = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });

const stepEntry = z.union(
  [
    z.literal('next'),
    z.strictObject({ next: z.number({ error: 'expected how many times: a positive integer' }).int({ error: 'expected how many times: a positive integer' }).min(1, { error: 'expected how many times: a positive integer' }).max(MAX_NEXT_RUN, { error: `expected at most ${MAX_NEXT_RUN}` }) }),
    z.strictObject({ deliver: messageId }),
    z.strictObject({ drop: messageId }),
    z.strictObject({ duplicate: messageId }),
    z.strictObject({ fire: name('a node id such as n2'), timer: name('a timer name such as election') }),
  ],
  { error: `expected a step: ${STEP_FORMS}` },
);

export const stepsSchema = z.array(stepEntry, { error: `expected a list of steps, each one of ${STEP_FORMS}` });

export type StepEntry = z.output<typeof stepEntry>;

/** The file's entries as choices, one per step; problems name the entry (steps[3].fire). */
export function normalizeSteps(entries: readonly StepEntry[], nodes: readonly NodeId[]): { choices: StepChoice[]; problems: Array<{ path: string; message: string }> } {
  const choices: StepChoice[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  entries.forEach((entry, index) => {
    if (entry === 'next') choices.push({ kind: 'next' });
    else if ('next' in entry) for (let i = 0; i < entry.next; i++) choices.push({ kind: 'next' });
    else if ('deliver' in entry) choices.push({ kind: 'deliver', messageId: entry.deliver });
    else if ('drop' in entry) choices.push({ kind: 'drop', messageId: entry.drop });
    else if ('duplicate' in entry) choices.push({ kind: 'duplicate', messageId: entry.duplicate });
    else if (!nodes.includes(entry.fire)) problems.push({ path: `steps[${index}].fire`, message: `there is no node "${entry.fire}"; the nodes are ${nodes.join(', ')}` });
    else choices.push({ kind: 'fire', node: entry.fire, timer: entry.timer });
  });
  return { choices, problems };
}

/** Choices in the file's form, runs of `next` folded into `{ next: N }`. */
export function stepsFile(choices: readonly StepChoice[]): StepEntry[] {
  const entries: StepEntry[] = [];
  for (const choice of choices) {
    const last = entries[entries.length - 1];
    if (choice.kind === 'next') {
      if (last === 'next') entries[entries.length - 1] = { next: 2 };
      else if (last !== undefined && typeof last === 'object' && 'next' in last) last.next++;
      else entries.push('next');
    } else if (choice.kind === 'fire') entries.push({ fire: choice.node, timer: choice.timer });
    else if (choice.kind === 'deliver') entries.push({ deliver: choice.messageId });
    else if (choice.kind === 'drop') entries.push({ drop: choice.messageId });
    else entries.push({ duplicate: choice.messageId });
  }
  return entries;
}
