// Checks the Kubernetes manifests of deploy/ against the Kubernetes API's own schemas, without a
// cluster: node deploy/check/validate.mjs [FILE|DIRECTORY ...]
//
// The schemas are those of the npm package kubernetes-models (pinned in package.json and
// package-lock.json; Kubernetes 1.27's OpenAPI, installed by bin/install-test-deps into
// deploy/check/node_modules). Each document is checked twice:
//   1. by the package's validate() for its kind: types, required fields, enums, formats;
//   2. for fields the schema does not have (a misspelt or misplaced key), which the OpenAPI
//      schemas allow but the API server refuses (kubectl's default --validate=strict), read from
//      the package's type declarations of the same schemas.
// Custom resources (UNCHECKED below) have no schema package: they are listed, not checked.
// Without arguments it reads every .yaml and .yml under deploy/, except monitoring/ (Prometheus's
// own files) and check/ (this). Prints one line per document; exits 1 if any document is wrong,
// each error naming the file, the document's index and kind and name, and the field.

import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const deploy = resolve(here, "..");
const nodeModules = join(here, "node_modules");
const models = join(nodeModules, "kubernetes-models");

/** Custom resources no registry package carries a schema of: listed as unchecked. */
const UNCHECKED = {
  "apps.openliberty.io/v1": ["OpenLibertyApplication"],
};

const SKIPPED_DIRECTORIES = new Set(["monitoring", "check", "node_modules"]);

function manifestFiles(paths) {
  const files = [];
  const walk = (path, top) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (!top && SKIPPED_DIRECTORIES.has(path.split("/").pop())) {
        return;
      }
      for (const name of readdirSync(path).sort()) {
        walk(join(path, name), false);
      }
    } else if (top || /\.ya?ml$/.test(path)) {
      files.push(path);
    }
  };
  for (const p of paths) {
    walk(resolve(p), true);
  }
  return files;
}

/** "/spec/template/spec/containers/0/image" as spec.template.spec.containers[0].image */
function field(pointer) {
  if (!pointer) {
    return "(the document)";
  }
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), "");
}

// ---- the known fields of each type, from the package's declarations (.d.ts)

const declarations = new Map();

/** A declaration file's interfaces (name -> body), its imports and aliases (name -> target). */
function declaration(file) {
  if (declarations.has(file)) {
    return declarations.get(file);
  }
  const text = existsSync(file) ? readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "") : "";
  const d = { file, interfaces: new Map(), imports: new Map(), aliases: new Map() };
  for (const m of text.matchAll(/import \{([^}]*)\} from "([^"]+)";/g)) {
    for (const name of m[1].split(",").map((n) => n.trim()).filter(Boolean)) {
      d.imports.set(name, m[2]);
    }
  }
  for (const m of text.matchAll(/export \{([^}]*)\};/g)) {
    for (const part of m[1].split(",")) {
      const [local, alias] = part.trim().split(/\s+as\s+/);
      if (alias) {
        d.aliases.set(alias, local);
      }
    }
  }
  for (const m of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{/g)) {
    const body = block(text, m.index + m[0].length - 1);
    if (body !== null) {
      d.interfaces.set(m[1], body);
    }
  }
  declarations.set(file, d);
  return d;
}

/** The text between the brace at {@code open} and its closing brace; null if unbalanced. */
function block(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

/** The properties of an interface or inline object body: name -> type text. */
function properties(body) {
  const props = new Map();
  let i = 0;
  while (i < body.length) {
    const m = /"([^"]+)"\??:\s*/y;
    m.lastIndex = body.indexOf('"', i);
    if (m.lastIndex < 0) break;
    const found = m.exec(body);
    if (!found) break;
    let j = m.lastIndex;
    let depth = 0;
    for (; j < body.length; j++) {
      const c = body[j];
      if (c === "{" || c === "<" || c === "(" || c === "[") depth++;
      if (c === "}" || c === ">" || c === ")" || c === "]") depth--;
      if (c === ";" && depth === 0) break;
    }
    props.set(found[1], body.slice(m.lastIndex, j).trim());
    i = j + 1;
  }
  return props;
}

/** What a type text means here: {object: props, file} or {array: type} or {map: type} or null. */
function shape(type, file) {
  type = type.trim();
  let m;
  if ((m = /^Array<([\s\S]*)>$/.exec(type))) {
    return { array: m[1], file };
  }
  if ((m = /^\{\s*\[key: string\]:\s*([\s\S]*?);?\s*\}$/.exec(type))) {
    return { map: m[1], file };
  }
  if (type.startsWith("{")) {
    return { object: properties(type.slice(1, -1)), file };
  }
  if (/^I\w+$/.test(type)) {
    return named(type, file);
  }
  return null; // a string, a number, a union of literals, an int-or-string: validate() checks it
}

function named(name, file) {
  const d = declaration(file);
  const local = d.aliases.get(name) ?? name;
  if (d.interfaces.has(local)) {
    return { object: properties(d.interfaces.get(local)), file };
  }
  const from = d.imports.get(name);
  if (!from) {
    return null;
  }
  const target = from.startsWith(".") ? join(dirname(file), from) : join(nodeModules, from);
  return named(name, `${target}.d.ts`);
}

/** Pushes an error for every field of {@code value} that its type does not have. */
function unknownFields(value, s, pointer, errors) {
  if (s === null || value === null || typeof value !== "object") {
    return;
  }
  if (s.array !== undefined) {
    if (Array.isArray(value)) {
      value.forEach((v, i) => unknownFields(v, shape(s.array, s.file), `${pointer}/${i}`, errors));
    }
  } else if (s.map !== undefined) {
    for (const [k, v] of Object.entries(value)) {
      unknownFields(v, shape(s.map, s.file), `${pointer}/${k}`, errors);
    }
  } else if (!Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!s.object.has(k)) {
        errors.push(`${field(`${pointer}/${k}`)}: no such field in this kind's schema`);
      } else {
        unknownFields(v, shape(s.object.get(k), s.file), `${pointer}/${k}`, errors);
      }
    }
  }
}

// ---- the documents

async function model(apiVersion, kind) {
  if (typeof apiVersion !== "string" || !/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(apiVersion)) {
    return null;
  }
  try {
    const module = await import(`kubernetes-models/${apiVersion}`);
    return typeof module[kind] === "function" ? module[kind] : null;
  } catch {
    return null;
  }
}

async function check(doc) {
  const errors = [];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return { errors: ["(the document): not a mapping"] };
  }
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { errors: ["(the document): needs apiVersion and kind"] };
  }
  if (typeof doc.metadata?.name !== "string" || doc.metadata.name === "") {
    errors.push("metadata.name: missing (the API server needs a name)");
  }
  if ((UNCHECKED[apiVersion] ?? []).includes(kind)) {
    return { errors, unchecked: true };
  }
  const Model = await model(apiVersion, kind);
  if (Model === null) {
    return { errors: [...errors, `kind: no kind ${kind} in ${apiVersion} (Kubernetes 1.27)`] };
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    for (const err of e.errors ?? [{ instancePath: "", message: String(e.message ?? e) }]) {
      const detail = err.params?.missingProperty
        ? `${err.params.missingProperty} is required`
        : err.params?.allowedValues
          ? `${err.message}: ${err.params.allowedValues.join(", ")}`
          : err.message;
      errors.push(`${field(err.instancePath)}: ${detail}`);
    }
  }
  const top = `${models}/${apiVersion}/${kind}.d.ts`;
  unknownFields(doc, named(`I${kind}`, top), "", errors);
  return { errors };
}

const files = manifestFiles(process.argv.length > 2 ? process.argv.slice(2) : [deploy]);
let valid = 0;
let invalid = 0;
let unchecked = 0;
for (const file of files) {
  const name = relative(process.cwd(), file) || file;
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1", uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const doc of list) {
    index++;
    if (doc.errors.length > 0) {
      invalid++;
      for (const e of doc.errors) {
        console.log(`error ${name}: document ${index}: not YAML: ${e.message.split("\n")[0]}`);
      }
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) {
      index--; // only comments
      continue;
    }
    const what = `${value?.kind ?? "?"} ${value?.metadata?.name ?? "?"}`;
    const result = await check(value);
    if (result.errors.length > 0) {
      invalid++;
      for (const e of result.errors) {
        console.log(`error ${name}: document ${index} (${what}): ${e}`);
      }
    } else if (result.unchecked) {
      unchecked++;
      console.log(`unchecked ${name}: document ${index} (${what}): a custom resource without a schema package`);
    } else {
      valid++;
      console.log(`valid ${name}: document ${index} (${what})`);
    }
  }
}
console.log(`${valid} valid, ${invalid} invalid, ${unchecked} unchecked (custom resources), in ${files.length} files`);
process.exit(invalid > 0 || valid + unchecked === 0 ? 1 : 0);
