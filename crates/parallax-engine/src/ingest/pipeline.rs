//! Reading on one thread and completing articles on the others, so a large ingest uses every core.
//!
//! The reader thread runs the readers over every input file and cuts what they find into batches; worker threads
//! pass each batch's articles through [`complete_article`](super::complete_article) (normalisation, language,
//! ids: most of the work); the calling thread gets the completed batches back in input order and keeps them
//! (in Parallax, writes them to the store). Channels between the stages are bounded, so memory stays flat however
//! large the input: a slow consumer holds the reader back.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use super::walk::read_file_uncompleted;
use super::{InputFile, Item, ReadLimits, completed};

/// How [`ingest_in_parallel`] cuts its work.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    /// Threads completing articles; the reader and the caller run besides them.
    pub workers: usize,
    /// A batch is handed on once it holds this many items...
    pub batch_items: usize,
    /// ...or this many bytes of article text, whichever comes first.
    pub batch_bytes: usize,
    /// What one input may cost the readers.
    pub limits: ReadLimits,
}

impl Default for PipelineConfig {
    /// One worker per core, and batches of up to 2,000 items or 4 MB of text: large enough that handing them
    /// between threads costs nothing, small enough that a few batches in flight stay within tens of MB. A store
    /// may gather several into one transaction (the `parallax` binary does).
    fn default() -> Self {
        PipelineConfig {
            workers: thread::available_parallelism().map_or(2, |n| n.get()),
            batch_items: 2_000,
            batch_bytes: 4 << 20,
            limits: ReadLimits::default(),
        }
    }
}

/// Reads every file and hands the items found (articles completed, rejects as they are) to `deliver` in batches,
/// in the order a sequential read would give them.
///
/// `progress` is called from the reader thread with the number of input bytes (as stored, before decompression)
/// consumed by each read, for a progress bar. If `deliver` fails, no further batch is delivered and its error is
/// returned once the other threads have stopped.
pub fn ingest_in_parallel<E: Send>(
    files: &[InputFile],
    config: &PipelineConfig,
    progress: &(dyn Fn(u64) + Sync),
    deliver: &mut dyn FnMut(Vec<Item>) -> Result<(), E>,
) -> Result<(), E> {
    let workers = config.workers.max(1);
    let stop = AtomicBool::new(false);
    let (raw_tx, raw_rx) = sync_channel::<(u64, Vec<Item>)>(workers * 2);
    let raw_rx = Arc::new(Mutex::new(raw_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Vec<Item>)>(workers * 2);
    thread::scope(|scope| {
        let stop = &stop;
        // Named threads show up as such in profilers and panics.
        thread::Builder::new()
            .name("ingest-reader".into())
            .spawn_scoped(scope, move || {
                read_batches(files, config, progress, stop, raw_tx)
            })
            .expect("cannot start the reader thread");
        for _ in 0..workers {
            let raw_rx = Arc::clone(&raw_rx);
            let done_tx = done_tx.clone();
            thread::Builder::new()
                .name("ingest-completer".into())
                .spawn_scoped(scope, move || complete_batches(&raw_rx, &done_tx))
                .expect("cannot start a completing thread");
        }
        // Only the workers may hold the receivers: once they have all stopped, the reader's sends must fail rather
        // than block on a full channel nobody empties.
        drop(raw_rx);
        drop(done_tx);
        let result = deliver_in_order(&done_rx, deliver);
        if result.is_err() {
            // Dropping the receiver makes the workers' sends fail, and the flag makes the reader skip the rest.
            stop.store(true, Ordering::Relaxed);
        }
        drop(done_rx);
        result
    })
}

fn read_batches(
    files: &[InputFile],
    config: &PipelineConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    raw_tx: SyncSender<(u64, Vec<Item>)>,
) {
    let mut seq = 0u64;
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    let mut send = |batch: &mut Vec<Item>, bytes: &mut usize| {
        *bytes = 0;
        let full = std::mem::take(batch);
        if raw_tx.send((seq, full)).is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        seq += 1;
    };
    for file in files {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        read_file_uncompleted(file, &config.limits, progress, &mut |item| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            if let Item::Article(article) = &item {
                bytes += article.text.len() + article.title.len();
            }
            batch.push(item);
            if batch.len() >= config.batch_items || bytes >= config.batch_bytes {
                send(&mut batch, &mut bytes);
            }
        });
    }
    if !batch.is_empty() {
        send(&mut batch, &mut bytes);
    }
}

fn complete_batches(
    raw_rx: &Mutex<Receiver<(u64, Vec<Item>)>>,
    done_tx: &SyncSender<(u64, Vec<Item>)>,
) {
    loop {
        // Hold the lock only to take a batch, never while completing one.
        let next = raw_rx.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, batch))) = next else {
            return;
        };
        let batch = batch.into_iter().map(completed).collect();
        if done_tx.send((seq, batch)).is_err() {
            return;
        }
    }
}

fn deliver_in_order<E>(
    done_rx: &Receiver<(u64, Vec<Item>)>,
    deliver: &mut dyn FnMut(Vec<Item>) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting = BTreeMap::new();
    let mut next = 0u64;
    for (seq, batch) in done_rx {
        waiting.insert(seq, batch);
        while let Some(batch) = waiting.remove(&next) {
            deliver(batch)?;
            next += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::atomic::AtomicU64;

    use parallax_model::Place;

    use super::*;
    use crate::ingest::read_file;

    fn jsonl(lines: usize) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        for i in 0..lines {
            if i % 7 == 6 {
                writeln!(file, "{{broken").unwrap();
            } else {
                writeln!(
                    file,
                    r#"{{"title": "Item {i}", "text": "Body number {i}.  Ends here."}}"#
                )
                .unwrap();
            }
        }
        file
    }

    fn input(file: &tempfile::NamedTempFile) -> InputFile {
        InputFile {
            path: file.path().to_string_lossy().into_owned(),
            location: file.path().to_owned(),
            size: Some(file.as_file().metadata().unwrap().len()),
        }
    }

    #[test]
    fn gives_what_a_sequential_read_gives_in_the_same_order() {
        let file = jsonl(500);
        let files = [input(&file), input(&file)];
        let mut sequential = Vec::new();
        for f in &files {
            read_file(f, &mut |item| sequential.push(item));
        }
        let config = PipelineConfig {
            workers: 3,
            batch_items: 17,
            batch_bytes: 1 << 20,
            limits: ReadLimits::default(),
        };
        let read = AtomicU64::new(0);
        let mut parallel = Vec::new();
        ingest_in_parallel::<()>(
            &files,
            &config,
            &|n| {
                read.fetch_add(n, Ordering::Relaxed);
            },
            &mut |batch| {
                assert!(batch.len() <= 17);
                parallel.extend(batch);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(parallel, sequential);
        assert_eq!(parallel.len(), 1000);
        assert!(
            parallel
                .iter()
                .any(|i| matches!(i, Item::Reject(r) if r.origin.place == Place::Line(7)))
        );
        assert_eq!(read.load(Ordering::Relaxed), 2 * files[0].size.unwrap());
    }

    #[test]
    fn stops_when_the_consumer_fails() {
        let file = jsonl(2_000);
        let config = PipelineConfig {
            workers: 2,
            batch_items: 10,
            batch_bytes: 1 << 20,
            limits: ReadLimits::default(),
        };
        let mut delivered = 0;
        let result = ingest_in_parallel(&[input(&file)], &config, &|_| {}, &mut |_| {
            delivered += 1;
            if delivered == 3 {
                Err("disk full")
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Err("disk full"));
        assert_eq!(delivered, 3);
    }
}
