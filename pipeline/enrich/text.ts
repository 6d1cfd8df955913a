const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Code points no honest display text holds: C0 controls except tab/newline, DEL, C1 controls, U+FFFD. */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

/**
 * Undoes one round of double encoding (UTF-8 bytes read as Latin-1, `BjÃ¶rk` for `Björk`)
 * when the repair is unambiguous: every character is a Latin-1 byte, at least one is
 * non-ASCII, those bytes are valid UTF-8, and the decoded text holds no control or
 * replacement character. Returns the repaired text, or undefined when `text` is left as
 * it is. Real Latin-1 text almost never forms valid multi-byte UTF-8 sequences ("SÃO"
 * does not: Ã followed by an ASCII letter), which is what makes the test safe.
 */
export function repairMojibake(text: string): string | undefined {
  let nonAscii = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return undefined;
    if (c >= 0x80) nonAscii = true;
  }
  if (!nonAscii) return undefined;
  let repaired: string;
  try {
    repaired = utf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return undefined;
  }
  return repaired !== text && !SUSPECT.test(repaired) ? repaired : undefined;
}

/** The `quality.normalized` code of a document whose text was repaired by repairMojibake. */
export const TEXT_MOJIBAKE_REPAIRED = 'text_mojibake_repaired';

/**
 * The fields of a processed document whose text was repaired: a document flagged
 * TEXT_MOJIBAKE_REPAIRED keeps each repaired field's value as received under `original`.
 */
export function repairedTextFields(document: unknown): string[] {
  if (!isRecord(document) || !isRecord(document.quality) || !isRecord(document.original)) return [];
  const normalized = document.quality.normalized;
  if (!Array.isArray(normalized) || !normalized.includes(TEXT_MOJIBAKE_REPAIRED)) return [];
  return Object.keys(document.original);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
