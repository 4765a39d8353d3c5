//! Number formatting shared by tables, charts and reports, so one figure reads the
//! same everywhere.

/// Formats a figure with at most `decimals` decimals and no trailing zeros
/// (`6.5`, `92`, `-0.2`); `-0` prints as `0`.
pub fn format_decimals(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.abs() >= LARGE {
        // Beyond any figure validation accepts (an older database may hold one): a
        // short mantissa and exponent, never 309 digits.
        let text = format!("{value:.3e}");
        let (mantissa, exponent) = text.split_once('e').expect("`e` formatting has an exponent");
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" {
        text.remove(0);
    }
    text
}

/// From this size on a number is written with an exponent (`1.5e308`).
const LARGE: f64 = 1e15;

/// A plan value or an actual: up to four decimals.
pub fn format_number(value: f64) -> String {
    format_decimals(value, 4)
}

/// A gap or a margin, always signed (`+1.2`, `-0.3`, `0`).
pub fn format_signed(value: f64, decimals: usize) -> String {
    let text = format_decimals(value, decimals);
    if text.starts_with('-') || text == "0" {
        text
    } else {
        format!("+{text}")
    }
}

/// A share (1 = the whole target) as a percentage (`45 %`).
pub fn format_share(share: f64) -> String {
    format!("{} %", format_decimals(share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_trailing_zeros() {
        assert_eq!(format_number(6.5), "6.5");
        assert_eq!(format_number(92.0), "92");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_signed(1.25, 1), "+1.2");
        assert_eq!(format_signed(-0.04, 1), "0");
        assert_eq!(format_share(0.456), "45.6 %");
        assert_eq!(format_number(1e12), "1000000000000");
        assert_eq!(format_number(1.5e308), "1.5e308");
        assert_eq!(format_number(-1.7e308), "-1.7e308");
        assert_eq!(format_signed(1e20, 1), "+1e20");
    }
}
