// Checks `nodes.params` against the parameters a built-in program declares: known names,
// the type of each value, and for numbers the range. A millisecond parameter also takes a
// duration like "500ms"; it comes out as a number of ms, which is what programs read.
import type { ParamSpec, Program, ProgramInfo } from '../sdk/protocol.js';
import { closestKey } from './schema.js';
import { describeValue, formatDurationMs, MAX_DURATION_MS, MAX_DURATION_TEXT, parseDurationMs, UnitError } from './units.js';

export interface ParamProblem {
  /** The parameter's name: the problem is at nodes.params.<name>. */
  name: string;
  message: string;
}

export interface CheckedParams {
  /** The given params, with durations turned into ms; only meaningful without problems. */
  params: Record<string, unknown>;
  problems: ParamProblem[];
}

export function checkProgramParams(info: ProgramInfo, given: Record<string, unknown>, nodeCount: number, crossCheck?: Program['checkParams']): CheckedParams {
  const params: Record<string, unknown> = {};
  const problems: ParamProblem[] = [];
  const known = info.params.map((spec) => spec.name);
  for (const [name, value] of Object.entries(given)) {
    const spec = info.params.find((candidate) => candidate.name === name);
    if (!spec) {
      problems.push({ name, message: unknownParamMessage(info, name, known) });
      continue;
    }
    const checked = checkValue(spec, value, nodeCount);
    if ('expected' in checked) problems.push({ name, message: `${checked.expected}, got ${describeValue(value)}` });
    else params[name] = checked.value;
  }
  if (problems.length === 0 && crossCheck) {
    const merged = { ...Object.fromEntries(info.params.map((spec) => [spec.name, spec.default])), ...params };
    problems.push(...crossCheck(merged, nodeCount));
  }
  return { params, problems };
}

function unknownParamMessage(info: ProgramInfo, name: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown parameter "${name}"; ${info.name} takes no parameters`;
  const suggestion = closestKey(name, known);
  return `unknown parameter "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ${info.name}'s parameters are ${known.join(', ')}`;
}

type Checked = { value: unknown } | { expected: string };

/**
 * What a parameter accepts, as messages and the format reference say it: "a duration from
 * 1ms to 24h", "an integer of at least 1", "one of sync, async". Without a node count,
 * a node id is described as "(n1..nN)".
 */
export function acceptedValues(spec: ParamSpec, nodeCount?: number): string {
  if (spec.unit === 'ms') {
    const { min, max } = durationBounds(spec);
    return `a duration from ${formatDurationMs(min)} to ${max === MAX_DURATION_MS ? MAX_DURATION_TEXT : formatDurationMs(max)}`;
  }
  switch (typeof spec.default) {
    case 'number': {
      const kind = spec.integer ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${kind} of at least ${spec.min}`;
      if (spec.max !== undefined) return `${kind} of at most ${spec.max}`;
      return kind;
    }
    case 'string': {
      const choices = spec.oneOf ?? [];
      if (spec.orNodeId) {
        const nodes = nodeCount === undefined ? 'n1..nN' : nodeCount === 1 ? 'the only node is n1' : `nodes are n1..n${nodeCount}`;
        return `${choices.length > 0 ? `${choices.join(', ')} or ` : ''}a node id (${nodes})`;
      }
      return spec.oneOf !== undefined ? `one of ${choices.join(', ')}` : 'a string';
    }
    case 'boolean':
      return 'true or false';
  }
}

function durationBounds(spec: ParamSpec): { min: number; max: number } {
  return { min: spec.min ?? 0, max: Math.min(spec.max ?? MAX_DURATION_MS, MAX_DURATION_MS) };
}

function checkValue(spec: ParamSpec, value: unknown, nodeCount: number): Checked {
  const accepted = acceptedValue(spec, value, nodeCount);
  if (accepted !== undefined) return { value: accepted };
  const hint = spec.unit === 'ms' ? ', like "500ms" or a number of milliseconds' : '';
  return { expected: `expected ${acceptedValues(spec, nodeCount)}${hint}` };
}

/** The value to pass on (ms for a duration), or undefined if it is not accepted. */
function acceptedValue(spec: ParamSpec, value: unknown, nodeCount: number): unknown {
  if (spec.unit === 'ms') {
    const { min, max } = durationBounds(spec);
    let ms: number;
    try {
      ms = parseDurationMs(value);
    } catch (error) {
      if (error instanceof UnitError) return undefined;
      throw error;
    }
    return ms >= min && ms <= max ? ms : undefined;
  }
  switch (typeof spec.default) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      if (spec.integer && !Number.isSafeInteger(value)) return undefined;
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return undefined;
      return value;
    }
    case 'string': {
      if (typeof value !== 'string') return undefined;
      if (spec.oneOf === undefined && !spec.orNodeId) return value;
      if (spec.oneOf?.includes(value)) return value;
      const isNodeId = /^n[1-9]\d*$/.test(value) && Number(value.slice(1)) <= nodeCount;
      return spec.orNodeId && isNodeId ? value : undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
  }
}
