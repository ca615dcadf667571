//! Command lines a user can paste back into a shell: a request as curl (`--dry-run`), the
//! command that shows what became of a request whose answer was lost, and the demo's steps.

use crate::api::request::{ApiRequest, Auth, OutcomeCheck};
use crate::api::spec::Check;

/// Quote a word for a POSIX shell, only when it needs it.
pub(crate) fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The request as a curl command line. The key is left to the shell as `$PAPERSPACE_API_KEY`,
/// so the line can be shared and pasted.
pub fn curl_line(request: &ApiRequest, base_url: &str) -> String {
    let url = shell_quote(&format!("{base_url}{}", request.path_and_query()));
    let key = match request.auth {
        Auth::ApiKeyHeader => r#"-H "X-Api-Key: $PAPERSPACE_API_KEY""#,
        Auth::Bearer => r#"-H "Authorization: Bearer $PAPERSPACE_API_KEY""#,
    };
    let method = request.method.as_str();
    if let Some(upload) = &request.upload {
        let part = format!(
            "{}=@{};type={}",
            upload.field, upload.path, upload.content_type
        );
        return format!("curl -X {method} {url} {key} -F {}", shell_quote(&part));
    }
    match request.body_text() {
        Some(body) => format!(
            "curl -X {method} {url} {key} -H 'Content-Type: application/json' --data-raw {}",
            shell_quote(&body)
        ),
        None => format!("curl -X {method} {url} {key}"),
    }
}

/// The command that shows whether a request whose answer was lost took effect.
pub(crate) fn check_command(check: &OutcomeCheck) -> String {
    let Check {
        command,
        flag,
        fallback,
        ..
    } = check.check;
    match check.subject.as_str() {
        "" => format!("paperspace {fallback}"),
        value => format!("paperspace {command} --{flag} {}", shell_quote(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::legacy::request_of;
    use crate::api::request::Retry;
    use crate::test_support::invocation;

    fn build(cmd: &str, args: &[(&str, &str)]) -> ApiRequest {
        request_of(&invocation(cmd, args))
    }

    #[test]
    fn quoted_words_survive_a_shell() {
        assert_eq!(shell_quote("ny2"), "ny2");
        assert_eq!(shell_quote("East Coast (NY2)"), "'East Coast (NY2)'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn dry_run_prints_a_curl_command_that_leaves_the_key_to_the_shell() {
        let req = build("update", &[("machineId", "ps1"), ("machineName", "it's")]);
        assert_eq!(
            curl_line(&req, "https://api.paperspace.io"),
            r#"curl -X POST https://api.paperspace.io/machines/ps1/updateMachinePublic -H "X-Api-Key: $PAPERSPACE_API_KEY" -H 'Content-Type: application/json' --data-raw '{"machineId":"ps1","machineName":"it'\''s"}'"#
        );
        let req = build("list", &[("name", "a b")]);
        assert_eq!(
            curl_line(&req, "http://127.0.0.1:8080"),
            r#"curl -X GET 'http://127.0.0.1:8080/machines/getMachines?name=a%20b' -H "X-Api-Key: $PAPERSPACE_API_KEY""#
        );
    }

    #[test]
    fn a_lost_answer_says_how_to_check_the_outcome() {
        let check = |req: ApiRequest| match req.retry {
            Retry::Once(Some(check)) => check_command(&check),
            other => panic!("{other:?}"),
        };
        let create = build(
            "create",
            &[
                ("region", "ny2"),
                ("machineType", "P4000"),
                ("size", "50"),
                ("billingType", "hourly"),
                ("machineName", "007"),
                ("templateId", "t123"),
            ],
        );
        assert_eq!(check(create), "paperspace machines list --name 007");
        assert_eq!(
            check(build("destroy", &[("machineId", "ps 1")])),
            "paperspace machines show --machineId 'ps 1'"
        );
    }
}
