// Which program a run's nodes ran, and with which parameters, from the experiment text that
// `runs.get` returns (YAML or JSON, the same schema).
import { parse } from 'yaml';

export interface ProgramChoice {
  /** Null for an external command, or when the text names no program. */
  program: string | null;
  params: Record<string, unknown>;
}

export function programOfExperiment(text: string): ProgramChoice {
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: 'silent' });
  } catch {
    return { program: null, params: {} };
  }
  const nodes = (doc as { nodes?: { program?: unknown; params?: unknown } } | null)?.nodes;
  const program = typeof nodes?.program === 'string' ? nodes.program : null;
  const params = nodes?.params && typeof nodes.params === 'object' && !Array.isArray(nodes.params) ? (nodes.params as Record<string, unknown>) : {};
  return { program, params };
}

/** A numeric parameter: the experiment's value, else the program's default. */
export function numericParam(choice: ProgramChoice, name: string, defaults: ReadonlyArray<{ name: string; default: unknown }>): number | undefined {
  const given = Number(choice.params[name]);
  if (choice.params[name] !== undefined && Number.isFinite(given)) return given;
  const fallback = Number(defaults.find((p) => p.name === name)?.default);
  return Number.isFinite(fallback) ? fallback : undefined;
}
