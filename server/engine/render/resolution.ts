// Output size: the page is always laid out at the composition's own size (data-width × data-height CSS px),
// and captured at a device scale factor, so a 1080p composition rendered at 4K has its text and vectors
// drawn at 4K (sharp), not a 1080p image scaled up. The factor is `scale`, or the one that takes the
// composition to a `resolution` preset, which must have the composition's aspect ratio; either way a whole
// number (as the reference requires), so every CSS pixel is an exact block of output pixels.
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

/** The reference CLI's names for the same presets, which `--resolution` accepts too. */
export const RESOLUTION_ALIASES: Readonly<Record<string, ResolutionPreset>> = {
  landscape: 'landscape-1080p', portrait: 'portrait-1080p', square: 'square-1080p', '1080p': 'landscape-1080p',
  '1080p-square': 'square-1080p', '4k': 'landscape-4k', uhd: 'landscape-4k', '4k-square': 'square-4k',
};

/** A preset by its name or one of the reference's aliases; undefined for anything else. */
export function resolutionPreset(name: string): ResolutionPreset | undefined {
  return RESOLUTION_PRESET_NAMES.find(preset => preset === name) ?? RESOLUTION_ALIASES[name];
}

/** Why a `scale` is refused (the CLI says the same at argument parsing). */
export const SCALE_MESSAGE = `The scale must be a whole number from 1 to ${MAX_RENDER_SCALE}.`;

export function validScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 1 && scale <= MAX_RENDER_SCALE;
}

/**
 * The device scale factor of a render of a `width`×`height` composition: 1 without `scale` or `resolution`.
 * A StageError (compile: the composition's size is known from then on) when the preset's aspect ratio is not
 * the composition's, or when it is not a whole multiple of it from 1 to MAX_RENDER_SCALE.
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
  if (!validScale(factor)) {
    throw new StageError('compile',
      `The resolution ${named} is ${Number(factor.toFixed(3))}× the composition (${width}x${height}); a preset must be a whole multiple of it, 1× to ${MAX_RENDER_SCALE}×.`,
      'invalid-resolution');
  }
  return factor;
}
