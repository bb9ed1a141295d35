// Render from VS Code: the commands (Render Composition…, Render with Last Settings, Show Render Queue, Cancel
// Render), the queue with its notifications and status bar item, and the context keys the menus use.
//
// Test seam (documented for tests/e2e/suite/50-render.ts and other callers):
//   executeCommand('hyperframesLive.render', { uri, format, quality, output, fps, workers, transparent, noPrompt: true })
//     asks nothing and resolves to the RenderResult, or undefined when the render was cancelled or failed
//     (every other way of calling it resolves the same way once the render ends);
//   executeCommand('hyperframesLive.render.inspect') → RenderInspection: the status bar text and every job
//     the queue knows (running, queued, the last finished), with its worker pid, progress events, the reports
//     its notification made, its result or failure, and the CLI line "Copy CLI Command" would copy.
import { CommandIds } from '../commands';
import * as vscode from 'vscode';
import type { RenderResult } from '../../server/engine/render/types';
import type { RenderProgress } from '../../server/engine/render/events';
import { isComposition } from '../ctx';
import { showRenderNotification, type NotificationReport } from './notification';
import { announceOutcome, cliCommandFor, failureMessage } from './outcome';
import { RenderQueue, type RenderFailure, type RenderJob, type RenderJobStatus } from './queue';
import { showRenderQueue } from './queueView';
import {
  activeComposition, buildRequest, LAST_CHOICE_KEY, LAST_RENDER_KEY, parseCommandArgs, pickFormat, saveIfDirty,
  type FormatChoice, type LastRender, type RenderCommandOptions,
} from './request';
import { readRenderSettings, type RenderSettings } from './settings';
import { RenderStatusItem } from './statusItem';

/** The render commands (ids from the one table, extension/commands.ts). */
export const RenderCommands = {
  render: CommandIds.render,
  renderLast: CommandIds.renderLast,
  showQueue: CommandIds.showRenderQueue,
  cancel: CommandIds.cancelRender,
  inspect: CommandIds.inspectRenders,
} as const;

/** Set while the active editor holds a composition (editor/title's Render button). */
const COMPOSITION_CONTEXT_KEY = 'hyperframesLive.isComposition';
/** Set while a render runs or waits (Cancel Render in the palette). */
const RENDER_ACTIVE_CONTEXT_KEY = 'hyperframesLive.renderActive';

export interface RenderDeps {
  log: vscode.LogOutputChannel;
}

export type { RenderCommandOptions } from './request';

export interface RenderJobSnapshot {
  id: number;
  name: string;
  uri: string;
  outputPath: string;
  format: string;
  quality: string;
  status: RenderJobStatus;
  pid: number | undefined;
  queuedAt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  progress: RenderProgress[];
  notifications: NotificationReport[];
  result: RenderResult | undefined;
  failure: RenderFailure | undefined;
  /** The error toast's text, for a failure. */
  failureMessage: string | undefined;
  /** What "Copy CLI Command" copies, for a success. */
  cliCommand: string | undefined;
}

export interface RenderInspection {
  statusText: string;
  jobs: RenderJobSnapshot[];
}

export function registerRender(context: vscode.ExtensionContext, { log }: RenderDeps): vscode.Disposable {
  const queue = new RenderQueue({
    workerPath: context.asAbsolutePath('dist/render-worker.js'),
    maxConcurrent: () => readRenderSettings().maxConcurrent,
    log: (job, level, message) => log[level](`render #${job.id} ${job.request.name}: ${message}`),
  });
  const status = new RenderStatusItem(queue, RenderCommands.showQueue);
  const reports = new Map<number, NotificationReport[]>();

  const enqueue = (request: ReturnType<typeof buildRequest>): RenderJob => {
    const job = queue.enqueue(request);
    log.info(`render #${job.id} ${job.request.name}: queued ${JSON.stringify(job.request.options)}`);
    // Reports are kept only for the jobs the queue still lists.
    for (const id of reports.keys()) if (!queue.find(id)) reports.delete(id);
    const seen: NotificationReport[] = [];
    reports.set(job.id, seen);
    void showRenderNotification(job, queue, report => seen.push(report)).then(outcome => announceOutcome(job, outcome, {
      log, renderAnyway: blocked => enqueue({ ...blocked.request, options: { ...blocked.request.options, allowErrors: true } }),
    }));
    return job;
  };

  async function render(first?: unknown, second?: unknown): Promise<RenderResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      refuseUntrusted();
      return undefined;
    }
    const { uris, options } = parseCommandArgs(first, second);
    const active = activeComposition();
    const targets = uris.length ? uris : active ? [active] : [];
    if (targets.length === 0) {
      void vscode.window.showWarningMessage('Open a HyperFrames composition (an .html file with data-composition-id) to render it.');
      return undefined;
    }
    if (targets.some(uri => uri.scheme !== 'file')) {
      void vscode.window.showWarningMessage('Save the composition to a file first: only compositions on disk can be rendered.');
      return undefined;
    }
    const settings = readRenderSettings(targets[0]);
    const choice = await chooseFormat(targets[0], options, settings);
    if (!choice) return undefined;
    // After the question: dismissing the quick pick leaves the document as it was.
    for (const uri of targets) {
      if (!(await saveIfDirty(uri, settings, options.noPrompt === true, log))) return undefined;
    }
    const jobs = targets.map(uri => enqueue(buildRequest(uri, choice, options, settings)));
    const last: LastRender = {
      uri: targets[targets.length - 1].toString(), ...choice, output: targets.length === 1 ? options.output : undefined, range: options.range,
    };
    await context.workspaceState.update(LAST_RENDER_KEY, last);
    const outcomes = await Promise.all(jobs.map(job => job.finished));
    return outcomes[0].status === 'done' ? outcomes[0].result : undefined;
  }

  /** The options' format, or the quick pick's answer (remembered per workspace). undefined: dismissed. */
  async function chooseFormat(uri: vscode.Uri, options: RenderCommandOptions, settings: RenderSettings): Promise<FormatChoice | undefined> {
    const remembered = context.workspaceState.get<FormatChoice>(LAST_CHOICE_KEY) ?? { format: settings.format, quality: settings.quality };
    if (options.noPrompt || options.format) {
      return { format: options.format ?? settings.format, quality: options.quality ?? (options.format ? remembered.quality : settings.quality) };
    }
    const picked = await pickFormat(uri.fsPath, settings.outputFolder, remembered, options.range, options.transparent ?? settings.transparent);
    if (picked) await context.workspaceState.update(LAST_CHOICE_KEY, picked);
    return picked;
  }

  function renderLast(): Promise<RenderResult | undefined> {
    const last = context.workspaceState.get<LastRender>(LAST_RENDER_KEY);
    if (!last) return render();
    const options: RenderCommandOptions = { uri: last.uri, format: last.format, quality: last.quality, output: last.output, range: last.range, noPrompt: true };
    return render(options);
  }

  function cancel(arg?: unknown): void {
    const id = typeof arg === 'number' ? arg : typeof arg === 'object' && arg !== null && 'id' in arg ? Number(arg.id) : undefined;
    if (id !== undefined) {
      if (!queue.cancel(id)) void vscode.window.showInformationMessage(`Render #${id} is not running or queued.`);
      return;
    }
    const jobs = queue.activeJobs;
    if (jobs.length === 0) void vscode.window.showInformationMessage('No render is running.');
    else if (jobs.length === 1) jobs[0].cancel();
    else showRenderQueue(queue, log);
  }

  function inspect(): RenderInspection {
    const snapshot = (job: RenderJob): RenderJobSnapshot => {
      const outcome = job.outcome;
      return {
        id: job.id, name: job.request.name, uri: job.request.uri, outputPath: job.request.options.outputPath,
        format: job.request.options.format, quality: job.request.options.quality, status: job.status, pid: job.pid,
        queuedAt: job.queuedAt, startedAt: job.startedAt, endedAt: job.endedAt,
        progress: [...job.progressEvents], notifications: [...(reports.get(job.id) ?? [])],
        result: outcome?.status === 'done' ? outcome.result : undefined,
        failure: outcome?.status === 'failed' ? outcome.failure : undefined,
        failureMessage: outcome?.status === 'failed' ? failureMessage(job, outcome.failure) : undefined,
        cliCommand: outcome?.status === 'done' ? cliCommandFor(job, outcome.result) : undefined,
      };
    };
    return { statusText: status.text, jobs: [...queue.activeJobs, ...queue.recentJobs].map(snapshot).sort((a, b) => a.id - b.id) };
  }

  let compositionActive: boolean | undefined;
  const updateCompositionKey = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const now = document !== undefined && isComposition(document);
    if (now === compositionActive) return;
    compositionActive = now;
    void vscode.commands.executeCommand('setContext', COMPOSITION_CONTEXT_KEY, now);
  };
  let renderActive = false;
  const queueSubscription = queue.onDidChange(() => {
    const now = queue.activeJobs.length > 0;
    if (now === renderActive) return;
    renderActive = now;
    void vscode.commands.executeCommand('setContext', RENDER_ACTIVE_CONTEXT_KEY, now);
  });
  updateCompositionKey();

  return vscode.Disposable.from(
    status,
    { dispose: () => { queueSubscription.dispose(); queue.dispose(); } },
    vscode.commands.registerCommand(RenderCommands.render, render),
    vscode.commands.registerCommand(RenderCommands.renderLast, renderLast),
    vscode.commands.registerCommand(RenderCommands.showQueue, () => showRenderQueue(queue, log)),
    vscode.commands.registerCommand(RenderCommands.cancel, cancel),
    vscode.commands.registerCommand(RenderCommands.inspect, inspect),
    vscode.window.onDidChangeActiveTextEditor(updateCompositionKey),
    vscode.workspace.onDidChangeTextDocument(event => {
      if (event.document === vscode.window.activeTextEditor?.document) updateCompositionKey();
    }),
  );
}

function refuseUntrusted(): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window.showErrorMessage(
    'HyperFrames renders only in a trusted workspace: rendering runs the composition\'s scripts in a browser.', manage,
  ).then(choice => { if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage'); });
}
