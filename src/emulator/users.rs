//! The team's users, as both APIs list them (legacy `users/getUsers`, v1
//! `/teams/{teamId}/users`): the account user, who owns the team, and every user its machines
//! name (owners given at create, users granted access), members of the team from the first
//! machine that named them. Nothing else is stored of them.

use super::store::{ACCOUNT_USER_ID, Store};

/// The account team's name and namespace (a session's `team` has the namespace only; the name
/// is in the user's memberships: docs/v1.md, "Keys and sessions").
pub(crate) const TEAM_NAME: &str = "Emulator team";
pub(crate) const TEAM_NAMESPACE: &str = "emulator";
/// When the account, its team and its user came to be.
pub(crate) const ACCOUNT_CREATED: &str = "2024-01-01T00:00:00.000Z";

/// One user of the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    pub id: String,
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub is_owner: bool,
    /// Since when the user is in the team; `None`: since the account (`ACCOUNT_CREATED`).
    pub since_ms: Option<i64>,
}

/// The account user's email, and every user's: `<id>@users.emulator.invalid`.
pub(crate) fn email_of(user_id: &str) -> String {
    format!("{user_id}@users.emulator.invalid")
}

impl Store {
    /// The account user first, then the others in the order the machines named them.
    pub(crate) fn team_users(&self) -> Vec<User> {
        let mut users = vec![User {
            id: ACCOUNT_USER_ID.to_string(),
            first_name: Some("Emulator"),
            last_name: Some("User"),
            is_owner: true,
            since_ms: None,
        }];
        for machine in &self.machines {
            let named = std::iter::once(machine.user_id.as_str()).chain(
                machine
                    .access
                    .iter()
                    .filter(|(_, enabled)| **enabled)
                    .map(|(id, _)| id.as_str()),
            );
            for id in named {
                if !users.iter().any(|u| u.id == id) {
                    users.push(User {
                        id: id.to_string(),
                        first_name: None,
                        last_name: None,
                        is_owner: false,
                        since_ms: Some(machine.created_ms),
                    });
                }
            }
        }
        users
    }
}
