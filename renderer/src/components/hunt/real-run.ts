// A failing seed's experiment as real processes: the same file (its random faults written
// out, its seed kept) with `mode: real` instead of `mode: simulate`, to see whether the bug
// shows outside the simulator too. Edited as a YAML document, so comments and order stay.
import { parseDocument } from 'yaml';

export function asRealRun(experimentText: string): string {
  const doc = parseDocument(experimentText);
  if (doc.errors.length) throw new Error(`the failing seed's experiment is not valid YAML: ${doc.errors[0].message}`);
  doc.set('mode', 'real');
  return doc.toString();
}
