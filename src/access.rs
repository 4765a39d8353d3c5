//! Who may do what at the web desk: one function, [`can`], decides every permission,
//! for the action and for the target's lead unit (docs/SECURITY.md). Handlers ask it
//! with the signed-in user the session layer has already checked; nothing else grants
//! or refuses.

use crate::accounts::{Role, User};

/// Something a signed-in person asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Change one's own password: the only thing a one-time password allows.
    ChangeOwnPassword,
    /// Read statuses, charts, a target's figures and history, reports.
    Read,
    /// Log or revise a figure of a target led by `lead_unit`.
    LogFigure { lead_unit: &'a str },
    /// Approve, return, reopen or void figures.
    Review,
    /// See the review queue and completeness per lead unit.
    SeeReviewQueue,
    /// Add, disable and reset accounts; read the audit log.
    ManageAccounts,
}

/// Whether `user` may do `action`. A disabled account may do nothing, and an account
/// signed in with a one-time password may only change it.
pub fn can(user: &User, action: Action<'_>) -> bool {
    if user.disabled {
        return false;
    }
    if user.must_change_password {
        return action == Action::ChangeOwnPassword;
    }
    match action {
        Action::ChangeOwnPassword | Action::Read => true,
        Action::LogFigure { lead_unit } => {
            user.role == Role::Filer && user.lead_unit.as_deref().is_some_and(|unit| unit == lead_unit)
        }
        Action::Review => user.role == Role::Reviewer,
        Action::SeeReviewQueue => matches!(user.role, Role::Reviewer | Role::Leader | Role::Admin),
        Action::ManageAccounts => user.role == Role::Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_against_every_action() {
        let filer = User::of_role(Role::Filer, Some("区发改委"));
        let reviewer = User::of_role(Role::Reviewer, None);
        let leader = User::of_role(Role::Leader, None);
        let admin = User::of_role(Role::Admin, None);
        let own = Action::LogFigure { lead_unit: "区发改委" };
        let other = Action::LogFigure { lead_unit: "区财政局" };
        // (action, filer, reviewer, leader, admin)
        let table = [
            (Action::ChangeOwnPassword, [true, true, true, true]),
            (Action::Read, [true, true, true, true]),
            (own, [true, false, false, false]),
            (other, [false, false, false, false]),
            (Action::Review, [false, true, false, false]),
            (Action::SeeReviewQueue, [false, true, true, true]),
            (Action::ManageAccounts, [false, false, false, true]),
        ];
        for (action, expected) in table {
            let got = [&filer, &reviewer, &leader, &admin].map(|u| can(u, action));
            assert_eq!(got, expected, "{action:?}");
        }
    }

    #[test]
    fn a_one_time_password_allows_only_its_change_and_a_disabled_account_nothing() {
        let mut fresh = User::of_role(Role::Admin, None);
        fresh.must_change_password = true;
        assert!(can(&fresh, Action::ChangeOwnPassword));
        assert!(!can(&fresh, Action::Read));
        assert!(!can(&fresh, Action::ManageAccounts));
        let mut gone = User::of_role(Role::Reviewer, None);
        gone.disabled = true;
        assert!(!can(&gone, Action::Read));
        assert!(!can(&gone, Action::ChangeOwnPassword));
    }

    #[test]
    fn a_unit_is_matched_exactly() {
        let filer = User::of_role(Role::Filer, Some("区发改委"));
        assert!(!can(&filer, Action::LogFigure { lead_unit: "区发改委 " }));
        assert!(!can(&filer, Action::LogFigure { lead_unit: "" }));
    }
}
