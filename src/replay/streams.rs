//! The pods' SLA replays fed from the routing loop, on a thread of their own when the machine
//! has a second core.
//!
//! Routing a lead and replaying its pod's SLA are two halves of similar cost, and only the first
//! depends on the row before: so the routing loop hands each (pod, arrival) to a replay thread in
//! batches over a bounded channel, and the two halves run side by side. Every pod's stream sees
//! the same arrivals in the same (file) order as it would inline, so the figures are identical
//! whatever ran where; with one core, or when no thread can be started, the pushes run inline.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use anyhow::anyhow;

use super::sla_stream::PodStream;

/// Arrivals sent to the replay thread at once (16 bytes each).
const BATCH: usize = 4096;
/// Batches in flight at most: the routing loop waits rather than run ahead without bound.
const IN_FLIGHT: usize = 8;

/// A batch of (pod index, arrival in seconds since the epoch).
type Batch = Vec<(usize, i64)>;

/// The pods' streams, inline or on their thread.
pub(super) enum Streams {
    /// Pushed on the calling thread.
    Inline(Vec<PodStream>),
    /// Pushed on the replay thread, a batch at a time.
    Threaded(Threaded),
}

/// The replay thread and the batch being filled for it.
pub(super) struct Threaded {
    /// Pods (streams) there are: an arrival for a pod out of range is dropped, as inline.
    pods: usize,
    batch: Batch,
    tx: SyncSender<Batch>,
    handle: JoinHandle<Vec<PodStream>>,
}

/// Whether the SLA replay gets a thread of its own: when the OS offers a second core.
pub fn second_core() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

impl Streams {
    /// `streams`, on a thread of their own if `threaded` and there is any stream to feed (inline
    /// if the thread cannot be started).
    pub(super) fn new(streams: Vec<PodStream>, threaded: bool) -> Self {
        if !threaded || streams.is_empty() {
            return Self::Inline(streams);
        }
        let pods = streams.len();
        let (tx, rx) = sync_channel::<Batch>(IN_FLIGHT);
        // The thread takes the streams from this slot; if it cannot be started they are still
        // there, and run inline.
        let slot = Arc::new(Mutex::new(Some(streams)));
        let theirs = Arc::clone(&slot);
        let spawned = std::thread::Builder::new().name("sla-replay".to_owned()).spawn(move || {
            let streams = theirs.lock().unwrap_or_else(PoisonError::into_inner).take();
            work(streams.unwrap_or_default(), &rx)
        });
        match spawned {
            Ok(handle) => Self::Threaded(Threaded { pods, batch: Vec::with_capacity(BATCH), tx, handle }),
            Err(_) => Self::Inline(slot.lock().unwrap_or_else(PoisonError::into_inner).take().unwrap_or_default()),
        }
    }

    /// A lead placed on pod `pod` arrived at `t` (seconds since the epoch), in file order.
    pub(super) fn push(&mut self, pod: usize, t: i64) {
        match self {
            Self::Inline(streams) => push(streams, pod, t),
            Self::Threaded(th) => {
                if pod < th.pods {
                    th.batch.push((pod, t));
                    if th.batch.len() == BATCH {
                        let full = std::mem::replace(&mut th.batch, Vec::with_capacity(BATCH));
                        // The thread stops taking batches only if it panicked: `finish` says so.
                        let _ = th.tx.send(full);
                    }
                }
            }
        }
    }

    /// Every stream, once all its arrivals are pushed.
    ///
    /// # Errors
    /// The replay thread panicked (a bug: its message is already on stderr); the run fails
    /// rather than report figures with arrivals missing.
    pub(super) fn finish(self) -> anyhow::Result<Vec<PodStream>> {
        match self {
            Self::Inline(streams) => Ok(streams),
            Self::Threaded(Threaded { batch, tx, handle, .. }) => {
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                drop(tx);
                handle.join().map_err(|_| anyhow!("the SLA replay thread stopped on an internal error"))
            }
        }
    }
}

/// Push `t` to pod `pod`'s stream; an arrival for a pod out of range is dropped.
fn push(streams: &mut [PodStream], pod: usize, t: i64) {
    if let Some(stream) = streams.get_mut(pod) {
        stream.push(t);
    }
}

/// The replay thread: push every batch's arrivals, in order, until the routing loop is done.
fn work(mut streams: Vec<PodStream>, rx: &Receiver<Batch>) -> Vec<PodStream> {
    while let Ok(batch) = rx.recv() {
        for (pod, t) in batch {
            push(&mut streams, pod, t);
        }
    }
    streams
}
