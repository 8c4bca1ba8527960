//! SHA-256, HMAC-SHA256 and the SigV4 key derivation.

use hmac::digest::{Key, KeyInit};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// SHA-256's block size: HMAC keys up to it are zero-padded, longer ones
/// hashed first (RFC 2104).
const BLOCK: usize = 64;

/// `bytes` as lowercase hexadecimal, appended to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
}

/// The lowercase hexadecimal SHA-256 of `data` (SigV4's `HashedPayload`
/// and hashed canonical request).
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &Sha256::digest(data));
    out
}

/// HMAC-SHA256 of `data` under `key`.
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    // A key of exactly the block size: `KeyInit::new` cannot fail, unlike
    // `new_from_slice`, and HMAC pads shorter keys with zeros anyway.
    let mut mac = <HmacSha256 as KeyInit>::new(Key::<HmacSha256>::from_slice(&block));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A SigV4 signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date),
/// region), service), "aws4_request")`.
///
/// It depends on the secret, the date (`yyyyMMdd`), the region and the
/// service only, so a caller that signs many requests may derive it once
/// a day and keep it ([`signing_key`]). `Debug` never shows it.
#[derive(Clone)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// The signature of `string_to_sign` under this key, as lowercase
    /// hexadecimal (what goes in `Signature=`).
    pub fn sign(&self, string_to_sign: &[u8]) -> String {
        let mut out = String::with_capacity(64);
        push_hex(&mut out, &hmac(&self.0, string_to_sign));
        out
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(")?;
        f.write_str(crate::REDACTED)?;
        f.write_str(")")
    }
}

/// Derives the signing key for `secret_access_key` on `date` (`yyyyMMdd`,
/// the first eight characters of `X-Amz-Date`), in `region`, for `service`.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> SigningKey {
    // "AWS4" + secret, without allocating: secrets are 40 characters, so
    // this nearly always fits the HMAC block.
    let secret = secret_access_key.as_bytes();
    let k_date = if secret.len() + 4 <= BLOCK {
        let mut key = [0u8; BLOCK];
        key[..4].copy_from_slice(b"AWS4");
        key[4..4 + secret.len()].copy_from_slice(secret);
        hmac(&key[..4 + secret.len()], date.as_bytes())
    } else {
        let mut key = Vec::with_capacity(secret.len() + 4);
        key.extend_from_slice(b"AWS4");
        key.extend_from_slice(secret);
        hmac(&key, date.as_bytes())
    };
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    SigningKey(hmac(&k_service, b"aws4_request"))
}

/// Whether `a` and `b` are equal, in time that depends on their lengths
/// only.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        let mut out = String::new();
        push_hex(&mut out, bytes);
        out
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 1 (short key), 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // A key of exactly the block size.
        assert_eq!(hmac(&[7; 64], b"x"), {
            let mut mac = <HmacSha256 as Mac>::new_from_slice(&[7; 64]).unwrap();
            mac.update(b"x");
            <[u8; 32]>::from(mac.finalize().into_bytes())
        });
    }

    #[test]
    fn derives_the_documented_key() {
        // AWS's documentation example (secret, 20150830, us-east-1, iam).
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key.0),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
        assert_eq!(
            format!("{key:?}"),
            "SigningKey(*** Sensitive Data Redacted ***)"
        );
        // A secret too long for the block gives the same key as the
        // general computation.
        let long = "x".repeat(100);
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(format!("AWS4{long}").as_bytes()).unwrap();
        mac.update(b"20150830");
        let k_date: [u8; 32] = mac.finalize().into_bytes().into();
        let k_signing = hmac(&hmac(&hmac(&k_date, b"r"), b"s"), b"aws4_request");
        assert_eq!(signing_key(&long, "20150830", "r", "s").0, k_signing);
    }

    #[test]
    fn compares_in_constant_time() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
