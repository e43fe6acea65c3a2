//! Posting lists in memory: the sorted claim ids of an index term (with,
//! for the words of the text, the positions of each occurrence), and the
//! list algebra the executor uses on them. How lists are cut into blocks
//! and stored is in [`super::keys`].

use super::keys::{block_entry_len, BLOCK_BYTES, BLOCK_MAX};
use std::ops::Range;

/// Sorted, distinct claim ids; for positional terms (text words) each id
/// with the ascending positions of the word in the claim's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingList {
    /// The ids, ascending.
    pub ids: Vec<u64>,
    /// For positional lists: where the positions of each id end in
    /// `positions` (so id `i` has `positions[ends[i-1]..ends[i]]`).
    pub ends: Vec<u32>,
    /// For positional lists: every id's positions, one after another.
    pub positions: Vec<u32>,
    /// Whether the list keeps positions.
    pub positional: bool,
}

impl PostingList {
    /// An empty list, keeping positions or not.
    pub fn new(positional: bool) -> PostingList {
        PostingList { positional, ..PostingList::default() }
    }

    /// A list without positions.
    pub fn from_ids(ids: Vec<u64>) -> PostingList {
        PostingList { ids, ..PostingList::default() }
    }

    /// How many ids the list holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the list holds no id.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Appends an id (greater than every id so far, unless the list is
    /// sorted later with [`PostingList::sorted`]) with its positions; the
    /// positions are ignored by a list that does not keep them.
    pub fn push(&mut self, id: u64, positions: &[u32]) {
        self.ids.push(id);
        if self.positional {
            self.positions.extend_from_slice(positions);
            self.ends.push(self.positions.len() as u32);
        }
    }

    /// The positions of the `i`th id (empty for a list without positions).
    pub fn positions_of(&self, i: usize) -> &[u32] {
        if !self.positional {
            return &[];
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.positions[start..self.ends[i] as usize]
    }

    fn push_from(&mut self, other: &PostingList, i: usize) {
        self.push(other.ids[i], other.positions_of(i));
    }

    /// The list sorted by id, a repeated id keeping its last entry.
    pub fn sorted(self) -> PostingList {
        if self.ids.windows(2).all(|w| w[0] < w[1]) {
            return self;
        }
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by_key(|&i| self.ids[i]);
        let mut out = PostingList::new(self.positional);
        for (n, &i) in order.iter().enumerate() {
            if order.get(n + 1).is_some_and(|&next| self.ids[next] == self.ids[i]) {
                continue;
            }
            out.push_from(&self, i);
        }
        out
    }

    /// This list with `adds` merged in (an id in both takes the positions
    /// of `adds`) and the ids of `removes` (sorted) taken out.
    pub fn merge(&self, adds: &PostingList, removes: &[u64]) -> PostingList {
        let mut out = PostingList::new(self.positional);
        out.ids.reserve(self.len() + adds.len());
        let (mut i, mut j) = (0, 0);
        while i < self.len() || j < adds.len() {
            let take_add = match (self.ids.get(i), adds.ids.get(j)) {
                (Some(&a), Some(&b)) if a == b => {
                    i += 1;
                    true
                }
                (Some(&a), Some(&b)) => b < a,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => unreachable!("loop condition"),
            };
            let (list, at) = if take_add {
                j += 1;
                (adds, j - 1)
            } else {
                i += 1;
                (self, i - 1)
            };
            if removes.binary_search(&list.ids[at]).is_err() {
                out.push_from(list, at);
            }
        }
        out
    }

    /// The ranges of ids that make the list's blocks: each at most
    /// [`BLOCK_MAX`] ids and about [`BLOCK_BYTES`] bytes, filled before the
    /// next is started so that appended ids leave full blocks behind.
    pub fn block_ranges(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut bytes = 0;
        for i in 0..self.len() {
            let prev = if i == start { None } else { Some(self.ids[i - 1]) };
            let positions = self.positional.then(|| self.positions_of(i));
            let n = block_entry_len(prev, self.ids[i], positions);
            if i > start && (i - start == BLOCK_MAX || bytes + n > BLOCK_BYTES) {
                out.push(start..i);
                start = i;
                bytes = block_entry_len(None, self.ids[i], positions);
            } else {
                bytes += n;
            }
        }
        if start < self.len() {
            out.push(start..self.len());
        }
        out
    }
}

/// The ids in both sorted lists.
pub fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    if small.len() * 16 < large.len() {
        // Galloping: binary-search each id of the small list in the large one.
        let mut rest = large;
        for &id in small {
            match rest.binary_search(&id) {
                Ok(i) => {
                    out.push(id);
                    rest = &rest[i + 1..];
                }
                Err(i) => rest = &rest[i..],
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(small[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Sorts and removes repeats: the union of lists appended together.
pub fn normalize(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersections() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[3, 4, 5]), vec![3, 5]);
        let large: Vec<u64> = (0..1000).collect();
        assert_eq!(intersect(&[5, 500, 2000], &large), vec![5, 500]);
    }

    #[test]
    fn merges_keep_positions_and_order() {
        let mut old = PostingList::new(true);
        old.push(1, &[0]);
        old.push(5, &[1, 2]);
        old.push(9, &[3]);
        let mut adds = PostingList::new(true);
        adds.push(5, &[7]);
        adds.push(6, &[0]);
        let merged = old.merge(&adds, &[9]);
        assert_eq!(merged.ids, vec![1, 5, 6]);
        assert_eq!(merged.positions_of(1), &[7]);
        assert_eq!(merged.positions_of(2), &[0]);
    }

    #[test]
    fn sorting_and_blocks() {
        let mut list = PostingList::new(true);
        for id in [9u64, 3, 3, 1] {
            list.push(id, &[id as u32]);
        }
        let sorted = list.sorted();
        assert_eq!(sorted.ids, vec![1, 3, 9]);
        let big = PostingList::from_ids((0..2500).collect());
        let ranges = big.block_ranges();
        assert_eq!(ranges, vec![0..1024, 1024..2048, 2048..2500]);
    }
}
