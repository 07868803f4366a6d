// The record must be exact: the counts the switch kept while the run went on must equal
// the rows the database holds, fate by fate. A failure here is a bug in Distlab, never a
// lesson about the protocol under test.
import type Database from 'better-sqlite3';
import { fatesTotal, type MessageCounts } from '../engine/message-counts.js';
import { messageCounts } from '../store/queries.js';
import type { CheckResult } from './run-checks.js';

export function checkRecordConsistent(db: Database.Database, runId: number, counted: MessageCounts): CheckResult {
  const recorded = messageCounts(db, runId);
  const mismatches: string[] = [];
  for (const key of Object.keys(counted) as Array<keyof MessageCounts>) {
    if (counted[key] !== recorded[key]) mismatches.push(`${key}: counted ${counted[key]}, recorded ${recorded[key]}`);
  }
  const rows = recorded.sent + recorded.duplicated;
  if (fatesTotal(counted) !== counted.sent + counted.duplicated) {
    mismatches.push(`fates add up to ${fatesTotal(counted)}, but ${counted.sent} sent and ${counted.duplicated} copies make ${counted.sent + counted.duplicated}`);
  }
  if (recorded.unknownFates) mismatches.push(`rows with unknown fates: ${JSON.stringify(recorded.unknownFates)}`);
  return { valid: mismatches.length === 0, rows, mismatches };
}
