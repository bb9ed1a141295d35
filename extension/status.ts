// The language status item shown beside HTML documents: what the language server is doing (starting, probing,
// idle with N problems), and when probing cannot run, why and what to do about it (set the Chromium path,
// trust the workspace, turn probing on). Driven by the client's state and the server's ProbeStatusNotification.
// Its link opens the server menu (rust-analyzer's status menu): the state's own fix first, then Restart
// Server, Show Log and Check Environment.
import { CommandIds } from './commands';
import * as vscode from 'vscode';
import type { ProbeStatusNotification } from '../server/protocol/lsp';
import { SettingIds } from './config';

/** Where the language client is in its life (the server's own probe state comes on top of 'running'). */
export type ServerPhase = 'not-started' | 'starting' | 'running' | 'restarting' | 'stopped';

export const STATUS_ITEM_ID = 'hyperframesLive.status';
/** The language status item's commands (ids from the one table, extension/commands.ts). */
export const Commands = {
  checkEnvironment: CommandIds.checkEnvironment,
  showLog: CommandIds.showLog,
  restartServer: CommandIds.restartServer,
  serverMenu: CommandIds.serverMenu,
} as const;

/** What the server menu offers besides the state's own fix, in this order. */
const MENU_ACTIONS: readonly vscode.Command[] = [
  { title: 'Restart Server', command: Commands.restartServer },
  { title: 'Show Log', command: Commands.showLog },
  { title: 'Check Environment', command: Commands.checkEnvironment },
];

interface MenuItem extends vscode.QuickPickItem {
  action: vscode.Command;
}

interface StatusView {
  text: string;
  detail?: string;
  severity: vscode.LanguageStatusSeverity;
  busy?: boolean;
  command?: vscode.Command;
}

const openSetting = (title: string, settingId: string): vscode.Command =>
  ({ title, command: 'workbench.action.openSettings', arguments: [settingId] });

export class LanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private phase: ServerPhase = 'not-started';
  private phaseDetail: string | undefined;
  private probe: ProbeStatusNotification.Params | undefined;
  /** The state's own fix (Set Chromium Path, Show Problems…), first in the menu. */
  private stateAction: vscode.Command | undefined;
  private readonly menuCommand: vscode.Disposable;

  constructor(private trusted: boolean) {
    this.menuCommand = vscode.commands.registerCommand(Commands.serverMenu, () => this.showMenu());
    this.item = vscode.languages.createLanguageStatusItem(STATUS_ITEM_ID, [
      { language: 'html', scheme: 'file' },
      { language: 'html', scheme: 'untitled' },
    ]);
    this.item.name = 'HyperFrames Live';
    this.render();
  }

  setPhase(phase: ServerPhase, detail?: string): void {
    this.phase = phase;
    this.phaseDetail = detail;
    // A new server starts with no probe state; the old one's must not linger.
    if (phase !== 'running') this.probe = undefined;
    this.render();
  }

  setProbeStatus(params: ProbeStatusNotification.Params): void {
    this.probe = params;
    this.render();
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.render();
  }

  /** What the item shows now, for tests and the log. */
  get text(): string {
    return this.item.text;
  }

  /** The item's link (the server menu), for tests. */
  get link(): vscode.Command | undefined {
    return this.item.command;
  }

  dispose(): void {
    this.menuCommand.dispose();
    this.item.dispose();
  }

  /** The menu's entries now: the state's fix (when it has one), Restart Server, Show Log, Check Environment. */
  get menu(): readonly vscode.Command[] {
    const state = this.stateAction && !MENU_ACTIONS.some(a => a.command === this.stateAction?.command) ? [this.stateAction] : [];
    return [...state, ...MENU_ACTIONS];
  }

  /** Shows the menu and runs the chosen entry; resolves to the chosen command's id (undefined: dismissed). */
  private async showMenu(): Promise<string | undefined> {
    const items: MenuItem[] = this.menu.map(action => ({ label: action.title, action }));
    const chosen = await vscode.window.showQuickPick(items, { title: 'HyperFrames Live', placeHolder: `${this.item.text}${this.item.detail ? ` · ${this.item.detail}` : ''}` });
    if (!chosen) return undefined;
    await vscode.commands.executeCommand(chosen.action.command, ...(chosen.action.arguments ?? []));
    return chosen.action.command;
  }

  private render(): void {
    const view = this.view();
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.severity = view.severity;
    this.item.busy = view.busy ?? false;
    this.stateAction = view.command;
    // One link: the menu, titled after the state's fix when there is one ("Set Chromium Path…").
    this.item.command = { title: view.command ? `${view.command.title}…` : 'Server Actions…', command: Commands.serverMenu };
  }

  private view(): StatusView {
    const { Information, Warning, Error } = vscode.LanguageStatusSeverity;
    const showLog: vscode.Command = { title: 'Show Log', command: Commands.showLog };
    switch (this.phase) {
      case 'not-started':
        return { text: 'HyperFrames', detail: 'starts when a composition is opened', severity: Information };
      case 'starting':
        return { text: 'HyperFrames: starting', severity: Information, busy: true };
      case 'restarting':
        return { text: 'HyperFrames: restarting', detail: this.phaseDetail ?? 'the language server stopped; restarting it', severity: Warning, busy: true, command: showLog };
      case 'stopped':
        return { text: 'HyperFrames: stopped', detail: this.phaseDetail ?? 'the language server is not running', severity: Error,
          command: { title: 'Restart', command: Commands.restartServer } };
      case 'running':
        return this.probeView();
    }
  }

  private probeView(): StatusView {
    const { Information, Warning, Error } = vscode.LanguageStatusSeverity;
    const probe = this.probe;
    if (!this.trusted || probe?.state === 'untrusted') {
      return { text: 'HyperFrames: static checks only', detail: 'probing is off: the workspace is not trusted (it would run the composition\'s scripts)',
        severity: Warning, command: { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' } };
    }
    if (!probe) return { text: 'HyperFrames', detail: 'ready', severity: Information };
    switch (probe.state) {
      case 'probing':
        return { text: 'HyperFrames: probing…', detail: probe.uris.map(describeUri).join(', '), severity: Information, busy: true };
      case 'browser-unavailable':
        return { text: 'HyperFrames: Chromium not found', detail: probe.message, severity: Error,
          command: openSetting('Set Chromium Path', SettingIds.chromiumPath) };
      case 'disabled':
        return { text: 'HyperFrames: static checks only', detail: 'probing on save is off', severity: Information,
          command: openSetting('Turn On', SettingIds.probeOnSave) };
      case 'idle':
        return problemsView(probe.problems);
    }
  }
}

function problemsView(problems: ProbeStatusNotification.Params['problems']): StatusView {
  const { Information, Warning, Error } = vscode.LanguageStatusSeverity;
  const openProblems: vscode.Command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  const total = problems.errors + problems.warnings;
  if (total === 0) return { text: 'HyperFrames: no problems', severity: Information };
  const parts = [plural(problems.errors, 'error'), plural(problems.warnings, 'warning')].filter(p => !p.startsWith('0 '));
  return { text: `HyperFrames: ${plural(total, 'problem')}`, detail: parts.join(', '),
    severity: problems.errors > 0 ? Error : Warning, command: openProblems };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function describeUri(uri: string): string {
  const parsed = vscode.Uri.parse(uri);
  return parsed.scheme === 'file' ? vscode.workspace.asRelativePath(parsed) : uri;
}
