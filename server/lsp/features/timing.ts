// Hover and CodeLens: the resolved timing of a composition, shown where it is written.
import { type CodeLens, type Hover, type Position } from 'vscode-languageserver/node';
import { frameCount, type Clip, type Composition } from '../../engine/model';
import { HyperframesCommands } from '../../protocol/lsp';
import { formatSeconds, rangeContains } from '../convert';

/** First frame shown at or after `start`, and the last frame before `end` (frame i is at time i / fps). */
export function frameRange(clip: Clip, fps: number): { first: number; last: number } | undefined {
  if (clip.end === undefined) return undefined;
  return { first: frameCount(clip.start, fps), last: frameCount(clip.end, fps) - 1 };
}

function describeRelativeStart(clip: Clip, composition: Composition): string | undefined {
  const expression = clip.startExpression;
  if (typeof expression === 'number') return undefined;
  const ref = composition.clips.find(c => c.id === expression.ref && c.compositionId === clip.compositionId)
    ?? composition.clips.find(c => c.id === expression.ref);
  const sign = expression.offset < 0 ? '−' : '+';
  const offset = expression.offset === 0 ? '' : ` ${sign} ${formatSeconds(Math.abs(expression.offset))}`;
  const refEnd = ref?.end !== undefined ? ` (ends at ${formatSeconds(ref.end)})` : '';
  return `Relative start: end of \`${expression.ref}\`${refEnd}${offset} → ${formatSeconds(clip.start)}`;
}

export function clipAt(composition: Composition, file: string, position: Position): Clip | undefined {
  return composition.clips.find(clip => clip.file === file && rangeContains(clip.tagRange, position));
}

export function clipHover(composition: Composition, file: string, position: Position): Hover | undefined {
  const clip = clipAt(composition, file, position);
  if (!clip) return undefined;
  const fps = composition.fps;
  const lines = [`**${clip.id}** · \`<${clip.tagName}>\` ${clip.kind === 'composition' ? 'sub-composition' : 'clip'}`, ''];
  const end = clip.end !== undefined ? formatSeconds(clip.end) : 'unknown';
  const duration = clip.duration !== undefined ? formatSeconds(clip.duration) : 'unknown';
  lines.push(`Start ${formatSeconds(clip.start)} · end ${end} · duration ${duration} · track ${clip.trackIndex}`);
  const frames = frameRange(clip, fps);
  lines.push('');
  lines.push(frames ? `Frames ${frames.first}–${frames.last} @ ${fps} fps` : `Frames from ${frameCount(clip.start, fps)} @ ${fps} fps`);
  if (clip.compositionOffset > 0) {
    lines.push('', `Inside \`${clip.compositionId ?? '?'}\`, which starts at ${formatSeconds(clip.compositionOffset)} (local start ${formatSeconds(clip.start - clip.compositionOffset)})`);
  }
  const relative = describeRelativeStart(clip, composition);
  if (relative) lines.push('', relative);
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: clip.tagRange };
}

export function durationTitle(composition: Composition): string {
  if (composition.duration === undefined) return `duration unknown @ ${composition.fps} fps`;
  return `${formatSeconds(composition.duration)} · ${composition.frameCount} frames @ ${composition.fps} fps`;
}

export function rootCodeLenses(composition: Composition, file: string, uri: string): CodeLens[] {
  const range = composition.rootTagRange;
  if (!range || composition.entryFile !== file) return [];
  const lensRange = { start: range.start, end: range.start };
  return [
    // A lens without a command is drawn as a plain label in VS Code: the title carries the information.
    { range: lensRange, command: { title: durationTitle(composition), command: '' } },
    { range: lensRange, command: { title: 'Preview', command: HyperframesCommands.openPreview, arguments: [uri] } },
    { range: lensRange, command: { title: 'Render', command: HyperframesCommands.render, arguments: [uri] } },
  ];
}
