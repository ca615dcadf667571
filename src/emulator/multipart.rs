//! Just enough `multipart/form-data` (RFC 7578) to read the file the legacy CLI uploads with
//! `scripts create --scriptFile`: one part named `file`, its bytes and file name (the other
//! parameters travel in the query string: docs/compatibility.md keeps the legacy wire).

use super::http::ApiError;

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let media = params.next()?.trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|i| i + from)
}

/// A header parameter (`name="file"`) of a `Content-Disposition` line.
fn disposition_param(line: &str, key: &str) -> Option<String> {
    line.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn malformed() -> ApiError {
    ApiError::bad_request("Malformed multipart/form-data body")
}

/// The parts of `body`, delimited by `boundary`.
pub(crate) fn parts(body: &[u8], boundary: &str) -> Result<Vec<Part>, ApiError> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or_else(malformed)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        at += 2; // CRLF after the delimiter
        let headers_end = find(body, b"\r\n\r\n", at).ok_or_else(malformed)?;
        let headers = String::from_utf8_lossy(&body[at..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let next = [b"\r\n".as_slice(), &delimiter].concat();
        let content_end = find(body, &next, content_start).ok_or_else(malformed)?;
        let disposition = headers
            .lines()
            .find(|line| {
                line.to_ascii_lowercase()
                    .starts_with("content-disposition:")
            })
            .ok_or_else(malformed)?;
        parts.push(Part {
            name: disposition_param(disposition, "name").ok_or_else(malformed)?,
            filename: disposition_param(disposition, "filename"),
            content: body[content_start..content_end].to_vec(),
        });
        at = content_end + next.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_legacy_clis_upload() {
        let boundary = "--------------------------06dd5c9c16dc8aad89ca0a07";
        let content_type = format!("multipart/form-data; boundary={boundary}");
        assert_eq!(super::boundary(&content_type).as_deref(), Some(boundary));
        assert_eq!(super::boundary("application/json"), None);
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my script.sh\"\r\n\
             Content-Type: application/x-sh\r\n\r\n#!/bin/bash\r\necho hi\n\r\n--{boundary}--\r\n"
        );
        let parts = parts(body.as_bytes(), boundary).unwrap();
        assert_eq!(
            parts,
            [Part {
                name: "file".into(),
                filename: Some("my script.sh".into()),
                content: b"#!/bin/bash\r\necho hi\n".to_vec(),
            }]
        );
        let empty = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\n--{boundary}--\r\n"
        );
        let parts = super::parts(empty.as_bytes(), boundary).unwrap();
        assert_eq!(parts[0].filename, None);
        assert!(parts[0].content.is_empty());
        assert!(super::parts(b"garbage", boundary).is_err());
    }
}
