//! Static facts about machine types: hardware, prices, and which types are (un)available where
//! by default. The values are plausible rather than authoritative; what matters to clients is
//! their shape (decimal strings for bytes and prices, a numeric cpu count).

const GIB: u64 = 1024 * 1024 * 1024;

/// Hardware and price of one machine type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeSpec {
    pub cpus: u64,
    /// RAM in MiB (so the half-GiB C1 is exact).
    pub ram_mib: u64,
    pub gpu: &'static str,
    /// Hourly price in US dollars, as the API's decimal string.
    pub hourly_rate: &'static str,
    /// Whether the type has a dedicated GPU (desktop agent; availability is meaningful).
    pub dedicated_gpu: bool,
}

const fn spec(cpus: u64, ram_mib: u64, gpu: &'static str, hourly_rate: &'static str) -> TypeSpec {
    TypeSpec {
        cpus,
        ram_mib,
        gpu,
        hourly_rate,
        dedicated_gpu: false,
    }
}

const fn gpu(cpus: u64, ram_mib: u64, gpu: &'static str, hourly_rate: &'static str) -> TypeSpec {
    TypeSpec {
        cpus,
        ram_mib,
        gpu,
        hourly_rate,
        dedicated_gpu: true,
    }
}

/// The spec of a machine type of `MACHINE_TYPES` (exact, case-sensitive name).
pub fn type_spec(machine_type: &str) -> Option<TypeSpec> {
    Some(match machine_type {
        "Air" => spec(2, 4096, "None", "0.07"),
        "Standard" => spec(4, 8192, "None", "0.10"),
        "Pro" => spec(4, 16384, "None", "0.16"),
        "Advanced" => spec(8, 32768, "None", "0.28"),
        "GPU+" => gpu(8, 30720, "Quadro M4000", "0.45"),
        "P4000" => gpu(8, 30720, "Quadro P4000", "0.51"),
        "P5000" => gpu(8, 30720, "Quadro P5000", "0.78"),
        "P6000" => gpu(8, 30720, "Quadro P6000", "1.10"),
        "V100" => gpu(8, 30720, "Tesla V100", "2.30"),
        "C1" => spec(1, 512, "None", "0.0045"),
        "C2" => spec(1, 1024, "None", "0.009"),
        "C3" => spec(2, 2048, "None", "0.018"),
        "C4" => spec(2, 4096, "None", "0.036"),
        "C5" => spec(4, 8192, "None", "0.072"),
        "C6" => spec(8, 16384, "None", "0.144"),
        "C7" => spec(12, 30720, "None", "0.288"),
        "C8" => spec(16, 61440, "None", "0.576"),
        "C9" => spec(24, 122880, "None", "1.152"),
        "C10" => spec(32, 249856, "None", "2.304"),
        _ => return None,
    })
}

impl TypeSpec {
    pub fn ram_bytes(&self) -> u64 {
        self.ram_mib * 1024 * 1024
    }
}

/// Storage bytes of a disk of `size_gb` GB, as the API counts them (GiB).
pub fn storage_bytes(size_gb: u64) -> u64 {
    size_gb.saturating_mul(GIB)
}

/// Monthly storage price: ten cents per GB, formatted like the API (`"5.00"` for 50 GB).
pub fn storage_monthly_rate(size_gb: u64) -> String {
    let cents = size_gb.saturating_mul(10);
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Built-in availability before any override: dedicated-GPU types the Amsterdam region never
/// had are unavailable there; everything else is available.
pub fn default_availability(region: &str, machine_type: &str) -> bool {
    !(region == "Europe (AMS1)" && matches!(machine_type, "V100" | "P6000"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::MACHINE_TYPES;

    /// The shared model's type list and this table cannot drift apart.
    #[test]
    fn every_model_type_has_a_spec() {
        for t in MACHINE_TYPES {
            assert!(type_spec(t).is_some(), "{t}");
        }
        assert!(type_spec("p4000").is_none());
    }

    #[test]
    fn storage_rates_and_sizes() {
        assert_eq!(storage_monthly_rate(50), "5.00");
        assert_eq!(storage_monthly_rate(1), "0.10");
        assert_eq!(storage_bytes(50), 53_687_091_200);
        assert!(!default_availability("Europe (AMS1)", "V100"));
        assert!(default_availability("East Coast (NY2)", "V100"));
    }
}
