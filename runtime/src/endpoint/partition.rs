//! `aws.partition`: which AWS partition a region is in, and that
//! partition's DNS suffixes and capabilities.
//!
//! The partition data is generated into each client crate as a
//! `&'static [PartitionEntry]` table; this module owns its types and the
//! lookup.

/// What `aws.partition` returns: a partition's outputs (possibly overridden
/// for one region).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition's name (`aws`, `aws-cn`, ...).
    pub name: &'static str,
    /// The default DNS suffix (`amazonaws.com`).
    pub dns_suffix: &'static str,
    /// The dual-stack DNS suffix (`api.aws`).
    pub dual_stack_dns_suffix: &'static str,
    /// Whether FIPS endpoints exist in the partition.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist in the partition.
    pub supports_dual_stack: bool,
    /// The region global (non-regional) services sign for (`us-east-1`);
    /// empty when the partition data gives none.
    pub implicit_global_region: &'static str,
}

/// One partition of the generated table.
#[derive(Debug)]
pub struct PartitionEntry {
    /// The partition's ID (`aws`, `aws-cn`, ...).
    pub id: &'static str,
    /// Whether a region name matches the partition's `regionRegex`
    /// (compiled by the generator).
    pub region_regex: fn(&str) -> bool,
    /// The partition's known regions with their outputs (the partition's
    /// outputs with the region's overrides applied), sorted by region name:
    /// they are binary-searched.
    pub regions: &'static [(&'static str, Partition)],
    /// The partition's outputs, for regions that are not listed but match
    /// `region_regex`, or that match nothing (for the `aws` partition).
    pub outputs: Partition,
}

/// `aws.partition`: the outputs for `region`.
///
/// A region listed in any partition gets that listing's outputs; otherwise
/// the first partition, in table order, whose regex matches the region
/// gives its outputs; otherwise the partition with ID `aws` does (as the
/// AWS SDKs do). `None` only when nothing matches and the table has no
/// `aws` partition. Does not allocate.
pub fn partition<'a>(table: &'a [PartitionEntry], region: &str) -> Option<&'a Partition> {
    table
        .iter()
        .find_map(|entry| {
            let i = entry
                .regions
                .binary_search_by(|(name, _)| (*name).cmp(region))
                .ok()?;
            entry.regions.get(i).map(|(_, outputs)| outputs)
        })
        .or_else(|| {
            table
                .iter()
                .find(|entry| (entry.region_regex)(region))
                .map(|entry| &entry.outputs)
        })
        .or_else(|| {
            table
                .iter()
                .find(|entry| entry.id == "aws")
                .map(|entry| &entry.outputs)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn outputs(name: &'static str, dns_suffix: &'static str, fips: bool) -> Partition {
        Partition {
            name,
            dns_suffix,
            dual_stack_dns_suffix: "api.aws",
            supports_fips: fips,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        }
    }

    // Deliberately broad: it also matches `us-gov-*`, so that table order
    // and exact listings are what decide.
    fn aws_regex(region: &str) -> bool {
        ["us-", "eu-", "ap-"].iter().any(|p| region.starts_with(p))
    }

    fn cn_regex(region: &str) -> bool {
        region.starts_with("cn-")
    }

    fn us_gov_regex(region: &str) -> bool {
        region.starts_with("us-gov-")
    }

    static AWS_OVERRIDE: Partition = outputs("aws", "amazonaws.com", false);

    static TABLE: &[PartitionEntry] = &[
        PartitionEntry {
            id: "aws",
            region_regex: aws_regex,
            regions: &[
                ("aws-global", outputs("aws", "amazonaws.com", true)),
                ("us-east-1", outputs("aws", "amazonaws.com", true)),
                ("us-west-2", AWS_OVERRIDE),
            ],
            outputs: outputs("aws", "amazonaws.com", true),
        },
        PartitionEntry {
            id: "aws-cn",
            region_regex: cn_regex,
            regions: &[("cn-north-1", outputs("aws-cn", "amazonaws.com.cn", true))],
            outputs: outputs("aws-cn", "amazonaws.com.cn", true),
        },
        PartitionEntry {
            id: "aws-us-gov",
            region_regex: us_gov_regex,
            regions: &[
                (
                    "aws-us-gov-global",
                    outputs("aws-us-gov", "amazonaws.com", true),
                ),
                (
                    "us-gov-west-1",
                    outputs("aws-us-gov", "amazonaws.com", true),
                ),
            ],
            outputs: outputs("aws-us-gov", "amazonaws.com", true),
        },
    ];

    fn name(region: &str) -> Option<&'static str> {
        partition(TABLE, region).map(|p| p.name)
    }

    #[test]
    fn known_regions_use_their_listing() {
        assert_eq!(name("us-east-1"), Some("aws"));
        assert_eq!(name("cn-north-1"), Some("aws-cn"));
        assert_eq!(name("aws-global"), Some("aws"));
        assert_eq!(partition(TABLE, "us-west-2"), Some(&AWS_OVERRIDE));
        assert!(!AWS_OVERRIDE.supports_fips);
        assert_eq!(
            partition(TABLE, "us-east-1").map(|p| p.supports_fips),
            Some(true)
        );
    }

    #[test]
    fn exact_match_beats_an_earlier_regex() {
        // `us-gov-west-1` matches the `aws` regex, which comes first, but it
        // is listed in `aws-us-gov`.
        assert!(aws_regex("us-gov-west-1"));
        assert_eq!(name("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(name("aws-us-gov-global"), Some("aws-us-gov"));
    }

    #[test]
    fn regex_in_table_order() {
        // Unlisted: the first matching regex, in table order, decides.
        assert_eq!(name("us-gov-east-1"), Some("aws"));
        assert_eq!(name("eu-central-9"), Some("aws"));
        assert_eq!(partition(TABLE, "eu-central-9"), Some(&TABLE[0].outputs));
        assert_eq!(name("cn-northwest-1"), Some("aws-cn"));
        let gov_first = [
            PartitionEntry {
                id: "aws-us-gov",
                region_regex: us_gov_regex,
                regions: &[],
                outputs: outputs("aws-us-gov", "amazonaws.com", true),
            },
            PartitionEntry {
                id: "aws",
                region_regex: aws_regex,
                regions: &[],
                outputs: outputs("aws", "amazonaws.com", true),
            },
        ];
        let name = |region| partition(&gov_first, region).map(|p| p.name);
        assert_eq!(name("us-gov-east-1"), Some("aws-us-gov"));
        assert_eq!(name("us-east-1"), Some("aws"));
        assert_eq!(name("cn-north-1"), Some("aws"));
    }

    #[test]
    fn falls_back_to_aws() {
        assert_eq!(name("mars-east-1"), Some("aws"));
        assert_eq!(name(""), Some("aws"));
        assert_eq!(name("US-EAST-1"), Some("aws"));
        assert_eq!(partition(TABLE, "mars-east-1"), Some(&TABLE[0].outputs));
        // Without an `aws` partition, nothing.
        assert_eq!(partition(&TABLE[1..], "mars-east-1"), None);
        assert_eq!(
            partition(&TABLE[1..], "cn-north-1").map(|p| p.name),
            Some("aws-cn")
        );
        assert_eq!(partition(&[], "us-east-1"), None);
    }

    #[test]
    fn test_table_is_sorted() {
        for entry in TABLE {
            assert!(
                entry.regions.windows(2).all(|w| w[0].0 < w[1].0),
                "{}",
                entry.id
            );
        }
    }
}
