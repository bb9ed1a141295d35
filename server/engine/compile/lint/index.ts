// The reference's lint rules, run by the compile stage on every compile (so the language server shows them
// as the author types): one pass per source file of the composition, reporting into the compile stage's
// own sink, so there is one diagnostics pipeline. Where the compile stage already says the same thing it
// says it under the reference's code (see codes.ts), and nothing is reported twice.
import type { DiagnosticSink } from '../diagnostics';
import type { ClipDraft, Scope } from '../drafts';
import type { SourceFile } from '../parseHtml';
import { buildLintFile, LintReporter, type LintFile, type LintProject } from './context';
import { lintGsap } from './rules/gsap';
import { lintMissingHtmlWrapper, lintVisibleMarkupComments } from './rules/markup';
import { lintDuplicateAudioTracks, lintDuplicateMedia, lintMedia, lintMediaPlacement, lintMediaSrcKind } from './rules/media';
import { lintMissingGsapScript, lintMissingNoTimeline, lintMissingRuntimeScripts, lintSplitAttributeSelectors, lintScriptCode, lintTimelineRegistry } from './rules/scripts';
import { lintDeprecatedTiming, lintDigitIds, lintDuplicateCompositionIds, lintDurationDerived, lintHeavyOverlays, lintRootInTemplate, lintUnbalancedStyleTags, lintMultipleRoots, lintNestedClipsNeverVisible, lintRootStyledByClass, lintSlotBlanksBeforeHost, lintStructure } from './rules/structure';
import { lintAssets } from './rules/assets';
import { lintStyles } from './rules/styles';
import { lintTrackDensity } from './rules/tracks';
import { lintAudioGroups, lintDoubleSources, lintLinkedClips, lintSpeedRamps, lintUnplayedAudioFiles, renameDuplicateMediaIds } from './rules/audio';
import { lintBlankRoot, lintCanvasZoom, lintMissingDurationSource, lintRootDimensions, lintSlideshow, lintUnclosedTags } from './rules/canvas';
import { lintCaptions } from './rules/captions';
import { lintCssRules } from './rules/cssRules';
import { lintTextureMaskFiles, lintTextures } from './rules/textures';
import { lintScriptSyntax } from './rules/scriptSyntax';
import { lintGsapTimelines } from './rules/gsapTimeline';
import { lintGsapValues } from './rules/gsapValues';
import { lintAudioReactiveSingleTween, lintMediaScripts, lintVolumeTweens } from './rules/mediaScripts';
import { lintShaders } from './rules/shaders';
import { lintSvgMeasure } from './rules/svgMeasure';
import { lintRuntimeHiddenStyle } from './rules/hiddenStyle';

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
  const traversals = new Set<string>();
  for (const [lint, report] of reporters) {
    lintStructure(report, lint);
    lintMedia(report, lint);
    lintStyles(report, lint);
    lintGsap(report, lint);
    lintScriptCode(report, lint);
    lintTimelineRegistry(report, lint, reported);
    lintMissingNoTimeline(report, lint);
    lintMissingGsapScript(report, lint);
    lintDuplicateCompositionIds(report, lint);
    lintDeprecatedTiming(report, lint);
    lintSlotBlanksBeforeHost(report, lint);
    lintRootStyledByClass(report, lint);
    lintHeavyOverlays(report, lint);
    lintDurationDerived(report, lint);
    lintMissingRuntimeScripts(report, lint);
    lintMediaPlacement(report, lint);
    lintUnbalancedStyleTags(report, lint);
    lintRootInTemplate(report, lint, input.projectRoot);
    lintDigitIds(report, lint);
    lintSplitAttributeSelectors(report, lint);
    lintDuplicateMedia(report, lint);
    lintMediaSrcKind(report, lint);
    lintNestedClipsNeverVisible(report, lint, input.clips);
    lintMissingHtmlWrapper(report, lint);
    lintVisibleMarkupComments(report, lint);
    lintTrackDensity(report, lint);
    lintMarkupAndMedia(report, lint, input.projectRoot);
    renameDuplicateMediaIds(lint, sink.diagnostics);
    lintScriptSyntax(report, lint);
    lintGsapTimelines(report, lint, reported);
    lintGsapValues(report, lint);
    lintMediaScripts(report, lint);
    lintRuntimeHiddenStyle(report, lint);
    lintVolumeTweens(report, lint);
    lintAudioReactiveSingleTween(report, lint);
    lintShaders(report, lint);
    lintSvgMeasure(report, lint);
    for (const found of lintAssets(report, lint, input.projectRoot)) traversals.add(`${lint.file.path}\0${found.start}`);
  }
  lintMultipleRoots(reporters.get(project.entry)!, project.entry);
  lintDuplicateAudioTracks(reporters, project);
  lintUnplayedAudioFiles(reporters.get(project.entry)!, project);
  // A path that leaves the project is the reference's invalid_parent_traversal_in_asset_path, said once on its value.
  const sourceFiles = new Map(project.files.map(lint => [lint.file.path, lint.file]));
  for (let i = sink.diagnostics.length - 1; i >= 0; i--) {
    const diagnostic = sink.diagnostics[i];
    const file = sourceFiles.get(diagnostic.file);
    if (diagnostic.code === 'path-outside-project' && file && traversals.has(`${diagnostic.file}\0${file.lines.offsetAt(diagnostic.range.start)}`)) sink.diagnostics.splice(i, 1);
  }
  for (const diagnostic of sink.diagnostics) {
    const code = SAME_AS_REFERENCE[diagnostic.code as keyof typeof SAME_AS_REFERENCE];
    if (code) {
      diagnostic.code = code;
      diagnostic.severity = 'error';
    }
  }
}

/** The markup, CSS, audio-group, linked-clip, caption, texture and slideshow rules of one file. */
function lintMarkupAndMedia(report: LintReporter, lint: LintFile, projectRoot: string): void {
  lintRootDimensions(report, lint);
  lintCanvasZoom(report, lint);
  lintMissingDurationSource(report, lint);
  lintBlankRoot(report, lint, projectRoot);
  lintUnclosedTags(report, lint);
  lintSlideshow(report, lint);
  lintCssRules(report, lint);
  lintAudioGroups(report, lint);
  lintSpeedRamps(report, lint);
  lintLinkedClips(report, lint);
  lintDoubleSources(report, lint);
  lintCaptions(report, lint, projectRoot);
  lintTextures(report, lint);
  lintTextureMaskFiles(report, lint, projectRoot);
}
