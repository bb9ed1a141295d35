// The extension's two output channels. Both are LogOutputChannels so the user picks the level and every line
// carries a timestamp: "HyperFrames Live" takes the client's own messages, the language server's log and LSP
// traces; "HyperFrames Live: Page Console" takes what a probed composition printed in the browser.
import * as vscode from 'vscode';
import type { PageConsoleNotification } from '../server/protocol/lsp';

export const LOG_CHANNEL_NAME = 'HyperFrames Live';
export const PAGE_CONSOLE_CHANNEL_NAME = 'HyperFrames Live: Page Console';

export interface ExtensionLogs extends vscode.Disposable {
  readonly main: vscode.LogOutputChannel;
  readonly pageConsole: vscode.LogOutputChannel;
}

export function createLogs(): ExtensionLogs {
  const main = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const pageConsole = vscode.window.createOutputChannel(PAGE_CONSOLE_CHANNEL_NAME, { log: true });
  return {
    main,
    pageConsole,
    dispose() {
      main.dispose();
      pageConsole.dispose();
    },
  };
}

/** Writes one probe's console buffer under a header naming the composition and version it ran on. */
export function appendPageConsole(channel: vscode.LogOutputChannel, params: PageConsoleNotification.Params): void {
  const file = vscode.Uri.parse(params.uri);
  const where = file.scheme === 'file' ? vscode.workspace.asRelativePath(file) : params.uri;
  channel.info(`── probe of ${where} (version ${params.version ?? 'on disk'}): ${params.lines.length} line(s)`);
  for (const line of params.lines) {
    const origin = line.url ? ` (${line.url}${line.line !== undefined ? `:${line.line}` : ''})` : '';
    const text = `${line.text}${origin}`;
    switch (line.level) {
      case 'error':
      case 'page-error':
        channel.error(line.level === 'page-error' ? `Uncaught ${text}` : text);
        break;
      case 'warn':
        channel.warn(text);
        break;
      case 'debug':
        channel.debug(text);
        break;
      default:
        channel.info(text);
    }
  }
}
