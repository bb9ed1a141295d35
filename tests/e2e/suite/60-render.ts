// Render from VS Code, end to end in the real extension host: the command renders a fixture and ffprobe reads
// the expected frames and duration, the progress arrived with increasing frame counts, the copied CLI line
// reproduces the render, a cancelled render leaves no file and no browser or ffmpeg process, two renders
// queue and run one after the other, a failing composition reports its stage, typing-time diagnostics keep
// arriving during a render, and (through the workbench page) the notification shows the frame count, its
// Cancel button stops the render and the quick pick offers the formats.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { RenderResult } from '../../../server/engine/render/types';
import type { RenderCommandOptions, RenderInspection, RenderJobSnapshot } from '../../../extension/render';
import { shellQuote } from '../../../extension/render/text';
import { click, press, texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { closeAllEditors, EXTENSION_ID, extensionApi, fixtureUri, waitFor, waitForDiagnostic, workspaceRoot } from '../host/util';
import { descendantProcesses, readProcess, stillRunning, type ProcessInfo } from '../../support/processes';

const run = promisify(execFile);
const SMALL = 'render-small.html';
const LONG = 'render-long.html';
const SMALL_FRAMES = 60;
const LONG_FRAMES = 1800;
const FPS = 30;
/** A render of the small fixture takes a few seconds; on a loaded 2-core machine, many more. */
const RENDER_TIMEOUT_MS = 90_000;
/** How long processes a cancelled render started may take to disappear after it reports cancelled. */
const PROCESS_EXIT_GRACE_MS = 5_000;
const TOASTS = '.notifications-toasts .notification-toast';
const QUICK_PICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

const render = (options: RenderCommandOptions): Thenable<RenderResult | undefined> =>
  vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render', options);
const inspect = async (): Promise<RenderInspection> =>
  (await vscode.commands.executeCommand<RenderInspection>('hyperframesLive.render.inspect'));
const jobFor = async (predicate: (job: RenderJobSnapshot) => boolean): Promise<RenderJobSnapshot | undefined> =>
  [...(await inspect()).jobs].reverse().find(predicate);
const newestJob = async (): Promise<RenderJobSnapshot> => {
  const jobs = (await inspect()).jobs;
  assert.ok(jobs.length > 0, 'the queue knows a job');
  return jobs[jobs.length - 1];
};

function rendersDir(): string {
  return path.join(workspaceRoot().fsPath, 'renders');
}

interface Probed {
  frames: number;
  duration: number;
  width: number;
  height: number;
  codec: string;
}

async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames',
    '-show_entries', 'stream=nb_read_frames,width,height,codec_name:format=duration', '-of', 'json', file]);
  const parsed = JSON.parse(stdout) as { streams: Array<{ nb_read_frames: string; width: number; height: number; codec_name: string }>; format: { duration: string } };
  const stream = parsed.streams[0];
  return { frames: Number(stream.nb_read_frames), duration: Number(parsed.format.duration), width: stream.width, height: stream.height, codec: stream.codec_name };
}

async function assertVideo(file: string, frames: number, codec: string): Promise<void> {
  assert.ok(fs.existsSync(file), `${file} exists`);
  const probed = await ffprobe(file);
  assert.equal(probed.frames, frames, `${path.basename(file)}: ffprobe counts ${frames} frames`);
  assert.ok(Math.abs(probed.duration - frames / FPS) < 1.5 / FPS, `${path.basename(file)}: duration ${probed.duration} s ≈ ${frames / FPS} s`);
  assert.deepEqual([probed.width, probed.height, probed.codec], [320, 180, codec]);
}

/** No output and no staging file of a cancelled or failed render. */
function assertNoOutput(outputPath: string): void {
  assert.ok(!fs.existsSync(outputPath), `${outputPath} was not written`);
  const folder = path.dirname(outputPath);
  const partial = fs.existsSync(folder) ? fs.readdirSync(folder).filter(f => f.startsWith(`.${path.basename(outputPath)}.partial`)) : [];
  assert.deepEqual(partial, [], 'no partial file is left');
}

/** Capture frame numbers of the job's progress events, in order. */
function capturedFrames(job: RenderJobSnapshot): number[] {
  return job.progress.filter(p => p.stage === 'capture' && p.frame !== undefined).map(p => p.frame ?? 0);
}

function assertCountsUp(frames: number[]): void {
  assert.ok(frames.length > 0, 'capture progress was reported');
  for (let i = 1; i < frames.length; i++) assert.ok(frames[i] >= frames[i - 1], `frame counts never go down: ${frames.join(',')}`);
}

/** Waits until the running job has captured at least `frames` frames; returns it. */
function waitForCapture(outputPath: string, frames: number): Promise<RenderJobSnapshot> {
  return waitFor(`the render of ${path.basename(outputPath)} to capture ${frames} frames`, async () => {
    const job = await jobFor(j => j.outputPath === outputPath);
    assert.ok(job, 'the job is queued');
    assert.equal(job.status, 'running', `the job runs (${job.failureMessage ?? job.status})`);
    return Math.max(0, ...capturedFrames(job)) >= frames ? job : undefined;
  }, RENDER_TIMEOUT_MS);
}

/** The worker's process tree while it renders: it must include the capture browser and ffmpeg. */
function renderTree(job: RenderJobSnapshot): ProcessInfo[] {
  assert.ok(job.pid, 'the render runs in a worker process');
  const tree = descendantProcesses(job.pid);
  assert.ok(tree.some(p => p.command.includes('chromium')), `a browser runs under the worker: ${tree.map(p => p.command.slice(0, 60)).join(' | ')}`);
  assert.ok(tree.some(p => /(^|\/)ffmpeg\b/.test(p.command)), 'ffmpeg runs under the worker');
  return tree;
}

async function assertTreeGone(tree: ProcessInfo[], workerPid: number): Promise<void> {
  const worker = readProcess(workerPid);
  const all = worker ? [worker, ...tree] : tree;
  await waitFor('every process of the cancelled render to exit', () => {
    const alive = stillRunning(all);
    assert.deepEqual(alive.map(p => `${p.pid} ${p.command.slice(0, 60)}`), []);
    return true;
  }, PROCESS_EXIT_GRACE_MS);
}

/**
 * Writes a valid composition, opens it, then makes the edit a person types (a start reference to an id that does
 * not exist); resolves with the milliseconds from the edit to its diagnostic.
 */
async function typingDiagnosticLatency(name: string): Promise<number> {
  const broken = fs.readFileSync(fixtureUri('broken-reference.html').fsPath, 'utf8');
  const file = path.join(workspaceRoot().fsPath, `${name}.html`);
  fs.writeFileSync(file, broken.replace('data-start="titel"', 'data-start="title"'));
  try {
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document, { preview: false });
    const offset = document.getText().indexOf('data-start="title"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + 'data-start="title"'.length)), 'data-start="titel"');
    const started = Date.now();
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
    await waitForDiagnostic(document.uri, 'unknown-start-reference', 30_000);
    const latency = Date.now() - started;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return latency;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * scripts/bench-vscode-render.mjs sets these: the benchmark renders $HYPERFRAMES_E2E_BENCH_ENTRY through the command
 * and through the CLI, alternating, and writes the wall times to $HYPERFRAMES_E2E_BENCH (a JSON file).
 */
const BENCH_OUT = process.env.HYPERFRAMES_E2E_BENCH;
const BENCH_ENTRY = process.env.HYPERFRAMES_E2E_BENCH_ENTRY;
const BENCH_RUNS = Number(process.env.HYPERFRAMES_E2E_BENCH_RUNS || 3);

const benchmark: HostTest = {
  name: 'benchmark: rendering through VS Code against the CLI',
  timeoutMs: 60 * 60_000,
  run: async () => {
    assert.ok(BENCH_OUT && BENCH_ENTRY, 'run through scripts/bench-vscode-render.mjs');
    await extensionApi();
    const cli = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'dist', 'cli.js').fsPath;
    const outDir = fs.mkdtempSync(path.join(path.dirname(BENCH_OUT), 'bench-vscode-'));
    const samples: Array<{ via: 'vscode' | 'cli'; ms: number; renderMs?: number }> = [];
    try {
      for (let i = 0; i < BENCH_RUNS; i++) {
        const output = path.join(outDir, `vscode-${i}.mp4`);
        let started = Date.now();
        const result = await render({ uri: vscode.Uri.file(BENCH_ENTRY), format: 'mp4', quality: 'standard', output, noPrompt: true });
        assert.ok(result, 'the VS Code render finished');
        samples.push({ via: 'vscode', ms: Date.now() - started, renderMs: result.wallMs });
        started = Date.now();
        await run(process.execPath, [cli, 'render', BENCH_ENTRY, '-o', path.join(outDir, `cli-${i}.mp4`), '--format', 'mp4', '--quality', 'standard']);
        samples.push({ via: 'cli', ms: Date.now() - started });
      }
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
    fs.writeFileSync(BENCH_OUT, JSON.stringify({ entry: BENCH_ENTRY, samples }, null, 2));
  },
};

export const tests: HostTest[] = BENCH_OUT ? [benchmark] : [
  {
    name: 'renders a composition: ffprobe reads its frames and duration, progress counted up, the CLI line reproduces it',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    run: async () => {
      await extensionApi();
      const started = Date.now();
      const result = await render({ uri: fixtureUri(SMALL), format: 'mp4', quality: 'draft', noPrompt: true });
      const vscodeMs = Date.now() - started;
      assert.ok(result, 'the command resolves to the result');
      assert.equal(result.outputPath, path.join(rendersDir(), 'render-small.mp4'), 'the default output is renders/<name>.<ext> beside the composition');
      await assertVideo(result.outputPath, SMALL_FRAMES, 'h264');

      const job = await newestJob();
      assert.equal(job.status, 'done');
      const frames = capturedFrames(job);
      assertCountsUp(frames);
      assert.equal(frames[frames.length - 1], SMALL_FRAMES, 'the last capture event counts every frame');
      const increments = job.notifications.map(n => n.increment ?? 0);
      assert.ok(increments.every(i => i >= 0), 'percentages are reported as increments');
      assert.equal(increments.reduce((a, b) => a + b, 0), 100, 'the increments add up to 100 %');
      assert.ok(job.notifications.some(n => new RegExp(`frame \\d+/${SMALL_FRAMES}`).test(n.message)), 'the notification showed "frame N/M"');

      // The bundled CLI by absolute path: a VSIX user has no `hyperframes-live` on PATH.
      const cli = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'dist', 'cli.js').fsPath;
      assert.equal(job.cliCommand, `node ${shellQuote(cli)} render render-small.html -o renders/render-small.mp4 --fps 30 --quality draft --format mp4 --workers ${result.workers}`);
      fs.rmSync(result.outputPath);
      const cliStarted = Date.now();
      // As the user runs it: pasted into a shell in the workspace folder.
      await run('sh', ['-c', job.cliCommand], { cwd: workspaceRoot().fsPath });
      console.log(`[host]   render through VS Code ${vscodeMs} ms; the copied CLI line ${Date.now() - cliStarted} ms`);
      await assertVideo(result.outputPath, SMALL_FRAMES, 'h264');
    },
  },
  {
    name: 'renders a time range (the preview\'s Render Range): the range\'s frames, named after it, --from/--to in the CLI line',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    run: async () => {
      await extensionApi();
      // As the preview sends it: the uri as a string, the range in composition seconds.
      const result = await render({ uri: fixtureUri(SMALL).toString(), range: { start: 0.5, end: 1.5 }, format: 'mp4', quality: 'draft', noPrompt: true });
      assert.ok(result, 'the command resolves to the result');
      assert.equal(result.outputPath, path.join(rendersDir(), 'render-small-0.5s-1.5s.mp4'), 'the default output names the range');
      assert.deepEqual(result.range, { start: 0.5, end: 1.5 });
      await assertVideo(result.outputPath, FPS, 'h264');
      const job = await newestJob();
      assert.equal(capturedFrames(job).at(-1), FPS, 'progress counts the range\'s frames');
      const cli = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'dist', 'cli.js').fsPath;
      assert.equal(job.cliCommand,
        `node ${shellQuote(cli)} render render-small.html -o renders/render-small-0.5s-1.5s.mp4 --fps 30 --quality draft --format mp4 --workers ` +
        `${result.workers} --from 0.5 --to 1.5`);
      fs.rmSync(result.outputPath);
      await run('sh', ['-c', job.cliCommand!], { cwd: workspaceRoot().fsPath });
      await assertVideo(result.outputPath, FPS, 'h264');
    },
  },
  {
    name: 'two renders queue: the second waits, then both finish one after the other (Render with Last Settings)',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    run: async () => {
      const output = path.join(rendersDir(), 'queued.webm');
      fs.rmSync(output, { force: true });
      const first = render({ uri: fixtureUri(SMALL), format: 'webm', quality: 'draft', output, noPrompt: true });
      await waitFor('the first render to run', async () => (await jobFor(j => j.outputPath === output && j.status === 'running')) ?? undefined, RENDER_TIMEOUT_MS);
      const second = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.renderLast');
      const [running, queued] = await waitFor('the second render to be queued', async () => {
        const jobs = (await inspect()).jobs.filter(j => j.outputPath === output && (j.status === 'running' || j.status === 'queued'));
        return jobs.length === 2 ? jobs : undefined;
      });
      assert.deepEqual([running.status, queued.status], ['running', 'queued'], 'one runs, the other waits');
      assert.deepEqual([queued.uri, queued.format, queued.quality], [running.uri, 'webm', 'draft'], 'Render with Last Settings repeats the last render');
      assert.match((await inspect()).statusText, /^\$\(sync~spin\) Rendering render-small \d+% \(\+1 queued\)$/);

      const results = await Promise.all([first, second]);
      assert.ok(results[0] && results[1], 'both renders finished');
      const [a, b] = (await inspect()).jobs.filter(j => j.id === running.id || j.id === queued.id);
      assert.ok(b.startedAt! >= a.endedAt!, `the second started (${b.startedAt}) after the first ended (${a.endedAt})`);
      assert.ok(b.notifications.some(n => /^Queued: waiting for 1 render/.test(n.message)), 'the queued notification said it waits');
      await assertVideo(output, SMALL_FRAMES, 'vp9');
      assert.equal((await inspect()).statusText, '', 'the status item hides when the queue is empty');
    },
  },
  {
    name: 'a failing composition reports its stage and reason, and writes nothing',
    timeoutMs: RENDER_TIMEOUT_MS,
    run: async () => {
      const result = await render({ uri: fixtureUri('zero-duration.html'), format: 'mp4', noPrompt: true });
      assert.equal(result, undefined, 'a failed render resolves to undefined');
      const job = await newestJob();
      assert.equal(job.status, 'failed');
      assert.equal(job.failure?.stage, 'probe');
      assert.equal(job.failure?.code, 'zero-duration');
      assert.match(job.failureMessage ?? '', /^Rendering zero-duration failed while loading the composition in the browser \(probe\): .*duration/i);
      assertNoOutput(job.outputPath);
    },
  },
  {
    name: 'typing-time diagnostics arrive during a render; Cancel Render stops it and leaves no file or process',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    run: async () => {
      await typingDiagnosticLatency('typing-warm-up'); // the language server may not have started yet
      const idleLatency = await typingDiagnosticLatency('typing-idle');
      const output = path.join(rendersDir(), 'cancel-command.mp4');
      const pending = render({ uri: fixtureUri(LONG), output, noPrompt: true });
      const job = await waitForCapture(output, 10);
      const tree = renderTree(job);
      const busyLatency = await typingDiagnosticLatency('typing-during-render');
      const during = await jobFor(j => j.id === job.id);
      assert.equal(during?.status, 'running', 'the diagnostic arrived while the render was still running');
      console.log(`[host]   typing diagnostic: ${idleLatency} ms idle, ${busyLatency} ms during a render (frame ${Math.max(...capturedFrames(during!))}/${LONG_FRAMES})`);
      // On a quiet machine the diagnostic can arrive before a third progress report: wait for it rather
      // than race the render (LONG_FRAMES leave many seconds of capture).
      await waitFor('three capture progress reports', async () => {
        const running = await jobFor(j => j.id === job.id);
        return running && new Set(capturedFrames(running)).size >= 3 ? running : undefined;
      });

      const cancelled = Date.now();
      await vscode.commands.executeCommand('hyperframesLive.cancelRender', { id: job.id });
      assert.equal(await pending, undefined, 'a cancelled render resolves to undefined');
      const cancelMs = Date.now() - cancelled;
      console.log(`[host]   cancel → render ended in ${cancelMs} ms`);
      const ended = await jobFor(j => j.id === job.id);
      assert.equal(ended?.status, 'cancelled');
      const frames = capturedFrames(ended!);
      assertCountsUp(frames);
      assert.ok(new Set(frames).size >= 3, `progress came several times with increasing frame counts: ${frames.join(',')}`);
      const gaps = ended!.notifications.slice(1).map((n, i) => n.at - ended!.notifications[i].at);
      console.log(`[host]   ${ended!.notifications.length} notification updates, longest gap ${Math.max(...gaps)} ms`);
      assert.ok(Math.max(...capturedFrames(ended!)) < LONG_FRAMES, 'it stopped mid-way');
      assertNoOutput(output);
      await assertTreeGone(tree, job.pid!);
    },
  },
  {
    name: 'the notification shows frame N/M; its Cancel button stops the render and says so',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    needs: 'workbench-page',
    run: async () => {
      await vscode.commands.executeCommand('notifications.clearAll');
      const output = path.join(rendersDir(), 'cancel-button.mp4');
      const pending = render({ uri: fixtureUri(LONG), output, noPrompt: true });
      const job = await waitForCapture(output, 10);
      const tree = renderTree(job);
      const toast = await waitFor('a notification with the frame count', async () =>
        (await texts(TOASTS)).find(t => t.includes('Rendering render-long') && new RegExp(`Capturing · frame \\d+/${LONG_FRAMES} · [\\d.]+ fps · ETA \\d+:\\d\\d`).test(t)), 20_000);
      assert.match(toast, /Rendering render-long/);
      assert.match((await texts('.statusbar-item')).join('\n'), /Rendering render-long \d+%/, 'the status bar shows the running render');
      void vscode.commands.executeCommand('hyperframesLive.showRenderQueue');
      await waitFor('the render queue listing the running render', async () =>
        (await texts(QUICK_PICK_ROWS)).find(r => r.includes('render-long') && new RegExp(`capture \\d+% · frame \\d+/${LONG_FRAMES}`).test(r)), 20_000);
      await press('Escape');
      await click(`${TOASTS} .monaco-button`, 'Cancel');
      assert.equal(await pending, undefined, 'the render was cancelled');
      assert.equal((await jobFor(j => j.id === job.id))?.status, 'cancelled');
      await waitFor('the toast saying it was cancelled', async () =>
        (await texts(TOASTS)).find(t => t.includes('Rendering render-long was cancelled; nothing was written.')), 20_000);
      assertNoOutput(output);
      await assertTreeGone(tree, job.pid!);
      await vscode.commands.executeCommand('notifications.clearAll');
    },
  },
  {
    name: 'from the editor, the quick pick offers format and quality and remembers the choice',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    needs: 'workbench-page',
    run: async () => {
      const rows = QUICK_PICK_ROWS;
      await vscode.commands.executeCommand('notifications.clearAll');
      const document = await vscode.workspace.openTextDocument(fixtureUri(SMALL));
      await vscode.window.showTextDocument(document, { preview: false });
      const output = path.join(rendersDir(), 'render-small.webm');
      fs.rmSync(output, { force: true });
      // Unsaved changes are saved before the render (saveBeforeRender "always").
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.positionAt(document.getText().length), '<!-- edited before rendering -->\n');
      assert.ok(await vscode.workspace.applyEdit(edit) && document.isDirty, 'the composition has unsaved changes');
      // From the palette: no argument, the active composition editor.
      const chosen = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render');
      await waitFor('the format quick pick', async () => ((await texts(rows)).some(r => r.includes('WebM (VP9) · draft')) ? true : undefined), 20_000);
      assert.ok((await texts(rows)).some(r => r.includes('renders/render-small.mp4')), 'the items show where the output goes');
      for (const key of 'webm draft') await press(key === ' ' ? 'Space' : key);
      await waitFor('the filtered pick', async () => ((await texts(`${rows}.focused`)).some(r => r.includes('WebM (VP9) · draft')) ? true : undefined), 10_000);
      await press('Enter');
      const result = await chosen;
      assert.ok(result, 'the chosen render finished');
      assert.equal(result.outputPath, output);
      assert.ok(!document.isDirty && fs.readFileSync(document.uri.fsPath, 'utf8').includes('edited before rendering'), 'the composition was saved first');
      await assertVideo(output, SMALL_FRAMES, 'vp9');
      // "Open" shows it in VS Code's own video preview.
      await waitFor('the success toast', async () => (await texts(TOASTS)).find(t => t.includes('Rendered renders/render-small.webm')), 20_000);
      await click(`${TOASTS} .monaco-button`, 'Open');
      await waitFor('the video open in an editor', () =>
        (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'render-small.webm' ? true : undefined), 20_000);
      await vscode.window.showTextDocument(document, { preview: false });

      const again = vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render', document.uri);
      // The unfiltered list (every quality again) with the last choice focused.
      await waitFor('the quick pick again, the last choice preselected', async () =>
        ((await texts(rows)).some(r => r.includes('MP4 (H.264) · high')) && (await texts(`${rows}.focused`)).some(r => r.includes('WebM (VP9) · draft'))
          ? true : undefined), 20_000);
      await press('Escape');
      assert.equal(await again, undefined, 'dismissing the pick renders nothing');
      await closeAllEditors();
      await vscode.commands.executeCommand('notifications.clearAll');
    },
  },
];
