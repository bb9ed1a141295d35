// Composition variables in real VS Code: the preview's Variables panel edits a value (a click on its checkbox
// in the webview), the frame reloads with it, and "Render with These Values" renders a video whose pixels
// show it, with --variables in the copied CLI line; "Render Batch" on a rows file renders one video per
// row through the queue and names the failing row in its summary.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { RenderInspection } from '../../../extension/render';
import type { PreviewPanelStatus } from '../../../extension/preview/panel';
import type { BatchDocument } from '../../../server/cli/batchRows';
import { click, clickInFrame, frameTexts, texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { closeAllEditors, extensionApi, fixtureUri, waitFor, workspaceRoot } from '../host/util';

const run = promisify(execFile);
const FIXTURE = 'variables.html';
const PREVIEW_TIMEOUT_MS = 45_000;
const RENDER_TIMEOUT_MS = 120_000;
const QUICK_PICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
const TOASTS = '.notifications-toasts .notification-toast';

/** RGB of pixel (x, y) of frame `frame` of a video, decoded by ffmpeg (converted first: a 1×1 crop of 4:2:0 is empty). */
async function videoPixel(file: string, frame: number, x: number, y: number): Promise<number[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame}),format=rgb24,crop=1:1:${x}:${y}`, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
  return [...stdout.subarray(0, 3)];
}

function near(actual: number[], expected: number[], tolerance = 24): boolean {
  return actual.length === 3 && actual.every((value, i) => Math.abs(value - expected[i]) <= tolerance);
}

async function previewOf(uri: vscode.Uri): Promise<PreviewPanelStatus | undefined> {
  const all = (await vscode.commands.executeCommand<PreviewPanelStatus[]>('hyperframesLive.preview.inspect')) ?? [];
  return all.find(status => status.uri === uri.toString());
}

async function inspect(): Promise<RenderInspection> {
  return vscode.commands.executeCommand<RenderInspection>('hyperframesLive.render.inspect');
}

export const tests: HostTest[] = [
  {
    name: 'the Variables panel edits a value live, and Render with These Values renders it (--variables in the CLI line)',
    needs: 'workbench-page',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    run: async () => {
      await extensionApi();
      await closeAllEditors();
      const uri = fixtureUri(FIXTURE);
      const original = fs.readFileSync(uri.fsPath, 'utf8');
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
      await vscode.commands.executeCommand('hyperframesLive.openPreviewToSide');
      const loaded = await waitFor('the variables preview to load', async () => {
        const status = await previewOf(uri);
        return status?.frame?.status === 'loaded' ? status : undefined;
      }, PREVIEW_TIMEOUT_MS);
      const labels = await waitFor('the Variables panel\'s inputs', async () => {
        const found = (await frameTexts('.variables .variable label')).flatMap(f => f.texts);
        return found.length > 0 ? found : undefined;
      }, PREVIEW_TIMEOUT_MS);
      assert.deepEqual(labels, ['Accent', 'Blue', 'Title']);

      // A person ticks "Blue": the page is served again with it and the frame reports again.
      await clickInFrame('.variables [data-variable-id="blue"]');
      await waitFor('the preview to reload with the new value', async () => {
        const status = await previewOf(uri);
        return status && status.frameReports > loaded.frameReports && status.frame?.status === 'loaded' ? true : undefined;
      }, PREVIEW_TIMEOUT_MS);
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), original, 'the file is not changed');
      assert.equal(document.isDirty, false);

      const before = new Set((await inspect()).jobs.map(job => job.id));
      await clickInFrame('.variables-render');
      await waitFor('the format quick pick', async () => ((await texts(QUICK_PICK_ROWS)).some(r => r.includes('MP4 (H.264) · draft')) ? true : undefined), 20_000);
      // Clicked as a person does (the keyboard may still be in the webview, which the click came from).
      await click(QUICK_PICK_ROWS, 'MP4 (H.264) · draft');
      const job = await waitFor('the render with these values to finish', async () => {
        const found = (await inspect()).jobs.find(j => !before.has(j.id) && j.uri === uri.toString());
        if (found?.status === 'failed') throw new Error(`the render failed: ${found.failureMessage ?? ''}`);
        return found?.status === 'done' ? found : undefined;
      }, RENDER_TIMEOUT_MS);
      assert.ok(job.result);
      // The swatch (20–70 × 20–70) is blue in the video, red by default.
      const pixel = await videoPixel(job.result.outputPath, 5, 45, 45);
      assert.ok(near(pixel, [0, 0, 255]), `the rendered swatch shows the panel's value (blue): ${pixel.join(',')}`);
      const cliCommand = job.cliCommand;
      assert.ok(cliCommand, 'a finished render has its CLI line');
      assert.ok(cliCommand.endsWith(`--variables '{"blue":true}'`), `the CLI line carries the values: ${cliCommand}`);

      // The copied line, run in a shell, renders the same values.
      fs.rmSync(job.result.outputPath);
      await run('sh', ['-c', cliCommand], { cwd: workspaceRoot().fsPath });
      const again = await videoPixel(job.result.outputPath, 5, 45, 45);
      assert.ok(near(again, [0, 0, 255]), `the CLI line renders blue too: ${again.join(',')}`);
      fs.rmSync(job.result.outputPath, { force: true });
      // The later specs read the Renders view: this spec's rows leave it.
      await vscode.commands.executeCommand('hyperframesLive.renders.remove', { id: job.id });
      await vscode.commands.executeCommand('notifications.clearAll');
      await closeAllEditors();
    },
  },
  {
    name: 'Render Batch on a rows file: one render per row with its values, the failing row named in the summary',
    needs: 'workbench-page',
    timeoutMs: RENDER_TIMEOUT_MS * 3,
    run: async () => {
      await extensionApi();
      await vscode.commands.executeCommand('notifications.clearAll');
      const rows = fixtureUri('batch/rows.json');
      const outDir = path.join(path.dirname(rows.fsPath), 'out');
      fs.rmSync(outDir, { recursive: true, force: true });
      // As the Explorer calls it (the file, and its selection); the composition beside it is inferred.
      const document = await vscode.commands.executeCommand<BatchDocument | undefined>('hyperframesLive.renderBatch', rows, { format: 'mp4', quality: 'draft', noPrompt: true });
      assert.ok(document, 'the batch ran');
      assert.deepEqual([document.total, document.rendered, document.failed], [3, 2, 1]);
      assert.deepEqual(document.rows.map(row => row.status), ['rendered', 'failed', 'rendered']);
      const expected: Array<[number, number[]]> = [[0, [0, 255, 0]], [2, [255, 255, 255]]];
      for (const [index, rgb] of expected) {
        const row: BatchDocument['rows'][number] = document.rows[index];
        assert.equal(row.output, path.join(outDir, index === 0 ? 'green.mp4' : 'white.mp4'));
        const pixel = await videoPixel(row.output, 2, 80, 45);
        assert.ok(near(pixel, rgb), `row ${index} shows its accent ${rgb.join(',')}: ${pixel.join(',')}`);
      }
      // One queued job per row, named after its row.
      const rowJobs = (await inspect()).jobs.filter(job => job.name.includes('rows.json'));
      assert.deepEqual(rowJobs.map(job => [job.name, job.status]), [
        ['promo · rows.json row 0', 'done'], ['promo · rows.json row 1', 'failed'], ['promo · rows.json row 2', 'done'],
      ]);
      const summary = await waitFor('the batch summary toast', async () => (await texts(TOASTS)).find(t => t.includes('Batch rows.json')), 20_000);
      assert.match(summary, /2 of 3 rendered; 1 failed \(row 1: /);
      assert.match(summary, /Show Log/);
      fs.rmSync(outDir, { recursive: true, force: true });
      for (const job of rowJobs) await vscode.commands.executeCommand('hyperframesLive.renders.remove', { id: job.id });
      await vscode.commands.executeCommand('notifications.clearAll');
    },
  },
];
