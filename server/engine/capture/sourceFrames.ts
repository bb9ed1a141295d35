// Which frames a video source has up to a time, and when each is shown: the plan's input (videoFrames.ts).
//
// Each frame is named by its presentation timestamp in the stream's own time base, the number ffmpeg gives
// the decoded frame (its best-effort timestamp) and, with -copyts, selects and names the extracted file by
// (videoFrameExtraction.ts). A file named by a timestamp is therefore that very frame, however the list was read.
//
// Reading the list by decoding every frame (ffprobe -show_frames) costs about as much as decoding the clip:
// 0.7 s of CPU for 6 s of 1080p, minutes for a long a-roll, all of it before capture can start. Containers
// that store every frame's presentation time (MP4/MOV, Matroska/WebM) give the same list from their packets,
// without decoding: 0.05 s. Packets the demuxer marks discarded (an edit list that trims the start) are left
// out, as the decoder leaves them out. Should a listed packet still decode to no frame, its file never appears
// and the extraction shows the nearest earlier frame instead, which is what the decoded list would have
// shown at that time. Other containers (MPEG-TS, AVI, raw streams), and any packet without a timestamp, are
// listed by decoding.
//
// The list ends at an absolute time, the stream's start plus untilSeconds: an end relative to the first packet
// (ffprobe's %+) counts from a packet that in a trimmed MP4 lies before the start, and cut the list short.
// It is read a margin further (SOURCE_FRAME_LIST_REORDER_MARGIN_S) and then cut at that time, so that frames
// stored after a later one (B-frames) are not lost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { VideoStreamFacts } from '../compile/mediaProbe';
import { SOURCE_FRAME_LIST_REORDER_MARGIN_S } from '../limits';

const execFileAsync = promisify(execFile);

/** Containers (ffprobe's format names) whose packets carry every frame's presentation timestamp. */
const PACKET_TIMED_FORMATS = /^(mov,mp4|matroska)/;

export interface SourceFrames {
  /** Presentation timestamps in the stream's time base, ascending: the frames' names. */
  pts: number[];
  /** Seconds from the first frame, one per pts. */
  times: number[];
  /** How the list was read. */
  listedFrom: 'packets' | 'decoding';
}

/** Lists the source's frames up to untilSeconds from its start; `stream` is its probe (mediaProbe.ts probeVideoStream). */
export async function readSourceFrames(ffprobePath: string, file: string, stream: Pick<VideoStreamFacts, 'timeBase' | 'startSeconds' | 'container'>, untilSeconds: number, signal?: AbortSignal): Promise<SourceFrames> {
  if (!stream.timeBase) throw new Error('its video stream has no time base');
  const [num, den] = stream.timeBase;
  const end = stream.startSeconds + untilSeconds;
  const readUntil = (end + SOURCE_FRAME_LIST_REORDER_MARGIN_S).toFixed(6);
  let listed: number[] | undefined;
  let listedFrom: SourceFrames['listedFrom'] = 'packets';
  if (PACKET_TIMED_FORMATS.test(stream.container)) listed = await packetTimestamps(ffprobePath, file, readUntil, signal);
  if (!listed) {
    listedFrom = 'decoding';
    listed = await decodedTimestamps(ffprobePath, file, readUntil, signal);
  }
  const pts = listed.filter(value => (value * num) / den < end);
  const first = pts[0] ?? 0;
  return { pts, times: pts.map(value => ((value - first) * num) / den), listedFrom };
}

/** The list as JSON-safe data for the frame cache, and back (undefined for anything else). */
export function sourceFramesFromJson(value: unknown): SourceFrames | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { pts, times, listedFrom } = value as Partial<SourceFrames>;
  if (!Array.isArray(pts) || !Array.isArray(times) || pts.length === 0 || pts.length !== times.length) return undefined;
  if (listedFrom !== 'packets' && listedFrom !== 'decoding') return undefined;
  return { pts, times, listedFrom };
}

/** The packets' timestamps in presentation order, or undefined when one lacks its timestamp or repeats another. */
async function packetTimestamps(ffprobePath: string, file: string, end: string, signal?: AbortSignal): Promise<number[] | undefined> {
  const { stdout } = await execFileAsync(ffprobePath, [
    '-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%${end}`, '-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', file,
  ], { signal, maxBuffer: 64 * 1024 * 1024 });
  const pts: number[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const [value, flags = ''] = line.split(',');
    if (flags.includes('D')) continue;
    const number = Number(value);
    if (!Number.isSafeInteger(number)) return undefined;
    pts.push(number);
  }
  pts.sort((a, b) => a - b);
  for (let i = 1; i < pts.length; i++) if (pts[i] === pts[i - 1]) return undefined;
  return pts;
}

/** The decoded frames' best-effort timestamps (what ffmpeg gives each frame as its pts), in order. */
async function decodedTimestamps(ffprobePath: string, file: string, end: string, signal?: AbortSignal): Promise<number[]> {
  const { stdout } = await execFileAsync(ffprobePath, [
    '-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%${end}`, '-show_entries', 'frame=best_effort_timestamp', '-of', 'csv=p=0', file,
  ], { signal, maxBuffer: 64 * 1024 * 1024 });
  // A line may carry side data after a comma ("0,"). A frame without a timestamp ("N/A") has no name to be
  // selected and found by: left out.
  return stdout.split('\n').map(line => line.split(',')[0].trim()).filter(value => value !== '').map(Number).filter(Number.isSafeInteger).sort((a, b) => a - b);
}
