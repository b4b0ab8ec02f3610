// The PDF standard fonts the report uses (PDF 1.4 §5.5.1, the base-14 fonts: every reader has
// them, nothing is embedded), their glyph widths from Adobe's AFM files (units of 1/1000 em),
// and the WinAnsiEncoding the text is written in.

export type FontName = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

// Widths of codes 32..126, in order.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

// The few non-ASCII characters the report writes, as WinAnsiEncoding codes with their widths.
const EXTRA: Record<string, { code: number; helvetica: number; bold: number }> = {
  '…': { code: 0x85, helvetica: 1000, bold: 1000 },
  '•': { code: 0x95, helvetica: 350, bold: 350 },
  '–': { code: 0x96, helvetica: 556, bold: 556 },
  '—': { code: 0x97, helvetica: 1000, bold: 1000 },
  '’': { code: 0x92, helvetica: 222, bold: 278 },
  '‘': { code: 0x91, helvetica: 222, bold: 278 },
  '“': { code: 0x93, helvetica: 333, bold: 500 },
  '”': { code: 0x94, helvetica: 333, bold: 500 },
  '×': { code: 0xd7, helvetica: 584, bold: 584 },
  '·': { code: 0xb7, helvetica: 278, bold: 278 },
  '°': { code: 0xb0, helvetica: 400, bold: 400 },
  'é': { code: 0xe9, helvetica: 556, bold: 556 },
};
const REPLACE: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '✓': 'v', '✗': 'x', '\u00a0': ' ' };

/** Text as WinAnsiEncoding codes: characters outside it are spelled in ASCII or become '?'. */
export function encodeWinAnsi(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c <= 126) out.push(c);
    else if (EXTRA[ch]) out.push(EXTRA[ch].code);
    else if (REPLACE[ch]) for (const r of REPLACE[ch]) out.push(r.charCodeAt(0));
    else if (c === 9) out.push(32);
    else out.push(63);
  }
  return out;
}

const extraByCode = new Map(Object.values(EXTRA).map((e) => [e.code, e]));

/** Advance width of one code in 1/1000 em. */
function codeWidth(font: FontName, code: number): number {
  if (font === 'Courier') return 600;
  if (code >= 32 && code <= 126) return (font === 'Helvetica' ? HELVETICA : HELVETICA_BOLD)[code - 32]!;
  const e = extraByCode.get(code);
  return e ? (font === 'Helvetica' ? e.helvetica : e.bold) : 556;
}

/** Width of `text` set in `font` at `size` points. */
export function textWidth(text: string, font: FontName, size: number): number {
  let w = 0;
  for (const code of encodeWinAnsi(text)) w += codeWidth(font, code);
  return (w * size) / 1000;
}

/** Splits text into lines no wider than `width`, at spaces; words longer than a line (hashes) are cut. */
export function wrapText(text: string, font: FontName, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, font, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (textWidth(rest, font, size) > width) {
        let n = rest.length;
        while (n > 1 && textWidth(rest.slice(0, n), font, size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}
