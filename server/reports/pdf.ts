// A report as PDF (pdfkit): its title and window, its chart as bars, then its table, on landscape
// A4 pages with the built-in Helvetica.
import PDFDocument from 'pdfkit';
import type { Report, ReportBar } from './report.ts';

const MARGIN = 40;
const ROW = 16;

const cellText = (cell: unknown) => (cell === null || cell === undefined ? '' : String(cell));

function drawChart(doc: PDFKit.PDFDocument, title: string, unit: string | null, bars: ReportBar[]) {
  const width = doc.page.width - 2 * MARGIN;
  const labelWidth = 150;
  const barSpace = width - labelWidth - 80;
  const top = Math.max(...bars.map((b) => b.value), 0) || 1;
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(title + (unit ? ` (${unit})` : ''), MARGIN, doc.y);
  let y = doc.y + 6;
  for (const bar of bars) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor('black')
      .text(bar.label, MARGIN, y + 2, { width: labelWidth - 6, lineBreak: false, ellipsis: true });
    const w = Math.max(1, (bar.value / top) * barSpace);
    doc.rect(MARGIN + labelWidth, y, w, ROW - 4).fill('#3b7dd8');
    doc.fillColor('black').text(String(bar.value), MARGIN + labelWidth + w + 4, y + 2, { lineBreak: false });
    y += ROW;
  }
  doc.x = MARGIN;
  doc.y = y + 12;
}

/** One line of cells, each in its column, cut with an ellipsis when too long; moves below it. */
function drawCells(doc: PDFKit.PDFDocument, cells: string[], colWidth: number, height: number) {
  const y = doc.y;
  for (const [i, cell] of cells.entries()) doc.text(cell, MARGIN + i * colWidth, y, { width: colWidth - 4, height, ellipsis: true });
  doc.y = y + height;
}

function drawTable(doc: PDFKit.PDFDocument, r: Report) {
  const width = doc.page.width - 2 * MARGIN;
  const colWidth = width / r.columns.length;
  const header = () => {
    doc.font('Helvetica-Bold').fontSize(8);
    drawCells(
      doc,
      r.columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label)),
      colWidth,
      2 * ROW,
    );
    doc
      .moveTo(MARGIN, doc.y - 4)
      .lineTo(MARGIN + width, doc.y - 4)
      .stroke();
  };
  header();
  doc.font('Helvetica').fontSize(8);
  for (const row of r.rows) {
    if (doc.y + ROW > doc.page.height - MARGIN) {
      doc.addPage();
      header();
      doc.font('Helvetica').fontSize(8);
    }
    drawCells(doc, row.map(cellText), colWidth, ROW);
  }
  if (!r.rows.length) doc.text('No data in this window.', MARGIN, doc.y);
}

/** The report as a PDF document. */
export function reportPdf(r: Report, generatedAt: Date): Promise<Buffer<ArrayBuffer>> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, info: { Title: r.title, Creator: 'Vireo' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer<ArrayBuffer>>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(`Vireo: ${r.title}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`From ${r.from.toISOString()} to ${r.to.toISOString()} (UTC); generated ${generatedAt.toISOString()}.`);
  doc.moveDown();
  if (r.chart?.bars.length) drawChart(doc, r.chart.title, r.chart.unit, r.chart.bars);
  drawTable(doc, r);
  doc.end();
  return done;
}
