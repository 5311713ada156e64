import { isMap, isScalar, isSeq, LineCounter, Node, Pair, parseDocument } from 'yaml';

/** A stretch of text, 1-based lines and columns as Monaco counts them (end column exclusive). */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The whole first line: where a problem of the document as a whole is shown. */
function firstLine(text: string): TextRange {
  const end = text.indexOf('\n');
  return { line: 1, column: 1, endLine: 1, endColumn: (end === -1 ? text.length : end) + 1 };
}

/**
 * Splits a JSON path as catalyst-common's `jsonPath` writes it (`values.postgres["x-y"].hosts[0]`)
 * back into its segments.
 */
export function parseJsonPath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.matchAll(token)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/**
 * Where a JSON path points in a YAML text: the key and its value when the value is a scalar, the key
 * alone when it is a map or a list (so a marker does not cover a whole block). A path that goes
 * further than the text (a required setting that is missing) stops at the deepest part present; a
 * text that does not parse points at its first line.
 */
export function locateYamlPath(text: string, segments: ReadonlyArray<string | number>): TextRange {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, version: '1.2' });
  const range = (start: number, end: number): TextRange => {
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.max(end, start + 1));
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  };
  let node: unknown = doc.contents;
  let found: TextRange | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(p => String(keyOf(p)) === String(segment));
      const key = pair?.key as Node | undefined;
      if (!pair || !key?.range) break;
      const value = pair.value as Node | null;
      const end = isScalar(value) && value.range ? value.range[1] : key.range[1];
      found = range(key.range[0], end);
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) break;
      found = range(item.range[0], isScalar(item) ? item.range[1] : item.range[0] + 1);
      node = item;
    } else break;
  }
  return found ?? firstLine(text);
}

/**
 * Where a YAML parse error is, from the `at line L, column C` its message ends with (the yaml
 * package's pretty errors, which catalyst-common's safe parser keeps): one character there.
 */
export function locateYamlMessage(text: string, message: string): TextRange {
  const at = /at line (\d+), column (\d+)/.exec(message);
  if (!at) return firstLine(text);
  const line = Number(at[1]);
  const column = Number(at[2]);
  return { line, column, endLine: line, endColumn: column + 1 };
}

/** The message without the position the yaml package appends (the marker and the list show it). */
export function withoutPosition(message: string): string {
  return message.replace(/\s*\(line \d+, column \d+\)$/, '').replace(/\s*at line \d+, column \d+:?\s*$/, '');
}
