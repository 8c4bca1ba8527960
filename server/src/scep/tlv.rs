//! Just enough BER/DER at the byte level to read what the DER decoder can't:
//! the exact signed bytes of a signer's attributes, and BER forms some
//! clients send (`envelope`).

/// One BER/DER TLV with a single-byte tag and a definite length: `(tag,
/// value, rest)`.
pub fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

pub fn put_tlv(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
}

/// The signed attributes of the only signer of a DER `ContentInfo` holding
/// a SignedData, exactly as sent, re-tagged as the SET that the signature
/// covers (RFC 5652 section 5.4). `None` if the structure isn't there.
pub fn signed_attributes(message: &[u8]) -> Option<Vec<u8>> {
    let (0x30, info, _) = tlv(message)? else {
        return None;
    };
    let (_, _, rest) = tlv(info)?;
    let (0xa0, explicit, _) = tlv(rest)? else {
        return None;
    };
    let (0x30, mut fields, _) = tlv(explicit)? else {
        return None;
    };
    // The last field of SignedData is signerInfos (SET).
    let mut signer_infos = None;
    while !fields.is_empty() {
        let (tag, value, rest) = tlv(fields)?;
        if tag == 0x31 {
            signer_infos = Some(value);
        }
        fields = rest;
    }
    let (0x30, mut signer, _) = tlv(signer_infos?)? else {
        return None;
    };
    while !signer.is_empty() {
        let (tag, value, rest) = tlv(signer)?;
        if tag == 0xa0 {
            let mut out = Vec::with_capacity(value.len() + 6);
            put_tlv(&mut out, 0x31, value);
            return Some(out);
        }
        signer = rest;
    }
    None
}
