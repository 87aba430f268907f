// swanctl.conf as a tree that can only be written safely. The facts of strongSwan's settings
// lexer (libstrongswan/settings/settings_lexer.l, 5.9) this module relies on:
//
//   name = value      a bare value is a run of anything but # } " CR LF TAB SPACE; runs split by
//                     blanks are joined with one space; `#` starts a comment, `}` closes a section
//   name = "q"        a quoted value ends at the next unescaped "; inside it \n \r \t are LF CR
//                     TAB, \<LF> joins lines, \<any other> is that character, a raw CR is dropped
//                     and a raw LF is kept
//   # comment         runs to the next CR or LF (both end it)
//   section names     anything but # { } : . , = " CR LF TAB SPACE
//
// So a value is written bare only when it is made of a few plain characters, otherwise quoted
// with \ " CR LF TAB escaped; comments lose every control character; section names keep only
// letters, digits, - and _.

export type Entry = { blank: true } | { comment: string } | { key: string; value: string } | { section: string; entries: Entry[] };

/** Characters a bare value may hold (the tokens sitevpn computes: numbers, keywords, addresses, lists). */
const BARE = /^[A-Za-z0-9._:/@%+,-]+(?: [A-Za-z0-9._:/@%+,-]+)*$/;

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A double-quoted swanctl.conf string holding exactly `value` (NUL aside: C strings end there). */
export function quoted(value: string): string {
  const body = value.replace(/[\\"\r\n\t]/g, (ch) => ({ '\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t' })[ch]!);
  return `"${body}"`;
}

/** A value bare when it is plainly safe, else quoted: either way charon reads back `value`. */
export function confValue(value: string | number): string {
  const text = String(value);
  return BARE.test(text) ? text : quoted(text);
}

/** Comment text on one line: every control character (a line break above all) becomes a space. */
export function commentText(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** Section names may only use letters, digits, - and _ (a dot would read as a path separator). */
export function confName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Nodes; every constructor neutralises what it is given, so no caller can forget to. */
export const blank: Entry = { blank: true };
export const comment = (text: string): Entry => ({ comment: commentText(text) });
export const kv = (key: string, value: string | number): Entry => ({ key: confName(key), value: confValue(value) });
/** A key whose value is always quoted (identities, secrets), whatever it looks like. */
export const kvQuoted = (key: string, value: string): Entry => ({ key: confName(key), value: quoted(value) });
/** A key whose value is written as given: only for values this module made (hex secrets). */
export const kvRaw = (key: string, value: string): Entry => ({ key: confName(key), value });
export const section = (name: string, entries: Entry[]): Entry => ({ section: confName(name), entries });

export function writeConf(entries: Entry[], depth = 0): string {
  const pad = '  '.repeat(depth);
  return entries
    .map((e) => {
      if ('blank' in e) return '';
      if ('comment' in e) return e.comment === '' ? `${pad}#` : `${pad}# ${e.comment}`;
      if ('key' in e) return `${pad}${e.key} = ${e.value}`;
      return `${pad}${e.section} {\n${writeConf(e.entries, depth + 1)}\n${pad}}`;
    })
    .join('\n');
}

/**
 * A pre-shared key as swanctl's `secret` value. swanctl reads a value starting with 0x (hex) or
 * 0s (Base64) in any case as encoded bytes, and a C string ends at NUL; such keys are written
 * in hex so that charon holds exactly the key's UTF-8 bytes. Any other key is a quoted string.
 */
export function secretValue(psk: string): Entry {
  if (/^0[xs]/i.test(psk) || psk.includes('\0')) return kvRaw('secret', `0x${Buffer.from(psk, 'utf8').toString('hex')}`);
  return kvQuoted('secret', psk);
}
