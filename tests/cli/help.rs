//! The command line itself: every reference parameter is a flag with its description, and the
//! odd corners of docs/compatibility.md ("Details that settle edge cases") behave one
//! documented way.

use crate::support::*;
use paperspace::api::commands::Namespace;
use wiremock::MockServer;

/// The parameters of the legacy API reference, per command: (name, required).
const REFERENCE: &[(&str, &[(&str, bool)])] = &[
    (
        "create",
        &[
            ("region", true),
            ("machineType", true),
            ("size", true),
            ("billingType", true),
            ("machineName", true),
            ("templateId", true),
            ("teamId", false),
            ("assignPublicIp", false),
            ("dynamicPublicIp", false),
            ("startOnCreate", false),
            ("networkId", false),
            ("scriptId", false),
            ("userId", false),
            ("email", false),
            ("password", false),
            ("firstName", false),
            ("lastName", false),
            ("notificationEmail", false),
            ("takeInitialSnapshot", false),
            ("markSnapshotAsRestorePoint", false),
            ("restorePointFrequency", false),
            ("enableNvlink", false),
        ],
    ),
    ("start", &[("machineId", true)]),
    ("stop", &[("machineId", true)]),
    ("restart", &[("machineId", true)]),
    (
        "destroy",
        &[("machineId", true), ("releasePublicIp", false)],
    ),
    (
        "update",
        &[
            ("machineId", true),
            ("machineName", false),
            ("shutdownTimeoutInHours", false),
            ("shutdownTimeoutForces", false),
            ("autoSnapshotFrequency", false),
            ("autoSnapshotSaveCount", false),
            ("performAutoSnapshot", false),
            ("dynamicPublicIp", false),
            ("assignPublicIp", false),
        ],
    ),
    (
        "list",
        &[
            ("limit", false),
            ("skip", false),
            ("machineId", false),
            ("name", false),
            ("os", false),
            ("ram", false),
            ("cpus", false),
            ("gpu", false),
            ("storageTotal", false),
            ("storageUsed", false),
            ("usageRate", false),
            ("shutdownTimeoutInHours", false),
            ("performAutoSnapshot", false),
            ("autoSnapshotFrequency", false),
            ("autoSnapshotSaveCount", false),
            ("agentType", false),
            ("dtCreated", false),
            ("state", false),
            ("updatesPending", false),
            ("networkId", false),
            ("privateIpAddress", false),
            ("publicIpAddress", false),
            ("region", false),
            ("userId", false),
            ("teamId", false),
            ("scriptId", false),
            ("dtLastRun", false),
        ],
    ),
    ("show", &[("machineId", true)]),
    (
        "setAccessForUser",
        &[
            ("machineId", true),
            ("userId", true),
            ("enableAccess", true),
        ],
    ),
    (
        "utilization",
        &[("machineId", true), ("billingMonth", true)],
    ),
    ("waitfor", &[("machineId", true), ("state", true)]),
    ("availability", &[("region", true), ("machineType", true)]),
];

#[test]
fn every_reference_parameter_is_a_flag_with_its_required_ness_and_description() {
    let sandbox = Sandbox::new();
    for (name, params) in REFERENCE {
        let spec = Namespace::Machines.command(name).unwrap();
        let out = run(sandbox.bare(), &["machines", name, "--help"]);
        assert_eq!(out.code, 0);
        let usage_line = out
            .stdout
            .lines()
            .find(|l| l.starts_with("Usage:"))
            .unwrap();
        for (param, required) in *params {
            let p = spec
                .param(param)
                .unwrap_or_else(|| panic!("{name} --{param}"));
            assert_eq!(p.required, *required, "{name} --{param}");
            assert!(
                out.stdout.contains(&format!("--{param} <"))
                    || out.stdout.contains(&format!("--{param} [")),
                "{name} --{param}"
            );
            assert!(out.stdout.contains(p.help), "{name} --{param} help");
            assert_eq!(
                usage_line.contains(&format!("--{param} ")),
                *required,
                "{name}: {usage_line}"
            );
        }
        assert!(
            out.stdout
                .contains(&format!("Example:\n  paperspace machines {name} ")),
            "{name}"
        );
    }
}

#[tokio::test]
async fn odd_corners_are_usage_errors_that_send_nothing() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    for args in [
        &[
            "machines",
            "destroy",
            "--machineId",
            "m",
            "--no-releasePublicIp",
        ][..],
        &[
            "machines",
            "show",
            "--machineId",
            "m",
            "--apiKey",
            "a",
            "--apiKey",
            "b",
        ],
        &["machines", "show", "--machineId", "m", "--apiKey"],
        &["machines", "show", "--machineId", "m", "--version"],
    ] {
        let out = run(sandbox.cli(&server), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.lines().count() == 1,
            "{}",
            out.stderr
        );
        assert!(out.stdout.starts_with("{\n  \"error\": "), "{args:?}");
    }
    let out = run(sandbox.bare(), &[]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("Usage: paperspace"));
}

/// Ctrl-C during a long wait ends the run at once with exit code 130.
#[cfg(unix)]
#[tokio::test]
async fn interrupt_exits_130_at_once() {
    use std::time::Duration;
    use wiremock::Mock;
    use wiremock::matchers::any;
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, r#"{"state":"off"}"#).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    let (output, took) = interrupt_after_first_request(
        &sandbox,
        &server,
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(130));
    assert!(took < Duration::from_secs(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: interrupted\n"
    );
}

/// Every help screen as a snapshot (tests/cli/snapshots): a change to any flag, description
/// or example shows up in review. Update with `INSTA_UPDATE=always cargo test --test cli`.
#[test]
fn help_screens_match_their_snapshots() {
    let sandbox = Sandbox::new();
    let mut screens: Vec<Vec<&str>> = vec![
        vec![],
        vec!["login"],
        vec!["logout"],
        #[cfg(feature = "emulator")]
        vec!["emulator"],
        #[cfg(feature = "emulator")]
        vec!["demo"],
        vec!["completion"],
        vec!["man"],
    ];
    for namespace in Namespace::ALL {
        screens.push(vec![namespace.name()]);
        screens.extend(
            namespace
                .commands()
                .iter()
                .map(|c| vec![namespace.name(), c.name]),
        );
    }
    for words in screens {
        let mut args = words.clone();
        args.push("--help");
        let out = run(sandbox.bare(), &args);
        assert_eq!(out.code, 0, "{args:?}");
        let name = if words.is_empty() {
            // The lean client has no emulator or demo to list.
            if cfg!(feature = "emulator") {
                "paperspace".to_string()
            } else {
                "paperspace-lean".to_string()
            }
        } else {
            format!("paperspace {}", words.join(" "))
        };
        insta::assert_snapshot!(
            name.replace(' ', "_"),
            out.stdout,
            &format!("{name} --help")
        );
    }
}

/// How each shell's script (clap_complete's) completes a namespace (`None`) or one of its
/// commands: the text that offers it there.
fn completes(shell: &str, namespace: &str, command: Option<&str>) -> String {
    match (shell, command) {
        ("bash", None) => format!("paperspace,{namespace})"),
        ("bash", Some(command)) => format!("paperspace__subcmd__{namespace},{command})"),
        ("zsh", None) => format!("_paperspace__subcmd__{namespace}_commands() {{"),
        ("zsh", Some(command)) => {
            format!("_paperspace__subcmd__{namespace}__subcmd__{command}_commands() {{")
        }
        ("fish", None) => format!("-n \"__fish_paperspace_needs_command\" -f -a \"{namespace}\""),
        ("fish", Some(command)) => format!(
            "-n \"__fish_paperspace_using_subcommand {namespace}; and not __fish_seen_subcommand_from {}\" -f -a \"{command}\"",
            Namespace::find(namespace)
                .unwrap()
                .commands()
                .iter()
                .map(|c| c.name)
                .chain(["help"])
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ("powershell", None) => format!("'paperspace;{namespace}' {{"),
        ("powershell", Some(command)) => format!("'paperspace;{namespace};{command}' {{"),
        ("elvish", None) => format!("&'paperspace;{namespace}'= {{"),
        ("elvish", Some(command)) => format!("&'paperspace;{namespace};{command}'= {{"),
        _ => unreachable!("{shell}"),
    }
}

#[test]
fn completion_scripts_and_the_man_page_are_generated() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(sandbox.bare(), &["completion", shell]);
        assert_eq!(out.code, 0, "{shell}");
        assert!(
            out.stdout.contains("paperspace") && out.stdout.contains("machineId"),
            "{shell}"
        );
        // Every namespace, and every command of each, is completed.
        let mut missing = Vec::new();
        for namespace in Namespace::ALL {
            let words =
                std::iter::once(None).chain(namespace.commands().iter().map(|c| Some(c.name)));
            for command in words {
                let offered = completes(shell, namespace.name(), command);
                if !out.stdout.contains(&offered) {
                    missing.push(offered);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "{shell} does not complete: {missing:#?}"
        );
    }
    let out = run(sandbox.bare(), &["completion", "tcsh"]);
    assert_eq!(out.code, 2);
    let out = run(sandbox.bare(), &["man"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(".ie \\n(.g .ds Aq") || out.stdout.contains(".TH paperspace"),
        "{}",
        &out.stdout[..200.min(out.stdout.len())]
    );
    assert!(out.stdout.contains("machines"));
    // Every namespace is listed, with what it is for, then each of its commands with what it
    // does and each of its flags (one page: no page per namespace is installed). That section
    // is written with the roff crate, which escapes `-` and leaves `'` inside a line as it is.
    let text = |t: &str| t.replace('-', "\\-");
    for namespace in Namespace::ALL {
        let entry = format!(
            ".SS \"paperspace {}\"\n{}\n",
            namespace.name(),
            text(namespace.about())
        );
        assert!(out.stdout.contains(&entry), "{entry} in {}", out.stdout);
        for spec in namespace.commands() {
            let entry = format!(
                ".TP\n\\fBpaperspace {} {}\\fR\n{}\n",
                namespace.name(),
                spec.name,
                text(spec.about)
            );
            assert!(out.stdout.contains(&entry), "{entry} in {}", out.stdout);
            for param in spec.params {
                let flag = format!("\\fB\\-\\-{}\\fR", param.name);
                assert!(out.stdout.contains(&flag), "{flag} of {}", spec.full_name());
            }
        }
    }
    for other in ["login", "logout", "completion", "man", "version"] {
        let entry = format!(".TP\n\\fBpaperspace {other}\\fR\n");
        assert!(out.stdout.contains(&entry), "{entry}");
    }
}

/// The bash completion loads in bash and completes commands and flags.
#[cfg(unix)]
#[test]
fn bash_completion_completes_commands_and_flags() {
    let bash_ok = std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_ok();
    if !bash_ok {
        eprintln!("skipped: bash is not installed");
        return;
    }
    let sandbox = Sandbox::new();
    let script = sandbox.home.path().join("paperspace.bash");
    std::fs::write(&script, run(sandbox.bare(), &["completion", "bash"]).stdout).unwrap();
    let complete = |words: &str| -> String {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; _paperspace paperspace \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = isolated("bash")
            .args(["--norc", "-c", &program])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let commands = complete("paperspace machines st");
    assert_eq!(commands.lines().collect::<Vec<_>>(), ["start", "stop"]);
    let flags = complete("paperspace machines stop --mach");
    assert!(flags.lines().any(|l| l == "--machineId"), "{flags}");
    let top = complete("paperspace ''");
    for word in ["machines", "login", "completion"] {
        assert!(top.lines().any(|l| l == word), "{word} in {top}");
    }
    // Every namespace is offered, and after it exactly its commands (and help).
    for namespace in Namespace::ALL {
        assert!(
            top.lines().any(|l| l == namespace.name()),
            "{} in {top}",
            namespace.name()
        );
        let offered = complete(&format!("paperspace {} ''", namespace.name()));
        let mut offered: Vec<&str> = offered.lines().filter(|l| !l.starts_with('-')).collect();
        offered.sort_unstable();
        let mut expected: Vec<&str> = namespace.commands().iter().map(|c| c.name).collect();
        expected.push("help");
        expected.sort_unstable();
        assert_eq!(offered, expected, "paperspace {} <TAB>", namespace.name());
    }
    let restore = complete("paperspace snapshots res");
    assert_eq!(restore.lines().collect::<Vec<_>>(), ["restore"]);
}

/// Legacy scripts put the key before the namespace.
#[tokio::test]
async fn client_flags_before_the_namespace_work_as_in_the_legacy_cli() {
    use wiremock::matchers::{header, method};
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    wiremock::Mock::given(method("GET"))
        .and(header("x-api-key", "front-key"))
        .respond_with(json_response(200, "[]"))
        .expect(1)
        .mount(&server)
        .await;
    run(
        sandbox.cli(&server),
        &["--apiKey", "front-key", "machines", "list"],
    )
    .assert_success("[]\n");
}
