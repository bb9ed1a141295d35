// Caption rules the reference judges from a caption composition's scripts and stylesheet: a transcript
// fetched instead of written inline (the studio's caption editor cannot find it), caption containers that
// clip the words GSAP scales up, a text-shadow tweened on a whole group, and a fitText width that the
// emphasis scale pushes past the frame.
import path from 'node:path';
import type { LintFile, LintReporter } from '../context';

/** The widest a scaled caption line may get (1920 px minus margins), and the width the fix leaves room within. */
const CAPTION_MAX_EFFECTIVE_WIDTH = 1760;
const CAPTION_FIT_WIDTH = 1700;
const CLIPPING_CONTAINER = /(?:\.caption[-_]?(?:group|container)|#caption[-_]?(?:layer|container))$/i;

function hasCaptionStyles(lint: LintFile): boolean {
  return lint.styles.some(style => style.rules.some(rule => /\.caption[-_]?(?:group|word)/i.test(rule.selector)));
}

/** Named like a caption file (relative to the project, so a folder called "captions" above it does not count), or styled like one. */
function isCaptionFile(lint: LintFile, projectRoot: string): boolean {
  return /caption/i.test(path.relative(projectRoot, lint.file.path)) || hasCaptionStyles(lint);
}

export function lintCaptions(report: LintReporter, lint: LintFile, projectRoot: string): void {
  if (lint.scripts.length === 0) return;
  const code = lint.scripts.map(script => script.code).join('\n');
  if (isCaptionFile(lint, projectRoot) && !/(?:const|let|var)\s+(?:TRANSCRIPT|script)\s*=\s*\[/.test(code)) {
    for (const script of lint.scripts) {
      const fetch = /\bfetch\s*\(\s*["'][^"']*transcript/i.exec(script.code);
      if (!fetch) continue;
      report.atOffsets(script.offset + fetch.index, script.offset + fetch.index + 'fetch'.length, 'caption_transcript_not_inline',
        'The captions composition loads its transcript with fetch(): the studio\'s caption editor needs an inline `var TRANSCRIPT = [...]` array to find and edit the captions.',
        'Embed the transcript as `var TRANSCRIPT = [{ "text": "...", "start": 0, "end": 1 }, ...]` with JSON-quoted keys.');
      break;
    }
  }
  if (/scale\s*:\s*1\.[2-9]/.test(code) && /caption|word|cg-/.test(code)) {
    for (const style of lint.styles) {
      for (const rule of style.rules) {
        const selector = rule.selector.split(',').map(part => part.trim()).find(part => CLIPPING_CONTAINER.test(part));
        if (!selector) continue;
        for (const declaration of rule.declarations) {
          if (declaration.property !== 'overflow' || !/^hidden\b/i.test(declaration.value)) continue;
          report.atOffsets(declaration.start, declaration.end, 'caption_overflow_clips_scaled_words',
            `"${selector}" has overflow: hidden, but GSAP scales caption words above 1.0x: the scaled emphasis words and their glow are clipped.`,
            'Use overflow: visible on caption containers, and keep lines inside the frame with fitTextFontSize and a smaller maxWidth.',
            { replace: { range: report.range(declaration.valueStart, declaration.valueStart + 'hidden'.length), text: 'visible' } });
        }
      }
    }
  }
  if (hasCaptionStyles(lint)) {
    for (const script of lint.scripts) {
      const tween = /\.to\s*\(\s*(?:div|groupEl|el|captionEl|document\.getElementById\s*\(\s*["']cg-)\s*[^,]*,\s*\{[^}]*textShadow/.exec(script.code)
        ?? /\.to\s*\(\s*["'](?:#cg-\d+|\.caption[-_]?group)["']\s*,\s*\{[^}]*textShadow/.exec(script.code);
      if (!tween) continue;
      const at = script.offset + tween.index + tween[0].lastIndexOf('textShadow');
      report.atOffsets(at, at + 'textShadow'.length, 'caption_textshadow_on_group_container',
        'textShadow is tweened on a caption group container: where its words are semi-transparent (inactive karaoke words), the glow shows as a rectangle behind the whole group.',
        'Tween textShadow on the active word elements instead of the group; scale the group for a pulse.');
    }
  }
  for (const script of lint.scripts) {
    const fit = /fitTextFontSize\s*\([^)]*maxWidth\s*:\s*(\d+)/.exec(script.code);
    if (!fit) continue;
    const maxWidth = Number.parseInt(fit[1], 10);
    if (!maxWidth || !/caption|word|cg-|karaoke/i.test(script.code)) continue;
    const scales = [...script.code.matchAll(/scale\s*:\s*(1\.\d+)/g)].map(match => Number.parseFloat(match[1]));
    if (scales.length === 0) continue;
    const maxScale = Math.max(1, ...scales);
    const effective = maxWidth * maxScale;
    if (effective <= CAPTION_MAX_EFFECTIVE_WIDTH) continue;
    const suggested = Math.floor(CAPTION_FIT_WIDTH / maxScale);
    const end = script.offset + fit.index + fit[0].length;
    report.atOffsets(end - fit[1].length, end, 'caption_fittext_scale_mismatch',
      `fitTextFontSize uses maxWidth: ${maxWidth}px, but emphasis words scale up to ${maxScale}x: the effective ${Math.round(effective)}px may overflow the composition (1920px minus margins).`,
      `Reduce maxWidth to ${suggested}px to leave room for the scaled words.`,
      { replace: { range: report.range(end - fit[1].length, end), text: String(suggested) } });
  }
}
