// `render --batch` before anything renders: the rows a file holds (both shapes), what a bad file says, and
// where each row is written (its own output, --output's placeholders, -<index>), collisions refused.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../server/cli/args';
import { batchOutputs, batchRequest, parseBatchRows } from '../../server/cli/batch';
import { readVariablesFlags } from '../../server/cli/variables';
import { DEFAULT_BATCH_CONCURRENCY } from '../../server/engine/limits';

const ENTRY = path.resolve('/project/index.html');

describe('render --batch: rows and outputs', () => {
  it('reads {"rows": [...]} and a plain array, rows with "variables" or the values themselves', () => {
    assert.deepEqual(parseBatchRows('{"rows":[{"variables":{"a":1},"output":"x.mp4"},{"b":2}]}', 'rows.json'), [
      { index: 0, variables: { a: 1 }, output: 'x.mp4' },
      { index: 1, variables: { b: 2 }, output: undefined },
    ]);
    assert.deepEqual(parseBatchRows('[{"variables":{}}]', 'rows.json'), [{ index: 0, variables: {}, output: undefined }]);
  });

  it('a bad file is a usage error that says where', () => {
    const message = (text: string) => { try { parseBatchRows(text, 'rows.json'); return 'parsed'; } catch (error) { assert.ok(error instanceof UsageError); return error.message; } };
    assert.match(message('[{'), /^--batch rows.json is not valid JSON/);
    assert.equal(message('{"row":[]}'), '--batch rows.json must be a JSON array of rows, or {"rows": [...]}.');
    assert.equal(message('[]'), '--batch rows.json has no rows.');
    assert.match(message('[{"a":1}, 3]'), /^Row 1 of --batch rows.json must be an object/);
    assert.match(message('[{"variables":[1]}]'), /^Row 0 of --batch rows.json: "variables" must be an object/);
    assert.match(message('[{"variables":{},"output":""}]'), /^Row 0 of --batch rows.json: "output" must be a file name/);
  });

  it('each row\'s output: its own, else --output\'s {index}/{variable}, else -<index> before the extension', () => {
    const rows = parseBatchRows('[{"variables":{"name":"acme"},"output":"own.mp4"},{"variables":{"name":"north/star"}}]', 'rows.json');
    assert.deepEqual(batchOutputs(rows, { entryFile: ENTRY, outputPath: '/out/{name}-{index}.mp4' }), [path.resolve('own.mp4'), '/out/north-star-1.mp4']);
    assert.deepEqual(batchOutputs(rows.slice(1), { entryFile: ENTRY, outputPath: '/out/video.mp4' }), ['/out/video-1.mp4']);
    assert.deepEqual(batchOutputs(rows.slice(1), { entryFile: ENTRY }), ['/project/renders/project-1.mp4']);
    assert.deepEqual(batchOutputs(rows.slice(1), { entryFile: ENTRY, format: 'png', outputPath: '/out/frames' }), ['/out/frames-1']);
    assert.throws(() => batchOutputs(rows, { entryFile: ENTRY, outputPath: '/out/{missing}.mp4' }), /\{missing\} has no text value in row 1/);
    const same = parseBatchRows('[{"variables":{"name":"a"}},{"variables":{"name":"a"}}]', 'rows.json');
    assert.throws(() => batchOutputs(same, { entryFile: ENTRY, outputPath: '/out/{name}.mp4' }), /Rows 0 and 1 of the batch both write/);
  });

  it('the flags: the named default concurrency, and the batch-only flags without --batch refused', () => {
    assert.deepEqual(batchRequest('rows.json', undefined, undefined), { file: 'rows.json', concurrency: DEFAULT_BATCH_CONCURRENCY, failFast: false });
    assert.equal(batchRequest(undefined, undefined, undefined), undefined);
    assert.throws(() => batchRequest(undefined, 2, undefined), /apply to --batch only/);
    assert.deepEqual(readVariablesFlags('{"title":"Hi"}', undefined), { title: 'Hi' });
    assert.throws(() => readVariablesFlags('["x"]', undefined), /--variables must be a JSON object/);
    assert.throws(() => readVariablesFlags('{', undefined), /--variables is not valid JSON/);
  });
});
