import { cloneJson, deepEqual, isRecord } from '../../util/json';

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer '${pointer}'`);
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(root: unknown, tokens: string[], pointer: string): unknown {
  let current = root;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw new Error(`path '${pointer}' does not exist`);
  }
  return current;
}

function getAt(root: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  let current = root;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[token];
    else return undefined;
  }
  return current;
}

function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length;
  if (!/^\d+$/.test(token)) throw new Error(`invalid array index in '${pointer}'`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length)) {
    throw new Error(`array index out of range in '${pointer}'`);
  }
  return index;
}

function add(root: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return cloneJson(value);
  const parent = parentOf(root, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, true, pointer), 0, cloneJson(value));
  } else if (isRecord(parent)) {
    parent[last] = cloneJson(value);
  } else {
    throw new Error(`path '${pointer}' does not exist`);
  }
  return root;
}

function remove(root: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const parent = parentOf(root, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, false, pointer), 1);
  } else if (isRecord(parent) && last in parent) {
    delete parent[last];
  } else {
    throw new Error(`path '${pointer}' does not exist`);
  }
  return root;
}

/**
 * Applies RFC 6902 operations (add, remove, replace, move, copy, test) to a
 * copy of `target`. Throws with the failing operation's path.
 */
export function applyJsonPatch<T>(target: T, operations: readonly JsonPatchOperation[]): T {
  let doc: unknown = cloneJson(target);
  for (const op of operations) {
    if (!isRecord(op) || typeof op.path !== 'string') {
      throw new Error('each JSON patch operation needs "op" and "path"');
    }
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, op.value);
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        if (getAt(doc, op.path) === undefined) {
          throw new Error(`replace operation does not apply: doc is missing key: ${op.path}`);
        }
        doc = add(remove(doc, op.path), op.path, op.value);
        break;
      case 'move': {
        const value = getAt(doc, op.from ?? '');
        if (value === undefined) throw new Error(`move: 'from' path '${op.from}' does not exist`);
        doc = add(remove(doc, op.from ?? ''), op.path, value);
        break;
      }
      case 'copy': {
        const value = getAt(doc, op.from ?? '');
        if (value === undefined) throw new Error(`copy: 'from' path '${op.from}' does not exist`);
        doc = add(doc, op.path, value);
        break;
      }
      case 'test':
        if (!deepEqual(getAt(doc, op.path), op.value)) {
          throw new Error(`test operation failed at '${op.path}'`);
        }
        break;
      default:
        throw new Error(`unsupported JSON patch operation '${String(op.op)}'`);
    }
  }
  return doc as T;
}
