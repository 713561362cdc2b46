/**
 * How many new renders one request may start. The document's `effect` fields are bounded
 * by a validation rule (query-limits.ts), but one field runs once per object it is selected
 * on (`assets { segmentations { effect } }`, a fragment under several aliases): the budget
 * counts renders as they are started, cache hits free, and refuses the ones past it.
 */
import { AppError } from '../errors.js';

/** New renders per request: a page of previews, not a render storm. */
export const MAX_RENDERS_PER_REQUEST = 8;

export class RenderBudget {
  private started = 0;

  constructor(private readonly limit = MAX_RENDERS_PER_REQUEST) {}

  /** @throws AppError QUERY_TOO_COMPLEX once `limit` renders have started in this request. */
  take(): void {
    if (this.started >= this.limit) {
      throw new AppError(
        'QUERY_TOO_COMPLEX',
        `This request has started ${this.limit} renders, the most one request may; ask for the rest in another request (or with renderEffect)`,
      );
    }
    this.started += 1;
  }
}
