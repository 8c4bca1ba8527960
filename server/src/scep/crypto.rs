//! The algorithms SCEP messages use: digests, RSA PKCS #1 v1.5 signatures and
//! key transport, and the CBC content ciphers.

use super::oid;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode as _, Encode as _};
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::rand_core::{OsRng, RngCore as _};
use rsa::{Pkcs1v15Encrypt, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
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

/// The RSA public key of a subject public key info.
pub fn rsa_public_key(spki: &SubjectPublicKeyInfoOwned) -> Result<RsaPublicKey, String> {
    if spki.algorithm.oid != oid::RSA_ENCRYPTION {
        return Err(format!(
            "the public key is not an RSA key (algorithm {})",
            spki.algorithm.oid
        ));
    }
    RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
        .map_err(|e| format!("the RSA public key is malformed: {e}"))
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
    key.verify(digest.padding(), &digest.hash(data), signature)
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

/// Signs `data` with RSA PKCS #1 v1.5 over `digest`.
pub fn sign_rsa(key: &RsaPrivateKey, digest: Digest, data: &[u8]) -> Result<Vec<u8>, String> {
    key.sign(digest.padding(), &digest.hash(data))
        .map_err(|e| format!("RSA signing failed: {e}"))
}

/// Encrypts a content-encryption key to `key` (RSA PKCS #1 v1.5).
pub fn rsa_encrypt(key: &RsaPublicKey, cek: &[u8]) -> Result<Vec<u8>, String> {
    key.encrypt(&mut OsRng, Pkcs1v15Encrypt, cek)
        .map_err(|e| format!("RSA encryption failed: {e}"))
}

/// Decrypts a content-encryption key (RSA PKCS #1 v1.5).
pub fn rsa_decrypt(key: &RsaPrivateKey, encrypted: &[u8]) -> Option<Vec<u8>> {
    key.decrypt(Pkcs1v15Encrypt, encrypted).ok()
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
