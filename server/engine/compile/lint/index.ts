// The reference's lint rules, run by the compile stage on every compile (so the language server shows them
// as the author types): one pass per source file of the composition, reporting into the compile stage's
// own sink, so there is one diagnostics pipeline. Where the compile stage already says the same thing it
// says it under the reference's code (see codes.ts), and nothing is reported twice.
import type { DiagnosticSink } from '../diagnostics';
import type { ClipDraft, Scope } from '../drafts';
import type { SourceFile } from '../parseHtml';
import { buildLintFile, LintReporter, type LintFile, type LintProject } from './context';
import { lintGsap } from './rules/gsap';
import { lintDuplicateAudioTracks, lintMedia } from './rules/media';
import { lintMissingNoTimeline, lintScriptCode, lintTimelineRegistry } from './rules/scripts';
import { lintMultipleRoots, lintStructure } from './rules/structure';
import { lintStyles } from './rules/styles';

export { applyRuleSettings, mergeRuleSettings, parseRuleSettings, projectRuleSettings, type LintRuleSettings } from './severity';
export { errorBlocksRender, isLintCode, LINT_RULES, type LintCode } from './codes';

export interface LintInput {
  entry: SourceFile;
  /** The entry is a sub-composition file compiled on its own. */
  entryIsSubComposition: boolean;
  scopes: readonly Scope[];
  clips: readonly ClipDraft[];
  compositionIds: ReadonlySet<string>;
  projectRoot: string;
}

/** Our own codes that say what a reference rule says: reported under the reference's code and severity. */
const SAME_AS_REFERENCE = { 'font-not-bundled': 'font_family_without_font_face' } as const;

export function runLint(sink: DiagnosticSink, input: LintInput): void {
  const files: LintFile[] = [];
  for (const file of new Set([input.entry, ...input.scopes.map(scope => scope.file)])) {
    files.push(buildLintFile(file, file !== input.entry || input.entryIsSubComposition));
  }
  const project: LintProject = { entry: files[0], files, projectRoot: input.projectRoot, clips: input.clips, compositionIds: input.compositionIds };
  const reporters = new Map(files.map(lint => [lint, new LintReporter(sink, lint)]));
  const reported = [...sink.diagnostics];
  for (const [lint, report] of reporters) {
    lintStructure(report, lint);
    lintMedia(report, lint);
    lintStyles(report, lint);
    lintGsap(report, lint);
    lintScriptCode(report, lint);
    lintTimelineRegistry(report, lint, reported);
    lintMissingNoTimeline(report, lint);
  }
  lintMultipleRoots(reporters.get(project.entry)!, project.entry);
  lintDuplicateAudioTracks(reporters, project);
  for (const diagnostic of sink.diagnostics) {
    const code = SAME_AS_REFERENCE[diagnostic.code as keyof typeof SAME_AS_REFERENCE];
    if (code) {
      diagnostic.code = code;
      diagnostic.severity = 'error';
    }
  }
}
