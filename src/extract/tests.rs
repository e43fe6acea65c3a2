//! The patterns of the brief, one test each, and the API's contract: dates,
//! options, spans in characters, errors.

use super::*;
use crate::model::date::parse_iso;
use crate::model::Kind;

fn day(s: &str) -> Date {
    parse_iso(s).unwrap()
}

fn run(text: &str) -> Vec<Proposal> {
    extract(text, &ExtractOptions { dated: Some(day("2024-11-09")), via: Vec::new() }).unwrap().proposals
}

/// The one proposal of `text`: (content, source, rule).
fn one(text: &str) -> (String, String, &'static str, Proposal) {
    let ps = run(text);
    assert_eq!(ps.len(), 1, "{text}\n{:#?}", ps.iter().map(|p| &p.claim.text).collect::<Vec<_>>());
    let p = ps.into_iter().next().unwrap();
    (p.claim.text.clone(), p.claim.source.name.clone(), p.record.rule.name(), p)
}

#[test]
fn source_said_that_content() {
    let (text, source, rule, p) = one("The foreign ministry said on Tuesday that talks would resume next week.");
    assert_eq!(
        (text.as_str(), source.as_str(), rule),
        ("Talks would resume next week", "foreign ministry", "source-cue-content")
    );
    assert_eq!(p.record.quote, QuoteKind::Indirect);
    let (text, _, _, _) = one("Officials said the border crossing had been closed since Monday.");
    assert_eq!(text, "The border crossing had been closed since Monday");
}

#[test]
fn content_then_source_said() {
    let (text, source, rule, p) =
        one("The border will stay closed until further notice, a senior Qatari official said.");
    assert_eq!(
        (text.as_str(), source.as_str(), rule),
        ("The border will stay closed until further notice", "senior Qatari official", "content-source-cue")
    );
    assert!(p.claim.source.anonymous);
    assert_eq!(p.claim.source.affiliation.as_deref(), Some("Qatar"));
    assert_eq!(p.claim.source.kind, Kind::Official);
}

#[test]
fn quote_then_said_source_with_participle_and_outlet() {
    let (text, source, rule, p) = one(
        "“Qatar will cease its efforts until both sides show willingness,” said a diplomatic official speaking anonymously to Reuters.",
    );
    assert_eq!(text, "Qatar will cease its efforts until both sides show willingness");
    assert_eq!((source.as_str(), rule), ("diplomatic official", "content-cue-source"));
    assert_eq!(p.record.quote, QuoteKind::Direct);
    assert!(p.claim.source.anonymous);
    assert_eq!(p.claim.outlets, vec!["Reuters"]);
}

#[test]
fn straight_quotes_and_colons() {
    let (text, source, _, p) = one("The spokesman told reporters: \"We have put everything on the table.\"");
    assert_eq!((text.as_str(), source.as_str()), ("We have put everything on the table", "spokesman"));
    assert_eq!(p.record.quote, QuoteKind::Direct);
    assert_eq!(p.claim.source.kind, Kind::Spokesperson);
}

#[test]
fn according_to_before_and_after() {
    let (text, source, rule, _) = one("According to the health ministry, 43 people were killed in the strikes.");
    assert_eq!(
        (text.as_str(), source.as_str(), rule),
        ("43 people were killed in the strikes", "health ministry", "according-to")
    );
    let (text, source, _, p) = one("The package includes a price cap on crude oil, according to a draft seen by AFP.");
    assert_eq!(
        (text.as_str(), source.as_str()),
        ("The package includes a price cap on crude oil", "draft seen by AFP")
    );
    assert_eq!((p.claim.source.kind, p.claim.outlets.clone()), (Kind::Document, vec!["AFP".to_string()]));
}

#[test]
fn news_agencies_carry_the_claim_of_the_sources_they_quote() {
    let (_, source, _, p) = one(
        "According to news agencies, including AFP, Reuters, and the Associated Press, sources close to the situation reported Doha is frustrated with the deadlock.",
    );
    assert_eq!(source, "sources close to the situation");
    assert_eq!(p.claim.outlets, vec!["AFP", "Reuters", "AP"]);
    assert!(p.claim.source.anonymous);
}

#[test]
fn told_outlet_and_said_to_outlet() {
    let (_, source, _, p) = one("A Hamas official told Reuters that the group had received no request to leave.");
    assert_eq!((source.as_str(), p.claim.outlets.clone()), ("Hamas official", vec!["Reuters".to_string()]));
    assert_eq!(p.claim.source.affiliation.as_deref(), Some("Hamas"));
    assert_eq!(p.record.cue, "told Reuters");
    let (_, _, _, p) = one("“They cannot continue to mediate,” an anonymous official of the country said to AFP.");
    assert_eq!(p.claim.outlets, vec!["AFP"]);
}

#[test]
fn quoted_by_outlet_as_saying() {
    let (text, source, rule, p) = one(
        "Argentina's trade secretary, Martín Echeverría, was quoted by the news agency Noticias Argentinas as saying that a deal could be signed next month.",
    );
    assert_eq!(
        (text.as_str(), source.as_str(), rule),
        ("A deal could be signed next month", "Martín Echeverría", "quoted-as-saying")
    );
    assert_eq!(p.claim.outlets, vec!["Noticias Argentinas"]);
    assert_eq!(p.claim.source.affiliation.as_deref(), Some("Argentina"));
    assert!(!p.claim.source.anonymous);
}

#[test]
fn outlet_reported_citing_sources() {
    let (text, source, rule, p) = one(
        "Folha de S.Paulo reported, citing two officials at the foreign ministry, that negotiators had agreed to phase out the quotas.",
    );
    assert_eq!(
        (text.as_str(), source.as_str(), rule),
        ("Negotiators had agreed to phase out the quotas", "two officials at the foreign ministry", "reported-citing")
    );
    assert_eq!(p.claim.outlets, vec!["Folha de S.Paulo"]);
    let (_, source, _, p) =
        one("The company plans to cut 1,800 jobs, Bloomberg News reported on Tuesday, citing people familiar with the matter.");
    assert_eq!(
        (source.as_str(), p.claim.outlets.clone()),
        ("people familiar with the matter", vec!["Bloomberg".to_string()])
    );
    assert!(p.claim.source.anonymous);
}

#[test]
fn a_quote_goes_on_over_sentences_and_paragraphs() {
    let text = "“We are in a good place,” the economist told a news conference. “Inflation is where we want it.\n\n“That does not mean we are done.”\n\nMarkets rose.";
    let (claim, _, _, p) = one(text);
    assert_eq!(claim, "We are in a good place Inflation is where we want it. That does not mean we are done");
    let spanned: String =
        text.chars().skip(p.record.span.start).take(p.record.span.end - p.record.span.start).collect();
    assert!(spanned.starts_with("We are in a good place") && spanned.ends_with("we are done."), "{spanned}");
}

#[test]
fn adding_gives_a_second_claim_to_the_same_source() {
    let ps = run("The army said it had repelled the attack, adding that the base remained under its control.");
    let got: Vec<(&str, &str)> = ps.iter().map(|p| (p.claim.text.as_str(), p.record.rule.name())).collect();
    assert_eq!(
        got,
        vec![
            ("It had repelled the attack", "source-cue-content"),
            ("The base remained under its control", "participle")
        ]
    );
    assert!(ps.iter().all(|p| p.claim.source.name == "army"));
}

#[test]
fn pronouns_take_the_nearest_named_source() {
    let ps = run(
        "Majed al-Ansari, a spokesman for Qatar's foreign ministry, said talks were frozen. He said Doha would return \"when both sides are serious.\"",
    );
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[1].claim.source.name, "Majed al-Ansari");
    assert_eq!(ps[1].record.source_as_written.as_deref(), Some("He"));
    assert_eq!(ps[1].claim.source.affiliation.as_deref(), Some("Qatar"));
    assert_eq!(ps[1].claim.source.kind, Kind::Spokesperson);
}

#[test]
fn refusals_to_comment_are_not_claims() {
    for text in [
        "The Kremlin declined to comment on the strikes.",
        "The ministry did not respond to a request for comment.",
        "Lindqvist declined to say how many governors had opposed the move.",
        "A spokesman said the government did not comment on individual cases.",
        "He did not say whether the talks would resume next week.",
    ] {
        assert!(run(text).is_empty(), "{text}");
    }
}

#[test]
fn claims_reported_without_quotes_or_cues_are_not_invented() {
    assert!(run("Qatar had been a mediator for a long time. Its efforts were backed by the Obama administration.")
        .is_empty());
    assert!(run("The United States and France brokered the ceasefire last week.").is_empty());
    assert!(run("Veridian reported second-quarter revenue of $2.9 billion, up 12% from a year earlier.").is_empty());
}

#[test]
fn the_date_comes_from_the_statement_then_the_text_else_it_is_asked_for() {
    let text = "date 2024-11-09 Qatar said it would stop mediating the talks.";
    let x = extract(text, &ExtractOptions::default()).unwrap();
    assert_eq!((x.date, x.date_origin), (Some(day("2024-11-09")), Some(DateOrigin::DateLine)));
    let x = extract(text, &ExtractOptions { dated: Some(day("2024-11-10")), via: vec!["DW".into()] }).unwrap();
    assert_eq!((x.date, x.date_origin), (Some(day("2024-11-10")), Some(DateOrigin::Given)));
    assert_eq!(x.proposals[0].claim.date, day("2024-11-10"));
    assert_eq!(x.proposals[0].claim.outlets, vec!["DW"]);
    let x = extract("GENEVA, Nov 12, 2024 (Reuters) - The WHO said cases rose sharply.", &ExtractOptions::default())
        .unwrap();
    assert_eq!((x.date, x.publisher.as_deref()), (Some(day("2024-11-12")), Some("Reuters")));
    let err = extract("Qatar said it would stop mediating the talks.", &ExtractOptions::default()).unwrap_err();
    match err {
        Error::Input { message, help, .. } => {
            assert!(message.contains("no date"), "{message}");
            assert!(help.unwrap_or_default().contains("dated YYYY-MM-DD"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_empty_article_or_one_without_claims_is_a_result() {
    for text in ["", "   \n\n  ", "Markets were quiet on Monday."] {
        let x = extract(text, &ExtractOptions::default()).unwrap();
        assert!(x.proposals.is_empty() && x.date.is_none(), "{text:?}");
    }
}

#[test]
fn spans_count_characters_not_bytes() {
    let text = "Ümlaut café — “Ça va très bien,” said Zoë Brontë, a résident.";
    let (_, _, _, p) = one(text);
    let chars: Vec<char> = text.chars().collect();
    let span: String = chars[p.record.span.start..p.record.span.end].iter().collect();
    let source: String = chars[p.record.source_span.start..p.record.source_span.end].iter().collect();
    assert_eq!((span.as_str(), source.as_str()), ("Ça va très bien", "Zoë Brontë"));
}

#[test]
fn bytes_are_checked_before_reading() {
    let err = extract_bytes("a.txt", b"Qatar said \xff it", &ExtractOptions::default()).unwrap_err();
    assert!(err.to_string().contains("byte offset 11"), "{err}");
    let ok = extract_bytes(
        "a.txt",
        "Qatar said: “We will return when both sides are ready.”".as_bytes(),
        &ExtractOptions { dated: Some(day("2024-11-09")), via: Vec::new() },
    )
    .unwrap();
    assert_eq!(ok.proposals.len(), 1);
}

#[test]
fn proposals_render_as_add_claim_and_as_json() {
    let (_, _, _, p) = one("“The office \"no longer\" serves its purpose,” US officials told Reuters.");
    let cq = to_cq(&p);
    assert!(
        cq.contains("add claim \"The office \\\"no longer\\\" serves its purpose\"\n    by \"US officials\" as anonymous official of \"US\" via \"Reuters\" on 2024-11-09"),
        "{cq}"
    );
    let json = p.to_json();
    assert_eq!(json["source"]["anonymous"], true);
    assert_eq!(json["extraction"]["quote"], "direct");
    assert_eq!(json["extraction"]["rule"], "content-source-cue");
    assert_eq!(json["extraction"]["cue"], "told Reuters");
    let text = serde_json::to_string(&p.json()).unwrap();
    assert!(
        text.starts_with("{\"text\":\"The office") && text.contains("\"topics\":[],\"extraction\":{\"cue\""),
        "{text}"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of wire copy, punctuation and odd characters, in any order.
    const PIECES: &[&str] = &[
        "said",
        "says",
        "told",
        "according",
        "to",
        "was",
        "quoted",
        "by",
        "as",
        "saying",
        "adding",
        "that",
        "citing",
        "reported",
        "Reuters",
        "AFP",
        "the",
        "a",
        "officials",
        "official",
        "US",
        "Qatar",
        "he",
        "she",
        "it",
        "they",
        "who",
        "which",
        "declined",
        "comment",
        "spokesman",
        "Majed",
        "al-Ansari",
        "of",
        "the country",
        "WHO",
        "and",
        "but",
        "one of the",
        "diplomats",
        "“",
        "”",
        "\"",
        "‘",
        "’",
        "'s",
        ",",
        ".",
        ":",
        ";",
        "?",
        "(",
        ")",
        "—",
        "-",
        "\n",
        "\n\n",
        " ",
        "  ",
        "GENEVA",
        "(Reuters) -",
        "Nov 12, 2024",
        "date 2024-11-09",
        "é",
        "日本",
        "🙂",
        "\t",
        "U.S.",
        "Dr.",
        "1,200",
        "50%",
        "\u{feff}",
        "\u{200b}",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| {
            let mut out = String::new();
            for p in v {
                out.push_str(p);
                out.push(' ');
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text: no panic, and every span lies inside the text.
        #[test]
        fn any_text_extracts_without_panicking(text in text()) {
            let opts = ExtractOptions { dated: Some(day("2024-11-09")), via: vec!["AP".into()] };
            let x = extract(&text, &opts).unwrap();
            let chars = text.chars().count();
            for p in &x.proposals {
                prop_assert!(p.record.span.start <= p.record.span.end && p.record.span.end <= chars);
                prop_assert!(p.record.source_span.end <= chars);
                prop_assert!(!p.claim.text.is_empty() && !p.claim.source.name.is_empty());
                let _ = to_cq(p);
            }
        }

        /// Arbitrary bytes through the byte check: an error or a result.
        #[test]
        fn any_bytes_are_checked_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = extract_bytes("x.txt", &bytes, &ExtractOptions { dated: Some(day("2024-11-09")), via: Vec::new() });
        }
    }
}

/// The affiliation of the proposal whose content starts with `content`.
fn affiliation_of(ps: &[Proposal], content: &str) -> Option<String> {
    let p = ps.iter().find(|p| p.claim.text.starts_with(content));
    let p = p.unwrap_or_else(|| {
        panic!("no claim {content:?} in {:#?}", ps.iter().map(|p| &p.claim.text).collect::<Vec<_>>())
    });
    p.claim.source.affiliation.clone()
}

#[test]
fn a_short_name_in_brackets_is_part_of_the_source_and_its_affiliation() {
    let ps = run("The Confederation of African Football (CAF) said it would decide by Friday. \
                  The Law and Justice (PiS) party is in opposition. PiS said the ruling was political. \
                  A party spokesman said the reforms were needed.");
    assert_eq!(affiliation_of(&ps, "It would decide"), Some("CAF".into()));
    assert_eq!(affiliation_of(&ps, "The ruling was political"), Some("PiS".into()));
    assert_eq!(affiliation_of(&ps, "The reforms were needed"), Some("PiS".into()));
}

#[test]
fn a_body_named_earlier_is_referred_to_by_its_noun() {
    let ps = run("FIFA suspended the Nigeria Football Federation (NFF) on Tuesday. \
                  The federation's general secretary, Mohammed Sanusi, said the match was in doubt. \
                  The European Court of Human Rights ruled against Poland. \
                  The Strasbourg-based court said the chamber was not independent.");
    assert_eq!(affiliation_of(&ps, "The match was in doubt"), Some("NFF".into()));
    assert_eq!(affiliation_of(&ps, "The chamber was not independent"), Some("European Court of Human Rights".into()));
}

#[test]
fn a_body_that_spoke_last_owns_its_leader() {
    let ps = run("Sarah Patel, who chairs the group Save Bristol Libraries, said the plan was unfair. \
                  The opposition Conservative group on the council said the cuts could have been avoided. \
                  Its leader, Mark Weston, said the council was wrong. \
                  Unison, the public service union, said jobs were at risk. \
                  The union's regional secretary, Joanne Kaye, said staff had little notice.");
    assert_eq!(affiliation_of(&ps, "The council was wrong"), Some("Conservatives".into()));
    assert_eq!(affiliation_of(&ps, "Jobs were at risk"), Some("Unison".into()));
    assert_eq!(affiliation_of(&ps, "Staff had little notice"), Some("Unison".into()));
}

#[test]
fn the_head_body_relations_and_national_bodies() {
    let ps = run("KHARTOUM (Reuters) - Sudan's health ministry said cases had fallen. \
                  A ministry official, who was not authorised to speak to the media, said the toll was higher. \
                  The United Nations children's agency UNICEF said children were a quarter of cases. \
                  President Karol Nawrocki, an ally of PiS, has said he will veto it.");
    assert_eq!(affiliation_of(&ps, "The toll was higher"), Some("Sudan".into()));
    assert_eq!(affiliation_of(&ps, "Children were a quarter"), Some("UNICEF".into()));
    assert_ne!(affiliation_of(&ps, "He will veto it"), Some("PiS".into()));
}

#[test]
fn a_title_owned_by_a_body_and_role_nouns_refer_back() {
    let ps = run("The International Monetary Fund has reached a deal with Pakistan, the lender said on Wednesday. \
                  The fund's mission chief for Pakistan, Nathan Porter, said progress was significant. \
                  The State Bank of Pakistan said reserves had risen.");
    assert_eq!(affiliation_of(&ps, "The International Monetary Fund has reached"), Some("IMF".into()));
    assert_eq!(affiliation_of(&ps, "Progress was significant"), Some("IMF".into()));
    assert_eq!(affiliation_of(&ps, "Reserves had risen"), Some("Pakistan".into()));
}

#[test]
fn who_chairs_a_body_a_town_of_a_place_and_a_short_name_that_is_no_outlet() {
    let ps = run("\"Shoppers would have paid,\" said Martin Coleman, who chaired the CMA's inquiry group. \
                  \"We know them,\" said Ausra Kazlauskiene, a teacher in the town of Visaginas. \
                  Opposition party Pakistan Tehreek-e-Insaf (PTI) said prices were high. \
                  A PTI spokesman said bills had doubled.");
    assert_eq!(affiliation_of(&ps, "Shoppers would have paid"), Some("CMA".into()));
    assert_eq!(affiliation_of(&ps, "We know them"), None);
    assert_eq!(affiliation_of(&ps, "Bills had doubled"), Some("PTI".into()));
    let p = ps.iter().find(|p| p.claim.text.starts_with("Bills had doubled")).unwrap();
    assert!(p.claim.outlets.is_empty(), "PTI is the party here, not an outlet: {:?}", p.claim.outlets);
}

#[test]
fn a_one_word_name_that_speaks_of_itself_as_it_is_a_body() {
    let ps = run("Greenvale said it was deeply disappointed and would appeal.");
    assert_eq!(affiliation_of(&ps, "It was deeply disappointed"), Some("Greenvale".into()));
    assert_eq!(ps[0].claim.source.kind, Kind::Organization);
}

/// `EXTRACT_TRY="text"` prints the proposals of a text (for working on the
/// rules; ignored unless asked for).
#[test]
#[ignore = "scratch: prints proposals"]
fn scratch() {
    let text = std::env::var("EXTRACT_TRY").unwrap_or_default();
    for p in run(&text) {
        println!("{}", to_cq(&p));
    }
}

#[test]
fn a_lawmaker_from_a_party_and_a_portfolio_are_told_apart() {
    let ps =
        run("Esther Wanjiru, an opposition lawmaker from the Orange Democratic Movement, said the bill was unfair. \
                  Coordinating Minister for Infrastructure Bambang Wicaksono said the move was delayed.");
    assert_eq!(affiliation_of(&ps, "The bill was unfair"), Some("Orange Democratic Movement".into()));
    assert_ne!(affiliation_of(&ps, "The move was delayed"), Some("Infrastructure Bambang Wicaksono".into()));
}

#[test]
fn a_person_with_a_place_for_a_surname_is_a_person_and_a_sector_and_country_a_state_body() {
    let ps = run("Denzel Washington said the film was finished. Health Canada said the recall was voluntary.");
    let kind = |c: &str| ps.iter().find(|p| p.claim.text.starts_with(c)).map(|p| p.claim.source.kind);
    assert_eq!(kind("The film was finished"), Some(crate::model::Kind::Person));
    assert_eq!(kind("The recall was voluntary"), Some(crate::model::Kind::Government));
    assert_eq!(affiliation_of(&ps, "The recall was voluntary"), Some("Canada".into()));
}

#[test]
fn a_state_body_and_whoever_speaks_for_it_give_the_state() {
    // An agency named without its country takes the dateline's; so do its
    // people and its figures. A company whose name looks like an agency's
    // does not.
    let ps = run("TOKYO, Nov 9 (Reuters) - The Nuclear Regulation Authority said the reactor was safe. \
                  The Ministry of Public Security said two people were arrested. \
                  Official data showed exports fell 3%. \
                  “Stay away from the coast,” Takeshi Moriyama, a JMA official, told reporters. \
                  The utility Kansai Power Service said supply was normal.");
    assert_eq!(affiliation_of(&ps, "The reactor was safe"), Some("Japan".into()));
    assert_eq!(affiliation_of(&ps, "Two people were arrested"), Some("Japan".into()));
    assert_eq!(affiliation_of(&ps, "Exports fell 3%"), Some("Japan".into()));
    assert_eq!(affiliation_of(&ps, "Stay away from the coast"), Some("JMA".into()));
    assert_ne!(affiliation_of(&ps, "Supply was normal"), Some("Japan".into()));
    // A central bank the gazetteer knows, and one its name places.
    let ps = run("The Bundesbank said growth would stall. \
                  The Central Bank of Egypt said inflation had peaked.");
    assert_eq!(affiliation_of(&ps, "Growth would stall"), Some("Germany".into()));
    assert_eq!(affiliation_of(&ps, "Inflation had peaked"), Some("Egypt".into()));
}

#[test]
fn bodies_of_several_states_and_a_dateline_region_give_no_country() {
    let ps = run("SAN JOSE, Calif. (AP) — The European Commission said the fine was final. \
                  The International Court of Justice said hearings would start in May.");
    assert_eq!(affiliation_of(&ps, "The fine was final"), Some("EU".into()));
    assert_ne!(affiliation_of(&ps, "Hearings would start in May"), Some("Costa Rica".into()));
    assert_ne!(affiliation_of(&ps, "Hearings would start in May"), Some("US".into()));
}

#[test]
fn an_apposition_after_a_closing_according_to_and_a_general_secretary_of_a_body() {
    let ps = run("The shooting could set back talks, according to Jelena Markovic, a researcher at the Balkan \
                  Security Forum in Belgrade. “We will strike,” Marc Delaunay, the general secretary of the CGT, \
                  told reporters. Manager Luis Ferreira, speaking before Tuesday's game, said the squad was fit.");
    assert_eq!(affiliation_of(&ps, "The shooting could set back talks"), Some("Balkan Security Forum".into()));
    assert_eq!(affiliation_of(&ps, "We will strike"), Some("CGT".into()));
    assert_ne!(affiliation_of(&ps, "The squad was fit"), Some("Tuesday".into()));
}

#[test]
fn a_company_from_a_country_an_envoy_to_a_body_and_a_body_by_its_description() {
    let ps = run("Irish carrier Skylark Air said it would cut summer flights. \
                  Reza Moghaddam, Iran's ambassador to the IAEA, said the inspectors were welcome. \
                  The UN health agency said the risk was low. \
                  “Satellites miss half the story,” said Tatiana Reis, the coalition’s policy coordinator.");
    assert_ne!(affiliation_of(&ps, "It would cut summer flights"), Some("Ireland".into()));
    assert_eq!(affiliation_of(&ps, "The inspectors were welcome"), Some("Iran".into()));
    assert_eq!(affiliation_of(&ps, "The risk was low"), Some("WHO".into()));
    let reis = ps.iter().find(|p| p.claim.text.starts_with("Satellites")).unwrap();
    assert_eq!(reis.claim.source.kind, Kind::Person);
    assert_ne!(reis.claim.source.affiliation.as_deref(), Some("Tatiana Reis"));
}

#[test]
fn a_national_centre_is_a_state_body() {
    let ps =
        run("THE HAGUE, March 11 (Reuters) - The National Cyber Security Centre (NCSC) said the attack was serious.");
    assert_eq!(affiliation_of(&ps, "The attack was serious"), Some("Netherlands".into()));
}

#[test]
fn a_name_before_two_appositions_is_the_source() {
    let (_, source, _, p) =
        one("Dr. Ayesha Patel, a kidney specialist at Westville Children's Hospital, a private hospital in Durban, \
         said doctors there had treated two of the children.");
    assert_eq!(source, "Dr. Ayesha Patel");
    assert_eq!(p.claim.source.affiliation.as_deref(), Some("Westville Children's Hospital"));
    // A description, then the name, stays as it was.
    let (_, source, _, _) = one(
        "Outside Congress, the leader of the General Confederation of Labour (CGT), Héctor Quiroga, said the strike would go on.",
    );
    assert_eq!(source, "Héctor Quiroga");
}

#[test]
fn a_person_introduced_in_a_sentence_that_quotes_someone_else_keeps_their_body() {
    let ps = run("Professor Graham Tane, vice-chancellor of the University of Canterbury, welcomed the plan, \
                  but the union said it was rushed.\n\n\"We cannot support it,\" Tane said.");
    assert_eq!(affiliation_of(&ps, "We cannot support it"), Some("University of Canterbury".into()));
}

#[test]
fn a_regional_body_keeps_the_region_its_name_opens_with() {
    let ps = run("PHOENIX (AP) — The Arizona Department of Forestry and Fire Management said the fire was contained.");
    assert_eq!(affiliation_of(&ps, "The fire was contained"), Some("Arizona".into()));
}

#[test]
fn the_regulator_is_the_named_regulator_though_a_person_spoke_since() {
    let ps = run("The South African Health Products Regulatory Authority (SAHPRA) said tests had found a solvent. \
                  \"Do not give it to your child,\" SAHPRA's chief executive, Dr. Lindiwe Khumalo, told a briefing. \
                  The regulator said the batches had reached 1,400 pharmacies.");
    let p = ps.iter().find(|p| p.claim.text.starts_with("The batches had reached")).unwrap();
    assert!(p.claim.source.name.contains("SAHPRA"), "{}", p.claim.source.name);
}

#[test]
fn regional_and_town_sources_take_the_region_or_town_the_article_names() {
    let ps = run("MANILA (Reuters) - A typhoon hit the province of Albay on Monday. \
                  Provincial officials said 20,000 people had been evacuated.\n\n\
                  In Legazpi, the mayor said schools would stay shut.\n\n\
                  The federal Ministry of Regional Development said aid was on its way.");
    assert_eq!(affiliation_of(&ps, "20,000 people had been evacuated"), Some("Albay".into()));
    assert_eq!(affiliation_of(&ps, "Schools would stay shut"), Some("Legazpi".into()));
    assert_ne!(affiliation_of(&ps, "Aid was on its way"), Some("Albay".into()));
}

#[test]
fn state_officials_need_a_state_named_as_one() {
    let ps = run(
        "LOS ANGELES (AP) — Los Angeles County declared an emergency. State officials said the fire was spreading.",
    );
    assert_ne!(affiliation_of(&ps, "The fire was spreading"), Some("Los Angeles County".into()));
}

#[test]
fn state_sources_and_a_participle_about_the_media_give_the_state() {
    let ps = run("Greek police said the boat had capsized off Crete. \
                  Two men were arrested, police sources said. \
                  A coastguard official, speaking on condition of anonymity because he was not authorised to brief \
                  the media, said the boat had sunk in minutes.");
    assert_eq!(affiliation_of(&ps, "Two men were arrested"), Some("Greece".into()));
    assert_eq!(affiliation_of(&ps, "The boat had sunk in minutes"), Some("Greece".into()));
}

#[test]
fn a_possessive_noun_in_a_description_names_the_body_the_article_named_last() {
    let ps = run("NAIROBI (Reuters) - The rights group Amnesty International Kenya gave a different account. \
                  In a statement, the group said at least two people had been killed.\n\n\
                  \"Police have no business shooting at young people,\" said Irungu Wambugu, the group's executive \
                  director.\n\n\
                  The mid-sized Andina Cobre S.A. runs the mine. \"We contained the flow,\" said Martin Salcedo, the \
                  company's chief executive.\n\n\
                  The case was first reported by the Makassar-based daily Harian Fajar Timur. \"We stand by it,\" \
                  said Rina Mappaseng, the paper's editor-in-chief.");
    assert_eq!(affiliation_of(&ps, "Police have no business"), Some("Amnesty International Kenya".into()));
    assert_eq!(affiliation_of(&ps, "We contained the flow"), Some("Andina Cobre S.A.".into()));
    assert_eq!(affiliation_of(&ps, "We stand by it"), Some("Harian Fajar Timur".into()));
}

#[test]
fn a_body_named_with_what_it_is_gives_itself() {
    let ps = run("The civilian hotline Alarm Phone said it had passed on the boat's position. \
                  A spokeswoman for rival chain Ubuntu Foods said prices were frozen. \
                  The court would rule next week, the Tuoi Tre newspaper reported.");
    assert_eq!(affiliation_of(&ps, "It had passed on the boat's position"), Some("Alarm Phone".into()));
    assert_eq!(affiliation_of(&ps, "Prices were frozen"), Some("Ubuntu Foods".into()));
    assert_eq!(affiliation_of(&ps, "The court would rule next week"), Some("Tuoi Tre".into()));
}

#[test]
fn a_national_title_anywhere_a_courts_judge_and_a_spokesperson_after_a_body_give_the_state() {
    let ps = run("TOKYO (Reuters) - The party can deprive Prime Minister Kenji Morioka's party of its majority. \
                  Morioka said he respected its concerns.\n\n\
                  Presiding judge Serkan Yıldız said the contractor had used weak concrete.\n\n\
                  Taiwan's presidential office said the drills were irresponsible. Spokeswoman Karen Hsu said the \
                  trip had been routine.");
    assert_eq!(affiliation_of(&ps, "He respected its concerns"), Some("Japan".into()));
    assert_eq!(affiliation_of(&ps, "The contractor had used weak concrete"), Some("Japan".into()));
    assert_eq!(affiliation_of(&ps, "The trip had been routine"), Some("Taiwan".into()));
}

#[test]
fn a_name_described_with_which_is_a_body_and_an_official_from_a_state_speaks_for_it() {
    let ps = run("Echigo Electric Power Co., which operates the Joetsu plant, said no abnormalities had been found. \
                  \"We are going in circles,\" said Tuilagi Faleolo, a negotiator from Samoa. \
                  Farmers were struggling, said Joseph Otieno, a farmer from Kisumu. \
                  Amnesty International Kenya said two people had been killed.");
    let p = ps.iter().find(|p| p.claim.text.starts_with("No abnormalities")).unwrap();
    assert_eq!(p.claim.source.kind, Kind::Organization);
    assert_eq!(affiliation_of(&ps, "We are going in circles"), Some("Samoa".into()));
    assert_eq!(affiliation_of(&ps, "Farmers were struggling"), None);
    assert_eq!(affiliation_of(&ps, "Two people had been killed"), Some("Amnesty International".into()));
}

#[test]
fn a_party_named_before_a_title_or_after_an_adjective_and_a_body_named_in_apposition() {
    let ps = run("BUDAPEST (Reuters) - Fidesz won the vote. Tisza party lawmaker Gergely Halmi said the count was \
                  flawed. Some lawmakers from the populist Progress Party said they would abstain.\n\n\
                  NATO's peacekeeping mission in Kosovo, KFOR, said it had increased patrols.");
    assert_eq!(affiliation_of(&ps, "The count was flawed"), Some("Tisza".into()));
    assert_eq!(affiliation_of(&ps, "They would abstain"), Some("Progress Party".into()));
    assert_eq!(affiliation_of(&ps, "It had increased patrols"), Some("KFOR".into()));
}

#[test]
fn a_document_by_a_body_named_by_its_noun_is_that_bodys() {
    let ps = run("WELLINGTON (Reuters) - The government pointed to research by the Kōwhai Institute, a think tank. \
                  A report by the institute published in March found that mentors had no time to mentor.");
    assert_eq!(affiliation_of(&ps, "Mentors had no time to mentor"), Some("Kōwhai Institute".into()));
}

#[test]
fn an_office_of_a_national_title_and_a_body_before_a_qualified_title() {
    let ps = run("PARIS (Reuters) - The reform would pass, a senior official in the prime minister’s office said. \
                  Prices would fall, Westpac agri economist Lucy Tamaki said. \
                  Talks went well, Hydrocarbons and Energy Minister Franklin Molina said.");
    assert_eq!(affiliation_of(&ps, "The reform would pass"), Some("France".into()));
    assert_eq!(affiliation_of(&ps, "Prices would fall"), Some("Westpac".into()));
    assert_ne!(affiliation_of(&ps, "Talks went well"), Some("Hydrocarbons".into()));
}

#[test]
fn a_station_named_after_an_outlet_is_part_of_it_not_of_the_content() {
    let (text, _, _, p) =
        one("The club's chairman, Graham Pelling, told BBC Radio Bristol that the rules were rigged.");
    assert_eq!(text, "The rules were rigged");
    assert_eq!(p.claim.outlets, vec!["BBC Radio Bristol".to_string()]);
}

#[test]
fn mayors_councillors_and_governors_take_the_city_or_region_the_article_names() {
    let ps = run("Quito (AFP) - Quito's city council voted to raise the fare, after Mayor Rodrigo Salvatierra said \
                  the line would run out of funds.\n\n\
                  The fare was unfair, Coun. Andres Pazmino said.\n\n\
                  Two members of the Basra provincial council said power was out. Governor Mazin al-Timimi said \
                  the province would buy generators. Timimi said more help was needed.");
    assert_eq!(affiliation_of(&ps, "The line would run out of funds"), Some("Quito".into()));
    assert_eq!(affiliation_of(&ps, "The fare was unfair"), Some("Quito".into()));
    assert_eq!(affiliation_of(&ps, "The province would buy generators"), Some("Basra".into()));
    assert_eq!(affiliation_of(&ps, "More help was needed"), Some("Basra".into()));
}

#[test]
fn a_place_that_begins_a_bodys_name_is_part_of_the_name() {
    let ps = run("DHAKA (Reuters) - Mahbubur Rahman, vice-president of the Bangladesh Freight Forwarders \
                  Association (BAFFA), said exporters were the worst hit.\n\n\
                  The strike was called by the Chattogram Port Dock Workers’ Union.\n\n\
                  The union’s general secretary, Abul Kashem Chowdhury, said members would stay out.");
    assert_eq!(affiliation_of(&ps, "Exporters were the worst hit"), Some("BAFFA".into()));
    assert_eq!(affiliation_of(&ps, "Members would stay out"), Some("Chattogram Port Dock Workers’ Union".into()));
}

#[test]
fn a_federations_state_speaks_through_its_own_police_and_prosecutors() {
    let ps = run("MELBOURNE (AAP) - A man has been charged.\n\n\
                  Victoria Police said the man was arrested on Tuesday.\n\n\
                  Jordan Pike, a warehouse supervisor, appeared in court.\n\n\
                  The car had been travelling fast, police allege.\n\n\
                  Prosecutor Helen Varga told the court the man had fled.");
    assert_eq!(affiliation_of(&ps, "The car had been travelling fast"), Some("Victoria".into()));
    assert_eq!(affiliation_of(&ps, "The man had fled"), Some("Victoria".into()));
    // Without a state body of the region, the dateline city's country.
    let ps = run("SYDNEY (AAP) - Prosecutor Helen Varga told the court the man had fled.");
    assert_eq!(affiliation_of(&ps, "The man had fled"), Some("Australia".into()));
}

#[test]
fn a_state_or_province_named_alone_is_the_region_of_its_governor_and_agencies() {
    let ps = run("LANSING, Mich. (AP) - No family in Michigan should go without safe water, Gov. Ellen Marchetti \
                  said on Tuesday.\n\n\
                  The Michigan Public Service Commission said rates would rise.\n\n\
                  State House Speaker Roger Haskins, a Republican, said lawmakers would move quickly.");
    assert_eq!(affiliation_of(&ps, "No family in Michigan should go without safe water"), Some("Michigan".into()));
    assert_eq!(affiliation_of(&ps, "Rates would rise"), Some("Michigan".into()));
    assert_ne!(affiliation_of(&ps, "Lawmakers would move quickly"), Some("State House Speaker Roger Haskins".into()));
}

#[test]
fn according_to_a_name_then_its_title_at_a_body_and_who_said() {
    let ps = run("DAKAR (AFP) - Players stopped training.\n\n\
                  At least six clubs are behind on salaries, according to Aliou Badji, secretary general of the \
                  National Union of Senegalese Footballers, who said some players had gone without pay.\n\n\
                  According to Ousmane Diarra, a researcher at the Dakar-based Sahel Security Institute, the move \
                  fits a pattern.");
    let union = Some("National Union of Senegalese Footballers".to_string());
    assert_eq!(affiliation_of(&ps, "At least six clubs are behind on salaries"), union);
    // The relative clause goes on with the same source, not its title.
    let p = ps.iter().find(|p| p.claim.text == "Some players had gone without pay").expect("the who-said claim");
    assert_eq!(p.claim.source.name, "Aliou Badji");
    assert_eq!(p.claim.source.affiliation, union);
    // "Dakar-based" is not a verb: the apposition is the source's.
    assert_eq!(affiliation_of(&ps, "The move fits a pattern"), Some("Sahel Security Institute".into()));
}

#[test]
fn a_bodys_title_holder_and_a_teams_captain_take_the_body() {
    let ps = run("DAKAR (AFP) - Players at top-flight club Etoile de Rufisque refused to play on Sunday.\n\n\
                  “We cannot keep playing for nothing,” the team's captain, Ibrahima Sarr, told AFP.\n\n\
                  The project was proposed by Prairie Gate Developments.\n\n\
                  Prairie Gate's vice-president of development, Arjun Mehta, told council the company could \
                  break ground this summer.");
    assert_eq!(affiliation_of(&ps, "We cannot keep playing for nothing"), Some("Etoile de Rufisque".into()));
    assert_eq!(affiliation_of(&ps, "The company could break ground this summer"), Some("Prairie Gate".into()));
}

#[test]
fn a_national_title_takes_no_country_from_a_phrase_after_the_source() {
    let ps = run("WARSAW (Reuters) - Farmers protested.\n\n\
                  Poland will keep its ban on Ukrainian grain, agriculture minister Tomasz Wilk said on \
                  Tuesday, rejecting calls from Kyiv to lift it.");
    assert_eq!(affiliation_of(&ps, "Poland will keep its ban on Ukrainian grain"), Some("Poland".into()));
}
