export type SubstituteResult = { ok: true; text: string } | { ok: false; message: string };

const NAME_RE = /^[_A-Za-z][_A-Za-z0-9]*$/;

/** Flux rejects substitute keys that are not shell variable names. */
export function validateVariableNames(vars: Record<string, string>): string | undefined {
  for (const key of Object.keys(vars)) {
    if (!NAME_RE.test(key)) {
      return `'${key}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`;
    }
  }
  return undefined;
}

/**
 * Flux post-build substitution over a manifest's text:
 * `${var}` → value, `${var:=default}` / `${var:-default}` → value or default
 * when unset or empty, `${var=default}` / `${var-default}` → default only when
 * unset, `$${var}` → the literal `${var}`. `$var` without braces is left alone.
 *
 * Like Flux's default (the StrictPostBuildSubstitutions feature gate is off),
 * an unset variable without a default becomes the empty string; `strict`
 * turns that into an error instead.
 */
export function substituteVariables(
  text: string,
  vars: Readonly<Record<string, string>>,
  options: { strict?: boolean } = {},
): SubstituteResult {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] !== '{') {
      out += ch;
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close === -1) {
      return { ok: false, message: `bad substitution: unterminated '${text.slice(i, i + 40)}'` };
    }
    const expression = text.slice(i + 2, close);
    const match = /^([_A-Za-z][_A-Za-z0-9]*)(?:(:=|:-|=|-)([\s\S]*))?$/.exec(expression);
    if (!match) {
      return {
        ok: false,
        message: `unsupported variable expression '\${${expression}}' (supported: \${var}, \${var:=default}, \${var:-default}; write $\${...} for a literal)`,
      };
    }
    const [, name, operator, fallback] = match;
    const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (operator === undefined) {
      if (value === undefined && options.strict) {
        return { ok: false, message: `variable not set (strict mode): "${name}"` };
      }
      out += value ?? '';
    } else if (operator.startsWith(':')) {
      out += value === undefined || value === '' ? fallback : value;
    } else {
      out += value === undefined ? fallback : value;
    }
    i = close + 1;
  }
  return { ok: true, text: out };
}
