//! Argument parsing: the input, split on NUL or newline, is argv after the program name.
//! `cli::parse` must never panic; its errors are usage errors (exit code 2); every parsed
//! machines command builds a request under /machines/ whose path no value can bend.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paperspace::api::legacy::build_request;
use paperspace::cli::{Parsed, parse};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

fuzz_target!(|data: &[u8]| {
    let mut argv = vec![OsString::from("paperspace")];
    argv.extend(
        data.split(|&b| b == 0 || b == b'\n')
            .map(|token| OsString::from_vec(token.to_vec())),
    );
    // `--optionsFile` reads a file: only ever one that does not exist.
    for token in argv.iter_mut() {
        let bytes = token.as_encoded_bytes();
        let names_file = [&b"--optionsFile"[..], b"--options-file"]
            .iter()
            .any(|flag| bytes.starts_with(flag));
        if names_file {
            *token = OsString::from("--optionsFile=/nonexistent/paperspace-fuzz/options.json");
        }
    }
    match parse(argv) {
        Ok(Parsed::Api { invocations, .. }) => {
            assert!(!invocations.is_empty());
            for invocation in &invocations {
                let request = build_request(invocation);
                let path = &request.path;
                assert!(path.starts_with("/machines/"), "{path}");
                assert!(!path.contains([' ', '?', '#']), "{path}");
                assert!(path.split('/').all(|s| s != "." && s != ".."), "{path}");
                let _ = request.path_and_query();
                let _ = request.body_text();
            }
        }
        Ok(_) => {}
        Err(error) => assert_eq!(error.exit_code(), 2, "{error:?}"),
    }
});
