//! The algorithms SCEP messages use: digests, RSA PKCS #1 v1.5 signatures and
//! key transport, and the CBC content ciphers.
//!
//! RSA goes through aws-lc-rs (AWS-LC's assembly-backed arithmetic: a
//! private-key operation is several times faster than with the pure-Rust
//! `rsa` crate, and an enrollment needs three). `rsa` remains only where
//! aws-lc-rs has no operation: SHA-1 signatures, and keys under 2048 bits
//! (1024 for verification).

use super::oid;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode as _, Encode as _};
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::rand_core::{OsRng, RngCore as _};
use rsa::{Pkcs1v15Encrypt, Pkcs1v15Sign, RsaPrivateKey};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// A message digest algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digest {
    /// SHA-1 (still the default of older clients).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl Digest {
    /// The algorithm named by `oid`, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            oid::SHA1 => Some(Self::Sha1),
            oid::SHA256 => Some(Self::Sha256),
            oid::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Its object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => oid::SHA1,
            Self::Sha256 => oid::SHA256,
            Self::Sha512 => oid::SHA512,
        }
    }

    /// The algorithm identifier (parameters absent, as RFC 5754 prefers).
    pub fn algorithm(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The digest of `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn padding(self) -> Pkcs1v15Sign {
        match self {
            Self::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Self::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Self::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    /// The `<digest>WithRSAEncryption` signature algorithm.
    pub fn rsa_signature_algorithm(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: match self {
                Self::Sha1 => oid::SHA1_WITH_RSA,
                Self::Sha256 => oid::SHA256_WITH_RSA,
                Self::Sha512 => oid::SHA512_WITH_RSA,
            },
            parameters: Some(Any::null()),
        }
    }
}

/// An RSA public key (PKCS #1 `RSAPublicKey` DER), as read from a subject
/// public key info.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPublicKey {
    pkcs1: Vec<u8>,
    spki: Vec<u8>,
    bits: usize,
}

/// PKCS #1 `RSAPublicKey`, read only to check its form and size.
#[derive(der::Sequence)]
struct Pkcs1PublicKey<'a> {
    modulus: der::asn1::UintRef<'a>,
    public_exponent: der::asn1::UintRef<'a>,
}

impl RsaPublicKey {
    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The `rsa` crate's form of the key, for what aws-lc-rs refuses
    /// (keys under 1024 bits for signatures, under 2048 for encryption).
    fn rustcrypto(&self) -> Result<rsa::RsaPublicKey, String> {
        rsa::RsaPublicKey::from_pkcs1_der(&self.pkcs1)
            .map_err(|e| format!("the RSA public key is malformed: {e}"))
    }
}

/// The RSA public key of a subject public key info.
pub fn rsa_public_key(spki: &SubjectPublicKeyInfoOwned) -> Result<RsaPublicKey, String> {
    if spki.algorithm.oid != oid::RSA_ENCRYPTION {
        return Err(format!(
            "the public key is not an RSA key (algorithm {})",
            spki.algorithm.oid
        ));
    }
    let pkcs1 = spki.subject_public_key.raw_bytes();
    let parsed = Pkcs1PublicKey::from_der(pkcs1)
        .map_err(|e| format!("the RSA public key is malformed: {e}"))?;
    let modulus = parsed.modulus.as_bytes();
    let exponent = parsed.public_exponent.as_bytes();
    // What the `rsa` crate checked before: an odd modulus and an exponent
    // of at least 3.
    if modulus.last().is_none_or(|b| b & 1 == 0)
        || exponent.is_empty()
        || (exponent.len() == 1 && exponent[0] < 3)
    {
        return Err("the RSA public key is malformed: bad modulus or exponent".into());
    }
    let bits = (modulus.len() - 1) * 8 + (8 - modulus[0].leading_zeros() as usize);
    Ok(RsaPublicKey {
        pkcs1: pkcs1.to_vec(),
        spki: spki
            .to_der()
            .map_err(|e| format!("the RSA public key is malformed: {e}"))?,
        bits,
    })
}

/// Checks an RSA PKCS #1 v1.5 signature over `data`. `signature_algorithm`
/// is `rsaEncryption` (CMS: the digest is `digest`) or `<hash>WithRSA`, which
/// must name the same digest.
pub fn verify_rsa(
    key: &RsaPublicKey,
    signature_algorithm: &ObjectIdentifier,
    digest: Digest,
    data: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    use aws_lc_rs::signature as sig;
    let named = match *signature_algorithm {
        oid::RSA_ENCRYPTION => digest,
        oid::SHA1_WITH_RSA => Digest::Sha1,
        oid::SHA256_WITH_RSA => Digest::Sha256,
        oid::SHA512_WITH_RSA => Digest::Sha512,
        _ => return Err(SignatureError::Algorithm),
    };
    if named != digest {
        return Err(SignatureError::Algorithm);
    }
    if key.bits < 1024 {
        // aws-lc-rs verifies keys of 1024 bits and more only.
        let key = key.rustcrypto().map_err(|_| SignatureError::Invalid)?;
        return key
            .verify(digest.padding(), &digest.hash(data), signature)
            .map_err(|_| SignatureError::Invalid);
    }
    let algorithm = match digest {
        Digest::Sha1 => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        Digest::Sha256 => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        Digest::Sha512 => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
    };
    sig::UnparsedPublicKey::new(algorithm, &key.pkcs1)
        .verify(data, signature)
        .map_err(|_| SignatureError::Invalid)
}

/// Why a signature was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// An algorithm this server does not implement.
    Algorithm,
    /// The signature does not verify.
    Invalid,
}

/// An RSA private key, parsed once: aws-lc-rs signs and decrypts with it.
/// The `rsa` crate takes over only what aws-lc-rs has no operation for:
/// SHA-1 signatures (replies to clients that sign with SHA-1), and keys
/// under 2048 bits (the tests' devices). Cloning shares the parsed key.
/// `Debug` shows the size only.
#[derive(Clone)]
pub struct PrivateKey(std::sync::Arc<KeyInner>);

struct KeyInner {
    /// PKCS #8 DER, for the `rsa` fallback and the store.
    pkcs8: Vec<u8>,
    /// `None` for keys aws-lc-rs refuses (under 2048 bits).
    aws: Option<(
        aws_lc_rs::rsa::KeyPair,
        aws_lc_rs::rsa::Pkcs1PrivateDecryptingKey,
    )>,
    rustcrypto: std::sync::OnceLock<Result<RsaPrivateKey, String>>,
    public_key: SubjectPublicKeyInfoOwned,
    bits: usize,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(RSA-{}, redacted)", self.0.bits)
    }
}

impl PrivateKey {
    /// A new key of `bits` bits: aws-lc-rs for 2048, 3072, 4096 and 8192,
    /// the `rsa` crate for other sizes.
    pub fn generate(bits: usize) -> Result<Self, String> {
        use aws_lc_rs::encoding::AsDer as _;
        use aws_lc_rs::rsa::KeySize;
        let size = match bits {
            2048 => Some(KeySize::Rsa2048),
            3072 => Some(KeySize::Rsa3072),
            4096 => Some(KeySize::Rsa4096),
            8192 => Some(KeySize::Rsa8192),
            _ => None,
        };
        let pkcs8 = match size {
            Some(size) => aws_lc_rs::rsa::KeyPair::generate(size)
                .and_then(|k| k.as_der())
                .map_err(|_| "cannot generate an RSA key".to_owned())?
                .as_ref()
                .to_vec(),
            None => {
                use rsa::pkcs8::EncodePrivateKey as _;
                RsaPrivateKey::new(&mut OsRng, bits)
                    .map_err(|e| format!("cannot generate an RSA key: {e}"))?
                    .to_pkcs8_der()
                    .map_err(|e| format!("cannot encode an RSA key: {e}"))?
                    .as_bytes()
                    .to_vec()
            }
        };
        Self::from_pkcs8(&pkcs8)
    }

    /// The key in PKCS #8 DER. The error never shows the key.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, String> {
        use aws_lc_rs::encoding::AsDer as _;
        use aws_lc_rs::signature::KeyPair as _;
        let aws = match aws_lc_rs::rsa::KeyPair::from_pkcs8(pkcs8) {
            Ok(pair) => {
                let decrypting = aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(pkcs8)
                    .ok()
                    .and_then(|k| aws_lc_rs::rsa::Pkcs1PrivateDecryptingKey::new(k).ok())
                    .ok_or("the RSA private key is unreadable")?;
                Some((pair, decrypting))
            }
            Err(_) => None,
        };
        let (public_key, rustcrypto) = match &aws {
            Some((pair, _)) => {
                let der = pair
                    .public_key()
                    .as_der()
                    .map_err(|_| "cannot encode the RSA public key")?;
                let spki = SubjectPublicKeyInfoOwned::from_der(der.as_ref())
                    .map_err(|e| format!("cannot encode the RSA public key: {e}"))?;
                (spki, std::sync::OnceLock::new())
            }
            None => {
                use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
                let key = RsaPrivateKey::from_pkcs8_der(pkcs8)
                    .map_err(|_| "the RSA private key is unreadable".to_owned())?;
                let der = key
                    .to_public_key()
                    .to_public_key_der()
                    .map_err(|e| format!("cannot encode the RSA public key: {e}"))?;
                let spki = SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
                    .map_err(|e| format!("cannot encode the RSA public key: {e}"))?;
                (spki, std::sync::OnceLock::from(Ok(key)))
            }
        };
        let bits = rsa_public_key(&public_key)?.bits;
        Ok(Self(std::sync::Arc::new(KeyInner {
            pkcs8: pkcs8.to_vec(),
            aws,
            rustcrypto,
            public_key,
            bits,
        })))
    }

    /// The key as PKCS #8 DER (to store it).
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.0.pkcs8
    }

    /// Its public key.
    pub fn public_key_info(&self) -> &SubjectPublicKeyInfoOwned {
        &self.0.public_key
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.0.bits
    }

    /// The `rsa` crate's form of the key, parsed on first use.
    pub fn rustcrypto(&self) -> Result<&RsaPrivateKey, String> {
        self.0
            .rustcrypto
            .get_or_init(|| {
                use rsa::pkcs8::DecodePrivateKey as _;
                RsaPrivateKey::from_pkcs8_der(&self.0.pkcs8)
                    .map_err(|_| "the RSA private key is unreadable".to_owned())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Signs `data` with RSA PKCS #1 v1.5 over `digest`.
    pub fn sign(&self, digest: Digest, data: &[u8]) -> Result<Vec<u8>, String> {
        use aws_lc_rs::signature as sig;
        let encoding: Option<&'static dyn sig::RsaEncoding> = match digest {
            Digest::Sha256 => Some(&sig::RSA_PKCS1_SHA256),
            Digest::Sha512 => Some(&sig::RSA_PKCS1_SHA512),
            // aws-lc-rs signs with SHA-256 and up only.
            Digest::Sha1 => None,
        };
        match (&self.0.aws, encoding) {
            (Some((pair, _)), Some(encoding)) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(
                    encoding,
                    &aws_lc_rs::rand::SystemRandom::new(),
                    data,
                    &mut signature,
                )
                .map_err(|_| "RSA signing failed".to_owned())?;
                Ok(signature)
            }
            _ => self
                .rustcrypto()?
                .sign(digest.padding(), &digest.hash(data))
                .map_err(|e| format!("RSA signing failed: {e}")),
        }
    }

    /// Decrypts a content-encryption key (RSA PKCS #1 v1.5). `None` for any
    /// failure, whatever it was: a padding error and a wrong length look the
    /// same to the caller, which answers both as it answers a content that
    /// does not decrypt (no padding oracle in the replies).
    pub fn decrypt(&self, encrypted: &[u8]) -> Option<Vec<u8>> {
        match &self.0.aws {
            Some((_, decrypting)) => {
                let mut out = vec![0; decrypting.min_output_size()];
                let n = decrypting.decrypt(encrypted, &mut out).ok()?.len();
                out.truncate(n);
                Some(out)
            }
            None => self
                .rustcrypto()
                .ok()?
                .decrypt(Pkcs1v15Encrypt, encrypted)
                .ok(),
        }
    }
}

/// Signs `data` with RSA PKCS #1 v1.5 over `digest`.
pub fn sign_rsa(key: &PrivateKey, digest: Digest, data: &[u8]) -> Result<Vec<u8>, String> {
    key.sign(digest, data)
}

/// Encrypts a content-encryption key to `key` (RSA PKCS #1 v1.5).
pub fn rsa_encrypt(key: &RsaPublicKey, cek: &[u8]) -> Result<Vec<u8>, String> {
    if (2048..=8192).contains(&key.bits) {
        use aws_lc_rs::rsa::{Pkcs1PublicEncryptingKey, PublicEncryptingKey};
        let public = PublicEncryptingKey::from_der(&key.spki)
            .ok()
            .and_then(|k| Pkcs1PublicEncryptingKey::new(k).ok())
            .ok_or("RSA encryption failed: the key is not usable")?;
        let mut out = vec![0; public.ciphertext_size()];
        let n = public
            .encrypt(cek, &mut out)
            .map_err(|_| "RSA encryption failed".to_owned())?
            .len();
        out.truncate(n);
        return Ok(out);
    }
    // aws-lc-rs encrypts to keys of 2048 to 8192 bits only.
    key.rustcrypto()?
        .encrypt(&mut OsRng, Pkcs1v15Encrypt, cek)
        .map_err(|e| format!("RSA encryption failed: {e}"))
}

/// Decrypts a content-encryption key (RSA PKCS #1 v1.5).
pub fn rsa_decrypt(key: &PrivateKey, encrypted: &[u8]) -> Option<Vec<u8>> {
    key.decrypt(encrypted)
}

/// A CBC content-encryption algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cipher {
    /// AES-128-CBC.
    Aes128,
    /// AES-192-CBC.
    Aes192,
    /// AES-256-CBC.
    Aes256,
    /// DES-EDE3-CBC.
    Des3,
    /// DES-CBC (single DES: what some deployed clients still send).
    Des,
}

impl Cipher {
    /// The algorithm named by `oid`, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            oid::AES128_CBC => Some(Self::Aes128),
            oid::AES192_CBC => Some(Self::Aes192),
            oid::AES256_CBC => Some(Self::Aes256),
            oid::DES_EDE3_CBC => Some(Self::Des3),
            oid::DES_CBC => Some(Self::Des),
            _ => None,
        }
    }

    fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Aes128 => oid::AES128_CBC,
            Self::Aes192 => oid::AES192_CBC,
            Self::Aes256 => oid::AES256_CBC,
            Self::Des3 => oid::DES_EDE3_CBC,
            Self::Des => oid::DES_CBC,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
            Self::Des3 => 24,
            Self::Des => 8,
        }
    }

    fn block_len(self) -> usize {
        match self {
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
            Self::Des3 | Self::Des => 8,
        }
    }

    /// Decrypts `ciphertext` with the algorithm identifier's IV (an OCTET
    /// STRING parameter). `None` when the key, IV or padding are wrong.
    pub fn decrypt(
        self,
        parameters: Option<&Any>,
        key: &[u8],
        ciphertext: &[u8],
    ) -> Option<Vec<u8>> {
        let iv = OctetString::from_der(&parameters?.to_der().ok()?).ok()?;
        let iv = iv.as_bytes();
        if key.len() != self.key_len() || iv.len() != self.block_len() {
            return None;
        }
        match self {
            Self::Aes128 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            Self::Aes192 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            Self::Aes256 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            Self::Des3 => cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            Self::Des => cbc::Decryptor::<des::Des>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
        }
    }

    /// Encrypts `plaintext` under a fresh random key and IV: `(key,
    /// algorithm identifier with the IV, ciphertext)`.
    pub fn encrypt(self, plaintext: &[u8]) -> (Vec<u8>, AlgorithmIdentifierOwned, Vec<u8>) {
        let mut key = vec![0u8; self.key_len()];
        let mut iv = vec![0u8; self.block_len()];
        OsRng.fill_bytes(&mut key);
        OsRng.fill_bytes(&mut iv);
        let ciphertext = match self {
            Self::Aes128 => cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
                .expect("key and IV lengths match the cipher")
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
            Self::Aes192 => cbc::Encryptor::<aes::Aes192>::new_from_slices(&key, &iv)
                .expect("key and IV lengths match the cipher")
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
            Self::Aes256 => cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
                .expect("key and IV lengths match the cipher")
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
            Self::Des3 => cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .expect("key and IV lengths match the cipher")
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
            Self::Des => cbc::Encryptor::<des::Des>::new_from_slices(&key, &iv)
                .expect("key and IV lengths match the cipher")
                .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        };
        let iv = Any::new(der::Tag::OctetString, iv).expect("an IV is a valid OCTET STRING");
        let algorithm = AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: Some(iv),
        };
        (key, algorithm, ciphertext)
    }
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    OsRng.fill_bytes(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(key: &PrivateKey) -> RsaPublicKey {
        rsa_public_key(key.public_key_info()).unwrap()
    }

    #[test]
    fn a_key_stored_by_the_rsa_crate_loads_into_aws_lc_rs() {
        // CA keys stored before aws-lc-rs came in are the `rsa` crate's
        // PKCS #8; they must take the fast path.
        use rsa::pkcs8::EncodePrivateKey as _;
        let old = RsaPrivateKey::new(&mut OsRng, 2048).unwrap();
        let key = PrivateKey::from_pkcs8(old.to_pkcs8_der().unwrap().as_bytes()).unwrap();
        assert!(key.0.aws.is_some());
        assert_eq!(key.bits(), 2048);
        for digest in [Digest::Sha1, Digest::Sha256, Digest::Sha512] {
            let signature = key.sign(digest, b"data").unwrap();
            // The `rsa` crate's own signature is the same (PKCS #1 v1.5 is
            // deterministic).
            let theirs = old.sign(digest.padding(), &digest.hash(b"data")).unwrap();
            assert_eq!(signature, theirs, "{digest:?}");
            let algorithm = oid::RSA_ENCRYPTION;
            assert_eq!(
                verify_rsa(&public(&key), &algorithm, digest, b"data", &signature),
                Ok(())
            );
            assert_eq!(
                verify_rsa(&public(&key), &algorithm, digest, b"other", &signature),
                Err(SignatureError::Invalid)
            );
        }
        let encrypted = rsa_encrypt(&public(&key), b"sixteen byte key").unwrap();
        assert_eq!(
            key.decrypt(&encrypted).as_deref(),
            Some(&b"sixteen byte key"[..])
        );
        // A ciphertext that doesn't decrypt is just `None`.
        let mut bad = encrypted.clone();
        bad[0] ^= 1;
        assert_eq!(key.decrypt(&bad), None);
        assert_eq!(key.decrypt(&encrypted[1..]), None);
    }

    #[test]
    fn small_keys_use_the_rsa_crate_and_debug_shows_no_key() {
        let key = PrivateKey::generate(1024).unwrap();
        assert!(key.0.aws.is_none());
        let signature = key.sign(Digest::Sha256, b"data").unwrap();
        let algorithm = oid::SHA256_WITH_RSA;
        assert_eq!(
            verify_rsa(
                &public(&key),
                &algorithm,
                Digest::Sha256,
                b"data",
                &signature
            ),
            Ok(())
        );
        let encrypted = rsa_encrypt(&public(&key), b"k").unwrap();
        assert_eq!(key.decrypt(&encrypted).as_deref(), Some(&b"k"[..]));
        assert_eq!(format!("{key:?}"), "PrivateKey(RSA-1024, redacted)");
    }
}
