// Hover on a font-family value: which font each family is drawn with in the render (compile/fonts decides).
import type { Hover, Position } from 'vscode-languageserver/node';
import type { Composition, FontFamilyResolution, FontFamilyUse } from '../../engine/model';
import { rangeContains } from '../convert';

function describe(family: FontFamilyResolution): string {
  const weights = family.weights ? ` (weights ${family.weights.join(', ')})` : '';
  switch (family.source) {
    case 'bundled': return `\`${family.name}\`: bundled${weights}`;
    case 'alias': return `\`${family.name}\` → **${family.font}**, bundled${weights}: the font HyperFrames draws in its place`;
    case 'font-face': return `\`${family.name}\`: the composition's own @font-face`;
    case 'generic': return `\`${family.name}\`: generic, the machine's default font`;
    case 'keyword': return `\`${family.name}\`: CSS keyword, no family of its own`;
    case 'system': return `\`${family.name}\`: not bundled, the machine's own font if it is installed`;
  }
}

/** The font that draws the text: the first family that does not depend on the machine. */
function drawnWith(use: FontFamilyUse): string | undefined {
  if (use.addedPrimary) return use.addedPrimary;
  const first = use.families.find(family => family.source === 'bundled' || family.source === 'alias' || family.source === 'font-face');
  return first && (first.font ?? first.name);
}

export function fontHover(composition: Composition, file: string, position: Position): Hover | undefined {
  const use = composition.fonts.find(candidate => candidate.file === file && rangeContains(candidate.range, position));
  if (!use) return undefined;
  const font = drawnWith(use);
  const lines = [font ? `**font-family** · rendered with **${font}**` : '**font-family** · rendered with whatever the machine has', ''];
  if (use.addedPrimary) {
    lines.push(`- \`${use.addedPrimary}\` put in front, bundled: the first family is generic, which draws differently on every machine`);
  }
  for (const family of use.families) lines.push(`- ${describe(family)}`);
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: use.range };
}
