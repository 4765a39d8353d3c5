//! What can go wrong with a request, and the one place it becomes a status code and a
//! body: JSON (`{"error": {...}}`) under `/api/`, a page elsewhere. The words come
//! from the error types' own `Localize`, as on the command line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::StoreError;
use crate::lang::{Lang, Localize, Text};

/// Why a request was not done.
#[derive(Debug)]
pub enum Problem {
    /// 401: no session, or it ended (signed out, timed out, account disabled).
    NotSignedIn,
    /// 403: the role or the lead unit does not allow it.
    Forbidden,
    /// 403: a state-changing request without the session's CSRF token, or from another origin.
    BadToken,
    /// 403: signed in with a one-time password, which must be changed first.
    MustChangePassword,
    /// 404.
    NotFound,
    /// 409: a locked window, a window already taken, a review someone else made first.
    Conflict(Text),
    /// 409 with every conflicting row listed, as import lists them (entered figures
    /// for locked windows or windows taken without a reason).
    Conflicts(Vec<Listed>),
    /// 422: bad data, every problem listed (place, target, message).
    Unprocessable(Vec<Listed>),
    /// 429: too many failed sign-ins from this address or for this account.
    TooMany,
    /// 401 at sign-in: wrong name or password (never which of the two).
    BadLogin,
    /// 500: logged on the server; the client learns nothing of the inside.
    Internal,
    /// 503 or 500 from the store, said plainly (busy, damaged file).
    Store(StoreError),
}

/// One problem of a 422, as import lists them.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub place: String,
    pub target: Option<String>,
    pub message: String,
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Problem {
        match error {
            StoreError::WindowLocked(_)
            | StoreError::WindowTaken { .. }
            | StoreError::TransitionRefused(_)
            | StoreError::FigureRevised { .. }
            | StoreError::PlanArchived { .. } => {
                Problem::Conflict(Text::new(error.localize(Lang::Zh), error.localize(Lang::En)))
            }
            StoreError::UnknownFigure { .. } | StoreError::UnknownPlan { .. } | StoreError::UnknownTarget { .. } => {
                Problem::NotFound
            }
            other => Problem::Store(other),
        }
    }
}

impl Problem {
    pub fn status(&self) -> StatusCode {
        match self {
            Problem::NotSignedIn | Problem::BadLogin => StatusCode::UNAUTHORIZED,
            Problem::Forbidden | Problem::BadToken | Problem::MustChangePassword => StatusCode::FORBIDDEN,
            Problem::NotFound => StatusCode::NOT_FOUND,
            Problem::Conflict(_) | Problem::Conflicts(_) => StatusCode::CONFLICT,
            Problem::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Problem::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Problem::Store(StoreError::Busy { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            Problem::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short stable word for programs: `not_signed_in`, `forbidden` …
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotSignedIn => "not_signed_in",
            Problem::Forbidden => "forbidden",
            Problem::BadToken => "bad_csrf_token",
            Problem::MustChangePassword => "must_change_password",
            Problem::NotFound => "not_found",
            Problem::Conflict(_) | Problem::Conflicts(_) => "conflict",
            Problem::Unprocessable(_) => "unprocessable",
            Problem::TooMany => "too_many_attempts",
            Problem::BadLogin => "bad_login",
            Problem::Internal => "internal",
            Problem::Store(StoreError::Busy { .. }) => "busy",
            Problem::Store(_) => "store",
        }
    }

    /// The message for people.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::NotSignedIn => lang.pick("请先登录", "please sign in").to_string(),
            Problem::Forbidden => lang.pick("您的账户无权进行此操作", "your account may not do this").to_string(),
            Problem::BadToken => lang
                .pick(
                    "请求缺少有效的安全令牌（CSRF）或来自其他网站；请刷新页面后重试",
                    "the request lacks a valid security token (CSRF) or came from another site; reload the page and try again",
                )
                .to_string(),
            Problem::MustChangePassword => lang
                .pick("请先修改一次性密码", "change your one-time password first")
                .to_string(),
            Problem::NotFound => lang.pick("找不到该页面或记录", "no such page or record").to_string(),
            Problem::Conflict(text) => text.get(lang).to_string(),
            Problem::Conflicts(listed) => lang.choose(
                format!("有 {} 处与已有数据冲突，未保存任何数据", listed.len()),
                format!("{} conflicts with figures already stored; nothing was saved", listed.len()),
            ),
            Problem::Unprocessable(listed) => lang.choose(
                format!("有 {} 处问题，未保存任何数据", listed.len()),
                format!("{} problems; nothing was saved", listed.len()),
            ),
            Problem::TooMany => lang
                .pick(
                    "登录失败次数过多，请 15 分钟后再试，或请管理员重置密码",
                    "too many failed sign-ins; try again in 15 minutes, or ask an administrator to reset the password",
                )
                .to_string(),
            Problem::BadLogin => lang.pick("用户名或密码不正确", "wrong user name or password").to_string(),
            Problem::Internal => lang
                .pick("服务器内部错误；已记录，请联系统计局管理员", "internal error; it was logged — tell the statistics office's administrator")
                .to_string(),
            Problem::Store(error) => error.localize(lang),
        }
    }
}

/// A problem answered to a program: JSON.
pub struct ApiProblem(pub Problem, pub Lang);

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    problems: Option<&'a [Listed]>,
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let ApiProblem(problem, lang) = self;
        if matches!(problem, Problem::Internal | Problem::Store(_)) {
            eprintln!("ontrack serve: {problem:?}");
        }
        let problems = match &problem {
            Problem::Unprocessable(listed) | Problem::Conflicts(listed) => Some(listed.as_slice()),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code: problem.code(), message: problem.message(lang), problems } };
        (problem.status(), axum::Json(body)).into_response()
    }
}
