// Pure parts of the render pipeline: frame lookup for video clips, the audio graph, encoder arguments,
// output paths, time ranges, worker choice and the CLI's argument parsing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { audioMixArgs, planAudio } from '../../server/engine/audio';
import { clipSourceTime, sourceFrameIndex } from '../../server/engine/capture/videoFrames';
import { pngFrameName, videoEncoderArgs } from '../../server/engine/encode';
import { defaultOutputPath, stagingPath } from '../../server/engine/render/output';
import { checkRange, frameWindow } from '../../server/engine/render/range';
import { StageError } from '../../server/engine/errors';
import type { Composition } from '../../server/engine/model';
import { parseRenderArgs, progressLine } from '../../server/cli/render';
import { UsageError } from '../../server/cli/args';

describe('video clip frame lookup', () => {
  const timestamps = Array.from({ length: 10 }, (_, i) => i / 30);

  test('the frame on screen is the last one not after the time', () => {
    assert.equal(sourceFrameIndex(timestamps, 0), 0);
    assert.equal(sourceFrameIndex(timestamps, 3 / 30), 3);
    assert.equal(sourceFrameIndex(timestamps, 3 / 30 - 1e-9), 3, 'float noise below a timestamp still lands on it');
    assert.equal(sourceFrameIndex(timestamps, 3.5 / 30), 3);
    assert.equal(sourceFrameIndex(timestamps, 5), 9, 'past the end holds the last frame');
    assert.equal(sourceFrameIndex([], 1), -1);
  });

  test('source time: offset by start and data-media-start, wrapped when looping', () => {
    assert.equal(clipSourceTime(1.5, { start: 0.5 }, { mediaStart: 0.2, loop: false }, 2), 1.2);
    assert.ok(Math.abs(clipSourceTime(2.5, { start: 0 }, { mediaStart: 0, loop: true }, 1) - 0.5) < 1e-9);
    assert.equal(clipSourceTime(2.5, { start: 0 }, { mediaStart: 0, loop: false }, 1), 2.5);
  });
});

describe('audio graph', () => {
  test('delay in samples, trim from data-media-start, padded to exactly the video length', () => {
    const args = audioMixArgs([{ file: '/a.wav', start: 0.7, length: 0.5, mediaStart: 0.25, volume: 0.8, loop: false, channels: 2, playbackRate: 1 }], 2, 'aac', '/out.m4a');
    const graph = args[args.indexOf('-filter_complex') + 1];
    assert.match(graph, /atrim=start=0\.250000:end=0\.750000/);
    assert.match(graph, /adelay=delays=33600S:all=1/);
    assert.match(graph, /volume=0\.8000/);
    assert.match(graph, /apad=whole_len=96000,atrim=end_sample=96000/);
    assert.deepEqual(args.slice(args.indexOf('-c:a'), args.indexOf('-c:a') + 2), ['-c:a', 'aac']);
  });

  test('several clips are summed without normalisation; looping inputs repeat', () => {
    const args = audioMixArgs([
      { file: '/a.wav', start: 0, length: 1, mediaStart: 0, volume: 1, loop: true, channels: 2, playbackRate: 1 },
      { file: '/b.wav', start: 1, length: 1, mediaStart: 0, volume: 1, loop: false, channels: 1, playbackRate: 1 },
    ], 2, 'opus', '/out.mka');
    assert.deepEqual(args.slice(0, 4), ['-stream_loop', '-1', '-i', '/a.wav']);
    assert.match(args[args.indexOf('-filter_complex') + 1], /amix=inputs=2:duration=longest:dropout_transition=0:normalize=0/);
    assert.ok(args.includes('libopus'));
  });

  test('a mono source is copied into both channels at its level (no −3 dB pan law); stereo is left alone', () => {
    const args = audioMixArgs([
      { file: '/mono.wav', start: 0, length: 1, mediaStart: 0, volume: 1, loop: false, channels: 1, playbackRate: 1 },
      { file: '/stereo.wav', start: 0, length: 1, mediaStart: 0, volume: 1, loop: false, channels: 2, playbackRate: 1 },
    ], 1, 'aac', '/out.m4a');
    const [mono, stereo] = args[args.indexOf('-filter_complex') + 1].split(';');
    assert.match(mono, /pan=stereo\|c0=c0\|c1=c0,aformat=sample_fmts=fltp:channel_layouts=stereo/);
    assert.doesNotMatch(stereo, /pan=/);
  });
});

describe('encoder arguments', () => {
  test('mp4: H.264 yuv420p, no B-frames, faststart, from an IVF pipe of JPEGs (repeats filled in after the conversion)', () => {
    const args = videoEncoderArgs({ format: 'mp4', quality: 'standard', fps: 30, frameFormat: 'jpeg', outputFile: '/o.mp4' });
    const input = args.slice(0, args.indexOf('-i') + 2).join(' ');
    const output = args.slice(args.indexOf('-i') + 2).join(' ');
    assert.equal(input, '-f ivf -c:v mjpeg -i -');
    assert.match(args[args.indexOf('-vf') + 1], /,fps=30$/);
    assert.match(output, /-c:v libx264 /);
    assert.match(output, /-bf 0 /);
    assert.match(output, /-pix_fmt yuv420p /);
    assert.match(output, /-movflags \+faststart -f mp4 -y \/o\.mp4$/);
  });

  test('webm: VP9 in realtime mode', () => {
    const args = videoEncoderArgs({ format: 'webm', quality: 'draft', fps: 24, frameFormat: 'jpeg', outputFile: '/o.webm' });
    assert.ok(args.includes('libvpx-vp9'));
    assert.equal(args[args.indexOf('-deadline') + 1], 'realtime');
  });

  test('webm with alpha: PNG frames in, VP9 yuva420p out, no alt-ref frames; only WebM takes alpha', () => {
    const args = videoEncoderArgs({ format: 'webm', quality: 'standard', fps: 30, frameFormat: 'png', alpha: true, outputFile: '/o.webm' });
    assert.equal(args.slice(0, args.indexOf('-i') + 2).join(' '), '-f ivf -c:v png -i -');
    assert.equal(args[args.indexOf('-pix_fmt') + 1], 'yuva420p');
    assert.match(args[args.indexOf('-vf') + 1], /format=yuva420p,fps=30$/);
    assert.equal(args[args.indexOf('-auto-alt-ref') + 1], '0');
    const opaque = videoEncoderArgs({ format: 'webm', quality: 'standard', fps: 30, frameFormat: 'png', outputFile: '/o.webm' });
    assert.equal(opaque[opaque.indexOf('-pix_fmt') + 1], 'yuv420p');
    assert.ok(!opaque.includes('-auto-alt-ref'));
    assert.throws(() => videoEncoderArgs({ format: 'mp4', quality: 'standard', fps: 30, frameFormat: 'png', alpha: true, outputFile: '/o.mp4' }), /Alpha needs PNG frames encoded to WebM/);
    assert.throws(() => videoEncoderArgs({ format: 'webm', quality: 'standard', fps: 30, frameFormat: 'jpeg', alpha: true, outputFile: '/o.webm' }), /Alpha needs PNG frames/);
  });

  test('png frame names are 1-based and five digits', () => {
    assert.equal(pngFrameName(0, 30), 'frame-00001.png');
    assert.equal(pngFrameName(123455, 200000), 'frame-123456.png');
  });
});

describe('time ranges', () => {
  test('frames from frameCount(start) up to, excluding, frameCount(end); clamped to the composition', () => {
    assert.deepEqual(frameWindow(undefined, 30, 30), { firstFrame: 0, endFrame: 30, frames: 30 });
    assert.deepEqual(frameWindow({ start: 0.5, end: 0.9 }, 30, 30), { firstFrame: 15, endFrame: 27, frames: 12 });
    // Float noise at a frame's time snaps to it; a start between frames begins at the next one.
    assert.deepEqual(frameWindow({ start: 0.1 + 0.2, end: 0.7 }, 30, 30), { firstFrame: 9, endFrame: 21, frames: 12 });
    assert.deepEqual(frameWindow({ start: 0.51, end: 0.6 }, 30, 30), { firstFrame: 16, endFrame: 18, frames: 2 });
    assert.deepEqual(frameWindow({ start: 0.8, end: 99 }, 30, 30), { firstFrame: 24, endFrame: 30, frames: 6 });
    assert.deepEqual(frameWindow({ start: 0.8, end: Number.POSITIVE_INFINITY }, 30, 30), { firstFrame: 24, endFrame: 30, frames: 6 });
    // Adjacent ranges tile: no frame twice, none missed.
    const a = frameWindow({ start: 0, end: 0.35 }, 30, 30);
    const b = frameWindow({ start: 0.35, end: 1 }, 30, 30);
    assert.equal(a.endFrame, b.firstFrame);
    assert.equal(a.frames + b.frames, 30);
  });

  test('empty, inverted and negative ranges are StageErrors with a clear message', () => {
    assert.throws(() => frameWindow({ start: 2, end: 3 }, 30, 30), (e: unknown) => e instanceof StageError && e.code === 'empty-range' && e.stage === 'probe');
    // No frame's time falls inside 0.51–0.52 s at 30 fps.
    assert.throws(() => frameWindow({ start: 0.51, end: 0.52 }, 30, 30), (e: unknown) => e instanceof StageError && e.code === 'empty-range');
    assert.throws(() => checkRange({ start: 1, end: 1 }), (e: unknown) => e instanceof StageError && e.code === 'invalid-range' && /end must come after its start/.test(e.message));
    assert.throws(() => checkRange({ start: -1, end: 1 }), (e: unknown) => e instanceof StageError && e.code === 'invalid-range');
    assert.throws(() => checkRange({ start: Number.NaN, end: 1 }), (e: unknown) => e instanceof StageError && e.code === 'invalid-range');
  });

  test('audio slots are shifted by −from and cut to the window', async () => {
    const composition = {
      clips: [{ id: 'tone', start: 0.7, end: 1.2 }],
      media: [{ kind: 'audio', clipId: 'tone', src: 'tone.wav', localPath: __filename, mediaStart: 0.25, playbackRate: 1, volume: 1, loop: false, muted: false, sourceDuration: 1 }],
    } as unknown as Composition;
    const plan = (from: number, duration: number) => planAudio({ composition, from, duration, ffprobePath: 'ffprobe' });
    assert.deepEqual((await plan(0, 2)).map(s => [s.start, s.length, s.mediaStart]), [[0.7, 0.5, 0.25]]);
    const shifted = (await plan(0.5, 1)).map(s => [s.start, s.length, s.mediaStart]);
    assert.ok(Math.abs(shifted[0][0] - 0.2) < 1e-9 && Math.abs(shifted[0][1] - 0.5) < 1e-9 && shifted[0][2] === 0.25, JSON.stringify(shifted));
    const cutIn = (await plan(1, 1)).map(s => [s.start, s.length, s.mediaStart]);
    assert.ok(cutIn[0][0] === 0 && Math.abs(cutIn[0][1] - 0.2) < 1e-9 && Math.abs(cutIn[0][2] - 0.55) < 1e-9, JSON.stringify(cutIn));
    const cutOut = (await plan(0, 0.9)).map(s => [s.start, s.length]);
    assert.ok(Math.abs(cutOut[0][1] - 0.2) < 1e-9, JSON.stringify(cutOut));
    assert.deepEqual(await plan(1.3, 0.7), [], 'the clip is before the window');
  });
});

describe('output paths and workers', () => {
  test('renders/<folder>.mp4 for index.html, renders/<name>.mp4 otherwise', () => {
    assert.equal(defaultOutputPath('/p/hello/index.html', 'mp4'), '/p/hello/renders/hello.mp4');
    assert.equal(defaultOutputPath('/p/hello/intro.html', 'webm'), '/p/hello/renders/intro.webm');
    assert.equal(defaultOutputPath('/p/hello/intro.html', 'png'), '/p/hello/renders/intro');
    assert.equal(stagingPath('/p/out/a.mp4'), `/p/out/.a.mp4.partial-${process.pid}`);
  });

  test('a range is in the default name: <name>-<start>s-<end>s', () => {
    assert.equal(defaultOutputPath('/p/hello/index.html', 'mp4', { start: 1.5, end: 3 }), '/p/hello/renders/hello-1.5s-3s.mp4');
    assert.equal(defaultOutputPath('/p/hello/intro.html', 'png', { start: 0, end: 1 / 3 }), '/p/hello/renders/intro-0s-0.333s');
    assert.equal(defaultOutputPath('/p/hello/intro.html', 'webm', { start: 2, end: Number.POSITIVE_INFINITY }), '/p/hello/renders/intro-2s-end.webm');
  });

});

describe('render command line', () => {
  test('flags become options; the output extension picks the format', () => {
    const { options, json } = parseRenderArgs(['comp/index.html', '-o', 'out/x.webm', '--fps', '24', '--quality', 'high', '--workers', '1', '--json', '--strict']);
    assert.equal(options.entryFile, path.resolve('comp/index.html'));
    assert.equal(options.format, 'webm');
    assert.equal(options.fps, 24);
    assert.equal(options.quality, 'high');
    assert.equal(options.workers, 1);
    assert.equal(options.strict, true);
    assert.equal(json, true);
    assert.equal(parseRenderArgs(['a.html', '-o', 'frames']).options.format, 'png');
    assert.equal(parseRenderArgs(['a.html']).options.format, 'mp4');
  });

  test('--from/--to become a range; either alone runs from 0 or to the end', () => {
    assert.deepEqual(parseRenderArgs(['a.html', '--from', '1.5', '--to', '3']).options.range, { start: 1.5, end: 3 });
    assert.deepEqual(parseRenderArgs(['a.html', '--to', '2']).options.range, { start: 0, end: 2 });
    assert.deepEqual(parseRenderArgs(['a.html', '--from', '2']).options.range, { start: 2, end: Number.POSITIVE_INFINITY });
    assert.equal(parseRenderArgs(['a.html']).options.range, undefined);
    assert.throws(() => parseRenderArgs(['a.html', '--from', '3', '--to', '2']), /--to must be after --from/);
    assert.throws(() => parseRenderArgs(['a.html', '--from=-1']), /--from must be at least 0/);
    assert.throws(() => parseRenderArgs(['a.html', '--to', 'soon']), /--to needs a number/);
  });

  test('--transparent: WebM by default, PNG and WebM accepted, MP4 refused with the reason', () => {
    assert.deepEqual(pick(parseRenderArgs(['a.html', '--transparent']).options), { format: 'webm', transparent: true });
    assert.deepEqual(pick(parseRenderArgs(['a.html', '--transparent', '-o', 'frames']).options), { format: 'png', transparent: true });
    assert.deepEqual(pick(parseRenderArgs(['a.html', '--transparent', '--format', 'png']).options), { format: 'png', transparent: true });
    assert.deepEqual(pick(parseRenderArgs(['a.html', '--transparent', '-o', 'x.webm']).options), { format: 'webm', transparent: true });
    assert.equal(parseRenderArgs(['a.html']).options.transparent, undefined);
    for (const argv of [['a.html', '--transparent', '--format', 'mp4'], ['a.html', '--transparent', '-o', 'x.mp4']]) {
      assert.throws(() => parseRenderArgs(argv), (e: unknown) => e instanceof UsageError && e.message.startsWith('MP4/H.264 has no alpha channel: use --format webm or png'), argv.join(' '));
    }
  });

  test('bad command lines are usage errors', () => {
    for (const argv of [[], ['a.html', 'b.html'], ['a.html', '--quality', 'ultra'], ['a.html', '--fps', '0'], ['a.html', '--workers', '1.5'], ['a.html', '--format', 'mp4', '-o', 'x.webm'], ['a.html', '--bogus']]) {
      assert.throws(() => parseRenderArgs(argv), UsageError, argv.join(' '));
    }
  });

  test('progress line shows frames, fps and ETA', () => {
    const line = progressLine({ stage: 'capture', frame: 412, totalFrames: 900, fps: 14.2, etaSeconds: 21, fraction: 0.5 });
    assert.match(line, /frame 412\/900 · 14\.2 fps · ETA 0:21/);
    assert.match(line, /50%/);
  });
});

function pick(options: { format?: string; transparent?: boolean }): { format?: string; transparent?: boolean } {
  return { format: options.format, transparent: options.transparent };
}
