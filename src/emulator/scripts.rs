//! Startup scripts: the account's, each assignable to machines (legacy `scripts/*`, v1
//! `/startup-scripts`). Which machine runs which script is the machine's own record
//! (`script_id`, one script a machine); a script's machines are the machines naming it.

use super::http::ApiError;
use super::record::MachineRecord;
use super::store::{ACCOUNT_USER_ID, Ctx, Store, machine_not_found};
use serde::{Deserialize, Serialize};

/// The most text a script may hold: "script data is limited to 16KB per script" (the legacy
/// reference, `scripts create`).
pub(crate) const MAX_SCRIPT_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScriptRecord {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub text: String,
    pub is_enabled: bool,
    pub run_once: bool,
    pub owner_id: String,
    pub created_ms: i64,
}

/// A script to create.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewScript {
    pub name: String,
    pub description: Option<String>,
    pub text: String,
    pub is_enabled: bool,
    pub run_once: bool,
    /// The machine to assign it to.
    pub machine_id: Option<String>,
}

/// What may change on a script; `None` leaves it alone.
#[derive(Debug, Default)]
pub(crate) struct ScriptChanges {
    pub name: Option<String>,
    pub text: Option<String>,
    pub is_enabled: Option<bool>,
    pub run_once: Option<bool>,
}

/// `text` if it fits, else a refusal naming `field`.
pub(crate) fn fitting(field: &str, text: String) -> Result<String, ApiError> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(ApiError::invalid(
            field,
            format!(
                "Script text is limited to 16KB ({} bytes given)",
                text.len()
            ),
            "Must be at most 16KB",
        ));
    }
    Ok(text)
}

impl Store {
    pub(crate) fn script(&self, id: &str) -> Option<&ScriptRecord> {
        self.scripts.iter().find(|s| s.id == id)
    }

    /// The machines a script is assigned to, in creation order.
    pub(crate) fn script_machines(&self, id: &str) -> Vec<&MachineRecord> {
        self.machines
            .iter()
            .filter(|m| m.script_id.as_deref() == Some(id))
            .collect()
    }

    pub(crate) fn create_script(
        &mut self,
        new: NewScript,
        ctx: &mut Ctx,
    ) -> Result<&ScriptRecord, ApiError> {
        if let Some(machine) = &new.machine_id
            && self.find(machine).is_none()
        {
            return Err(machine_not_found());
        }
        let record = ScriptRecord {
            id: self.new_id("sc", ctx.rng),
            name: new.name,
            description: new.description,
            text: fitting("script", new.text)?,
            is_enabled: new.is_enabled,
            run_once: new.run_once,
            owner_id: ACCOUNT_USER_ID.to_string(),
            created_ms: ctx.now,
        };
        let id = record.id.clone();
        self.scripts.push(record);
        if let Some(machine) = new.machine_id {
            self.assign_script(&id, &machine, true, ctx)?;
        }
        self.script(&id)
            .ok_or_else(|| ApiError::internal("the script was just created"))
    }

    pub(crate) fn update_script(
        &mut self,
        id: &str,
        changes: ScriptChanges,
    ) -> Result<&ScriptRecord, ApiError> {
        let text = changes.text.map(|t| fitting("script", t)).transpose()?;
        let script = self
            .scripts
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(ApiError::not_found)?;
        if let Some(name) = changes.name {
            script.name = name;
        }
        if let Some(text) = text {
            script.text = text;
        }
        if let Some(enabled) = changes.is_enabled {
            script.is_enabled = enabled;
        }
        if let Some(once) = changes.run_once {
            script.run_once = once;
        }
        Ok(script)
    }

    /// Give machine `machine_id` script `id` (`assign`), or take it away if it has it: a
    /// machine runs one script, so assigning replaces the one it had. Unassigning a script
    /// the machine does not run changes nothing.
    pub(crate) fn assign_script(
        &mut self,
        id: &str,
        machine_id: &str,
        assign: bool,
        ctx: &mut Ctx,
    ) -> Result<&ScriptRecord, ApiError> {
        if self.script(id).is_none() {
            return Err(ApiError::not_found());
        }
        let machine = self.find_mut(machine_id).map_err(|_| machine_not_found())?;
        if assign {
            machine.script_id = Some(id.to_string());
            machine.modified_ms = Some(ctx.now);
        } else if machine.script_id.as_deref() == Some(id) {
            machine.script_id = None;
            machine.modified_ms = Some(ctx.now);
        }
        self.script(id).ok_or_else(ApiError::not_found)
    }

    /// Destroy a script: it is gone at once, and no machine runs it any more.
    pub(crate) fn delete_script(&mut self, id: &str, now: i64) -> Result<ScriptRecord, ApiError> {
        let index = self
            .scripts
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(ApiError::not_found)?;
        for machine in &mut self.machines {
            if machine.script_id.as_deref() == Some(id) {
                machine.script_id = None;
                machine.modified_ms = Some(now);
            }
        }
        Ok(self.scripts.remove(index))
    }
}
