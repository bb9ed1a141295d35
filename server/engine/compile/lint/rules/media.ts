// Media rules: a video that neither mutes nor declares its sound, media the renderer cannot find by id,
// crossorigin that blanks the preview, preload="none", nested media timing, layered audio, and a <video> or
// <img> whose src is another kind of file.
import type { SourceElement } from '../../parseHtml';
import { describeElement, elementId, type LintFile, type LintProject, type LintReporter } from '../context';

const isTimedMedia = (element: SourceElement) => (element.tagName === 'video' || element.tagName === 'audio');

export function lintMedia(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    if (!isTimedMedia(element)) continue;
    const { attrs } = element;
    const id = elementId(element);
    const start = attrs.get('data-start');
    if (element.tagName === 'video') {
      const declaresAudio = attrs.has('data-has-audio');
      if (!attrs.has('muted') && !declaresAudio && start) {
        report.atTagName(element, 'video_missing_muted',
          `${describeElement(element)} has data-start but declares neither muted nor data-has-audio: headless Chrome will not autoplay it, and its sound is not mixed unless declared.`,
          'Add data-has-audio="true" when the file has sound (it keeps picture and sound on one clip), or add `muted` for silent footage.',
          { elementId: id });
      }
      const hasAudio = attrs.get('data-has-audio');
      if (attrs.has('muted') && hasAudio?.value.trim() === 'true') {
        report.atAttribute(attrs.get('muted')!, 'video_muted_with_declared_audio',
          `${describeElement(element)} declares data-has-audio="true" but also has muted: preview silences its audio.`,
          'Remove `muted` if this video should be heard, or remove data-has-audio="true" and use data-volume="0" for a silent video.',
          { elementId: id });
      }
    }
    const hasSrc = Boolean(attrs.get('src')?.value.trim()) || element.children.some(child => child.tagName === 'source' && Boolean(child.attrs.get('src')?.value.trim()));
    if (hasSrc && !start) {
      report.atTagName(element, 'media_missing_data_start',
        `${describeElement(element)} has src but no data-start: HyperFrames cannot own playback for untimed media, so preview and render can diverge.`,
        'Add data-start="0" (or the intended start time), and data-duration if the clip should stop before the source ends.',
        { elementId: id });
    }
    if (start && id && !hasSrc) {
      const variableSrc = attrs.get('data-var-src')?.value;
      if (variableSrc) {
        report.atTagName(element, 'media_variable_src_no_fallback',
          `${describeElement(element)} relies on data-var-src="${variableSrc}" with no fallback src: a render without a "${variableSrc}" value cannot load this media, and audio extraction reads the authored src.`,
          'Add a fallback src the composition can render with when the variable is not provided.', { elementId: id });
      } else {
        report.atTagName(element, 'media_missing_src',
          `${describeElement(element)} has data-start but no src (on the element or a <source> child): the renderer cannot load this media.`,
          `Add src on the <${element.tagName}> element, or a <source src="..."> child.`, { elementId: id });
      }
    }
    const startTag = lint.file.text.slice(element.start, element.startTagEnd);
    if (startTag.endsWith('/>')) {
      const slash = element.startTagEnd - 2;
      report.atTagName(element, 'self_closing_media_tag',
        `Self-closing <${element.tagName}/> is invalid HTML: the browser leaves the tag open and swallows every later element as invisible fallback content.`,
        `Change <${element.tagName} .../> to <${element.tagName} ...></${element.tagName}>. Media elements must have explicit closing tags.`,
        { elementId: id, replace: { range: report.range(slash, element.startTagEnd), text: `></${element.tagName}>` } });
    }
    if (start && !id) {
      report.atTagName(element, 'media_missing_id',
        `<${element.tagName}> has data-start but no id: the renderer finds media by id, so this ${element.tagName === 'audio' ? 'audio will be SILENT' : 'video will be FROZEN'} in renders.`,
        `Add a unique id attribute: <${element.tagName} id="my-${element.tagName}" ...>.`);
    }
    const crossorigin = attrs.get('crossorigin');
    if (crossorigin) {
      report.atAttribute(crossorigin, 'media_crossorigin_breaks_preview',
        `${describeElement(element)} has crossorigin, which forces a CORS-checked fetch: if the media host omits Access-Control-Allow-Origin the preview shows it blank while renders still work.`,
        'Remove the crossorigin attribute unless you read the media back via canvas/WebGL/WebAudio and the host sends CORS headers.',
        { elementId: id });
    }
    const preload = attrs.get('preload');
    if (preload?.value.trim().toLowerCase() === 'none') {
      report.atAttribute(preload, 'media_preload_none',
        `${describeElement(element)} has preload="none", which keeps the browser from loading it. The compiler drops it for renders, but the preview may stall.`,
        'Remove preload="none" (HyperFrames manages media loading).', { elementId: id });
    }
    const startValue = start ? Number(start.value.trim()) : NaN;
    const basis = attrs.get('data-hf-media-start-basis')?.value.trim();
    if (lint.isSubComposition && Number.isFinite(startValue) && startValue > 0 && basis !== 'local' && basis !== 'global') {
      report.atValue(start!, 'nested_media_start_basis_ambiguous',
        `${describeElement(element)} has data-start="${start!.value}" inside a sub-composition: nested media timing is local to its composition, and a nonzero value can be mistaken for a root-global timestamp.`,
        `Keep it if it is composition-local; for a root-global timestamp add data-hf-media-start-basis="global", or convert it to local time by subtracting the host's start.`,
        { elementId: id });
    }
  }
}

interface AudibleTrack {
  element: SourceElement;
  lint: LintFile;
  track: number;
  start: number;
  end: number;
  src: string;
}

/** Audible media on one track whose windows overlap play on top of each other. */
export function lintDuplicateAudioTracks(reporters: ReadonlyMap<LintFile, LintReporter>, project: LintProject): void {
  const tracks: AudibleTrack[] = [];
  const seen = new Set<string>();
  for (const lint of project.files) {
    for (const element of lint.elements) {
      if (!isTimedMedia(element)) continue;
      if (element.tagName === 'video' && (element.attrs.has('muted') || element.attrs.get('data-has-audio')?.value.trim() !== 'true')) continue;
      const track = element.attrs.get('data-track-index')?.value;
      const startText = element.attrs.get('data-start')?.value;
      if (!track || !startText) continue;
      const start = Number.parseFloat(startText);
      const durationText = element.attrs.get('data-duration')?.value;
      const duration = durationText ? Number.parseFloat(durationText) : Infinity;
      const src = element.attrs.get('src')?.value ?? 'unknown';
      const key = `${src}:${start}:${duration}:${track}`;
      if (seen.has(key) || !Number.isFinite(start)) continue;
      seen.add(key);
      tracks.push({ element, lint, track: Number.parseInt(track, 10), start, end: start + duration, src });
    }
  }
  const span = (t: AudibleTrack) => `${t.src} at ${t.start}-${Number.isFinite(t.end) ? t.end.toFixed(1) : 'end'}s`;
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++) {
      const [a, b] = [tracks[i], tracks[j]];
      if (a.track !== b.track || !(a.start < b.end && b.start < a.end)) continue;
      reporters.get(b.lint)?.atTagName(b.element, 'duplicate_audio_track',
        `Audible <audio>/<video> elements on track ${a.track} overlap (${span(a)}, ${span(b)}): their sound plays layered.`,
        'Use non-overlapping time windows or different track indices.', { elementId: elementId(b.element) });
    }
  }
}

/** The same media (tag, src, start, duration) written twice in one file: compilation can discover it twice. */
export function lintDuplicateMedia(report: LintReporter, lint: LintFile): void {
  const seen = new Map<string, number>();
  for (const element of lint.elements) {
    if (!isTimedMedia(element) && element.tagName !== 'img') continue;
    const attr = (name: string) => element.attrs.get(name)?.value ?? '';
    const fingerprint = [element.tagName, attr('src'), attr('data-start'), attr('data-duration')].join('|');
    const count = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, count);
    if (count === 2) {
      report.atTagName(element, 'duplicate_media_discovery_risk',
        `This <${element.tagName}> repeats another with the same src="${attr('src')}", data-start and data-duration: the media can be discovered twice during compilation.`,
        'Avoid duplicated media nodes: keep one, or give the copy its own start or source.', { elementId: elementId(element) });
    }
  }
}

/** Hosts of placeholder images and videos: they 404 (or change) at render time. */
const PLACEHOLDER_HOSTS = /\b(?:placehold\.co|placeholder\.com|placekitten\.com|picsum\.photos|example\.com|via\.placeholder\.com|dummyimage\.com)\b/i;
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** A placeholder URL as media src; a timed <video> inside a timed element (its start is read without the wrapper's). */
export function lintMediaPlacement(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    if (!isTimedMedia(element) && element.tagName !== 'img') continue;
    const src = element.attrs.get('src');
    if (src && PLACEHOLDER_HOSTS.test(src.value)) {
      report.atValue(src, 'placeholder_media_url', `${describeElement(element)} uses a placeholder URL that will 404 at render time: ${src.value.slice(0, 80)}`,
        'Replace it with a real media URL or a file in the project.', { elementId: elementId(element) });
    }
    if (element.tagName !== 'video' || !element.attrs.has('data-start')) continue;
    for (let parent = element.parent; parent; parent = parent.parent) {
      if (parent.tagName === 'video' || parent.tagName === 'audio' || VOID_TAGS.has(parent.tagName) || parent.attrs.has('data-composition-id')) continue;
      if (!parent.attrs.has('data-start')) continue;
      report.atTagName(element, 'video_nested_in_timed_element',
        `<video> with data-start is nested inside ${describeElement(parent)}, which also has data-start. The frame extractor resolves the video's start from its own data-start without the wrapper's offset, while visibility follows the wrapper.`,
        'Time the wrapper or the video, never both: remove data-start from the wrapper (a non-timed visual container), or move the <video> up to be a direct child of the stage.',
        { elementId: elementId(element) });
      break;
    }
  }
}

type SrcKind = 'image' | 'video' | 'audio';
const SRC_KIND_OF_EXTENSION: Record<string, SrcKind> = Object.fromEntries([
  ...['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'svg', 'heic', 'heif', 'tiff', 'ico'].map(ext => [ext, 'image']),
  ...['mp4', 'mov', 'avi', 'webm', 'mkv', 'flv', 'wmv', 'm4v', 'mpg', 'mpeg'].map(ext => [ext, 'video']),
  ...['mp3', 'wav', 'aac', 'flac', 'opus', 'aiff', 'wma'].map(ext => [ext, 'audio']),
]) as Record<string, SrcKind>;
const SRC_KIND_NOUN: Record<SrcKind, string> = { image: 'an image', video: 'a video', audio: 'an audio file' };

/** What a src points at, by its data: MIME type or its file extension; undefined when it does not say. */
function srcKind(src: string): SrcKind | undefined {
  const data = /^data:([^;,]+)/i.exec(src)?.[1]?.toLowerCase();
  if (data !== undefined) return (['image', 'video', 'audio'] as const).find(kind => data.startsWith(`${kind}/`));
  if (/^blob:/i.test(src)) return undefined;
  let pathname = src.split(/[?#]/)[0];
  if (/^https?:/i.test(src)) {
    try {
      pathname = decodeURIComponent(new URL(src).pathname);
    } catch {
      // A malformed URL: its text before ?/# is the best guess.
    }
  }
  const base = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : SRC_KIND_OF_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/** A <video> showing a still or sound, an <img> showing a video or sound: the reference's render refuses it. */
export function lintMediaSrcKind(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    if (element.tagName !== 'video' && element.tagName !== 'img') continue;
    const src = element.attrs.get('src');
    const kind = src ? srcKind(src.value.trim()) : undefined;
    const expected: SrcKind = element.tagName === 'video' ? 'video' : 'image';
    if (!src || !kind || kind === expected) continue;
    report.atValue(src, 'media_src_kind_mismatch',
      `${describeElement(element)} src is ${SRC_KIND_NOUN[kind]}, not ${SRC_KIND_NOUN[expected]}: the browser cannot play it, and the reference's render fails when the tag and the file disagree.`,
      element.tagName === 'video'
        ? 'Use <img> for a still, <audio> for sound, or point the <video> at a video file (mp4, webm, mov…).'
        : 'Use <video> for a video file, <audio> for sound, or point the <img> at a still (png, jpg, webp…).',
      { elementId: elementId(element) });
  }
}
