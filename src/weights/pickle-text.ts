/**
 * Decoders for the two text encodings of pickle protocol 0 (STRING's Python repr and UNICODE's
 * raw-unicode-escape). torch.save never uses protocol 0, but a general reader should not choke on it.
 */

const SIMPLE_ESCAPES: Record<string, number> = {
  "\\": 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/** STRING's argument: a quoted Python bytes repr (`'abc\n'`) → its bytes (`codecs.escape_decode`). */
export function decodeEscapedString(repr: string, fail: (message: string) => never): Uint8Array {
  const quote = repr[0];
  if (repr.length < 2 || (quote !== "'" && quote !== '"') || repr[repr.length - 1] !== quote) fail("STRING argument is not a quoted string");
  const body = repr.slice(1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out.push(body.charCodeAt(i) & 0xff);
      continue;
    }
    const next = body[++i];
    if (next === undefined) fail("STRING ends with a lone backslash");
    if (next in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[next]);
    else if (next === "\n") continue;
    else if (next === "x") {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail("STRING has a bad \\x escape");
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (/[0-7]/.test(next)) {
      let octal = next;
      while (octal.length < 3 && /[0-7]/.test(body[i + 1] ?? "")) octal += body[++i];
      out.push(parseInt(octal, 8) & 0xff);
    } else {
      // Python keeps unknown escapes verbatim.
      out.push(0x5c, next.charCodeAt(0) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** UNICODE's argument: latin-1 text where only \uXXXX and \UXXXXXXXX are escapes. */
export function decodeRawUnicodeEscape(text: string, fail: (message: string) => never): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g, (_, escape: string) => {
    const code = parseInt(escape.slice(1), 16);
    if (code > 0x10ffff) fail("UNICODE has an escape beyond U+10FFFF");
    return String.fromCodePoint(code);
  });
}
