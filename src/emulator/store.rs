//! The emulator's data (what the state file holds) and the operations both APIs perform on
//! it. Everything here is synchronous and clock-explicit (`now` is passed in), so the HTTP
//! layer decides locking and persistence and the rules stay easy to test. The answers are
//! rendered by each API's views; nothing here knows a wire shape.

use super::catalog::TypeSpec;
use super::changes::Changes;
use super::drives::DriveRecord;
use super::http::ApiError;
use super::ips::PublicIpRecord;
use super::lifecycle::{Action, ActionKind};
use super::networks::{NetworkRecord, default_network};
use super::record::{AutoShutdown, MachineRecord, PublicIp};
use super::scripts::ScriptRecord;
use super::snapshots::SnapshotRecord;
use super::templates::{TemplateRecord, check_machine_type, runs_on};
use crate::vocab::MachineState;
use crate::vocab::Region;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Owner of machines created without `userId` (the account behind every API key).
pub(crate) const ACCOUNT_USER_ID: &str = "uemul8r0";
/// Team of machines created without `teamId`: the team of every API key.
pub(crate) const ACCOUNT_TEAM_ID: &str = "temul8r0";

/// Everything that survives a restart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Store {
    /// In creation order, which is the order the lists show them in.
    #[serde(default)]
    pub machines: Vec<MachineRecord>,
    /// API keys issued by `/apiTokens/createPublic`; valid in addition to `--api-key`.
    #[serde(default)]
    pub api_keys: Vec<IssuedKey>,
    /// Access tokens issued by `/users/login`.
    #[serde(default)]
    pub access_tokens: Vec<String>,
    /// Availability overrides, keyed as [`availability_key`] has it.
    #[serde(default)]
    pub availability: BTreeMap<String, bool>,
    /// The account's static public IPs, in claim order (see `ips`).
    #[serde(default)]
    pub public_ips: Vec<PublicIpRecord>,
    /// The account's custom templates, in creation order (see `templates`).
    #[serde(default)]
    pub templates: Vec<TemplateRecord>,
    /// The account's startup scripts, in creation order (see `scripts`).
    #[serde(default)]
    pub scripts: Vec<ScriptRecord>,
    /// The account's private networks, in creation order (see `networks`).
    #[serde(default)]
    pub private_networks: Vec<NetworkRecord>,
    /// The machines' snapshots, in creation order (see `snapshots`).
    #[serde(default)]
    pub snapshots: Vec<SnapshotRecord>,
    /// The account's shared drives, in creation order (see `drives`).
    #[serde(default)]
    pub drives: Vec<DriveRecord>,
    /// The `deactivate` events of deleted machines, oldest first: what is left of them.
    #[serde(default)]
    pub deactivations: Vec<Deactivation>,
}

/// A machine's deletion, as its `deactivate` event: done at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Deactivation {
    pub handle: String,
    pub machine_id: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IssuedKey {
    pub key: String,
    pub name: String,
    pub dt_created: String,
}

/// A machine to create: what it is. Its settings come as [`Changes`], the same as an update's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewMachine {
    pub region: &'static Region,
    pub machine_type: &'static TypeSpec,
    pub size_gb: u64,
    /// A word of `vocab::BILLING_TYPES`.
    pub billing_type: &'static str,
    pub name: String,
    pub template_id: String,
    pub team_id: Option<String>,
    pub user_id: Option<String>,
    pub network_id: Option<String>,
    pub script_id: Option<String>,
    /// What the API calls `script_id` (legacy `scriptId`, v1 `startupScriptId`), to name it
    /// when it is refused.
    pub script_field: &'static str,
    pub start_on_create: bool,
    /// Users granted access from the start.
    pub accessor_ids: Vec<String>,
    pub extras: Map<String, Value>,
}

impl NewMachine {
    /// A machine of the account's own team and network, no script, started on create.
    pub(crate) fn new(
        region: &'static Region,
        machine_type: &'static TypeSpec,
        size_gb: u64,
        billing_type: &'static str,
        name: String,
        template_id: String,
    ) -> NewMachine {
        NewMachine {
            region,
            machine_type,
            size_gb,
            billing_type,
            name,
            template_id,
            team_id: None,
            user_id: None,
            network_id: None,
            script_id: None,
            script_field: "scriptId",
            start_on_create: true,
            accessor_ids: Vec::new(),
            extras: Map::new(),
        }
    }
}

/// What an operation needs besides the store: the clock, the step length and randomness.
pub(crate) struct Ctx<'a> {
    pub now: i64,
    pub step_ms: i64,
    pub rng: &'a mut fastrand::Rng,
}

const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

fn random_text(rng: &mut fastrand::Rng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(alphabet[rng.usize(..alphabet.len())]))
        .collect()
}

/// A uuid-shaped random handle, as the API's event handles look.
pub(crate) fn new_handle(rng: &mut fastrand::Rng) -> String {
    [8, 4, 4, 4, 12]
        .iter()
        .map(|&len| random_text(rng, HEX, len))
        .collect::<Vec<_>>()
        .join("-")
}

/// A fresh random secret (API keys, access tokens): 32 hex characters.
pub(crate) fn new_secret(rng: &mut fastrand::Rng) -> String {
    random_text(rng, HEX, 32)
}

/// The key of an availability override: `"<region long name>|<machine type>"`.
pub(crate) fn availability_key(region: &Region, machine_type: &TypeSpec) -> String {
    format!("{}|{}", region.name, machine_type.name)
}

pub(crate) fn push_action(
    record: &mut MachineRecord,
    kind: ActionKind,
    ctx: &mut Ctx,
    error: Option<String>,
) {
    record.actions.push(Action {
        kind,
        handle: new_handle(ctx.rng),
        started_ms: ctx.now,
        step_ms: ctx.step_ms,
        error,
    });
}

/// A 404 for a machine named by a `machineId` field (of a body or query), saying so.
pub(crate) fn machine_not_found() -> ApiError {
    ApiError::not_found().with_detail("machineId", "Machine not found")
}

impl Store {
    pub(crate) fn find(&self, id: &str) -> Option<&MachineRecord> {
        self.machines.iter().find(|m| m.id == id)
    }

    pub(crate) fn find_mut(&mut self, id: &str) -> Result<&mut MachineRecord, ApiError> {
        self.machines
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(ApiError::not_found)
    }

    /// Whether anything of the account already has id `id`.
    fn id_taken(&self, id: &str) -> bool {
        self.find(id).is_some()
            || self.templates.iter().any(|t| t.id == id)
            || super::templates::os_template(id).is_some()
            || self.scripts.iter().any(|s| s.id == id)
            || self.private_networks.iter().any(|n| n.id == id)
            || self.snapshots.iter().any(|s| s.id == id)
            || self.drives.iter().any(|d| d.id == id)
    }

    /// A fresh id: `prefix` and seven random letters or digits.
    pub(crate) fn new_id(&self, prefix: &str, rng: &mut fastrand::Rng) -> String {
        loop {
            let id = format!("{prefix}{}", random_text(rng, ID_ALPHABET, 7));
            if !self.id_taken(&id) {
                return id;
            }
        }
    }

    /// Create a machine with `settings` applied; it is `provisioning` for one step, then
    /// `ready` (or `off`).
    pub(crate) fn create(
        &mut self,
        new: NewMachine,
        settings: Changes,
        ctx: &mut Ctx,
    ) -> Result<&MachineRecord, ApiError> {
        let template =
            self.resolve_template(&new.template_id, new.machine_type, new.region, new.size_gb)?;
        let network = match &new.network_id {
            Some(id) => self.network_for("networkId", id, new.region)?,
            None => default_network(new.region),
        };
        if let Some(script) = new.script_id.as_deref()
            && self.script(script).is_none()
        {
            return Err(ApiError::invalid(
                new.script_field,
                "Startup script not found",
                "Startup script not found",
            ));
        }
        let id = self.new_id("ps", ctx.rng);
        let private_ip = self.private_ip_in(&network, ctx.rng);
        let kind = if new.start_on_create {
            ActionKind::Create
        } else {
            ActionKind::CreateStopped
        };
        let mut record = MachineRecord {
            id,
            name: new.name,
            region: new.region,
            machine_type: new.machine_type,
            billing_type: new.billing_type.to_string(),
            size_gb: new.size_gb,
            template_id: new.template_id,
            base_template: Some(template.base),
            network_id: network.id,
            private_ip,
            public_ip: PublicIp::None,
            user_id: new.user_id.unwrap_or_else(|| ACCOUNT_USER_ID.to_string()),
            team_id: new.team_id.unwrap_or_else(|| ACCOUNT_TEAM_ID.to_string()),
            script_id: new.script_id,
            auto_shutdown: AutoShutdown::default(),
            auto_snapshot: Default::default(),
            restore_point: Default::default(),
            created_ms: ctx.now,
            modified_ms: None,
            actions: Vec::new(),
            access: new.accessor_ids.into_iter().map(|u| (u, true)).collect(),
            create_extras: new.extras,
        };
        push_action(&mut record, kind, ctx, None);
        let mut settings = settings;
        let ip = settings.public_ip.take();
        let address = self.address_for(&record, ip, ctx)?;
        settings.apply(&mut record, ctx)?;
        Store::give_ip(&mut self.public_ips, &mut record, ip, address, ctx.now);
        if record.create_extras.get("takeInitialSnapshot") == Some(&Value::Bool(true)) {
            self.initial_snapshot(&mut record, ctx);
        }
        self.machines.push(record);
        Ok(&self.machines[self.machines.len() - 1])
    }

    /// Change a machine's settings. A new machine type or a bigger disk is a resize (a
    /// `vm-upgrade` event; an off machine is upgrading for a step), another network a move
    /// (a `vm-migrate` event, and an address of that network).
    pub(crate) fn update(
        &mut self,
        id: &str,
        mut changes: Changes,
        ctx: &mut Ctx,
    ) -> Result<&MachineRecord, ApiError> {
        let ip = changes.public_ip.take();
        let index = self
            .machines
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(ApiError::not_found)?;
        let address = self.address_for(&self.machines[index], ip, ctx)?;
        let current = &self.machines[index];
        let moved = match changes.network_id.as_deref() {
            Some(network) if network != current.network_id => {
                let network = self.network_for("networkId", network, current.region)?;
                Some(self.private_ip_in(&network, ctx.rng))
            }
            _ => None,
        };
        let new_type = changes.machine_type.filter(|t| *t != current.machine_type);
        if let Some(spec) = new_type {
            let base = current.base();
            check_machine_type(&current.template_id, runs_on(base), spec, current.region)?;
        }
        if let Some(snapshot) = changes.restore_point_snapshot_id.as_deref() {
            self.check_restore_point(id, snapshot)?;
        }
        let resized = new_type.is_some() || changes.size_gb.is_some_and(|s| s > current.size_gb);
        let was_off = current.state_at(ctx.now) == MachineState::Off;
        let record = &mut self.machines[index];
        changes.apply(record, ctx)?;
        if let Some(private_ip) = moved {
            record.private_ip = private_ip;
            push_action(record, ActionKind::Migrate, ctx, None);
        }
        if resized {
            let kind = if was_off {
                ActionKind::Upgrade
            } else {
                ActionKind::OnlineUpgrade
            };
            push_action(record, kind, ctx, None);
        }
        Store::give_ip(&mut self.public_ips, record, ip, address, ctx.now);
        record.modified_ms = Some(ctx.now);
        Ok(record)
    }

    /// Destroy: the machine is gone at once (404 afterwards), its snapshots with it; its
    /// `deactivate` event stays. Answers what it was.
    pub(crate) fn destroy(&mut self, id: &str, ctx: &mut Ctx) -> Result<MachineRecord, ApiError> {
        let index = self
            .machines
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(ApiError::not_found)?;
        self.snapshots.retain(|s| s.machine_id != id);
        self.deactivations.push(Deactivation {
            handle: new_handle(ctx.rng),
            machine_id: id.to_string(),
            at_ms: ctx.now,
        });
        Ok(self.machines.remove(index))
    }

    /// Grant or withdraw a user's access (legacy `setMachineAccess`, v1 accessors).
    pub(crate) fn set_access(
        &mut self,
        id: &str,
        user_id: &str,
        enable: bool,
        ctx: &mut Ctx,
    ) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        record.access.insert(user_id.to_string(), enable);
        record.modified_ms = Some(ctx.now);
        Ok(())
    }

    pub(crate) fn set_availability(
        &mut self,
        region: &Region,
        machine_type: &TypeSpec,
        available: bool,
    ) {
        self.availability
            .insert(availability_key(region, machine_type), available);
    }

    pub(crate) fn is_issued_key(&self, key: &str) -> bool {
        self.api_keys.iter().any(|k| k.key == key)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::emulator::catalog;
    use crate::emulator::legacy::views::machine as render;
    use crate::emulator::power::NoOp;
    use crate::emulator::record::IpKind;

    fn request() -> NewMachine {
        let region = Region::find("East Coast (NY2)").unwrap();
        let machine_type = catalog::spec("C4").unwrap();
        NewMachine::new(
            region,
            machine_type,
            50,
            "hourly",
            "m".into(),
            "tkni3aa4".into(),
        )
    }

    /// A store with one machine created at t=0 with 100 ms steps; returns its id.
    pub(crate) fn store_with_machine(rng: &mut fastrand::Rng) -> (Store, String) {
        let mut store = Store::default();
        let mut ctx = Ctx {
            now: 0,
            step_ms: 100,
            rng,
        };
        let machine = store
            .create(request(), Changes::default(), &mut ctx)
            .unwrap();
        let id = machine.id.clone();
        (store, id)
    }

    pub(crate) fn at(now: i64, rng: &mut fastrand::Rng) -> Ctx<'_> {
        Ctx {
            now,
            step_ms: 100,
            rng,
        }
    }

    #[test]
    fn a_dynamic_public_ip_exists_only_while_running() {
        let mut rng = fastrand::Rng::with_seed(4);
        let mut store = Store::default();
        let dynamic = Changes {
            public_ip: Some(IpKind::Dynamic),
            ..Changes::default()
        };
        let created = store
            .create(request(), dynamic, &mut at(0, &mut rng))
            .unwrap();
        let id = created.id.clone();
        let ip_at =
            |store: &Store, now| render(store.find(&id).unwrap(), now, false).public_ip_address;
        assert_eq!(ip_at(&store, 50), None, "provisioning");
        let ip = ip_at(&store, 200).expect("ready");
        assert!(ip.starts_with("184.105."));
        assert_eq!(ip_at(&store, 250), Some(ip));
        store
            .stop(&id, &mut at(300, &mut rng), NoOp::Succeeds)
            .unwrap();
        assert_eq!(ip_at(&store, 500), None, "off");
    }

    #[test]
    fn unknown_machines_are_not_found_and_destroy_removes() {
        let mut rng = fastrand::Rng::with_seed(2);
        let (mut store, id) = store_with_machine(&mut rng);
        assert_eq!(
            store
                .stop("psnope", &mut at(0, &mut rng), NoOp::Succeeds)
                .unwrap_err()
                .status,
            404
        );
        store.destroy(&id, &mut at(0, &mut rng)).unwrap();
        assert_eq!(
            store.destroy(&id, &mut at(0, &mut rng)).unwrap_err().status,
            404
        );
        assert_eq!(store.deactivations.len(), 1);
        assert!(store.machines.is_empty());
    }

    #[test]
    fn the_state_file_round_trips_and_names_vocabulary_by_its_words() {
        let mut rng = fastrand::Rng::with_seed(5);
        let (store, _) = store_with_machine(&mut rng);
        let text = serde_json::to_string(&store).unwrap();
        assert!(text.contains(r#""region":"ny2""#), "{text}");
        assert!(text.contains(r#""machineType":"C4""#), "{text}");
        let back: Store = serde_json::from_str(&text).unwrap();
        assert_eq!(back, store);
        let unknown = text.replace(r#""machineType":"C4""#, r#""machineType":"C99""#);
        let error = serde_json::from_str::<Store>(&unknown).unwrap_err();
        assert!(error.to_string().contains("unknown machine type 'C99'"));
    }
}
