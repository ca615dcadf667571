//! End to end on v1: the binary against the emulator's `/v1` routes, as someone with a
//! Paperspace account today uses it. Each test is one group of commands (machines and their
//! events, snapshots, templates, public IPs, networks and shared drives, scripts, the account);
//! the emulator keeps the state, so each step sees what the previous ones did. The other Core
//! namespaces on the legacy API end the file.

use crate::support::*;
use paperspace::emulator::{self, Config, RunningEmulator};
use serde_json::Value;

/// A user of the v1 API pointed at one emulator.
struct User {
    sandbox: Sandbox,
    emu: RunningEmulator,
}

impl User {
    async fn new() -> User {
        User {
            sandbox: Sandbox::new(),
            emu: emulator::start(Config::ephemeral(50))
                .await
                .expect("emulator starts"),
        }
    }

    fn command(&self) -> assert_cmd::Command {
        let mut cmd = self.sandbox.bare();
        cmd.env("PAPERSPACE_API", "v1")
            .env("PAPERSPACE_API_URL", format!("{}/v1", self.emu.url()))
            .env("PAPERSPACE_API_KEY", KEY);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.command(), args)
    }

    /// Run, expect success, and read stdout as JSON.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(
            out.code, 0,
            "{args:?}\nstdout: {}\nstderr: {}",
            out.stdout, out.stderr
        );
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    /// A new machine of this type and template, waited for until ready: its id.
    fn machine(&self, machine_type: &str, template: &str) -> String {
        let made = self.json(&[
            "machines",
            "create",
            "--region",
            "ny2",
            "--machineType",
            machine_type,
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "e2e",
            "--templateId",
            template,
            "--wait",
            "--interval",
            "0.02",
            "--timeout",
            "30",
        ]);
        assert_eq!(made["state"], "ready", "{made}");
        made["id"].as_str().unwrap().to_string()
    }

    fn stop(&self, id: &str) {
        let stopped = self.json(&[
            "machines",
            "stop",
            "--machineId",
            id,
            "--wait",
            "--interval",
            "0.02",
        ]);
        assert_eq!(stopped["state"], "off", "{stopped}");
    }
}

/// Every wait below polls this often.
const FAST: [&str; 4] = ["--wait", "--interval", "0.02", "--timeout"];

fn waiting<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(FAST);
    all.push("30");
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_machine_its_events_its_desktop_and_a_resize() {
    let user = User::new().await;
    let id = user.machine("P4000", "tdesk204");
    // Newest first: the create, then nothing else yet.
    let events = user.json(&["machines", "events", "--machineId", &id]);
    assert_eq!(events[0]["name"], "create");
    assert_eq!(events[0]["state"], "done");
    user.stop(&id);
    let events = user.json(&["machines", "events", "--machineId", &id, "--limit", "1"]);
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert_eq!(events[0]["name"], "stop");

    // A Linux desktop answers with VNC details; the table hides the password.
    let desktop = user.json(&["machines", "desktop", "--machineId", &id]);
    assert_eq!(desktop["vnc"]["port"], 5900);
    let password = desktop["vnc"]["password"].as_str().unwrap().to_string();
    let table = user.run(&["machines", "desktop", "--machineId", &id, "-o", "table"]);
    assert!(!table.stdout.contains(&password), "{}", table.stdout);
    assert!(table.stdout.contains("(hidden: --showPassword)"));
    let shown = user.run(&[
        "machines",
        "desktop",
        "--machineId",
        &id,
        "-o",
        "table",
        "--showPassword",
    ]);
    assert!(shown.stdout.contains(&password), "{}", shown.stdout);
    assert_eq!(
        user.json(&["machines", "accessors", "--machineId", &id]),
        serde_json::json!([])
    );

    // A resize of an off machine: the wait follows the upgrade and ends with it off again.
    let resized = user.json(&waiting(&[
        "machines",
        "update",
        "--machineId",
        &id,
        "--machineType",
        "A4000",
        "--size",
        "100",
    ]));
    assert_eq!(
        (&resized["machineType"], &resized["state"]),
        (&Value::from("A4000"), &Value::from("off"))
    );
    assert_eq!(resized["storageTotal"], "107374182400");
    let events = user.json(&["machines", "events", "--machineId", &id, "--limit", "1"]);
    assert_eq!(
        (&events[0]["name"], &events[0]["state"]),
        (&Value::from("vm-upgrade"), &Value::from("done"))
    );
    // The service refuses a resize of a running machine, and says which field.
    user.json(&waiting(&["machines", "start", "--machineId", &id]));
    let refused = user.run(&[
        "machines",
        "update",
        "--machineId",
        &id,
        "--machineType",
        "A5000",
    ]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("machineType") && refused.stderr.contains("BAD_REQUEST"),
        "{}",
        refused.stderr
    );
    // A headless machine has no desktop: the service's 404.
    let headless = user.machine("C5", "tkni3aa4");
    let out = user.run(&["machines", "desktop", "--machineId", &headless]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 404"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_belong_to_machines_and_restore_them() {
    let user = User::new().await;
    let id = user.machine("C5", "tkni3aa4");
    let made = user.json(&waiting(&[
        "snapshots",
        "create",
        "--machineId",
        &id,
        "--snapshotName",
        "before",
    ]));
    assert_eq!(made["event"]["state"], "done", "{made}");
    assert_eq!(made["event"]["name"], "snapshot-create");
    let snapshot = made["data"]["id"].as_str().unwrap().to_string();
    let listed = user.json(&["snapshots", "list", "--machineId", &id]);
    assert_eq!(listed[0]["id"], snapshot.as_str());
    assert_eq!(
        user.json(&["snapshots", "show", "--snapshotId", &snapshot])["name"],
        "before"
    );
    // Restoring needs the machine off: refused while it runs, done once it is off.
    let refused = user.run(&["snapshots", "restore", "--snapshotId", &snapshot, "--yes"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    user.stop(&id);
    let restored = user.json(&waiting(&[
        "snapshots",
        "restore",
        "--snapshotId",
        &snapshot,
        "--createSnapshotBeforeRestore",
        "--yes",
    ]));
    assert_eq!(
        (&restored["event"]["name"], &restored["event"]["state"]),
        (&Value::from("snapshot-restore"), &Value::from("done"))
    );
    // The snapshot taken first is there too.
    assert_eq!(
        user.json(&["snapshots", "list", "--machineId", &id])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    user.json(&["snapshots", "destroy", "--snapshotId", &snapshot, "--yes"]);
    let gone = user.run(&["snapshots", "show", "--snapshotId", &snapshot]);
    assert_eq!(gone.code, 1, "{}", gone.stderr);
    assert!(gone.stderr.contains("HTTP 404"), "{}", gone.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_made_from_a_machine_makes_machines() {
    let user = User::new().await;
    let id = user.machine("C5", "tkni3aa4");
    user.stop(&id);
    let template = user.json(&waiting(&[
        "templates",
        "create",
        "--machineId",
        &id,
        "--templateName",
        "golden",
    ]));
    assert_eq!(template["label"], "golden", "{template}");
    let template_id = template["id"].as_str().unwrap().to_string();
    let listed = user.json(&["templates", "list", "--label", "golden"]);
    assert_eq!(listed[0]["id"], template_id.as_str());
    let child = user.machine("C5", &template_id);
    assert_ne!(child, id);
    user.json(&[
        "templates",
        "destroy",
        "--templateId",
        &template_id,
        "--yes",
    ]);
    assert_eq!(
        user.json(&["templates", "list", "--label", "golden"]),
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_ips_come_from_a_pool_and_follow_assign_and_release() {
    let user = User::new().await;
    let id = user.machine("C5", "tkni3aa4");
    let claimed = user.json(&["publicIps", "claim", "--region", "East Coast (NY2)"]);
    let ip = claimed["ip"].as_str().unwrap().to_string();
    assert_eq!(claimed["region"], "ny2");
    assert!(claimed.get("assignedMachineId").is_none(), "{claimed}");
    let assigned = user.json(&["publicIps", "assign", "--ip", &ip, "--machineId", &id]);
    assert_eq!(assigned["assignedMachineId"], id.as_str());
    assert_eq!(
        user.json(&["machines", "show", "--machineId", &id])["publicIpAddress"],
        ip.as_str()
    );
    assert_eq!(
        user.json(&["publicIps", "list", "--assignedMachineId", &id])[0]["ip"],
        ip.as_str()
    );
    let unassigned = user.json(&["publicIps", "unassign", "--ip", &ip]);
    assert!(
        unassigned.get("assignedMachineId").is_none(),
        "{unassigned}"
    );
    assert_eq!(
        user.json(&["publicIps", "release", "--ip", &ip, "--yes"]),
        serde_json::json!({"ip": ip})
    );
    assert_eq!(
        user.json(&["publicIps", "list", "--ip", &ip]),
        serde_json::json!([])
    );

    // A machine made with a static address keeps it in the account when it is destroyed,
    // unless the destroy releases it.
    let made = user.json(&[
        "machines",
        "create",
        "--region",
        "ny2",
        "--machineType",
        "C5",
        "--size",
        "50",
        "--billingType",
        "hourly",
        "--machineName",
        "static",
        "--templateId",
        "tkni3aa4",
        "--assignPublicIp",
        "--wait",
        "--interval",
        "0.02",
    ]);
    let address = made["publicIpAddress"].as_str().unwrap().to_string();
    let machine = made["id"].as_str().unwrap();
    user.json(&[
        "machines",
        "destroy",
        "--machineId",
        machine,
        "--releasePublicIp",
        "--yes",
    ]);
    assert_eq!(
        user.json(&["publicIps", "list", "--ip", &address]),
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_networks_and_the_shared_drives_on_them() {
    let user = User::new().await;
    let network = user.json(&[
        "networks",
        "create",
        "--region",
        "ny2",
        "--networkName",
        "lab",
    ]);
    assert_eq!(network["region"], "East Coast (NY2)", "{network}");
    let network_id = network["id"].as_str().unwrap().to_string();
    assert_eq!(
        user.json(&["networks", "show", "--networkId", &network_id])["name"],
        "lab"
    );
    let drive = user.json(&[
        "sharedDrives",
        "create",
        "--sharedDriveName",
        "data",
        "--size",
        "250",
        "--region",
        "ny2",
        "--networkId",
        &network_id,
    ]);
    let drive_id = drive["id"].as_str().unwrap().to_string();
    assert_eq!(drive["size"], 250);
    assert_eq!(
        user.json(&["sharedDrives", "list", "--name", "dat"])[0]["id"],
        drive_id.as_str()
    );
    let shown = user.run(&[
        "sharedDrives",
        "show",
        "--sharedDriveId",
        &drive_id,
        "-o",
        "table",
        "--columns",
        "id,password",
    ]);
    shown.assert_success(&format!(
        "ID        {drive_id}\nPassword  (hidden: --showPassword)\n"
    ));
    // A network with a drive on it is still in use.
    let refused = user.run(&["networks", "destroy", "--networkId", &network_id, "--yes"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    user.json(&[
        "sharedDrives",
        "destroy",
        "--sharedDriveId",
        &drive_id,
        "--yes",
    ]);
    assert_eq!(
        user.json(&["networks", "destroy", "--networkId", &network_id, "--yes"]),
        serde_json::json!({})
    );
    user.run(&["networks", "show", "--networkId", &network_id])
        .assert_error(1, "no such network: the API answered null", Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_scripts_are_made_assigned_changed_and_destroyed() {
    let user = User::new().await;
    let id = user.machine("C5", "tkni3aa4");
    let script = user.json(&[
        "scripts",
        "create",
        "--scriptName",
        "boot",
        "--scriptText",
        "echo hi",
        "--isEnabled",
        "false",
    ]);
    let script_id = script["id"].as_str().unwrap().to_string();
    assert_eq!(
        (&script["isEnabled"], &script["machines"]),
        (&Value::from(false), &serde_json::json!([]))
    );
    let assigned = user.json(&[
        "scripts",
        "assign",
        "--scriptId",
        &script_id,
        "--machineId",
        &id,
    ]);
    assert_eq!(assigned["machines"][0]["machineId"], id.as_str());
    let changed = user.json(&[
        "scripts",
        "update",
        "--scriptId",
        &script_id,
        "--isEnabled",
        "true",
        "--runOnce",
    ]);
    assert_eq!(
        (&changed["isEnabled"], &changed["runOnce"]),
        (&Value::from(true), &Value::from(true))
    );
    let unassigned = user.json(&[
        "scripts",
        "unassign",
        "--scriptId",
        &script_id,
        "--machineId",
        &id,
    ]);
    assert_eq!(unassigned["machines"], serde_json::json!([]));
    user.json(&["scripts", "destroy", "--scriptId", &script_id, "--yes"]);
    let gone = user.run(&["scripts", "show", "--scriptId", &script_id]);
    assert_eq!(gone.code, 1, "{}", gone.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_the_service_refusals_and_what_it_sells() {
    let user = User::new().await;
    // login checks the key with GET /auth/session and names who it is.
    let login = user.run(&["login", "--apiKey", KEY]);
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert!(login.stderr.contains("uemul8r0"), "{}", login.stderr);
    assert_eq!(user.json(&["users", "list"])[0]["id"], "uemul8r0");
    // A type the service sells that the legacy list never had goes through on v1.
    let id = user.machine("A100-80G", "tilqt47t");
    assert_eq!(
        user.json(&["machines", "show", "--machineId", &id])["machineType"],
        "A100-80G"
    );
    // A type not sold in a region: the service's message, and the field it names.
    let refused = user.run(&[
        "machines",
        "create",
        "--region",
        "ams1",
        "--machineType",
        "H100",
        "--size",
        "50",
        "--billingType",
        "hourly",
        "--machineName",
        "x",
        "--templateId",
        "tilqt47t",
    ]);
    assert_eq!(refused.code, 1);
    assert_eq!(
        refused.stderr,
        "error: Machine type H100 is not sold in Europe (AMS1): machineType: Not sold in ams1 (HTTP 400, BAD_REQUEST)\n"
    );
    let error: Value = serde_json::from_str(&refused.stdout).unwrap();
    assert_eq!(
        error["details"],
        serde_json::json!({"machineType": "Not sold in ams1"})
    );
    // Power actions the service refuses because nothing would change keep the legacy
    // promise: done.
    assert_eq!(
        user.json(&["machines", "start", "--machineId", &id]),
        serde_json::json!({})
    );
    user.stop(&id);
    assert_eq!(
        user.json(&["machines", "stop", "--machineId", &id]),
        serde_json::json!({})
    );
    // v1 matches names loosely; list keeps the legacy promise of an exact match.
    user.machine("C5", "tkni3aa4");
    assert_eq!(
        user.json(&["machines", "list", "--name", "e2"]),
        serde_json::json!([])
    );
    assert_eq!(
        user.json(&["machines", "list", "--name", "e2e"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// The legacy API's own namespaces, from the same binary: templates, scripts, networks and
/// users as paperspace-node 0.2.4 had them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_namespaces_against_the_emulator() {
    let sandbox = Sandbox::new();
    let emu = emulator::start(Config::ephemeral(50))
        .await
        .expect("emulator starts");
    let legacy = |args: &[&str]| {
        let mut cmd = sandbox.bare();
        cmd.env("PAPERSPACE_CONFIG_HOST", emu.url())
            .env("PAPERSPACE_API_KEY", KEY);
        let out = run(cmd, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        serde_json::from_str::<Value>(&out.stdout).unwrap()
    };
    let templates = legacy(&["templates", "list", "--id", "tkni3aa4"]);
    assert_eq!(templates[0]["id"], "tkni3aa4");
    let networks = legacy(&["networks", "list", "--region", "ny2"]);
    assert_eq!(networks[0]["region"], "East Coast (NY2)");
    assert_eq!(legacy(&["users", "list"])[0]["id"], "uemul8r0");
    let file = sandbox.home.path().join("boot.sh");
    std::fs::write(&file, "#!/bin/bash\necho hi\n").unwrap();
    let script = legacy(&[
        "scripts",
        "create",
        "--scriptName",
        "boot",
        "--scriptFile",
        file.to_str().unwrap(),
    ]);
    let script_id = script["id"].as_str().unwrap().to_string();
    assert_eq!(
        legacy(&["scripts", "text", "--scriptId", &script_id]),
        Value::from("#!/bin/bash\necho hi\n")
    );
    assert_eq!(
        legacy(&["scripts", "list", "--name", "boot"])[0]["id"],
        script_id.as_str()
    );
    assert_eq!(
        legacy(&["scripts", "destroy", "--scriptId", &script_id, "--yes"]),
        serde_json::json!({})
    );
}
