// Hover on a data-var-text / data-var-src binding: the variable it names (type, label, default, where it is
// declared) and the value the element shows, per sub-composition instance when the file is used twice.
import path from 'node:path';
import type { Hover, Position } from 'vscode-languageserver/node';
import type { Composition, VariableBinding } from '../../engine/model';
import { rangeContains } from '../convert';

function shown(value: unknown): string {
  return value === undefined ? 'nothing (the element keeps what is written)' : `\`${JSON.stringify(value)}\``;
}

export function variableHover(composition: Composition, file: string, position: Position): Hover | undefined {
  const bindings = composition.variableBindings.filter(binding => binding.file === file && rangeContains(binding.range, position));
  const first: VariableBinding | undefined = bindings[0];
  if (!first) return undefined;
  const { declaration } = first;
  const lines: string[] = [];
  if (declaration) {
    const label = declaration.label ? ` · "${declaration.label}"` : '';
    lines.push(`**${declaration.id}** · \`${declaration.type}\` variable${label} · \`${first.attribute}\``, '');
    lines.push(`Default: ${'default' in declaration ? `\`${JSON.stringify(declaration.default)}\`` : 'none'}`);
    if (declaration.options) lines.push('', `Options: ${declaration.options.map(option => `\`${option}\``).join(', ')}`);
    lines.push('', `Declared in ${path.basename(declaration.file)}:${declaration.range.start.line + 1}`);
  } else {
    lines.push(`**${first.id}** · not declared in data-composition-variables · \`${first.attribute}\``);
  }
  lines.push('');
  if (bindings.length === 1) {
    lines.push(`Shows ${shown(first.value)}${first.hostId ? ` in \`${first.hostId}\`` : ''}`);
  } else {
    // One file included by several hosts: each instance has its own values (data-variable-values).
    for (const binding of bindings) lines.push(`- \`${binding.hostId ?? 'top level'}\`: ${shown(binding.value)}`);
  }
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: first.range };
}
