// video_media_start_at_or_past_eof: a video slot whose data-media-start is at or past the end of its file
// holds the last frame for the whole slot. Only ffprobe knows the file's length, so the compile stage's media
// probe (compile/index.ts) measures these videos too and this module judges them, at the data-media-start value.
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
