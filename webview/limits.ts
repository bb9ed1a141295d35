// Tunables of the preview UI (the webview and the bridge inside the composition's iframe).

/** After the iframe's load event, how long the webview waits for the bridge before calling it a failed load. */
export const FRAME_READY_TIMEOUT_MS = 20_000;

/** Rates offered in the rate menu; J/L shuttle doubles up to MAX_SHUTTLE_RATE either way. */
export const PLAYBACK_RATES = [0.25, 0.5, 1, 1.5, 2] as const;
export const MAX_SHUTTLE_RATE = 8;

/** Shift+←/→ jump. */
export const LARGE_STEP_SECONDS = 1;

/** Timeline zoom: each step multiplies pixels-per-second; bounds keep the bars drawable. */
export const ZOOM_STEP_FACTOR = 1.5;
export const MIN_PIXELS_PER_SECOND = 4;
export const MAX_PIXELS_PER_SECOND = 4000;
/** Ruler ticks are at least this far apart. */
export const MIN_TICK_SPACING_PX = 64;
export const TICK_INTERVALS_SECONDS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300] as const;

/** While playing, the webview state (time) is saved at most this often. */
export const STATE_SAVE_INTERVAL_MS = 500;

/** Typing in a Variables panel input applies once it pauses this long (each apply reloads the frame). */
export const VARIABLE_APPLY_DELAY_MS = 250;
