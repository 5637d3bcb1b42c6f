//! Printable reports: a title, headings, paragraphs, label–value facts and tables laid
//! out on A4 pages and written as PDF, in DejaVu Sans Condensed (Latvian and Cyrillic
//! letters alike), with the text a reader can search and copy.
//!
//! Glossary:
//! - **printed report**: what the UI composed ([`PrintedReport`]): the figures and
//!   names it already shows, in the user's language; this module only lays it out.
//! - **block**: one piece of the report's body ([`PrintedBlock`]), placed below the one
//!   before; a table that runs past a page's end goes on, its header repeated.
//! - **layout**: every page's drawing operations, made before any is drawn so each
//!   page's footer can say how many pages there are.

use std::path::{Path, PathBuf};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use saite_i18n::{Catalogue, FluentArgs, Locale};
use serde::Deserialize;
use ts_rs::TS;

use crate::{Cell, ExportError, Result, Table};

/// A report as the UI composed it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct PrintedReport {
    /// The first line and the file's name ("Finansētāja pārskats").
    pub title: String,
    /// What it keeps to, under the title ("01.01.2012–31.12.2014 · Kampaņa …").
    #[serde(default)]
    pub subtitle: Option<String>,
    pub blocks: Vec<PrintedBlock>,
}

/// One piece of a printed report's body.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(tag = "kind", rename_all = "camelCase")]
pub enum PrintedBlock {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// Label and value pairs, one per line ("Dalībnieki: 411").
    Facts {
        facts: Vec<(String, String)>,
    },
    Table {
        table: Table,
    },
}

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Where the body ends: the footer sits below.
const BODY_BOTTOM: f32 = PAGE_HEIGHT - MARGIN - 18.0;

const TITLE_SIZE: f32 = 17.0;
const HEADING_SIZE: f32 = 12.5;
const BODY_SIZE: f32 = 10.0;
const TABLE_SIZE: f32 = 8.5;
const FOOTER_SIZE: f32 = 7.5;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
const CELL_PAD: f32 = 3.0;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

/// A typeface: what krilla draws with and what measures its text.
struct Face {
    font: Font,
    parsed: ttf_parser::Face<'static>,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        Face {
            font: Font::new(data.into(), 0).expect("the bundled font loads"),
            parsed: ttf_parser::Face::parse(data, 0).expect("the bundled font parses"),
        }
    }

    /// The width of `text` at `size` points (advances only; DejaVu has no kerning that
    /// would move a line break).
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| self.parsed.glyph_index(c).and_then(|g| self.parsed.glyph_hor_advance(g)).map_or(0.0, f32::from))
            .sum();
        units * size / f32::from(self.parsed.units_per_em())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Weight {
    Regular,
    Bold,
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// Text with its baseline's left end at (x, y), y from the top.
    Text { x: f32, y: f32, size: f32, weight: Weight, grey: bool, text: String },
    /// A horizontal rule from x1 to x2 at y.
    Rule { x1: f32, x2: f32, y: f32, width: f32, grey: bool },
    /// A filled band behind a table's header.
    Band { y: f32, height: f32 },
}

/// Lays out blocks top to bottom, starting a new page where one runs out.
struct Layout<'a> {
    locale: Locale,
    regular: &'a Face,
    bold: &'a Face,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Layout<'a> {
    fn face(&self, weight: Weight) -> &'a Face {
        match weight {
            Weight::Regular => self.regular,
            Weight::Bold => self.bold,
        }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page is always open")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Makes room for `height` more points, on a new page if this one lacks it (unless
    /// the page is still empty: what does not fit an empty page is drawn anyway).
    fn room(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    /// `text` in lines no wider than `width` at `size`: broken at spaces, a word longer
    /// than a line broken between letters; line breaks in the text kept.
    fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let face = self.face(weight);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if face.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone: split it where it must be.
                for c in word.chars() {
                    line.push(c);
                    if face.width(&line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn text_block(&mut self, text: &str, size: f32, weight: Weight, space_before: f32, space_after: f32) {
        self.y += space_before;
        for line in self.wrap(text, size, weight, CONTENT_WIDTH) {
            self.room(size * LEADING);
            self.y += size * LEADING;
            let y = self.y - size * (LEADING - 1.0);
            self.page().push(Op::Text { x: MARGIN, y, size, weight, grey: false, text: line });
        }
        self.y += space_after;
    }

    fn facts(&mut self, facts: &[(String, String)]) {
        let label_width = facts
            .iter()
            .map(|(label, _)| self.bold.width(&format!("{label}:"), BODY_SIZE))
            .fold(0.0, f32::max)
            .min(CONTENT_WIDTH / 2.0);
        for (label, value) in facts {
            let labels = self.wrap(&format!("{label}:"), BODY_SIZE, Weight::Bold, label_width);
            let values = self.wrap(value, BODY_SIZE, Weight::Regular, CONTENT_WIDTH - label_width - 8.0);
            let lines = labels.len().max(values.len());
            let line_height = BODY_SIZE * LEADING;
            self.room(lines as f32 * line_height);
            let top = self.y;
            for (i, line) in labels.into_iter().enumerate() {
                let y = top + (i as f32 + 1.0) * line_height - BODY_SIZE * (LEADING - 1.0);
                self.page().push(Op::Text {
                    x: MARGIN,
                    y,
                    size: BODY_SIZE,
                    weight: Weight::Bold,
                    grey: false,
                    text: line,
                });
            }
            for (i, line) in values.into_iter().enumerate() {
                let y = top + (i as f32 + 1.0) * line_height - BODY_SIZE * (LEADING - 1.0);
                let x = MARGIN + label_width + 8.0;
                self.page().push(Op::Text { x, y, size: BODY_SIZE, weight: Weight::Regular, grey: false, text: line });
            }
            self.y = top + lines as f32 * line_height;
        }
        self.y += BODY_SIZE * 0.6;
    }

    /// Column widths: each column's natural width (its widest cell, within bounds),
    /// scaled down to the page where they are too wide together; text columns give way
    /// before number columns.
    fn column_widths(&self, table: &Table) -> Vec<f32> {
        let n = table.columns.len().max(1);
        let natural: Vec<f32> = (0..n)
            .map(|c| {
                let header = table.columns.get(c).map_or(0.0, |h| {
                    // A header may wrap onto two lines: its longest word is what must fit.
                    h.split(' ').map(|w| self.bold.width(w, TABLE_SIZE)).fold(0.0, f32::max)
                });
                let cells = table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| self.regular.width(&cell_text(cell, self.locale), TABLE_SIZE))
                    .fold(0.0, f32::max);
                header.max(cells).min(CONTENT_WIDTH * 0.45) + 2.0 * CELL_PAD
            })
            .collect();
        let total: f32 = natural.iter().sum();
        if total <= CONTENT_WIDTH {
            // Room to spare goes to the first column (names), so numbers sit right.
            let mut widths = natural;
            widths[0] += CONTENT_WIDTH - total;
            return widths;
        }
        let numeric = |c: usize| table.rows.iter().all(|r| matches!(r.get(c), Some(Cell::Integer(_) | Cell::Empty)));
        let fixed: f32 = (0..n).filter(|&c| numeric(c)).map(|c| natural[c]).sum();
        let flexible: f32 = total - fixed;
        let scale = if fixed < CONTENT_WIDTH && flexible > 0.0 {
            (CONTENT_WIDTH - fixed) / flexible
        } else {
            CONTENT_WIDTH / total
        };
        (0..n).map(|c| if numeric(c) && fixed < CONTENT_WIDTH { natural[c] } else { natural[c] * scale }).collect()
    }

    fn table(&mut self, table: &Table) {
        let widths = self.column_widths(table);
        let line_height = TABLE_SIZE * LEADING;
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(h, w)| self.wrap(h, TABLE_SIZE, Weight::Bold, w - 2.0 * CELL_PAD))
            .collect();
        let header_height = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height + 2.0 * CELL_PAD;
        let draw_header = |layout: &mut Layout<'_>| {
            let top = layout.y;
            layout.page().push(Op::Band { y: top, height: header_height });
            layout.row(&header, &widths, &vec![false; widths.len()], Weight::Bold);
            let y = layout.y;
            layout.page().push(Op::Rule { x1: MARGIN, x2: MARGIN + CONTENT_WIDTH, y, width: 0.8, grey: false });
        };
        self.room(header_height + line_height + 2.0 * CELL_PAD);
        draw_header(self);
        for row in &table.rows {
            let right: Vec<bool> = row.iter().map(|c| matches!(c, Cell::Integer(_))).collect();
            let lines: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    self.wrap(&cell_text(cell, self.locale), TABLE_SIZE, Weight::Regular, w - 2.0 * CELL_PAD)
                })
                .collect();
            let height = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height + 2.0 * CELL_PAD;
            if self.y + height > BODY_BOTTOM {
                self.new_page();
                draw_header(self);
            }
            self.row(&lines, &widths, &right, Weight::Regular);
            let y = self.y;
            self.page().push(Op::Rule { x1: MARGIN, x2: MARGIN + CONTENT_WIDTH, y, width: 0.3, grey: true });
        }
        self.y += BODY_SIZE;
    }

    /// One table row of wrapped cells at the current position; moves below it.
    fn row(&mut self, cells: &[Vec<String>], widths: &[f32], right: &[bool], weight: Weight) {
        let line_height = TABLE_SIZE * LEADING;
        let top = self.y + CELL_PAD;
        let mut x = MARGIN;
        let mut lines_used = 1;
        for ((lines, width), right) in cells.iter().zip(widths).zip(right) {
            for (i, line) in lines.iter().enumerate() {
                let y = top + (i as f32 + 1.0) * line_height - TABLE_SIZE * (LEADING - 1.0);
                let text_x = if *right {
                    x + width - CELL_PAD - self.face(weight).width(line, TABLE_SIZE)
                } else {
                    x + CELL_PAD
                };
                self.page().push(Op::Text { x: text_x, y, size: TABLE_SIZE, weight, grey: false, text: line.clone() });
            }
            lines_used = lines_used.max(lines.len());
            x += width;
        }
        self.y = top + lines_used as f32 * line_height + CELL_PAD;
    }
}

/// A cell as printed in `locale`: numbers grouped and dates written as that language
/// writes them.
fn cell_text(cell: &Cell, locale: Locale) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Integer(n) => locale.integer(*n),
        Cell::Date(iso) => locale.date(iso),
    }
}

/// Every page's operations for `report`, its footer aside.
fn lay_out(report: &PrintedReport, locale: Locale, regular: &Face, bold: &Face) -> Vec<Vec<Op>> {
    let mut layout = Layout { locale, regular, bold, pages: vec![Vec::new()], y: MARGIN };
    layout.text_block(&report.title, TITLE_SIZE, Weight::Bold, 0.0, 2.0);
    if let Some(subtitle) = report.subtitle.as_deref().filter(|s| !s.is_empty()) {
        layout.text_block(subtitle, BODY_SIZE, Weight::Regular, 0.0, 0.0);
    }
    layout.y += BODY_SIZE;
    for block in &report.blocks {
        match block {
            PrintedBlock::Heading { text } => {
                // A heading never ends a page: it keeps its first lines of content.
                layout.room(HEADING_SIZE * LEADING + 4.0 * BODY_SIZE * LEADING);
                layout.text_block(text, HEADING_SIZE, Weight::Bold, 4.0, 4.0);
            }
            PrintedBlock::Paragraph { text } => layout.text_block(text, BODY_SIZE, Weight::Regular, 0.0, 6.0),
            PrintedBlock::Facts { facts } => layout.facts(facts),
            PrintedBlock::Table { table } => layout.table(table),
        }
    }
    layout.pages
}

/// `report` as PDF bytes; `footer(page, pages)` gives each page's footer line.
pub fn pdf_bytes(report: &PrintedReport, locale: Locale, footer: impl Fn(usize, usize) -> String) -> Result<Vec<u8>> {
    let regular = Face::load(REGULAR);
    let bold = Face::load(BOLD);
    let pages = lay_out(report, locale, &regular, &bold);
    let count = pages.len();
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new().title(report.title.clone()).language(locale.tag().to_owned()).creator("Saite".to_owned()),
    );
    let black = rgb::Color::new(0x1a, 0x1a, 0x1a);
    let grey = rgb::Color::new(0x6b, 0x6b, 0x6b);
    let band = rgb::Color::new(0xe8, 0xef, 0xef);
    let light = rgb::Color::new(0xd4, 0xd4, 0xd4);
    for (index, ops) in pages.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4"));
        let mut surface = page.surface();
        let draw_text = |surface: &mut krilla::surface::Surface<'_>,
                         (x, y): (f32, f32),
                         size: f32,
                         face: &Face,
                         colour: rgb::Color,
                         text: &str| {
            surface.set_fill(Some(Fill { paint: colour.into(), ..Fill::default() }));
            surface.draw_text(Point::from_xy(x, y), face.font.clone(), size, text, false, TextDirection::Auto);
        };
        for op in ops {
            match op {
                Op::Text { x, y, size, weight, grey: is_grey, text } => {
                    let face = if *weight == Weight::Bold { &bold } else { &regular };
                    draw_text(&mut surface, (*x, *y), *size, face, if *is_grey { grey } else { black }, text);
                }
                Op::Rule { x1, x2, y, width, grey: is_grey } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y);
                    path.line_to(*x2, *y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: (if *is_grey { light } else { grey }).into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Band { y, height } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(MARGIN, *y, CONTENT_WIDTH, *height) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill { paint: band.into(), ..Fill::default() }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        let line = footer(index + 1, count);
        let width = regular.width(&line, FOOTER_SIZE);
        draw_text(
            &mut surface,
            (PAGE_WIDTH - MARGIN - width, PAGE_HEIGHT - MARGIN + 4.0),
            FOOTER_SIZE,
            &regular,
            grey,
            &line,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| ExportError::Pdf(format!("{e:?}")))
}

/// Writes `report` as a PDF into `dir`, named by its title and `stamp`, with each page's
/// footer in `locale` ("Saite · 07.12.2026 · 1. lapa no 3"); returns its path.
pub fn write_pdf(dir: &Path, report: &PrintedReport, locale: Locale, stamp: &str) -> Result<PathBuf> {
    let catalogue = Catalogue::embedded();
    let bytes = pdf_bytes(report, locale, |page, pages| {
        let mut args = FluentArgs::new();
        args.set("page", page);
        args.set("pages", pages);
        args.set("stamp", locale.date(stamp));
        catalogue.format(locale, "pdf-footer", Some(&args))
    })?;
    crate::write_new_file(dir, &report.title, "pdf", stamp, |partial| {
        std::fs::write(partial, bytes.as_slice())
            .map_err(|source| ExportError::Io { path: partial.to_owned(), source })?;
        Ok(1)
    })
}

/// A PDF's text as a reader extracts it (pdftotext, from poppler-utils, which `cargo
/// xtask test` installs), for the tests here and those of the real window.
#[cfg(any(test, feature = "test-support"))]
pub fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rows: usize) -> PrintedReport {
        PrintedReport {
            title: "Finansētāja pārskats".into(),
            subtitle: Some("01.01.2010–31.12.2014 · Rīga · Apmācības".into()),
            blocks: vec![
                PrintedBlock::Facts {
                    facts: vec![("Pasākumi".into(), "5".into()), ("Dalībnieki".into(), "411".into())],
                },
                PrintedBlock::Heading { text: "Semināri".into() },
                PrintedBlock::Table {
                    table: Table {
                        title: "Semināri".into(),
                        columns: vec!["Datums".into(), "Nosaukums".into(), "Pašvaldība".into(), "Dalībnieki".into()],
                        rows: (0..rows)
                            .map(|i| {
                                vec![
                                    Cell::Date("2012-11-09".into()),
                                    Cell::Text(format!(
                                        "Seminārs nr. {i}: cilvēku tirdzniecības novēršana skolās un bibliotēkās"
                                    )),
                                    Cell::Text("Daugavpils".into()),
                                    Cell::Integer(1000 + i as i64),
                                ]
                            })
                            .collect(),
                    },
                },
                PrintedBlock::Paragraph { text: "Отчёт подготовлен в Saite.".into() },
            ],
        }
    }

    #[test]
    fn long_tables_run_onto_new_pages_within_the_margins() {
        let regular = Face::load(REGULAR);
        let bold = Face::load(BOLD);
        let pages = lay_out(&sample(120), Locale::Lv, &regular, &bold);
        assert!(pages.len() >= 3, "120 two-line rows take pages: {}", pages.len());
        for ops in &pages {
            for op in ops {
                if let Op::Text { x, y, size, weight, text, .. } = op {
                    let face = if *weight == Weight::Bold { &bold } else { &regular };
                    assert!(*y <= BODY_BOTTOM + 0.01 && *y >= MARGIN, "{text:?} at y {y}");
                    assert!(
                        *x >= MARGIN - 0.01 && x + face.width(text, *size) <= MARGIN + CONTENT_WIDTH + 0.5,
                        "{text:?} at x {x}"
                    );
                }
            }
        }
        // Every page after the first repeats the table's header.
        for ops in &pages[1..] {
            assert!(ops.iter().any(|op| matches!(op, Op::Text { text, weight: Weight::Bold, .. } if text == "Datums")));
        }
        // Every row's number is there, grouped by a no-break space.
        let texts: Vec<&str> = pages
            .iter()
            .flatten()
            .filter_map(|op| if let Op::Text { text, .. } = op { Some(text.as_str()) } else { None })
            .collect();
        for i in 0..120 {
            assert!(texts.contains(&format!("1\u{a0}{:03}", i).as_str()), "row {i}");
        }
    }

    #[test]
    fn a_pdf_is_written_and_named_by_its_title() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_pdf(dir.path(), &sample(3), Locale::Lv, "2026-12-07").unwrap();
        assert_eq!(path.file_name().unwrap(), "Finansētāja pārskats 2026-12-07.pdf");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // Subset fonts: a page of text is tens of kilobytes, not the fonts' 1.3 MB.
        assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    }

    #[test]
    fn a_reader_extracts_the_text_in_latvian_and_russian_with_page_footers() {
        let dir = tempfile::tempdir().unwrap();
        for (locale, footer, date) in [
            (Locale::Lv, "07.12.2026 · 1. lapa no ", "09.11.2012"),
            (Locale::Ru, "07.12.2026 · страница 1 из ", "09.11.2012"),
            (Locale::En, "07/12/2026 · page 1 of ", "09/11/2012"),
        ] {
            let path = write_pdf(dir.path(), &sample(60), locale, "2026-12-07").unwrap();
            let text = pdf_text(&path);
            for needle in [
                "Finansētāja pārskats",
                "01.01.2010–31.12.2014 · Rīga · Apmācības",
                "Dalībnieki:",
                "411",
                "Отчёт подготовлен в Saite.",
                date,
                "Daugavpils",
                footer,
            ] {
                assert!(text.contains(needle), "{locale:?}: {needle:?} in\n{text}");
            }
            assert!(text.contains("Seminārs nr. 59:"), "the last row, on a later page");
        }
    }

    #[test]
    fn numbers_are_grouped_and_dates_dotted() {
        assert_eq!(cell_text(&Cell::Integer(1234567), Locale::Lv), "1\u{a0}234\u{a0}567");
        assert_eq!(cell_text(&Cell::Integer(-411), Locale::En), "-411");
        assert_eq!(cell_text(&Cell::Date("2012-11-09".into()), Locale::Ru), "09.11.2012");
        assert_eq!(cell_text(&Cell::Date("2012-11-09".into()), Locale::En), "09/11/2012");
        assert_eq!(cell_text(&Cell::Date("bad".into()), Locale::Lv), "bad");
    }
}
