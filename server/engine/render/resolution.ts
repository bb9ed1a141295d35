// Output size: the page is always laid out at the composition's own size (data-width × data-height CSS px),
// and captured at a device scale factor, so a 1080p composition rendered at 4K has its text and vectors
// drawn at 4K (sharp), not a 1080p image scaled up. The factor is `scale` (a whole number), or the one that
// takes the composition to a `resolution` preset, which must have the composition's aspect ratio.
import { MAX_RENDER_SCALE } from '../limits';
import { StageError } from '../errors';

export const RESOLUTION_PRESETS = {
  'landscape-1080p': { width: 1920, height: 1080 },
  'portrait-1080p': { width: 1080, height: 1920 },
  'square-1080p': { width: 1080, height: 1080 },
  'landscape-4k': { width: 3840, height: 2160 },
  'portrait-4k': { width: 2160, height: 3840 },
  'square-4k': { width: 2160, height: 2160 },
} as const satisfies Record<string, { width: number; height: number }>;

export type ResolutionPreset = keyof typeof RESOLUTION_PRESETS;
export const RESOLUTION_PRESET_NAMES = Object.keys(RESOLUTION_PRESETS) as ResolutionPreset[];

/** Why a `scale` is refused (the CLI says the same at argument parsing). */
export const SCALE_MESSAGE = `The scale must be a whole number from 1 to ${MAX_RENDER_SCALE}.`;

export function validScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 1 && scale <= MAX_RENDER_SCALE;
}

/**
 * The device scale factor of a render of a `width`×`height` composition: 1 without `scale` or `resolution`.
 * A StageError (compile: the composition's size is known from then on) when the preset's aspect ratio is not
 * the composition's, or when it would need a factor above MAX_RENDER_SCALE or a fraction of a pixel.
 */
export function deviceScaleFactor(options: { scale?: number; resolution?: ResolutionPreset }, width: number, height: number): number {
  if (options.scale !== undefined && options.resolution !== undefined) {
    throw new StageError('compile', 'Give a scale or a resolution preset, not both.', 'invalid-resolution');
  }
  if (options.scale !== undefined) {
    if (!validScale(options.scale)) throw new StageError('compile', `${SCALE_MESSAGE} (got ${options.scale})`, 'invalid-resolution');
    return options.scale;
  }
  if (options.resolution === undefined) return 1;
  const preset: { width: number; height: number } | undefined = RESOLUTION_PRESETS[options.resolution];
  if (!preset) throw new StageError('compile', `Unknown resolution preset "${options.resolution}": one of ${RESOLUTION_PRESET_NAMES.join(', ')}.`, 'invalid-resolution');
  const named = `${options.resolution} (${preset.width}x${preset.height})`;
  // Cross-multiplied: the aspect ratios are equal exactly, with no float in between.
  if (preset.width * height !== preset.height * width) {
    throw new StageError('compile',
      `The resolution ${named} does not have the composition's aspect ratio (${width}x${height}): the page is laid out at its own size and only scaled, never stretched or cropped. ` +
      'Choose a preset of the same shape, or --scale N.', 'resolution-aspect-mismatch');
  }
  const factor = preset.width / width;
  if (factor > MAX_RENDER_SCALE) {
    throw new StageError('compile', `The resolution ${named} is ${Number(factor.toFixed(3))}× the composition (${width}x${height}); at most ${MAX_RENDER_SCALE}×.`, 'invalid-resolution');
  }
  return factor;
}
