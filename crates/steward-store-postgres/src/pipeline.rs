//! Ordered pipelining of statements on one connection.
//!
//! tokio-postgres sends a request when its future is first polled and matches responses in
//! order, so polling several futures of one client together sends them back to back and
//! waits for one round trip instead of one per statement. These joins poll their futures in
//! argument order, so the statements reach the server in that order (`BEGIN` before the
//! `SELECT … FOR UPDATE` before the rest).

use std::future::Future;
use std::pin::pin;
use std::task::Poll;

/// Runs two futures concurrently, first polls in argument order.
pub(crate) async fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = pin!(a);
    let mut b = pin!(b);
    let mut ra = None;
    let mut rb = None;
    std::future::poll_fn(move |cx| {
        if ra.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        match (ra.take(), rb.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                ra = x;
                rb = y;
                Poll::Pending
            }
        }
    })
    .await
}
