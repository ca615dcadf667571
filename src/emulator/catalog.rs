//! Static facts about machine types: hardware, prices, and which types are (un)available where
//! by default. The values are plausible rather than authoritative; what matters to clients is
//! their shape (decimal strings for bytes and prices, a numeric cpu count).
//!
//! The table is keyed by the names of `vocab::MACHINE_TYPES`, in its order (a test holds the
//! two together), so a type the vocabulary names always has a spec and nothing else does.

use crate::vocab::Region;

const GIB: u64 = 1024 * 1024 * 1024;

/// Hardware and price of one machine type.
#[derive(Debug, PartialEq)]
pub(crate) struct TypeSpec {
    /// The type's name as both APIs spell it (`C4`, `P4000`).
    pub name: &'static str,
    pub cpus: u64,
    /// RAM in MiB (so the half-GiB C1 is exact).
    pub ram_mib: u64,
    pub gpu: &'static str,
    /// Memory of the dedicated GPU; `None` for CPU-only types.
    pub gpu_memory_gib: Option<u64>,
    /// Hourly price in US dollars, as the API's decimal string.
    pub hourly_rate: &'static str,
}

const fn cpu(name: &'static str, cpus: u64, ram_mib: u64, hourly_rate: &'static str) -> TypeSpec {
    TypeSpec {
        name,
        cpus,
        ram_mib,
        gpu: "None",
        gpu_memory_gib: None,
        hourly_rate,
    }
}

const fn gpu(
    name: &'static str,
    gpu: &'static str,
    memory_gib: u64,
    rate: &'static str,
) -> TypeSpec {
    TypeSpec {
        name,
        cpus: 8,
        ram_mib: 30720,
        gpu,
        gpu_memory_gib: Some(memory_gib),
        hourly_rate: rate,
    }
}

static TYPES: [TypeSpec; 19] = [
    cpu("Air", 2, 4096, "0.07"),
    cpu("Standard", 4, 8192, "0.10"),
    cpu("Pro", 4, 16384, "0.16"),
    cpu("Advanced", 8, 32768, "0.28"),
    gpu("GPU+", "Quadro M4000", 8, "0.45"),
    gpu("P4000", "Quadro P4000", 8, "0.51"),
    gpu("P5000", "Quadro P5000", 16, "0.78"),
    gpu("P6000", "Quadro P6000", 24, "1.10"),
    gpu("V100", "Tesla V100", 16, "2.30"),
    cpu("C1", 1, 512, "0.0045"),
    cpu("C2", 1, 1024, "0.009"),
    cpu("C3", 2, 2048, "0.018"),
    cpu("C4", 2, 4096, "0.036"),
    cpu("C5", 4, 8192, "0.072"),
    cpu("C6", 8, 16384, "0.144"),
    cpu("C7", 12, 30720, "0.288"),
    cpu("C8", 16, 61440, "0.576"),
    cpu("C9", 24, 122880, "1.152"),
    cpu("C10", 32, 249856, "2.304"),
];

/// The spec of a machine type (exact, case-sensitive name).
pub(crate) fn spec(machine_type: &str) -> Option<&'static TypeSpec> {
    TYPES.iter().find(|spec| spec.name == machine_type)
}

impl TypeSpec {
    pub(crate) fn ram_bytes(&self) -> u64 {
        self.ram_mib * 1024 * 1024
    }

    pub(crate) fn gpu_memory_bytes(&self) -> Option<u64> {
        self.gpu_memory_gib.map(|gib| gib * GIB)
    }

    /// Whether the type has a dedicated GPU (desktop agent; availability is meaningful).
    pub(crate) fn dedicated_gpu(&self) -> bool {
        self.gpu_memory_gib.is_some()
    }
}

/// Storage bytes of a disk of `size_gb` GB, as the API counts them (GiB).
pub(crate) fn storage_bytes(size_gb: u64) -> u64 {
    size_gb.saturating_mul(GIB)
}

/// Bytes used on every disk (a fresh image).
pub(crate) const STORAGE_USED_BYTES: u64 = 110_080;

/// Monthly storage price: ten cents per GB, formatted like the API (`"5.00"` for 50 GB).
pub(crate) fn storage_monthly_rate(size_gb: u64) -> String {
    let cents = size_gb.saturating_mul(10);
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Built-in availability before any override: dedicated-GPU types the Amsterdam region never
/// had are unavailable there; everything else is available.
pub(crate) fn default_availability(region: &Region, spec: &TypeSpec) -> bool {
    !(region.code == "ams1" && matches!(spec.name, "V100" | "P6000"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::MACHINE_TYPES;

    /// The vocabulary's type list and this table cannot drift apart.
    #[test]
    fn every_model_type_has_a_spec() {
        for t in MACHINE_TYPES {
            assert!(spec(t).is_some(), "{t}");
        }
        assert!(spec("p4000").is_none());
        let names: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
        assert_eq!(names, MACHINE_TYPES);
    }

    #[test]
    fn storage_rates_and_sizes() {
        let region = |text| Region::find(text).unwrap();
        let v100 = spec("V100").unwrap();
        assert_eq!(storage_monthly_rate(50), "5.00");
        assert_eq!(storage_monthly_rate(1), "0.10");
        assert_eq!(storage_bytes(50), 53_687_091_200);
        assert!(!default_availability(region("Europe (AMS1)"), v100));
        assert!(default_availability(region("East Coast (NY2)"), v100));
    }
}
