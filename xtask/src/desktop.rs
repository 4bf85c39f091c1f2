//! Starting the real app: on the user's display when there is one, otherwise on a private Xvfb
//! display inside a private D-Bus session (with an unlocked keyring), where we take a screenshot.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::build;
use crate::setup::{self, Purpose};
use crate::sh::{self, say};

pub fn run(keep_running: bool) -> Result<()> {
    setup::ensure(Purpose::App)?;
    let app = build::app()?;
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        say("Starting Shipdesk (Sandbox mode)");
        return sh::run(&mut Command::new(&app));
    }
    say("No display: starting Shipdesk under Xvfb");
    let display = VirtualDisplay::start()?;
    let shots = build::target_dir().join("screenshots");
    std::fs::create_dir_all(&shots)?;
    let ready = shots.join("ready.json");
    let _ = std::fs::remove_file(&ready);
    let mut child = in_session(&app)
        .env("DISPLAY", display.name())
        .env("SHIPDESK_READY_FILE", &ready)
        .spawn()
        .context("could not start the app")?;
    let waited = wait_for_file(&ready, &mut child, Duration::from_secs(90));
    let waited = match waited {
        Ok(w) => w,
        Err(e) => {
            let _ = child.kill();
            reap_sessions();
            return Err(e);
        }
    };
    std::thread::sleep(Duration::from_millis(1500)); // let the first frame paint
    let shot = shots.join("shipdesk.png");
    screenshot(display.name(), &shot)?;
    say(&format!(
        "The window was ready after {:.1} s",
        waited.as_secs_f64()
    ));
    say(&format!("Screenshot of the window: {}", shot.display()));
    if keep_running {
        say(&format!(
            "Shipdesk keeps running on display {}; press Ctrl+C to stop",
            display.name()
        ));
        child.wait()?;
    }
    let _ = child.kill();
    let _ = child.wait();
    reap_sessions();
    Ok(())
}

/// A command wrapped in a private D-Bus session with an unlocked gnome-keyring, as the app has
/// on a real desktop (the keyring stores USPS secrets).
pub fn in_session(program: &Path) -> Command {
    let mut c = Command::new("dbus-run-session");
    c.args(["--", "sh", "-c", KEYRING_THEN_EXEC, "sh"])
        .arg(program);
    c.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("NO_AT_BRIDGE", "1")
        .env("GTK_USE_PORTAL", "0")
        .env(SESSION_MARKER, std::process::id().to_string());
    c
}

/// Every process started through [`in_session`] carries this variable; daemons that D-Bus
/// activates inherit it too, which is how [`reap_sessions`] finds them all afterwards.
const SESSION_MARKER: &str = "SHIPDESK_XTASK_SESSION";

/// Kills every process left over from this xtask's sessions: the session bus, the keyring daemon
/// and whatever D-Bus activated. Left alive, they would hold the terminal's (or CI's) output pipe
/// open and keep it waiting forever.
pub fn reap_sessions() {
    let needle = format!("{SESSION_MARKER}={}", std::process::id());
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in procs.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// Unlocks a keyring with a throwaway password, waits for the Secret Service to appear on the
/// session bus, then runs the wrapped command.
pub const KEYRING_THEN_EXEC: &str = r#"
printf %s shipdesk | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
i=0
while [ $i -lt 50 ] && ! dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetNameOwner string:org.freedesktop.secrets >/dev/null 2>&1; do
  sleep 0.1; i=$((i+1))
done
exec "$@"
"#;

pub fn wait_for_file(path: &Path, child: &mut Child, limit: Duration) -> Result<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if path.exists() {
            return Ok(start.elapsed());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the app exited before its window was ready ({status})");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the app's window was not ready after {} s", limit.as_secs())
}

pub fn screenshot(display: &str, out: &Path) -> Result<()> {
    sh::run(
        Command::new("import")
            .args(["-window", "root"])
            .arg(out)
            .env("DISPLAY", display),
    )
}

/// A private X server, killed on drop.
pub struct VirtualDisplay {
    name: String,
    child: Child,
}

impl VirtualDisplay {
    pub fn start() -> Result<Self> {
        let n = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .context("no free X display number")?;
        let name = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([
                name.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start Xvfb")?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let start = Instant::now();
        while !socket.exists() {
            if start.elapsed() > Duration::from_secs(10) {
                bail!("Xvfb did not start on {name}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Self { name, child })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
