//! How the workbooks ontrack writes print: every sheet of the template and of the
//! report workbook is A4 landscape, one page wide, its print area the used range,
//! its column headers repeated on each page and its pages numbered in the footer;
//! and, where LibreOffice is installed (always under CI=true), the PDF it prints has
//! the pages that promises.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Ontrack;

/// One part of an .xlsx archive, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("no part {name}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// The text of the first `name="value"` attribute in `xml` after `from`.
fn attribute<'x>(xml: &'x str, element: &str, name: &str) -> Option<&'x str> {
    let start = xml.find(&format!("<{element} "))?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// Checks every worksheet of a workbook for the print layout; returns how many there are.
fn assert_prints_on_a4_landscape_one_page_wide(bytes: &[u8], file: &str) -> usize {
    let workbook = part(bytes, "xl/workbook.xml");
    let sheets = workbook.matches("<sheet ").count();
    assert!(sheets > 0, "{file}: no sheet");
    for index in 0..sheets {
        let xml = part(bytes, &format!("xl/worksheets/sheet{}.xml", index + 1));
        let at = format!("{file} sheet {}", index + 1);
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{at}: {xml}");
        assert_eq!(attribute(&xml, "pageSetup", "orientation"), Some("landscape"), "{at}");
        assert_eq!(attribute(&xml, "pageSetup", "paperSize"), Some("9"), "{at}: A4");
        // One page wide (Excel's default when the attribute is left out), any number tall.
        assert!(matches!(attribute(&xml, "pageSetup", "fitToWidth"), None | Some("1")), "{at}");
        assert_eq!(attribute(&xml, "pageSetup", "fitToHeight"), Some("0"), "{at}");
        assert!(xml.contains("<oddFooter>&amp;C") && xml.contains("&amp;P") && xml.contains("&amp;N"), "{at}");
        // The print area is the used range, the first rows with the headers repeat.
        let used = attribute(&xml, "dimension", "ref").unwrap();
        let defined = |name: &str| {
            let key = format!("<definedName name=\"{name}\" localSheetId=\"{index}\">");
            let start = workbook.find(&key).unwrap_or_else(|| panic!("{at}: no {name}")) + key.len();
            workbook[start..start + workbook[start..].find('<').unwrap()].to_string()
        };
        let area = defined("_xlnm.Print_Area");
        assert_eq!(area.replace('$', "").rsplit('!').next(), Some(used), "{at}: the print area {area}");
        assert!(defined("_xlnm.Print_Titles").contains("!$"), "{at}");
    }
    sheets
}

#[test]
fn every_sheet_ontrack_writes_prints_on_a4_landscape_one_page_wide() {
    let ontrack = Ontrack::init();
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "one.xlsx"]).success();
    ontrack.run(["--lang", "en", "template", "--period", "2020Q3", "--out", "all.xlsx"]).success();
    for file in ["one.xlsx", "all.xlsx"] {
        let bytes = std::fs::read(ontrack.path(file)).unwrap();
        assert_eq!(assert_prints_on_a4_landscape_one_page_wide(&bytes, file), 1);
        let workbook = part(&bytes, "xl/workbook.xml");
        // The column headers (row 3, below the form's head) repeat on every page.
        assert!(workbook.contains("!$3:$3</definedName>"), "{workbook}");
    }
    assert!(part(&std::fs::read(ontrack.path("one.xlsx")).unwrap(), "xl/worksheets/sheet1.xml")
        .contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"));
    assert!(part(&std::fs::read(ontrack.path("all.xlsx")).unwrap(), "xl/worksheets/sheet1.xml")
        .contains("<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"));

    ontrack.run(["demo", "--dir", "demo"]).success();
    let report = std::fs::read(ontrack.path("demo/report.xlsx")).unwrap();
    assert_eq!(assert_prints_on_a4_landscape_one_page_wide(&report, "report.xlsx"), 8, "a summary and 7 sections");
}

/// LibreOffice and poppler's pdfinfo, if present (always under CI=true, where `.ci/run`
/// installs them).
fn libreoffice() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| names.iter().map(PathBuf::from).find(|p| p.exists());
    let found = find(&["/usr/bin/soffice", "/usr/bin/libreoffice"]).zip(find(&["/usr/bin/pdfinfo"]));
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no soffice or pdfinfo: .ci/run installs them"
        );
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {}: LibreOffice or pdfinfo is not installed (apt-get install libreoffice-calc-nogui \
             poppler-utils to run it; under CI=true this fails)",
            std::thread::current().name().unwrap_or("a test")
        );
    }
    found
}

/// The page count and the first page's size of a PDF, by pdfinfo.
fn pdf_pages(pdfinfo: &Path, pdf: &Path) -> (usize, String) {
    let out = Command::new(pdfinfo).arg(pdf).output().expect("run pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        info.lines().find_map(|line| line.strip_prefix(name)).map(str::trim).unwrap_or_default().to_string()
    };
    (field("Pages:").parse().unwrap_or_else(|_| panic!("{}: {info}", pdf.display())), field("Page size:"))
}

/// Opened in LibreOffice, the two-row template of one department printed on 5 pages
/// and the report's summary was cut off at its third column. Now the template is one
/// page, and the report one page per sheet (each of the demo's sheets fits one page
/// once it is one page wide: a section's 17 rows at most; the summary, with review and
/// completeness per lead unit, runs to a second page).
#[test]
fn template_and_report_print_one_page_wide_in_libreoffice() {
    let Some((soffice, pdfinfo)) = libreoffice() else { return };
    let ontrack = Ontrack::init();
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "template.xlsx"]).success();
    ontrack.run(["demo", "--dir", "demo"]).success();
    std::fs::copy(ontrack.path("demo/report.xlsx"), ontrack.path("report.xlsx")).unwrap();
    let profile = ontrack.path("lo-profile");
    // One LibreOffice run converts both files (its start is the slow part).
    let out = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(ontrack.path("pdf"))
        .arg(ontrack.path("template.xlsx"))
        .arg(ontrack.path("report.xlsx"))
        .output()
        .expect("run soffice");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let (pages, size) = pdf_pages(&pdfinfo, &ontrack.path("pdf/template.pdf"));
    assert_eq!(pages, 1, "the template of one department is one page");
    assert!(size.starts_with("841.89 x 595.") && size.contains("A4"), "A4 landscape: {size}");
    let (pages, size) = pdf_pages(&pdfinfo, &ontrack.path("pdf/report.pdf"));
    // The summary is two pages tall (one wide): its per-unit review and completeness
    // tables follow the 50 rows of counts and lists.
    assert_eq!(pages, 9, "the summary on two pages and 7 sections, one page each");
    assert!(size.starts_with("841.89 x 595."), "A4 landscape: {size}");
}
