//! A small seeded pseudo-random generator and the skewed distributions the
//! corpus needs. Written here rather than pulling in `rand` because the
//! benchmark must be reproducible bit for bit across `rand` releases, and
//! because xoshiro256** is twenty lines.

/// SplitMix64: used only to expand one `u64` seed into xoshiro's state, as
/// xoshiro's authors recommend (a zero or low-entropy state would be poor).
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**: fast, good statistical quality, fully determined by its seed.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole output is determined by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        Rng { s: [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)] }
    }

    /// An independent generator for one part of the corpus, so that changing
    /// how one part is drawn (say, texts) does not shift every other part.
    pub fn fork(seed: u64, stream: &str) -> Rng {
        // FNV-1a of the stream name, mixed into the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in stream.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng::new(seed ^ h)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A float uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        // The top 53 bits fill the mantissa exactly.
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An integer uniform in [0, n). `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        // Multiply-shift (Lemire) without the rejection step: the bias is
        // below 2^-40 for the sizes used here, far under anything measurable.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// An integer uniform in [lo, hi].
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice, uniformly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A discrete distribution over `0..n` given by weights, sampled by binary
/// search over the cumulative weights (O(log n), no allocation per draw).
#[derive(Clone, Debug)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// A distribution proportional to `weights` (all non-negative, not all 0).
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cumulative: Vec<f64> = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        assert!(total > 0.0, "weights must not all be zero");
        Weighted { cumulative }
    }

    /// Zipf-like popularity over `0..n`: item `k` has weight `1 / (k+1)^s`,
    /// so item 0 is the most popular. Real sources, outlets, topics and words
    /// all follow roughly this shape: a few very common, a long tail.
    pub fn zipf(n: usize, s: f64) -> Weighted {
        Weighted::new((1..=n).map(|k| 1.0 / (k as f64).powf(s)))
    }

    /// Draws one item.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().expect("non-empty");
        let x = rng.unit() * total;
        // First index whose cumulative weight exceeds x.
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len() - 1)
    }

    /// Draws `k` distinct items (k must not exceed the number of items with
    /// non-zero weight; the lists drawn here are tiny, so retrying is cheap).
    pub fn sample_distinct(&self, rng: &mut Rng, k: usize, out: &mut Vec<usize>) {
        out.clear();
        while out.len() < k {
            let x = self.sample(rng);
            if !out.contains(&x) {
                out.push(x);
            }
        }
    }
}
