import { describe, it, expect } from 'vitest';
import { checkLeaderPerTerm } from '../../core/checks/leader-per-term.js';
import { checkCommittedNotLost, checkReplicatedLogs, type ApplyRecord } from '../../core/checks/replication.js';

describe('checkLeaderPerTerm', () => {
  const role = (node: string, tUs: number, role: string, term: number) => ({ node, tUs, kind: 'role', data: { role, term } });

  it('passes one leader per term, re-announcements and other roles included', () => {
    const events = [
      role('n1', 1, 'candidate', 1),
      role('n1', 2, 'leader', 1),
      role('n1', 3, 'leader', 1),
      role('n2', 4, 'candidate', 2),
      role('n1', 5, 'follower', 2),
      role('n2', 6, 'leader', 2),
      { node: 'n3', tUs: 7, kind: 'leader', data: { leader: 'n2', term: 2 } },
    ];
    expect(checkLeaderPerTerm(events)).toEqual({ valid: true, terms: 2, leaders: 2, violatingTerms: 0, violations: [] });
  });

  it('fails two leaders in one term', () => {
    const events = [role('n1', 1, 'leader', 3), role('n3', 2, 'leader', 3), role('n2', 3, 'leader', 4), role('n1', 4, 'leader', 5)];
    expect(checkLeaderPerTerm(events)).toEqual({ valid: false, terms: 3, leaders: 4, violatingTerms: 1, violations: [{ term: 3, nodes: ['n1', 'n3'] }] });
  });
});

describe('replication checks', () => {
  const apply = (node: string, tUs: number, index: number, digest: string, term = 1): ApplyRecord => ({ node, tUs, index, term, digest });
  const agreeing = [apply('n1', 1, 1, 'a'), apply('n2', 2, 1, 'a'), apply('n1', 3, 2, 'b'), apply('n3', 4, 1, 'a'), apply('n1', 5, 3, 'c')];

  it('passes replicas that applied the same entries', () => {
    expect(checkReplicatedLogs(agreeing)).toEqual({ valid: true, indexesChecked: 1, conflicts: 0, violations: [] });
    expect(checkCommittedNotLost(agreeing)).toEqual({ valid: true, indexesChecked: 3, lost: 0, violations: [] });
  });

  it('fails replicas that applied different entries at one index', () => {
    const result = checkReplicatedLogs([...agreeing, apply('n2', 6, 2, 'x', 2)]);
    expect(result).toMatchObject({ valid: false, indexesChecked: 2, conflicts: 1 });
    expect(result.violations).toEqual([
      { index: 2, entries: [{ node: 'n1', tUs: 3, term: 1, digest: 'b' }, { node: 'n2', tUs: 6, term: 2, digest: 'x' }] },
    ]);
  });

  it('counts an applied entry that a later apply replaces as lost (async primary-backup failover)', () => {
    // The old primary n1 applied index 2 = 'b'; the new primary n2 never got it and reuses index 2.
    const failover = [...agreeing, apply('n2', 10, 2, 'y', 2), apply('n1', 11, 2, 'y', 2), apply('n3', 12, 2, 'y', 2)];
    const lost = checkCommittedNotLost(failover);
    expect(lost).toEqual({
      valid: false,
      indexesChecked: 3,
      lost: 1,
      violations: [{ index: 2, applied: { node: 'n1', tUs: 3, term: 1, digest: 'b' }, replacedBy: { node: 'n2', tUs: 10, term: 2, digest: 'y' } }],
    });
    // After the truncation every replica holds 'y': the logs agree, yet an entry was lost.
    expect(checkReplicatedLogs(failover)).toMatchObject({ valid: true, indexesChecked: 2, conflicts: 0 });
  });
});

describe('committed-not-lost with commit indexes', () => {
  const apply = (node: string, tUs: number, index: number, digest: string) => ({ node, tUs, index, term: 1, digest });

  it('lets a backup lose an entry its primary never committed', () => {
    const applies = [apply('n1', 10, 1, 'a'), apply('n2', 12, 1, 'a'), apply('n2', 20, 2, 'b'), apply('n3', 40, 2, 'c')];
    // n1 (primary) committed only index 1; n2 applied index 2 as a backup; n3, the next primary, wrote another index 2.
    const commits = [{ node: 'n1', tUs: 15, commitIndex: 1 }];
    expect(checkCommittedNotLost(applies, commits)).toMatchObject({ valid: true, lost: 0 });
    expect(checkCommittedNotLost(applies)).toMatchObject({ valid: false, lost: 1 });
  });

  it('fails when a committed entry is replaced', () => {
    // Two primaries each committed their own entry at index 1: one of the writes is lost.
    const applies = [apply('n1', 10, 1, 'a'), apply('n3', 40, 1, 'z')];
    const commits = [{ node: 'n1', tUs: 11, commitIndex: 1 }, { node: 'n3', tUs: 41, commitIndex: 1 }];
    expect(checkCommittedNotLost(applies, commits)).toMatchObject({ valid: false, lost: 1 });
  });
});

describe('a commit index reported after an entry was replaced', () => {
  it('does not make the replaced entry committed', () => {
    const apply = (node: string, tUs: number, index: number, digest: string) => ({ node, tUs, index, term: 1, digest });
    // n3 applied index 5 uncommitted, was cut off, then resynced to n2's index 5 and learnt commit 5.
    const applies = [apply('n3', 10, 5, 'old'), apply('n2', 30, 5, 'new'), apply('n3', 50, 5, 'new')];
    const commits = [{ node: 'n2', tUs: 31, commitIndex: 5 }, { node: 'n3', tUs: 60, commitIndex: 5 }];
    expect(checkCommittedNotLost(applies, commits)).toMatchObject({ valid: true, lost: 0 });
  });
});

describe('logs agree on committed indexes', () => {
  it('ignores a cut-off primary whose uncommitted entries diverge', () => {
    const apply = (node: string, tUs: number, index: number, digest: string) => ({ node, tUs, index, term: 1, digest });
    const applies = [apply('n1', 10, 1, 'a'), apply('n2', 11, 1, 'a'), apply('n3', 12, 1, 'x')];
    const commits = [{ node: 'n1', tUs: 20, commitIndex: 1 }, { node: 'n2', tUs: 21, commitIndex: 1 }];
    expect(checkReplicatedLogs(applies, commits)).toMatchObject({ valid: true, indexesChecked: 1 });
    expect(checkReplicatedLogs(applies)).toMatchObject({ valid: false, conflicts: 1 });
  });
});
