//! The emulator's stored machine: one row of the state file, in the emulator's own typed terms
//! (not either API's wire shape). The views in `legacy::views` and `v1::views` render it; the
//! one update path (`changes`) edits it.
//!
//! Vocabulary values are kept as references into `crate::vocab` and the catalog and written
//! as their words (a region as its code, a machine type as its name, a snapshot frequency as
//! its v1 word), so a state file naming something the emulator does not know fails to load
//! instead of rendering a half-machine.

use super::catalog::{self, TypeSpec};
use super::lifecycle::{self, Action};
use super::templates;
use crate::vocab::{MachineState, PUBLIC_IP_TYPES, REGIONS, Region, SnapshotFrequency};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One machine: what it was created as, its settings, and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MachineRecord {
    pub id: String,
    pub name: String,
    #[serde(with = "word")]
    pub region: &'static Region,
    #[serde(with = "word")]
    pub machine_type: &'static TypeSpec,
    /// `hourly` or `monthly` (`vocab::BILLING_TYPES`), as given at create.
    pub billing_type: String,
    pub size_gb: u64,
    pub template_id: String,
    /// The catalogue's OS template the machine runs (`templates`): its template's own id, or
    /// the one behind a custom template; absent from a state file that predates it (then
    /// `template_id` stands for it, see `base`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_template: Option<String>,
    pub network_id: String,
    pub private_ip: String,
    pub public_ip: PublicIp,
    pub user_id: String,
    pub team_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_id: Option<String>,
    pub auto_shutdown: AutoShutdown,
    pub auto_snapshot: AutoSnapshot,
    pub restore_point: RestorePoint,
    pub created_ms: i64,
    /// Last change of the machine's settings (update, access), for v1's `dtModified`; actions
    /// count as changes too (see `modified_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ms: Option<i64>,
    /// Oldest first.
    pub actions: Vec<Action>,
    /// Access grants (`setMachineAccess`, v1 accessors): user id → enabled.
    #[serde(default)]
    pub access: BTreeMap<String, bool>,
    /// Create parameters with no field in the machine (notificationEmail, ...), kept so the
    /// state dump shows what was asked for.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub create_extras: Map<String, Value>,
}

/// The machine's public IP: none, a static address (one of the account's, `ips`), or a dynamic
/// one that exists only while the machine runs (derived from the id on read, see
/// [`MachineRecord::public_address`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub(crate) enum PublicIp {
    None,
    Static { address: String },
    Dynamic,
}

/// The kind of a public IP, without its address; numbered as `vocab::PUBLIC_IP_TYPES` lists
/// their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpKind {
    Static = 0,
    Dynamic = 1,
    None = 2,
}

impl IpKind {
    const ALL: [IpKind; 3] = [IpKind::Static, IpKind::Dynamic, IpKind::None];

    /// v1's `publicIpType` word.
    pub(crate) fn word(self) -> &'static str {
        PUBLIC_IP_TYPES[self as usize]
    }

    pub(crate) fn from_word(word: &str) -> Option<IpKind> {
        let index = PUBLIC_IP_TYPES.iter().position(|w| *w == word)?;
        Self::ALL.get(index).copied()
    }
}

impl PublicIp {
    pub(crate) fn kind(&self) -> IpKind {
        match self {
            PublicIp::None => IpKind::None,
            PublicIp::Static { .. } => IpKind::Static,
            PublicIp::Dynamic => IpKind::Dynamic,
        }
    }
}

/// Auto-shutdown: after `hours` idle hours (`None`: never), forcing the shutdown if `force`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AutoShutdown {
    pub hours: Option<u64>,
    pub force: bool,
}

/// How long a machine made without a timeout waits before it shuts itself down.
pub(crate) const DEFAULT_SHUTDOWN_HOURS: u64 = 168;

impl Default for AutoShutdown {
    fn default() -> AutoShutdown {
        AutoShutdown {
            hours: Some(DEFAULT_SHUTDOWN_HOURS),
            force: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AutoSnapshot {
    pub enabled: bool,
    #[serde(with = "optional_word")]
    pub frequency: Option<&'static SnapshotFrequency>,
    pub save_count: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RestorePoint {
    /// A word of `vocab::RESTORE_POINT_FREQUENCIES`; `None`: no restore point.
    pub frequency: Option<String>,
    pub snapshot_id: Option<String>,
}

impl MachineRecord {
    /// When the machine last changed: the latest of creation, settings changes and actions.
    pub(crate) fn modified_at(&self) -> i64 {
        let last_action = self.actions.iter().map(|a| a.started_ms).max();
        [Some(self.created_ms), self.modified_ms, last_action]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.created_ms)
    }

    pub(crate) fn state_at(&self, now: i64) -> MachineState {
        lifecycle::state_at(&self.actions, now)
    }

    /// The template whose operating system the machine runs: the catalogue's OS template
    /// behind its template. It may be an id the catalogue does not know only in a state file
    /// written before the emulator refused unknown templates (or by hand); such a machine
    /// keeps loading and gets the fallbacks below.
    pub(crate) fn base(&self) -> &str {
        self.base_template.as_deref().unwrap_or(&self.template_id)
    }

    /// Of an unknown template (see `base`), Windows templates' ids begin with `tw` (in any
    /// case).
    fn windows(&self) -> bool {
        self.base()
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("tw"))
    }

    /// The catalogue's template the machine runs: its own, or for a template the catalogue
    /// does not know, the nearest one of its kind (`templates::fallback`).
    fn os_template(&self) -> &'static templates::OsTemplate {
        templates::os_template(self.base()).unwrap_or_else(|| {
            templates::fallback(self.windows(), self.machine_type.dedicated_gpu())
        })
    }

    /// The operating system of the machine's template.
    pub(crate) fn os(&self) -> &'static str {
        self.os_template().os
    }

    /// The agent the machine runs: its template's.
    pub(crate) fn agent_type(&self) -> &'static str {
        self.os_template().agent_type
    }

    /// The public address when the machine is in `state`. A dynamic public IP exists only
    /// while the machine runs; it is derived from the id so it is stable across reads
    /// without being stored.
    pub(crate) fn public_address(&self, state: &MachineState) -> Option<String> {
        match &self.public_ip {
            PublicIp::Static { address } => Some(address.clone()),
            PublicIp::Dynamic if lifecycle::is_running(state) => {
                let hash = self
                    .id
                    .bytes()
                    .fold(17u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                Some(format!(
                    "184.105.{}.{}",
                    (hash >> 8) % 253 + 1,
                    hash % 253 + 1
                ))
            }
            PublicIp::Dynamic | PublicIp::None => None,
        }
    }

    /// The static address the machine holds, if it holds one.
    pub(crate) fn static_address(&self) -> Option<&str> {
        match &self.public_ip {
            PublicIp::Static { address } => Some(address),
            PublicIp::Dynamic | PublicIp::None => None,
        }
    }

    /// What the machine costs per hour, as the legacy `usageRate` words it (`C4 hourly`).
    pub(crate) fn usage_rate(&self) -> String {
        format!("{} {}", self.machine_type.name, self.billing_type)
    }
}

/// A vocabulary value as the state file keeps it: its word.
pub(crate) trait Word: Sized + 'static {
    const WHAT: &'static str;
    fn word(&self) -> &'static str;
    fn find(word: &str) -> Option<Self>;
}

impl Word for &'static Region {
    const WHAT: &'static str = "region";
    fn word(&self) -> &'static str {
        self.code
    }
    fn find(word: &str) -> Option<Self> {
        REGIONS.iter().find(|r| r.code == word)
    }
}

impl Word for &'static TypeSpec {
    const WHAT: &'static str = "machine type";
    fn word(&self) -> &'static str {
        self.name
    }
    fn find(word: &str) -> Option<Self> {
        catalog::spec(word)
    }
}

impl Word for &'static SnapshotFrequency {
    const WHAT: &'static str = "snapshot frequency";
    fn word(&self) -> &'static str {
        self.v1
    }
    fn find(word: &str) -> Option<Self> {
        SnapshotFrequency::from_v1(word)
    }
}

fn read_word<'de, D: Deserializer<'de>, W: Word>(text: &str) -> Result<W, D::Error> {
    W::find(text).ok_or_else(|| D::Error::custom(format!("unknown {} '{text}'", W::WHAT)))
}

/// `#[serde(with)]` of a vocabulary value.
pub(crate) mod word {
    use super::*;

    pub(crate) fn serialize<S: Serializer, W: Word>(value: &W, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.word())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, W: Word>(d: D) -> Result<W, D::Error> {
        read_word::<D, W>(&String::deserialize(d)?)
    }
}

/// `#[serde(with)]` of an optional vocabulary value (`null` when absent).
mod optional_word {
    use super::*;

    pub(super) fn serialize<S: Serializer, W: Word>(
        value: &Option<W>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_ref().map(Word::word).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, W: Word>(
        d: D,
    ) -> Result<Option<W>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| read_word::<D, W>(&text))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_kinds_have_the_vocabulary_words() {
        assert_eq!(IpKind::Static.word(), "static");
        assert_eq!(IpKind::Dynamic.word(), "dynamic");
        assert_eq!(IpKind::None.word(), "none");
        for word in PUBLIC_IP_TYPES {
            assert_eq!(IpKind::from_word(word).map(IpKind::word), Some(*word));
        }
        assert_eq!(IpKind::from_word("elastic"), None);
    }
}
