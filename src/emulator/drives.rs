//! Shared drives: the account's network storage, each on a private network of its region,
//! mounted over SMB with its own user and password (v1 `/shared-drives`). A drive needs a
//! private network, not a region's default one (inferred from DigitalOcean's guide to shared
//! drives, which makes one on a private network), and a network with drives on it is not
//! deleted.

use super::http::ApiError;
use super::record::word;
use super::store::{Ctx, Store, new_secret};
use crate::vocab::Region;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DriveRecord {
    pub id: String,
    pub name: String,
    pub size_gb: u64,
    #[serde(with = "word")]
    pub region: &'static Region,
    pub network_id: String,
    pub password: String,
    pub created_ms: i64,
}

/// A drive to create.
pub(crate) struct NewDrive {
    pub name: String,
    pub size_gb: u64,
    pub region: &'static Region,
    pub network_id: String,
}

impl DriveRecord {
    /// The SMB user of the drive.
    pub(crate) fn username(&self) -> String {
        format!("{}-user", self.id)
    }

    /// Where machines of its network mount it: the network's `.254`, the drive's id.
    pub(crate) fn mount_point(&self, store: &Store) -> String {
        let prefix = store
            .network(&self.network_id)
            .map(|n| n.network)
            .unwrap_or_default();
        let host = prefix.rsplit_once('.').map_or("10.128.0", |(head, _)| head);
        format!("//{host}.254/{}", self.id)
    }
}

impl Store {
    pub(crate) fn drive(&self, id: &str) -> Option<&DriveRecord> {
        self.drives.iter().find(|d| d.id == id)
    }

    pub(crate) fn drive_mut(&mut self, id: &str) -> Result<&mut DriveRecord, ApiError> {
        self.drives
            .iter_mut()
            .find(|d| d.id == id)
            .ok_or_else(ApiError::not_found)
    }

    pub(crate) fn create_drive(
        &mut self,
        new: NewDrive,
        ctx: &mut Ctx,
    ) -> Result<&DriveRecord, ApiError> {
        let network = self.network_for("networkId", &new.network_id, new.region)?;
        if !network.is_private() {
            return Err(ApiError::invalid(
                "networkId",
                format!(
                    "Shared drives need a private network; {} is a default network",
                    network.id
                ),
                "Not a private network",
            ));
        }
        let record = DriveRecord {
            id: self.new_id("sd", ctx.rng),
            name: new.name,
            size_gb: new.size_gb,
            region: new.region,
            network_id: new.network_id,
            password: new_secret(ctx.rng),
            created_ms: ctx.now,
        };
        self.drives.push(record);
        Ok(&self.drives[self.drives.len() - 1])
    }

    pub(crate) fn delete_drive(&mut self, id: &str) -> Result<DriveRecord, ApiError> {
        let index = self
            .drives
            .iter()
            .position(|d| d.id == id)
            .ok_or_else(ApiError::not_found)?;
        Ok(self.drives.remove(index))
    }
}
