//! `convivio`: the diary without a screen, for scripting, tests, benchmarks and the demo.
//!
//! A crate of its own (`convivio-cli`), beside the app rather than inside `convivio-diary`, so
//! the app never links what only a command line needs (clap, rpassword, anyhow). Everything it
//! decides is the diary's; this only parses arguments, asks for passphrases and prints.
//!
//! Every command works on one diary folder (`--diary DIR`). The passphrase comes from
//! `CONVIVIO_PASSPHRASE` or, when that is unset, from a prompt. Validation errors print the field
//! and the rule and exit with status 2; other failures exit with 1.

mod add;
mod print;
mod profile;
mod show;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use convivio_diary::{Diary, DiaryError, TimelineQuery};
use zeroize::Zeroizing;

#[derive(Debug, Parser)]
#[command(name = "convivio", version, about = "The Convivio caregiver's diary, from the command line")]
struct Cli {
    /// The diary folder.
    #[arg(long, env = "CONVIVIO_DIARY", global = true, default_value = ".")]
    diary: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new, empty diary in the folder.
    Init,
    /// Add an entry.
    #[command(subcommand)]
    Add(add::AddCommand),
    /// Show the timeline, newest first.
    List(ListArgs),
    /// Find entries containing every word of TEXT ("citta" finds "città").
    Search {
        text: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show one entry with the agency's replies, where the agency stands with it, and who
    /// there read it.
    Show {
        /// The entry's id (as `list` prints it).
        id: String,
        /// Print one JSON object: entry, thread, status, status_history, read_receipts, journey.
        #[arg(long)]
        json: bool,
    },
    /// Answer the agency under an entry you shared; it is sent at the next sync.
    Reply {
        /// The entry's id (as `list` prints it).
        id: String,
        #[arg(long)]
        text: String,
    },
    /// Your banded profile: set or show it.
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Your research consent: give, revoke or show it.
    #[command(subcommand)]
    Consent(profile::ConsentCommand),
    /// Write all your data as JSON and CSV files into a folder.
    ExportMine {
        #[arg(long)]
        out: PathBuf,
    },
    /// Add many entries from a JSON Lines file (the shape `list --json` prints), all or none.
    Import {
        #[arg(long)]
        jsonl: PathBuf,
    },
    /// Connect this diary to the agency's server with the code the agency gave you.
    Enrol {
        /// The server's address: https://..., or http:// only to this computer.
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
        /// Replace an existing connection (this device gets a new identity).
        #[arg(long)]
        again: bool,
    },
    /// Send waiting changes to the agency and receive theirs.
    Sync,
    /// When this diary last synced, what is waiting, and the last problem.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase (the new one from CONVIVIO_NEW_PASSPHRASE or a prompt).
    Passwd,
    /// Erase the diary from this device. There is no undo.
    Erase {
        /// Confirms that you mean it.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Print JSON Lines: one entry a line.
    #[arg(long)]
    json: bool,
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    factor: Option<String>,
    /// First date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Last date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    sharing: Option<String>,
    /// Show at most this many entries (all when omitted).
    #[arg(long)]
    limit: Option<usize>,
}

/// The passphrase from `var` or a prompt, wiped from this process's memory when dropped.
fn passphrase(var: &str, prompt: &str) -> anyhow::Result<Zeroizing<String>> {
    match std::env::var(var) {
        Ok(p) => Ok(Zeroizing::new(p)),
        Err(_) => {
            rpassword::prompt_password(prompt).map(Zeroizing::new).context("could not read the passphrase")
        }
    }
}

fn open(cli: &Cli) -> anyhow::Result<Diary> {
    let pass = passphrase("CONVIVIO_PASSPHRASE", "Passphrase: ")?;
    Ok(Diary::open(&cli.diary, &pass)?)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Init => {
            let pass = passphrase("CONVIVIO_PASSPHRASE", "New passphrase: ")?;
            Diary::create(&cli.diary, &pass)?;
            println!("created a diary in {}", cli.diary.display());
        }
        Command::Add(cmd) => {
            let input = cmd.to_input();
            let mut diary = open(&cli)?;
            let entry = diary.add_entry(&input)?;
            println!("{}", entry.id);
        }
        Command::List(args) => {
            let diary = open(&cli)?;
            let mut query = TimelineQuery {
                kind: args.kind.clone(),
                factor: args.factor.clone(),
                from: args.from.clone(),
                to: args.to.clone(),
                sharing: args.sharing.clone(),
                cursor: None,
                limit: Some(convivio_diary::timeline::MAX_PAGE),
            };
            let mut shown = 0;
            let mut out = std::io::stdout().lock();
            'pages: loop {
                let page = diary.timeline(&query)?;
                for entry in &page.entries {
                    if args.limit.is_some_and(|l| shown >= l) {
                        break 'pages;
                    }
                    print::entry(&mut out, &entry.entry, args.json)?;
                    shown += 1;
                }
                match page.next_cursor {
                    Some(c) => query.cursor = Some(c),
                    None => break,
                }
            }
        }
        Command::Search { text, json, limit } => {
            let diary = open(&cli)?;
            let mut out = std::io::stdout().lock();
            for entry in diary.search(text, *limit)? {
                print::entry(&mut out, &entry, *json)?;
            }
        }
        Command::Show { id, json } => show::show(&open(&cli)?, id, *json)?,
        Command::Reply { id, text } => show::reply(&mut open(&cli)?, id, text)?,
        Command::Profile(cmd) => profile::profile(&mut open(&cli)?, cmd)?,
        Command::Consent(cmd) => profile::consent(&mut open(&cli)?, cmd)?,
        Command::ExportMine { out } => {
            let diary = open(&cli)?;
            let summary = diary.export_mine(out)?;
            println!(
                "exported {} entries and {} other records to {}",
                summary.entries,
                summary.records,
                out.display()
            );
        }
        Command::Import { jsonl } => {
            let file =
                std::fs::File::open(jsonl).with_context(|| format!("could not open {}", jsonl.display()))?;
            let mut diary = open(&cli)?;
            let saved = diary.import_jsonl(std::io::BufReader::new(file))?;
            println!("imported {} entries", saved.len());
        }
        Command::Enrol { server, code, again } => sync::enrol(open(&cli)?, server, code, *again)?,
        Command::Sync => sync::sync(open(&cli)?)?,
        Command::Status { json } => sync::status(&open(&cli)?, *json)?,
        Command::Passwd => {
            let current = passphrase("CONVIVIO_PASSPHRASE", "Current passphrase: ")?;
            let new = passphrase("CONVIVIO_NEW_PASSPHRASE", "New passphrase: ")?;
            let mut diary = Diary::open(&cli.diary, &current)?;
            diary.change_passphrase(&current, &new)?;
            println!("passphrase changed");
        }
        Command::Erase { yes } => {
            if !yes {
                anyhow::bail!("erasing cannot be undone; run again with --yes if you mean it");
            }
            open(&cli)?.erase()?;
            println!("the diary was erased from this device");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            match e.downcast_ref::<DiaryError>() {
                Some(DiaryError::Invalid(_) | DiaryError::BadLine { .. }) => ExitCode::from(2),
                Some(DiaryError::WrongPassphrase) => ExitCode::from(3),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
