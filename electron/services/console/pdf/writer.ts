// A small PDF 1.4 writer (ISO 32000-1 is a superset; PDF Reference 1.4 §3.4 file structure,
// §4 graphics, §5 text): pages of text in the standard fonts, lines and filled rectangles.
// Page content streams are Flate-compressed (§3.3.3). Coordinates in the API are points from
// the top-left corner (y grows down); they are flipped to PDF's bottom-left origin here.
import { deflateSync } from 'node:zlib';
import { encodeWinAnsi, type FontName } from './fonts';

export const A4 = { width: 595.28, height: 841.89 };

export type Rgb = readonly [number, number, number];

const FONT_KEYS: Record<FontName, string> = { Helvetica: 'F1', 'Helvetica-Bold': 'F2', Courier: 'F3' };

const num = (n: number): string => {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};
const rgb = (c: Rgb): string => c.map((v) => num(v)).join(' ');

/** A PDF string literal in WinAnsiEncoding, escaped (§3.2.3). */
function pdfString(text: string): string {
  let out = '(';
  for (const code of encodeWinAnsi(text)) {
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += `\\${String.fromCharCode(code)}`;
    else if (code < 32 || code > 126) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(code);
  }
  return `${out})`;
}

export class PdfPage {
  readonly ops: string[] = [];
  constructor(readonly width: number, readonly height: number) {}

  text(x: number, y: number, text: string, o: { font?: FontName; size?: number; color?: Rgb } = {}): void {
    const size = o.size ?? 10;
    // y is the baseline, from the top.
    this.ops.push(`BT /${FONT_KEYS[o.font ?? 'Helvetica']} ${num(size)} Tf ${rgb(o.color ?? [0, 0, 0])} rg ${num(x)} ${num(this.height - y)} Td ${pdfString(text)} Tj ET`);
  }

  rect(x: number, y: number, w: number, h: number, o: { fill?: Rgb; stroke?: Rgb; lineWidth?: number }): void {
    const parts = [`${num(x)} ${num(this.height - y - h)} ${num(w)} ${num(h)} re`];
    if (o.fill) this.ops.push(`${rgb(o.fill)} rg`);
    if (o.stroke) this.ops.push(`${rgb(o.stroke)} RG ${num(o.lineWidth ?? 0.5)} w`);
    parts.push(o.fill && o.stroke ? 'B' : o.fill ? 'f' : 'S');
    this.ops.push(parts.join(' '));
  }

  line(x1: number, y1: number, x2: number, y2: number, o: { color?: Rgb; width?: number; dash?: number[] } = {}): void {
    const dash = o.dash ? `[${o.dash.map(num).join(' ')}] 0 d ` : '';
    this.ops.push(`${dash}${rgb(o.color ?? [0, 0, 0])} RG ${num(o.width ?? 0.5)} w ${num(x1)} ${num(this.height - y1)} m ${num(x2)} ${num(this.height - y2)} l S${o.dash ? ' [] 0 d' : ''}`);
  }
}

export interface PdfInfo {
  title: string;
  subject?: string;
  creator: string;
  created: Date;
}

/** PDF date string D:YYYYMMDDHHmmSSZ (§3.8.3). */
function pdfDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

export class PdfDocument {
  readonly pages: PdfPage[] = [];

  addPage(size = A4): PdfPage {
    const page = new PdfPage(size.width, size.height);
    this.pages.push(page);
    return page;
  }

  /** The whole file: header, objects, cross-reference table, trailer. */
  toBytes(info: PdfInfo): Buffer {
    const objects: Buffer[] = []; // objects[i] is object number i + 1
    const add = (body: Buffer | string): number => {
      objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
      return objects.length;
    };
    const reserve = (): number => add('');
    const catalog = reserve();
    const pagesId = reserve();
    const fonts = (Object.keys(FONT_KEYS) as FontName[]).map((name) => ({ key: FONT_KEYS[name], id: add(`<< /Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding >>`) }));
    const fontDict = `<< ${fonts.map((f) => `/${f.key} ${f.id} 0 R`).join(' ')} >>`;
    const pageIds: number[] = [];
    for (const page of this.pages) {
      const content = deflateSync(Buffer.from(page.ops.join('\n'), 'latin1'));
      const contentId = add(Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]));
      pageIds.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources << /Font ${fontDict} >> /Contents ${contentId} 0 R >>`));
    }
    objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`, 'latin1');
    objects[pagesId - 1] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`, 'latin1');
    const infoId = add(
      `<< /Title ${pdfString(info.title)}${info.subject ? ` /Subject ${pdfString(info.subject)}` : ''} /Creator ${pdfString(info.creator)} /Producer (Custos PDF writer) /CreationDate (${pdfDate(info.created)}) >>`,
    );

    // Binary comment after the header marks the file as binary for transfer tools (§3.4.1).
    const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
      chunks.push(obj);
      offset += obj.length;
    });
    // Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF (§3.4.3).
    const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f\r\n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`)].join('');
    chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoId} 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }
}
