// Composition variables in the compile stage: each bad declaration, instance value and binding reported on
// the exact JSON token or attribute value, under its code; the values the page will see; the CLI's check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { errorBlocksRender } from '../../server/engine/compile/lint';
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
      at(ENTRY, '"three"', 'error', 'invalid_composition_variables_declaration'),
      at(ENTRY, '"colour"', 'error', 'invalid_composition_variables_declaration'),
      at(ENTRY, 'titel', 'warning', 'unknown_variable_binding'),
      at(ENTRY, '"cheap"', 'error', 'invalid_variable_values_json'),
      at(ENTRY, '"nmae"', 'warning', 'invalid_variable_values_json'),
      // '{"name": "Grace",}': the "}" where a key should be.
      at(ENTRY, '}', 'error', 'invalid_variable_values_json', '"Grace",}'),
      at(CARD, 'logo', 'warning', 'unknown_variable_binding'),
    ]);
    // One code per attribute, as the reference's lint has it; the message keeps the finer finding.
    const messageAt = (needle: string) => diagnostics.find(d => brief(d) === at(ENTRY, needle, d.severity, d.code))?.message ?? '';
    assert.match(messageAt('"three"'), /The default of "count" must be a number, got string/);
    assert.match(messageAt('"colour"'), /is not a variable type: .* Did you mean "color"\?/);
    assert.match(messageAt('titel'), /Did you mean "title"\?/);
    assert.match(messageAt('"cheap"'), /This instance's value of "price" must be a number/);
    assert.match(messageAt('"nmae"'), /"nmae" is not declared by this sub-composition.* Did you mean "name"\?/);
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

  it('an image default, or one a data-var-src binds, that the page will not load is an error on the default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-vars-'));
    try {
      const file = path.join(dir, 'index.html');
      const declaration = '[{"id":"logo","type":"image","label":"Logo","default":"file:///home/me/logo.png"},'
        + '{"id":"hero","type":"string","label":"Hero","default":"javascript:alert(1)"},'
        + '{"id":"ok","type":"image","label":"Ok","default":"assets/ok.png"},'
        + '{"id":"note","type":"string","label":"Note","default":"mailto:a@b.c"}]';
      fs.writeFileSync(file, `<html data-composition-variables='${declaration}'><body><div id="r" data-composition-id="m" data-width="10" data-height="10" data-duration="1" data-no-timeline>`
        + `<img id="h" data-var-src="hero" src="assets/fallback.png"><p data-var-text="note">x</p></div></body></html>\n`);
      const { diagnostics } = await compile({ entryFile: file, probeMedia: false });
      const found = diagnostics.filter(d => d.code === 'unloadable_media_variable_default');
      assert.deepEqual(found.map(brief), [
        at(file, '"file:///home/me/logo.png"', 'error', 'unloadable_media_variable_default'),
        at(file, '"javascript:alert(1)"', 'error', 'unloadable_media_variable_default'),
      ]);
      assert.match(found[0].message, /The default of "logo" is a URL the page refuses/);
      // Advisory, as in the reference (its render exits 0); a broken declaration stops the render.
      assert.equal(errorBlocksRender('unloadable_media_variable_default'), false);
      assert.equal(errorBlocksRender('invalid_composition_variables_declaration'), true);
      assert.equal(errorBlocksRender('invalid_variable_values_json'), true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
      assert.deepEqual(first.diagnostics.filter(d => d.code === 'invalid_composition_variables_declaration').map(brief), [at(file, '{"id":"x"}', 'error', 'invalid_composition_variables_declaration')]);
      fs.writeFileSync(file, `<html data-composition-variables='[{"type":"string","default":"a"}]'><body><div id="r" data-composition-id="m" data-width="10" data-height="10" data-duration="1" data-no-timeline></div></body></html>\n`);
      const second = await compile({ entryFile: file, probeMedia: false });
      assert.deepEqual(second.diagnostics.filter(d => d.code === 'invalid_composition_variables_declaration').map(brief), [at(file, '{"type":"string","default":"a"}', 'error', 'invalid_composition_variables_declaration')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
