// A validator of the JSON Schema subset scripts/gen-openapi.mjs emits into docs/openapi.yaml
// (OpenAPI 3.0: $ref, type, nullable, enum, properties, required, additionalProperties, items,
// oneOf, allOf, not, and the annotations that bound values). The generator closes every object
// it writes (additionalProperties: false), so a key the server sends and the document does not
// name is an error.
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const FORMATS = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
};

// validate(schema, value) -> ["$.path: what is wrong", ...], [] when the value fits.
export function validator(doc) {
  const resolve = (s) => {
    while (s?.$ref) s = s.$ref.slice(2).split('/').reduce((o, k) => o?.[k], doc);
    if (!s) throw new Error('dangling $ref');
    return s;
  };
  const check = (s, v, at, errs) => {
    s = resolve(s);
    if (v === null && s.nullable) return errs.length;
    const t = typeOf(v);
    if (s.type && !(s.type === t || (s.type === 'integer' && t === 'number' && Number.isInteger(v)))) {
      errs.push(`${at}: ${t}, not ${s.type}`);
      return errs.length;
    }
    if (s.enum && !s.enum.includes(v)) errs.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    if (s.not && check(s.not, v, at, []) === 0) errs.push(`${at}: must not be present`);
    for (const m of s.allOf ?? []) check(m, v, at, errs);
    if (s.oneOf) {
      const fits = s.oneOf.filter((m) => check(m, v, at, []) === 0).length;
      if (fits !== 1) errs.push(`${at}: fits ${fits} of the ${s.oneOf.length} alternatives, not one`);
    }
    if (t === 'object') {
      // Own keys only: `in` and [] would also see Object.prototype's members (constructor, toString).
      for (const r of s.required ?? []) if (!Object.hasOwn(v, r)) errs.push(`${at}: no ${r}`);
      for (const [k, x] of Object.entries(v)) {
        if (s.properties && Object.hasOwn(s.properties, k)) check(s.properties[k], x, `${at}.${k}`, errs);
        else if (s.additionalProperties === false) errs.push(`${at}: ${k} is not in the document`);
        else if (s.additionalProperties) check(s.additionalProperties, x, `${at}.${k}`, errs);
        if (s.propertyNames) check(s.propertyNames, k, `${at} key ${k}`, errs);
      }
      if (s.maxProperties !== undefined && Object.keys(v).length > s.maxProperties) errs.push(`${at}: over ${s.maxProperties} keys`);
    }
    if (t === 'array') {
      if (s.items) v.forEach((x, i) => check(s.items, x, `${at}[${i}]`, errs));
      if (s.minItems !== undefined && v.length < s.minItems) errs.push(`${at}: under ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(`${at}: over ${s.maxItems} items`);
    }
    if (t === 'string') {
      const n = [...v].length;
      if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) errs.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
      if (s.minLength !== undefined && n < s.minLength) errs.push(`${at}: shorter than ${s.minLength}`);
      if (s.maxLength !== undefined && n > s.maxLength) errs.push(`${at}: longer than ${s.maxLength}`);
      if (FORMATS[s.format] && !FORMATS[s.format].test(v)) errs.push(`${at}: ${JSON.stringify(v)} is not a ${s.format}`);
    }
    if (t === 'number') {
      if (s.minimum !== undefined && v < s.minimum) errs.push(`${at}: below ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) errs.push(`${at}: above ${s.maximum}`);
    }
    return errs.length;
  };
  return (schema, value) => {
    const errs = [];
    check(schema, value, '$', errs);
    return errs;
  };
}
