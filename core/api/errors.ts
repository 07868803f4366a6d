// Errors cross the transports as data (ApiErrorPayload). Handlers throw ApiError; anything
// else that escapes a handler is reported as an internal error with its message.
import type { ApiErrorPayload, Problem } from './contract.js';
import { ExperimentError } from '../experiment/load.js';
import { DatabaseError } from '../store/database.js';
import { RunNotFoundError } from '../store/queries.js';

export class ApiError extends Error {
  readonly payload: ApiErrorPayload;

  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.payload = payload;
  }

  /** The caller sent something wrong; `problems` name the fields. */
  static input(message: string, problems?: Problem[]): ApiError {
    return new ApiError({ kind: 'input', message, ...(problems && { problems }) });
  }
}

/** The payload for any error thrown by a handler: the user's mistakes are 'input', the rest 'internal'. */
export function errorPayload(error: unknown): ApiErrorPayload {
  if (error instanceof ApiError) return error.payload;
  if (error instanceof ExperimentError) return { kind: 'input', message: error.message, problems: error.problems };
  if (error instanceof RunNotFoundError) return { kind: 'input', message: error.message, problems: [{ path: 'runId', message: error.message }] };
  if (error instanceof DatabaseError) return { kind: 'internal', message: error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}
