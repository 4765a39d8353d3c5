//! A page body shared by many readers, compressed once (the dashboard of a city's plan
//! is some 600 KiB of HTML and SVG, and fifty readers reloading it sent a gigabyte a
//! second). Each answer is one gzip stream: the reader's own frame (name, menu, the
//! session's CSRF token) as stored deflate blocks, uncompressed, then the body's blocks
//! compressed when the view was made, then the frame's end. So an answer costs a copy
//! of the compressed body and no compression, and the token is never compressed beside
//! other text: no length of a compressed answer tells anything of it (BREACH).
//!
//! Pieces of raw deflate join when each but the last ends on a byte boundary without
//! the final-block bit: a sync flush ends the body so, and stored blocks start and end
//! on one. The gzip trailer's CRC-32 is combined from the pieces' (RFC 1951, 1952).

use axum::http::header::{HeaderMap, ACCEPT_ENCODING};
use flate2::{Compress, Compression, Crc, FlushCompress};

/// A body's HTML and its deflate blocks.
pub struct SharedBody {
    html: String,
    /// Raw deflate of `html`, sync-flushed: no final block, ends on a byte boundary.
    deflated: Vec<u8>,
    crc: Crc,
}

/// gzip's header: deflate, no name or time (the same bytes for the same page), OS unknown.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// A stored block holds at most this many bytes (its length is 16 bits).
const STORED_MAX: usize = 0xffff;

impl SharedBody {
    pub fn new(html: String) -> SharedBody {
        let deflated = deflate_sync_flushed(html.as_bytes());
        let mut crc = Crc::new();
        crc.update(html.as_bytes());
        SharedBody { html, deflated, crc }
    }

    pub fn html(&self) -> &str {
        &self.html
    }

    /// The gzip stream of `before`, this body and `after`; `before` and `after` are
    /// stored as they are.
    pub fn gzip_between(&self, before: &str, after: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(GZIP_HEADER.len() + before.len() + self.deflated.len() + after.len() + 32);
        out.extend_from_slice(&GZIP_HEADER);
        push_stored(&mut out, before.as_bytes(), false);
        out.extend_from_slice(&self.deflated);
        push_stored(&mut out, after.as_bytes(), true);
        let mut crc = Crc::new();
        crc.update(before.as_bytes());
        crc.combine(&self.crc);
        let mut end = Crc::new();
        end.update(after.as_bytes());
        crc.combine(&end);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        // ISIZE is the length modulo 2^32 (RFC 1952).
        out.extend_from_slice(&crc.amount().to_le_bytes());
        out
    }
}

/// Raw deflate of `bytes` at zlib's default level, ended by a sync flush.
fn deflate_sync_flushed(bytes: &[u8]) -> Vec<u8> {
    let mut compress = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    loop {
        let read = usize::try_from(compress.total_in()).unwrap_or(usize::MAX).min(bytes.len());
        // Only a misuse of the stream fails (a flush mode it cannot take); none here.
        if compress.compress_vec(&bytes[read..], &mut out, FlushCompress::Sync).is_err() {
            unreachable!("a sync flush of a raw deflate stream is always allowed");
        }
        // Done when every byte is in and the flush did not fill the buffer (zlib's rule).
        if compress.total_in() as usize == bytes.len() && out.len() < out.capacity() {
            return out;
        }
        out.reserve(out.capacity().max(4096));
    }
}

/// `bytes` as stored deflate blocks at a byte boundary; `last` marks the final block
/// (an empty one if there are no bytes).
fn push_stored(out: &mut Vec<u8>, bytes: &[u8], last: bool) {
    let mut chunks = bytes.chunks(STORED_MAX).peekable();
    if chunks.peek().is_none() {
        if last {
            out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        }
        return;
    }
    while let Some(chunk) = chunks.next() {
        let final_bit = u8::from(last && chunks.peek().is_none());
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.push(final_bit);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// Whether the request's `Accept-Encoding` takes gzip (a q of 0 refuses it, RFC 9110
/// 12.5.3; `*` stands for any coding not named).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut star = false;
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|param| {
                let param = param.trim();
                param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                return !refused;
            }
            if coding == "*" {
                star = !refused;
            }
        }
    }
    star
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("a whole gzip stream");
        text
    }

    #[test]
    fn the_stream_unzips_to_the_frame_around_the_body() {
        let chart = "<svg><text>指标 12.5%</text></svg>".repeat(5_000);
        let body = SharedBody::new(chart.clone());
        let before = "<html><body><header>张三 · csrf=Zm9vYmFy</header><main>";
        for after in ["</main></body></html>", ""] {
            let gzip = body.gzip_between(before, after);
            assert_eq!(gunzip(&gzip), format!("{before}{chart}{after}"));
            assert!(gzip.len() < chart.len() / 10, "the body is compressed: {} bytes", gzip.len());
        }
        assert_eq!(body.gzip_between(before, "x"), body.gzip_between(before, "x"), "same page, same bytes");
        assert_eq!(gunzip(&SharedBody::new(String::new()).gzip_between("", "")), "");
    }

    #[test]
    fn the_frame_is_sent_uncompressed_even_when_longer_than_a_stored_block() {
        let token = "TOKEN-7f3a9c";
        let before = format!("{}{token}{}", "头".repeat(30_000), "a".repeat(70_000));
        let gzip = SharedBody::new("<p>body</p>".into()).gzip_between(&before, "</main>");
        assert_eq!(gunzip(&gzip), format!("{before}<p>body</p></main>"));
        let raw = String::from_utf8_lossy(&gzip);
        assert!(raw.contains(token), "the token is stored as it is, never compressed");
    }

    #[test]
    fn gzip_is_taken_unless_refused_or_not_named() {
        let check = |value: Option<&str>, expected: bool| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(ACCEPT_ENCODING, value.parse().unwrap());
            }
            assert_eq!(accepts_gzip(&headers), expected, "{value:?}");
        };
        check(Some("gzip, deflate, br, zstd"), true);
        check(Some("GZIP"), true);
        check(Some("br;q=1.0, gzip;q=0.8"), true);
        check(Some("gzip;q=0"), false);
        check(Some("gzip; q=0.000, *"), false);
        check(Some("*"), true);
        check(Some("*;q=0"), false);
        check(Some("br, deflate"), false);
        check(Some("identity"), false);
        check(None, false);
    }
}
