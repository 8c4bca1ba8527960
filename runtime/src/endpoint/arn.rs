//! `aws.parseArn`: an Amazon Resource Name split into its parts.

/// The parts of an ARN (`arn:partition:service:region:account-id:resource`),
/// borrowed from the parsed string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// The partition (`aws`, `aws-cn`, ...); never empty.
    pub partition: &'a str,
    /// The service namespace (`s3`, `sns`, ...); never empty.
    pub service: &'a str,
    /// The region; empty for resources that are not regional.
    pub region: &'a str,
    /// The account ID; empty for resources that are not in an account.
    pub account_id: &'a str,
    /// The resource part split on every `:` and `/`, empty pieces kept
    /// (`vpc/vpc-0e98` is `["vpc", "vpc-0e98"]`, `a//b` is `["a", "", "b"]`);
    /// never empty.
    pub resource_id: Vec<&'a str>,
}

/// `aws.parseArn`: splits `value` into an [`Arn`].
///
/// `value` is split on its first five `:`; `None` when there are fewer than
/// five, when the first part is not exactly `arn`, or when the partition,
/// the service or the resource (everything after the fifth `:`) is empty.
/// The region and account ID may be empty; nothing else is validated.
pub fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    let (prefix, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn<'a>(
        partition: &'a str,
        service: &'a str,
        region: &'a str,
        account_id: &'a str,
        resource_id: &[&'a str],
    ) -> Option<Arn<'a>> {
        Some(Arn {
            partition,
            service,
            region,
            account_id,
            resource_id: resource_id.to_vec(),
        })
    }

    #[test]
    fn spec_examples() {
        assert_eq!(
            parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name"),
            arn(
                "aws",
                "sns",
                "us-west-2",
                "012345678910",
                &["example-sns-topic-name"]
            )
        );
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        assert_eq!(
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"),
            arn(
                "aws",
                "ec2",
                "us-east-1",
                "012345678910",
                &["vpc", "vpc-0e9801d129EXAMPLE"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:iam::012345678910:user/johndoe"),
            arn("aws", "iam", "", "012345678910", &["user", "johndoe"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:::bucket_name"),
            arn("aws", "s3", "", "", &["bucket_name"])
        );
    }

    #[test]
    fn resource_split_on_colons_and_slashes() {
        assert_eq!(
            parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
            arn(
                "aws",
                "s3",
                "us-west-2",
                "123456789012",
                &["accesspoint", "myendpoint"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws-cn:s3-outposts:cn-north-1:1:outpost/op-01/accesspoint:ap"),
            arn(
                "aws-cn",
                "s3-outposts",
                "cn-north-1",
                "1",
                &["outpost", "op-01", "accesspoint", "ap"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:s3:::a//b:"),
            arn("aws", "s3", "", "", &["a", "", "b", ""])
        );
    }

    #[test]
    fn invalid_arns() {
        for bad in [
            "",
            "arn",
            "arn:",
            "arn:aws:s3:us-east-1:123",
            "arn:aws:s3:us-east-1:123:",
            "arn::s3:us-east-1:123:res",
            "arn:aws::us-east-1:123:res",
            "ARN:aws:s3:us-east-1:123:res",
            "arnx:aws:s3:us-east-1:123:res",
            " arn:aws:s3:us-east-1:123:res",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad:?} should be invalid");
        }
        // Only partition, service and resource must be non-empty.
        assert_eq!(parse_arn("arn:a:b:::c"), arn("a", "b", "", "", &["c"]));
    }
}
