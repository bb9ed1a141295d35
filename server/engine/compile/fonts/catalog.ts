// What a font-family name turns into when the page is rendered, as the reference decides it
// (packages/parsers/src/fontAliases.ts, packages/producer/src/services/deterministicFonts.ts): bundled
// families by name, well-known system and brand fonts by an alias to the nearest bundled one, CSS generics
// as themselves (a generic written first gets Inter in front of it, see index.ts).
import fs from 'node:fs';
import path from 'node:path';
import bundled from './bundledFonts.json';

export interface BundledFamily {
  /** Lower-case slug, the @fontsource package's file prefix. */
  slug: string;
  /** The family as it is written (Google Fonts' spelling). */
  name: string;
  weights: readonly number[];
}

export const BUNDLED_FAMILIES: ReadonlyMap<string, BundledFamily> = new Map(
  Object.entries(bundled.families).map(([slug, family]) => [slug, { slug, name: family.name, weights: family.weights }]),
);

/** The family put in front of a font-family whose first family is generic (the reference's choice for every generic). */
export const DETERMINISTIC_PRIMARY_FAMILY = 'Inter';

// Lower-case family name → bundled slug. Besides the bundled families themselves, the reference maps system
// and commercial fonts to the nearest bundled face, so "Arial" draws Inter's glyphs on every machine.
const ALIASES: Record<string, string> = {
  'helvetica neue': 'inter', helvetica: 'inter', arial: 'inter', 'helvetica bold': 'inter',
  futura: 'montserrat', 'din alternate': 'montserrat', 'arial black': 'montserrat',
  'bebas neue': 'league-gothic', 'courier new': 'jetbrains-mono', courier: 'jetbrains-mono',
  garamond: 'eb-garamond', 'noto sans japanese': 'noto-sans-jp', 'segoe ui': 'roboto',
  // macOS, Windows and Linux sans-serif system fonts.
  'sf pro': 'inter', 'sf pro display': 'inter', 'sf pro text': 'inter', 'sf pro rounded': 'inter', avenir: 'inter',
  'avenir next': 'inter', 'lucida grande': 'inter', geneva: 'inter', optima: 'inter', verdana: 'inter', tahoma: 'inter',
  'trebuchet ms': 'inter', calibri: 'inter', candara: 'inter', corbel: 'inter', 'lucida sans': 'inter',
  'lucida sans unicode': 'inter', 'noto sans': 'inter', 'dejavu sans': 'inter', 'liberation sans': 'inter',
  // Monospace system fonts.
  'sf mono': 'jetbrains-mono', menlo: 'jetbrains-mono', monaco: 'jetbrains-mono', consolas: 'jetbrains-mono',
  'lucida console': 'jetbrains-mono', 'lucida sans typewriter': 'jetbrains-mono', 'andale mono': 'jetbrains-mono',
  'dejavu sans mono': 'jetbrains-mono', 'liberation mono': 'jetbrains-mono',
  // Serif system fonts.
  georgia: 'eb-garamond', palatino: 'eb-garamond', 'palatino linotype': 'eb-garamond', 'book antiqua': 'eb-garamond',
  cambria: 'eb-garamond', times: 'eb-garamond', 'times new roman': 'eb-garamond', 'dejavu serif': 'eb-garamond',
  'liberation serif': 'eb-garamond',
};

export const FONT_ALIASES: ReadonlyMap<string, string> = new Map([
  ...[...BUNDLED_FAMILIES.values()].map(family => [family.name.toLowerCase(), family.slug] as const),
  ...Object.entries(ALIASES),
]);

/** Families the browser maps to a host font, so what they draw depends on the machine. */
export const GENERIC_FAMILIES: ReadonlySet<string> = new Set([
  'sans-serif', 'serif', 'monospace', 'cursive', 'fantasy', 'system-ui', 'ui-sans-serif', 'ui-serif', 'ui-monospace',
  'emoji', 'math', 'fangsong', '-apple-system', 'blinkmacsystemfont',
]);

/** Values that are not family names at all. */
const CSS_WIDE_KEYWORDS: ReadonlySet<string> = new Set(['inherit', 'initial', 'unset', 'revert', 'revert-layer']);

export type FamilyKind = 'bundled' | 'alias' | 'generic' | 'keyword' | 'other';

export function classifyFamily(normalizedName: string): { kind: FamilyKind; bundled?: BundledFamily } {
  if (GENERIC_FAMILIES.has(normalizedName)) return { kind: 'generic' };
  if (CSS_WIDE_KEYWORDS.has(normalizedName)) return { kind: 'keyword' };
  const slug = FONT_ALIASES.get(normalizedName);
  const family = slug === undefined ? undefined : BUNDLED_FAMILIES.get(slug);
  if (!family) return { kind: 'other' };
  return { kind: family.name.toLowerCase() === normalizedName ? 'bundled' : 'alias', bundled: family };
}

/** Where the file server serves the bundled faces (the extension's own assets, beside the project). */
export const BUNDLED_FONT_URL_PREFIX = '/__hf/fonts/';

export function bundledFaceFileName(family: BundledFamily, weight: number): string {
  return `${family.slug}-${bundled.subset}-${weight}-normal.woff2`;
}

/** Every file dist/fonts/ holds, with the @fontsource file it is copied from (esbuild.mjs reads the same JSON). */
const BUNDLED_FILE_NAMES: ReadonlySet<string> = new Set(
  [...BUNDLED_FAMILIES.values()].flatMap(family => family.weights.map(weight => bundledFaceFileName(family, weight))),
);

/** dist/fonts: beside the running bundle, or the built one when running from source (tests). */
let fontsDir: string | undefined;
export function bundledFontsDir(): string {
  if (fontsDir !== undefined) return fontsDir;
  const candidates = [path.join(__dirname, 'fonts'), path.resolve(__dirname, '../../../../dist/fonts')];
  fontsDir = candidates.find(candidate => fs.existsSync(path.join(candidate, bundledFaceFileName(BUNDLED_FAMILIES.get('inter')!, 400))))
    ?? candidates[0];
  return fontsDir;
}

/** The bundled font file a request path names, or undefined when it names none (only known names are served). */
export function bundledFontFile(requestPath: string): string | undefined {
  if (!requestPath.startsWith(BUNDLED_FONT_URL_PREFIX)) return undefined;
  const name = requestPath.slice(BUNDLED_FONT_URL_PREFIX.length);
  return BUNDLED_FILE_NAMES.has(name) ? path.join(bundledFontsDir(), name) : undefined;
}
