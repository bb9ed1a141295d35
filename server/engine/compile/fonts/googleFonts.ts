// Google Fonts URLs: which families a stylesheet URL asks for (css and css2 APIs). The compiled page never
// loads them: a render must not depend on the network, and the preview must draw what the render draws.

const GOOGLE_FONT_HOSTS = new Set(['fonts.googleapis.com', 'fonts.gstatic.com']);

function parseUrl(href: string): URL | undefined {
  try {
    return new URL(href.trim().replace(/&amp;/gi, '&'), 'https://invalid.invalid/');
  } catch {
    return undefined;
  }
}

/** A URL on Google Fonts' CSS or font-file hosts (protocol-relative `//fonts.googleapis.com/…` too). */
export function isGoogleFontsUrl(href: string): boolean {
  const url = parseUrl(href);
  return url !== undefined && GOOGLE_FONT_HOSTS.has(url.hostname.toLowerCase());
}

/** Families named by a fonts.googleapis.com stylesheet URL: `family=A:wght@400;700&family=B` or `family=A:400|B`. */
export function googleFontsFamilies(href: string): string[] {
  const url = parseUrl(href);
  if (!url || url.hostname.toLowerCase() !== 'fonts.googleapis.com') return [];
  return url.searchParams.getAll('family')
    .flatMap(value => value.split('|'))
    .map(spec => spec.split(':')[0].replace(/\s+/g, ' ').trim())
    .filter(family => family.length > 0);
}
