//! Installers. `cargo xtask dist` builds the release app and the Linux packages tauri's bundler
//! makes offline — a `.deb` and an `.rpm`, each with the app (its icon and desktop entry, its
//! runtime libraries declared) and the `shipdesk` command. An AppImage is not built: tauri's
//! AppImage bundler downloads linuxdeploy and its plugins while it runs, which an offline build
//! machine cannot do.
//!
//! `cargo xtask dist --check` (and the "installer" step of `cargo xtask test`, on a debug build
//! so it reuses the end-to-end build) installs the `.deb` with apt-get as a user would, starts
//! the installed app on a fresh data directory under Xvfb until its window is ready, asks the
//! installed `shipdesk` command for its version and a doctor report (Sandbox mode on first
//! run), and removes the package again, checking nothing of it is left on the machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::build;
use crate::desktop::{VirtualDisplay, in_session, reap_sessions, screenshot, wait_for_file};
use crate::setup::{self, Purpose};
use crate::sh::{self, say};

/// The package name (tauri's bundler lowercases the product name).
const PACKAGE: &str = "shipdesk";
const INSTALLED_APP: &str = "/usr/bin/shipdesk-app";
const INSTALLED_CLI: &str = "/usr/bin/shipdesk";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

impl Profile {
    fn dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

/// The packages one bundling run made.
pub struct Packages {
    pub deb: PathBuf,
    pub rpm: PathBuf,
}

/// `cargo xtask dist [--check] [--debug]`.
pub fn run(check: bool, debug: bool) -> Result<()> {
    setup::ensure(Purpose::Test)?;
    let packages = build(if debug {
        Profile::Debug
    } else {
        Profile::Release
    })?;
    say(&format!(
        "Debian/Ubuntu package: {}",
        packages.deb.display()
    ));
    say(&format!(
        "Fedora/openSUSE package: {}",
        packages.rpm.display()
    ));
    if check {
        check_deb(&packages.deb)?;
    }
    Ok(())
}

/// Builds the UI, the `shipdesk` command and the app in `profile`, and bundles both packages.
pub fn build(profile: Profile) -> Result<Packages> {
    build::ui()?;
    say(&format!(
        "Building the shipdesk command ({})",
        profile.dir()
    ));
    let mut cli = sh::cargo();
    cli.args(["build", "-p", "shipdesk-cli"]);
    if profile == Profile::Release {
        cli.arg("--release");
    }
    sh::run(&mut cli)?;
    let target = build::target_dir().join(profile.dir());
    let cli_binary = target.join("shipdesk");
    // The command goes into both packages beside the app (tauri's `--config` merges JSON).
    let cli_path = json_string(&cli_binary.to_string_lossy());
    let files = format!(
        r#"{{"bundle":{{"linux":{{"deb":{{"files":{{"{INSTALLED_CLI}":{cli_path}}}}},"rpm":{{"files":{{"{INSTALLED_CLI}":{cli_path}}}}}}}}}}}"#
    );
    say(&format!(
        "Bundling the app ({}) into a .deb and an .rpm with tauri's bundler{}",
        profile.dir(),
        if profile == Profile::Release {
            " (a release build takes a long while)"
        } else {
            ""
        }
    ));
    let tauri = sh::root().join("ui/node_modules/.bin/tauri");
    let mut bundle = Command::new(&tauri);
    bundle
        .args(["build", "--ci", "--bundles", "deb,rpm", "--config"])
        .arg(files)
        .current_dir(sh::root().join("src-tauri"));
    if profile == Profile::Debug {
        bundle.arg("--debug");
    }
    sh::run(&mut bundle)?;
    let bundles = target.join("bundle");
    Ok(Packages {
        deb: only_file(&bundles.join("deb"), "deb")?,
        rpm: only_file(&bundles.join("rpm"), "rpm")?,
    })
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The newest `*.ext` in `dir`.
fn only_file(dir: &Path, ext: &str) -> Result<PathBuf> {
    std::fs::read_dir(dir)
        .with_context(|| format!("no bundle folder {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .with_context(|| format!("the bundler made no .{ext} in {}", dir.display()))
}

/// The "installer" step of `cargo xtask test`: a debug build's `.deb`, installed, started,
/// removed.
pub fn test_step() -> Result<()> {
    let packages = build(Profile::Debug)?;
    check_deb(&packages.deb)
}

fn installed() -> bool {
    Command::new("dpkg")
        .args(["-s", PACKAGE])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs `deb`, starts what it installed, and removes it.
pub fn check_deb(deb: &Path) -> Result<()> {
    if sh::output(Command::new("id").arg("-u")).is_none_or(|id| id.trim() != "0") {
        bail!(
            "installing the package needs root: run `sudo apt-get install {}` and start \
             shipdesk-app by hand, or run this as root",
            deb.display()
        );
    }
    if installed() {
        say("A shipdesk package is installed already: it is replaced, then removed");
    }
    say(&format!("Installing {} with apt-get", deb.display()));
    sh::run(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .arg(deb)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    let result = start_installed();
    say("Removing the package");
    sh::run(
        Command::new("apt-get")
            .args(["remove", "-y", "-q", PACKAGE])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    result?;
    for left in [
        INSTALLED_APP,
        INSTALLED_CLI,
        "/usr/share/applications/Shipdesk.desktop",
    ] {
        if Path::new(left).exists() {
            bail!("{left} is still there after the package was removed");
        }
    }
    if installed() {
        bail!("dpkg still lists {PACKAGE} after its removal");
    }
    say("The package installed, started, and removed cleanly");
    Ok(())
}

fn start_installed() -> Result<()> {
    for file in [
        INSTALLED_APP,
        INSTALLED_CLI,
        "/usr/share/applications/Shipdesk.desktop",
    ] {
        if !Path::new(file).exists() {
            bail!("the package did not install {file}");
        }
    }
    let fresh = build::target_dir().join("installer-check");
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh)?;
    let data = fresh.join("data");
    let version = sh::output(Command::new(INSTALLED_CLI).arg("--version"))
        .context("the installed shipdesk command does not run")?;
    say(&format!("Installed command: {}", version.trim()));
    let display = VirtualDisplay::start()?;
    let ready = fresh.join("ready.json");
    say("Starting the installed app on a fresh data directory");
    let mut child = in_session(Path::new(INSTALLED_APP))
        .env("DISPLAY", display.name())
        .env("SHIPDESK_DATA_DIR", &data)
        .env("SHIPDESK_READY_FILE", &ready)
        .spawn()
        .context("could not start the installed app")?;
    let waited = wait_for_file(&ready, &mut child, Duration::from_secs(90));
    if waited.is_ok() {
        std::thread::sleep(Duration::from_millis(1500)); // the first frame
        let shots = build::target_dir().join("screenshots");
        std::fs::create_dir_all(&shots)?;
        let shot = shots.join("installed.png");
        screenshot(display.name(), &shot)?;
        say(&format!(
            "Screenshot of the installed app: {}",
            shot.display()
        ));
    }
    let _ = child.kill();
    let _ = child.wait();
    reap_sessions();
    let waited = waited?;
    say(&format!(
        "The installed app's window was ready after {:.1} s",
        waited.as_secs_f64()
    ));
    // The installed command reads the data directory the app just made: Sandbox on first run.
    let doctor = sh::output(
        Command::new(INSTALLED_CLI)
            .arg("--data-dir")
            .arg(&data)
            .arg("doctor"),
    )
    .context("the installed shipdesk doctor failed")?;
    let sandbox = doctor
        .lines()
        .any(|l| l.starts_with("Environment:") && l.trim_end().ends_with("Sandbox"));
    let schema = doctor.lines().any(|l| l.starts_with("Schema version:"));
    if !sandbox || !schema {
        bail!("the installed app did not make a Sandbox data directory:\n{doctor}");
    }
    say("The installed app started in Sandbox mode; the installed command reads its data");
    Ok(())
}
