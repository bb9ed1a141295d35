// The plan's typed errors. They are StageErrors (stage: compile, where a render starts), so every face that
// reports a render failure reports these too, under their stable codes.
import { StageError } from '../errors';

export type PlanErrorCode = 'plan-hash-mismatch' | 'tool-version-mismatch' | 'plan-invalid' | 'plan-too-large';

export class PlanError extends StageError {
  constructor(readonly planCode: PlanErrorCode, message: string, options?: { cause?: unknown }) {
    super('compile', message, planCode, [], options);
    this.name = 'PlanError';
  }
}
