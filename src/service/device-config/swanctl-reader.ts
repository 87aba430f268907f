// A test-only reader of swanctl.conf text, written from the rules of strongSwan 5.9's settings
// lexer and parser (see swanctl-syntax.ts): it reads what charon would read, so a test can show
// that a generated file holds exactly the sections, keys and values meant, whatever the values
// contained. Duplicate sections merge and a repeated key keeps its last value, as in strongSwan.

export interface ConfSection {
  settings: Record<string, string>;
  sections: Record<string, ConfSection>;
}

type Token = { t: 'name'; v: string } | { t: '{' } | { t: '}' } | { t: '=' } | { t: 'value'; v: string } | { t: 'nl' };

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const at = (k = 0) => text[i + k];
  while (i < text.length) {
    const ch = at();
    if (ch === '#') {
      while (i < text.length && at() !== '\n' && at() !== '\r') i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (ch === '\n') {
      out.push({ t: 'nl' });
      i++;
    } else if (ch === '{' || ch === '}') {
      out.push({ t: ch });
      i++;
    } else if (ch === '"') throw new Error(`unexpected string at ${i}`);
    else if (ch === '=') {
      out.push({ t: '=' });
      i++;
      const parts: string[] = [];
      for (;;) {
        while (at() === ' ' || at() === '\t' || at() === '\r') i++;
        if (i >= text.length || at() === '#' || at() === '}' || at() === '\n') break;
        if (at() === '"') {
          i++;
          let s = '';
          for (;;) {
            if (i >= text.length) throw new Error('unterminated string');
            const c = at();
            if (c === '"') {
              i++;
              break;
            }
            if (c === '\r') i++;
            else if (c === '\\') {
              const n = at(1);
              if (n === undefined) throw new Error('unterminated string');
              if (n === 'n') s += '\n';
              else if (n === 'r') s += '\r';
              else if (n === 't') s += '\t';
              else if (n === '\n') s += '';
              else if (n === '\r' && at(2) === '\n') i++;
              else s += n;
              i += 2;
            } else {
              s += c;
              i++;
            }
          }
          parts.push(s);
        } else {
          let s = '';
          while (i < text.length && !'#}"\r\n\t '.includes(at())) s += text[i++];
          parts.push(s);
        }
      }
      out.push({ t: 'value', v: parts.join(' ') });
    } else {
      let s = '';
      while (i < text.length && !'#{}:.,="\r\n\t '.includes(at())) s += text[i++];
      if (s === '') throw new Error(`unexpected ${JSON.stringify(ch)} at ${i}`);
      out.push({ t: 'name', v: s });
    }
  }
  return out;
}

function merge(into: ConfSection, from: ConfSection): void {
  Object.assign(into.settings, from.settings);
  for (const [name, s] of Object.entries(from.sections)) {
    if (into.sections[name]) merge(into.sections[name], s);
    else into.sections[name] = s;
  }
}

/** The settings tree charon would build from `text`; throws where charon's parser would fail. */
export function readSwanctl(text: string): ConfSection {
  const tokens = lex(text).filter((t) => t.t !== 'nl');
  let i = 0;
  const body = (top: boolean): ConfSection => {
    const here: ConfSection = { settings: {}, sections: {} };
    for (;;) {
      const tok = tokens[i];
      if (!tok) {
        if (top) return here;
        throw new Error('a section is not closed');
      }
      if (tok.t === '}') {
        if (top) throw new Error('a section is closed that was never opened');
        i++;
        return here;
      }
      if (tok.t !== 'name') throw new Error(`unexpected ${tok.t}`);
      const next = tokens[i + 1];
      if (next?.t === '{') {
        i += 2;
        const child = body(false);
        if (here.sections[tok.v]) merge(here.sections[tok.v], child);
        else here.sections[tok.v] = child;
      } else if (next?.t === '=') {
        const value = tokens[i + 2];
        here.settings[tok.v] = value?.t === 'value' ? value.v : '';
        i += value?.t === 'value' ? 3 : 2;
      } else throw new Error(`a name without = or { : ${tok.v}`);
    }
  };
  return body(true);
}
