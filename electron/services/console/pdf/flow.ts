// Top-to-bottom layout on PDF pages: a cursor that starts a new page when the next block
// would not fit, with the page furniture (running header and footer) drawn on each page.
import { textWidth, wrapText, type FontName } from './fonts';
import { A4, PdfDocument, type PdfPage, type Rgb } from './writer';

export const MARGIN = { left: 50, right: 50, top: 64, bottom: 60 };
export const INK: Rgb = [0.11, 0.13, 0.15];
export const MUTED: Rgb = [0.35, 0.38, 0.42];
export const RULE: Rgb = [0.8, 0.82, 0.85];
export const OK: Rgb = [0.1, 0.5, 0.22];
export const FAIL: Rgb = [0.77, 0.13, 0.17];
export const WARN: Rgb = [0.6, 0.4, 0];

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: Rgb;
}

export class Flow {
  readonly doc = new PdfDocument();
  page!: PdfPage;
  y = 0;
  readonly width = A4.width - MARGIN.left - MARGIN.right;

  constructor(private readonly furniture: (page: PdfPage) => void) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage();
    this.furniture(this.page);
    this.y = MARGIN.top;
  }

  /** Makes room for `h` points, starting a new page if needed. */
  ensure(h: number): void {
    if (this.y + h > A4.height - MARGIN.bottom) this.newPage();
  }

  gap(h: number): void {
    this.y += h;
  }

  /** A paragraph, wrapped to `width` (default: the text column) at `x` (default: the left margin). */
  para(text: string, style: TextStyle = {}, x = MARGIN.left, width = this.width): void {
    const size = style.size ?? 9.5;
    const lead = size * 1.35;
    for (const line of wrapText(text, style.font ?? 'Helvetica', size, width)) {
      this.ensure(lead);
      this.y += lead;
      this.page.text(x, this.y - lead * 0.25, line, { font: style.font ?? 'Helvetica', size, color: style.color ?? INK });
    }
  }

  heading(text: string): void {
    this.ensure(40);
    this.y += 16;
    this.page.text(MARGIN.left, this.y + 11, text, { font: 'Helvetica-Bold', size: 12, color: INK });
    this.y += 16;
    this.page.line(MARGIN.left, this.y, MARGIN.left + this.width, this.y, { color: RULE, width: 0.6 });
    this.y += 6;
  }

  /**
   * A table: columns with widths (points) and per-cell styles; cells wrap, each row as tall as
   * its tallest cell; the header row repeats on a new page.
   */
  table(columns: { title: string; width: number }[], rows: { text: string; style?: TextStyle }[][], o: { size?: number } = {}): void {
    const size = o.size ?? 8.5;
    const lead = size * 1.3;
    const pad = 3;
    const drawHeader = () => {
      this.ensure(lead + 2 * pad + lead);
      let x = MARGIN.left;
      for (const c of columns) {
        this.page.text(x + pad, this.y + pad + size, c.title, { font: 'Helvetica-Bold', size, color: MUTED });
        x += c.width;
      }
      this.y += lead + 2 * pad;
      this.page.line(MARGIN.left, this.y, MARGIN.left + this.width, this.y, { color: RULE, width: 0.6 });
    };
    drawHeader();
    for (const row of rows) {
      const wrapped = row.map((cell, i) => wrapText(cell.text, cell.style?.font ?? 'Helvetica', cell.style?.size ?? size, columns[i]!.width - 2 * pad));
      const h = Math.max(...wrapped.map((w) => w.length)) * lead + 2 * pad;
      if (this.y + h > A4.height - MARGIN.bottom) {
        this.newPage();
        drawHeader();
      }
      let x = MARGIN.left;
      wrapped.forEach((lines, i) => {
        const st = row[i]!.style ?? {};
        lines.forEach((line, j) => this.page.text(x + pad, this.y + pad + size + j * lead, line, { font: st.font ?? 'Helvetica', size: st.size ?? size, color: st.color ?? INK }));
        x += columns[i]!.width;
      });
      this.y += h;
      this.page.line(MARGIN.left, this.y, MARGIN.left + this.width, this.y, { color: RULE, width: 0.3 });
    }
  }
}

/** `text` shortened in the middle to fit `width` (for hashes in narrow places). */
export function fitMiddle(text: string, font: FontName, size: number, width: number): string {
  if (textWidth(text, font, size) <= width) return text;
  let keep = Math.floor(text.length / 2);
  while (keep > 2 && textWidth(`${text.slice(0, keep)}…${text.slice(-keep)}`, font, size) > width) keep--;
  return `${text.slice(0, keep)}…${text.slice(-keep)}`;
}
