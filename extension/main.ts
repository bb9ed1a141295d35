// Activates HyperFrames Live: creates the log channels and the language status item, registers the commands
// (they work even while the language server is down), and hands the client's life to HyperframesLive (ctx.ts),
// which starts the server when the first composition is opened.
import * as vscode from 'vscode';
import { HyperframesLive } from './ctx';
import { checkEnvironmentLocally, formatEnvironmentReport, summarizeEnvironmentReport, type EnvironmentReport, type ReportOrigin } from './environment';
import { CheckEnvironmentRequest, SETTINGS_SECTION } from '../server/protocol/lsp';
import { createLogs, type ExtensionLogs } from './log';
import { registerPreview } from './preview';
import { registerRender } from './render';
import { Commands, LanguageStatus, type ServerPhase } from './status';
import { registerWalkthrough } from './walkthrough';

/** What activate() returns: read by the end-to-end tests, and by nothing else. */
export interface HyperframesLiveApi {
  readonly serverPhase: ServerPhase;
  readonly serverStarts: number;
  readonly statusText: string;
  /** The language status item's link, and the titles of the menu it opens. */
  readonly statusLink: vscode.Command | undefined;
  readonly statusMenu: readonly string[];
  readonly logs: ExtensionLogs;
  /** Folder of the log channels' files (context.logUri). */
  readonly logUri: vscode.Uri;
}

let live: HyperframesLive | undefined;

export function activate(context: vscode.ExtensionContext): HyperframesLiveApi | undefined {
  const logs = createLogs();
  context.subscriptions.push(logs);
  try {
    const status = new LanguageStatus(vscode.workspace.isTrusted);
    live = new HyperframesLive(context, logs, status);
    const session = live;
    context.subscriptions.push(
      status,
      { dispose: () => void session.dispose() },
      vscode.commands.registerCommand(Commands.showLog, () => logs.main.show()),
      vscode.commands.registerCommand(Commands.restartServer, () => session.restart()),
      vscode.commands.registerCommand(Commands.checkEnvironment, () => checkEnvironment(session, context)),
    );
    // One feature failing to register must not take the others (or the language client) down with it.
    registerFeature('preview', logs, () => context.subscriptions.push(registerPreview(context, {
      log: logs.main, compositionSource: (entryFile, reuse) => session.previewComposition(entryFile, reuse),
    })));
    registerFeature('render', logs, () => context.subscriptions.push(registerRender(context, { log: logs.main })));
    registerFeature('walkthrough', logs, () => context.subscriptions.push(registerWalkthrough(context)));
    session.watch();
    logs.main.info(`HyperFrames Live ${String(context.extension.packageJSON.version)} activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
    return {
      get serverPhase() { return session.serverPhase; },
      get serverStarts() { return session.serverStarts; },
      get statusText() { return status.text; },
      get statusLink() { return status.link; },
      get statusMenu() { return status.menu.map(action => action.title); },
      logs,
      logUri: context.logUri,
    };
  } catch (error) {
    reportActivationFailure('activation', logs, error);
    return undefined;
  }
}

function reportActivationFailure(what: string, logs: ExtensionLogs, error: unknown): void {
  // VS Code only logs a failed activation; say it where the user looks.
  const message = error instanceof Error ? error.message : String(error);
  logs.main.error(`${what} failed: ${error instanceof Error ? error.stack ?? message : message}`);
  void vscode.window.showErrorMessage(`HyperFrames Live: ${what} failed: ${message}`, 'Show Log')
    .then(choice => { if (choice) logs.main.show(); });
}

function registerFeature(name: string, logs: ExtensionLogs, register: () => void): void {
  try {
    register();
  } catch (error) {
    reportActivationFailure(`starting the ${name}`, logs, error);
  }
}

export async function deactivate(): Promise<void> {
  await live?.dispose();
  live = undefined;
}

/** "HyperFrames: Check Environment": asks the running server, else runs the locators here. Returns the report (for tests). */
async function checkEnvironment(session: HyperframesLive, context: vscode.ExtensionContext): Promise<EnvironmentReport> {
  const { main: log } = session.logs;
  const client = session.runningClient;
  let report: EnvironmentReport;
  let origin: ReportOrigin;
  if (client) {
    report = await client.sendRequest(CheckEnvironmentRequest.type, {});
    origin = 'language server';
  } else {
    report = await checkEnvironmentLocally(session.trusted, String(context.extension.packageJSON.version));
    origin = 'extension host';
  }
  for (const line of formatEnvironmentReport(report, origin)) log.info(line);
  const summary = summarizeEnvironmentReport(report);
  const actions = ['Show Log', 'Open Settings'] as const;
  const show = summary.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(summary.text, ...actions).then(choice => {
    if (choice === 'Show Log') log.show();
    else if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
    }
  });
  return report;
}
