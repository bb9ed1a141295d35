// Composition variables in the compile stage: each bad declaration, instance value and binding reported on
// the exact JSON token or attribute value, under its code; the values the page will see; the CLI's check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { validateVariableValues, describeVariableProblem } from '../../server/engine/compile/variables';
import { FIXTURES } from './compileSupport';

const ENTRY = path.join(FIXTURES, 'variables/index.html');
const CARD = path.join(FIXTURES, 'variables/compositions/card.html');

/** "file line:start-end severity code" for `needle` (0-based line, characters), the first one inside `within`. */
function at(file: string, needle: string, severity: string, code: string, within = needle): string {
  const text = fs.readFileSync(file, 'utf8');
  const context = text.indexOf(within);
  assert.ok(context >= 0, `${within} is in ${file}`);
  const offset = text.indexOf(needle, context);
  const line = text.slice(0, offset).split('\n').length - 1;
  const character = offset - text.lastIndexOf('\n', offset - 1) - 1;
  return `${path.basename(file)} ${line}:${character}-${line}:${character + needle.length} ${severity} ${code}`;
}

function brief(d: { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string }): string {
  return `${path.basename(d.file)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`;
}

describe('compile: composition variables', () => {
  it('reports each problem on the JSON token or binding that causes it', async () => {
    const { diagnostics } = await compile({ entryFile: ENTRY, probeMedia: false });
    assert.deepEqual(diagnostics.map(brief), [
      at(ENTRY, '"three"', 'error', 'variable-type-mismatch'),
      at(ENTRY, '"colour"', 'error', 'unknown-variable-type'),
      at(ENTRY, 'titel', 'warning', 'undeclared-variable'),
      at(ENTRY, '"cheap"', 'error', 'variable-type-mismatch'),
      at(ENTRY, '"nmae"', 'warning', 'undeclared-variable'),
      // '{"name": "Grace",}': the "}" where a key should be.
      at(ENTRY, '}', 'error', 'invalid-variables', '"Grace",}'),
      at(CARD, 'logo', 'warning', 'undeclared-variable'),
    ]);
    const byCode = Object.fromEntries(diagnostics.map(d => [d.code + ':' + d.range.start.line, d.message]));
    assert.match(byCode['unknown-variable-type:1'], /Did you mean "color"\?/);
    assert.match(byCode['undeclared-variable:5'], /Did you mean "title"\?/);
  });

  it('resolves the values: defaults under render values, each instance its defaults under its host values', async () => {
    const { composition } = await compile({ entryFile: ENTRY, probeMedia: false, variables: { title: 'Hi', extra: 1 } });
    // "count" and "accent" are dropped: a bad default or type makes the entry unusable, as in the reference.
    assert.deepEqual(composition.variables.map(v => v.id), ['title', 'size']);
    assert.deepEqual(composition.variables[1].options, ['s', 'm']);
    assert.deepEqual(composition.variableValues, {
      root: { title: 'Hi', size: 'm', extra: 1 },
      instances: {
        'card-a': { name: 'Ada', price: 'cheap', nmae: 'x' },
        'card-b': { name: 'Nobody', price: 9 },
      },
    });
    assert.deepEqual(composition.variableBindings.map(b => `${b.attribute}=${b.id} ${b.hostId ?? 'top'} ${JSON.stringify(b.value)} ${b.declaration?.id ?? '-'}`), [
      'data-var-text=title top "Hi" title',
      'data-var-text=titel top undefined -',
      'data-var-text=name card-a "Ada" name',
      'data-var-src=logo card-a undefined -',
      'data-var-text=name card-b "Nobody" name',
      'data-var-src=logo card-b undefined -',
    ]);
    // The declaration's range is its entry in the JSON (the hover's "declared at").
    assert.equal(brief({ ...composition.variables[0], severity: 'x', code: 'y' }), at(ENTRY, '{"id":"title","type":"string","label":"Title","default":"Hello"}', 'x', 'y'));
  });

  it('checks a render\'s values: undeclared keys and each type', async () => {
    const { composition } = await compile({ entryFile: ENTRY, probeMedia: false });
    const problems = validateVariableValues({ title: 3, size: 'xl', tilte: 'x' }, composition.variables);
    assert.deepEqual(problems.map(describeVariableProblem), [
      '"title" must be a string (a JSON string), got number.',
      '"size" must be one of "s", "m", got "xl".',
      '"tilte" is not a declared variable (data-composition-variables). Did you mean "title"?',
    ]);
    const declare = (type: string) => [{ id: 'v', type, file: ENTRY, range: composition.variables[0].range }];
    const ok = (type: string, value: unknown) => validateVariableValues({ v: value }, declare(type)).length === 0;
    assert.deepEqual([ok('number', 2), ok('number', '2'), ok('number', Number.NaN), ok('boolean', false), ok('boolean', 'false'),
      ok('color', '#fff'), ok('font', { name: 'Inter' }), ok('font', 3), ok('image', { url: 'a.png' }), ok('image', {})],
    [true, false, false, true, false, true, true, false, true, false]);
  });

  it('a declaration that is not an array, or an entry without an id, is reported on it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-vars-'));
    try {
      const file = path.join(dir, 'index.html');
      fs.writeFileSync(file, `<html data-composition-variables='{"id":"x"}'><body><div id="r" data-composition-id="m" data-width="10" data-height="10" data-duration="1" data-no-timeline></div></body></html>\n`);
      const first = await compile({ entryFile: file, probeMedia: false });
      assert.deepEqual(first.diagnostics.filter(d => d.code === 'invalid-variables').map(brief), [at(file, '{"id":"x"}', 'error', 'invalid-variables')]);
      fs.writeFileSync(file, `<html data-composition-variables='[{"type":"string","default":"a"}]'><body><div id="r" data-composition-id="m" data-width="10" data-height="10" data-duration="1" data-no-timeline></div></body></html>\n`);
      const second = await compile({ entryFile: file, probeMedia: false });
      assert.deepEqual(second.diagnostics.filter(d => d.code === 'invalid-variables').map(brief), [at(file, '{"type":"string","default":"a"}', 'error', 'invalid-variables')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
