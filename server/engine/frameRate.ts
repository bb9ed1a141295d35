// Frame rates and frame maths, in one place: a rate is an exact rational {num, den} (30000/1001 for NTSC
// 29.97), frame n shows t_n = n·den/num seconds, a duration d holds round(d·fps) frames when d·fps is within
// FRAME_COUNT_EPSILON of an integer, else ceil(d·fps) (the reference's rule), and ffmpeg is told the rate as
// the rational itself ("-r 30000/1001"), so the container's time base and every timestamp follow it exactly.
// A float fps (29.97002997…) is only used where a rounding of a nanosecond cannot matter (display, intervals).
import { FRAME_COUNT_EPSILON, MAX_FPS, MIN_FPS } from './limits';

export interface FrameRate {
  /** Frames per `den` seconds; both positive integers. */
  num: number;
  den: number;
}

/** The NTSC rates by their usual names: a decimal fps within this of one of them means that rational. */
const NTSC_DECIMAL_TOLERANCE = 0.005;
const NTSC_DENOMINATOR = 1001;

/** A rate from a number (a composition's data-fps, a setting) or a rational; 29.97 is read as 30000/1001. */
export function toFrameRate(fps: number | FrameRate): FrameRate {
  if (typeof fps !== 'number') return fps;
  if (Number.isInteger(fps)) return { num: fps, den: 1 };
  const ntsc = Math.round(fps * NTSC_DENOMINATOR / 1000) * 1000;
  if (Math.abs(ntsc / NTSC_DENOMINATOR - fps) < NTSC_DECIMAL_TOLERANCE) return { num: ntsc, den: NTSC_DENOMINATOR };
  // Any other decimal: exact to the thousandth of a frame per second.
  const num = Math.round(fps * 1000);
  const divisor = gcd(num, 1000);
  return { num: num / divisor, den: 1000 / divisor };
}

/** Frames per second as a number (29.97002997…). */
export function fpsValue(fps: number | FrameRate): number {
  return typeof fps === 'number' ? fps : fps.num / fps.den;
}

/** The time frame `n` shows, in seconds: n·den/num, one rounding. */
export function frameTime(n: number, fps: number | FrameRate): number {
  const { num, den } = toFrameRate(fps);
  return (n * den) / num;
}

/** Frames in `durationSeconds`: round(d·fps) within FRAME_COUNT_EPSILON of an integer, else ceil. */
export function framesIn(durationSeconds: number, fps: number | FrameRate): number {
  const { num, den } = toFrameRate(fps);
  const exact = (durationSeconds * num) / den;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) < FRAME_COUNT_EPSILON ? nearest : Math.ceil(exact);
}

/** The rate as ffmpeg reads it: "30" or "30000/1001". */
export function ffmpegRate(fps: number | FrameRate): string {
  const { num, den } = toFrameRate(fps);
  return den === 1 ? String(num) : `${num}/${den}`;
}

/** The rate for people: "30", "29.97 (30000/1001)". */
export function describeFrameRate(fps: number | FrameRate): string {
  const rate = toFrameRate(fps);
  return rate.den === 1 ? String(rate.num) : `${Number((rate.num / rate.den).toFixed(3))} (${rate.num}/${rate.den})`;
}

export class FrameRateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameRateError';
  }
}

/**
 * A frame rate as typed: a whole number (24, 30, 60) or an ffmpeg rational ("30000/1001"), between MIN_FPS
 * and MAX_FPS. A decimal is refused: 29.97 is not 30000/1001, and the difference drifts a frame every 33 s.
 */
export function parseFrameRate(text: string): FrameRate {
  const trimmed = text.trim();
  const match = /^(\d+)(?:\/(\d+))?$/.exec(trimmed);
  if (!match) {
    throw new FrameRateError(`the frame rate must be a whole number (${MIN_FPS}–${MAX_FPS}) or a rational such as 30000/1001 (got "${text}").`);
  }
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  if (den === 0) throw new FrameRateError(`the frame rate ${trimmed} divides by zero.`);
  const value = num / den;
  if (value < MIN_FPS || value > MAX_FPS) throw new FrameRateError(`the frame rate must be between ${MIN_FPS} and ${MAX_FPS} fps (got ${trimmed}).`);
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
