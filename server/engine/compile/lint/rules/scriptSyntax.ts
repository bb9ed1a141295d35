// invalid_inline_script_syntax: an inline script the browser cannot parse runs not at all (no timeline is
// built or registered), and a `</script` close that is not `</script>` leaves the script unterminated or
// swallows the markup after it. The finding sits on the token acorn stopped at, or on the bad close tag.
import type { LintFile, LintReporter } from '../context';
import { isModuleScript, parseScript } from '../scriptAst';

/** The reference's reading of a malformed close: `</script` (any spacing) not followed at once by `>`. */
const MALFORMED_CLOSE = /<script[^>]*>[\s\S]*?(<\s*\/\s*script)(?!>)/gi;

export function lintScriptSyntax(report: LintReporter, lint: LintFile): void {
  const text = lint.file.text;
  if (/<\s*\/\s*script(?!>)/i.test(text)) {
    for (const match of text.matchAll(MALFORMED_CLOSE)) {
      const start = match.index + match[0].length - match[1].length;
      const tail = /^\s*>?/.exec(text.slice(start + match[1].length))![0];
      const end = start + match[1].length + tail.length;
      report.atOffsets(start, end, 'invalid_inline_script_syntax', 'Detected malformed inline `<script>` closing syntax.',
        'Close inline scripts with a valid `</script>` tag.', { replace: { range: report.range(start, end), text: '</script>' } });
    }
  }
  for (const script of lint.scripts) {
    // The reference checks classic scripts only (a module's imports need no bundler-side parse).
    if (isModuleScript(script) || !script.code.trim()) continue;
    const { error } = parseScript(lint, script);
    if (!error) continue;
    // On the word or character acorn stopped at (the last character when it ran off the end).
    const scriptEnd = script.offset + script.code.length;
    let at = Math.min(script.offset + error.offset, scriptEnd - 1);
    if (error.offset >= script.code.length) while (at > script.offset && /\s/.test(lint.file.text[at])) at--;
    const word = /^[\w$]+/.exec(lint.file.text.slice(at, Math.min(scriptEnd, at + 64)))?.[0].length ?? 1;
    report.atOffsets(at, at + word, 'invalid_inline_script_syntax', `Inline script has invalid syntax: ${error.message}.`,
      'Fix the inline script syntax before render verification.');
  }
}
