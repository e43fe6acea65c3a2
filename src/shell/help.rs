//! The text of `.help` and its topics, with an example of every statement.

/// The topics `.help TOPIC` knows, with a one-line summary each.
pub const TOPICS: &[(&str, &str)] = &[
    ("queries", "finding, counting and explaining claims"),
    ("writes", "adding claims, statuses, ratings, evidence, links"),
    ("import", "importing and exporting JSONL and CSV"),
    ("formats", "table, json, jsonl and csv output"),
    ("meta", "the dot commands of the shell"),
];

const QUERIES: &str = "\
Queries
  claims by anonymous officials after 2024-11-01
  claims mentioning \"political office\" with status unverified
  count claims via Reuters per status
  claim 3                       one claim in full, with history and evidence
  history of claim 3            its status history
  sources                       every source with its number of claims
  explain claims by Reuters     how the query would be run

Filters combine: by SOURCE, via OUTLET, about TOPIC, mentioning \"TEXT\",
with status STATUS, after/before/on DATE (YYYY-MM-DD).
Statuses: unverified, corroborated, confirmed, disputed, denied, false,
retracted. Source kinds: official, spokesperson, government, organization,
media, person, document, unknown.";

const WRITES: &str = "\
Writes
  add claim \"The Hamas political office no longer serves its purpose\"
      by \"US officials\" as anonymous official of US via Reuters, AFP
      on 2024-11-09 about Qatar
  set status of claim 4 to disputed on 2024-11-10 because \"Qatar denied the report\"
  rate claim 4 \"half-true\"
  add evidence \"https://example.org/wire\" note \"wire copy\" to claim 4
  link claim 4 contradicts claim 7
  delete claim 4

Every write is atomic; a status change is added to the claim's history,
never overwriting it.";

const IMPORT: &str = "\
Import and export
  import \"file.jsonl\"
  import csv \"file.csv\" map text = statement, source = speaker, date = date
  export claims by Reuters to \"out.csv\"

  .import FILE [skip bad]   import a JSONL file with a progress bar; with
                            `skip bad`, good records go in and bad ones are
                            listed, otherwise one bad record stops it all
  .export FILE              export every claim as JSONL";

const FORMATS: &str = "\
Output formats (.mode FORMAT, or --format FORMAT on the command line)
  table   aligned columns fitted to the terminal (the default)
  json    a JSON array of objects; claims as in the interchange format
  jsonl   one JSON object per line
  csv     a header row, then one row per result; lists joined with \"; \"";

const META: &str = "\
Meta commands (one line each, also in scripts)
  .help [TOPIC]             this help; topics: queries, writes, import, formats, meta
  .mode table|json|jsonl|csv
  .timer on|off             print how long each statement took
  .read FILE                run a script
  .import FILE [skip bad]   import JSONL (see .help import)
  .export FILE              export every claim as JSONL
  .output FILE|stdout       send results to a file, or back to the screen
  .sources                  sources and their number of claims
  .stats                    claims per status, sources, outlets, size on disk
  .check                    check the database's integrity
  .quit, .exit              leave (so does Ctrl-D)";

const OVERVIEW_HEAD: &str = "\
claimdb tracks claims made in news reporting: who said what, which outlets
reported it, when, and whether it has held up. Type a statement and press
Enter; a statement may continue over several lines while a quote or a
parenthesis is open, and `;` separates statements on one line.";

const OVERVIEW_TAIL: &str = "\
Keys: Tab completes, Up recalls history, Ctrl-C clears the line or stops a
running statement, Ctrl-D leaves. More: .help TOPIC, with TOPIC one of
queries, writes, import, formats, meta.";

/// The overview printed by `.help` alone: every statement by example.
pub fn overview() -> String {
    [OVERVIEW_HEAD, QUERIES, WRITES, IMPORT, META, OVERVIEW_TAIL].join("\n\n")
}

/// The help for one topic, if it exists.
pub fn topic(name: &str) -> Option<&'static str> {
    match name.to_lowercase().trim_start_matches('.') {
        "queries" | "query" => Some(QUERIES),
        "writes" | "write" => Some(WRITES),
        "import" | "export" => Some(IMPORT),
        "formats" | "format" | "mode" => Some(FORMATS),
        "meta" => Some(META),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overview_has_an_example_of_every_statement() {
        let text = overview();
        for example in [
            "claims by anonymous officials after 2024-11-01",
            "count claims via Reuters per status",
            "claims mentioning \"political office\" with status unverified",
            "claim 3",
            "history of claim 3",
            "sources",
            "explain claims by Reuters",
            "add claim \"",
            "set status of claim 4 to disputed on 2024-11-10 because",
            "rate claim 4 \"half-true\"",
            "add evidence \"https://",
            "link claim 4 contradicts claim 7",
            "delete claim 4",
            "import \"file.jsonl\"",
            "import csv \"file.csv\" map text = statement, source = speaker, date = date",
            "export claims by Reuters to \"out.csv\"",
            ".mode",
            ".import",
        ] {
            assert!(text.contains(example), "missing {example}");
        }
    }

    #[test]
    fn every_topic_has_text() {
        for (name, _) in TOPICS {
            assert!(topic(name).is_some(), "{name}");
        }
        assert!(topic("nonsense").is_none());
    }
}
