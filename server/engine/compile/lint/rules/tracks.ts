// timeline_track_too_dense: the reference asks that one HTML file keep at most a few timed elements on one
// track, so a timeline stays small enough to read and diff (it suggests sub-compositions instead). Media,
// caption cues and composition roots or mounts do not count, as in the reference.
import type { SourceAttribute } from '../../parseHtml';
import type { LintFile, LintReporter } from '../context';

/** The reference's limit (MAX_TIMED_ELEMENTS_PER_TRACK): a fourth timed element on one track is reported. */
export const MAX_TIMED_ELEMENTS_PER_TRACK = 3;
const EXEMPT_TAGS = new Set(['audio', 'script', 'style', 'video']);
const CAPTION_CUE = /^(?:caption(?:[-_](?:group|word|line|block|cue|text))?|subtitle(?:[-_](?:group|line|cue|text))?|cg-.+)$/i;

export function lintTrackDensity(report: LintReporter, lint: LintFile): void {
  const tracks = new Map<string, SourceAttribute[]>();
  for (const element of lint.elements) {
    if (EXEMPT_TAGS.has(element.tagName) || !element.attrs.get('data-start')?.value.trim()) continue;
    if (element.attrs.has('data-composition-id') || element.attrs.has('data-composition-src')) continue;
    const names = [...(element.attrs.get('class')?.value ?? '').split(/\s+/), element.attrs.get('id')?.value ?? ''];
    if (names.some(name => name && CAPTION_CUE.test(name))) continue;
    const track = element.attrs.get('data-track-index');
    if (!track?.value.trim()) continue;
    const list = tracks.get(track.value.trim()) ?? [];
    list.push(track);
    tracks.set(track.value.trim(), list);
  }
  for (const [track, attributes] of tracks) {
    if (attributes.length <= MAX_TIMED_ELEMENTS_PER_TRACK) continue;
    // On the first element past the limit: where the file became too dense to read.
    report.atValue(attributes[MAX_TIMED_ELEMENTS_PER_TRACK], 'timeline_track_too_dense',
      `Track ${track} has ${attributes.length} timed elements in this HTML file. Smaller sub-compositions keep timelines easier to read, iterate on, and diff.`,
      lint.isSubComposition
        ? 'Move coherent scene groups into smaller .html files and mount them from the parent with data-composition-src.'
        : 'Move coherent scene groups into separate .html files under compositions/ and mount them from the parent with data-composition-src.',
      { track, count: attributes.length });
  }
}
