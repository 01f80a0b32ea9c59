//! Saves entries into a diary as fast as it can, reporting each one only after the save has
//! returned, until it is killed. The crash test kills it with SIGKILL at random moments and
//! checks that every reported entry survived.
//!
//! Output, one line per finished operation: `saved <id>`, `updated <id> <version>`.

use std::io::Write;
use std::path::PathBuf;

use convivio_core::Sharing;
use convivio_core::entry::EntryInput;
use convivio_diary::Diary;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: crash-writer DIARY_DIR"));
    let mut diary = Diary::open(&dir, convivio_tests::PASSPHRASE).expect("open the diary");
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").and_then(|()| out.flush()).expect("stdout");
    let mut last = None;
    for i in 0u64.. {
        let sharing = ["private", "agency", "research"][(i % 3) as usize];
        match (i % 5, last) {
            (4, Some(id)) => {
                let input = EntryInput {
                    kind: "note".into(),
                    text: Some(format!("edited note {i}")),
                    sharing: Some(sharing.into()),
                    ..Default::default()
                };
                let e = diary.update_entry(id, &input).expect("update");
                writeln!(out, "updated {} {}", e.id, e.version).expect("stdout");
            }
            (3, Some(id)) => {
                let e = diary.set_sharing(id, Sharing::Agency).expect("share");
                writeln!(out, "updated {} {}", e.id, e.version).expect("stdout");
            }
            _ => {
                let input = EntryInput {
                    kind: "note".into(),
                    text: Some(format!("crash test note number {i}: {}", "words ".repeat((i % 40) as usize))),
                    mood: Some(((i % 5) + 1).into()),
                    sharing: Some(sharing.into()),
                    ..Default::default()
                };
                let e = diary.add_entry(&input).expect("save");
                writeln!(out, "saved {}", e.id).expect("stdout");
                last = Some(e.id);
            }
        }
        out.flush().expect("stdout");
    }
}
