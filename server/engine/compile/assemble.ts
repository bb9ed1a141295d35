// Turns the walk's drafts and the resolved times into the public model records.
import type { AttributeRanges, Clip, MediaElement, SubComposition } from '../model';
import type { ClipDraft } from './drafts';
import type { SourceElement, SourceFile } from './parseHtml';
import { roundTime, type ResolvedTimes } from './timing';

export function attributeRanges(file: SourceFile, element: SourceElement): AttributeRanges {
  const ranges: AttributeRanges = {};
  for (const [name, attr] of element.attrs) ranges[name] = file.lines.range(attr.valueStart, attr.valueEnd);
  return ranges;
}

export function toClip(draft: ClipDraft, times: ResolvedTimes): Clip {
  const { scope, element } = draft;
  const file = scope.file;
  const start = times.start.get(draft) ?? 0;
  return {
    id: draft.id,
    autoId: draft.autoId,
    kind: draft.kind,
    tagName: element.tagName,
    file: file.path,
    tagRange: file.lines.range(element.start, element.startTagEnd),
    attributeRanges: attributeRanges(file, element),
    start,
    duration: draft.duration,
    durationSource: draft.durationSource,
    end: draft.duration === undefined ? undefined : roundTime(start + draft.duration),
    startExpression: draft.startExpression,
    trackIndex: draft.trackIndex,
    compositionId: scope.compositionId,
    compositionOffset: times.scopeOffset.get(scope) ?? 0,
    hasClipClass: draft.hasClipClass,
    depth: scope.depth,
    parentId: scope.host?.id,
  };
}

export function toMedia(draft: ClipDraft): MediaElement | undefined {
  const media = draft.media;
  if (!media) return undefined;
  const file = draft.scope.file;
  return {
    clipId: draft.id,
    kind: media.kind,
    src: media.src,
    localPath: media.localPath,
    file: file.path,
    srcRange: media.srcAttr ? file.lines.range(media.srcAttr.valueStart, media.srcAttr.valueEnd) : undefined,
    mediaStart: media.mediaStart,
    playbackRate: media.playbackRate,
    volume: media.volume,
    loop: media.loop,
    muted: media.muted,
    sourceDuration: media.sourceDuration,
    sourceHasAudio: media.sourceHasAudio,
  };
}

export function toSubComposition(draft: ClipDraft): SubComposition | undefined {
  const sub = draft.subComposition;
  if (!sub) return undefined;
  const hostFile = draft.scope.file;
  return {
    hostId: draft.id,
    compositionId: draft.element.attrs.get('data-composition-id')?.value.trim() || sub.innerCompositionId,
    innerCompositionId: sub.innerCompositionId,
    src: sub.src,
    file: sub.path,
    hostFile: hostFile.path,
    srcRange: hostFile.lines.range(sub.srcAttr.valueStart, sub.srcAttr.valueEnd),
    unresolvedDuration: draft.duration === undefined,
  };
}
