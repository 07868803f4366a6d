// Searching a recording's messages, against a record written here row by row.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../core/store/database.js';
import { createRun } from '../../core/store/runs.js';
import { QueryError, findMessages, queryWords } from '../../core/analysis/find-messages.js';
import { tempDir } from '../integration/helpers.js';

let db: Database.Database;
let runId: number;

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'find.db'));
  runId = createRun(db, { name: 'find', experiment: { name: 'find', nodes: { count: 3 } }, seed: 1, startedAtMs: 1, enginePid: 1, engineStartTime: null });
  const insert = db.prepare('INSERT INTO messages (run_id, id, src, dest, type, body, bytes, t_send_us, t_deliver_us, fate, dup_of, corrupted) VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?, NULL, ?)');
  const rows: Array<[number, string, string, string, string, number, string, number]> = [
    [1, 'n1', 'n2', 'request_vote', '{"type":"request_vote","term":3,"candidate":"n1"}', 1000, 'delivered', 0],
    [2, 'n1', 'n3', 'request_vote', '{"type":"request_vote","term":3,"candidate":"n1"}', 1100, 'lost', 0],
    [3, 'n2', 'n1', 'vote', '{"type":"vote","term":3,"granted":true}', 2000, 'delivered', 0],
    [4, 'n1', 'n2', 'append_entries', '{"type":"append_entries","term":4,"entries":[]}', 3000, 'delivered', 0],
    [5, 'n3', 'n1', 'append_entries', '{"type":"append_entries","te', 4000, 'corrupted', 1],
  ];
  for (const [id, src, dest, type, body, tUs, fate, corrupted] of rows) insert.run(runId, id, src, dest, type, body, tUs, tUs + 500, fate, corrupted);
});

const ids = (query: string) => findMessages(db, runId, query, 100).matches.map((m) => m.id);

describe('finding messages in a recording', () => {
  it('matches fields of the message, every word at once', () => {
    expect(ids('type:request_vote')).toEqual([1, 2]);
    expect(ids('type:request_vote dest:n3')).toEqual([2]);
    expect(ids('fate:lost')).toEqual([2]);
    expect(ids('src:n1 to:n2')).toEqual([1, 4]);
  });

  it('matches a field of the body by number or text, and skips bodies that are not JSON', () => {
    expect(ids('term=3')).toEqual([1, 2, 3]);
    expect(ids('candidate=n1 dest:n2')).toEqual([1]);
    expect(ids('term=4')).toEqual([4]);
  });

  it('matches a bare word against the type, the endpoints and the body', () => {
    expect(ids('vote')).toEqual([1, 2, 3]);
    expect(ids('n3')).toEqual([2, 5]);
    expect(ids('granted')).toEqual([3]);
  });

  it('counts all matches, gives them in send order with their time, and stops at the limit', () => {
    const found = findMessages(db, runId, 'n1', 2);
    expect(found.total).toBe(5);
    expect(found.matches).toEqual([
      { id: 1, src: 'n1', dest: 'n2', type: 'request_vote', tMs: 1 },
      { id: 2, src: 'n1', dest: 'n3', type: 'request_vote', tMs: 1.1 },
    ]);
  });

  it('refuses an empty search or an unknown field, naming it', () => {
    expect(() => findMessages(db, runId, '  ', 10)).toThrow(QueryError);
    expect(() => findMessages(db, runId, 'color:red', 10)).toThrow(/unknown field "color:"/);
    expect(() => findMessages(db, runId, 'a b=1', 10)).not.toThrow();
    expect(queryWords('type:vote "two words" x=1')).toEqual(['type:vote', '"two words"', 'x=1']);
  });
});
