//! The words of the Paperspace API, each spelled once: regions, machine types, billing types,
//! snapshot and restore-point frequencies, public IP types and machine states. The CLI's
//! validation, both backends and the emulator read these tables; nothing else spells them.
//!
//! One leniency rule (docs/compatibility.md, "Closed sets"): a value is matched exactly as the
//! API spells it, with two exceptions the legacy CLI's users rely on: a region may also be
//! given by its short code in any case (`NY2`), and a state to wait for in any case (`Ready`).
//! The emulator, which stands in for the server, accepts exactly what each API's document
//! lists (see `emulator/`), so a client bug cannot hide behind a lenient stand-in.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Paperspace region: the legacy API's long name and the v1 API's short code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// `East Coast (NY2)`: what the legacy API sends and accepts.
    pub name: &'static str,
    /// `ny2`: what the v1 API sends and accepts.
    pub code: &'static str,
}

pub const REGIONS: &[Region] = &[
    Region {
        name: "East Coast (NY2)",
        code: "ny2",
    },
    Region {
        name: "West Coast (CA1)",
        code: "ca1",
    },
    Region {
        name: "Europe (AMS1)",
        code: "ams1",
    },
];

impl Region {
    /// The region a user meant: its long name exactly, or its short code in any case.
    pub fn find(text: &str) -> Option<&'static Region> {
        REGIONS
            .iter()
            .find(|r| r.name == text || r.code.eq_ignore_ascii_case(text))
    }

    /// The short code of a region a user named (`ny2`), or the text as it is when it names
    /// none: v1 speaks codes.
    pub fn code_of(text: &str) -> String {
        Region::find(text).map_or(text, |r| r.code).to_string()
    }

    /// The long name of a region a code names (`East Coast (NY2)`), or the code as it is when
    /// it names none: the legacy shape speaks long names.
    pub fn name_of(code: &str) -> String {
        Region::find(code).map_or(code, |r| r.name).to_string()
    }

    /// Every accepted spelling, long names first, for error messages.
    pub fn spellings() -> Vec<&'static str> {
        REGIONS
            .iter()
            .map(|r| r.name)
            .chain(REGIONS.iter().map(|r| r.code))
            .collect()
    }
}

/// Machine types of the legacy API reference, for create and availability alike.
pub const MACHINE_TYPES: &[&str] = &[
    "Air", "Standard", "Pro", "Advanced", "GPU+", "P4000", "P5000", "P6000", "V100", "C1", "C2",
    "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10",
];

/// Machine types Paperspace has sold since the reference was written (docs/v1.md, "Requests"),
/// multi-GPU labels included.
pub const MACHINE_TYPES_SOLD_SINCE: &[&str] = &[
    "RTX4000",
    "RTX5000",
    "A4000",
    "A4000x2",
    "A4000x4",
    "A5000",
    "A6000",
    "P4000x2",
    "V100-32G",
    "V100-32Gx2",
    "V100-32Gx4",
    "A100",
    "A100-80G",
    "A100-80Gx8",
    "H100",
    "H100x8",
];

/// Every machine type we know of: what the legacy backend accepts, what completion offers and
/// what a did-you-mean hint picks from. The v1 backend sends any type (the service decides).
pub fn known_machine_types() -> impl Iterator<Item = &'static str> {
    MACHINE_TYPES
        .iter()
        .chain(MACHINE_TYPES_SOLD_SINCE)
        .copied()
}

/// The known machine type a mistyped one most likely meant: the same in another case, else
/// the closest by edit distance (at most two edits).
pub fn closest_machine_type(typed: &str) -> Option<&'static str> {
    if let Some(same) = known_machine_types().find(|known| known.eq_ignore_ascii_case(typed)) {
        return Some(same);
    }
    let lower = typed.to_ascii_lowercase();
    known_machine_types()
        .map(|known| {
            (
                strsim::levenshtein(&known.to_ascii_lowercase(), &lower),
                known,
            )
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

pub const BILLING_TYPES: &[&str] = &["hourly", "monthly"];

/// An auto-snapshot frequency in each API's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotFrequency {
    /// `hour`: the legacy API's word (`update --autoSnapshotFrequency`).
    pub legacy: &'static str,
    /// `hourly`: the v1 API's word.
    pub v1: &'static str,
}

pub const SNAPSHOT_FREQUENCIES: &[SnapshotFrequency] = &[
    SnapshotFrequency {
        legacy: "hour",
        v1: "hourly",
    },
    SnapshotFrequency {
        legacy: "day",
        v1: "daily",
    },
    SnapshotFrequency {
        legacy: "week",
        v1: "weekly",
    },
    SnapshotFrequency {
        legacy: "month",
        v1: "monthly",
    },
];

impl SnapshotFrequency {
    pub fn from_legacy(word: &str) -> Option<&'static SnapshotFrequency> {
        SNAPSHOT_FREQUENCIES.iter().find(|f| f.legacy == word)
    }

    pub fn from_v1(word: &str) -> Option<&'static SnapshotFrequency> {
        SNAPSHOT_FREQUENCIES.iter().find(|f| f.v1 == word)
    }
}

/// `update --autoSnapshotFrequency`: the legacy words, and `null` for "none" (sent as JSON null
/// to the legacy API).
pub const LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL: &[&str] = &["hour", "day", "week", "month", "null"];

/// The v1 spellings, as the v1 document's enum lists them.
pub const V1_SNAPSHOT_FREQUENCIES: &[&str] = &["hourly", "daily", "weekly", "monthly"];

/// How often a restore point is used; the same word on both APIs.
pub const RESTORE_POINT_FREQUENCIES: &[&str] = &["shutdown"];

/// v1's `publicIpType`.
pub const PUBLIC_IP_TYPES: &[&str] = &["static", "dynamic", "none"];

/// States `waitfor --state` accepts.
pub const WAIT_STATES: &[&str] = &["off", "serviceready", "ready"];

/// Machine state as reported by the API. Unknown states are kept verbatim, so a state added
/// by the service later shows up in tables and never fails a parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MachineState {
    Off,
    Starting,
    Stopping,
    Restarting,
    ServiceReady,
    Ready,
    Upgrading,
    Provisioning,
    Unknown(String),
}

impl MachineState {
    pub fn as_str(&self) -> &str {
        match self {
            MachineState::Off => "off",
            MachineState::Starting => "starting",
            MachineState::Stopping => "stopping",
            MachineState::Restarting => "restarting",
            MachineState::ServiceReady => "serviceready",
            MachineState::Ready => "ready",
            MachineState::Upgrading => "upgrading",
            MachineState::Provisioning => "provisioning",
            MachineState::Unknown(other) => other,
        }
    }

    /// The state a machine in this one comes to rest in: what "back in its state" means
    /// after a resize or a move of a machine that was on its way somewhere (`starting` →
    /// `ready`, `stopping` → `off`). Unknown states are taken as they are.
    pub fn settled(&self) -> &str {
        match self {
            MachineState::Off | MachineState::Stopping => "off",
            MachineState::Starting
            | MachineState::Restarting
            | MachineState::ServiceReady
            | MachineState::Ready
            | MachineState::Upgrading
            | MachineState::Provisioning => "ready",
            MachineState::Unknown(other) => other,
        }
    }

    /// Parse leniently: the known states in any case, anything else kept as it was sent.
    pub fn parse(text: &str) -> MachineState {
        match text.to_ascii_lowercase().as_str() {
            "off" => MachineState::Off,
            "starting" => MachineState::Starting,
            "stopping" => MachineState::Stopping,
            "restarting" => MachineState::Restarting,
            "serviceready" => MachineState::ServiceReady,
            "ready" => MachineState::Ready,
            "upgrading" => MachineState::Upgrading,
            "provisioning" => MachineState::Provisioning,
            _ => MachineState::Unknown(text.to_string()),
        }
    }
}

impl fmt::Display for MachineState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MachineState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MachineState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(MachineState::parse(&text))
    }
}

/// The state of a machine event, as the legacy API spells it (`new` while under way).
pub mod event_state {
    pub const NEW: &str = "new";
    pub const DONE: &str = "done";
    pub const ERROR: &str = "error";
    /// v1's word for an event under way (the legacy API says `new`).
    pub const V1_IN_PROGRESS: &str = "in progress";
    /// v1: the action was called off; it will not be done.
    pub const CANCELLED: &str = "cancelled";
}

/// An instant of the API (RFC 3339, `2022-03-14T15:47:53.852Z`); `None` when absent or not one.
pub fn parse_timestamp(text: Option<&str>) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text?.trim(), &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_found_by_exact_long_name_or_by_code_in_any_case() {
        assert_eq!(
            Region::find("ny2").map(|r| r.name),
            Some("East Coast (NY2)")
        );
        assert_eq!(Region::find("CA1").map(|r| r.code), Some("ca1"));
        assert_eq!(Region::find("aMs1").map(|r| r.name), Some("Europe (AMS1)"));
        assert_eq!(Region::find("Europe (AMS1)").map(|r| r.code), Some("ams1"));
        for wrong in ["east coast (ny2)", " ny2", "Mars (MRS1)", ""] {
            assert_eq!(Region::find(wrong), None, "{wrong:?}");
        }
        assert_eq!(
            Region::spellings(),
            [
                "East Coast (NY2)",
                "West Coast (CA1)",
                "Europe (AMS1)",
                "ny2",
                "ca1",
                "ams1"
            ]
        );
    }

    #[test]
    fn machine_types_are_the_reference_list_and_those_sold_since_each_once() {
        let known: Vec<&str> = known_machine_types().collect();
        let mut unique = known.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), known.len());
        for sold in ["RTX4000", "A100-80G", "A100-80Gx8", "H100", "C5", "GPU+"] {
            assert!(known.contains(&sold), "{sold}");
        }
        assert_eq!(closest_machine_type("p4000"), Some("P4000"));
        assert_eq!(closest_machine_type("a100-80gx8"), Some("A100-80Gx8"));
        assert_eq!(closest_machine_type("RTX400"), Some("RTX4000"));
        assert_eq!(closest_machine_type("Bogus"), None);
    }

    #[test]
    fn snapshot_frequencies_map_both_ways_and_agree_with_the_lists() {
        for f in SNAPSHOT_FREQUENCIES {
            assert_eq!(SnapshotFrequency::from_legacy(f.legacy), Some(f));
            assert_eq!(SnapshotFrequency::from_v1(f.v1), Some(f));
            assert!(LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL.contains(&f.legacy));
            assert!(V1_SNAPSHOT_FREQUENCIES.contains(&f.v1));
        }
        assert_eq!(SnapshotFrequency::from_legacy("hourly"), None);
    }

    #[test]
    fn unknown_states_are_kept_and_known_ones_parse_in_any_case() {
        assert_eq!(MachineState::parse("READY"), MachineState::Ready);
        assert_eq!(
            MachineState::parse("hibernating"),
            MachineState::Unknown("hibernating".into())
        );
        for state in WAIT_STATES {
            assert_eq!(MachineState::parse(state).as_str(), *state);
        }
    }

    #[test]
    fn timestamps_parse_as_rfc3339_only() {
        assert!(parse_timestamp(Some("2022-03-14T15:47:53.852Z")).is_some());
        assert!(parse_timestamp(Some(" 2022-03-14T15:47:53Z ")).is_some());
        assert!(parse_timestamp(Some("yesterday")).is_none());
        assert!(parse_timestamp(None).is_none());
    }
}
