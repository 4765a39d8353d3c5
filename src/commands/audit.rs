//! `ontrack audit`: the audit log (sign-ins, refusals, every write at the web desk and
//! every account change), oldest first.

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::cli::AuditArgs;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};
use crate::present::commands as words;

#[derive(Serialize)]
struct AuditRow {
    id: i64,
    at: String,
    actor: Option<String>,
    address: String,
    action: String,
    outcome: String,
    detail: String,
}

pub fn run(context: &Context, args: AuditArgs) -> Result<()> {
    let lang = context.lang;
    let store = context.open_read()?;
    let since = match &args.since {
        Some(text) => Some(crate::time::timestamp(since_moment(text, lang)?)),
        None => None,
    };
    let records = store.audit_log(since.as_deref(), args.last)?;
    let rows: Vec<AuditRow> = records
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: r.at,
            actor: r.actor,
            address: r.address,
            action: r.action,
            outcome: r.outcome,
            detail: r.detail,
        })
        .collect();
    let bytes = match args.format.format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table => {
            let cells = rows.iter().map(|r| {
                vec![
                    r.id.to_string(),
                    r.at.clone(),
                    r.actor.clone().unwrap_or_default(),
                    r.address.clone(),
                    r.action.clone(),
                    words::audit_outcome(&r.outcome, lang).to_string(),
                    r.detail.clone(),
                ]
            });
            format!("{}\n", table(&words::audit_headers(lang), cells)).into_bytes()
        }
    };
    write_output(&bytes, None)
}

/// `--since`: a date (its start, UTC) or an RFC 3339 moment.
fn since_moment(text: &str, lang: crate::lang::Lang) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Some(moment) = crate::time::parse_timestamp(text) {
        return Ok(moment);
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    anyhow::bail!(lang.choose(
        format!(
            "--since {:?} 不是日期或时间；请写成 2020-10-15 或 2020-10-15T09:00:00Z",
            crate::escape::terminal(text)
        ),
        format!(
            "--since {:?} is not a date or time; write 2020-10-15 or 2020-10-15T09:00:00Z",
            crate::escape::terminal(text)
        ),
    ))
}
