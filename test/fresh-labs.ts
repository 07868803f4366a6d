// Labs on fresh databases for one test file, closed after each test, and the error payload
// a refused call rejects with.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { Lab } from '../core/api/lab.js';
import { ApiError } from '../core/api/errors.js';
import type { ApiErrorPayload } from '../core/api/contract.js';

export const PRESETS_DIR = join(import.meta.dirname, '../resources/experiments');

/** A function that opens a Lab on a new database in a temporary folder; every Lab it opened is closed after each test. */
export function freshLabs(): (presetsDir?: string) => { lab: Lab; dbPath: string } {
  const labs: Lab[] = [];
  afterEach(async () => {
    await Promise.all(labs.splice(0).map((lab) => lab.close()));
  });
  return (presetsDir = PRESETS_DIR) => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'distlab-lab-')), 'runs.db');
    const lab = new Lab({ dbPath, shell: 'browser', presetsDir });
    labs.push(lab);
    return { lab, dbPath };
  };
}

/** The error payload a call rejects with. */
export async function errorOf(promise: Promise<unknown>): Promise<ApiErrorPayload> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).payload;
  }
  throw new Error('expected the call to fail');
}
