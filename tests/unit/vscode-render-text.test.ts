// What the VS Code render UI says and where it writes (extension/render/text.ts, output.ts): the notification
// line, the success summary, the copied CLI line (round-tripped through the CLI's own parser), output paths.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseRenderArgs } from '../../server/cli/render';
import { compositionName, outputForSavedFile, outputPathFor, saveDialogFilters, savedFileFor } from '../../extension/render/output';
import { cliCommandLine, formatClock, percentOf, progressMessage, queuedMessage, shellQuote, successSummary } from '../../extension/render/text';
import type { RenderResult } from '../../server/engine/render/types';

/** The bundled CLI as the extension names it (an absolute path; a VSIX lives under ~/.vscode/extensions). */
const CLI = '/home/u/.vscode/extensions/hyperframes-live.hyperframes-live-0.1.0/dist/cli.js';
/** An install path with a space is quoted, and the shell reads it back as one word. */
const CLI_WITH_SPACE = '/home/u/My Extensions/hyperframes-live/dist/cli.js';

/** Splits a line the way a POSIX shell would for the quoting shellQuote produces (bare words, '…', '\''). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /(?:[^\s']+|'[^']*')+/g;
  for (const match of line.matchAll(pattern)) words.push(match[0].replace(/'([^']*)'/g, '$1'));
  return words;
}

describe('render UI text', () => {
  it('shows frame N/M, fps and ETA during capture, the stage and its time otherwise', () => {
    assert.equal(progressMessage({ stage: 'capture', frame: 412, totalFrames: 900, fps: 14.23, etaSeconds: 34.4, fraction: 0.5 }, 0),
      'Capturing · frame 412/900 · 14.2 fps · ETA 0:34');
    assert.equal(progressMessage({ stage: 'capture', frame: 0, totalFrames: 900, fraction: 0.08 }, 0), 'Capturing · frame 0/900');
    assert.equal(progressMessage({ stage: 'probe', fraction: 0.02 }, 3400), 'Loading… 0:03');
    assert.equal(progressMessage({ stage: 'encode', fraction: 0.95 }, 61_000), 'Encoding… 1:01');
    assert.equal(queuedMessage(1), 'Queued: waiting for 1 render to finish');
    assert.equal(queuedMessage(2), 'Queued: waiting for 2 renders to finish');
  });

  it('rounds clocks and percentages and clamps them', () => {
    assert.equal(formatClock(0), '0:00');
    assert.equal(formatClock(59.6), '1:00');
    assert.equal(formatClock(-3), '0:00');
    assert.equal(percentOf(undefined), 0);
    assert.equal(percentOf({ stage: 'capture', fraction: 0.456 }), 46);
    assert.equal(percentOf({ stage: 'done', fraction: 1.2 }), 100);
  });

  it('summarises a result, with its warnings', () => {
    const result = {
      outputPath: '/p/renders/hello.mp4', format: 'mp4', sizeBytes: 1.5 * 1024 * 1024, duration: 5, frames: 150, fps: 30,
      wallMs: 13_760, warnings: [{ code: 'x' }],
    } as unknown as RenderResult;
    assert.equal(successSummary(result, 'renders/hello.mp4'),
      'Rendered renders/hello.mp4 · 5.00 s · 150 frames · 1.5 MB in 13.8 s · 1 warning (see Problems)');
  });

  it('quotes only what a shell would split or expand', () => {
    assert.equal(shellQuote('renders/hello.mp4'), 'renders/hello.mp4');
    assert.equal(shellQuote('my video.mp4'), `'my video.mp4'`);
    assert.equal(shellQuote(`it's.mp4`), `'it'\\''s.mp4'`);
    assert.equal(shellQuote('$HOME'), `'$HOME'`);
  });

  it('writes the CLI line relative to the workspace, and the CLI parses it back to the same render', () => {
    const line = cliCommandLine({
      cliPath: CLI_WITH_SPACE, entryFile: '/ws/hello/index.html', outputPath: '/ws/hello/renders/my hello.webm', format: 'webm', quality: 'high',
      fps: 24, workers: 2, cwd: '/ws',
    });
    assert.equal(line, `node '${CLI_WITH_SPACE}' render hello/index.html -o 'hello/renders/my hello.webm' --fps 24 --quality high --format webm --workers 2`);
    const words = shellWords(line);
    assert.deepEqual(words.slice(0, 3), ['node', CLI_WITH_SPACE, 'render']);
    const parsed = parseRenderArgs(words.slice(3)).options;
    assert.equal(parsed.entryFile, path.resolve('hello/index.html'));
    assert.equal(parsed.outputPath, path.resolve('hello/renders/my hello.webm'));
    assert.deepEqual([parsed.format, parsed.quality, parsed.fps, parsed.workers], ['webm', 'high', 24, 2]);
  });

  it('puts a time range in the CLI line as --from/--to, and the CLI parses it back to the same range', () => {
    const line = cliCommandLine({
      cliPath: CLI, entryFile: '/ws/hello/index.html', outputPath: '/ws/hello/renders/hello-1.5s-3s.mp4', format: 'mp4', quality: 'standard',
      fps: 30, workers: 2, range: { start: 1.5, end: 3 }, cwd: '/ws',
    });
    assert.equal(line, `node ${CLI} render hello/index.html -o hello/renders/hello-1.5s-3s.mp4 --fps 30 --quality standard --format mp4 --workers 2 --from 1.5 --to 3`);
    assert.deepEqual(parseRenderArgs(shellWords(line).slice(3)).options.range, { start: 1.5, end: 3 });
    // Seconds the preview sent are written exactly, so the CLI renders the very same frames.
    const exact = cliCommandLine({
      cliPath: CLI, entryFile: '/ws/a.html', outputPath: '/ws/a.mp4', format: 'mp4', quality: 'draft', fps: 30, workers: 1, range: { start: 1 / 3, end: 2 }, cwd: '/ws',
    });
    assert.deepEqual(parseRenderArgs(shellWords(exact).slice(3)).options.range, { start: 1 / 3, end: 2 });
  });

  it('a transparent render copies --transparent, and the CLI reads it back', () => {
    const line = cliCommandLine({
      cliPath: CLI, entryFile: '/ws/a.html', outputPath: '/ws/renders/a.webm', format: 'webm', quality: 'standard', fps: 30, workers: 2, transparent: true, cwd: '/ws',
    });
    assert.equal(line, `node ${CLI} render a.html -o renders/a.webm --fps 30 --quality standard --format webm --workers 2 --transparent`);
    const parsed = parseRenderArgs(shellWords(line).slice(3)).options;
    assert.deepEqual([parsed.format, parsed.transparent], ['webm', true]);
    const opaque = cliCommandLine({ cliPath: CLI, entryFile: '/ws/a.html', outputPath: '/ws/a.webm', format: 'webm', quality: 'standard', fps: 30, workers: 2, cwd: '/ws' });
    assert.doesNotMatch(opaque, /--transparent/);
  });

  it('"Render with These Values" copies --variables as one quoted JSON word, and the CLI reads the same values back', () => {
    const variables = { title: 'Hello "world" #1', accent: '#00ff00', distance: 42, show: true };
    const line = cliCommandLine({
      cliPath: CLI, entryFile: '/ws/promo/index.html', outputPath: '/ws/promo/renders/index.mp4', format: 'mp4', quality: 'standard', fps: 30, workers: 2, cwd: '/ws', variables,
    });
    assert.equal(line, `node ${CLI} render promo/index.html -o promo/renders/index.mp4 --fps 30 --quality standard --format mp4 --workers 2 `
      + `--variables '{"title":"Hello \\"world\\" #1","accent":"#00ff00","distance":42,"show":true}'`);
    assert.deepEqual(parseRenderArgs(shellWords(line).slice(3)).options.variables, variables);
    // An apostrophe in a value closes and reopens the quote, as POSIX shells read it.
    const apostrophe = cliCommandLine({ cliPath: CLI, entryFile: '/ws/a.html', outputPath: '/ws/a.mp4', format: 'mp4', quality: 'draft', fps: 30, workers: 1, cwd: '/ws', variables: { title: "It's" } });
    assert.ok(apostrophe.endsWith(`--variables '{"title":"It'\\''s"}'`), apostrophe);
    // No values (or none edited): no flag, the line of a plain render.
    const plain = cliCommandLine({ cliPath: CLI, entryFile: '/ws/a.html', outputPath: '/ws/a.mp4', format: 'mp4', quality: 'draft', fps: 30, workers: 1, cwd: '/ws', variables: {} });
    assert.doesNotMatch(plain, /--variables/);
  });

  it('keeps paths outside the workspace absolute and passes explicit tools on', () => {
    const line = cliCommandLine({
      cliPath: CLI, entryFile: '/elsewhere/a.html', outputPath: '/elsewhere/renders/a.mp4', format: 'mp4', quality: 'standard',
      fps: 30, workers: 1, cwd: '/ws', chromiumPath: '/opt/chrome/chrome', ffmpegPath: '/opt/ffmpeg',
    });
    assert.equal(line, `node ${CLI} render /elsewhere/a.html -o /elsewhere/renders/a.mp4 --fps 30 --quality standard --format mp4 --workers 1 --chromium /opt/chrome/chrome --ffmpeg /opt/ffmpeg`);
  });
});

describe('render output paths', () => {
  it('writes <outputFolder>/<name>.<ext> beside the composition, named after the folder for index.html', () => {
    assert.equal(outputPathFor('/ws/hello/index.html', 'mp4', 'renders'), '/ws/hello/renders/hello.mp4');
    assert.equal(outputPathFor('/ws/intro.html', 'webm', 'out/videos'), '/ws/out/videos/intro.webm');
    assert.equal(outputPathFor('/ws/intro.html', 'png', 'renders'), '/ws/renders/intro');
    assert.equal(outputPathFor('/ws/intro.html', 'mp4', '/tmp/all'), '/tmp/all/intro.mp4');
    assert.equal(compositionName('/ws/hello/index.html'), 'hello');
  });

  it('names a range render <name>-<start>s-<end>s.<ext>', () => {
    assert.equal(outputPathFor('/ws/hello/index.html', 'mp4', 'renders', undefined, { start: 1.5, end: 3 }), '/ws/hello/renders/hello-1.5s-3s.mp4');
    assert.equal(outputPathFor('/ws/intro.html', 'png', 'renders', undefined, { start: 0, end: 0.25 }), '/ws/renders/intro-0s-0.25s');
    assert.equal(outputPathFor('/ws/intro.html', 'mp4', 'renders', 'cut.mp4', { start: 0, end: 0.25 }), '/ws/cut.mp4', 'an explicit output wins');
  });

  it('takes an explicit output relative to the composition, or absolute', () => {
    assert.equal(outputPathFor('/ws/hello/index.html', 'mp4', 'renders', 'final.mp4'), '/ws/hello/final.mp4');
    assert.equal(outputPathFor('/ws/hello/index.html', 'mp4', 'renders', '/tmp/x.mp4'), '/tmp/x.mp4');
  });
});

describe('Render As…: the save dialog\'s answer', () => {
  it('picks the format from the chosen file\'s extension; a .png names the PNG sequence\'s folder', () => {
    assert.deepEqual(outputForSavedFile('/ws/renders/intro.webm'), { format: 'webm', output: '/ws/renders/intro.webm' });
    assert.deepEqual(outputForSavedFile('/ws/renders/intro.MP4'), { format: 'mp4', output: '/ws/renders/intro.MP4' });
    assert.deepEqual(outputForSavedFile('/ws/renders/frames.png'), { format: 'png', output: '/ws/renders/frames' });
    assert.deepEqual(outputForSavedFile('/ws/renders/stream.m3u8'), { format: 'hls', output: '/ws/renders/stream' });
    assert.equal(outputForSavedFile('/ws/renders/intro.mov.txt'), undefined);
    assert.equal(outputForSavedFile('/ws/renders/intro'), undefined);
  });

  it('starts on a file with its format\'s extension, and offers the remembered format\'s filter first', () => {
    assert.equal(savedFileFor('/ws/renders/intro', 'png'), '/ws/renders/intro.png');
    assert.equal(savedFileFor('/ws/renders/intro.webm', 'webm'), '/ws/renders/intro.webm');
    assert.equal(savedFileFor('/ws/renders/intro-hls', 'hls'), '/ws/renders/intro-hls.m3u8');
    assert.deepEqual(Object.values(saveDialogFilters('webm')), [['webm'], ['mp4'], ['mov'], ['gif'], ['m3u8'], ['png']]);
    assert.deepEqual(Object.values(saveDialogFilters('gif')), [['gif'], ['mp4'], ['webm'], ['mov'], ['m3u8'], ['png']]);
  });
});
