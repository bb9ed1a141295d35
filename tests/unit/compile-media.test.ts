// Media durations by ffprobe on real files made with ffmpeg: media without data-duration get the source's
// length (minus data-media-start), injected into the page; looping media run to the composition's end;
// a changed file is probed again; an unreadable one is reported on its src; probeMedia:false skips it all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { locateFfmpeg } from '../../server/engine/tools';
import { brief, compileFindings } from './compileSupport';

function makeAudio(file: string, seconds: number): void {
  execFileSync(locateFfmpeg().path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=duration=${seconds}`, file]);
}

const ENTRY_HTML = `<!doctype html>
<html>
<body>
<div id="root" data-composition-id="media" data-width="320" data-height="240" data-duration="4">
  <audio id="tone" src="tone.wav" data-start="0.5"></audio>
  <audio id="trimmed" src="tone.wav" data-start="0" data-media-start="0.5" data-volume="0.25"></audio>
  <video id="silent" src="silent.mp4" muted data-start="0"></video>
  <video id="looped" src="silent.mp4" muted loop data-start="1"></video>
  <audio id="broken" src="broken.wav" data-start="0"></audio>
  <div id="after-tone" class="clip" data-start="tone + 0.25" data-duration="1"></div>
</div>
</body>
</html>
`;

describe('compile: media durations by ffprobe', () => {
  let project: string;
  let entryFile: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-compile-media-'));
    fs.writeFileSync(path.join(project, 'hyperframes.json'), '{}');
    makeAudio(path.join(project, 'tone.wav'), 1.5);
    execFileSync(locateFfmpeg().path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:size=64x64:rate=10:duration=2',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(project, 'silent.mp4')]);
    fs.writeFileSync(path.join(project, 'broken.wav'), 'this is not audio');
    entryFile = path.join(project, 'index.html');
    fs.writeFileSync(entryFile, ENTRY_HTML);
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('measures media without data-duration and resolves what depends on them', async () => {
    const { composition, diagnostics } = await compile({ entryFile });
    const clip = (id: string) => composition.clips.find(c => c.id === id)!;
    const media = (id: string) => composition.media.find(m => m.clipId === id)!;
    assert.deepEqual([clip('tone').duration, clip('tone').durationSource, clip('tone').end], [1.5, 'media-probe', 2]);
    assert.deepEqual([clip('trimmed').duration, media('trimmed').mediaStart, media('trimmed').volume], [1, 0.5, 0.25]);
    assert.deepEqual([clip('silent').duration, media('silent').sourceHasAudio, media('tone').sourceHasAudio], [2, false, true]);
    assert.equal(media('tone').sourceDuration, 1.5);
    assert.equal(media('tone').localPath, path.join(project, 'tone.wav'));
    // Looping media have no end of their own: they run to the composition's end (4 s − start 1 s).
    assert.deepEqual([clip('looped').duration, clip('looped').durationSource, media('looped').loop], [3, 'composition-end', true]);
    assert.equal(clip('after-tone').start, 2.25);
    assert.deepEqual(compileFindings(diagnostics).map(brief), ['index.html 8:26-8:36 warning unreadable-media-file']);
    assert.match(composition.compiledHtml, /<audio data-duration="1.5" id="tone" src="tone.wav"/);
    assert.match(composition.compiledHtml, /<video data-duration="2" id="silent"/);
  });

  it('probes a file again when it changes (cache keyed by path, mtime and size)', async () => {
    const first = await compile({ entryFile });
    assert.equal(first.composition.clips.find(c => c.id === 'tone')!.duration, 1.5);
    makeAudio(path.join(project, 'tone.wav'), 0.75);
    const second = await compile({ entryFile });
    assert.equal(second.composition.clips.find(c => c.id === 'tone')!.duration, 0.75);
    makeAudio(path.join(project, 'tone.wav'), 1.5);
  });

  it('skips ffprobe when probeMedia is false', async () => {
    const { composition, diagnostics } = await compile({ entryFile, probeMedia: false });
    const tone = composition.clips.find(c => c.id === 'tone')!;
    assert.deepEqual([tone.duration, tone.durationSource], [undefined, 'none']);
    assert.equal(composition.media.find(m => m.clipId === 'tone')!.sourceDuration, undefined);
    assert.deepEqual(compileFindings(diagnostics), []);
    assert.doesNotMatch(composition.compiledHtml, /data-duration="1.5"/);
  });
});
