//! Progress on stderr while long work runs (DESIGN.md: "Progress bars go to stderr when it is a
//! terminal; `--quiet` silences them"): one line naming the step and the seconds it has taken,
//! redrawn in place, and erased when the step ends — so nothing of it stays in the output, and
//! nothing at all is written when stderr is a file or a pipe.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// Steps shorter than this never show: a line that flashes for a moment is noise.
const GRACE: Duration = Duration::from_millis(400);

/// A step in progress; the line is erased when it is dropped.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Shows `what… 3 s` on stderr until dropped, when stderr is a terminal and not `quiet`.
    pub fn start(what: impl Into<String>, quiet: bool) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { stop, thread: None };
        }
        let what = what.into();
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let clock = Instant::now();
            let mut shown = false;
            let mut last = String::new();
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                let text = line(&what, clock.elapsed());
                // Redrawn when the seconds change, not on every tick.
                if clock.elapsed() >= GRACE && !flag.load(Ordering::Relaxed) && text != last {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K{text}");
                    let _ = err.flush();
                    shown = true;
                    last = text;
                }
            }
            if shown {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            }
        });
        Progress {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The progress line: `Measuring export… 12 s`.
fn line(what: &str, elapsed: Duration) -> String {
    format!("{what}… {} s", elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_step_and_whole_seconds() {
        assert_eq!(
            line("Measuring export", Duration::from_millis(12_900)),
            "Measuring export… 12 s"
        );
    }

    #[test]
    fn quiet_or_not_a_terminal_starts_no_thread() {
        assert!(Progress::start("x", true).thread.is_none());
    }
}
