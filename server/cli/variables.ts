// `render --variables JSON` / `--variables-file F` / `--strict-variables`: the values a render gives the
// composition's declared variables (merged over the defaults by the compile stage), and their check against
// the declaration (compile/variables.ts holds the one type rule). A problem is a warning, or with
// --strict-variables a failure of the render; the values never change the video's size, fps or duration.
import fs from 'node:fs';
import path from 'node:path';
import { compile } from '../engine/compile';
import { describeVariableProblem, validateVariableValues } from '../engine/compile/variables';
import { StageError } from '../engine/errors';
import type { Logger } from '../engine/logger';
import type { CompositionVariable } from '../engine/model';
import { UsageError } from './args';

export const INVALID_VARIABLES_CODE = 'invalid-variables';

/** Values for variables: a JSON object, else a usage error naming where it came from. */
export function parseVariablesObject(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${source} must be a JSON object of values by variable id, such as '{"title":"Hi"}'.`);
  }
  return parsed as Record<string, unknown>;
}

/** --variables and --variables-file (not both); undefined when neither is given. */
export function readVariablesFlags(inline: string | undefined, file: string | undefined): Record<string, unknown> | undefined {
  if (inline !== undefined && file !== undefined) throw new UsageError('--variables and --variables-file are two ways to give the same values: use one.');
  if (inline !== undefined) return parseVariablesObject(inline, '--variables');
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new UsageError(`--variables-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return parseVariablesObject(text, `--variables-file ${file}`);
}

/**
 * The top-level composition's declarations, from a compile without media probes. A composition that does
 * not compile declares nothing here: the render itself reports why it cannot start.
 */
export async function loadDeclarations(entryFile: string): Promise<CompositionVariable[]> {
  return compile({ entryFile, probeMedia: false }).then(result => result.composition.variables, () => []);
}

/** One line per problem of `values` against the declaration (empty: nothing to say). */
export function variableProblems(values: Record<string, unknown>, declarations: readonly CompositionVariable[]): string[] {
  return validateVariableValues(values, declarations).map(describeVariableProblem);
}

/** The failure a --strict-variables render ends with, before anything is captured. */
export class VariablesRejectedError extends StageError {
  constructor(readonly problems: string[]) {
    super('compile', `The variables do not match the composition's declaration (--strict-variables): ${problems.join(' ')}`, INVALID_VARIABLES_CODE);
    this.name = 'VariablesRejectedError';
  }
}

/**
 * The render's values checked against the declaration: each problem is logged as a warning, or with
 * --strict-variables they reject the render.
 */
export async function reviewVariables(entryFile: string, values: Record<string, unknown> | undefined, strict: boolean, logger: Logger): Promise<void> {
  if (!values) return;
  const problems = variableProblems(values, await loadDeclarations(entryFile));
  if (problems.length > 0 && strict) throw new VariablesRejectedError(problems);
  for (const problem of problems) logger.warn(`variables: ${problem}`);
}
