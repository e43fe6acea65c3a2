//! Stored values: serde + bincode behind a format-version byte.
//!
//! Every value starts with [`VALUE_FORMAT`], so a later version can tell old
//! records from new ones (bincode has no field names: adding a field would
//! otherwise make old records undecodable). Decoding is bounded by a size
//! limit, because corrupt length prefixes could otherwise ask for terabytes,
//! and trailing bytes are an error. Nothing here panics on any input.

use crate::errcorrupt;
use crate::error::Result;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The format byte that prefixes every stored value written by this version.
pub const VALUE_FORMAT: u8 = 1;

/// The most bytes a decoded value may claim to hold.
const DECODE_LIMIT: usize = 16 * 1024 * 1024;

/// Encodes a value with its format byte.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![VALUE_FORMAT];
    // Encoding into a Vec only fails for types serde cannot describe, which
    // would be a programming error caught by every test that stores a value.
    bincode::serde::encode_into_std_write(value, &mut out, bincode::config::standard())
        .expect("stored types are always encodable");
    out
}

/// Decodes a value written by [`encode`]. `what` names it in errors.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let Some((&format, body)) = bytes.split_first() else {
        return Err(errcorrupt!("{what} is empty"));
    };
    if format != VALUE_FORMAT {
        return Err(errcorrupt!("{what} has unknown value format {format}"));
    }
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (value, used) =
        bincode::serde::decode_from_slice(body, config).map_err(|e| errcorrupt!("{what} does not decode: {e}"))?;
    if used != body.len() {
        return Err(errcorrupt!("{what} has {} trailing bytes", body.len() - used));
    }
    Ok(value)
}

/// Encodes a value without a format byte: a record inside a page, whose
/// format byte is the page's.
pub fn encode_body<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, bincode::config::standard()).expect("stored types are always encodable")
}

/// Decodes a value written by [`encode_body`], with the same size limit and
/// the same refusal of trailing bytes as [`decode`].
pub fn decode_body<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, config).map_err(|e| errcorrupt!("{what} does not decode: {e}"))?;
    if used != bytes.len() {
        return Err(errcorrupt!("{what} has {} trailing bytes", bytes.len() - used));
    }
    Ok(value)
}

/// Decodes the leading fields of a value written by [`encode_body`] into a
/// type that holds only those fields.
pub fn decode_body_head<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (value, _) =
        bincode::serde::decode_from_slice(bytes, config).map_err(|e| errcorrupt!("{what} does not decode: {e}"))?;
    Ok(value)
}

/// Decodes the leading fields of a value written by [`encode`] into a type
/// that holds only those fields, ignoring the bytes after them.
pub fn decode_head<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let Some((&format, body)) = bytes.split_first() else {
        return Err(errcorrupt!("{what} is empty"));
    };
    if format != VALUE_FORMAT {
        return Err(errcorrupt!("{what} has unknown value format {format}"));
    }
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (value, _) =
        bincode::serde::decode_from_slice(body, config).map_err(|e| errcorrupt!("{what} does not decode: {e}"))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        text: String,
        list: Vec<String>,
        n: u64,
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let s = Sample { text: "hello".into(), list: vec!["a".into()], n: 300 };
        let bytes = encode(&s);
        assert_eq!(decode::<Sample>(&bytes, "sample").unwrap(), s);

        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode::<Sample>(&trailing, "sample").unwrap_err().to_string().contains("trailing"));

        let mut wrong_format = bytes.clone();
        wrong_format[0] = 9;
        assert!(decode::<Sample>(&wrong_format, "sample").is_err());
        assert!(decode::<Sample>(&[], "sample").is_err());
        assert!(decode::<Sample>(&bytes[..bytes.len() - 1], "sample").is_err());
    }

    #[test]
    fn huge_length_prefix_is_an_error_not_an_abort() {
        // format byte, then a varint length of u64::MAX for the string.
        let bytes = [VALUE_FORMAT, 253, 255, 255, 255, 255, 255, 255, 255, 255];
        assert!(decode::<Sample>(&bytes, "sample").is_err());
    }

    #[test]
    fn every_flipped_bit_is_an_error_or_a_value() {
        let bytes = encode(&Sample { text: "héllo".into(), list: vec!["x".into(); 3], n: 1 << 40 });
        for i in 0..bytes.len() * 8 {
            let mut damaged = bytes.clone();
            damaged[i / 8] ^= 1 << (i % 8);
            let _ = decode::<Sample>(&damaged, "sample");
        }
    }
}
