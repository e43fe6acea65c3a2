//! The fixed vocabularies of the data model: claim statuses, source kinds and
//! relations between claims. Each has one canonical lower-case name, used in
//! the query language, in JSON and in storage (as a byte).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Finds the candidate closest to a misspelt `word`, for "did you mean" help.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Defines a vocabulary enum with its canonical names and a stable byte code.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])* $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $text:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical lower-case name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The stable byte stored in index keys.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value stored as `code`, if any.
            pub fn from_code(code: u8) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses a canonical name, case-insensitively.
            pub fn parse(text: &str) -> Option<$name> {
                let lower = text.to_lowercase();
                $name::ALL.iter().copied().find(|v| v.name() == lower)
            }

            /// Parses a name, or gives an error listing the valid names with a
            /// suggestion for a near miss.
            pub fn parse_or_explain(text: &str) -> Result<$name> {
                $name::parse(text).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.name()).collect();
                    let mut err = Error::Input {
                        message: format!("unknown {} '{}'", $what, text),
                        span: None,
                        help: None,
                    };
                    err = match closest(text, names.iter().copied()) {
                        Some(near) => err.with_help(format!("did you mean '{near}'?")),
                        None => err.with_help(format!("expected one of: {}", names.join(", "))),
                    };
                    err
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// Where a claim stands now, as far as the newsroom knows.
    Status, "status" {
        /// Reported but not yet checked (the default).
        Unverified = 0, "unverified";
        /// Backed by an independent second source.
        Corroborated = 1, "corroborated";
        /// Established as true.
        Confirmed = 2, "confirmed";
        /// Challenged by a credible party.
        Disputed = 3, "disputed";
        /// Denied by the party it concerns.
        Denied = 4, "denied";
        /// Established as untrue.
        False = 5, "false";
        /// Withdrawn by whoever reported it.
        Retracted = 6, "retracted";
    }
}

vocabulary! {
    /// What sort of source made a claim.
    Kind, "kind" {
        /// A government or agency official.
        Official = 0, "official";
        /// A spokesperson speaking for an organisation.
        Spokesperson = 1, "spokesperson";
        /// A government speaking as an institution.
        Government = 2, "government";
        /// A company, NGO, party or other organisation.
        Organization = 3, "organization";
        /// A news outlet or journalist.
        Media = 4, "media";
        /// A private person.
        Person = 5, "person";
        /// A document, report or dataset.
        Document = 6, "document";
        /// Not known (the default).
        Unknown = 7, "unknown";
    }
}

vocabulary! {
    /// A directed relation between two claims.
    Relation, "relation" {
        /// The first claim supports the second.
        Supports = 0, "supports";
        /// The first claim contradicts the second (queried in both directions).
        Contradicts = 1, "contradicts";
        /// The first claim updates (supersedes) the second.
        Updates = 2, "updates";
        /// The first claim is a duplicate of the second.
        Duplicates = 3, "duplicates";
    }
}

// The enums are defined by the `vocabulary!` macro, which cannot mark a
// default variant for only some of them.
#[allow(clippy::derivable_impls)]
impl Default for Status {
    fn default() -> Self {
        Status::Unverified
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Kind {
    fn default() -> Self {
        Kind::Unknown
    }
}

impl Kind {
    /// Parses a kind written in the singular or plural, as in
    /// `claims by anonymous officials` (`spokespeople`, `people`, `media`...).
    pub fn parse_any_number(word: &str) -> Option<Kind> {
        let lower = word.to_lowercase();
        let kind = match lower.as_str() {
            "officials" => Kind::Official,
            "spokespeople" | "spokespersons" => Kind::Spokesperson,
            "governments" => Kind::Government,
            "organizations" | "organisations" | "organisation" => Kind::Organization,
            "people" | "persons" => Kind::Person,
            "documents" => Kind::Document,
            "unknowns" => Kind::Unknown,
            _ => return Kind::parse(&lower),
        };
        Some(kind)
    }

    /// Every singular and plural spelling accepted by [`Kind::parse_any_number`].
    pub const SPELLINGS: &'static [&'static str] = &[
        "official",
        "officials",
        "spokesperson",
        "spokespeople",
        "spokespersons",
        "government",
        "governments",
        "organization",
        "organizations",
        "media",
        "person",
        "people",
        "persons",
        "document",
        "documents",
        "unknown",
    ];
}

impl Relation {
    /// The participle used in queries: `claims contradicting claim 4`.
    pub fn participle(self) -> &'static str {
        match self {
            Relation::Supports => "supporting",
            Relation::Contradicts => "contradicting",
            Relation::Updates => "updating",
            Relation::Duplicates => "duplicating",
        }
    }

    /// The passive form used in queries: `claims contradicted by claim 4`.
    pub fn passive(self) -> &'static str {
        match self {
            Relation::Supports => "supported",
            Relation::Contradicts => "contradicted",
            Relation::Updates => "updated",
            Relation::Duplicates => "duplicated",
        }
    }

    /// Whether the relation means the same read in either direction.
    pub fn is_symmetric(self) -> bool {
        matches!(self, Relation::Contradicts | Relation::Duplicates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(*s));
            assert_eq!(Status::parse(&s.name().to_uppercase()), Some(*s));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(*k));
        }
        for r in Relation::ALL {
            assert_eq!(Relation::from_code(r.code()), Some(*r));
        }
        for spelling in Kind::SPELLINGS {
            assert!(Kind::parse_any_number(spelling).is_some(), "{spelling}");
        }
    }

    #[test]
    fn suggests_near_misses() {
        let err = Status::parse_or_explain("disputd").unwrap_err();
        assert_eq!(err.to_string(), "unknown status 'disputd' (did you mean 'disputed'?)");
        let err = Kind::parse_or_explain("zzz").unwrap_err();
        assert!(err.to_string().contains("expected one of: official"));
    }
}
