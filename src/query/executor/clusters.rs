//! Clusters of claims linked as duplicates, for the corroboration
//! questions (`reported by at least 2 outlets`, `reported only via X`,
//! `whose only sources are anonymous`): a cluster counts as one claim, with
//! the outlets and sources of all its members.
//!
//! The clusters are built once per query, by union-find over every
//! `duplicates` link, and each cluster's members are loaded once, the first
//! time one of them is checked: the work is near-linear in the links and
//! claims, however large a cluster is.

use super::filter::Cluster;
use crate::engine::Engine;
use crate::error::Result;
use crate::model::{Claim, ClaimId, Relation};
use std::collections::HashMap;

/// Every cluster of duplicates in the database.
pub struct Clusters {
    /// Union-find parents of every claim in some link (roots map to
    /// themselves).
    parent: HashMap<ClaimId, ClaimId>,
    /// Each root's members, filled when the parents are final.
    members: HashMap<ClaimId, Vec<ClaimId>>,
    /// Each root's cluster, once loaded: the lowest existing id, the
    /// outlets and whether every source is anonymous.
    loaded: HashMap<ClaimId, (ClaimId, Cluster)>,
}

impl Clusters {
    /// Reads every `duplicates` link and joins the claims they connect.
    pub fn build(engine: &Engine) -> Result<Clusters> {
        let mut clusters = Clusters { parent: HashMap::new(), members: HashMap::new(), loaded: HashMap::new() };
        for (from, relation, to) in engine.all_links()? {
            if relation == Relation::Duplicates {
                clusters.join(from, to);
            }
        }
        let ids: Vec<ClaimId> = clusters.parent.keys().copied().collect();
        for id in ids {
            let root = clusters.root(id);
            clusters.members.entry(root).or_default().push(id);
        }
        for list in clusters.members.values_mut() {
            list.sort_unstable();
        }
        Ok(clusters)
    }

    fn root(&mut self, id: ClaimId) -> ClaimId {
        let mut root = id;
        while let Some(&p) = self.parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        // Path compression: point everything on the way at the root.
        let mut at = id;
        while at != root {
            let next = self.parent.insert(at, root).unwrap_or(root);
            at = next;
        }
        root
    }

    fn join(&mut self, a: ClaimId, b: ClaimId) {
        self.parent.entry(a).or_insert(a);
        self.parent.entry(b).or_insert(b);
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // The lower id becomes the root: deterministic, and cheap.
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent.insert(high, low);
        }
    }

    /// The cluster `claim` belongs to (itself alone when it has no
    /// duplicates), loading the other members the first time.
    pub fn of(&mut self, engine: &Engine, claim: &Claim) -> Result<Cluster> {
        if !self.parent.contains_key(&claim.id) {
            return Ok(Cluster::of(claim, std::slice::from_ref(claim)));
        }
        let root = self.root(claim.id);
        if !self.loaded.contains_key(&root) {
            let mut claims = Vec::new();
            for &id in self.members.get(&root).map(Vec::as_slice).unwrap_or_default() {
                // Members that no longer exist are left out.
                let member = if id == claim.id { Some(claim.clone()) } else { engine.claim_without_links(id)? };
                claims.extend(member);
            }
            let lowest = claims.iter().map(|c| c.id).min().unwrap_or(claim.id);
            let cluster = Cluster::of_members(&claims);
            self.loaded.insert(root, (lowest, cluster));
        }
        let (lowest, cluster) = &self.loaded[&root];
        Ok(Cluster { representative: *lowest == claim.id, ..cluster.clone() })
    }
}
