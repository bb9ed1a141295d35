// The lint rules only ffprobe can judge, so the compile stage's media probe (compile/index.ts) measures these
// videos too and this module reads its answers:
// - video_media_start_at_or_past_eof: a video slot whose data-media-start is at or past the end of its file
//   holds the last frame for the whole slot (at the data-media-start value);
// - hevc_preview_codec: an HEVC file renders right (the render decodes every video with ffmpeg) but the
//   preview plays the <video> itself, in a browser that may have no HEVC decoder (at the src value).
import type { DiagnosticSink } from '../../diagnostics';
import type { ClipDraft } from '../../drafts';
import type { MediaProbeOutcome } from '../../mediaProbe';
import { LINT_RULES } from '../codes';

/** Videos with a written slot and media start, played once from the file as written (the reference's conditions). */
export function videosWithMediaStart(clips: readonly ClipDraft[]): ClipDraft[] {
  return clips.filter(clip => {
    const { media, element } = clip;
    if (clip.kind !== 'video' || !media?.exists || !media.localPath || media.loop) return false;
    if (!(clip.authoredDuration !== undefined && clip.authoredDuration > 0)) return false;
    if (element.attrs.has('data-var-src') || element.attrs.has('data-playback-start')) return false;
    return element.attrs.has('data-media-start') && media.mediaStart >= 0;
  });
}

export function reportMediaStartPastEof(sink: DiagnosticSink, clips: readonly ClipDraft[], outcomes: ReadonlyMap<string, MediaProbeOutcome>): void {
  for (const clip of clips) {
    const outcome = outcomes.get(clip.media!.localPath!);
    const duration = outcome?.ok ? outcome.facts.duration : undefined;
    if (duration === undefined || clip.media!.mediaStart < duration) continue;
    const attr = clip.element.attrs.get('data-media-start')!;
    const src = clip.media!.src;
    sink.atValue(clip.scope.file, attr, LINT_RULES.video_media_start_at_or_past_eof.severity, 'video_media_start_at_or_past_eof',
      `Video "${src}" starts at ${clip.media!.mediaStart}s, at or past its ${duration}s source: it holds its last frame for the whole slot.`
        + ` Trim data-media-start below ${duration}s if this final-frame hold is unintended.`,
      { sourceDuration: duration });
  }
}

/** Every video read from a file in the project. */
export function localVideos(clips: readonly ClipDraft[]): ClipDraft[] {
  return clips.filter(clip => clip.kind === 'video' && clip.media?.exists && clip.media.localPath && clip.media.srcAttr);
}

export function reportHevcVideos(sink: DiagnosticSink, videos: readonly ClipDraft[], outcomes: ReadonlyMap<string, MediaProbeOutcome>): void {
  for (const clip of videos) {
    const outcome = outcomes.get(clip.media!.localPath!);
    if (!outcome?.ok || outcome.facts.videoCodec !== 'hevc') continue;
    sink.atValue(clip.scope.file, clip.media!.srcAttr!, LINT_RULES.hevc_preview_codec.severity, 'hevc_preview_codec',
      `Video "${clip.media!.src}" uses the HEVC/H.265 codec. Renders decode every video with ffmpeg and show it correctly,`
        + ' but the preview plays the file in its browser, which may have no HEVC decoder (the clip then stays blank there).'
        + ' If it does not play in the preview, re-encode it to H.264 (for example `ffmpeg -i in.mp4 -c:v libx264 -crf 18 -c:a copy out.mp4`).');
  }
}
