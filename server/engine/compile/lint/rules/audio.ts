// Audio and media-graph rules: audio groups (<hf-audio-group> buses) that no clip joins or that carry what
// belongs on clips, carves that list clips instead of a group, a speed-ramp lane on something that is not
// media, linked clips (data-link) that lost their partner or drifted apart, an audible video doubled by an
// <audio> of the same file, media ids written twice, and audio files in the project that nothing plays.
import fs from 'node:fs';
import path from 'node:path';
import type { EngineDiagnostic } from '../../../model';
import type { SourceAttribute, SourceElement } from '../../parseHtml';
import { compositionFiles } from '../compositionFiles';
import { describeElement, elementId, type LintFile, type LintProject, type LintReporter } from '../context';

const AUDIO_GROUP = 'hf-audio-group';
const GROUP_TIMING_ATTRS = ['data-start', 'data-duration', 'data-track-index'] as const;
/** The reference's list of audio files a project folder may hold. */
const AUDIO_EXTENSIONS = new Set(['.mp3', '.wav', '.aac', '.ogg', '.m4a', '.flac', '.opus']);
/** Linked clips within this many seconds of each other are in sync. */
const LINK_SYNC_TOLERANCE_S = 1e-3;
const LINKED_TIMING_FIELDS = [
  { field: 'start', attrs: ['data-start'], fallback: 0 },
  { field: 'duration', attrs: ['data-duration'], fallback: 0 },
  { field: 'media-start', attrs: ['data-playback-start', 'data-media-start'], fallback: 0 },
  { field: 'playback-rate', attrs: ['data-playback-rate'], fallback: 1 },
] as const;

const value = (element: SourceElement, name: string): string | undefined => element.attrs.get(name)?.value;

/** A video whose sound plays: not muted, and data-has-audio absent or "true". */
export function isAudibleVideo(element: SourceElement): boolean {
  if (element.tagName !== 'video' || element.attrs.has('muted')) return false;
  return !element.attrs.has('data-has-audio') || value(element, 'data-has-audio') === 'true';
}

/** The same test on a start tag's text (a file no compile has parsed). */
function isAudibleVideoTag(tag: string): boolean {
  if (/\smuted(?=[\s=/>])/i.test(tag)) return false;
  return !/\sdata-has-audio(?=[\s=/>])/i.test(tag) || /\sdata-has-audio\s*=\s*["']?true["'\s/>]/i.test(tag);
}

/** An attribute's start widened over the whitespace before it, so removing it leaves no double space. */
function withLeadingSpace(text: string, start: number): number {
  while (start > 0 && /[ \t\r\n]/.test(text[start - 1])) start--;
  return start;
}

const label = (element: SourceElement): string => {
  const id = elementId(element);
  return id ? `#${id}` : describeElement(element);
};

export function lintAudioGroups(report: LintReporter, lint: LintFile): void {
  const groups = lint.elements.filter(element => element.tagName === AUDIO_GROUP);
  const groupIds = new Set(groups.map(elementId).filter((id): id is string => id !== undefined));
  for (const element of lint.elements) {
    const carve = element.attrs.get('data-fx-carve');
    if (!carve || element.tagName === AUDIO_GROUP) continue;
    let parsed: unknown;
    try {
      parsed = carve.value.trim().startsWith('{') ? JSON.parse(carve.value) : undefined;
    } catch {
      continue;
    }
    const sources = (parsed as { sources?: unknown } | undefined)?.sources;
    if (!Array.isArray(sources)) continue;
    const clipIds = sources.filter((id): id is string => typeof id === 'string' && !groupIds.has(id));
    if (clipIds.length < 2) continue;
    const id = elementId(element);
    report.atValue(carve, 'audio_carve_ungrouped_sources',
      `${id ? `#${id}'s` : 'This'} carve names ${clipIds.length} voice clips directly (${clipIds.join(', ')}) instead of a group.`,
      'Group the voice clips (an <hf-audio-group> they join with data-audio-group) and carve against the group: a hand-written clip list silently rots when a clip is added.',
      { elementId: id });
  }
  if (groups.length === 0) return;
  const memberGroups = new Set(lint.elements
    .filter(element => element.tagName === 'audio' || isAudibleVideo(element))
    .map(element => value(element, 'data-audio-group'))
    .filter((id): id is string => Boolean(id)));
  // A host mounts a file whose clips may join this file's buses: membership cannot be judged here.
  const mayHaveOtherMembers = lint.elements.some(element => Boolean(value(element, 'data-composition-src')));
  const unmatched = [...memberGroups].filter(id => !groupIds.has(id));
  for (const group of groups) {
    const id = elementId(group);
    const present = GROUP_TIMING_ATTRS.map(name => group.attrs.get(name)).filter((attr): attr is SourceAttribute => attr !== undefined);
    if (present.length > 0) {
      const names = present.map(attr => `\`${attr.name}\``).join(', ');
      report.atAttribute(present[0], 'audio_group_timing_attrs',
        `${id ? `#${id}` : 'This audio group'} carries ${names}, which a bus has no use for: its members carry the timing, and its automation runs on composition time.`,
        `Remove ${names} from the group element.`,
        { elementId: id, edits: present.map(attr => ({ range: report.range(withLeadingSpace(lint.file.text, attr.start), attr.end), text: '' })) });
    }
    const carve = group.attrs.get('data-fx-carve');
    if (carve) {
      report.atAttribute(carve, 'audio_group_carve_attr',
        `${id ? `#${id}` : 'This audio group'} carries \`data-fx-carve\`, which belongs on the clip being carved: a bus has no audio of its own to level-match against, and a carve here stacks with any its members already have.`,
        'Remove `data-fx-carve` (and the `fromCarve` nodes it wrote into this bus\'s `data-fx-chain`), and carve the bed clip instead.',
        { elementId: id });
    }
    if (!id || memberGroups.has(id) || mayHaveOtherMembers) continue;
    const others = unmatched.filter(other => other !== id);
    report.atTagName(group, 'audio_group_no_members',
      `#${id} is an audio group no clip belongs to, so its fader, effect chain and automation are dropped.${others.length > 0 ? ` Clips in this file name ${others.map(other => `"${other}"`).join(', ')} instead.` : ''}`,
      `Add \`data-audio-group="${id}"\` to the clips this bus is for, or delete the bus.`, { elementId: id });
  }
}

/** A speed-ramp (rate) automation lane retimes only <video>/<audio>. */
export function lintSpeedRamps(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    if (element.tagName === 'video' || element.tagName === 'audio') continue;
    const automation = element.attrs.get('data-automation');
    if (!automation || !/"target"\s*:\s*"rate"/.test(automation.value)) continue;
    report.atAttribute(automation, 'speed_ramp_on_non_media',
      `<${element.tagName}> has a speed-ramp lane, but only <video> and <audio> clips can be retimed: the lane does nothing here.`,
      'Move the rate lane onto the <video> or <audio> clip, or retime an animation with a GSAP timeline instead.',
      { elementId: elementId(element) });
  }
}

function timingField(element: SourceElement, attrs: readonly string[], fallback: number): number {
  for (const name of attrs) {
    const raw = value(element, name);
    if (raw === undefined || raw.trim() === '') continue;
    const number = Number(raw);
    if (Number.isFinite(number)) return number;
  }
  return fallback;
}

/** The nearest enclosing composition (its root or a host): links pair clips within one composition only. */
function compositionOf(element: SourceElement): SourceElement | undefined {
  for (let parent = element.parent; parent; parent = parent.parent) {
    if (parent.attrs.has('data-composition-id') || parent.attrs.has('data-composition-file')) return parent;
  }
  return undefined;
}

/** Clips linked by data-link are edited as one: a lone member, or members whose timing differs. */
export function lintLinkedClips(report: LintReporter, lint: LintFile): void {
  const groups = new Map<SourceElement | undefined, Map<string, SourceElement[]>>();
  for (const element of lint.elements) {
    const link = value(element, 'data-link');
    if (!link) continue;
    const scope = compositionOf(element);
    const byLink = groups.get(scope) ?? new Map<string, SourceElement[]>();
    groups.set(scope, byLink);
    byLink.set(link, [...byLink.get(link) ?? [], element]);
  }
  for (const byLink of groups.values()) {
    for (const [link, members] of byLink) {
      const first = members[0];
      const attr = first.attrs.get('data-link')!;
      if (members.length === 1) {
        report.atAttribute(attr, 'linked_clip_orphan',
          `${label(first)} is the only clip with data-link="${link}": its linked partner is gone.`,
          `Remove data-link="${link}" from ${label(first)}, or restore the partner clip.`, { elementId: elementId(first) });
        continue;
      }
      const drift = LINKED_TIMING_FIELDS.filter(({ attrs, fallback }) => {
        const values = members.map(member => timingField(member, attrs, fallback));
        return values.some(v => Math.abs(v - values[0]) > LINK_SYNC_TOLERANCE_S);
      }).map(({ field }) => field);
      if (drift.length === 0) continue;
      report.atAttribute(attr, 'linked_clips_out_of_sync',
        `Linked clips ${members.map(label).join(', ')} (data-link="${link}") differ in ${drift.join(', ')}.`,
        'Linked clips are edited as one: give every member the same data-start, data-duration, data-media-start and data-playback-rate, or remove data-link from all of them to unlink.',
        { elementId: elementId(first) });
    }
  }
}

interface MediaWindow { start: number; end: number }

function mediaWindow(element: SourceElement): MediaWindow | undefined {
  const start = value(element, 'data-start');
  const duration = value(element, 'data-duration');
  if (!start || !duration) return undefined;
  const s = Number(start);
  const d = Number(duration);
  return Number.isFinite(s) && Number.isFinite(d) ? { start: s, end: s + d } : undefined;
}

/** An unknown window may overlap anything. */
const overlap = (a: MediaWindow | undefined, b: MediaWindow | undefined) => !a || !b || (a.start < b.end && b.start < a.end);

/** An audible <video> and an <audio> of the same file playing at once: the sound plays twice. */
export function lintDoubleSources(report: LintReporter, lint: LintFile): void {
  const timed = lint.elements.filter(element => value(element, 'data-start') && value(element, 'src'));
  const videos = timed.filter(isAudibleVideo);
  for (const audio of timed) {
    if (audio.tagName !== 'audio') continue;
    const video = videos.find(candidate => value(candidate, 'src') === value(audio, 'src') && overlap(mediaWindow(candidate), mediaWindow(audio)));
    if (!video) continue;
    report.atTagName(audio, 'video_audio_double_source',
      `${describeElement(audio)} and ${describeElement(video)} both play the same source at the same time: the unmuted video already provides the sound, so the <audio> doubles it (echo).`,
      'Remove the <audio> and let the video carry its own sound (recommended), or mute the video (add `muted`) and keep the separate <audio> when picture and sound must be cut independently.',
      { elementId: elementId(audio) });
  }
}

const MEDIA_TAGS = new Set(['video', 'audio', 'img']);

/**
 * An id two media elements of one file share: our duplicate-id finding on the second says so, under the
 * reference's duplicate_media_id (one diagnostic, not two).
 */
export function renameDuplicateMediaIds(lint: LintFile, diagnostics: EngineDiagnostic[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  for (const element of lint.elements) {
    const attr = element.attrs.get('id');
    const id = attr?.value.trim();
    if (!attr || !id || !MEDIA_TAGS.has(element.tagName)) continue;
    if (seen.has(id)) duplicates.add(attr.valueStart);
    seen.add(id);
  }
  if (duplicates.size === 0) return;
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'duplicate-id' || diagnostic.file !== lint.file.path) continue;
    if (!duplicates.has(lint.file.lines.offsetAt(diagnostic.range.start))) continue;
    diagnostic.code = 'duplicate_media_id';
    diagnostic.message = `${diagnostic.message} Give each media element a unique id so preview and render discover the same media.`;
  }
}

/** Audio files beside index.html that no composition plays: the video comes out silent. */
export function lintUnplayedAudioFiles(report: LintReporter, project: LintProject): void {
  const entry = project.entry;
  if (entry.isSubComposition || !entry.root || path.dirname(entry.file.path) !== project.projectRoot) return;
  let audioFiles: string[];
  try {
    audioFiles = fs.readdirSync(project.projectRoot).filter(name => AUDIO_EXTENSIONS.has(path.extname(name).toLowerCase())).sort();
  } catch {
    return;
  }
  if (audioFiles.length === 0) return;
  const plays = (elements: readonly SourceElement[]) => elements.some(element => element.tagName === 'audio' || isAudibleVideo(element));
  if (project.files.some(lint => plays(lint.elements))) return;
  const covered = new Set(project.files.map(lint => lint.file.path));
  for (const file of compositionFiles(project.projectRoot)) {
    if (covered.has(file)) continue;
    try {
      const text = fs.readFileSync(file, 'utf8');
      if (/<audio\b/i.test(text) || (text.match(/<video\b[^>]*>/gi) ?? []).some(isAudibleVideoTag)) return;
    } catch {
      continue;
    }
  }
  report.atTagName(entry.root, 'audio_file_without_element',
    `The project holds audio file(s) (${audioFiles.join(', ')}) but no composition has an <audio> element or an audible <video>: the rendered video will be silent.`,
    `Add <audio id="my-audio" src="${audioFiles[0]}" data-start="0" data-duration="<seconds>" data-track-index="0" data-volume="1"></audio> inside the composition root.`);
}
