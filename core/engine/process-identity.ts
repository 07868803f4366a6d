// A pid alone is not an identity: the OS reuses pids. A pid plus the process's start time is,
// so that pair is what we record, and what we check before ever signalling a process.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The start time of a living process, as an opaque string to compare for equality, or null
 * when there is no such process. Linux: clock ticks since boot; elsewhere: `ps -o lstart`.
 */
export function processStartTime(pid: number): string | null {
  // 0 and negative pids name process groups for kill(); never treat them as a process.
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return process.platform === 'linux' ? linuxStartTime(pid) : psStartTime(pid);
}

/** True only when pid is alive and is the process that started at startTime. */
export function isSameProcessAlive(pid: number, startTime: string | null): boolean {
  // Without a recorded start time the pid cannot be verified, and an unverified pid is never ours.
  if (startTime === null) return false;
  return processStartTime(pid) === startTime;
}

function linuxStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  return parseProcStatStartTime(stat);
}

/**
 * Field 22 of /proc/<pid>/stat. Field 2 is the command name in parentheses and may itself
 * contain spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStatStartTime(stat: string): string | null {
  const commEnd = stat.lastIndexOf(')');
  if (commEnd < 0) return null;
  // After the comm: field 3 (state) onwards.
  const fields = stat.slice(commEnd + 2).split(' ');
  const state = fields[0];
  // A zombie (Z) or dead (X) process has exited; only its pid is still held.
  if (state === 'Z' || state === 'X') return null;
  const startTime = fields[22 - 3];
  return startTime !== undefined && /^\d+$/.test(startTime) ? startTime : null;
}

function psStartTime(pid: number): string | null {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? null : out;
  } catch {
    // ps exits non-zero when there is no such process.
    return null;
  }
}
