// Whether a composition draws with WebGPU, read from its page and the local scripts it loads: such a page
// needs a browser with a GPU process (chromiumFlags.ts), which the capture then launches for it alone.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_COMPOSITION_FILE_BYTES } from '../limits';
import type { Composition } from '../model';

const WEBGPU_USE = /\bnavigator\s*\.\s*gpu\b|\.requestAdapter\s*\(|\bGPUDevice\b|['"]webgpu['"]/;
const SCRIPT_FILE = /\.(m?js|cjs)$/i;

function scriptText(file: string): string {
  try {
    if (fs.statSync(file).size > MAX_COMPOSITION_FILE_BYTES) return '';
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function compositionUsesWebGpu(composition: Pick<Composition, 'compiledHtml' | 'dependencies'>): boolean {
  if (WEBGPU_USE.test(composition.compiledHtml)) return true;
  return composition.dependencies.some(file => SCRIPT_FILE.test(path.basename(file)) && WEBGPU_USE.test(scriptText(file)));
}
