// Which URLs a variable may put into a media element's src. One rule for the page (runtime/variables.ts
// refuses the others) and the lint that warns before the render (compile/variables.ts).

/** Relative, http(s), blob: and data:image/ URLs; never javascript:, file: or data:text/html. */
export function isSafeMediaUrl(url: string): boolean {
  // Browsers drop control characters and spaces before reading the scheme (`java\tscript:`).
  const normalized = url.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(normalized)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  if (scheme === 'http' || scheme === 'https' || scheme === 'blob') return true;
  return scheme === 'data' && /^data:image\//i.test(normalized);
}
