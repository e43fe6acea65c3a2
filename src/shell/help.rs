//! The text of `.help` and its topics, with an example of every statement.
//! A test parses every example line, so the help cannot drift from the
//! language (`grammar/claimdb.ebnf` is the full reference).

/// The topics `.help TOPIC` knows, with a one-line summary each.
pub const TOPICS: &[(&str, &str)] = &[
    ("queries", "finding claims: every filter, order and limit"),
    ("counting", "counting, grouping, sources, plans"),
    ("writes", "adding claims, statuses, ratings, evidence, links, edits"),
    ("questions", "as-of, corroboration, track records, staleness, contradictions"),
    ("ratings", "the rating scale: built-in scales, your own, what track records count"),
    ("import", "importing and exporting JSONL, CSV and ClaimReview"),
    ("articles", "from article to claims: extract, review, import; claims like"),
    ("formats", "table, json, jsonl, csv and lines output"),
    ("meta", "the dot commands of the shell"),
];

const QUERIES: &str = "\
Queries: `claims` and any filters, in any order; all must hold.
  claims                                        every claim, by date then id
  claims by anonymous officials after 2024-11-01
  claims by named officials                     the source gave its name
  claims by US officials                        officials affiliated with the US
  claims by anonymous officials of Qatar
  claims by Reuters                             source name (\"…\" for several words)
  claims by \"diplomatic official\"
  claims by anonymous sources                   anonymous, of any kind
  claims via Reuters                            one of the outlets
  claims reported by AFP
  claims via AFP or Reuters                     any of them (by, via, about, rated)
  claims about not Qatar                        none of them: not goes first
  claims via not AFP or Reuters                 (neither AFP nor Reuters)
  claims about \"Gaza ceasefire\"                 one of the topics
  claims mentioning \"political office\"          the words in a row, case and
  claims mentioning negotiat*                   punctuation ignored; * = prefix
  claims with status disputed or denied
  claims disputed                               the same, shorter
  claims rated \"half-true\"                      as the rating scale reads it
  claims rated false or \"pants-fire\"
  claims after 2024-11-01                       also: before, on, since, until
  claims between 2024-11-01 and 2024-11-30
  claims in 2024-11                             a month (or a year: in 2024)
  claims where (source.kind = official and not source.anonymous) or status = false
  claims where text contains \"Doha\" and outlet != AFP
  claims contradicting claim 7                  also supporting, updating,
  claims supported by claim 4                   duplicating; and the passive
  claims order by date desc limit 10            order by date, id, status, source
A name that matches nothing gets a note (on stderr, never in the results)
with the names close to it and the role it has here: `claims by Reuters`
says that Reuters is an outlet and to try `claims via Reuters`.
Fields in `where`: text, source, source.kind, source.anonymous,
source.affiliation, outlet, topic, status, rating, date, id; operators
= != < <= > >= contains; and, or, not, parentheses; `rating = none`.
Statuses: unverified, corroborated, confirmed, disputed, denied, false,
retracted. Kinds (singular or plural): official, spokesperson, government,
organization, media, person, document, unknown.";

const COUNTING: &str = "\
Counting and looking around
  count claims by anonymous officials
  count claims via Reuters per status           per status, source, outlet, topic,
  count claims per month                        rating, kind, affiliation, month, year
  count claims per source limit 10              the ten biggest
  claim 3                                       one claim in full
  show claim #3                                 the same
  history of claim 3                            its status history
  sources                                       every source with its claims
  kinds                                         each kind with its claims; so
  affiliations                                  do affiliations, outlets,
  outlets                                       topics and ratings (as count
  topics                                        claims per kind … does, from
  ratings                                       the index alone)
  sources anonymous officials of Qatar          a pattern, as after `by`
  explain claims by anonymous officials after 2024-11-01
                                                which index answers it, and how";

const WRITES: &str = "\
Writes: each is one atomic write, on disk before the result is shown.
  add claim \"The Hamas political office no longer serves its purpose\"
      by \"US officials\" as anonymous official of US via Reuters, AFP
      on 2024-11-09 about Qatar, \"Hamas office\" status unverified
  set status of claim 4 to disputed on 2024-11-10 because \"Qatar denied the report\"
  rate claim 4 \"half-true\"                      on the rating scale (.help ratings)
  clear rating of claim 4
  add evidence \"https://example.org/wire\" note \"wire copy\" to claim 4
  link claim 4 contradicts claim 7              supports, contradicts, updates,
  unlink claim 4 contradicts claim 7            duplicates
  set text of claim 4 to \"Qatar suspends its mediation\"
  set date of claim 4 to 2024-11-08
  set notes of claim 4 to \"checked against the AFP copy\"
  set source of claim 4 to \"diplomatic source\" as anonymous official of Qatar
  add outlets AP, \"Al Jazeera\" to claim 4
  remove topic mediation from claim 4
  delete claim 4
`add claim` needs `by` and `on`; without `as`, the kind is unknown and the
source is named (`as anonymous source`: anonymous, of no particular kind).
Giving a claim what it has (a topic, its rating) changes nothing and says so. A status change goes into the history and nothing else is
overwritten without a trace: `claim 4` lists every edit.";

const QUESTIONS: &str = "\
Questions other trackers do not answer
  claims with status unverified as of 2024-11-09    statuses as they stood then
  claims confirmed as of 2024-11-05 with status retracted
                                                believed then, withdrawn now
  claims reported by at least 2 outlets
  claims reported only via Reuters
  claims whose only sources are anonymous
  track record of \"US officials\"                claims per status and rating,
                                                and the shares of rated claims
                                                whose rating is true-ish or
                                                false-ish (by the rating scale)
  sources ranked by retracted                   also kinds, affiliations, outlets
  outlets ranked by confirmed
  sources ranked by false-ish with at least 10 claims
  sources ranked by rating \"pants-fire\" with at least 10 claims limit 5
  claims unverified for more than 14 days       no change of status since
  unresolved contradictions                     neither side confirmed or false";

const RATINGS: &str = "\
Ratings and the rating scale: each database has one scale, which says the
ratings it accepts and which way each leans (true-ish, mixed, false-ish).
A new database has PolitiFact's: true, mostly-true, half-true, mostly-false
(also barely-true, as LIAR2 spells it), false, pants-fire. Ratings match
their grade whatever the case and punctuation (Mostly True is mostly-true);
a rating off the scale is refused, by `rate` and by imports alike.
  rating scale                                  the scale, with its claims
  set rating scale to snopes                    true, mostly true, mixture,
                                                mostly false, false
  set rating scale to any                       every rating, leaning neither way
  set rating scale to newsroom (true: accurate; mixed: \"needs context\";
      false: misleading or \"misleading claim\", fabricated) allowing others
  add rating misleading to rating scale as false      widen the scale
  remove rating misleading from rating scale
A scale of your own lists its grades by leaning, from true to false; `or`
gives a grade another spelling; `allowing others` accepts ratings it does
not list (leaning neither way). A change that would leave claims with
ratings off the scale is refused and names them. Track records count the
ratings by leaning: rated true-ish and false-ish are shares of the rated
claims.";

const IMPORT: &str = "\
Import and export (the format follows the name: .jsonl, .csv, .json, .jsonld)
  import \"claims.jsonl\"                         all or nothing: one bad line and
  import \"claims.jsonl\" skip bad                nothing is written, unless `skip bad`
  import csv \"tests/data/liar2/test.csv\" map text = statement, source = speaker,
      date = date, rating = label (0 = \"pants-fire\", 1 = \"false\", 2 = \"barely-true\",
      3 = \"half-true\", 4 = \"mostly-true\", 5 = \"true\"), topics = subject split \";\",
      kind = \"person\"
  import claimreview \"reviews.json\"              schema.org ClaimReview
  export to \"all.jsonl\"                          every claim, with history
  export claims by Reuters to \"reuters.csv\"      any query's claims
In a CSV map, a bare word (or column \"…\") is a column of the file and a
quoted string a constant; `split \";\"` makes a list, `(0 = \"…\")`
translates codes, `dates day-first|month-first` reads 28/07/2022.
  .import FILE [skip bad]   the same as: import \"FILE\" [skip bad]
  .export FILE              the same as: export to \"FILE\"";

const ARTICLES: &str = "\
From article to claims: a plain-text news article's attributed claims
(\"…,” said a diplomatic official speaking anonymously to Reuters\"), each
with its source, outlets and date, matched against the claims already here.
  extract from \"article.txt\"                   the proposals; nothing is stored
  extract from \"article.txt\" dated 2024-11-09 via Reuters
                                                `dated`: else the date line or
                                                dateline; `via`: every proposal's
  import article \"article.txt\"                 record them all in one write; one
                                                that repeats a claim (60% similar,
                                                same source) is merged into it
  review article \"article.txt\"                 one at a time in the shell: accept,
                                                edit, merge into a match, skip
  claims like \"Qatar suspends its mediation\"    ranked by similarity (BM25), with
  claims like \"Hamas office in Doha\" limit 3    a score; 10 unless `limit`
  claims similar to claim 3                     the claims most like claim #3
`--format cq` prints the proposals of `extract from` as `add claim`
statements to edit and run with -f; `--format json` gives each its
`extraction`: cue, quote, span and source_span (in characters), rule and
matches. `add claim` says when the same source has a near-identical claim.";

const FORMATS: &str = "\
Output formats (.mode FORMAT, or --format FORMAT on the command line)
  table   aligned columns fitted to the terminal (the default)
  json    a JSON array of objects; claims as in the interchange format
  jsonl   one JSON object per line
  csv     a header row, then one row per result; lists joined with \"; \"
  lines   one line per row, every value in full, fields separated by \" | \"
          (nothing padded, wrapped or cut: for grep and diff)
  cq      the proposals of `extract from` as `add claim` statements, to edit
          and run with -f (other results are refused)";

const META: &str = "\
Meta commands (one line each, also in scripts)
  .help [TOPIC]             this help; topics: queries, counting, writes,
                            questions, ratings, import, articles,
                            formats, meta
  .mode table|json|jsonl|csv|lines|cq
  .timer on|off             print how long each statement took
  .echo on|off              print each statement before its result
  .read FILE                run a script
  .import FILE [skip bad]   import a file (see .help import)
  .export FILE              export every claim
  .backup FILE              write the whole database to FILE (JSONL), safely
  .restore FILE             load a backup into an empty database
  .output FILE|stdout       send results to a file, or back to the screen
  .sources                  sources and their number of claims
  .stats                    claims per status, sources, outlets, size on disk
  .check                    check the database's integrity
  .quit, .exit              leave (so do exit, quit and Ctrl-D)";

const OVERVIEW_HEAD: &str = "\
claimdb tracks claims made in news reporting: who said what, which outlets
reported it, when, and whether it has held up. Type a statement and press
Enter; a statement may continue over several lines while a quote or a
parenthesis is open (an empty line inside a quote says where it was
opened; `;` alone on a line stops there), and `;` separates statements
on one line.

  claims by anonymous officials after 2024-11-01
  claims mentioning \"political office\" with status unverified
  count claims via Reuters per status
  claim 3
  add claim \"…\" by \"US officials\" as anonymous official of US via Reuters on 2024-11-09
  set status of claim 3 to disputed on 2024-11-10 because \"Qatar denied it\"
  import \"claims.jsonl\"

Topics (.help TOPIC):";

const OVERVIEW_TAIL: &str = "\
Keys: Tab completes, Up recalls history, Ctrl-C clears the line or stops a
running statement, Ctrl-D leaves.";

/// The overview printed by `.help` alone: examples and the list of topics.
pub fn overview() -> String {
    let mut text = String::from(OVERVIEW_HEAD);
    for (name, summary) in TOPICS {
        text.push_str(&format!("\n  {name:<11}{summary}"));
    }
    text.push_str("\n\n");
    text.push_str(META);
    text.push_str("\n\n");
    text.push_str(OVERVIEW_TAIL);
    text
}

/// The help for one topic, if it exists.
pub fn topic(name: &str) -> Option<&'static str> {
    match name.to_lowercase().trim_start_matches('.') {
        "queries" | "query" | "claims" => Some(QUERIES),
        "counting" | "count" | "sources" | "explain" => Some(COUNTING),
        "writes" | "write" | "add" => Some(WRITES),
        "questions" | "records" => Some(QUESTIONS),
        "ratings" | "rating" | "scale" => Some(RATINGS),
        "import" | "export" => Some(IMPORT),
        "articles" | "article" | "extract" | "review" | "like" | "similar" => Some(ARTICLES),
        "formats" | "format" | "mode" => Some(FORMATS),
        "meta" => Some(META),
        _ => None,
    }
}

/// Every example statement in the help texts: the indented lines that start
/// with a statement keyword, joined with their indented continuations, and
/// with the explanation after a wide gap cut off.
pub fn examples() -> Vec<String> {
    let starts = crate::query::keywords::STATEMENT_STARTS;
    let mut out: Vec<String> = Vec::new();
    for text in [QUERIES, COUNTING, WRITES, QUESTIONS, RATINGS, IMPORT, ARTICLES, OVERVIEW_HEAD] {
        let mut current: Option<String> = None;
        for line in text.lines() {
            let statement = line.split("   ").find(|s| !s.trim().is_empty()).unwrap_or("").trim();
            let first = statement.split_whitespace().next().unwrap_or("");
            if line.starts_with("  ") && !line.starts_with("    ") && starts.contains(&first) {
                out.extend(current.take());
                current = Some(statement.to_string());
            } else if line.starts_with("      ") && !line.starts_with("       ") && current.is_some() {
                if let Some(c) = current.as_mut() {
                    c.push(' ');
                    c.push_str(statement);
                }
            } else {
                out.extend(current.take());
            }
        }
        out.extend(current);
    }
    out.retain(|e| !e.contains('…'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses() {
        let examples = examples();
        assert!(examples.len() > 60, "found only {}", examples.len());
        for example in &examples {
            if let Err(e) = crate::query::parser::parse(example) {
                panic!("{}", e.render("help", example, 1));
            }
        }
    }

    #[test]
    fn the_help_shows_every_kind_of_statement() {
        let all: String = [QUERIES, COUNTING, WRITES, QUESTIONS, RATINGS, IMPORT, ARTICLES].join("\n");
        for start in crate::query::keywords::STATEMENT_STARTS {
            assert!(all.contains(&format!("  {start} ")), "no example starts with {start}");
        }
    }

    #[test]
    fn every_topic_has_text() {
        for (name, _) in TOPICS {
            assert!(topic(name).is_some(), "{name}");
            assert!(overview().contains(name));
        }
        assert!(topic("nonsense").is_none());
    }
}
