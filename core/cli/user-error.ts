import { ExperimentError } from '../experiment/load.js';
import { DatabaseError } from '../store/database.js';
import { RunNotFoundError } from '../store/queries.js';

/** Bad input from the user: printed as one clear message, exit code 2, no stack trace. */
export class UserError extends Error {}

export function isUserError(error: unknown): error is Error {
  return error instanceof UserError || error instanceof ExperimentError || error instanceof DatabaseError || error instanceof RunNotFoundError;
}

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, interrupted: 130 } as const;
