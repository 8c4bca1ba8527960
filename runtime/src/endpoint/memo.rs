//! The last resolution, kept per thread: a client resolves the same
//! parameters on every call, and comparing them is cheaper than running
//! the rule set again (the AWS SDKs keep the last result the same way).

use super::{Endpoint, ResolveError};
use std::cell::RefCell;
use std::thread::LocalKey;

/// A thread's last parameters and what they resolved to.
pub type Memo<P> = RefCell<Option<(P, Result<Endpoint, ResolveError>)>>;

/// `resolve(params)`, or the last result on this thread when `params` are
/// the last ones resolved.
pub fn memoized<P: PartialEq + Clone + 'static>(
    memo: &'static LocalKey<Memo<P>>,
    params: &P,
    resolve: fn(&P) -> Result<Endpoint, ResolveError>,
) -> Result<Endpoint, ResolveError> {
    memo.with(|last| {
        if let Ok(last) = last.try_borrow() {
            if let Some((p, result)) = last.as_ref() {
                if p == params {
                    return result.clone();
                }
            }
        }
        let result = resolve(params);
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some((params.clone(), result.clone()));
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static LAST: Memo<u32> = const { RefCell::new(None) };
        static CALLS: Cell<u32> = const { Cell::new(0) };
    }

    fn resolve(p: &u32) -> Result<Endpoint, ResolveError> {
        CALLS.with(|c| c.set(c.get() + 1));
        if *p == 0 {
            Err(ResolveError::new("zero"))
        } else {
            Ok(Endpoint::new(format!("https://{p}.example.com")))
        }
    }

    #[test]
    fn the_same_parameters_resolve_once_per_thread() {
        let calls = || CALLS.with(Cell::get);
        assert_eq!(
            memoized(&LAST, &1, resolve).unwrap().url(),
            "https://1.example.com"
        );
        assert_eq!(
            memoized(&LAST, &1, resolve).unwrap().url(),
            "https://1.example.com"
        );
        assert_eq!(calls(), 1);
        assert_eq!(
            memoized(&LAST, &2, resolve).unwrap().url(),
            "https://2.example.com"
        );
        assert_eq!(calls(), 2);
        // Errors are kept too.
        assert_eq!(memoized(&LAST, &0, resolve).unwrap_err().message(), "zero");
        assert_eq!(memoized(&LAST, &0, resolve).unwrap_err().message(), "zero");
        assert_eq!(calls(), 3);
        // Another thread has its own.
        std::thread::spawn(|| {
            assert_eq!(memoized(&LAST, &0, resolve).unwrap_err().message(), "zero");
            assert_eq!(CALLS.with(Cell::get), 1);
        })
        .join()
        .unwrap();
    }
}
