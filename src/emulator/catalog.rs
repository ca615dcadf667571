//! Static facts about machine types: hardware, prices, and where each is sold and (un)available
//! by default. What matters to clients is their shape (decimal strings for bytes and prices, a
//! numeric cpu count); the values of the types the 2017 reference lists are plausible rather
//! than authoritative, those of the types sold since are public facts (cited below).
//!
//! The table is keyed by `vocab::known_machine_types()`, in its order (a test holds the two
//! together), so a type the vocabulary names always has a spec and nothing else does.

use crate::vocab::Region;

const GIB: u64 = 1024 * 1024 * 1024;

/// Hardware and price of one machine type.
#[derive(Debug, PartialEq)]
pub(crate) struct TypeSpec {
    /// The type's name as both APIs spell it (`C4`, `P4000`, `A100-80Gx8`).
    pub name: &'static str,
    pub cpus: u64,
    /// RAM in MiB (so the half-GiB C1 is exact).
    pub ram_mib: u64,
    /// The GPU's name (`None` for CPU-only types, as the legacy API words it).
    pub gpu: &'static str,
    /// How many GPUs: 0 for CPU-only types, more than 1 for the multi-GPU labels (`x8`).
    pub gpu_count: u64,
    /// Memory of one GPU; `None` for CPU-only types.
    pub gpu_memory_gib: Option<u64>,
    /// Hourly price in US dollars, as the API's decimal string.
    pub hourly_rate: &'static str,
    /// The region codes the type is sold in; `None`: every region.
    pub regions: Option<&'static [&'static str]>,
}

const fn cpu(name: &'static str, cpus: u64, ram_mib: u64, hourly_rate: &'static str) -> TypeSpec {
    TypeSpec {
        name,
        cpus,
        ram_mib,
        gpu: "None",
        gpu_count: 0,
        gpu_memory_gib: None,
        hourly_rate,
        regions: None,
    }
}

/// A 2017 GPU type: 8 CPUs and 30 GiB, one GPU, sold everywhere.
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
        gpu_count: 1,
        gpu_memory_gib: Some(memory_gib),
        hourly_rate: rate,
        regions: None,
    }
}

/// A type sold since 2017: `count` GPUs of `memory_gib` each, `cpus` CPUs and `ram_gib` of
/// RAM, at `rate` an hour, in `regions`.
#[allow(clippy::too_many_arguments)]
const fn sold(
    name: &'static str,
    gpu: &'static str,
    count: u64,
    memory_gib: u64,
    cpus: u64,
    ram_gib: u64,
    rate: &'static str,
    regions: &'static [&'static str],
) -> TypeSpec {
    TypeSpec {
        name,
        cpus,
        ram_mib: ram_gib * 1024,
        gpu,
        gpu_count: count,
        gpu_memory_gib: Some(memory_gib),
        hourly_rate: rate,
        regions: Some(regions),
    }
}

/// Where the types sold since 2017 are sold: DigitalOcean's Paperspace availability table
/// (docs.digitalocean.com/products/paperspace/machines/details/availability; docs/v1.md,
/// "Requests"). A multi-GPU label is sold where its GPU is.
const EVERYWHERE: &[&str] = &["ny2", "ca1", "ams1"];
const NY2: &[&str] = &["ny2"];
const NY2_CA1: &[&str] = &["ny2", "ca1"];

#[rustfmt::skip]
static TYPES: &[TypeSpec] = &[
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
    // The types sold since. CPUs, RAM and prices: the skypilot-catalog's Paperspace table
    // (skypilot-org/skypilot-catalog@e520054:catalogs/v6/paperspace/vms.csv, and @2553cb4:
    // catalogs/v5/paperspace/vms.csv for the A100); RTX4000, RTX5000, A5000 and A6000, which
    // that table lacks, as Paperspace's price list had them (8 CPUs, 30 or 45 GiB). GPU
    // memory: NVIDIA's specifications of each card.
    sold("RTX4000", "Quadro RTX 4000", 1, 8, 8, 30, "0.56", EVERYWHERE),
    sold("RTX5000", "Quadro RTX 5000", 1, 16, 8, 30, "0.82", NY2),
    sold("A4000", "NVIDIA RTX A4000", 1, 16, 8, 32, "0.76", EVERYWHERE),
    sold("A4000x2", "NVIDIA RTX A4000", 2, 16, 16, 92, "1.52", EVERYWHERE),
    sold("A4000x4", "NVIDIA RTX A4000", 4, 16, 32, 193, "3.04", EVERYWHERE),
    sold("A5000", "NVIDIA RTX A5000", 1, 24, 8, 45, "1.38", NY2_CA1),
    sold("A6000", "NVIDIA RTX A6000", 1, 48, 8, 45, "1.89", NY2_CA1),
    sold("P4000x2", "Quadro P4000", 2, 8, 16, 64, "1.02", EVERYWHERE),
    sold("V100-32G", "Tesla V100-32GB", 1, 32, 8, 32, "2.30", NY2),
    sold("V100-32Gx2", "Tesla V100-32GB", 2, 32, 16, 64, "4.60", NY2),
    sold("V100-32Gx4", "Tesla V100-32GB", 4, 32, 32, 128, "9.20", NY2),
    sold("A100", "NVIDIA A100", 1, 40, 12, 80, "3.09", NY2),
    sold("A100-80G", "NVIDIA A100-80GB", 1, 80, 12, 80, "3.18", NY2),
    sold("A100-80Gx8", "NVIDIA A100-80GB", 8, 80, 96, 640, "25.44", NY2),
    sold("H100", "NVIDIA H100", 1, 80, 15, 80, "5.95", NY2),
    sold("H100x8", "NVIDIA H100", 8, 80, 128, 640, "47.60", NY2),
];

/// The spec of a machine type (exact, case-sensitive name: the legacy API, the state file).
pub(crate) fn spec(machine_type: &str) -> Option<&'static TypeSpec> {
    TYPES.iter().find(|spec| spec.name == machine_type)
}

/// The spec of a machine type named in any case, as v1 takes them (DigitalOcean's own example
/// creates an `a100-80g`; docs/v1.md, "Requests"; that the service accepts any case is
/// inferred).
pub(crate) fn spec_any_case(machine_type: &str) -> Option<&'static TypeSpec> {
    TYPES
        .iter()
        .find(|spec| spec.name.eq_ignore_ascii_case(machine_type))
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

    /// Whether the type is sold in `region` at all.
    pub(crate) fn sold_in(&self, region: &Region) -> bool {
        self.regions
            .is_none_or(|codes| codes.contains(&region.code))
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

/// Built-in availability before any override: a type is unavailable where it is not sold,
/// and the dedicated-GPU types the Amsterdam region never had are unavailable there;
/// everything else is available.
pub(crate) fn default_availability(region: &Region, spec: &TypeSpec) -> bool {
    spec.sold_in(region) && !(region.code == "ams1" && matches!(spec.name, "V100" | "P6000"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::known_machine_types;

    /// The vocabulary's type list and this table cannot drift apart.
    #[test]
    fn every_known_type_has_a_spec() {
        let names: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
        let known: Vec<&str> = known_machine_types().collect();
        assert_eq!(names, known);
        assert!(spec("p4000").is_none());
        assert_eq!(spec_any_case("a100-80g").map(|t| t.name), Some("A100-80G"));
        for t in TYPES {
            let multi = t.name.contains('x');
            assert_eq!(t.gpu_count > 1, multi, "{}", t.name);
            assert_eq!(t.gpu_count > 0, t.gpu_memory_gib.is_some(), "{}", t.name);
            let count = t
                .name
                .rsplit_once('x')
                .and_then(|(_, n)| n.parse::<u64>().ok());
            assert_eq!(
                count.unwrap_or(t.gpu_count.min(1)),
                t.gpu_count,
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn types_sold_since_are_where_the_availability_table_has_them() {
        let region = |code| Region::find(code).unwrap();
        let h100 = spec("H100x8").unwrap();
        assert!(h100.sold_in(region("ny2")) && !h100.sold_in(region("ams1")));
        assert!(!default_availability(region("ca1"), spec("A100").unwrap()));
        assert!(default_availability(region("ca1"), spec("A6000").unwrap()));
        assert!(!default_availability(
            region("ams1"),
            spec("A5000").unwrap()
        ));
        assert!(default_availability(
            region("ams1"),
            spec("RTX4000").unwrap()
        ));
        assert!(default_availability(region("ams1"), spec("C4").unwrap()));
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
