//! Networks: each region's default network, which machines made without `networkId` join
//! (`nemul8r0` in NY2, `nemul8r1` in CA1, `nemul8r2` in AMS1), and the account's private
//! networks (v1 `/private-networks`). The legacy `networks/getNetworks` lists both; v1 lists
//! the private ones. A machine's private IP is an address of its network.

use super::http::ApiError;
use super::record::word;
use super::store::{Ctx, Store};
use crate::vocab::{REGIONS, Region};
use serde::{Deserialize, Serialize};

/// A private network of the account: a `/24` of `10.128.0.0/9`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NetworkRecord {
    pub id: String,
    pub name: String,
    #[serde(with = "word")]
    pub region: &'static Region,
    /// Its prefix, `10.128.<n>.0` (netmask `255.255.255.0`).
    pub network: String,
    pub created_ms: i64,
}

/// The netmask of a private network.
pub(crate) const PRIVATE_NETMASK: &str = "255.255.255.0";
/// The netmask of a default network (`10.64.0.0/16` and its neighbours).
pub(crate) const DEFAULT_NETMASK: &str = "255.255.0.0";

/// A network as both APIs show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Network {
    pub id: String,
    pub name: String,
    pub region: &'static Region,
    pub network: String,
    pub netmask: &'static str,
    /// `None`: a default network, there since the account (`ACCOUNT_CREATED`).
    pub created_ms: Option<i64>,
}

impl Network {
    pub(crate) fn is_private(&self) -> bool {
        self.created_ms.is_some()
    }

    /// A fresh address of the network for a machine (not its first or last).
    fn address(&self, rng: &mut fastrand::Rng) -> String {
        let octets: Vec<&str> = self.network.split('.').collect();
        let mut host = || rng.u8(2..=254);
        match (octets.as_slice(), self.netmask) {
            ([a, b, c, _], PRIVATE_NETMASK) => format!("{a}.{b}.{c}.{}", host()),
            ([a, b, ..], _) => format!("{a}.{b}.{}.{}", host(), host()),
            _ => format!("10.64.{}.{}", host(), host()),
        }
    }
}

/// The default network of `region`.
pub(crate) fn default_network(region: &'static Region) -> Network {
    let index = REGIONS.iter().position(|r| r == region).unwrap_or(0);
    Network {
        id: format!("nemul8r{index}"),
        name: format!("Default network ({})", region.code.to_uppercase()),
        region,
        network: format!("10.{}.0.0", 64 + index),
        netmask: DEFAULT_NETMASK,
        created_ms: None,
    }
}

fn private(record: &NetworkRecord) -> Network {
    Network {
        id: record.id.clone(),
        name: record.name.clone(),
        region: record.region,
        network: record.network.clone(),
        netmask: PRIVATE_NETMASK,
        created_ms: Some(record.created_ms),
    }
}

pub(crate) fn network_not_found(field: &str) -> ApiError {
    ApiError::invalid(field, "Network not found", "Network not found")
}

impl Store {
    /// Every network: the default ones, then the private ones in creation order.
    pub(crate) fn networks(&self) -> Vec<Network> {
        REGIONS
            .iter()
            .map(default_network)
            .chain(self.private_networks.iter().map(private))
            .collect()
    }

    /// The network `id`, looked up as `networks` lists them (a region's default first), without
    /// building every private one.
    pub(crate) fn network(&self, id: &str) -> Option<Network> {
        REGIONS
            .iter()
            .map(default_network)
            .find(|n| n.id == id)
            .or_else(|| {
                let record = self.private_networks.iter().find(|n| n.id == id)?;
                Some(private(record))
            })
    }

    /// The network `id` (named by `field`), for a machine of `region`: it must exist and be
    /// in that region.
    pub(crate) fn network_for(
        &self,
        field: &str,
        id: &str,
        region: &Region,
    ) -> Result<Network, ApiError> {
        let network = self.network(id).ok_or_else(|| network_not_found(field))?;
        if network.region != region {
            return Err(ApiError::invalid(
                field,
                format!(
                    "Network {id} is in {}, not {}",
                    network.region.code, region.code
                ),
                "The network is in another region",
            ));
        }
        Ok(network)
    }

    /// A free address of `network` for a machine.
    pub(crate) fn private_ip_in(&self, network: &Network, rng: &mut fastrand::Rng) -> String {
        let taken = |ip: &str| {
            self.machines
                .iter()
                .any(|m| m.network_id == network.id && m.private_ip == ip)
        };
        let mut address = network.address(rng);
        for _ in 0..64 {
            if !taken(&address) {
                break;
            }
            address = network.address(rng);
        }
        address
    }

    /// A private network; with `migrate`, the region's machines on its default network move
    /// into it.
    pub(crate) fn create_network(
        &mut self,
        name: String,
        region: &'static Region,
        migrate: bool,
        ctx: &mut Ctx,
    ) -> Result<Network, ApiError> {
        let free = (0..=u16::MAX)
            .map(|n| format!("10.{}.{}.0", 128 + n / 256, n % 256))
            .take(128 * 256)
            .find(|prefix| !self.private_networks.iter().any(|r| r.network == *prefix))
            .ok_or_else(|| ApiError::bad_request("No private network ranges are left"))?;
        let record = NetworkRecord {
            id: self.new_id("n", ctx.rng),
            name,
            region,
            network: free,
            created_ms: ctx.now,
        };
        let network = private(&record);
        self.private_networks.push(record);
        if migrate {
            let default = default_network(region).id;
            let movers: Vec<String> = self
                .machines
                .iter()
                .filter(|m| m.network_id == default)
                .map(|m| m.id.clone())
                .collect();
            for id in movers {
                self.move_machine(&id, &network, ctx)?;
            }
        }
        Ok(network)
    }

    /// Put machine `id` on `network`, with a new private IP of it.
    pub(crate) fn move_machine(
        &mut self,
        id: &str,
        network: &Network,
        ctx: &mut Ctx,
    ) -> Result<(), ApiError> {
        let address = self.private_ip_in(network, ctx.rng);
        let machine = self.find_mut(id)?;
        machine.network_id = network.id.clone();
        machine.private_ip = address;
        machine.modified_ms = Some(ctx.now);
        Ok(())
    }

    pub(crate) fn private_network_mut(&mut self, id: &str) -> Result<&mut NetworkRecord, ApiError> {
        self.private_networks
            .iter_mut()
            .find(|n| n.id == id)
            .ok_or_else(ApiError::not_found)
    }

    /// Delete a private network no machine or shared drive is on (inferred: the service
    /// refuses to pull a network from under its machines).
    pub(crate) fn delete_network(&mut self, id: &str) -> Result<NetworkRecord, ApiError> {
        let index = self
            .private_networks
            .iter()
            .position(|n| n.id == id)
            .ok_or_else(ApiError::not_found)?;
        let machines = self.machines.iter().filter(|m| m.network_id == id).count();
        if machines > 0 {
            return Err(ApiError::bad_request(format!(
                "Private network {id} still has {machines} machine(s) on it"
            )));
        }
        let drives = self.drives.iter().filter(|d| d.network_id == id).count();
        if drives > 0 {
            return Err(ApiError::bad_request(format!(
                "Private network {id} still has {drives} shared drive(s) on it"
            )));
        }
        Ok(self.private_networks.remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_networks_are_per_region_and_addresses_are_theirs() {
        let ny2 = default_network(&REGIONS[0]);
        assert_eq!(ny2.id, "nemul8r0");
        assert_eq!(ny2.network, "10.64.0.0");
        let ams1 = default_network(&REGIONS[2]);
        assert_eq!(ams1.id, "nemul8r2");
        let mut rng = fastrand::Rng::with_seed(1);
        assert!(ams1.address(&mut rng).starts_with("10.66."));
        let private = Network {
            network: "10.128.3.0".into(),
            netmask: PRIVATE_NETMASK,
            created_ms: Some(0),
            ..ny2
        };
        assert!(private.address(&mut rng).starts_with("10.128.3."));
    }
}
