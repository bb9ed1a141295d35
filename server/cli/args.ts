// Command-line arguments for every subcommand: Node's own parser (strict: unknown flags are usage errors)
// plus typed numbers, so `check` and `render` read flags the same way.
import { parseArgs as parseNodeArgs } from 'node:util';

/** Exit code for a command line that cannot be understood (bad flag, missing argument). */
export const USAGE_EXIT_CODE = 2;

export type FlagKind = 'boolean' | 'string' | 'number';

export interface FlagSpec {
  kind: FlagKind;
  /** One-letter alias: `-o`. */
  short?: string;
  /** Numbers: the smallest and the largest value accepted. */
  min?: number;
  max?: number;
  /** Numbers: only integers. */
  integer?: boolean;
  /** Strings: the values accepted. */
  choices?: readonly string[];
}

type FlagValue<K extends FlagKind> = K extends 'boolean' ? boolean : K extends 'number' ? number : string;

export type ParsedFlags<S extends Record<string, FlagSpec>> = { [Name in keyof S]?: FlagValue<S[Name]['kind']> };

export interface ParsedArgs<S extends Record<string, FlagSpec>> {
  positionals: string[];
  flags: ParsedFlags<S>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs<S extends Record<string, FlagSpec>>(argv: string[], spec: S): ParsedArgs<S> {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const [name, flag] of Object.entries(spec)) {
    options[name] = { type: flag.kind === 'boolean' ? 'boolean' : 'string', ...(flag.short ? { short: flag.short } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({ args: argv, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '.') : String(error));
  }
  const flags: Record<string, string | number | boolean> = {};
  for (const [name, flag] of Object.entries(spec)) {
    const raw = parsed.values[name];
    if (raw === undefined) continue;
    if (flag.kind === 'number') flags[name] = toNumber(name, String(raw), flag);
    else if (flag.kind === 'string' && flag.choices && !flag.choices.includes(String(raw))) {
      throw new UsageError(`--${name} must be one of ${flag.choices.join(', ')} (got "${String(raw)}").`);
    } else flags[name] = raw;
  }
  return { positionals: parsed.positionals, flags: flags as ParsedFlags<S> };
}

function toNumber(name: string, raw: string, flag: FlagSpec): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number (got "${raw}").`);
  if (flag.integer && !Number.isInteger(value)) throw new UsageError(`--${name} needs a whole number (got "${raw}").`);
  if (flag.min !== undefined && value < flag.min) throw new UsageError(`--${name} must be at least ${flag.min} (got ${raw}).`);
  if (flag.max !== undefined && value > flag.max) throw new UsageError(`--${name} must be at most ${flag.max} (got ${raw}).`);
  return value;
}
