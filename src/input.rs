//! Reading text files that people send: UTF-8 with or without a BOM, or GBK/GB18030
//! as Excel on Chinese Windows saves them. Decoding happens here, once.

use std::path::Path;

use anyhow::Result;

use crate::lang::{io_text, Lang, Text};

/// The text of a file and how it was decoded.
#[derive(Debug)]
pub struct DecodedText {
    pub text: String,
    /// `Some("GB18030")` when the file was not UTF-8 and was decoded as Chinese Windows text.
    pub decoded_from: Option<&'static str>,
}

/// Decodes bytes: UTF-8 (a BOM is dropped), else GB18030 when that decodes cleanly
/// and looks like Chinese text; anything else is refused with what to do.
pub fn decode_text(bytes: &[u8], file: &str) -> Result<DecodedText, Text> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(DecodedText { text: text.to_string(), decoded_from: None });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Text::new(
            format!("{file} 是 UTF-16 文本；请另存为 \"CSV UTF-8\"（Excel：文件 → 另存为 → CSV UTF-8）后重试"),
            format!(
                "{file} is UTF-16 text; save it as \"CSV UTF-8\" (Excel: File → Save As → CSV UTF-8) and try again"
            ),
        ));
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    let looks_chinese = text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    if had_errors || !looks_chinese || text.contains('\0') {
        return Err(Text::new(
            format!(
                "{file} 不是 UTF-8 文本（也不是 GBK/GB18030 中文文本）；请另存为 \"CSV UTF-8\"（Excel：文件 → 另存为 → \
                 CSV UTF-8）或 .xlsx 后重试"
            ),
            format!(
                "{file} is not UTF-8 text (nor GBK/GB18030 Chinese text); save it as \"CSV UTF-8\" (Excel: File → \
                 Save As → CSV UTF-8) or as .xlsx, and try again"
            ),
        ));
    }
    Ok(DecodedText { text: text.into_owned(), decoded_from: Some("GB18030") })
}

/// Reads a text file, decoding GBK with a note on stderr (in `lang`).
pub fn read_text_file(path: &Path, lang: Lang) -> Result<String> {
    let shown = path.display();
    if path.is_dir() {
        return Err(
            Text::new(format!("{shown} 是目录，不是文件"), format!("{shown} is a directory, not a file")).into()
        );
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Text::new(
            format!("无法读取 {shown}：{}", io_text(&e, Lang::Zh)),
            format!("cannot read {shown}: {}", io_text(&e, Lang::En)),
        )
    })?;
    let decoded = decode_text(&bytes, &shown.to_string())?;
    if let Some(encoding) = decoded.decoded_from {
        eprintln!("{}", decoded_note(&shown.to_string(), encoding, lang));
    }
    Ok(decoded.text)
}

/// The note that a file was read as Chinese Windows text.
pub fn decoded_note(file: &str, encoding: &str, lang: Lang) -> String {
    lang.choose(
        format!("注意：{file} 不是 UTF-8 编码，已按 {encoding}（中文 Windows 文本）读取"),
        format!("note: {file} is not UTF-8; read it as {encoding} (Chinese Windows text)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode_text("\u{feff}指标".as_bytes(), "f").unwrap().text, "指标");
        let (gbk, _, _) = encoding_rs::GBK.encode("指标代码,期间,数值");
        let decoded = decode_text(&gbk, "f").unwrap();
        assert_eq!(decoded.text, "指标代码,期间,数值");
        assert_eq!(decoded.decoded_from, Some("GB18030"));
        assert!(decode_text(&[0xff, 0xfe, 0x41, 0x00], "f").unwrap_err().to_string().contains("UTF-16"));
        assert!(decode_text(&[0x80, 0x00, 0xff, 0x13], "f").unwrap_err().to_string().contains("CSV UTF-8"));
    }
}
