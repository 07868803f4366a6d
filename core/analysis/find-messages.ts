// Finding messages in a recording, as ShiViz's search finds events: by type, source,
// destination, fate, or a field of the body. The query is words separated by spaces; a
// message matches when it matches every word.
//   type:append_entries   src:n1   dest:n2   fate:lost       fields of the message
//   term=3   leader=n2    a field of the JSON body, compared as a number or as text
//   vote                  a bare word: the type, an endpoint, or anywhere in the body
import type Database from 'better-sqlite3';
import { getRun } from '../store/queries.js';

export interface MessageMatch {
  id: number;
  src: string;
  dest: string;
  type: string;
  /** Send time, ms since the run's start. */
  tMs: number;
}

export interface FoundMessages {
  /** Matches in send order, at most `limit` of them. */
  matches: MessageMatch[];
  /** How many messages match in all. */
  total: number;
}

export class QueryError extends Error {}

const COLUMN_TERMS: Record<string, string> = { type: 'type', src: 'src', from: 'src', dest: 'dest', to: 'dest', fate: 'fate' };
const FIELD = /^[A-Za-z_][\w.]*$/;

interface Clause {
  sql: string;
  params: unknown[];
}

/** One word of the query as SQL over the messages table. */
function clauseOf(word: string): Clause {
  const column = /^([a-z]+):(.+)$/.exec(word);
  if (column) {
    const name = COLUMN_TERMS[column[1]];
    if (!name) throw new QueryError(`unknown field "${column[1]}:" in the search; use type:, src:, dest:, fate: or field=value for the body`);
    return { sql: `${name} = ?`, params: [column[2]] };
  }
  const field = /^([^=]+)=(.*)$/.exec(word);
  if (field) {
    const [, key, raw] = field;
    if (!FIELD.test(key)) throw new QueryError(`"${key}" is not a field name; write field=value, like term=3`);
    const value = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw.replace(/^"(.*)"$/, '$1');
    // json_extract fails on a body that is not JSON (a corrupted one): CASE keeps it from being read.
    return { sql: `CASE WHEN json_valid(body) THEN json_extract(body, ?) END = ?`, params: [`$.${key}`, value] };
  }
  const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return { sql: `(type = ? OR src = ? OR dest = ? OR body LIKE ? ESCAPE '\\')`, params: [word, word, word, like] };
}

/** Splits on spaces, keeping "quoted words" together. */
export function queryWords(query: string): string[] {
  return [...query.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0]).filter((w) => w.length > 0);
}

export function findMessages(db: Database.Database, runId: number, query: string, limit: number): FoundMessages {
  getRun(db, runId);
  const words = queryWords(query);
  if (words.length === 0) throw new QueryError('the search is empty; type a message type, a node, or field=value');
  const clauses = words.map(clauseOf);
  const where = ['run_id = ?', ...clauses.map((c) => c.sql)].join(' AND ');
  const params = [runId, ...clauses.flatMap((c) => c.params)];
  const total = db.prepare(`SELECT COUNT(*) FROM messages WHERE ${where}`).pluck().get(...params) as number;
  const rows = db
    .prepare(`SELECT id, src, dest, type, t_send_us FROM messages WHERE ${where} ORDER BY id LIMIT ?`)
    .raw()
    .all(...params, limit) as Array<[number, string, string, string, number]>;
  return { matches: rows.map(([id, src, dest, type, tSendUs]) => ({ id, src, dest, type, tMs: tSendUs / 1000 })), total };
}
