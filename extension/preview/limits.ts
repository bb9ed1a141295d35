// Tunables of the preview's extension side.

/** Compile errors listed above the frame (the Problems panel has them all). */
export const PREVIEW_MAX_LISTED_PROBLEMS = 5;

/** Default debounce of hyperframesLive.preview.reloadOnType, and its bounds (as in the manifest). */
export const DEFAULT_RELOAD_ON_TYPE_DELAY_MS = 300;
export const RELOAD_ON_TYPE_DELAY_BOUNDS_MS = { min: 50, max: 5_000 } as const;

/**
 * A preview webview that sends no 'ready' this long after its HTML was set (or after the panel was shown
 * again) is loaded again: once in CI its panel stayed blank, the page never started, until reopened.
 */
export const PREVIEW_READY_TIMEOUT_MS = 5_000;
/** Loads again in a row before the panel gives up and says so. */
export const PREVIEW_READY_RELOADS_MAX = 2;
