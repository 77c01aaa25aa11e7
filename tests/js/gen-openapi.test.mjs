// scripts/gen-openapi.mjs turns the route table's and the op table's TypeScript type strings into
// JSON Schema. For each kind of type it may meet, the schema must take exactly the values
// TypeScript takes (checked with the validator of tests/js/server-openapi.test.mjs); a type it
// cannot say in OpenAPI 3.0 must stop the generator rather than give a wrong schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { openapi } from '../../scripts/gen-openapi.mjs';
import { validator } from './support/json-schema.mjs';

const TYPES = { Error: '{ error: { code: string; message: string; path?: string } }', Named: '{ a: string }' };
const PROSE = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { summary: 's', responses: { 200: { description: 'd' } } } } } };

// The document of one route answering `type`, and a check of values against its schema.
function generate(type) {
  const table = { routes: [{ method: 'GET', path: '/x', pool: 'store', auth: 'none', response: type, response_media: 'application/json', ok: [200], errors: [] }], types: {} };
  const doc = parse(openapi(table, [], TYPES, PROSE));
  const validate = validator(doc);
  const schema = doc.paths['/x'].get.responses['200'].content['application/json'].schema;
  return { doc, check: (v) => validate(schema, v) };
}

// TypeScript takes every value of `ok` and none of `bad`; so must the schema.
function agrees(type, ok, bad) {
  const { check } = generate(type);
  for (const v of ok) assert.deepEqual(check(v), [], `${type} takes ${JSON.stringify(v)}`);
  for (const v of bad) assert.notDeepEqual(check(v), [], `${type} does not take ${JSON.stringify(v)}`);
}

// The same, or the generator refuses the type.
function agreesOrRefuses(type, ok, bad) {
  try {
    generate(type);
  } catch {
    return;
  }
  agrees(type, ok, bad);
}

test('objects: required and optional keys, closed', () => {
  agrees('{ a: string; b?: number }', [{ a: 'x' }, { a: 'x', b: 1 }], [{}, { a: 1 }, { a: 'x', c: 1 }, { b: 1 }]);
  agrees("{ 'quoted key': boolean }", [{ 'quoted key': true }], [{ quoted: true }]);
});

test('literals and their unions: strings, numbers (negative too), booleans', () => {
  agrees("'x' | 'y'", ['x', 'y'], ['z', 1]);
  agrees('1 | 2', [1, 2], [3, '1']);
  agrees('-1 | 1', [-1, 1], [0]);
  agrees("'auto' | 0", ['auto', 0], ['0', 1]);
  agrees('true', [true], [false]);
});

test('null: in a union, and alone', () => {
  agrees('string | null', ['a', null], [1]);
  agrees('Named | null', [{ a: 'x' }, null], [{}]);
  agrees("'a' | 'b' | null", ['a', null], ['c']);
  agrees('{ a: null }', [{ a: null }], [{ a: 1 }, { a: 'x' }, {}]);
});

test('arrays, nested arrays and tuples', () => {
  agrees('number[][]', [[], [[1, 2], []]], [[1], [['a']]]);
  agrees('(string | number)[]', [['a', 1]], [[true]]);
  agrees('[number, string]', [[1, 'a']], [[1], [1, 'a', 2]]);
});

test('Record: string keys; other keys are refused', () => {
  agrees('Record<string, number>', [{}, { a: 1 }], [{ a: 'x' }, []]);
  agreesOrRefuses("Record<'a' | 'b', number>", [{ a: 1, b: 2 }], [{ a: 1 }, { c: 1 }]);
});

test('intersections: of objects merged and closed; anything else refused', () => {
  agrees('{ a: string } & { b: number }', [{ a: 'x', b: 1 }], [{ a: 'x' }, { a: 'x', b: 1, c: 2 }]);
  agrees('Named & { b?: number }', [{ a: 'x' }, { a: 'x', b: 1 }], [{ b: 1 }]);
  agreesOrRefuses('{ a: string } & ({ b: string } | { c: string })', [{ a: 'x', b: 'y' }, { a: 'x', c: 'y' }], [{ a: 'x' }]);
  // A key on both sides: TypeScript intersects its types; the schema must not simply take the last.
  agreesOrRefuses("{ a: string } & { a: 'x' }", [{ a: 'x' }], [{ a: 'y' }]);
});

test('unions of objects: the one that fits', () => {
  agrees('{ a: string } | { b: number }', [{ a: 'x' }, { b: 1 }], [{}, { a: 'x', b: 1 }]);
});

test('unknown, and the named types become components', () => {
  agrees('{ a: unknown }', [{ a: 1 }, { a: null }, { a: {} }], [{}]);
  const { doc } = generate('{ n: Named }');
  assert.ok(doc.components.schemas.Named && doc.components.schemas.Error);
});
