// Markup rules: an entry file that is a bare fragment instead of an HTML document, and CSS/JS comment
// syntax written in visible HTML text (HTML only knows <!-- -->, so `/* … */` shows on screen).
import path from 'node:path';
import type { LintFile, LintReporter } from '../context';

/** Elements whose text is not rendered as markup, or shows code on purpose (the reference's list). */
const TEXT_NOT_MARKUP = new Set(['style', 'script', 'title', 'noscript', 'pre', 'code', 'textarea', 'text']);
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

/** The entry must start as a document (doctype or <html>): a fragment is quirks-mode and gets no runtime. */
export function lintMissingHtmlWrapper(report: LintReporter, lint: LintFile): void {
  // The project's index.html, as the reference means it: any other file opened on its own (a sub-composition
  // checked without its includer, a page under compositions/) is a fragment by design, and our engine wraps a
  // fragment entry in a document anyway.
  if (lint.isSubComposition || !lint.root || path.basename(lint.file.path).toLowerCase() !== 'index.html') return;
  // Comments before the doctype are allowed (standards mode still): skip them, unlike the reference.
  const head = lint.file.text.replace(/^(?:\s|<!--[\s\S]*?-->)*/, '').toLowerCase();
  if (head.startsWith('<template') || head.startsWith('<!doctype') || head.startsWith('<html')) return;
  const first = lint.file.elements[0] ?? lint.root;
  report.atTagName(first, 'root_composition_missing_html_wrapper',
    `The composition starts with a bare <${first.tagName}> instead of an HTML document: without <!DOCTYPE html> and <html> the browser renders it in quirks mode, and the preview and the reference's bundler cannot inject the runtime.`,
    'Wrap it in <!DOCTYPE html><html><head><meta charset="UTF-8"></head><body>…</body></html>.');
}

/** Each `/* … *\/` whose start is in text the page shows. */
export function lintVisibleMarkupComments(report: LintReporter, lint: LintFile): void {
  const { text } = lint.file;
  if (!text.includes('/*')) return;
  const hidden: Array<[number, number]> = [];
  for (const element of lint.elements) {
    if (TEXT_NOT_MARKUP.has(element.tagName)) hidden.push([element.start, element.end]);
    else {
      hidden.push([element.start, element.startTagEnd]);
      if (element.endTagStart !== undefined) hidden.push([element.endTagStart, element.end]);
    }
  }
  const isHidden = (offset: number) => hidden.some(([start, end]) => start <= offset && offset < end);
  for (const match of text.matchAll(HTML_COMMENT)) if (!isHidden(match.index)) hidden.push([match.index, match.index + match[0].length]);
  for (const match of text.matchAll(BLOCK_COMMENT)) {
    if (isHidden(match.index)) continue;
    report.atOffsets(match.index, match.index + match[0].length, 'visible_markup_comment',
      'CSS/JS comment syntax (`/* … */`) in HTML text: HTML only treats `<!-- … -->` as a comment, so this shows on screen in every frame.',
      'Remove it, or make it an HTML comment (`<!-- … -->`). Keep CSS comments inside <style> and JS comments inside <script>.');
  }
}
