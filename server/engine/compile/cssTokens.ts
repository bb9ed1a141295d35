// The one CSS token skipper the compile stage's stylesheet scanners share (font families, sub-composition
// scoping, lint rules): a comment, a string or an escape is stepped over whole, so a brace or comma in one
// never counts as structure.

/** Index after the comment, string or escape starting at `i`, or `i` when none starts there. */
export function skipCssToken(css: string, i: number): number {
  const char = css[i];
  if (char === '/' && css[i + 1] === '*') {
    const close = css.indexOf('*/', i + 2);
    return close < 0 ? css.length : close + 2;
  }
  if (char === '\\') return Math.min(css.length, i + 2);
  if (char === '"' || char === "'") {
    let j = i + 1;
    while (j < css.length && css[j] !== char && css[j] !== '\n') j += css[j] === '\\' ? 2 : 1;
    return Math.min(css.length, j + 1);
  }
  return i;
}
