//! Pagination: a `@paginated` operation called page after page, as a
//! stream of pages ([`Paginator`]) or of the items inside them
//! ([`Items`]). Both are [`futures_core::Stream`]s and also have an
//! `async fn next`, for callers without a stream combinator library.
//!
//! A paginator stops when the output's token is absent or empty, or when
//! it is the token just sent (the AWS SDKs' guard against a service that
//! would loop forever), and after the first error.

use super::transport::BoxFuture;
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Calls the operation for one page.
pub type Fetch<I, O, E> = Arc<dyn Fn(I) -> BoxFuture<'static, Result<O, E>> + Send + Sync>;

/// The pages of a paginated operation.
pub struct Paginator<I, O, E> {
    input: I,
    fetch: Fetch<I, O, E>,
    set_token: fn(&mut I, Option<String>),
    next_token: fn(&O) -> Option<&str>,
    sent: Option<String>,
    pending: Option<BoxFuture<'static, Result<O, E>>>,
    done: bool,
}

// Nothing is pinned structurally: the pending future is boxed.
impl<I, O, E> Unpin for Paginator<I, O, E> {}

impl<I, O, E> std::fmt::Debug for Paginator<I, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<I: Clone + Send + 'static, O: Send + 'static, E: Send + 'static> Paginator<I, O, E> {
    /// Pages of `fetch` starting from `input` (whose own token, if set, is
    /// where the first page starts); `set_token` writes the input token,
    /// `next_token` reads the output token.
    pub fn new(
        input: I,
        fetch: Fetch<I, O, E>,
        set_token: fn(&mut I, Option<String>),
        next_token: fn(&O) -> Option<&str>,
    ) -> Self {
        Paginator {
            input,
            fetch,
            set_token,
            next_token,
            sent: None,
            pending: None,
            done: false,
        }
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of every page, `items` taking them out of a page.
    pub fn items<T>(self, items: fn(O) -> Vec<T>) -> Items<I, O, E, T> {
        Items {
            pages: self,
            items,
            buffer: VecDeque::new(),
        }
    }
}

impl<I: Clone + Send + 'static, O: Send + 'static, E: Send + 'static> Stream
    for Paginator<I, O, E>
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (boxed futures, plain data).
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.pending.is_none() {
            this.pending = Some((this.fetch)(this.input.clone()));
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        this.pending = None;
        match &result {
            Ok(page) => match (this.next_token)(page) {
                Some(t) if !t.is_empty() && this.sent.as_deref() != Some(t) => {
                    let t = t.to_owned();
                    (this.set_token)(&mut this.input, Some(t.clone()));
                    this.sent = Some(t);
                }
                _ => this.done = true,
            },
            Err(_) => this.done = true,
        }
        Poll::Ready(Some(result))
    }
}

/// The items of a paginated operation, page after page.
pub struct Items<I, O, E, T> {
    pages: Paginator<I, O, E>,
    items: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<I, O, E, T> Unpin for Items<I, O, E, T> {}

impl<I, O, E, T> std::fmt::Debug for Items<I, O, E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<I: Clone + Send + 'static, O: Send + 'static, E: Send + 'static, T> Items<I, O, E, T> {
    /// The next item, or `None` after the last one; an error ends the
    /// stream.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<I: Clone + Send + 'static, O: Send + 'static, E: Send + 'static, T> Stream
    for Items<I, O, E, T>
{
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.items)(page)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Clone, Debug, Default)]
    struct In {
        token: Option<String>,
    }
    struct Out {
        next: Option<String>,
        items: Vec<u32>,
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn service(
        pages: Vec<(Option<&'static str>, Vec<u32>)>,
        seen: Arc<Mutex<Vec<Option<String>>>>,
    ) -> Fetch<In, Out, String> {
        let pages = Arc::new(pages);
        Arc::new(move |input: In| {
            let pages = pages.clone();
            let seen = seen.clone();
            Box::pin(async move {
                seen.lock().unwrap().push(input.token.clone());
                let i = match input.token.as_deref() {
                    None => 0,
                    Some(t) => t.parse::<usize>().map_err(|e| e.to_string())?,
                };
                let (next, items) = pages.get(i).cloned().ok_or("no such page")?;
                Ok(Out {
                    next: next.map(str::to_owned),
                    items,
                })
            })
        })
    }

    fn paginator(fetch: Fetch<In, Out, String>) -> Paginator<In, Out, String> {
        Paginator::new(
            In::default(),
            fetch,
            |i, t| i.token = t,
            |o| o.next.as_deref(),
        )
    }

    #[test]
    fn pages_until_the_token_is_absent() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let fetch = service(
            vec![
                (Some("1"), vec![1, 2]),
                (Some("2"), vec![3]),
                (None, vec![4, 5]),
            ],
            seen.clone(),
        );
        let items: Vec<u32> = block_on(async {
            let mut items = paginator(fetch).items(|o| o.items);
            let mut out = Vec::new();
            while let Some(i) = items.next().await {
                out.push(i.unwrap());
            }
            out
        });
        assert_eq!(items, [1, 2, 3, 4, 5]);
        assert_eq!(
            *seen.lock().unwrap(),
            [None, Some("1".into()), Some("2".into())]
        );
    }

    #[test]
    fn stops_on_an_empty_or_repeated_token_and_after_an_error() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let fetch = service(
            vec![(Some("1"), vec![1]), (Some("1"), vec![2])],
            seen.clone(),
        );
        let n = block_on(async {
            let mut p = paginator(fetch);
            let mut n = 0;
            while p.next().await.is_some() {
                n += 1;
            }
            n
        });
        assert_eq!(n, 2, "the repeated token ends the pages");
        let fetch = service(vec![(Some(""), vec![1])], Arc::default());
        assert!(block_on(async {
            let mut p = paginator(fetch);
            p.next().await.unwrap().unwrap();
            p.next().await.is_none()
        }));
        let fetch = service(vec![(Some("7"), vec![1])], Arc::default());
        block_on(async {
            let mut p = paginator(fetch);
            assert!(p.next().await.unwrap().is_ok());
            assert!(p.next().await.unwrap().is_err());
            assert!(p.next().await.is_none());
        });
    }
}
