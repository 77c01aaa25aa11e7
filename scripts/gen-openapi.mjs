// docs/openapi.yaml from the server's route table (flk-server --routes), the op table's types and
// the hand-written prose (docs/openapi-prose.yaml). The shapes come only from the two tables, as
// TypeScript type strings turned into JSON Schema here; the prose adds descriptions, parameters,
// security schemes, shared error responses and annotations (format, pattern, bounds, integer for
// number, ...) on shapes that exist, and may not add a property, a route or a status of its own.
import { Document, visit } from 'yaml';

// --- TypeScript type strings (the op table's subset) to an AST ---------------------------------
function parseTs(text) {
  const toks = text.match(/'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|[A-Za-z_$][\w$]*|\S/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const eat = (t) => {
    if (toks[i] !== t) throw new Error(`expected ${t} at token ${i} (${toks[i]}) in: ${text}`);
    i++;
  };
  const type = () => {
    if (peek() === '|') i++;
    const parts = [inter()];
    while (peek() === '|') { i++; parts.push(inter()); }
    return parts.length === 1 ? parts[0] : { kind: 'union', parts };
  };
  const inter = () => {
    const parts = [postfix()];
    while (peek() === '&') { i++; parts.push(postfix()); }
    return parts.length === 1 ? parts[0] : { kind: 'inter', parts };
  };
  const postfix = () => {
    let t = primary();
    for (;;) {
      if (peek() === '[' && toks[i + 1] === ']') { i += 2; t = { kind: 'array', of: t }; }
      else if (peek() === '[' && /^'/.test(toks[i + 1] ?? '')) { i++; const k = toks[i++].slice(1, -1); eat(']'); t = { kind: 'index', of: t, key: k }; }
      else return t;
    }
  };
  const primary = () => {
    const t = toks[i++];
    if (t === '(') { const x = type(); eat(')'); return x; }
    if (t === '{') {
      const props = [];
      while (peek() !== '}') {
        const name = toks[i++].replace(/^'(.*)'$/, '$1');
        const optional = peek() === '?';
        if (optional) i++;
        eat(':');
        props.push({ name, optional, type: type() });
        if (peek() === ';' || peek() === ',') i++;
      }
      eat('}');
      return { kind: 'object', props };
    }
    if (t === '[') {
      const items = [type()];
      while (peek() === ',') { i++; items.push(type()); }
      eat(']');
      return { kind: 'tuple', items };
    }
    if (t?.startsWith("'")) return { kind: 'literal', value: t.slice(1, -1) };
    if (/^-?\d/.test(t ?? '')) return { kind: 'literal', value: Number(t) };
    if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
    if (!/^[A-Za-z_$]/.test(t ?? '')) throw new Error(`unexpected ${t} in: ${text}`);
    if (peek() === '<') {
      i++;
      const args = [type()];
      while (peek() === ',') { i++; args.push(type()); }
      eat('>');
      return { kind: 'generic', name: t, args };
    }
    return { kind: 'name', name: t };
  };
  const out = type();
  if (i !== toks.length) throw new Error(`trailing ${toks[i]} in: ${text}`);
  return out;
}

// --- AST to JSON Schema (OpenAPI 3.0) ----------------------------------------------------------
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

function converter(named, opTypes) {
  const used = new Set();
  const asts = new Map();
  const astOf = (name) => {
    if (!asts.has(name)) {
      const op = /^(.+)\.(input|output)$/.exec(name);
      const text = op ? opTypes[op[1]]?.[op[2]] : named[name];
      if (text === undefined) throw new Error(`unknown type ${name}`);
      asts.set(name, parseTs(text));
    }
    return asts.get(name);
  };
  const nameOf = (ast) => (ast.kind === 'name' ? ast.name : ast.kind === 'index' && ast.of.kind === 'index' && ast.of.of.name === 'Ops' ? `${ast.of.key}.${ast.key}` : null);
  // The members of an intersection as one object, when every part is an object (or names one).
  const objectOf = (ast) => {
    const n = nameOf(ast);
    if (n && !['string', 'number', 'boolean', 'null', 'unknown', 'object', 'never'].includes(n)) return objectOf(astOf(n));
    if (ast.kind === 'object') return ast;
    if (ast.kind === 'inter') {
      const parts = ast.parts.map(objectOf);
      if (!parts.every(Boolean)) return null;
      const props = parts.flatMap((p) => p.props);
      // A key on two sides would need its types intersected; none of the tables' types does it.
      const twice = props.find((p, j) => props.findIndex((q) => q.name === p.name) !== j);
      if (twice) throw new Error(`unsupported intersection: ${twice.name} on two sides`);
      return { kind: 'object', props };
    }
    return null;
  };
  const schema = (ast) => {
    const n = nameOf(ast);
    if (n) {
      switch (n) {
        case 'string': case 'number': case 'boolean': return { type: n };
        case 'null': return { nullable: true, enum: [null] };  // OpenAPI 3.0 has no null type
        case 'unknown': return {};
        case 'object': return { type: 'object' };
        case 'never': return { not: {} };
      }
      astOf(n);
      used.add(n);
      return ref(n);
    }
    switch (ast.kind) {
      case 'object': {
        // Closed, as the op table's types are: a key they do not name is not part of the API.
        const s = { type: 'object', properties: {}, additionalProperties: false };
        const required = [];
        for (const p of ast.props) {
          s.properties[p.name] = schema(p.type);
          if (!p.optional) required.push(p.name);
        }
        if (required.length) s.required = required;
        return s;
      }
      case 'array': return { type: 'array', items: schema(ast.of) };
      case 'tuple': {
        // OpenAPI 3.0 has no tuples: the items' distinct schemas, and the length.
        const items = [...new Set(ast.items.map((t) => JSON.stringify(schema(t))))].map((j) => JSON.parse(j));
        return { type: 'array', items: items.length === 1 ? items[0] : { oneOf: items }, minItems: ast.items.length, maxItems: ast.items.length };
      }
      case 'literal': return { type: typeof ast.value === 'string' ? 'string' : typeof ast.value, enum: [ast.value] };
      case 'generic':
        if (ast.name !== 'Record' || ast.args.length !== 2) throw new Error(`unsupported generic ${ast.name}`);
        if (nameOf(ast.args[0]) !== 'string') throw new Error('unsupported Record: its keys must be string');
        return { type: 'object', additionalProperties: schema(ast.args[1]) };
      case 'inter': {
        // allOf of closed objects would take no value: only objects are merged.
        const o = objectOf(ast);
        if (!o) throw new Error('unsupported intersection: every side must be an object');
        return schema(o);
      }
      case 'union': {
        const nullable = ast.parts.some((p) => nameOf(p) === 'null');
        const parts = ast.parts.filter((p) => nameOf(p) !== 'null');
        let s;
        if (parts.every((p) => p.kind === 'literal' && typeof p.value === typeof parts[0].value))
          s = { type: typeof parts[0].value, enum: parts.map((p) => p.value) };
        else if (parts.length === 1) s = schema(parts[0]);
        else s = { oneOf: parts.map(schema) };
        if (!nullable) return s;
        return s.$ref ? { allOf: [s], nullable: true } : { ...s, nullable: true };
      }
    }
    throw new Error(`unsupported type ${JSON.stringify(ast)}`);
  };
  // Every named type used, with the ones they use, as components.
  const components = () => {
    const out = {};
    for (let grew = true; grew;) {
      grew = false;
      for (const n of [...used]) if (!(n in out)) { out[n] = schema(astOf(n)); grew = true; }
    }
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
  };
  return { schema: (text) => schema(parseTs(text)), components };
}

// --- Prose annotations on generated shapes -----------------------------------------------------
const SHAPE = new Set(['type', 'properties', 'required', 'items', 'enum', 'nullable', 'oneOf', 'allOf', '$ref', 'not', 'additionalProperties']);
// What the prose may say of a shape (a key outside both sets is a slip, e.g. an unquoted comma in a flow mapping).
const ANNOTATIONS = new Set(['description', 'format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'maxProperties', 'propertyNames', 'default', 'example']);

function annotate(s, ann, where) {
  if (!ann || !Object.keys(ann).length) return s;
  if (s.$ref) return annotate({ allOf: [s] }, ann, where);
  for (const [k, v] of Object.entries(ann)) {
    if (k === 'properties') {
      for (const [p, a] of Object.entries(v)) {
        if (!s.properties?.[p]) throw new Error(`${where}: the prose annotates ${p}, which the shape does not have`);
        s.properties[p] = annotate(s.properties[p], a, `${where}.${p}`);
      }
    } else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object') {
      if (typeof s[k] !== 'object') throw new Error(`${where}: the prose annotates ${k}, which the shape does not have`);
      s[k] = annotate(s[k], v, `${where}.${k}`);
    } else if (k === 'type' && v === 'integer' && s.type === 'number') {
      s.type = 'integer';  // TypeScript has no integers: the one narrowing the prose may make
    } else if (SHAPE.has(k)) {
      if (!Array.isArray(s[k]) || !Array.isArray(v) || k === 'enum' || k === 'required') throw new Error(`${where}: the prose may not set ${k}`);
      v.forEach((a, j) => { s[k][j] = annotate(s[k][j], a, `${where}.${k}[${j}]`); });
    } else if (ANNOTATIONS.has(k) && v !== null) s[k] = v;
    else throw new Error(`${where}: the prose says ${k}: ${v}, which is not an annotation`);
  }
  return s;
}

const SECURITY = { admin: [{ admin: [] }], admin_or_signed: [{ admin: [] }, { tenantSignature: [] }] };

// routeTable: flk-server --routes; ops/types: the `ops` op; prose: docs/openapi-prose.yaml parsed.
export function openapi(routeTable, ops, types, prose) {
  for (const n of Object.keys(routeTable.types)) if (n in types) throw new Error(`the route table redefines the op table's type ${n}`);
  const opTypes = Object.fromEntries(ops.map((o) => [o.name, { input: o.input, output: o.output }]));
  const conv = converter({ ...types, ...routeTable.types }, opTypes);
  conv.schema('Error');  // every error status answers it: a component even if no route names it
  const paths = {};
  const seen = new Set();
  for (const r of routeTable.routes) {
    const m = r.method.toLowerCase();
    const where = `${r.method} ${r.path}`;
    const { body_optional: bodyOptional, request, responses: proseResponses = {}, ...text } = prose.paths?.[r.path]?.[m] ?? {};
    if (!text.summary) throw new Error(`${where}: no summary in docs/openapi-prose.yaml`);
    seen.add(where);
    const op = { ...text };
    if (SECURITY[r.auth]) op.security = SECURITY[r.auth];
    if (r.request) {
      op.requestBody = { ...(bodyOptional ? {} : { required: true }), content: { [r.request_media]: { schema: annotate(conv.schema(r.request), request, `${where} request`) } } };
    } else if (request || bodyOptional) throw new Error(`${where}: the prose describes a body the route does not take`);
    const statuses = [...r.ok, ...r.errors];
    for (const code of Object.keys(proseResponses)) if (!statuses.includes(Number(code))) throw new Error(`${where}: the prose describes status ${code}, which the route table does not list`);
    op.responses = {};
    for (const code of statuses) {
      const p = proseResponses[code];
      if (!p) throw new Error(`${where}: status ${code} has no description in docs/openapi-prose.yaml`);
      if (r.errors.includes(code)) {
        op.responses[code] = p.$ref ? p : { ...p, content: { 'application/json': { schema: ref('Error') } } };
        continue;
      }
      const { schema: ann, ...rest } = p;
      op.responses[code] = { ...rest, ...(r.response ? { content: { [r.response_media]: { schema: annotate(conv.schema(r.response), ann, `${where} ${code}`) } } } : {}) };
    }
    const item = (paths[r.path] ??= prose.paths?.[r.path]?.parameters ? { parameters: prose.paths[r.path].parameters } : {});
    item[m] = op;
  }
  for (const [path, item] of Object.entries(prose.paths ?? {}))
    for (const m of Object.keys(item)) if (m !== 'parameters' && !seen.has(`${m.toUpperCase()} ${path}`)) throw new Error(`docs/openapi-prose.yaml describes ${m.toUpperCase()} ${path}, which the route table lacks`);
  const schemas = conv.components();
  for (const [n, a] of Object.entries(prose.components?.schemas ?? {})) {
    if (!schemas[n]) throw new Error(`docs/openapi-prose.yaml annotates the schema ${n}, which no route uses`);
    schemas[n] = annotate(schemas[n], a, n);
  }
  const doc = {
    openapi: prose.openapi,
    info: prose.info,
    servers: prose.servers,
    tags: prose.tags,
    paths,
    components: { ...prose.components, schemas },
  };
  // Short collections on one line, as a person would write them.
  const yaml = new Document(doc, { aliasDuplicateObjects: false });
  visit(yaml, { Collection(_, node) { if (JSON.stringify(node.toJSON()).length < 110 && !node.toJSON()?.description?.includes?.('\n')) node.flow = true; } });
  return '# Generated by scripts/gen-types.mjs from the route table (flk-server --routes), the op table and\n' +
    '# docs/openapi-prose.yaml. Do not edit.\n' + yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}
