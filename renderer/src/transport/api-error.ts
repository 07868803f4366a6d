import type { ApiErrorCode, ApiErrorPayload, Problem } from '../../../core/api/contract.js';

/** An API call that failed; `kind: 'input'` means what was sent was wrong (see `problems`). */
export class ApiCallError extends Error {
  readonly kind: ApiErrorPayload['kind'];
  readonly problems: Problem[];
  /** Set when the caller can act on the error, e.g. `export-files-exist`: ask, then call again with overwrite. */
  readonly code: ApiErrorCode | undefined;
  /** With `export-files-exist`: the files that would be replaced. */
  readonly files: string[];

  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.kind = payload.kind;
    this.problems = payload.problems ?? [];
    this.code = payload.code;
    this.files = payload.files ?? [];
  }
}
