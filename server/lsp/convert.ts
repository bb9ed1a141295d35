// Conversions between the engine's world (absolute paths, EngineDiagnostic) and LSP's (URIs, Diagnostic).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { EngineDiagnostic, Range, Severity } from '../engine/model';

export const DIAGNOSTIC_SOURCE = 'hyperframes';

/** Absolute path of a file: URI, or undefined for other schemes (untitled:, git:, …) the engine cannot read. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(diagnostic: EngineDiagnostic): Diagnostic {
  const lsp: Diagnostic = {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    message: diagnostic.message,
  };
  if (diagnostic.data !== undefined) lsp.data = diagnostic.data;
  return lsp;
}

export function rangeContains(range: Range, position: { line: number; character: number }): boolean {
  const afterStart = position.line > range.start.line
    || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line
    || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Seconds as the UI shows them everywhere (hover, CodeLens, symbols). */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
