// The compile stage's contract: what it takes and what it returns (compile/index.ts runs it).
import type { Logger } from '../logger';
import type { Composition, EngineDiagnostic } from '../model';

export interface CompileInput {
  entryFile: string;
  /** Unsaved editor text wins over the disk (language server); return undefined to read the disk. */
  readOverlay?: (absolutePath: string) => string | undefined;
  /** Probe media without data-duration with ffprobe (default true). */
  probeMedia?: boolean;
  /** Durations the browser resolved for sub-composition hosts (host clip id → seconds): the recompile. */
  resolvedDurations?: Record<string, number>;
  /**
   * A render's variable values (--variables, a batch row), merged over the top-level composition's declared
   * defaults; they reach the page, not the composition's size, fps or duration.
   */
  variables?: Readonly<Record<string, unknown>>;
  /** Overrides the root's data-fps (the render's --fps). */
  fps?: number;
  /**
   * The ffmpeg the user chose (setting or --ffmpeg): media are measured with the ffprobe beside it, the one
   * the rest of the job uses. Passed explicitly; nothing reads it from the process environment behind a caller's back.
   */
  ffmpegPath?: string;
  /** The editor's hyperframesLive.lint.rules: override the project's hyperframes.json "lint.rules". */
  lintRules?: Readonly<Record<string, 'off' | 'info' | 'warning' | 'error'>>;
  /**
   * Lint the entry as a sub-composition even without a <template> wrapper: a file under compositions/ checked
   * on its own (the reference's lint treats every such file so), or a fragment whose template the editor blanked.
   */
  asSubComposition?: boolean;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Lines [compiledStartLine, compiledEndLine) of the compiled page (0-based, end exclusive) were written
 * in `file` from `sourceStartLine` (0-based) on, one for one.
 */
export interface CompiledLineMapping {
  compiledStartLine: number;
  compiledEndLine: number;
  file: string;
  sourceStartLine: number;
}

export interface CompileResult {
  composition: Composition;
  diagnostics: EngineDiagnostic[];
  compileMs: number;
  /** Where each line of `composition.compiledHtml` comes from (sub-compositions are spliced in). */
  lineMap?: CompiledLineMapping[];
}
