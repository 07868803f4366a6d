// Loads an experiment file: YAML (or JSON) text → shape checks (schema.ts) →
// reference checks → the normalized Experiment. Every bad input ends in an
// ExperimentError whose message lists one problem per line.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { findProgram, programInfos } from '../programs/registry.js';
import type { ProgramInfo } from '../sdk/protocol.js';
import { checkProgramParams } from './params.js';
import { topologyProblem } from '../workloads/topology.js';
import { defaultLinkParams, experimentFileSchema, noWorkload, type ExperimentFile } from './schema.js';
import { clientIds, LEADER, nodeIds, type Experiment, type FaultAction, type NodeId, type RunMode } from './types.js';
import { describeValue, formatDurationMs } from './units.js';
import { isServiceName, SERVICE_NAMES } from '../services/registry.js';
import { checkMembershipSchedule, joinedIds } from './membership-schedule.js';
import { normalizeSteps } from './steps.js';

export interface ExperimentProblem {
  /** Dotted path into the file, like "network.links[0].loss"; empty for the file as a whole. */
  path: string;
  message: string;
  /** The line of the file the path points at (1-based), when the file's text is at hand. */
  line?: number;
}

export interface ParseOptions {
  /** Names the input in messages, usually the file path. */
  source: string;
  /** The built-in programs that `nodes.program` may name. */
  programs: readonly string[];
  /** The parameters of the built-in programs, to check `nodes.params`; the registry's by default. */
  programInfos?: readonly ProgramInfo[];
  /**
   * A live fault's run: its members now and every id that was ever one, after its joins and
   * leaves. Without it, the faults start from n1..n<count> at their own times.
   */
  membership?: { members: readonly NodeId[]; ever: readonly NodeId[] };
  /** Overrides the file's mode: distlab hunt simulates every seed, whatever the file says. */
  mode?: RunMode;
}

const MAX_LISTED_PROBLEMS = 20;

export class ExperimentError extends Error {
  readonly source: string;
  readonly problems: ExperimentProblem[];

  constructor(source: string, problems: ExperimentProblem[]) {
    super(formatProblems(source, problems));
    this.name = 'ExperimentError';
    this.source = source;
    this.problems = problems;
  }
}

function formatProblems(source: string, problems: readonly ExperimentProblem[]): string {
  const lines = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((problem) => `${source}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  if (problems.length > MAX_LISTED_PROBLEMS) {
    lines.push(`${source}: …and ${problems.length - MAX_LISTED_PROBLEMS} more problems`);
  }
  return lines.join('\n');
}

/** Reads and parses an experiment file; `source` in messages is the path as given. */
export function loadExperimentFile(path: string, opts: { programs: readonly string[]; mode?: RunMode }): Experiment {
  const parsed = parseYamlWithLines(readText(path), path);
  return withLines(parsed, () => parseExperiment(parsed.value, { source: path, programs: opts.programs, ...(opts.mode && { mode: opts.mode }) }));
}

/** The file's YAML or JSON as an object, before the schema sees it (a sweep is planned from this). */
export function readExperimentObject(path: string): unknown {
  return parseYamlWithLines(readText(path), path).value;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExperimentError(path, [{ path: '', message: `cannot read the file: ${reason}` }]);
  }
}

/** Parses YAML or JSON text (JSON is read by the YAML parser too). */
export function parseExperimentText(text: string, opts: ParseOptions): Experiment {
  return parseExperiment(parseYamlWithLines(text, opts.source).value, opts);
}

/** As parseExperimentText, and each value problem names its line, as syntax errors do (for editors and files). */
export function parseExperimentTextWithLines(text: string, opts: ParseOptions): Experiment {
  const parsed = parseYamlWithLines(text, opts.source);
  return withLines(parsed, () => parseExperiment(parsed.value, opts));
}

interface ParsedText {
  value: unknown;
  document: Document;
  lines: LineCounter;
}

/** Adds to each problem of `parse` the line its path points at, as syntax errors have theirs. */
function withLines<T>(parsed: ParsedText, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ExperimentError)) throw error;
    const problems = error.problems.map((problem) => {
      const line = problem.line ?? lineOfPath(parsed, problem.path);
      return line === null ? problem : { ...problem, line, message: `${problem.message} (line ${line})` };
    });
    throw new ExperimentError(error.source, problems);
  }
}

/** The line of the deepest node on `path` that the file has ("nodes.params.x" → the params line when x is missing). */
function lineOfPath(parsed: ParsedText, path: string): number | null {
  if (!path) return null;
  const keys = parsePath(path);
  for (let depth = keys.length; depth > 0; depth--) {
    const node = parsed.document.getIn(keys.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return parsed.lines.linePos(node.range[0]).line;
  }
  return null;
}

/** "network.links[0].loss" → ['network', 'links', 0, 'loss'] (the inverse of formatPath). */
export function parsePath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(JSON.parse(match[3]) as string);
  }
  return keys;
}

function parseYamlWithLines(text: string, source: string): ParsedText {
  // logLevel 'error': yaml would otherwise print its warnings to stderr; problems are ours to report.
  const lines = new LineCounter();
  const document = parseDocument(text, { logLevel: 'error', lineCounter: lines });
  if (document.errors.length > 0) {
    throw new ExperimentError(
      source,
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? ` at line ${position.line}, column ${position.col}` : '';
        // The pretty message repeats the position and quotes the source; keep the first clause.
        const reason = error.message.split(/ at line \d+/)[0];
        return { path: '', message: `invalid YAML${where}: ${reason}` };
      }),
    );
  }
  if (document.contents === null) {
    throw new ExperimentError(source, [
      { path: '', message: 'the file is empty; an experiment needs at least name, duration and nodes' },
    ]);
  }
  try {
    return { value: document.toJS(), document, lines };
  } catch (error) {
    // Unresolved aliases and alias bombs surface only here.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExperimentError(source, [{ path: '', message: `invalid YAML: ${reason}` }]);
  }
}

/** Checks and normalizes an already parsed file (a plain JS value). */
export function parseExperiment(input: unknown, opts: ParseOptions): Experiment {
  if (input && typeof input === 'object' && 'sweep' in input) {
    throw new ExperimentError(opts.source, [{ path: 'sweep', message: 'this file describes a sweep of many runs: run it with distlab sweep FILE' }]);
  }
  if (opts.mode && input && typeof input === 'object' && !Array.isArray(input)) input = { ...input, mode: opts.mode };
  const result = experimentFileSchema.safeParse(input);
  if (!result.success) {
    throw new ExperimentError(opts.source, problemsFromIssues(result.error.issues, input));
  }
  const file = result.data;
  const { problems, params } = checkReferences(file, opts.programs, opts.programInfos ?? programInfos(), opts.membership);
  problems.push(...simulationProblems(file));
  const steps = file.steps && normalizeSteps(file.steps, nodeIds(file.nodes.count));
  if (steps) problems.push(...steps.problems);
  if (problems.length > 0) throw new ExperimentError(opts.source, problems);

  const seedWasRandom = file.seed === undefined;
  return {
    name: file.name,
    ...(file.mode !== undefined && { mode: file.mode }),
    seed: file.seed ?? randomInt(0, 2 ** 31),
    seedWasRandom,
    durationMs: file.duration,
    nodes: { ...file.nodes, params },
    network: file.network ?? { defaults: defaultLinkParams(), links: [] },
    // Array.prototype.sort is stable, so faults at the same time keep the file's order.
    faults: [...(file.faults?.fixed ?? [])].sort((a, b) => a.atMs - b.atMs),
    ...(file.faults?.random && { randomFaults: file.faults.random }),
    workload: file.workload ?? noWorkload(),
    switchPort: file.switch?.port ?? 0,
    ...(steps && { steps: steps.choices }),
  };
}

/** What a simulation cannot do: it hosts the built-in state machines, not arbitrary processes. */
function simulationProblems(file: ExperimentFile): ExperimentProblem[] {
  if (file.mode !== 'simulate') {
    if (file.steps === undefined) return [];
    return [{ path: 'steps', message: 'steps are the choices of a stepped simulation: they need mode: simulate' }];
  }
  const problems: ExperimentProblem[] = [];
  if (file.nodes.command) {
    const command = file.nodes.command.join(' ');
    problems.push({ path: 'nodes.command', message: `"${command}" is an external command, which cannot be simulated: mode: simulate runs only built-in programs (nodes.program); use mode: real for external commands` });
  }
  // The simulator has no membership changes yet: say so before anything runs.
  (file.faults?.fixed ?? []).forEach((fault, index) => {
    const kind = fault.action.kind;
    if (kind === 'join' || kind === 'leave') problems.push({ path: `${faultPath(file, index)}.${kind}`, message: `nodes that ${kind} a running experiment are not simulated yet; use mode: real for this schedule` });
  });
  return problems;
}

// ---------------------------------------------------------------- zod issues → problems

function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ExperimentProblem[] {
  // One problem per path, the first: later ones are consequences of it. An array that is
  // not an array is also "too short"; an object with a misspelled key (reported first)
  // also fails its own checks, like "no action" or "neither program nor command".
  const seenPaths = new Set<string>();
  const problems: ExperimentProblem[] = [];
  for (const issue of issues) {
    const problem = problemFromIssue(issue, input);
    if (seenPaths.has(problem.path)) continue;
    seenPaths.add(problem.path);
    problems.push(problem);
  }
  return problems;
}

function problemFromIssue(issue: z.core.$ZodIssue, input: unknown): ExperimentProblem {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') return { path, message: issue.message };
  if (issue.code === 'custom' && issue.params?.valueShown) return { path, message: issue.message };
  const value = valueAt(input, issue.path);
  if (value === undefined) return { path, message: `missing; ${issue.message}` };
  return { path, message: `${issue.message}, got ${describeValue(value)}` };
}

const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

/** ['network', 'links', 0, 'loss'] → "network.links[0].loss". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && PLAIN_KEY.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

// ---------------------------------------------------------------- references between fields

/** The problems, and nodes.params with durations in ms. */
function checkReferences(
  file: ExperimentFile,
  programs: readonly string[],
  infos: readonly ProgramInfo[],
  membership?: ParseOptions['membership'],
): { problems: ExperimentProblem[]; params: Record<string, unknown> } {
  const problems: ExperimentProblem[] = [];
  let params = file.nodes.params;
  const { program } = file.nodes;
  if (program !== undefined && !programs.includes(program)) {
    const known = programs.length > 0 ? `known programs are ${programs.join(', ')}` : 'no built-in programs are available';
    problems.push({ path: 'nodes.program', message: `unknown program "${program}"; ${known}` });
  }
  const info = program !== undefined && programs.includes(program) ? infos.find((candidate) => candidate.name === program) : undefined;
  if (info) {
    const checked = checkProgramParams(info, file.nodes.params, file.nodes.count, findProgram(info.name)?.checkParams);
    params = checked.params;
    for (const problem of checked.problems) problems.push({ path: formatPath(['nodes', 'params', problem.name]), message: problem.message });
  }

  const faults = file.faults?.fixed ?? [];
  const initialMembers = membership?.members ?? nodeIds(file.nodes.count);
  // Faults may name the nodes that join, whenever they are up.
  const ids = new Ids(file.nodes.count, file.workload?.clients ?? 0, [...(membership?.ever ?? []), ...joinedIds(faults)]);
  ids.checkNodes(Object.keys(file.nodes.clocks), 'nodes.clocks', problems);
  const topology = file.workload?.topology;
  if (topology !== undefined && typeof topology === 'object') {
    const problem = topologyProblem(topology, nodeIds(file.nodes.count));
    if (problem) problems.push({ path: 'workload.topology', message: problem });
  }
  (file.network?.links ?? []).forEach((link, index) => {
    for (const side of ['from', 'to'] as const) {
      const id = link[side];
      if (id !== undefined) ids.checkEndpoint(id, `network.links[${index}].${side}`, problems);
    }
  });

  for (const kind of ['partition', 'cut'] as const) {
    if ((file.faults?.random?.rates[kind] ?? 0) > 0 && file.nodes.count < 2) problems.push({ path: `faults.random.${kind}`, message: `a ${kind} needs at least 2 nodes, and there is 1` });
  }
  const membershipProblems = checkMembershipSchedule(initialMembers, faults, membership);
  for (const { index, path, message } of membershipProblems) problems.push({ path: path.replace(`faults[${index}]`, faultPath(file, index)), message });
  faults.forEach((fault, index) => {
    const path = faultPath(file, index);
    if (fault.atMs > file.duration) {
      problems.push({
        path: `${path}.at`,
        message: `expected a time within the experiment's duration (${formatDurationMs(file.duration)}), got ${formatDurationMs(fault.atMs)}; it would never happen`,
      });
    }
    checkFaultAction(fault.action, path, ids, problems);
  });
  return { problems, params };
}

/** Where a fixed fault sits in the file: the list itself, or `faults.schedule` beside random faults. */
function faultPath(file: ExperimentFile, index: number): string {
  return file.faults?.random ? `faults.schedule[${index}]` : `faults[${index}]`;
}

function checkFaultAction(action: FaultAction, path: string, ids: Ids, problems: ExperimentProblem[]): void {
  switch (action.kind) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'resume':
    case 'restart':
      ids.checkNodes(action.nodes.filter((n) => n !== LEADER), `${path}.${action.kind}`, problems);
      return;
    case 'partition': {
      const groupOf = new Map<NodeId, number>();
      action.groups.forEach((group, groupIndex) => {
        ids.checkPartitionGroup(group, `${path}.partition[${groupIndex}]`, problems);
        for (const node of group) {
          const earlier = groupOf.get(node);
          if (earlier !== undefined && earlier !== groupIndex) {
            problems.push({
              path: `${path}.partition[${groupIndex}]`,
              message: `node "${node}" is already in group ${earlier + 1}; each node may be in at most one group`,
            });
          }
          groupOf.set(node, earlier ?? groupIndex);
        }
      });
      return;
    }
    case 'partition-pattern':
      if (ids.nodeCount < 2) {
        problems.push({ path: `${path}.partition`, message: 'a partition needs at least 2 nodes, and there is 1' });
      }
      return;
    case 'heal':
    case 'join':
    case 'leave':
      // Checked against the membership at their time, by checkMembershipSchedule.
      return;
    case 'cut':
      action.from.forEach((id) => ids.checkEndpoint(id, `${path}.cut.from`, problems));
      action.to.forEach((id) => ids.checkEndpoint(id, `${path}.cut.to`, problems));
      return;
    case 'change-link':
      if (action.from !== undefined) ids.checkEndpoint(action.from, `${path}.change-link.from`, problems);
      if (action.to !== undefined) ids.checkEndpoint(action.to, `${path}.change-link.to`, problems);
      return;
  }
}

/** The ids an experiment defines: nodes n1..nN and workload clients c1..cM. */
class Ids {
  readonly nodeCount: number;
  private readonly nodes: Set<NodeId>;
  private readonly clients: Set<NodeId>;
  private readonly nodeRange: string;
  private readonly clientRange: string;

  constructor(nodeCount: number, clientCount: number, laterNodes: readonly NodeId[] = []) {
    this.nodeCount = nodeCount;
    const initial = nodeIds(nodeCount);
    this.nodes = new Set([...initial, ...laterNodes]);
    this.clients = new Set(clientIds(clientCount));
    const joining = [...new Set(laterNodes)].filter((id) => !initial.includes(id));
    const joined = joining.length ? ` and ${joining.join(', ')}` : '';
    this.nodeRange = (nodeCount === 1 ? 'the only node is n1' : `nodes are n1..n${nodeCount}`) + joined;
    this.clientRange =
      clientCount === 0 ? 'the workload has no clients' : clientCount === 1 ? 'the only client is c1' : `clients are c1..c${clientCount}`;
  }

  /** Nodes only: process faults act on node processes. */
  checkNodes(list: readonly NodeId[], path: string, problems: ExperimentProblem[]): void {
    this.checkList(list, path, problems, false);
  }

  /** Nodes, and services (lin-kv, …), which a partition may separate from nodes. */
  checkPartitionGroup(list: readonly NodeId[], path: string, problems: ExperimentProblem[]): void {
    this.checkList(list, path, problems, true);
  }

  private checkList(list: readonly NodeId[], path: string, problems: ExperimentProblem[], servicesToo: boolean): void {
    const seen = new Set<NodeId>();
    for (const id of list) {
      if (!this.nodes.has(id) && !(servicesToo && isServiceName(id))) {
        const hint = this.clients.has(id) ? `"${id}" is a client, and this fault acts on nodes; ` : isServiceName(id) ? `"${id}" is a service, and this fault acts on node processes; ` : '';
        const services = servicesToo ? `; services are ${SERVICE_NAMES.join(', ')}` : '';
        problems.push({ path, message: `unknown node "${id}" (${hint}${this.nodeRange}${services})` });
      } else if (seen.has(id)) {
        problems.push({ path, message: `node "${id}" is listed twice` });
      }
      seen.add(id);
    }
  }

  /** Nodes, clients or services: links connect them all. */
  checkEndpoint(id: NodeId, path: string, problems: ExperimentProblem[]): void {
    if (!this.nodes.has(id) && !this.clients.has(id) && !isServiceName(id)) {
      problems.push({ path, message: `unknown node or client "${id}" (${this.nodeRange}; ${this.clientRange})` });
    }
  }
}
