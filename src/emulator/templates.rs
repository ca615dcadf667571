//! Templates: the OS templates every account may use (a fixed catalogue) and the account's
//! custom templates, made from a machine. Both APIs create machines from either, and list
//! both (legacy `templates/getTemplates`; v1 `/os-templates` and `/custom-templates`).
//!
//! A machine runs its template's operating system and agent (`base` on the machine: the OS
//! template behind a custom one). A create whose `templateId` neither the catalogue nor the
//! account knows is refused, as the live service refuses it: a 400 naming `templateId` (v1's
//! `details.templateId`, the legacy error's message).

use super::catalog::TypeSpec;
use super::http::ApiError;
use super::lifecycle::ActionKind;
use super::record::word;
use super::store::{Ctx, Store, machine_not_found, push_action};
use crate::vocab::{MachineState, Region, known_machine_types};
use serde::{Deserialize, Serialize};

/// One OS template of the catalogue.
#[derive(Debug, PartialEq)]
pub(crate) struct OsTemplate {
    pub id: &'static str,
    /// Its name (v1's `name`, the legacy `label`).
    pub name: &'static str,
    pub agent_type: &'static str,
    /// The operating system a machine reports (the legacy `os`).
    pub os: &'static str,
    /// v1's `operatingSystemLabel`.
    pub os_label: &'static str,
    pub default_size_gb: u64,
    /// Which machine types it runs on.
    pub runs_on: RunsOn,
    pub dt_created: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunsOn {
    Every,
    /// Types with a dedicated GPU only (desktops, ML images).
    Gpu,
    /// Every type but the CPU-only `C1`-`C10` (the legacy reference: "You cannot use Windows
    /// templates to create CPU-only machine types 'C1' - 'C10'").
    NotCpuOnlyC,
}

const UBUNTU_20: &str =
    "Ubuntu 20.04.6 LTS; uname: 5.4.0-150-generic; distro: ubuntu; major: 20; minor: 04";
const UBUNTU_22: &str =
    "Ubuntu 22.04.4 LTS; uname: 5.15.0-105-generic; distro: ubuntu; major: 22; minor: 04";
const WINDOWS: &str = "Windows Server 2019 Datacenter";

/// The catalogue. `tkni3aa4` (Ubuntu 20.04 server), `t0nspur5` (Ubuntu 22.04) and `tilqt47t`
/// (ML-in-a-Box) are ids public clients create live machines with; the others are the
/// emulator's own.
pub(crate) static OS_TEMPLATES: &[OsTemplate] = &[
    OsTemplate {
        id: "tkni3aa4",
        name: "Ubuntu 20.04 Server",
        agent_type: "LinuxHeadless",
        os: UBUNTU_20,
        os_label: "Ubuntu 20.04",
        default_size_gb: 50,
        runs_on: RunsOn::Every,
        dt_created: "2020-06-01T00:00:00.000Z",
    },
    OsTemplate {
        id: "t0nspur5",
        name: "Ubuntu 22.04 Server",
        agent_type: "LinuxHeadless",
        os: UBUNTU_22,
        os_label: "Ubuntu 22.04",
        default_size_gb: 50,
        runs_on: RunsOn::Every,
        dt_created: "2022-06-01T00:00:00.000Z",
    },
    OsTemplate {
        id: "tilqt47t",
        name: "ML-in-a-Box Ubuntu 22.04",
        agent_type: "LinuxHeadless",
        os: UBUNTU_22,
        os_label: "Ubuntu 22.04",
        default_size_gb: 100,
        runs_on: RunsOn::Gpu,
        dt_created: "2023-03-01T00:00:00.000Z",
    },
    OsTemplate {
        id: "tdesk204",
        name: "Ubuntu 20.04 Desktop",
        agent_type: "LinuxDesktop",
        os: UBUNTU_20,
        os_label: "Ubuntu 20.04",
        default_size_gb: 50,
        runs_on: RunsOn::Gpu,
        dt_created: "2020-06-01T00:00:00.000Z",
    },
    OsTemplate {
        id: "twin2019",
        name: "Windows Server 2019",
        agent_type: "WindowsDesktop",
        os: WINDOWS,
        os_label: "Windows Server 2019",
        default_size_gb: 50,
        runs_on: RunsOn::NotCpuOnlyC,
        dt_created: "2019-06-01T00:00:00.000Z",
    },
];

pub(crate) fn os_template(id: &str) -> Option<&'static OsTemplate> {
    OS_TEMPLATES.iter().find(|t| t.id == id)
}

/// What a machine made from a template the catalogue does not know runs: the Windows desktop
/// on Windows, else the Linux desktop with a dedicated GPU, else the Linux server.
pub(crate) fn fallback(windows: bool, dedicated_gpu: bool) -> &'static OsTemplate {
    let id = match (windows, dedicated_gpu) {
        (true, _) => "twin2019",
        (false, true) => "tdesk204",
        (false, false) => "tkni3aa4",
    };
    os_template(id).unwrap_or(&OS_TEMPLATES[0])
}

impl RunsOn {
    pub(crate) fn allows(self, spec: &TypeSpec) -> bool {
        match self {
            RunsOn::Every => true,
            RunsOn::Gpu => spec.dedicated_gpu(),
            RunsOn::NotCpuOnlyC => !spec.name.starts_with('C') || spec.dedicated_gpu(),
        }
    }

    /// The machine types it runs on, in the catalog's order.
    pub(crate) fn machine_types(self) -> Vec<&'static str> {
        known_machine_types()
            .filter(|name| super::catalog::spec(name).is_some_and(|spec| self.allows(spec)))
            .collect()
    }
}

/// A custom template of the account, made from a machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TemplateRecord {
    pub id: String,
    pub name: String,
    pub parent_machine_id: String,
    /// The OS template behind it (the parent machine's).
    pub base: String,
    #[serde(with = "word")]
    pub region: &'static Region,
    pub size_gb: u64,
    /// The parent machine's agent and operating system, as they were.
    pub agent_type: String,
    pub os: String,
    pub os_label: String,
    pub team_id: String,
    pub created_ms: i64,
}

impl TemplateRecord {
    /// The machine types it runs on: its OS template's.
    pub(crate) fn runs_on(&self) -> RunsOn {
        runs_on(&self.base)
    }
}

/// The machine types a machine running `base` may have.
pub(crate) fn runs_on(base: &str) -> RunsOn {
    os_template(base).map_or(RunsOn::Every, |t| t.runs_on)
}

/// `spec` for a machine of `region` made from `template` (which `runs_on`): a type sold
/// there, and one the template runs on.
pub(crate) fn check_machine_type(
    template: &str,
    runs_on: RunsOn,
    spec: &TypeSpec,
    region: &Region,
) -> Result<(), ApiError> {
    if !spec.sold_in(region) {
        return Err(ApiError::invalid(
            "machineType",
            format!("Machine type {} is not sold in {}", spec.name, region.name),
            format!("Not sold in {}", region.code),
        ));
    }
    if !runs_on.allows(spec) {
        return Err(ApiError::invalid(
            "machineType",
            format!(
                "Template {template} does not run on machine type {}",
                spec.name
            ),
            format!("Template {template} does not run on this machine type"),
        ));
    }
    Ok(())
}

/// What a create's `templateId` names.
pub(crate) struct Resolved {
    /// The OS template the machine will run.
    pub base: String,
    /// Where it can be used, for a custom template.
    pub region: Option<&'static Region>,
    pub min_size_gb: u64,
    pub runs_on: RunsOn,
}

pub(crate) fn template_not_found() -> ApiError {
    ApiError::invalid("templateId", "Template not found", "Template not found")
}

impl Store {
    pub(crate) fn custom_template(&self, id: &str) -> Option<&TemplateRecord> {
        self.templates.iter().find(|t| t.id == id)
    }

    /// The template a machine is created from, if it may be: the catalogue or the account
    /// knows it, `spec` is sold in `region` and the template runs on it, the template is in
    /// `region` and fits in `size_gb`.
    pub(crate) fn resolve_template(
        &self,
        id: &str,
        spec: &TypeSpec,
        region: &Region,
        size_gb: u64,
    ) -> Result<Resolved, ApiError> {
        let resolved = if let Some(t) = os_template(id) {
            Resolved {
                base: t.id.to_string(),
                region: None,
                min_size_gb: 1,
                runs_on: t.runs_on,
            }
        } else if let Some(t) = self.custom_template(id) {
            Resolved {
                base: t.base.clone(),
                region: Some(t.region),
                min_size_gb: t.size_gb,
                runs_on: t.runs_on(),
            }
        } else {
            return Err(template_not_found());
        };
        check_machine_type(id, resolved.runs_on, spec, region)?;
        if let Some(home) = resolved.region.filter(|home| *home != region) {
            return Err(ApiError::invalid(
                "templateId",
                format!("Template {id} is in {}, not {}", home.code, region.code),
                "The template is in another region",
            ));
        }
        if size_gb < resolved.min_size_gb {
            return Err(ApiError::invalid(
                "diskSize",
                format!(
                    "Template {id} needs a disk of at least {} GB",
                    resolved.min_size_gb
                ),
                format!("Must be at least {} GB", resolved.min_size_gb),
            ));
        }
        Ok(resolved)
    }

    /// A custom template from machine `machine_id`, which must be off.
    pub(crate) fn create_template(
        &mut self,
        name: String,
        machine_id: &str,
        ctx: &mut Ctx,
    ) -> Result<&TemplateRecord, ApiError> {
        let machine = self.find(machine_id).ok_or_else(machine_not_found)?;
        let state = machine.state_at(ctx.now);
        if state != MachineState::Off {
            return Err(ApiError::invalid(
                "machineId",
                format!("The machine must be off to make a template of it (it is {state})"),
                "The machine must be off",
            ));
        }
        let os = machine.os();
        let os_label = os_template(machine.base())
            .map_or_else(|| os.split(';').next().unwrap_or(os), |t| t.os_label);
        let record = TemplateRecord {
            id: self.new_id("t", ctx.rng),
            name,
            parent_machine_id: machine.id.clone(),
            base: machine.base().to_string(),
            region: machine.region,
            size_gb: machine.size_gb,
            agent_type: machine.agent_type().to_string(),
            os: os.to_string(),
            os_label: os_label.to_string(),
            team_id: machine.team_id.clone(),
            created_ms: ctx.now,
        };
        let index = self.machines.iter().position(|m| m.id == machine_id);
        if let Some(machine) = index.map(|i| &mut self.machines[i]) {
            push_action(machine, ActionKind::TemplateCreate, ctx, None);
        }
        self.templates.push(record);
        Ok(&self.templates[self.templates.len() - 1])
    }

    pub(crate) fn custom_template_mut(
        &mut self,
        id: &str,
    ) -> Result<&mut TemplateRecord, ApiError> {
        self.templates
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(ApiError::not_found)
    }

    pub(crate) fn delete_template(&mut self, id: &str) -> Result<TemplateRecord, ApiError> {
        let index = self
            .templates
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(ApiError::not_found)?;
        Ok(self.templates.remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::catalog::spec;

    #[test]
    fn a_machine_of_an_unknown_template_runs_the_nearest_catalogue_one() {
        let seen = |windows, gpu| {
            let t = fallback(windows, gpu);
            (t.id, t.agent_type, t.os)
        };
        assert_eq!(seen(true, true), ("twin2019", "WindowsDesktop", WINDOWS));
        assert_eq!(seen(false, true), ("tdesk204", "LinuxDesktop", UBUNTU_20));
        assert_eq!(seen(false, false), ("tkni3aa4", "LinuxHeadless", UBUNTU_20));
    }

    #[test]
    fn templates_run_where_they_may() {
        let c4 = spec("C4").unwrap();
        let p4000 = spec("P4000").unwrap();
        assert!(os_template("tkni3aa4").unwrap().runs_on.allows(c4));
        assert!(!os_template("twin2019").unwrap().runs_on.allows(c4));
        assert!(
            os_template("twin2019")
                .unwrap()
                .runs_on
                .allows(spec("Air").unwrap())
        );
        assert!(!os_template("tilqt47t").unwrap().runs_on.allows(c4));
        assert!(os_template("tdesk204").unwrap().runs_on.allows(p4000));
        let types = RunsOn::Gpu.machine_types();
        assert!(types.contains(&"H100x8") && !types.contains(&"C10"));
    }
}
