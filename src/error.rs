//! One error type for the whole CLI, and the one place that maps it to an exit code.
//!
//! Every failure a user can see is a `CliError`: a kind (which decides the exit code and
//! whether an HTTP status is reported) and a one-line message that says what went wrong and,
//! where it helps, what to do next. Messages never contain the API key: the key only ever
//! lives in `config::ApiKey`, which cannot be formatted.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad command line, environment or config file; nothing was sent.
    Usage,
    /// The API answered with an error status (or a 2xx we cannot read).
    Api { status: u16 },
    /// No API key anywhere, or the API answered 401/403.
    Auth { status: Option<u16> },
    /// No answer: connection failure, TLS failure, or a request timeout.
    Network,
    /// `waitfor` saw the machine record a new error event.
    MachineFailed,
    /// `waitfor` ran out of time.
    WaitTimeout,
    /// Ctrl-C.
    Interrupted,
    /// Something that should not happen (e.g. stdout is closed in an odd way).
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
    /// What an API's error body said beyond its message (v1's `code` and `details`).
    pub detail: Option<Box<ApiDetail>>,
}

/// The parts of an API error body a user or a script may need besides its message: v1's
/// `code` (`BAD_REQUEST`, `NOT_FOUND`, ...) and `details` (which field, what was wrong).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiDetail {
    pub code: Option<String>,
    pub details: Option<serde_json::Value>,
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// Exit codes, documented in the README. Keep the two in step.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const API_ERROR: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NETWORK: u8 = 3;
    pub const AUTH: u8 = 4;
    pub const MACHINE_FAILED: u8 = 5;
    pub const WAIT_TIMEOUT: u8 = 124;
    pub const INTERRUPTED: u8 = 130;
}

impl CliError {
    /// An error whose message is one line: line breaks and other control characters (from an
    /// API's message, or a value the user typed) become spaces.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> CliError {
        let message: String = message.into();
        let message = if message.chars().any(char::is_control) {
            message
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        } else {
            message
        };
        CliError {
            kind,
            message,
            detail: None,
        }
    }

    /// The same error with what the API's body said beyond its message.
    pub fn with_detail(mut self, detail: ApiDetail) -> CliError {
        self.detail = Some(Box::new(detail)).filter(|d| d.code.is_some() || d.details.is_some());
        self
    }

    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::Usage, message)
    }

    pub fn network(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::Network, message)
    }

    pub fn internal(message: impl Into<String>) -> CliError {
        CliError::new(ErrorKind::Internal, message)
    }

    /// The exit code for this error: the only place the mapping is decided.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Api { .. } | ErrorKind::Internal => exit::API_ERROR,
            ErrorKind::Usage => exit::USAGE,
            ErrorKind::Network => exit::NETWORK,
            ErrorKind::Auth { .. } => exit::AUTH,
            ErrorKind::MachineFailed => exit::MACHINE_FAILED,
            ErrorKind::WaitTimeout => exit::WAIT_TIMEOUT,
            ErrorKind::Interrupted => exit::INTERRUPTED,
        }
    }

    /// The HTTP status to report, when an HTTP response was received.
    pub fn http_status(&self) -> Option<u16> {
        match self.kind {
            ErrorKind::Api { status } => Some(status),
            ErrorKind::Auth { status } => status,
            _ => None,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_always_one_line() {
        let err = CliError::usage("invalid value 'x\ny' for --region\r\t!");
        assert_eq!(err.message, "invalid value 'x y' for --region  !");
    }

    #[test]
    fn each_kind_has_its_documented_exit_code_and_status() {
        let cases = [
            (ErrorKind::Api { status: 404 }, 1, Some(404)),
            (ErrorKind::Usage, 2, None),
            (ErrorKind::Network, 3, None),
            (ErrorKind::Auth { status: None }, 4, None),
            (ErrorKind::Auth { status: Some(401) }, 4, Some(401)),
            (ErrorKind::MachineFailed, 5, None),
            (ErrorKind::WaitTimeout, 124, None),
            (ErrorKind::Interrupted, 130, None),
        ];
        for (kind, code, status) in cases {
            let err = CliError::new(kind.clone(), "x");
            assert_eq!(err.exit_code(), code, "{kind:?}");
            assert_eq!(err.http_status(), status, "{kind:?}");
        }
    }
}
