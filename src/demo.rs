//! `paperspace demo`: the whole job, with no account and no network. It starts the emulator
//! in this process on a free loopback port, then runs this very binary, as a user would,
//! through a machine's lifecycle against it, printing each command and what it printed. Like
//! a user, it first lists the templates and picks one for its machine.

use crate::emulator;
use crate::error::exit;
use crate::output::curl::shell_quote;
use std::process::{Command, Output};

/// The machine type of the demo's machine: CPU only.
const MACHINE_TYPE: &str = "C5";

/// One step of the tour: the arguments after `paperspace`, and the exit code it should have.
struct Step {
    args: Vec<String>,
    expected_exit: i32,
}

fn step(args: &[&str], expected_exit: i32) -> Step {
    Step {
        args: args.iter().map(|a| a.to_string()).collect(),
        expected_exit,
    }
}

fn run_step(exe: &std::path::Path, url: &str, step: &Step) -> std::io::Result<Output> {
    let line: Vec<String> = step.args.iter().map(|a| shell_quote(a)).collect();
    println!("$ paperspace {}", line.join(" "));
    let mut command = Command::new(exe);
    // Only the emulator: none of the user's own settings (`PAPERSPACE_API=v1` would send the
    // demo's requests to the live API, `PAPERSPACE_FORMAT=table` would change what it shows).
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PAPERSPACE_") {
            command.env_remove(&name);
        }
    }
    let output = command
        .args(&step.args)
        // The config file's "api" could choose v1 too.
        .env("PAPERSPACE_API", "legacy")
        .env("PAPERSPACE_CONFIG_HOST", url)
        .env("PAPERSPACE_API_KEY", "demo-key")
        .output()?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    println!();
    Ok(output)
}

/// The machine id in create's JSON answer.
fn created_id(output: &Output) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    value.get("id")?.as_str().map(str::to_string)
}

/// The template a user would pick for a Linux server on a CPU-only machine from what
/// `templates list` printed (the legacy shape: `id`, `label`, `os`, `dtCreated`): the newest
/// Ubuntu server. The legacy list names no agent and no machine types, so the label tells:
/// a "Server" template is headless and runs on every type, while a desktop or ML-in-a-Box
/// template needs a GPU. Returns its id and label.
fn pick_template(listed: &[u8]) -> Option<(String, String)> {
    let templates: Vec<serde_json::Value> = serde_json::from_slice(listed).ok()?;
    let text = |t: &serde_json::Value, key: &str| t.get(key)?.as_str().map(str::to_string);
    templates
        .iter()
        .filter_map(|t| Some((text(t, "id")?, text(t, "label")?, t)))
        .filter(|(_, label, t)| {
            let words: Vec<&str> = label.split_whitespace().collect();
            words.contains(&"Ubuntu")
                && words.contains(&"Server")
                && text(t, "os").is_some_and(|os| os.starts_with("Ubuntu"))
        })
        .max_by_key(|(_, _, t)| text(t, "dtCreated"))
        .map(|(id, label, _)| (id, label))
}

/// Run the tour; returns the exit code (0 when every step did what it should).
pub fn run(transition_ms: u64) -> u8 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("error: cannot find this program's own path: {e}");
            return exit::API_ERROR;
        }
    };
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let running = emulator::start(emulator::Config::ephemeral(transition_ms)).await?;
            let _ = url_tx.send(running.url());
            let _ = stop_rx.await;
            running.stop().await
        })
    });
    let Ok(url) = url_rx.recv() else {
        let reason = match server.join() {
            Ok(Err(e)) => format!("{e:#}"),
            _ => "it stopped unexpectedly".to_string(),
        };
        eprintln!("error: cannot start the emulator: {reason}");
        return exit::API_ERROR;
    };
    eprintln!("A local Paperspace emulator is serving {url} (no account, no network).");
    eprintln!(
        "Every command below is this binary talking to it over HTTP, as with PAPERSPACE_CONFIG_HOST={url} PAPERSPACE_API_KEY=demo-key.\n"
    );

    let outcome = tour(&exe, &url);
    let _ = stop_tx.send(());
    let _ = server.join();
    match outcome {
        Ok(()) => {
            eprintln!("Done: created, waited for, listed, stopped and destroyed a machine.");
            exit::SUCCESS
        }
        Err(code) => code,
    }
}

/// Run a step and check its exit code; on a surprise, the exit code for the demo.
fn run_checked(exe: &std::path::Path, url: &str, step: &Step) -> Result<Output, u8> {
    let output = run_step(exe, url, step).map_err(|e| {
        eprintln!("error: cannot run {}: {e}", exe.display());
        exit::API_ERROR
    })?;
    let code = output.status.code().unwrap_or(-1);
    if code != step.expected_exit {
        eprintln!(
            "error: that step exited {code}, expected {}",
            step.expected_exit
        );
        return Err(exit::API_ERROR);
    }
    Ok(output)
}

fn tour(exe: &std::path::Path, url: &str) -> Result<(), u8> {
    run_checked(
        exe,
        url,
        &step(
            &[
                "machines",
                "availability",
                "--region",
                "ny2",
                "--machineType",
                MACHINE_TYPE,
            ],
            0,
        ),
    )?;
    let listed = run_checked(exe, url, &step(&["templates", "list"], 0))?;
    let Some((template, label)) = pick_template(&listed.stdout) else {
        eprintln!("error: templates list shows no Ubuntu server template");
        return Err(exit::API_ERROR);
    };
    eprintln!(
        "Chose template {template} ({label}), the newest Ubuntu server: a {MACHINE_TYPE} has \
         no GPU, which the desktop and ML-in-a-Box templates need.\n"
    );
    let created = run_checked(
        exe,
        url,
        &step(
            &[
                "machines",
                "create",
                "--region",
                "ny2",
                "--machineType",
                MACHINE_TYPE,
                "--size",
                "50",
                "--billingType",
                "hourly",
                "--machineName",
                "demo-box",
                "--templateId",
                &template,
            ],
            0,
        ),
    )?;
    let Some(id) = created_id(&created) else {
        eprintln!("error: create did not answer with a machine id");
        return Err(exit::API_ERROR);
    };
    let id = id.as_str();
    let wait = |state| {
        step(
            &[
                "machines",
                "waitfor",
                "--machineId",
                id,
                "--state",
                state,
                "--interval",
                "0.2",
                "--timeout",
                "60",
            ],
            0,
        )
    };
    for step in [
        wait("ready"),
        step(&["machines", "list"], 0),
        step(&["machines", "stop", "--machineId", id], 0),
        wait("off"),
        step(&["machines", "destroy", "--machineId", id], 0),
        // After destroy the machine is gone: this shows what an API error looks like.
        step(&["machines", "show", "--machineId", id], 1),
    ] {
        run_checked(exe, url, &step)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pick_template;

    #[test]
    fn the_newest_ubuntu_server_is_picked() {
        let listed = br#"[
            {"id": "tkni3aa4", "label": "Ubuntu 20.04 Server", "os": "Ubuntu 20.04.6 LTS", "dtCreated": "2020-06-01T00:00:00.000Z"},
            {"id": "t0nspur5", "label": "Ubuntu 22.04 Server", "os": "Ubuntu 22.04.4 LTS", "dtCreated": "2022-06-01T00:00:00.000Z"},
            {"id": "tilqt47t", "label": "ML-in-a-Box Ubuntu 22.04", "os": "Ubuntu 22.04.4 LTS", "dtCreated": "2023-03-01T00:00:00.000Z"},
            {"id": "tdesk204", "label": "Ubuntu 20.04 Desktop", "os": "Ubuntu 20.04.6 LTS", "dtCreated": "2020-06-01T00:00:00.000Z"},
            {"id": "twin2019", "label": "Windows Server 2019", "os": "Windows Server 2019 Datacenter", "dtCreated": "2019-06-01T00:00:00.000Z"}
        ]"#;
        assert_eq!(
            pick_template(listed),
            Some(("t0nspur5".to_string(), "Ubuntu 22.04 Server".to_string()))
        );
        let no_server = br#"[{"id": "twin2019", "label": "Windows Server 2019", "os": "Windows Server 2019 Datacenter", "dtCreated": "2019-06-01T00:00:00.000Z"}]"#;
        assert_eq!(pick_template(no_server), None);
        assert_eq!(pick_template(b"not json"), None);
    }
}
