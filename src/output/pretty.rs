//! Pretty-printing the server's JSON exactly: 2-space indent, `"key": value`, keys in the
//! server's order, every number's text copied as sent (no float round trip, no exponent
//! rewriting), strings re-escaped the way `JSON.stringify` does (UTF-8 as is, control
//! characters as `\u00XX`), so `| jq` pipelines written for the legacy CLI read the same.
//!
//! serde_json does the parsing and validation; `RawValue` hands us each value's exact text.

use indexmap::IndexMap;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Re-indent a JSON document. Fails only if `text` is not JSON.
pub fn pretty(text: &str) -> Result<String, serde_json::Error> {
    let root: &RawValue = serde_json::from_str(text)?;
    let mut out = Sink {
        buffer: String::with_capacity(text.len() + text.len() / 2 + 16),
        writer: None,
        failed: None,
    };
    write_value(root, 0, &mut out)?;
    out.push('\n');
    Ok(out.buffer)
}

/// Re-indent a JSON document straight into `writer`, a chunk at a time, so a list of
/// thousands of machines is never held twice in memory. A JSON error is returned as
/// `InvalidData`.
pub fn pretty_to(text: &str, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
    let invalid = |e: serde_json::Error| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let root: &RawValue = serde_json::from_str(text).map_err(invalid)?;
    let mut out = Sink {
        buffer: String::with_capacity(CHUNK + 4096),
        writer: Some(writer),
        failed: None,
    };
    write_value(root, 0, &mut out).map_err(invalid)?;
    out.push('\n');
    out.flush();
    match out.failed {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// How much output is gathered before it is handed to the writer.
const CHUNK: usize = 64 * 1024;

/// Where the pretty text goes: a string, or a writer fed in chunks. After a write error the
/// rest is dropped and the error kept (a closed pipe ends the output, not the program).
struct Sink<'a> {
    buffer: String,
    writer: Option<&'a mut dyn std::io::Write>,
    failed: Option<std::io::Error>,
}

impl Sink<'_> {
    fn push_str(&mut self, text: &str) {
        self.buffer.push_str(text);
        if self.buffer.len() >= CHUNK {
            self.flush();
        }
    }

    fn push(&mut self, ch: char) {
        self.buffer.push(ch);
    }

    fn flush(&mut self) {
        let Some(writer) = self.writer.as_mut() else {
            return;
        };
        if self.failed.is_none()
            && let Err(e) = writer.write_all(self.buffer.as_bytes())
        {
            self.failed = Some(e);
        }
        self.buffer.clear();
    }
}

fn indent(out: &mut Sink, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_string(raw: &str, out: &mut Sink) {
    // Decode then re-encode: `\u00fc` becomes `ü`, `\/` becomes `/`. A string serde_json will
    // not decode (a lone surrogate escape) is valid JSON all the same, so it is kept as sent.
    match serde_json::from_str::<Cow<str>>(raw) {
        Ok(decoded) => out.push_str(&serde_json::to_string(&decoded).expect("strings serialise")),
        Err(_) => out.push_str(raw),
    }
}

fn write_value(value: &RawValue, level: usize, out: &mut Sink) -> Result<(), serde_json::Error> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'{') => {
            // A key serde_json will not decode (a lone surrogate escape) is valid JSON all
            // the same: such an object is kept as sent, like such a string.
            let Ok(members) = serde_json::from_str::<IndexMap<Cow<str>, &RawValue>>(text) else {
                out.push_str(text);
                return Ok(());
            };
            if members.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push_str("{\n");
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                out.push_str(&serde_json::to_string(key.as_ref()).expect("strings serialise"));
                out.push_str(": ");
                write_value(member, level + 1, out)?;
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                write_value(item, level + 1, out)?;
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Some(b'"') => write_string(text, out),
        // Numbers, true, false, null: exactly as sent.
        _ => out.push_str(text),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text_and_keys_their_order() {
        let input = r#"{"z":1.0,"big":12345678901234567890,"rate":2.50,"exp":1e21,"E":1.5E-7,"neg":-0.0,"2":"two","1":"one"}"#;
        assert_eq!(
            pretty(input).unwrap(),
            "{\n  \"z\": 1.0,\n  \"big\": 12345678901234567890,\n  \"rate\": 2.50,\n  \"exp\": 1e21,\n  \"E\": 1.5E-7,\n  \"neg\": -0.0,\n  \"2\": \"two\",\n  \"1\": \"one\"\n}\n"
        );
    }

    #[test]
    fn strings_are_re_escaped_like_json_stringify() {
        let input = r#"["\u00fc\/<>&", "tab\tnl\n\u0001", "\"q\"\\", "\ud83d\ude00", "\ud800"]"#;
        assert_eq!(
            pretty(input).unwrap(),
            "[\n  \"ü/<>&\",\n  \"tab\\tnl\\n\\u0001\",\n  \"\\\"q\\\"\\\\\",\n  \"😀\",\n  \"\\ud800\"\n]\n"
        );
    }

    #[test]
    fn nesting_empty_containers_and_scalars() {
        assert_eq!(pretty("{}").unwrap(), "{}\n");
        assert_eq!(pretty(" [ ] ").unwrap(), "[]\n");
        assert_eq!(pretty("null").unwrap(), "null\n");
        assert_eq!(pretty("\"s\"").unwrap(), "\"s\"\n");
        assert_eq!(
            pretty(r#"{"a":[1,{"b":[]},{"c":{}}],"d":true}"#).unwrap(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    },\n    {\n      \"c\": {}\n    }\n  ],\n  \"d\": true\n}\n"
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
        assert_eq!(
            pretty(r#"{"a":1,"b":2,"a":3}"#).unwrap(),
            "{\n  \"a\": 3,\n  \"b\": 2\n}\n"
        );
    }

    #[test]
    fn an_object_with_a_key_serde_cannot_decode_is_kept_as_sent() {
        assert_eq!(
            pretty(r#"[{"\ud800":1}]"#).unwrap(),
            "[\n  {\"\\ud800\":1}\n]\n"
        );
    }

    #[test]
    fn streaming_gives_the_same_text_in_chunks() {
        let items: Vec<String> = (0..5000)
            .map(|i| format!(r#"{{"id":"ps{i}","n":1.50}}"#))
            .collect();
        let text = format!("[{}]", items.join(","));
        let mut streamed = Vec::new();
        pretty_to(&text, &mut streamed).unwrap();
        assert!(streamed.len() > CHUNK * 2);
        assert_eq!(String::from_utf8(streamed).unwrap(), pretty(&text).unwrap());
        let err = pretty_to("{oops", &mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn invalid_json_is_an_error() {
        for bad in ["", "not json{", "{\"a\":}", "[1,]", "{} x"] {
            assert!(pretty(bad).is_err(), "{bad}");
        }
    }
}
