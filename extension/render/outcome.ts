// What the user is told when a render ends. Success: a summary with "Open" (VS Code's own video preview),
// "Reveal in File Explorer" and "Copy CLI Command". Failure: the stage and the reason in plain words, with
// "Show Log" (the full error is logged); a render blocked by the composition's errors also offers "Render Anyway". Cancelled: that it was, and that nothing was written.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RenderResult } from '../../server/engine/render/types';
import type { RenderFailure, RenderJob, RenderOutcome } from './queue';
import { cliCommandLine, STAGE_ACTIVITY, successSummary } from './text';

export interface OutcomeMessages {
  log: vscode.LogOutputChannel;
  /** Queues the same render again with its errors allowed (the blocked render's "Render Anyway"). */
  renderAnyway: (job: RenderJob) => void;
  /** The bundled CLI (`<extensionPath>/dist/cli.js`) the copied command line runs. */
  cliPath: string;
}

const OPEN = 'Open';
const REVEAL = 'Reveal in File Explorer';
const COPY_CLI = 'Copy CLI Command';
const SHOW_LOG = 'Show Log';
const RENDER_ANYWAY = 'Render Anyway';
const SHOW_PROBLEMS = 'Show Problems';
/** The engine's code for a render stopped by the composition's errors (renderJob.ts blockOnProblems). */
const BLOCKED_BY_ERRORS = 'composition-errors';

/** The folder a copied command line's relative paths are relative to: the one a new terminal opens in. */
function commandCwd(file: string): string | undefined {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath;
}

export function cliCommandFor(job: RenderJob, result: RenderResult, cliPath: string): string {
  const { options } = job.request;
  return cliCommandLine({
    cliPath,
    entryFile: options.entryFile, outputPath: result.outputPath, format: result.format, quality: options.quality,
    fps: result.frameRate ?? result.fps, workers: result.workers, transparent: options.transparent, range: options.range, cwd: commandCwd(options.entryFile),
    chromiumPath: options.chromiumPath, ffmpegPath: options.ffmpegPath, allowErrors: options.allowErrors,
    variables: options.variables,
  });
}

/** At most this many of a blocked render's errors are named in its toast (all of them are in Problems and the log). */
const BLOCKING_ERRORS_NAMED = 3;

/**
 * The failure as a sentence: "Rendering hello failed while loading the composition in the browser (probe): …";
 * a render blocked by the composition's errors names them (file:line code) instead of the engine's long text.
 */
export function failureMessage(job: RenderJob, failure: RenderFailure): string {
  if (failure.code === BLOCKED_BY_ERRORS && failure.diagnostics.length > 0) {
    const errors = failure.diagnostics.filter(d => d.severity === 'error');
    const listed = (errors.length > 0 ? errors : failure.diagnostics);
    const named = listed.slice(0, BLOCKING_ERRORS_NAMED).map(d => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code}`);
    const more = listed.length > named.length ? ` and ${listed.length - named.length} more` : '';
    const noun = errors.length > 0 ? `error${listed.length === 1 ? '' : 's'}` : `warning${listed.length === 1 ? '' : 's'} (strict)`;
    return `Rendering ${job.request.name} stopped before capture: ${listed.length} ${noun} would leave content missing from the video (${named.join(', ')}${more}).`;
  }
  const where = failure.stage ? ` while ${STAGE_ACTIVITY[failure.stage]} (${failure.stage})` : '';
  return `Rendering ${job.request.name} failed${where}: ${failure.message}`;
}

/**
 * Opens the output: the video in VS Code's own player, a PNG sequence's first frame; a folder with nothing
 * VS Code shows (an HLS stream's playlist and segments) is revealed instead.
 */
export async function openOutput(outputPath: string): Promise<void> {
  let target = outputPath;
  if (fs.statSync(outputPath).isDirectory()) {
    const first = fs.readdirSync(outputPath).filter(f => f.endsWith('.png')).sort()[0];
    if (!first) return revealOutput(outputPath);
    target = path.join(outputPath, first);
  }
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}

/** The OS file manager on a desktop; the Explorer view where there is none (the web workbench, remotes). */
export async function revealOutput(outputPath: string): Promise<void> {
  const uri = vscode.Uri.file(outputPath);
  const noOsFileManager = vscode.env.uiKind === vscode.UIKind.Web || vscode.env.remoteName !== undefined;
  await vscode.commands.executeCommand(noOsFileManager ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/** Shows the toast for a finished job (does not wait for the user's answer). */
export function announceOutcome(job: RenderJob, outcome: RenderOutcome, { log, renderAnyway, cliPath }: OutcomeMessages): void {
  const tag = `render #${job.id} ${job.request.name}`;
  switch (outcome.status) {
    case 'done': {
      const { result } = outcome;
      const shown = vscode.workspace.asRelativePath(result.outputPath);
      const command = cliCommandFor(job, result, cliPath);
      log.info(`${tag}: ${successSummary(result, result.outputPath)}; timings ${JSON.stringify(result.timings)}`);
      log.info(`${tag}: reproduce with: ${command}`);
      for (const warning of result.warnings) log.warn(`${tag}: rendered despite ${warning.code}: ${warning.message}`);
      void vscode.window.showInformationMessage(successSummary(result, shown), OPEN, REVEAL, COPY_CLI).then(async choice => {
        try {
          if (choice === OPEN) await openOutput(result.outputPath);
          else if (choice === REVEAL) await revealOutput(result.outputPath);
          else if (choice === COPY_CLI) {
            await vscode.env.clipboard.writeText(command);
            void vscode.window.showInformationMessage(`Copied: ${command}`);
          }
        } catch (error) {
          log.error(`${tag}: "${choice}" failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      break;
    }
    case 'cancelled':
      log.info(`${tag}: cancelled${job.startedAt ? '' : ' before it started'}`);
      void vscode.window.showInformationMessage(`Rendering ${job.request.name} was cancelled; nothing was written.`);
      break;
    case 'failed': {
      const { failure } = outcome;
      log.error(`${tag}: failed in ${failure.stage ?? 'the render worker'}${failure.code ? ` [${failure.code}]` : ''}: ${failure.message}`);
      // Blocked by the composition's own errors (listed in the message and in Problems): the user may go on.
      const blocked = failure.code === BLOCKED_BY_ERRORS && !job.request.options.allowErrors;
      const actions = blocked ? [RENDER_ANYWAY, SHOW_PROBLEMS] : [SHOW_LOG];
      void vscode.window.showErrorMessage(failureMessage(job, failure), ...actions).then(choice => {
        if (choice === SHOW_LOG) log.show();
        else if (choice === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (choice === RENDER_ANYWAY) renderAnyway(job);
      });
      break;
    }
  }
}
