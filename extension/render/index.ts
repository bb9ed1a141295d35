// Render from VS Code: the commands (Render Composition…, Render with Last Settings, Show Render Queue, Cancel
// Render), the queue with its notifications and status bar item, and the context keys the menus use.
//
// Test seam (documented for tests/e2e/suite/50-render.ts and other callers):
//   executeCommand('hyperframesLive.render', { uri, format, quality, output, fps, workers, transparent, noPrompt: true })
//     asks nothing and resolves to the RenderResult, or undefined when the render was cancelled or failed
//     (every other way of calling it resolves the same way once the render ends);
//   executeCommand('hyperframesLive.render.inspect') → RenderInspection: the status bar text and every job
//     the queue knows (running, queued, the session's finished ones), with its worker pid, progress events, the
//     reports its notification made, its result or failure, and the CLI line "Copy CLI Command" would copy;
//     and the Renders view's rows as it shows them.
//   executeCommand('hyperframesLive.renderBatch', rowsFileUri, { composition, format, quality, noPrompt: true })
//     renders one queued job per row (server/cli/batch.ts) and resolves to the BatchDocument (each row's
//     output or error), or undefined when nothing ran;
//   The Renders view's item commands take the job (as the view passes it), `{ id }` or the job's id.
import { CommandIds } from '../commands';
import * as vscode from 'vscode';
import type { RenderResult } from '../../server/engine/render/types';
import type { RenderProgress } from '../../server/engine/render/events';
import { trackCompositionContext } from '../ctx';
import { showRenderNotification, type NotificationReport } from './notification';
import { announceOutcome, cliCommandFor, failureMessage, openOutput, revealOutput } from './outcome';
import { RenderQueue, type RenderFailure, type RenderJob, type RenderJobStatus } from './queue';
import { showRenderQueue } from './queueView';
import { RENDERS_VIEW_ID, RenderQueueTree, type RenderTreeRow } from './queueTree';
import {
  activeComposition, buildRequest, LAST_CHOICE_KEY, LAST_OUTPUTS_KEY, LAST_RENDER_KEY, parseCommandArgs, pickFormat, saveIfDirty,
  type FormatChoice, type LastRender, type RenderCommandOptions,
} from './request';
import { askRenderAs } from './renderAs';
import { renderBatch, type BatchCommandOptions } from './batch';
import { savedFileFor } from './output';
import { readRenderSettings, type RenderSettings } from './settings';
import { RenderStatusItem } from './statusItem';

/** The render commands (ids from the one table, extension/commands.ts). */
export const RenderCommands = {
  render: CommandIds.render,
  renderLast: CommandIds.renderLast,
  showQueue: CommandIds.showRenderQueue,
  cancel: CommandIds.cancelRender,
  inspect: CommandIds.inspectRenders,
  renderAs: CommandIds.renderAs,
  renderBatch: CommandIds.renderBatch,
  openOutput: CommandIds.openRenderOutput,
  revealOutput: CommandIds.revealRenderOutput,
  rerun: CommandIds.rerunRender,
  remove: CommandIds.removeRender,
} as const;

/** Set while a render runs or waits (Cancel Render in the palette). */
const RENDER_ACTIVE_CONTEXT_KEY = 'hyperframesLive.renderActive';
/**
 * Set, for the rest of the session, once a composition was open or a render was asked for: the Renders view
 * shows from then on (and not in every HTML project the extension activates in).
 */
const RENDERS_VIEW_CONTEXT_KEY = 'hyperframesLive.rendersViewEnabled';

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
  /** The Renders view's rows, top to bottom. */
  view: RenderTreeRow[];
}

export function registerRender(context: vscode.ExtensionContext, { log }: RenderDeps): vscode.Disposable {
  const queue = new RenderQueue({
    workerPath: context.asAbsolutePath('dist/render-worker.js'),
    maxConcurrent: () => readRenderSettings().maxConcurrent,
    log: (job, level, message) => log[level](`render #${job.id} ${job.request.name}: ${message}`),
  });
  const status = new RenderStatusItem(queue, RenderCommands.showQueue);
  const tree = new RenderQueueTree(queue, RenderCommands.openOutput);
  const view = vscode.window.createTreeView(RENDERS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  const reports = new Map<number, NotificationReport[]>();
  const cliPath = context.asAbsolutePath('dist/cli.js');
  let rendersViewEnabled = false;
  const enableRendersView = (): void => {
    if (rendersViewEnabled) return;
    rendersViewEnabled = true;
    void vscode.commands.executeCommand('setContext', RENDERS_VIEW_CONTEXT_KEY, true);
  };

  /** `announce`: the job's own end toast (a batch's rows end in one summary instead). */
  const enqueue = (request: ReturnType<typeof buildRequest>, announce = true): RenderJob => {
    const job = queue.enqueue(request);
    log.info(`render #${job.id} ${job.request.name}: queued ${JSON.stringify(job.request.options)}`);
    // Reports are kept only for the jobs the queue still lists.
    for (const id of reports.keys()) if (!queue.find(id)) reports.delete(id);
    const seen: NotificationReport[] = [];
    reports.set(job.id, seen);
    enableRendersView();
    void showRenderNotification(job, queue, report => seen.push(report)).then(outcome => {
      if (announce) {
        announceOutcome(job, outcome, {
          log, cliPath, renderAnyway: blocked => enqueue({ ...blocked.request, options: { ...blocked.request.options, allowErrors: true } }),
        });
      }
    });
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
      variables: options.variables,
    };
    await context.workspaceState.update(LAST_RENDER_KEY, last);
    // Where each composition last went: "Render As…" starts its dialog there.
    const outputs = { ...context.workspaceState.get<Record<string, string>>(LAST_OUTPUTS_KEY) };
    for (const job of jobs) outputs[job.request.uri] = savedFileFor(job.request.options.outputPath, job.request.options.format);
    await context.workspaceState.update(LAST_OUTPUTS_KEY, outputs);
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

  /** "Render As…": the save dialog picks the file and, by its extension, the format; then it renders. */
  async function renderAs(first?: unknown, second?: unknown): Promise<RenderResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      refuseUntrusted();
      return undefined;
    }
    const { uris, options } = parseCommandArgs(first, second);
    const target = uris[0] ?? activeComposition();
    if (!target || target.scheme !== 'file') {
      void vscode.window.showWarningMessage('Open a HyperFrames composition saved to a file (an .html file with data-composition-id) to render it.');
      return undefined;
    }
    const settings = readRenderSettings(target);
    const remembered = context.workspaceState.get<FormatChoice>(LAST_CHOICE_KEY) ?? { format: settings.format, quality: settings.quality };
    const lastOutput = context.workspaceState.get<Record<string, string>>(LAST_OUTPUTS_KEY)?.[target.toString()];
    const chosen = await askRenderAs(target.fsPath, { remembered, lastOutput, outputFolder: settings.outputFolder, range: options.range });
    if (!chosen) return undefined;
    await context.workspaceState.update(LAST_CHOICE_KEY, { format: chosen.format, quality: remembered.quality } satisfies FormatChoice);
    return render({ ...options, uri: target, format: chosen.format, quality: options.quality ?? remembered.quality, output: chosen.output });
  }

  /** The job a Renders view command was given: the view passes the job; callers may pass `{ id }` or the id. */
  function jobOf(arg: unknown): RenderJob | undefined {
    const id = typeof arg === 'number' ? arg : typeof arg === 'object' && arg !== null && 'id' in arg ? Number(arg.id) : undefined;
    return id === undefined ? undefined : queue.find(id);
  }

  async function onOutput(arg: unknown, action: (outputPath: string) => Promise<void>): Promise<void> {
    const job = jobOf(arg);
    if (job?.outcome?.status !== 'done') {
      void vscode.window.showInformationMessage('That render has not written an output.');
      return;
    }
    try {
      await action(job.outcome.result.outputPath);
    } catch (error) {
      void vscode.window.showErrorMessage(`HyperFrames: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Re-run: the same request again (same composition, options and output), queued as a new job. */
  function rerun(arg: unknown): RenderJob | undefined {
    const job = jobOf(arg);
    if (!job) return undefined;
    return enqueue(job.request);
  }

  function renderLast(): Promise<RenderResult | undefined> {
    const last = context.workspaceState.get<LastRender>(LAST_RENDER_KEY);
    if (!last) return render();
    const options: RenderCommandOptions = {
      uri: last.uri, format: last.format, quality: last.quality, output: last.output, range: last.range, variables: last.variables, noPrompt: true,
    };
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
        cliCommand: outcome?.status === 'done' ? cliCommandFor(job, outcome.result, cliPath) : undefined,
      };
    };
    return { statusText: status.text, jobs: [...queue.activeJobs, ...queue.recentJobs].map(snapshot).sort((a, b) => a.id - b.id), view: tree.rows() };
  }

  let renderActive = false;
  const queueSubscription = queue.onDidChange(() => {
    const now = queue.activeJobs.length > 0;
    if (now === renderActive) return;
    renderActive = now;
    void vscode.commands.executeCommand('setContext', RENDER_ACTIVE_CONTEXT_KEY, now);
  });

  return vscode.Disposable.from(
    trackCompositionContext(enableRendersView),
    status,
    view,
    tree,
    { dispose: () => { queueSubscription.dispose(); queue.dispose(); } },
    vscode.commands.registerCommand(RenderCommands.render, render),
    vscode.commands.registerCommand(RenderCommands.renderLast, renderLast),
    vscode.commands.registerCommand(RenderCommands.showQueue, () => showRenderQueue(queue, log)),
    vscode.commands.registerCommand(RenderCommands.cancel, cancel),
    vscode.commands.registerCommand(RenderCommands.inspect, inspect),
    vscode.commands.registerCommand(RenderCommands.renderAs, renderAs),
    vscode.commands.registerCommand(RenderCommands.renderBatch, (target: unknown, options?: BatchCommandOptions) => {
      if (!vscode.workspace.isTrusted) {
        refuseUntrusted();
        return undefined;
      }
      enableRendersView();
      return renderBatch({ log, enqueueRow: request => enqueue(request, false), chooseFormat: (uri, choice) => chooseFormat(uri, choice, readRenderSettings(uri)) },
        target, isBatchOptions(options) ? options : {});
    }),
    vscode.commands.registerCommand(RenderCommands.openOutput, (arg: unknown) => onOutput(arg, openOutput)),
    vscode.commands.registerCommand(RenderCommands.revealOutput, (arg: unknown) => onOutput(arg, revealOutput)),
    vscode.commands.registerCommand(RenderCommands.rerun, rerun),
    vscode.commands.registerCommand(RenderCommands.remove, (arg: unknown) => { const job = jobOf(arg); if (job) queue.remove(job.id); }),
  );
}

/** The Explorer passes (uri, selected uris); a caller passes (uri, options). */
function isBatchOptions(value: unknown): value is BatchCommandOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}

function refuseUntrusted(): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window.showErrorMessage(
    'HyperFrames renders only in a trusted workspace: rendering runs the composition\'s scripts in a browser.', manage,
  ).then(choice => { if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage'); });
}
