//! Interned identifiers and fixed-size sets of them.
//!
//! Names from the policy file are resolved once (at compile time for the
//! policy, at decode time for a request) to small integer ids, so a decision
//! never compares strings and never allocates. Sets are fixed-size bitsets.

use std::fmt;

macro_rules! interned {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u16);

        impl $name {
            /// The dense index of this id inside its engine.
            #[must_use]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

interned!(
    /// A registered data category.
    CategoryId
);
interned!(
    /// A registered purpose.
    PurposeId
);
interned!(
    /// A registered recipient.
    RecipientId
);
interned!(
    /// A registered tracker.
    TrackerId
);
interned!(
    /// A registered source.
    SourceId
);
interned!(
    /// A registered staff role.
    RoleId
);
interned!(
    /// A rule (clause + requirement ids) in the engine's rule table.
    RuleId
);
interned!(
    /// A purpose lock of the policy.
    LockId
);
interned!(
    /// An agreement of the policy (CUST-01, USPSPA-01, CARRIER-02).
    AgreementId
);

/// Upper bound on the members of any interned kind that lives in a [`Set`].
pub const MAX_SET: usize = 256;

/// A fixed-size bitset of up to [`MAX_SET`] ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Set<T> {
    words: [u64; 4],
    _kind: std::marker::PhantomData<T>,
}

/// Ids that can live in a [`Set`].
pub trait Member: Copy {
    /// Dense index, `< MAX_SET`.
    fn idx(self) -> usize;
    /// Rebuild from a dense index.
    fn from_idx(i: usize) -> Self;
}

macro_rules! member {
    ($name:ident) => {
        impl Member for $name {
            fn idx(self) -> usize {
                self.0 as usize
            }
            fn from_idx(i: usize) -> Self {
                // INVARIANT: sets only ever hold indices that came from ids.
                $name(i as u16)
            }
        }
    };
}
member!(CategoryId);
member!(PurposeId);
member!(RecipientId);
member!(TrackerId);
member!(SourceId);
member!(AgreementId);

impl<T: Member> Set<T> {
    /// The empty set.
    #[must_use]
    pub const fn empty() -> Self {
        Set {
            words: [0; 4],
            _kind: std::marker::PhantomData,
        }
    }

    /// The set of every index below `n`.
    #[must_use]
    pub fn all_below(n: usize) -> Self {
        let mut s = Self::empty();
        for i in 0..n.min(MAX_SET) {
            s.words[i / 64] |= 1 << (i % 64);
        }
        s
    }

    /// Add a member.
    pub fn insert(&mut self, m: T) {
        let i = m.idx();
        if i < MAX_SET {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    /// Remove a member.
    pub fn remove(&mut self, m: T) {
        let i = m.idx();
        if i < MAX_SET {
            self.words[i / 64] &= !(1 << (i % 64));
        }
    }

    /// Membership test.
    #[inline]
    #[must_use]
    pub fn contains(&self, m: T) -> bool {
        let i = m.idx();
        i < MAX_SET && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// No members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words == [0; 4]
    }

    /// Number of members.
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Union.
    #[must_use]
    pub fn union(&self, o: &Self) -> Self {
        let mut s = *self;
        for (a, b) in s.words.iter_mut().zip(o.words) {
            *a |= b;
        }
        s
    }

    /// Intersection.
    #[must_use]
    pub fn intersect(&self, o: &Self) -> Self {
        let mut s = *self;
        for (a, b) in s.words.iter_mut().zip(o.words) {
            *a &= b;
        }
        s
    }

    /// Members of `self` not in `o`.
    #[must_use]
    pub fn minus(&self, o: &Self) -> Self {
        let mut s = *self;
        for (a, b) in s.words.iter_mut().zip(o.words) {
            *a &= !b;
        }
        s
    }

    /// True when the two sets share a member (no set is built).
    #[inline]
    #[must_use]
    pub fn intersects(&self, o: &Self) -> bool {
        (self.words[0] & o.words[0])
            | (self.words[1] & o.words[1])
            | (self.words[2] & o.words[2])
            | (self.words[3] & o.words[3])
            != 0
    }

    /// True when every member of `self` is in `o`.
    #[must_use]
    pub fn is_subset(&self, o: &Self) -> bool {
        self.minus(o).is_empty()
    }

    /// The first member, if any.
    #[must_use]
    pub fn first(&self) -> Option<T> {
        for (w, word) in self.words.iter().enumerate() {
            if *word != 0 {
                return Some(T::from_idx(w * 64 + word.trailing_zeros() as usize));
            }
        }
        None
    }

    /// Members in index order.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        (0..MAX_SET)
            .filter(|i| self.words[i / 64] & (1 << (i % 64)) != 0)
            .map(T::from_idx)
    }
}

impl<T: Member> Default for Set<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T: Member> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut s = Self::empty();
        for m in iter {
            s.insert(m);
        }
        s
    }
}

impl<T: Member + fmt::Debug> fmt::Debug for Set<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A set of categories.
pub type CategorySet = Set<CategoryId>;
/// A set of purposes.
pub type PurposeSet = Set<PurposeId>;
/// A set of recipients.
pub type RecipientSet = Set<RecipientId>;
/// A set of agreements (those a request's account accepted).
pub type AgreementSet = Set<AgreementId>;
/// A set of sources.
pub type SourceSet = Set<SourceId>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = CategorySet::empty();
        a.insert(CategoryId(3));
        a.insert(CategoryId(200));
        assert!(a.contains(CategoryId(3)));
        assert!(!a.contains(CategoryId(4)));
        assert_eq!(a.len(), 2);
        let b: CategorySet = [CategoryId(3)].into_iter().collect();
        assert!(b.is_subset(&a));
        assert_eq!(a.minus(&b).first(), Some(CategoryId(200)));
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            vec![CategoryId(3), CategoryId(200)]
        );
        assert!(!a.contains(CategoryId(900)));
    }
}
