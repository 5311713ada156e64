import { ExpressionIssue, FORBIDDEN_NAMES, Token, tokenize } from './tokenizer';

/** Roots an expression may read: the values being installed, the Application, the Environment. @public */
export const EXPRESSION_ROOTS = ['config', 'application', 'environment'] as const;
/** @public */
export type ExpressionRoot = (typeof EXPRESSION_ROOTS)[number];

/** @public */
export type ExpressionNode =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'path'; root: ExpressionRoot; segments: string[] }
  | { type: 'not'; operand: ExpressionNode }
  | {
      type: 'binary';
      op: '==' | '!=' | '&&' | '||';
      left: ExpressionNode;
      right: ExpressionNode;
    };

/** @public */
export type ParsedExpression = { ok: true; ast: ExpressionNode } | { ok: false; errors: ExpressionIssue[] };

const MAX_DEPTH = 32;

class ParseError {
  constructor(readonly issue: ExpressionIssue) {}
}

/**
 * Recursive descent over:
 *
 *   expr     := or
 *   or       := and ('||' and)*
 *   and      := equality ('&&' equality)*
 *   equality := unary (('==' | '!=') unary)*
 *   unary    := '!' unary | primary
 *   primary  := literal | path | '(' expr ')'
 *   path     := '.' root ('.' name)*         root ∈ config | application | environment
 *   literal  := 'string' | "string" | number | true | false | null
 */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[], private readonly path: string, private readonly columnOffset: number) {}

  parse(): ExpressionNode {
    if (this.peek().type === 'eof') this.fail(this.peek(), 'empty expression');
    const node = this.or();
    const next = this.peek();
    if (next.type !== 'eof') this.fail(next, `unexpected ${this.describe(next)}; expected an operator or the end`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private fail(token: Token, message: string, code = 'expression-syntax'): never {
    const column = this.columnOffset + token.start + 1;
    throw new ParseError({
      code,
      path: this.path,
      column,
      message: `${message} (column ${column})`,
    });
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'segment':
        return `".${t.name}"`;
      case 'name':
        return `"${t.name}"`;
      case 'string':
        return 'string';
      case 'number':
        return `number ${t.value}`;
      case 'eof':
        return 'end of expression';
      default:
        return `"${t.type}"`;
    }
  }

  private nested<T>(token: Token, f: () => T): T {
    if (++this.depth > MAX_DEPTH)
      this.fail(token, `expression nests deeper than ${MAX_DEPTH} levels`, 'expression-too-complex');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): ExpressionNode {
    let left = this.and();
    while (this.peek().type === '||') {
      this.next();
      left = { type: 'binary', op: '||', left, right: this.and() };
    }
    return left;
  }

  private and(): ExpressionNode {
    let left = this.equality();
    while (this.peek().type === '&&') {
      this.next();
      left = { type: 'binary', op: '&&', left, right: this.equality() };
    }
    return left;
  }

  private equality(): ExpressionNode {
    let left = this.unary();
    for (let t = this.peek(); t.type === '==' || t.type === '!='; t = this.peek()) {
      this.next();
      left = { type: 'binary', op: t.type, left, right: this.unary() };
    }
    return left;
  }

  private unary(): ExpressionNode {
    const t = this.peek();
    if (t.type === '!') {
      this.next();
      return this.nested(t, () => ({ type: 'not', operand: this.unary() }));
    }
    return this.primary();
  }

  private primary(): ExpressionNode {
    const t = this.next();
    switch (t.type) {
      case 'string':
      case 'number':
        return { type: 'literal', value: t.value };
      case 'name':
        if (t.name === 'true') return { type: 'literal', value: true };
        if (t.name === 'false') return { type: 'literal', value: false };
        if (t.name === 'null') return { type: 'literal', value: null };
        if (FORBIDDEN_NAMES.has(t.name)) this.fail(t, `"${t.name}" may not be used`, 'expression-forbidden');
        if (this.peek().type === '(') this.fail(this.peek(), `function calls are not supported ("${t.name}(")`);
        return this.fail(t, `unknown name "${t.name}"; paths start with a dot, e.g. .config.${t.name}`);
      case 'segment':
        return this.pathFrom(t);
      case '(':
        return this.nested(t, () => {
          const inner = this.or();
          const close = this.next();
          if (close.type !== ')') this.fail(close, `expected ")" but found ${this.describe(close)}`);
          return inner;
        });
      default:
        return this.fail(t, `unexpected ${this.describe(t)}; expected a value, a path or "("`);
    }
  }

  private pathFrom(first: Token & { type: 'segment' }): ExpressionNode {
    const names = [first];
    // Segments belong to one path only when they touch: `.config.a` is a path, `.config .a` is not.
    while (this.peek().type === 'segment' && this.peek().start === names[names.length - 1].end) {
      names.push(this.next() as Token & { type: 'segment' });
    }
    for (const s of names) {
      if (FORBIDDEN_NAMES.has(s.name)) this.fail(s, `"${s.name}" may not be used in a path`, 'expression-forbidden');
    }
    const root = first.name;
    if (!(EXPRESSION_ROOTS as readonly string[]).includes(root)) {
      this.fail(first, `unknown root ".${root}"; use .config, .application or .environment`, 'expression-unknown-root');
    }
    if (this.peek().type === '(') this.fail(this.peek(), 'function calls are not supported');
    return {
      type: 'path',
      root: root as ExpressionRoot,
      segments: names.slice(1).map(s => s.name),
    };
  }
}

/**
 * Parses one expression (the text between `{{` and `}}`). Never throws; unknown syntax is an issue
 * with a column (`expression-syntax`, `expression-forbidden`, `expression-unknown-root`,
 * `expression-too-complex`).
 *
 * @public
 */
export function parseExpression(
  source: string,
  options: { path?: string; columnOffset?: number } = {},
): ParsedExpression {
  const path = options.path ?? '';
  const offset = options.columnOffset ?? 0;
  if (typeof source !== 'string') {
    return {
      ok: false,
      errors: [
        {
          code: 'expression-syntax',
          path,
          column: 1,
          message: 'expression must be text',
        },
      ],
    };
  }
  const lexed = tokenize(source, path, offset);
  if (!lexed.ok) return lexed;
  try {
    return { ok: true, ast: new Parser(lexed.tokens, path, offset).parse() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, errors: [e.issue] };
    throw e;
  }
}
