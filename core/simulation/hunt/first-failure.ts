// When a failing check first fails, in run ms: read from what the check's findings name (the
// out-of-order delivery, the replaced entry, the operation no order can place) or, for
// leader-per-term, from the recorded role events of the violating term's leaders. Null when
// the check names no time (a set or counter check judges the final reads as a whole).
import type Database from 'better-sqlite3';

type Details = Record<string, unknown>;

export function firstFailureMs(check: string, details: Details, db: Database.Database, runId: number): number | null {
  const us = firstFailureUs(check, details, db, runId);
  return us === null || !Number.isFinite(us) ? null : Math.round(us) / 1000;
}

function firstFailureUs(check: string, details: Details, db: Database.Database, runId: number): number | null {
  switch (check) {
    case 'leader-per-term':
      return secondLeaderUs(db, runId, violations(details));
    case 'causal-delivery':
      // Each violation is the delivery that broke the order (or delivered twice).
      return earliest(violations(details).map((v) => v.tUs));
    case 'committed-not-lost':
      // The committed entry is lost when another replaces it.
      return earliest(violations(details).map((v) => (v.replacedBy as Details | undefined)?.tUs));
    case 'logs-agree':
      // Two replicas disagree once the second of them applied its entry.
      return earliest(violations(details).map((v) => latest(((v.entries as Details[] | undefined) ?? []).map((e) => e.tUs))));
    case 'linearizability': {
      // The smallest prefix that cannot be linearized ends when its blocking operation completes.
      const failure = details.failure as { blockingOp?: { invokeUs?: number; completeUs?: number | null } } | undefined;
      return numberOrNull(failure?.blockingOp?.completeUs) ?? numberOrNull(failure?.blockingOp?.invokeUs);
    }
    default:
      return earliest(violations(details).map((v) => v.tUs));
  }
}

/** For the first violating term: when its second leader took office. */
function secondLeaderUs(db: Database.Database, runId: number, found: Details[]): number | null {
  const times = found.map((v) => {
    const rows = db
      .prepare("select node, min(t_us) as t from events where run_id = ? and kind = 'role' and json_extract(detail_json, '$.role') = 'leader' and json_extract(detail_json, '$.term') = ? group by node order by t")
      .all(runId, Number(v.term)) as Array<{ node: string; t: number }>;
    return rows.length > 1 ? rows[1].t : null;
  });
  return earliest(times);
}

function violations(details: Details): Details[] {
  return Array.isArray(details.violations) ? (details.violations as Details[]) : [];
}

function earliest(values: unknown[]): number | null {
  const numbers = values.map(numberOrNull).filter((v): v is number => v !== null);
  return numbers.length ? Math.min(...numbers) : null;
}

function latest(values: unknown[]): number | null {
  const numbers = values.map(numberOrNull).filter((v): v is number => v !== null);
  return numbers.length ? Math.max(...numbers) : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
