//! One bad file never takes a batch down: work on a file runs under [`contained`],
//! which turns a panic (in lopdf, in the interpreter, in an entity pass) into an error
//! for that file alone, and keeps Rust's multi-line panic report off stderr, since
//! the file's one error line says what happened.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many [`contained`] calls this thread is inside; their panics are errors.
    static CONTAINED: Cell<usize> = const { Cell::new(0) };
}

/// Runs `work`, returning the message of a panic instead of unwinding further.
pub fn contained<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    silence_contained_panics();
    CONTAINED.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CONTAINED.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

/// Installs, once, a panic hook that stays quiet inside [`contained`] and reports
/// every other panic as usual.
fn silence_contained_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(Cell::get) == 0 {
                default_hook(info);
            }
        }));
    });
}

/// The text of a panic payload (`panic!` gives either a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_even_when_nested() {
        let outer = contained(|| {
            let inner = contained(|| -> u8 { panic!("inner {}", 1) });
            assert_eq!(inner, Err("inner 1".to_string()));
            panic!("outer")
        });
        assert_eq!(outer, Err::<(), _>("outer".to_string()));
        assert_eq!(contained(|| 7), Ok(7));
    }
}
