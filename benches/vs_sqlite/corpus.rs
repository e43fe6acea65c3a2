//! The synthetic corpus: N claims in the JSONL interchange format, drawn
//! from a seeded generator so that every run (and both engines) sees the same
//! data, plus the parameters of the benchmark's questions, chosen from that
//! data so that every question has answers.
//!
//! The shapes follow what claim trackers actually hold: source popularity,
//! outlets, topics and words are all Zipf-like (a few very common, a long
//! tail); a fifth of sources are anonymous, mostly officials; most claims
//! stay unverified; most have no fact-checker rating; more claims in recent
//! years than early ones.
//!
//! Generated files are cached under `bench-data/`, keyed by generator
//! version, N and seed: generating a million claims takes a few seconds, and
//! the file is the input of both imports anyway.

use super::rng::{Rng, Weighted};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Bump when the generator changes, so stale cached corpora are not reused.
const GENERATOR_VERSION: u32 = 3;

/// Size of the synthetic vocabulary.
const VOCABULARY: usize = 20_000;
/// Number of distinct topics.
const TOPICS: usize = 2_000;
/// Two-word phrases that recur across texts ("humanitarian corridor"-like),
/// so that phrase queries have something to find beyond chance adjacency.
const COLLOCATIONS: usize = 300;
/// The first day of the ten years claims are dated over.
const FIRST_YEAR: i32 = 2015;
const YEARS: i32 = 10;

/// The thirty outlets, most prolific first (their order is their popularity).
const OUTLETS: [&str; 30] = [
    "Reuters",
    "AP",
    "AFP",
    "BBC",
    "Al Jazeera",
    "CNN",
    "The New York Times",
    "The Washington Post",
    "The Guardian",
    "Axios",
    "Haaretz",
    "The Times of Israel",
    "Bloomberg",
    "The Wall Street Journal",
    "Financial Times",
    "Politico",
    "Le Monde",
    "Der Spiegel",
    "Sky News",
    "NBC News",
    "Al Arabiya",
    "Anadolu",
    "TASS",
    "Xinhua",
    "Kyiv Independent",
    "Channel 12",
    "Ynet",
    "CBS News",
    "Fox News",
    "The Economist",
];

/// Affiliations with their weight, and the adjective anonymous-source names
/// use ("senior Qatari official").
const AFFILIATIONS: [(&str, &str, f64); 20] = [
    ("US", "US", 14.0),
    ("Israel", "Israeli", 12.0),
    ("Russia", "Russian", 7.0),
    ("Ukraine", "Ukrainian", 7.0),
    ("UN", "UN", 6.0),
    ("Qatar", "Qatari", 5.0),
    ("Egypt", "Egyptian", 5.0),
    ("EU", "EU", 5.0),
    ("China", "Chinese", 5.0),
    ("Iran", "Iranian", 4.0),
    ("Hamas", "Hamas", 3.0),
    ("UK", "British", 3.0),
    ("Turkey", "Turkish", 2.0),
    ("Saudi Arabia", "Saudi", 2.0),
    ("France", "French", 2.0),
    ("Germany", "German", 2.0),
    ("NATO", "NATO", 2.0),
    ("Jordan", "Jordanian", 1.0),
    ("WHO", "WHO", 1.0),
    ("Lebanon", "Lebanese", 1.0),
];

/// Topics every tracker of the period would have; the rest are generated.
const REAL_TOPICS: [&str; 40] = [
    "Gaza ceasefire",
    "Qatar",
    "hostages",
    "Ukraine war",
    "Rafah",
    "West Bank",
    "Iran nuclear program",
    "Red Sea shipping",
    "humanitarian aid",
    "Hezbollah",
    "sanctions",
    "grain deal",
    "Zaporizhzhia nuclear plant",
    "Black Sea",
    "NATO expansion",
    "Taiwan Strait",
    "South China Sea",
    "COVID-19 origins",
    "vaccines",
    "elections",
    "Brexit",
    "migration",
    "climate summit",
    "oil prices",
    "Syria",
    "Yemen",
    "Sudan",
    "Lebanon border",
    "Sinai",
    "Egypt mediation",
    "prisoner exchange",
    "Kherson",
    "Bakhmut",
    "Crimea",
    "drone strikes",
    "cyberattacks",
    "Nord Stream",
    "Wagner Group",
    "inflation",
    "interest rates",
];

/// Statuses with weights like a real tracker: most claims never get checked.
const STATUSES: [(&str, f64); 7] = [
    ("unverified", 55.0),
    ("corroborated", 14.0),
    ("confirmed", 10.0),
    ("disputed", 8.0),
    ("denied", 6.0),
    ("false", 5.0),
    ("retracted", 2.0),
];

/// Fact-checker ratings; `None` (no rating) dominates.
const RATINGS: [(Option<&str>, f64); 10] = [
    (None, 70.0),
    (Some("false"), 6.0),
    (Some("mostly false"), 5.0),
    (Some("misleading"), 5.0),
    (Some("half true"), 4.0),
    (Some("mostly true"), 3.0),
    (Some("true"), 3.0),
    (Some("unproven"), 2.0),
    (Some("missing context"), 1.5),
    (Some("pants on fire"), 0.5),
];

/// What the benchmark's questions ask about, chosen from the corpus so that
/// each has answers at any N. Saved next to the cached corpus.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Params {
    /// Number of claims.
    pub n: u64,
    /// The seed.
    pub seed: u64,
    /// Number of distinct sources generated.
    pub sources: usize,
    /// `claims by anonymous officials after D`.
    pub mission_after: String,
    /// A popular named source.
    pub source_name: String,
    /// `claims with status S in M`: the status.
    pub status: String,
    /// … and the month (`YYYY-MM`).
    pub month: String,
    /// `claims about "T" since D`: the topic.
    pub topic: String,
    /// … and the date.
    pub topic_since: String,
    /// A two-word phrase that recurs in texts.
    pub phrase: String,
    /// The word that occurs least often in texts (at least once).
    pub rare_word: String,
    /// The two commonest words, as a phrase (`count claims mentioning`).
    pub common_phrase: String,
    /// `where status = S or outlet = O`: the status.
    pub or_status: String,
    /// … and the outlet.
    pub or_outlet: String,
    /// The claim fetched by id.
    pub claim_id: u64,
    /// `claims like "…"`: a claim's text told again in other words (some
    /// of its words left out, two swapped), as a new article would repeat
    /// it. Empty in a corpus cached before it was added: that corpus is
    /// generated again.
    #[serde(default)]
    pub like_text: String,
}

/// A generated corpus on disk.
pub struct Corpus {
    /// The JSONL file.
    pub path: PathBuf,
    /// The questions' parameters.
    pub params: Params,
}

/// Returns the cached corpus for (n, seed) under `dir`, generating it first
/// if missing. The flag says whether it was generated now.
pub fn ensure(dir: &Path, n: u64, seed: u64) -> io::Result<(Corpus, bool)> {
    fs::create_dir_all(dir)?;
    let stem = format!("claims-g{GENERATOR_VERSION}-n{n}-s{seed}");
    let path = dir.join(format!("{stem}.jsonl"));
    let params_path = dir.join(format!("{stem}.params.json"));
    if path.exists() && params_path.exists() {
        let params: Params = serde_json::from_slice(&fs::read(&params_path)?)
            .map_err(|e| io::Error::other(format!("{}: {e}", params_path.display())))?;
        if !params.like_text.is_empty() {
            return Ok((Corpus { path, params }, false));
        }
    }
    // Write under temporary names and rename at the end, so that an
    // interrupted run never leaves a truncated corpus that a later run
    // would take for a complete one.
    let tmp = dir.join(format!("{stem}.jsonl.tmp"));
    let params = generate(&tmp, n, seed)?;
    fs::rename(&tmp, &path)?;
    let tmp_params = dir.join(format!("{stem}.params.json.tmp"));
    fs::write(&tmp_params, serde_json::to_vec_pretty(&params)?)?;
    fs::rename(&tmp_params, &params_path)?;
    Ok((Corpus { path, params }, true))
}

/// A source as written in the interchange format.
#[derive(Clone, Debug, Serialize)]
struct SourceSpec {
    name: String,
    kind: &'static str,
    anonymous: bool,
    affiliation: Option<&'static str>,
}

/// One line of the JSONL file.
#[derive(Serialize)]
struct Line<'a> {
    id: u64,
    text: &'a str,
    source: &'a SourceSpec,
    outlets: Vec<&'a str>,
    date: &'a str,
    status: &'a str,
    rating: Option<&'a str>,
    topics: Vec<&'a str>,
}

/// Generates the corpus into `path` and picks the questions' parameters.
fn generate(path: &Path, n: u64, seed: u64) -> io::Result<Params> {
    let vocab = vocabulary(&mut Rng::fork(seed, "vocabulary"));
    let sources = sources(&mut Rng::fork(seed, "sources"), n);
    let topics = topics(&mut Rng::fork(seed, "topics"), &vocab);
    let collocations = collocations(&mut Rng::fork(seed, "collocations"));
    let days = day_names();

    let word_dist = Weighted::zipf(VOCABULARY, 1.0);
    let source_dist = Weighted::zipf(sources.len(), 1.0);
    let outlet_dist = Weighted::zipf(OUTLETS.len(), 1.1);
    let topic_dist = Weighted::zipf(TOPICS, 1.0);
    let colloc_dist = Weighted::zipf(COLLOCATIONS, 1.0);
    let status_dist = Weighted::new(STATUSES.iter().map(|s| s.1));
    let rating_dist = Weighted::new(RATINGS.iter().map(|r| r.1));
    let outlet_count = Weighted::new([15.0, 45.0, 28.0, 12.0]);
    let topic_count = Weighted::new([35.0, 35.0, 20.0, 10.0]);

    let mut rng = Rng::fork(seed, "claims");
    // How many times each vocabulary word is written, to find a rare one.
    let mut word_uses = vec![0u32; VOCABULARY];
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut text = String::new();
    let mut picks = Vec::new();
    let mut topic_picks = Vec::new();
    let like_id = (n / 3).max(1);
    let mut like_text = String::new();
    for id in 1..=n {
        // Dates lean recent: the density grows over the ten years (u^0.7).
        let day = ((rng.unit().powf(0.7)) * days.len() as f64) as usize;
        let day = day.min(days.len() - 1);
        write_text(&mut rng, &mut text, &vocab, &word_dist, &collocations, &colloc_dist, &mut word_uses);
        if id == like_id {
            like_text = retold(&text);
        }
        let source = &sources[source_dist.sample(&mut rng)];
        let k = outlet_count.sample(&mut rng);
        outlet_dist.sample_distinct(&mut rng, k, &mut picks);
        let outlets = picks.iter().map(|&i| OUTLETS[i]).collect();
        let k = topic_count.sample(&mut rng) + 1;
        topic_dist.sample_distinct(&mut rng, k, &mut topic_picks);
        let line = Line {
            id,
            text: &text,
            source,
            outlets,
            date: &days[day],
            status: STATUSES[status_dist.sample(&mut rng)].0,
            rating: RATINGS[rating_dist.sample(&mut rng)].0,
            topics: topic_picks.iter().map(|&i| topics[i].as_str()).collect(),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;

    // The least used word that is used at all (ties: the rarer rank).
    let rare = (0..VOCABULARY)
        .filter(|&i| word_uses[i] > 0)
        .min_by_key(|&i| (word_uses[i], std::cmp::Reverse(i)))
        .expect("some word is used");
    // A popular source that is named, so `claims by "Name"` reads like a
    // newsroom question ("what has this spokesperson said?"). Not the very
    // top one: the tenth or so, a few per mille of all claims at 1M.
    let popular = sources
        .iter()
        .skip(9)
        .find(|s| !s.anonymous)
        .or_else(|| sources.iter().find(|s| !s.anonymous))
        .unwrap_or(&sources[0]);
    let (w1, w2) = &collocations[19];
    let mut by_use: Vec<usize> = (0..VOCABULARY).collect();
    by_use.sort_by_key(|&i| (std::cmp::Reverse(word_uses[i]), i));
    Ok(Params {
        n,
        seed,
        sources: sources.len(),
        mission_after: "2023-06-30".into(),
        source_name: popular.name.clone(),
        status: "disputed".into(),
        month: "2022-03".into(),
        topic: topics[4].clone(),
        topic_since: "2024-01-01".into(),
        phrase: format!("{} {}", vocab[*w1], vocab[*w2]),
        rare_word: vocab[rare].clone(),
        common_phrase: format!("{} {}", vocab[by_use[0]], vocab[by_use[1]]),
        or_status: "false".into(),
        or_outlet: OUTLETS[14].into(),
        claim_id: (n * 2 / 3).max(1),
        like_text,
    })
}

/// A text told again: every fourth word left out, the first two words that
/// are left swapped, punctuation dropped, at most 16 words (a sentence of
/// a new article).
fn retold(text: &str) -> String {
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut kept: Vec<&str> = words.iter().enumerate().filter(|(i, _)| i % 4 != 3).map(|(_, w)| *w).take(16).collect();
    if kept.len() > 1 {
        kept.swap(0, 1);
    }
    kept.join(" ")
}

/// Writes one claim text: 15 to 40 words with Zipf frequency, sometimes a
/// recurring phrase or a number, with the punctuation and capitals real
/// text has, so that both engines' tokenizers are exercised (hyphens,
/// commas, curly quotes split words; case does not matter).
fn write_text(
    rng: &mut Rng,
    text: &mut String,
    vocab: &[String],
    word_dist: &Weighted,
    collocations: &[(usize, usize)],
    colloc_dist: &Weighted,
    word_uses: &mut [u32],
) {
    let len = rng.range(15, 40);
    let mut words: Vec<usize> = (0..len).map(|_| word_dist.sample(rng)).collect();
    if rng.chance(0.35) {
        let (a, b) = collocations[colloc_dist.sample(rng)];
        let at = rng.below(len - 1);
        words[at] = a;
        words[at + 1] = b;
    }
    let number_at = rng.chance(0.1).then(|| rng.below(len));
    text.clear();
    for (i, &w) in words.iter().enumerate() {
        if i > 0 {
            // Hyphenated pairs are still two words to both engines.
            text.push(if rng.chance(0.03) { '-' } else { ' ' });
        }
        if number_at == Some(i) {
            text.push_str(&rng.range(2, 5000).to_string());
            text.push(' ');
        }
        word_uses[w] += 1;
        let word = &vocab[w];
        let quoted = rng.chance(0.01);
        if quoted {
            text.push('“');
        }
        if i == 0 {
            let mut chars = word.chars();
            let first = chars.next().expect("words are non-empty");
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        } else {
            text.push_str(word);
        }
        if quoted {
            text.push('”');
        }
        if i + 1 < len && rng.chance(0.06) {
            text.push(',');
        }
    }
    text.push('.');
}

/// 20,000 distinct pronounceable words, shortest first: frequent words are
/// short in real languages, and the Zipf rank is the index. None is a
/// keyword of the query language, so any of them can be written unquoted.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const ONSETS: [&str; 24] = [
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "st", "sh",
        "ch", "th", "h",
    ];
    const VOWELS: [&str; 8] = ["a", "e", "i", "o", "u", "ai", "ou", "ei"];
    const CODAS: [&str; 9] = ["", "", "", "n", "r", "s", "l", "m", "k"];
    let keywords: HashSet<&str> = claimdb::query::keywords::KEYWORDS.iter().copied().collect();
    let syllables = Weighted::new([10.0, 40.0, 35.0, 15.0]);
    let mut seen = HashSet::new();
    let mut words = Vec::with_capacity(VOCABULARY);
    while words.len() < VOCABULARY {
        let mut w = String::new();
        for _ in 0..=syllables.sample(rng) {
            w.push_str(rng.pick(&ONSETS));
            w.push_str(rng.pick(&VOWELS));
            w.push_str(rng.pick(&CODAS));
        }
        if w.len() >= 3 && !keywords.contains(w.as_str()) && seen.insert(w.clone()) {
            words.push(w);
        }
    }
    // Stable: among equal lengths, generation order decides.
    words.sort_by_key(String::len);
    words
}

/// Recurring two-word phrases, from the middle of the vocabulary (common
/// enough to occur elsewhere alone, so a phrase query must check adjacency).
fn collocations(rng: &mut Rng) -> Vec<(usize, usize)> {
    (0..COLLOCATIONS).map(|_| (rng.range(200, 3000), rng.range(200, 3000))).collect()
}

/// 2,000 topics: the real ones first (most popular), then generated ones
/// like "Vashor talks". Distinct case-insensitively, as claimdb keys them.
fn topics(rng: &mut Rng, vocab: &[String]) -> Vec<String> {
    const SUFFIXES: [&str; 15] = [
        "talks",
        "crisis",
        "sanctions",
        "election",
        "dam",
        "border",
        "summit",
        "accord",
        "strike",
        "protests",
        "pipeline",
        "corridor",
        "inquiry",
        "trial",
        "scandal",
    ];
    let mut seen: HashSet<String> = REAL_TOPICS.iter().map(|t| t.to_lowercase()).collect();
    let mut topics: Vec<String> = REAL_TOPICS.iter().map(|t| t.to_string()).collect();
    while topics.len() < TOPICS {
        let t = format!("{} {}", capitalise(&vocab[rng.range(100, 8000)]), rng.pick(&SUFFIXES));
        if seen.insert(t.to_lowercase()) {
            topics.push(t);
        }
    }
    topics
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A person's name: two generated words, capitalised.
fn person_name(rng: &mut Rng) -> String {
    const PARTS: [&str; 20] = [
        "ka", "mi", "ra", "so", "le", "da", "vi", "no", "ta", "ri", "sa", "el", "an", "or", "ya", "be", "lu", "ha",
        "zo", "ne",
    ];
    const ENDS: [&str; 8] = ["n", "r", "s", "l", "", "m", "v", "d"];
    let mut word = |parts: usize| {
        let mut w = String::new();
        for _ in 0..parts {
            w.push_str(rng.pick(&PARTS));
        }
        w.push_str(rng.pick(&ENDS));
        capitalise(&w)
    };
    let first = word(2);
    let last = word(3);
    format!("{first} {last}")
}

/// About N/20 sources (at least 50, at most 50,000), most popular first.
fn sources(rng: &mut Rng, n: u64) -> Vec<SourceSpec> {
    const SENIORITY: [&str; 6] = ["", "senior ", "senior ", "high-ranking ", "former ", "junior "];
    const OFFICIAL_ROLES: [&str; 9] = [
        "official",
        "official",
        "diplomatic official",
        "security official",
        "defence official",
        "intelligence official",
        "administration official",
        "military official",
        "diplomat",
    ];
    const MATTERS: [&str; 8] =
        ["talks", "negotiations", "matter", "plans", "deliberations", "intelligence", "investigation", "discussions"];
    const KNOWING: [&str; 3] = ["familiar with the", "briefed on the", "with knowledge of the"];
    const GOV_BODIES: [&str; 6] = [
        "government",
        "foreign ministry",
        "defence ministry",
        "prime minister's office",
        "interior ministry",
        "presidency",
    ];
    const ORG_SUFFIXES: [&str; 7] =
        ["Institute", "Foundation", "Party", "Council", "Watch", "Network", "Relief Agency"];
    const DOCS: [&str; 6] = ["memo", "report", "diplomatic cable", "assessment", "court filing", "briefing note"];
    // Named kinds: officials, spokespeople and governments dominate news
    // claims; anonymous ones are mostly officials.
    const NAMED_KINDS: [(&str, f64); 8] = [
        ("official", 26.0),
        ("spokesperson", 18.0),
        ("government", 12.0),
        ("organization", 12.0),
        ("media", 8.0),
        ("person", 16.0),
        ("document", 5.0),
        ("unknown", 3.0),
    ];
    const ANONYMOUS_KINDS: [(&str, f64); 6] = [
        ("official", 60.0),
        ("unknown", 15.0),
        ("person", 10.0),
        ("spokesperson", 5.0),
        ("government", 5.0),
        ("organization", 5.0),
    ];
    let named_kinds = Weighted::new(NAMED_KINDS.iter().map(|k| k.1));
    let anonymous_kinds = Weighted::new(ANONYMOUS_KINDS.iter().map(|k| k.1));
    let affiliations = Weighted::new(AFFILIATIONS.iter().map(|a| a.2));
    let count = (n / 20).clamp(50, 50_000) as usize;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0;
    while out.len() < count {
        attempts += 1;
        let anonymous = rng.chance(0.2);
        let kind = if anonymous {
            ANONYMOUS_KINDS[anonymous_kinds.sample(rng)].0
        } else {
            NAMED_KINDS[named_kinds.sample(rng)].0
        };
        // Persons and organisations are often unaffiliated; officials rarely.
        let unaffiliated = match kind {
            "official" | "government" | "spokesperson" => 0.05,
            _ => 0.4,
        };
        let (affiliation, adjective) = if rng.chance(unaffiliated) {
            (None, "")
        } else {
            let a = AFFILIATIONS[affiliations.sample(rng)];
            (Some(a.0), a.1)
        };
        let adj = if adjective.is_empty() || rng.chance(0.3) { String::new() } else { format!("{adjective} ") };
        let name = if anonymous {
            let role = match kind {
                "official" | "government" => rng.pick(&OFFICIAL_ROLES).to_string(),
                "spokesperson" => "spokesperson".to_string(),
                "organization" => "aid worker".to_string(),
                _ => rng.pick(&["source", "person", "people"]).to_string(),
            };
            // Seniority only reads right for officials ("senior source" is
            // rare, "senior people" wrong).
            let seniority = if matches!(kind, "official" | "government") { rng.pick(&SENIORITY) } else { "" };
            if rng.chance(0.6) {
                format!("{seniority}{adj}{role}")
            } else {
                format!("{adj}{role} {} {}", rng.pick(&KNOWING), rng.pick(&MATTERS))
            }
        } else {
            match kind {
                "official" => format!(
                    "{} {}",
                    rng.pick(&["Minister", "Ambassador", "General", "Deputy Minister", "Envoy"]),
                    person_name(rng)
                ),
                "spokesperson" | "person" | "unknown" => person_name(rng),
                "government" => match affiliation {
                    // International bodies and movements have no ministries.
                    Some(a @ ("UN" | "EU" | "NATO" | "WHO" | "Hamas")) => {
                        format!("{a} {}", rng.pick(&["leadership", "press office"]))
                    }
                    a => format!("{} {}", a.unwrap_or("interim"), rng.pick(&GOV_BODIES)),
                },
                "organization" => format!(
                    "{} {}",
                    person_name(rng).split(' ').next_back().unwrap_or("Civic"),
                    rng.pick(&ORG_SUFFIXES)
                ),
                "media" => {
                    if rng.chance(0.5) {
                        rng.pick(&OUTLETS).to_string()
                    } else {
                        format!("{} correspondent", person_name(rng))
                    }
                }
                _ => format!("{adj}{}", rng.pick(&DOCS)),
            }
        };
        let identity = (name.to_lowercase(), kind, anonymous, affiliation.map(str::to_lowercase));
        // Identities repeat (there are only so many "senior US officials");
        // claimdb would merge repeats into one source, so retry a few times
        // to reach the wanted number of distinct sources, then accept.
        if seen.insert(identity) || attempts > count * 20 {
            out.push(SourceSpec { name, kind, anonymous, affiliation });
        }
    }
    out
}

/// The ISO names of every day of the ten years, in order.
fn day_names() -> Vec<String> {
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid date");
    let end = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS, 1, 1).expect("valid date");
    first.iter_days().take_while(|d| *d < end).map(|d| d.format("%Y-%m-%d").to_string()).collect()
}
