//! The accept loop. It is hand-rolled on hyper (instead of `axum::serve`) for one reason: the
//! "commit a label, then drop the connection" fault must close a TCP connection without writing
//! any response, which a handler cannot do on its own. Every request carries a
//! [`ConnectionKiller`] for its connection; a handler that fires it never answers and the
//! connection is dropped.

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// Closes the connection a request arrived on, without a response.
#[derive(Clone)]
pub struct ConnectionKiller(Arc<Notify>);

impl ConnectionKiller {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

pub async fn serve(listener: TcpListener, app: Router, mut stop: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let (stream, _) = match accepted {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("usps-sim accept: {e}");
                continue;
            }
        };
        let app = app.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let killer = ConnectionKiller(kill.clone());
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(killer.clone());
                app.clone().oneshot(req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}
