// HDR sources and HDR output, the parts that are decisions rather than pixels: which streams are HDR, which
// transfer an HDR render takes, the encoder description and the command line. Pixels: integration/render-hdr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeColour, jpegColourFilter, sourceColour } from '../../server/engine/capture/videoColour';
import { outputHdrTransfer, x265HdrParams, HDR10_MAX_CLL } from '../../server/engine/encode/hdr';
import { videoEncoderArgs } from '../../server/engine/encode';
import { parseRenderArgs } from '../../server/cli/render';
import { UsageError } from '../../server/cli/args';

const stream = (facts: Partial<Parameters<typeof sourceColour>[0]>) => ({ height: 1080, pixelFormat: 'yuv420p10le', colorSpace: undefined, colorRange: undefined, ...facts });

test('PQ and HLG transfers make a source HDR; BT.2020 primaries with an SDR transfer do not', () => {
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt2020nc', colorPrimaries: 'bt2020', colorTransfer: 'smpte2084', colorRange: 'tv' })).hdr,
    { transfer: 'pq', colorSpace: 'bt2020nc', primaries: 'bt2020' });
  assert.equal(sourceColour(stream({ colorSpace: 'bt2020nc', colorTransfer: 'arib-std-b67' })).hdr?.transfer, 'hlg');
  assert.equal(sourceColour(stream({ colorSpace: 'bt2020nc', colorPrimaries: 'bt2020', colorTransfer: 'bt2020-10' })).hdr, undefined);
  assert.equal(sourceColour(stream({ colorSpace: 'bt709', colorTransfer: 'bt709' })).hdr, undefined);
});

test('an HDR source with only its transfer tagged is read as BT.2020', () => {
  const colour = sourceColour(stream({ colorTransfer: 'smpte2084' }));
  assert.deepEqual(colour.hdr, { transfer: 'pq', colorSpace: 'bt2020nc', primaries: 'bt2020' });
  assert.equal(colour.matrix, 'bt2020');
  assert.match(jpegColourFilter(colour), /^setparams=colorspace=bt2020nc:color_primaries=bt2020:color_trc=smpte2084:range=tv,/);
});

test('an HDR source is tone-mapped (Hable, 100 cd/m² linear white) to BT.709, then written as a JFIF JPEG', () => {
  const filter = jpegColourFilter(sourceColour(stream({ colorSpace: 'bt2020nc', colorPrimaries: 'bt2020', colorTransfer: 'arib-std-b67' })));
  assert.equal(filter, 'setparams=colorspace=bt2020nc:color_primaries=bt2020:color_trc=arib-std-b67:range=tv,' +
    'zscale=t=linear:npl=100,tonemap=hable:desat=0,zscale=p=bt709:t=bt709:m=bt709:r=tv,' +
    'scale=out_color_matrix=bt601:out_range=pc,format=yuvj420p');
  assert.match(describeColour(sourceColour(stream({ colorTransfer: 'arib-std-b67' }))), /HLG .*tone-mapped/);
});

test('an HDR render is PQ when any source is PQ, else HLG (also without HDR sources)', () => {
  assert.equal(outputHdrTransfer(['hlg', 'pq', 'hlg']), 'pq');
  assert.equal(outputHdrTransfer(['hlg']), 'hlg');
  assert.equal(outputHdrTransfer([]), 'hlg');
});

test('HDR MP4 is HEVC Main 10 with BT.2020 tags, hvc1, and HDR10 metadata for PQ only', () => {
  const args = videoEncoderArgs({ format: 'mp4', quality: 'standard', fps: 30, frameFormat: 'jpeg', outputFile: 'out.mp4', hdr: { transfer: 'pq' } });
  const after = (flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(after('-c:v'), 'mjpeg');
  assert.equal(args[args.lastIndexOf('-c:v') + 1], 'libx265');
  assert.equal(after('-pix_fmt'), 'yuv420p10le');
  assert.equal(after('-tag:v'), 'hvc1');
  assert.equal(after('-color_trc'), 'smpte2084');
  assert.equal(after('-color_primaries'), 'bt2020');
  assert.equal(after('-colorspace'), 'bt2020nc');
  assert.match(after('-vf'), /zscale=.*t=smpte2084.*npl=203,format=yuv420p10le,fps=30$/);
  assert.match(after('-x265-params'), new RegExp(`master-display=G\\(13250,34500\\).*:max-cll=${HDR10_MAX_CLL}`));
  assert.doesNotMatch(x265HdrParams('hlg'), /master-display|max-cll/);
  assert.match(x265HdrParams('hlg'), /transfer=arib-std-b67/);
  assert.throws(() => videoEncoderArgs({ format: 'webm', quality: 'standard', fps: 30, frameFormat: 'jpeg', outputFile: 'out.webm', hdr: { transfer: 'pq' } }), /MP4 or MOV without alpha/);
  const mov = videoEncoderArgs({ format: 'mov', quality: 'standard', fps: 30, frameFormat: 'png', outputFile: 'out.mov', hdr: { transfer: 'pq' } });
  assert.equal(mov[mov.indexOf('-c:v', mov.indexOf('-i') + 1) + 1], 'libx265');
  assert.equal(mov[mov.indexOf('-f', mov.indexOf('-i') + 1) + 1], 'mov');
});

test('--hdr renders MP4 or MOV; with WebM, PNG, --transparent or --sdr it is a usage error', () => {
  assert.equal(parseRenderArgs(['index.html', '--hdr']).options.hdr, true);
  assert.equal(parseRenderArgs(['index.html', '-o', 'out.mp4', '--hdr']).options.format, 'mp4');
  assert.equal(parseRenderArgs(['index.html', '--sdr']).options.hdr, undefined);
  assert.throws(() => parseRenderArgs(['index.html', '-o', 'out.webm', '--hdr']), (error: unknown) => error instanceof UsageError && /HEVC 10-bit MP4 or MOV/.test(error.message));
  assert.equal(parseRenderArgs(['index.html', '-o', 'out.mov', '--hdr']).options.format, 'mov');
  assert.throws(() => parseRenderArgs(['index.html', '--format', 'png', '--hdr']), UsageError);
  assert.throws(() => parseRenderArgs(['index.html', '--transparent', '--format', 'mp4', '--hdr']), UsageError);
  assert.throws(() => parseRenderArgs(['index.html', '--hdr', '--sdr']), /contradict/);
});
