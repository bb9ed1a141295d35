// The Renders view and Render As…, end to end in the workbench: a render appears in the view with its
// progress, ends "done" with Open / Re-run / Remove acting on it; Render As… is answered in VS Code's own
// save dialog (the web workbench's simple file dialog, driven with the keyboard) and its file's extension
// picks the format.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { RenderResult } from '../../../server/engine/render/types';
import type { RenderInspection } from '../../../extension/render';
import { inputValue, press, texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { closeAllEditors, extensionApi, fixtureUri, waitFor, workspaceRoot } from '../host/util';

const run = promisify(execFile);
const SMALL = 'render-small.html';
const LONG = 'render-long.html';
const SMALL_FRAMES = 60;
const RENDER_TIMEOUT_MS = 90_000;
const VIEW_ROWS = '.pane-body .monaco-list-row';
const QUICK_INPUT = '.quick-input-widget';
/** The save dialog's path box (the web workbench's simple file dialog is a quick input). */
const DIALOG_INPUT = '.quick-input-widget .quick-input-box input';

const inspect = async (): Promise<RenderInspection> => vscode.commands.executeCommand<RenderInspection>('hyperframesLive.render.inspect');

function rendersDir(): string {
  return path.join(workspaceRoot().fsPath, 'renders');
}

async function videoStream(file: string): Promise<{ frames: number; codec: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames',
    '-show_entries', 'stream=nb_read_frames,codec_name', '-of', 'json', file]);
  const stream = (JSON.parse(stdout) as { streams: Array<{ nb_read_frames: string; codec_name: string }> }).streams[0];
  return { frames: Number(stream.nb_read_frames), codec: stream.codec_name };
}

/** Types text into the focused input, one key at a time (as a person would). */
async function type(text: string): Promise<void> {
  for (const key of text) await press(key);
}

export const tests: HostTest[] = [
  {
    name: 'the Renders view lists a render with its progress, then done; Open, Re-run and Remove act on it',
    timeoutMs: RENDER_TIMEOUT_MS * 3,
    needs: 'workbench-page',
    run: async () => {
      await extensionApi();
      // A long render, to see it running (with its progress) and cancel it from the view.
      const long = path.join(rendersDir(), 'view-long.mp4');
      const cancelled = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render',
        { uri: fixtureUri(LONG), format: 'mp4', quality: 'draft', output: long, noPrompt: true });
      const running = await waitFor('the view to show the render capturing, with its progress', async () => {
        // The view appears with the session's first render: focus (expand) it once it is there.
        await vscode.commands.executeCommand('hyperframesLive.renders.focus');
        return (await texts(VIEW_ROWS)).find(row => /render-long\s*capture \d+% · frame \d+\/1800/.test(row));
      }, RENDER_TIMEOUT_MS);
      assert.match(running, /render-long/);
      const longJob = (await inspect()).jobs.find(j => j.outputPath === long && j.status === 'running');
      assert.ok(longJob, 'the queue runs it');
      assert.equal((await inspect()).view.find(r => r.id === longJob.id)?.contextValue, 'hyperframesLive.render.running', 'a running render offers Cancel');
      // The row's Cancel action: the view passes the job itself.
      const viewJob = (await inspect()).jobs.find(j => j.id === longJob.id);
      await vscode.commands.executeCommand('hyperframesLive.cancelRender', viewJob);
      assert.equal(await cancelled, undefined, 'the render was cancelled');
      await waitFor('the view\'s row to read "cancelled"', async () => (await texts(VIEW_ROWS)).find(r => /render-long\s*cancelled/.test(r)), 10_000);

      const output = path.join(rendersDir(), 'view-test.mp4');
      fs.rmSync(output, { force: true });
      const pending = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render',
        { uri: fixtureUri(SMALL), format: 'mp4', quality: 'draft', output, noPrompt: true });
      const result = await pending;
      assert.ok(result, 'the render finished');
      const job = (await inspect()).jobs.find(j => j.outputPath === output && j.status === 'done');
      assert.ok(job, 'the queue lists the finished render');
      const row = await waitFor('the view to show it done', async () =>
        (await inspect()).view.find(r => r.id === job.id && /^done in \d+\.\d s$/.test(r.description)));
      assert.equal(row.contextValue, 'hyperframesLive.render.done', 'a finished render offers Open / Reveal / Re-run / Remove');
      await waitFor('the view\'s row to read "done"', async () => (await texts(VIEW_ROWS)).find(r => /render-small\s*done in/.test(r)), 10_000);

      // Open (the row's inline action, and what a click on the row runs).
      await vscode.commands.executeCommand('hyperframesLive.renders.open', { id: job.id });
      await waitFor('the output open in an editor', () =>
        (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'view-test.mp4' ? true : undefined), 20_000);

      // Re-run: the same request as a new job, to the same file.
      fs.rmSync(output);
      await vscode.commands.executeCommand('hyperframesLive.renders.rerun', { id: job.id });
      const again = await waitFor('the re-run to finish', async () =>
        (await inspect()).jobs.find(j => j.id > job.id && j.outputPath === output && j.status === 'done'), RENDER_TIMEOUT_MS);
      assert.deepEqual([again.format, again.quality], ['mp4', 'draft']);
      assert.deepEqual(await videoStream(output), { frames: SMALL_FRAMES, codec: 'h264' });

      // Remove: the finished render leaves the view (its file stays).
      await vscode.commands.executeCommand('hyperframesLive.renders.remove', { id: job.id });
      await waitFor('the removed render to leave the view', async () => ((await inspect()).view.some(r => r.id === job.id) ? undefined : true));
      assert.ok((await inspect()).view.some(r => r.id === again.id), 'the other render stays listed');
      assert.ok(fs.existsSync(output), 'Remove does not delete the output');
      await closeAllEditors();
    },
  },
  {
    name: 'Render As… asks in a save dialog on the last output, and the chosen extension picks the format',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    needs: 'workbench-page',
    run: async () => {
      // The composition's last output, in a folder of its own: the dialog must start there.
      const folder = path.join(rendersDir(), 'elsewhere');
      const remembered = await vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render',
        { uri: fixtureUri(SMALL), format: 'mp4', quality: 'draft', output: path.join(folder, 'as-default.mp4'), noPrompt: true });
      assert.ok(remembered, 'the first render finished');
      const document = await vscode.workspace.openTextDocument(fixtureUri(SMALL));
      await vscode.window.showTextDocument(document, { preview: false });
      const output = path.join(folder, 'as-dialog.webm');
      fs.rmSync(output, { force: true });
      const chosen = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.renderAs');
      // The web workbench's save dialog is a quick input holding the default file's path, with its name
      // (without the extension) selected: type the new name over it, then replace ".mp4" with ".webm".
      await waitFor('the save dialog', async () => ((await texts(QUICK_INPUT)).some(t => t.includes('Render render-small As')) ? true : undefined), 20_000);
      // Keys typed before the dialog has focused its box and filled in the default path would go elsewhere
      // or be replaced by it (a loaded machine takes its time): wait for both, and for the typed name.
      await waitFor('the dialog to offer the last output, focused', async () => {
        const box = await inputValue(DIALOG_INPUT);
        return box.focused && box.value?.endsWith('as-default.mp4') ? true : undefined;
      }, 20_000);
      await type('as-dialog');
      for (let i = 0; i < '.mp4'.length; i++) await press('Delete');
      await type('.webm');
      await waitFor('the typed name in the dialog', async () => ((await inputValue(DIALOG_INPUT)).value?.endsWith('/as-dialog.webm') ? true : undefined), 20_000);
      await press('Enter');
      const result = await chosen;
      assert.ok(result, 'the render finished');
      assert.equal(result.outputPath, output, 'written where the dialog said');
      assert.equal(result.format, 'webm', 'the .webm extension chose WebM');
      assert.deepEqual(await videoStream(output), { frames: SMALL_FRAMES, codec: 'vp9' });
      await closeAllEditors();
    },
  },
];
