//! `ontrack serve`: the web desk on this database (`web`). Loopback unless `--bind`
//! names another address; HTTPS with `--tls-cert`/`--tls-key`.

use anyhow::{Context as _, Result};

use super::Context;
use crate::cli::ServeArgs;
use crate::web::{self, Desk, DeskConfig, SessionTimeouts};

pub fn run(context: &Context, args: ServeArgs) -> Result<()> {
    let lang = context.lang;
    // Opened once for writing first: a missing or foreign file, or one that needs a
    // migration, is said here, before anyone connects.
    let store = context.open()?;
    let accounts = store.accounts()?;
    drop(store);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(web::tls_config(cert, key).map_err(|why| {
            anyhow::anyhow!(lang.choose(
                format!("无法读取 TLS 证书或私钥：{why}；请提供 PEM 格式的证书链和私钥"),
                format!("cannot read the TLS certificate or key: {why}; give a PEM certificate chain and key"),
            ))
        })?),
        _ => None,
    };
    let desk = Desk::new(DeskConfig {
        db: context.db.clone(),
        lang,
        fixed_now: context.now_fixed.then_some(context.now),
        busy_timeout: context.busy_timeout,
        tls: tls.is_some(),
        timeouts: SessionTimeouts::default(),
    });
    let scheme = if tls.is_some() { "https" } else { "http" };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("tokio runtime")?;
    let cannot_serve =
        || lang.choose(format!("无法在 {} 上提供服务", args.bind), format!("cannot serve on {}", args.bind));
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(cannot_serve)?;
        // The address really bound: `--bind 127.0.0.1:0` lets the system pick a port.
        let bound = listener.local_addr().with_context(cannot_serve)?;
        println!(
            "{}",
            crate::present::web::serving(&format!("{scheme}://{bound}"), &context.db.display().to_string(), lang)
        );
        if accounts.is_empty() {
            println!("{}", crate::present::web::no_accounts_yet(lang));
        }
        web::serve_on(desk, listener, tls).await.with_context(cannot_serve)
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use crate::cli::{Cli, Command};

    fn bind(args: &[&str]) -> std::net::SocketAddr {
        match Cli::try_parse_from(args).expect("parses").command {
            Command::Serve(serve) => serve.bind,
            _ => unreachable!("a serve command"),
        }
    }

    #[test]
    fn the_desk_listens_on_loopback_unless_told() {
        let default = bind(&["ontrack", "serve"]);
        assert!(default.ip().is_loopback(), "{default}");
        assert_eq!(default.port(), 8080);
        assert_eq!(bind(&["ontrack", "serve", "--bind", "0.0.0.0:9000"]).to_string(), "0.0.0.0:9000");
        assert_eq!(bind(&["ontrack", "serve", "--bind", "127.0.0.1:0"]).port(), 0, "the system picks the port");
    }
}
