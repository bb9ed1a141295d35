// The page's console buffer and page errors, as lines for the client's "page console" output channel.
import type { ProbeResult } from '../engine/probe/types';
import type { PageConsoleLevel, PageConsoleLine } from '../protocol/lsp';

const LEVELS: Record<string, PageConsoleLevel> = {
  log: 'log', info: 'info', warn: 'warn', warning: 'warn', error: 'error', debug: 'debug', trace: 'debug',
};

export function pageConsoleLines(result: ProbeResult): PageConsoleLine[] {
  const lines: PageConsoleLine[] = result.console.map(entry => {
    const line: PageConsoleLine = { level: LEVELS[entry.type] ?? 'log', text: entry.text };
    if (entry.url !== undefined) line.url = entry.url;
    // The browser counts lines from 0; people (and the output channel) from 1.
    if (entry.line !== undefined) line.line = entry.line + 1;
    return line;
  });
  for (const error of result.pageErrors) {
    const line: PageConsoleLine = { level: 'page-error', text: error.stack ?? error.message };
    if (error.location) {
      line.url = error.location.file;
      line.line = error.location.line;
    }
    lines.push(line);
  }
  return lines;
}
