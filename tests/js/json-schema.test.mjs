// The validator tests/js/server-openapi.test.mjs checks the server's answers with
// (tests/js/support/json-schema.mjs): each keyword it knows must reject what standard JSON Schema
// rejects, or a wrong answer would pass as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validator } from './support/json-schema.mjs';

const doc = {
  components: {
    schemas: {
      Closed: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false, required: ['a'] },
      Pair: {
        oneOf: [
          { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false },
          { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false },
        ],
      },
    },
  },
};
const validate = validator(doc);
const ok = (schema, value) => assert.deepEqual(validate(schema, value), [], JSON.stringify(value));
const bad = (schema, value) => assert.notDeepEqual(validate(schema, value), [], JSON.stringify(value));
const closed = { $ref: '#/components/schemas/Closed' };

test('additionalProperties: false rejects every key the properties do not name', () => {
  ok(closed, { a: 'x' });
  bad(closed, { a: 'x', b: 1 });
  // Keys that name members of Object.prototype are keys like any other.
  for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])
    bad(closed, JSON.parse(`{"a": "x", "${key}": 1}`));
});

test('required needs the key itself, not an inherited member', () => {
  bad(closed, {});
  bad({ type: 'object', required: ['toString'] }, {});
  ok({ type: 'object', required: ['toString'] }, { toString: 1 });
});

test('additionalProperties as a schema checks every other value', () => {
  const map = { type: 'object', additionalProperties: { type: 'integer' } };
  ok(map, { x: 1, y: 2 });
  bad(map, { x: 1.5 });
  bad(map, { constructor: 'x' });
});

test('type, integer and nullable', () => {
  ok({ type: 'integer' }, 3);
  bad({ type: 'integer' }, 3.5);
  bad({ type: 'number' }, '3');
  bad({ type: 'object' }, []);
  bad({ type: 'array' }, {});
  bad({ type: 'string' }, null);
  ok({ type: 'string', nullable: true }, null);
});

test('enum takes only its values', () => {
  ok({ type: 'string', enum: ['a', 'b'] }, 'b');
  bad({ type: 'string', enum: ['a', 'b'] }, 'c');
  bad({ type: 'number', enum: [1] }, 2);
});

test('oneOf needs exactly one alternative, allOf every one, not none', () => {
  const pair = { $ref: '#/components/schemas/Pair' };
  ok(pair, { n: 1.5 });
  bad(pair, { n: 1 }); // fits both
  bad(pair, { n: 'x' }); // fits neither
  bad({ allOf: [{ type: 'number' }, { minimum: 2 }] }, 1);
  ok({ allOf: [{ type: 'number' }, { minimum: 2 }] }, 2);
  bad({ not: {} }, 1);
});

test('items and the bounds on arrays, strings and numbers', () => {
  bad({ type: 'array', items: { type: 'string' } }, ['a', 1]);
  bad({ type: 'array', items: { type: 'array', items: { type: 'integer' } } }, [[1], [2.5]]);
  bad({ type: 'array', minItems: 2 }, [1]);
  bad({ type: 'array', maxItems: 1 }, [1, 2]);
  bad({ type: 'string', maxLength: 2 }, 'abc');
  ok({ type: 'string', maxLength: 2 }, '\u{1F600}\u{1F600}'); // code points, not UTF-16 units
  bad({ type: 'string', pattern: '^[a-f0-9]{4}$' }, 'abcg');
  bad({ type: 'string', format: 'date' }, '2026-1-05');
  bad({ type: 'integer', minimum: 1 }, 0);
  bad({ type: 'integer', maximum: 1 }, 2);
  bad({ type: 'object', maxProperties: 1 }, { a: 1, b: 2 });
  bad({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, { A: 1 });
});

test('a $ref that leads nowhere is an error, not a pass', () => {
  assert.throws(() => validate({ $ref: '#/components/schemas/Missing' }, 1), /dangling/);
});
