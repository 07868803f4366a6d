// The experiment being edited, as a YAML Document: the form changes parts of it in place,
// so comments, key order and every field the form does not know survive a round trip.
import { isCollection, isMap, isSeq, parseDocument, type Document } from 'yaml';

export type DocPath = ReadonlyArray<string | number>;

export interface ParsedExperiment {
  doc: Document;
  /** The first YAML syntax error, with its position; null when the text parses. */
  syntaxError: string | null;
}

export function parseExperimentDoc(text: string): ParsedExperiment {
  const doc = parseDocument(text, { logLevel: 'error' });
  const first = doc.errors[0];
  if (!first) return { doc, syntaxError: null };
  const at = first.linePos?.[0];
  const reason = first.message.split(/ at line \d+/)[0];
  return { doc, syntaxError: `invalid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${reason}` };
}

/** The form can edit a document whose top level is a map (or still empty). */
export function isFormEditable(doc: Document): boolean {
  return doc.contents === null || isMap(doc.contents);
}

export function docText(doc: Document): string {
  // lineWidth 0: never fold long strings (commands, descriptions) over several lines.
  return doc.toString({ lineWidth: 0 });
}

/** A plain-object copy of the document for reading. */
export function docValue(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/**
 * Sets `path` to `value`, or removes it when `value` is undefined. A replaced collection
 * keeps the flow or block style it had, so `{ mean: 5ms }` stays on one line.
 */
export function setAt(doc: Document, path: DocPath, value: unknown): void {
  if (value === undefined) {
    if (parentIsCollection(doc, path) && doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  ensureParents(doc, path);
  const existing = doc.getIn(path, true);
  const node = doc.createNode(value);
  if (isCollection(existing) && isCollection(node)) node.flow = existing.flow;
  else if (isCollection(node) && insideFlow(doc, path)) node.flow = true;
  doc.setIn(path, node);
}

/** Appends an item to the list at `path` (created when missing), one line per item. */
export function appendAt(doc: Document, path: DocPath, item: unknown): void {
  ensureParents(doc, path);
  const list = doc.getIn(path, true);
  const node = doc.createNode(item);
  if (isCollection(node)) node.flow = true;
  if (isSeq(list)) list.add(node);
  else doc.setIn(path, doc.createNode([item], { flow: false }));
  const created = doc.getIn(path, true);
  if (isSeq(created)) for (const entry of created.items) if (isCollection(entry)) entry.flow = true;
}

/** Removes item `index` from the list at `path`; the list goes when it becomes empty. */
export function removeAt(doc: Document, path: DocPath, index: number): void {
  const list = doc.getIn(path, true);
  if (!isSeq(list)) return;
  list.delete(index);
  if (list.items.length === 0) setAt(doc, path, undefined);
}

/** A scalar where a map should be (say `network: 5`) is replaced by an empty map. */
function ensureParents(doc: Document, path: DocPath): void {
  for (let depth = 1; depth < path.length; depth++) {
    const prefix = path.slice(0, depth);
    const node = doc.getIn(prefix, true);
    if (node !== undefined && !isCollection(node)) doc.setIn(prefix, doc.createNode({}));
  }
}

function parentIsCollection(doc: Document, path: DocPath): boolean {
  if (path.length <= 1) return isCollection(doc.contents);
  return isCollection(doc.getIn(path.slice(0, -1), true));
}

function insideFlow(doc: Document, path: DocPath): boolean {
  for (let depth = 1; depth < path.length; depth++) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isCollection(node) && node.flow) return true;
  }
  return false;
}
