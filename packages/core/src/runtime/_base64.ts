// A base64 decoder that needs neither `atob` nor Node's Buffer, so the embedded
// WebAssembly loads in any JavaScript host. Decodes the ~10 KB modules in well under 1 ms.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

let table: Int16Array | undefined;

/** Decodes standard base64 (with or without `=` padding). Assumes well-formed input. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!table) {
    table = new Int16Array(128).fill(-1);
    for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  }
  const t = table;
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61 /* '=' */) len--;
  const out = new Uint8Array((len * 3) >> 2);
  let q = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    acc = (acc << 6) | t[text.charCodeAt(i) & 127]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[q++] = (acc >> bits) & 255;
    }
  }
  return out;
}
