//! Public IPs as the account's resources (docs/v1.md, "Public IPs"): a static address is the
//! team's from the moment it is claimed until it is released, whether or not a machine holds
//! it. Which machine holds one is the machine's own record (`PublicIp::Static`); the account
//! keeps the addresses. Nothing a user has is lost unless asked: a machine that stops being
//! static, or is deleted, leaves its address in the account, unassigned; only a release
//! (v1 `DELETE /public-ips/{ip}`, legacy `destroyMachine` with `releasePublicIp: true`) gives
//! one up.
//!
//! Addresses come from a pool per region (`172.83.64.0/18` split in three, one part a
//! region); a region whose pool is spent refuses a claim (inferred: the service limits the
//! addresses a team may claim; its words for it are unknown).

use super::http::ApiError;
use super::record::{IpKind, MachineRecord, PublicIp, word};
use super::store::{Ctx, Store, machine_not_found};
use crate::vocab::Region;
use serde::{Deserialize, Serialize};

/// A static address the account holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PublicIpRecord {
    pub ip: String,
    #[serde(with = "word")]
    pub region: &'static Region,
    pub created_ms: i64,
}

/// The third octets of a region's pool (`172.83.<octet>.<2..=254>`).
fn pool(region: &Region) -> std::ops::RangeInclusive<u8> {
    match region.code {
        "ny2" => 64..=127,
        "ca1" => 128..=191,
        _ => 192..=254,
    }
}

fn no_such_ip() -> ApiError {
    ApiError::new(axum::http::StatusCode::NOT_FOUND, "Public IP not found")
}

impl Store {
    /// A free address of `region`'s pool (claims nothing).
    fn free_address(&self, region: &Region, rng: &mut fastrand::Rng) -> Result<String, ApiError> {
        let taken = |ip: &str| self.public_ips.iter().any(|r| r.ip == ip);
        let octets = pool(region);
        let address = |third: u8, fourth: u8| format!("172.83.{third}.{fourth}");
        for _ in 0..64 {
            let candidate = address(rng.u8(octets.clone()), rng.u8(2..=254));
            if !taken(&candidate) {
                return Ok(candidate);
            }
        }
        octets
            .flat_map(|third| (2..=254).map(move |fourth| address(third, fourth)))
            .find(|candidate| !taken(candidate))
            .ok_or_else(|| {
                ApiError::invalid(
                    "region",
                    format!("No public IP addresses are left in {}", region.code),
                    "No public IP addresses are left in this region",
                )
            })
    }

    /// The address a machine about to become `kind` must be given: a fresh one when it
    /// becomes static and is not yet (nothing is claimed until [`Store::give_ip`]).
    pub(crate) fn address_for(
        &self,
        record: &MachineRecord,
        kind: Option<IpKind>,
        ctx: &mut Ctx,
    ) -> Result<Option<String>, ApiError> {
        match (kind, &record.public_ip) {
            (Some(IpKind::Static), PublicIp::Static { .. }) | (None, _) => Ok(None),
            (Some(IpKind::Static), _) => self.free_address(record.region, ctx.rng).map(Some),
            (Some(_), _) => Ok(None),
        }
    }

    /// Make `record` of `kind`, claiming `address` (from [`Store::address_for`]) for it.
    pub(crate) fn give_ip(
        ips: &mut Vec<PublicIpRecord>,
        record: &mut MachineRecord,
        kind: Option<IpKind>,
        address: Option<String>,
        now: i64,
    ) {
        match kind {
            Some(IpKind::Static) => {
                if let Some(address) = address {
                    ips.push(PublicIpRecord {
                        ip: address.clone(),
                        region: record.region,
                        created_ms: now,
                    });
                    record.public_ip = PublicIp::Static { address };
                }
            }
            Some(IpKind::Dynamic) => record.public_ip = PublicIp::Dynamic,
            Some(IpKind::None) => record.public_ip = PublicIp::None,
            None => {}
        }
    }

    /// The machine holding `ip`, if one does.
    pub(crate) fn ip_holder(&self, ip: &str) -> Option<&MachineRecord> {
        self.machines
            .iter()
            .find(|m| m.static_address() == Some(ip))
    }

    /// Take `ip` from the machine holding it, if one does.
    fn unassign(&mut self, ip: &str, now: i64) {
        if let Some(holder) = self
            .machines
            .iter_mut()
            .find(|m| m.static_address() == Some(ip))
        {
            holder.public_ip = PublicIp::None;
            holder.modified_ms = Some(now);
        }
    }

    /// `POST /public-ips`: a new static address of `region`, unassigned.
    pub(crate) fn claim_ip(
        &mut self,
        region: &'static Region,
        ctx: &mut Ctx,
    ) -> Result<&PublicIpRecord, ApiError> {
        let ip = self.free_address(region, ctx.rng)?;
        self.public_ips.push(PublicIpRecord {
            ip,
            region,
            created_ms: ctx.now,
        });
        Ok(&self.public_ips[self.public_ips.len() - 1])
    }

    /// `PUT /public-ips/{ip}`: give `ip` to `machine_id` (which had it or not; a machine that
    /// held another static address keeps that one in the account), or to nobody.
    pub(crate) fn assign_ip(
        &mut self,
        ip: &str,
        machine_id: Option<&str>,
        ctx: &mut Ctx,
    ) -> Result<&PublicIpRecord, ApiError> {
        let index = self
            .public_ips
            .iter()
            .position(|r| r.ip == ip)
            .ok_or_else(no_such_ip)?;
        let region = self.public_ips[index].region;
        if let Some(id) = machine_id {
            let machine = self.find(id).ok_or_else(machine_not_found)?;
            if machine.region != region {
                return Err(ApiError::invalid(
                    "machineId",
                    format!(
                        "The machine is in {}, the public IP in {}",
                        machine.region.code, region.code
                    ),
                    "The machine is in another region than the public IP",
                ));
            }
        }
        self.unassign(ip, ctx.now);
        if let Some(id) = machine_id {
            let machine = self.find_mut(id)?;
            machine.public_ip = PublicIp::Static {
                address: ip.to_string(),
            };
            machine.modified_ms = Some(ctx.now);
        }
        Ok(&self.public_ips[index])
    }

    /// `DELETE /public-ips/{ip}` (and legacy `releasePublicIp`): the address leaves the
    /// account, and the machine holding it, if any, loses it.
    pub(crate) fn release_ip(&mut self, ip: &str, now: i64) -> Result<PublicIpRecord, ApiError> {
        let index = self
            .public_ips
            .iter()
            .position(|r| r.ip == ip)
            .ok_or_else(no_such_ip)?;
        self.unassign(ip, now);
        Ok(self.public_ips.remove(index))
    }

    /// A state file from before public IPs were the account's: every static address a machine
    /// holds becomes one of the account's.
    pub(crate) fn adopt_static_ips(&mut self) {
        for machine in &self.machines {
            if let Some(address) = machine.static_address()
                && !self.public_ips.iter().any(|r| r.ip == address)
            {
                self.public_ips.push(PublicIpRecord {
                    ip: address.to_string(),
                    region: machine.region,
                    created_ms: machine.created_ms,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::store::tests::store_with_machine;

    #[test]
    fn addresses_stay_in_the_account_until_released() {
        let mut rng = fastrand::Rng::with_seed(9);
        let (mut store, id) = store_with_machine(&mut rng);
        let mut ctx = Ctx {
            now: 10,
            step_ms: 100,
            rng: &mut rng,
        };
        let region = store.find(&id).unwrap().region;
        let ip = store.claim_ip(region, &mut ctx).unwrap().ip.clone();
        assert!(ip.starts_with("172.83."));
        assert!(store.ip_holder(&ip).is_none());
        store.assign_ip(&ip, Some(&id), &mut ctx).unwrap();
        assert_eq!(store.ip_holder(&ip).unwrap().id, id);
        store.destroy(&id, &mut ctx).unwrap();
        assert_eq!(
            store.public_ips.len(),
            1,
            "a deleted machine's address stays"
        );
        assert_eq!(store.release_ip(&ip, 30).unwrap().ip, ip);
        assert!(store.public_ips.is_empty());
        assert_eq!(store.release_ip(&ip, 30).unwrap_err().status, 404);
    }

    #[test]
    fn a_spent_pool_refuses_a_claim() {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut store = Store::default();
        let region = Region::find("ca1").unwrap();
        let mut ctx = Ctx {
            now: 0,
            step_ms: 100,
            rng: &mut rng,
        };
        for third in pool(region) {
            for fourth in 2..=254u8 {
                store.public_ips.push(PublicIpRecord {
                    ip: format!("172.83.{third}.{fourth}"),
                    region,
                    created_ms: 0,
                });
            }
        }
        let error = store.claim_ip(region, &mut ctx).unwrap_err();
        assert_eq!(
            error.details["region"],
            "No public IP addresses are left in this region"
        );
        let other = store
            .claim_ip(Region::find("ny2").unwrap(), &mut ctx)
            .unwrap();
        assert!(other.ip.starts_with("172.83."));
    }
}
