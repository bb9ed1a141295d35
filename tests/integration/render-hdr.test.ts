// HDR sources: a PQ and an HLG clip (BT.2020, 10-bit HEVC, known patch signals) render tone-mapped to BT.709 in
// an SDR render, with the values the colour science gives for each patch (fixtures/render/hdrSources.ts, from
// the standards, not from the engine's filters); `hdr: true` writes HEVC Main 10 tagged BT.2020 PQ (a PQ source
// present) or HLG, HDR10 metadata for PQ, and the page's own colours at the BT.2408 reference white.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { StageError } from '../../server/engine/errors';
import { closeTo, compositionHtml, FFPROBE, makeProject, pixelAt, removeProject } from '../fixtures/render/helpers';
import { decodeBt2020, hdrSignalToSdr, HDR_PATCHES, makeHdrPatches, patchCentre, PATCH_HEIGHT, sdrToHdrSignal, sourceSignal, toneMappedSdr, ycbcr10At, type Transfer } from '../fixtures/render/hdrSources';

const TIMEOUT = 240_000;
/** 8-bit levels: the JPEG frame and the H.264 output each round a level or two. */
const SDR_TOLERANCE = 4;
/**
 * HDR pixels are compared as the SDR colours they stand for (hdrSignalToSdr), in 8-bit levels: 10-bit code
 * values magnify the same rounding many times near black, where PQ and HLG are steep. Saturated colours come
 * back a few levels off in their weakest channel (measured up to 7: a green's red 0 → 7), since BT.2020 → BT.709
 * subtracts large components, so the codecs' chroma rounding of HEVC 4:2:0 weighs more there.
 */
const HDR_TOLERANCE = 8;
/** 10-bit luma code values, for the one level read directly: where reference white lands. */
const WHITE_TOLERANCE = 3;
/** Both sources' tone-mapping peak: the PQ clip's MaxCLL, and for HLG ffmpeg's 1,000 cd/m² display. */
const PEAK_NITS = 1000;
const PAGE = { background: [0x20, 0x40, 0x60], chip: [0xff, 0x80, 0x00], white: [0xff, 0xff, 0xff] } as const;
/**
 * The 640x400 composition: the clips on the left (480 wide), a white and an orange block of the page on the
 * right (big: a thin strip's colour bleeds in H.264's and HEVC's 4:2:0 chroma), the bare root between.
 */
const CLIP_TOP: Record<Transfer, number> = { pq: 0, hlg: 200 };
const WHITE_POINT = { x: 560, y: 90 };
const CHIP_POINT = { x: 560, y: 290 };
const BACKGROUND_POINT = { x: 240, y: 190 };

function html(transfers: readonly Transfer[]): string {
  const videos = transfers.map(t => `<video id="${t}" src="media/${t}.mp4" muted playsinline data-start="0" data-duration="0.2" data-track-index="${t === 'pq' ? 0 : 1}" style="position:absolute;left:0;top:${CLIP_TOP[t]}px;width:480px;height:${PATCH_HEIGHT}px"></video>`);
  return compositionHtml({
    width: 640, height: 400, duration: 0.2,
    style: `#root { background: #204060; } .block { position: absolute; left: 480px; width: 160px; height: 180px; } #chip { top: 200px; background: #ff8000; } #white { top: 0; background: #fff; }`,
    body: `${videos.join('\n')}\n<div id="chip" class="block"></div><div id="white" class="block"></div>`,
    script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
  });
}

function streamTags(file: string): Record<string, string> {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,codec_tag_string,pix_fmt,color_space,color_transfer,color_primaries,color_range', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: Array<Record<string, string>> }).streams[0];
}

/** The first frame's side data, by type. */
function frameSideData(file: string): Map<string, Record<string, string | number>> {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#1', '-show_frames', '-of', 'json', file], { encoding: 'utf8' });
  const frame = (JSON.parse(out) as { frames: Array<{ side_data_list?: Array<Record<string, string | number>> }> }).frames[0];
  return new Map((frame.side_data_list ?? []).map(entry => [String(entry.side_data_type), entry]));
}

/** R'G'B' signal (0–1) at an output point (BT.2020 limited range decoded by the textbook equations). */
const hdrSignal = (file: string, point: { x: number; y: number }) => decodeBt2020(ycbcr10At(file, 2, point.x, point.y));
/** The page's white: its 10-bit luma code, and where BT.2408 puts it (a grey's luma is its signal, 64–940). */
const whiteLuma = (file: string) => ycbcr10At(file, 2, WHITE_POINT.x, WHITE_POINT.y)[0];
const expectedWhiteLuma = (transfer: Transfer) => Math.round(64 + 876 * sdrToHdrSignal(PAGE.white, transfer)[0]);

describe('render: HDR sources', { timeout: TIMEOUT }, () => {
  let project: string;
  const out = (name: string) => path.join(project, `${name}.mp4`);
  const source = (t: Transfer) => path.join(project, 'media', `${t}.mp4`);
  /** What each patch of each clip is in SDR, by the colour science. */
  const expectedSdr = (t: Transfer, i: number) => toneMappedSdr(sourceSignal(source(t), i), t, PEAK_NITS);
  before(async () => {
    project = makeProject({ 'index.html': html(['pq', 'hlg']), 'hlg.html': html(['hlg']) });
    for (const t of ['pq', 'hlg'] as const) makeHdrPatches(source(t), t);
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: out('sdr') });
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: out('hdr-pq'), hdr: true });
    await renderJob({ entryFile: path.join(project, 'hlg.html'), outputPath: out('hdr-hlg'), hdr: true });
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, 'hdr-pq.mov'), format: 'mov', hdr: true });
  });
  after(() => removeProject(project));

  for (const t of ['pq', 'hlg'] as const) {
    test(`SDR render: the ${t.toUpperCase()} clip is tone-mapped to BT.709`, testContext => {
      HDR_PATCHES[t].forEach((_, i) => {
        const { x, y } = patchCentre(i);
        const expected = expectedSdr(t, i);
        const actual = pixelAt(out('sdr'), 2, x, CLIP_TOP[t] + y);
        testContext.diagnostic(`patch ${i}: expected ${expected} rendered ${actual}`);
        assert.ok(closeTo(actual, expected, SDR_TOLERANCE), `patch ${i}: tone-mapped ${expected}, rendered ${actual}`);
      });
    });
  }

  test('SDR render: tone mapping is visible (the signal shown as SDR would be far off) and the page keeps its colours', t => {
    // The PQ 100 cd/m² grey: 130 as a raw signal, 159 tone-mapped; the render must not show the raw signal.
    const raw = Math.round(sourceSignal(source('pq'), 0)[0] * 255);
    assert.ok(Math.abs(expectedSdr('pq', 0)[0] - raw) > 20, `the tone-mapped grey ${expectedSdr('pq', 0)} differs from the raw signal ${raw}`);
    for (const [name, point] of [['chip', CHIP_POINT], ['white', WHITE_POINT], ['background', BACKGROUND_POINT]] as const) {
      const shown = pixelAt(out('sdr'), 2, point.x, point.y);
      t.diagnostic(`${name}: ${shown}`);
      assert.ok(closeTo(shown, PAGE[name], SDR_TOLERANCE), `${name}: page ${PAGE[name]}, rendered ${shown}`);
    }
    assert.deepEqual(streamTags(out('sdr')), { codec_name: 'h264', codec_tag_string: 'avc1', pix_fmt: 'yuv420p', color_range: 'tv', color_space: 'bt709', color_transfer: 'bt709', color_primaries: 'bt709' });
  });

  test('HDR render with a PQ source: HEVC Main 10, BT.2020 PQ, HDR10 mastering display and light level', () => {
    assert.deepEqual(streamTags(out('hdr-pq')), { codec_name: 'hevc', codec_tag_string: 'hvc1', pix_fmt: 'yuv420p10le', color_range: 'tv', color_space: 'bt2020nc', color_transfer: 'smpte2084', color_primaries: 'bt2020' });
    const side = frameSideData(out('hdr-pq'));
    const mastering = side.get('Mastering display metadata');
    assert.ok(mastering, `mastering display metadata in ${[...side.keys()].join(', ')}`);
    assert.equal(mastering.max_luminance, '10000000/10000');
    assert.equal(mastering.red_x, '34000/50000');
    assert.deepEqual([side.get('Content light level metadata')?.max_content, side.get('Content light level metadata')?.max_average], [203, 203]);
  });

  test('HDR render to MOV: the same HEVC Main 10 PQ stream with HDR10 metadata, in a QuickTime file, white at reference white', () => {
    const mov = path.join(project, 'hdr-pq.mov');
    assert.deepEqual(streamTags(mov), { codec_name: 'hevc', codec_tag_string: 'hvc1', pix_fmt: 'yuv420p10le', color_range: 'tv', color_space: 'bt2020nc', color_transfer: 'smpte2084', color_primaries: 'bt2020' });
    const container = execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'format=format_name', '-of', 'csv=p=0', mov], { encoding: 'utf8' }).trim();
    assert.match(container, /\bmov\b/);
    const side = frameSideData(mov);
    assert.equal(side.get('Mastering display metadata')?.max_luminance, '10000000/10000');
    assert.deepEqual([side.get('Content light level metadata')?.max_content, side.get('Content light level metadata')?.max_average], [203, 203]);
    assert.ok(Math.abs(whiteLuma(mov) - expectedWhiteLuma('pq')) <= WHITE_TOLERANCE, `white: luma ${whiteLuma(mov)}, expected ${expectedWhiteLuma('pq')}`);
  });

  test('HDR render: white sits at reference white (PQ 203 cd/m²), page colours and the tone-mapped clips keep their SDR colours', t => {
    const white = whiteLuma(out('hdr-pq'));
    t.diagnostic(`white: luma ${white} (expected ${expectedWhiteLuma('pq')})`);
    assert.ok(Math.abs(white - expectedWhiteLuma('pq')) <= WHITE_TOLERANCE, `white: luma ${white}, expected ${expectedWhiteLuma('pq')}`);
    for (const name of ['chip', 'background'] as const) {
      const shown = hdrSignalToSdr(hdrSignal(out('hdr-pq'), name === 'chip' ? CHIP_POINT : BACKGROUND_POINT), 'pq');
      t.diagnostic(`${name}: ${shown} (page ${PAGE[name]})`);
      assert.ok(closeTo(shown, PAGE[name], HDR_TOLERANCE), `${name}: the HDR pixel stands for ${shown}, the page has ${PAGE[name]}`);
    }
    for (const transfer of ['pq', 'hlg'] as const) {
      HDR_PATCHES[transfer].forEach((_, i) => {
        const { x, y } = patchCentre(i);
        const shown = hdrSignalToSdr(hdrSignal(out('hdr-pq'), { x, y: CLIP_TOP[transfer] + y }), 'pq');
        assert.ok(closeTo(shown, expectedSdr(transfer, i), HDR_TOLERANCE), `${transfer} patch ${i}: tone-mapped ${expectedSdr(transfer, i)}, the HDR pixel stands for ${shown}`);
      });
    }
  });

  test('HDR render with only an HLG source is HLG (BT.2408: white at 75 %), without HDR10 metadata', t => {
    assert.deepEqual(streamTags(out('hdr-hlg')), { codec_name: 'hevc', codec_tag_string: 'hvc1', pix_fmt: 'yuv420p10le', color_range: 'tv', color_space: 'bt2020nc', color_transfer: 'arib-std-b67', color_primaries: 'bt2020' });
    assert.equal(frameSideData(out('hdr-hlg')).get('Mastering display metadata'), undefined);
    const white = whiteLuma(out('hdr-hlg'));
    t.diagnostic(`white: luma ${white} (expected ${expectedWhiteLuma('hlg')})`);
    assert.ok(Math.abs(white - expectedWhiteLuma('hlg')) <= WHITE_TOLERANCE, `white: luma ${white}, expected ${expectedWhiteLuma('hlg')}`);
    const chip = hdrSignalToSdr(hdrSignal(out('hdr-hlg'), CHIP_POINT), 'hlg');
    assert.ok(closeTo(chip, PAGE.chip, HDR_TOLERANCE), `chip: the HDR pixel stands for ${chip}`);
    HDR_PATCHES.hlg.forEach((_, i) => {
      const { x, y } = patchCentre(i);
      const shown = hdrSignalToSdr(hdrSignal(out('hdr-hlg'), { x, y: CLIP_TOP.hlg + y }), 'hlg');
      assert.ok(closeTo(shown, expectedSdr('hlg', i), HDR_TOLERANCE), `HLG patch ${i}: tone-mapped ${expectedSdr('hlg', i)}, the HDR pixel stands for ${shown}`);
    });
  });

  test('an HDR render to WebM, PNG, GIF or with transparency is refused before anything runs', async () => {
    for (const options of [{ format: 'webm' as const }, { format: 'png' as const }, { format: 'gif' as const }, { format: 'webm' as const, transparent: true }, { format: 'mov' as const, transparent: true }]) {
      await assert.rejects(renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, `refused.${options.format}`), hdr: true, ...options }),
        (error: unknown) => error instanceof StageError && error.code === 'hdr-format' && /HEVC 10-bit MP4 or MOV, without alpha/.test(error.message));
    }
  });
});
