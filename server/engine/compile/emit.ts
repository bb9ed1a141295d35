// The compiled page: the entry's own text with edits spliced in (sub-compositions inlined, durations and
// ids injected, preload="none" dropped), never a re-serialisation, so everything else stays as authored.
// Every piece remembers the file and line it came from, which gives the line map the probe uses to turn
// a compiled line (a page error, a failed request) back into a file and line.
import type { CompiledLineMapping } from './types';
import type { Chunk, Region } from './drafts';

export function emitRegion(region: Region): Chunk[] {
  const { file } = region;
  const chunks: Chunk[] = [];
  const verbatim = (start: number, end: number): void => {
    if (end > start) chunks.push({ text: file.text.slice(start, end), file: file.path, sourceLine: file.lines.positionAt(start).line });
  };
  // Stable sort: edits at one offset apply in the order they were made (the hoisted scripts' slot is last).
  const edits = [...region.edits].sort((a, b) => a.offset - b.offset);
  let cursor = region.start;
  for (const edit of edits) {
    if (edit.offset < cursor || edit.offset > region.end) continue;
    verbatim(cursor, edit.offset);
    if (edit.insert) chunks.push(...edit.insert());
    cursor = Math.max(edit.offset, Math.min(edit.deleteEnd, region.end));
  }
  verbatim(cursor, region.end);
  return chunks;
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/**
 * Maps each compiled line to the chunk its first character comes from. Consecutive lines from one file
 * with consecutive source lines are merged into one mapping.
 */
export function buildLineMap(chunks: readonly Chunk[]): CompiledLineMapping[] {
  const mappings: CompiledLineMapping[] = [];
  const claim = (compiledLine: number, file: string, sourceLine: number): void => {
    const last = mappings[mappings.length - 1];
    if (last && last.file === file && last.compiledEndLine === compiledLine
      && last.sourceStartLine + (compiledLine - last.compiledStartLine) === sourceLine) {
      last.compiledEndLine = compiledLine + 1;
    } else {
      mappings.push({ compiledStartLine: compiledLine, compiledEndLine: compiledLine + 1, file, sourceStartLine: sourceLine });
    }
  };
  let line = 0;
  let atLineStart = true;
  for (let c = 0; c < chunks.length; c++) {
    const { text, file, sourceLine } = chunks[c];
    if (text.length === 0) continue;
    if (atLineStart) claim(line, file, sourceLine);
    let linesIn = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isLineBreak(code)) continue;
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      line++;
      linesIn++;
      // The line that starts right after this break belongs here unless the next chunk starts it.
      if (i + 1 < text.length) claim(line, file, sourceLine + linesIn);
    }
    atLineStart = isLineBreak(text.charCodeAt(text.length - 1));
  }
  if (atLineStart && chunks.length > 0) {
    const last = chunks[chunks.length - 1];
    claim(line, last.file, last.sourceLine + countLineBreaks(last.text));
  }
  return mappings;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (isLineBreak(code)) count++;
  }
  return count;
}

/** The file and 0-based line a 0-based line of the compiled page was written on. */
export function mapCompiledLine(lineMap: readonly CompiledLineMapping[], compiledLine: number): { file: string; line: number } | undefined {
  let low = 0;
  let high = lineMap.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const mapping = lineMap[mid];
    if (compiledLine < mapping.compiledStartLine) high = mid - 1;
    else if (compiledLine >= mapping.compiledEndLine) low = mid + 1;
    else return { file: mapping.file, line: mapping.sourceStartLine + (compiledLine - mapping.compiledStartLine) };
  }
  return undefined;
}
