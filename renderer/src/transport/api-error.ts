import type { ApiErrorPayload, Problem } from '../../../core/api/contract.js';

/** An API call that failed; `kind: 'input'` means what was sent was wrong (see `problems`). */
export class ApiCallError extends Error {
  readonly kind: ApiErrorPayload['kind'];
  readonly problems: Problem[];

  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.kind = payload.kind;
    this.problems = payload.problems ?? [];
  }
}
