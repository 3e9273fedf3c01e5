//! The plan's revisions as a hash chain: each revision's digest covers its own fields and the
//! digest of the revision before it, so an edit anywhere in the history shows at the first
//! revision it touches; and the comparison with the history a git ref recorded, which a
//! recomputed chain cannot pass.

use super::{Revision, sha256_hex};

/// The first line of the bytes a revision's digest is taken over: names the encoding, so a
/// future change of it cannot collide with this one.
pub(crate) const DIGEST_DOMAIN: &str = "handoff-plan-revision-v1";

/// The digest of revision `r` chained to `previous` (the digest of the revision before it;
/// `None` for the first): SHA-256, lowercase hex, of the UTF-8 text
///
/// ```text
/// handoff-plan-revision-v1\n<revision>\n<at>\n<brief_sha256>\n<changed joined by ",">\n<previous or empty>\n
/// ```
///
/// No field can hold a line feed and no section name a comma (the plan schema's patterns, and
/// [`verify_chain`] refuses them), so the text names one revision only.
#[must_use]
pub(crate) fn revision_digest(r: &Revision, previous: Option<&str>) -> String {
    let text = format!(
        "{DIGEST_DOMAIN}\n{}\n{}\n{}\n{}\n{}\n",
        r.revision,
        r.at,
        r.brief_sha256,
        r.changed.join(","),
        previous.unwrap_or("")
    );
    sha256_hex(text.as_bytes())
}

/// Where a plan's chain of revisions breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainBreak {
    /// No revision carries a digest: the plan was written by a handoff that did not chain
    /// revisions. One rebuild chains the history as it stands.
    Unchained,
    /// The first revision that is not what `build` wrote after the ones before it.
    Broken {
        /// 0-based index into `revisions`.
        index: usize,
        /// The field that shows it (`revision`, `at`, `brief_sha256`, `changed`, `digest`).
        field: &'static str,
        /// What is wrong, in words.
        reason: String,
    },
}

impl ChainBreak {
    /// The revision as a person counts it and what is wrong, for messages.
    #[must_use]
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Unchained => "its revisions carry no digests (it was written by an older handoff)".to_owned(),
            Self::Broken { index, field, reason } => format!("revision {}: `{field}` {reason}", index + 1),
        }
    }
}

/// Verify the chain: numbered 1, 2, 3 … in order, times RFC 3339, each revision a new
/// version of the brief, section names plain, and each digest what [`revision_digest`] gives
/// after the digest before it.
///
/// # Errors
/// The first break ([`ChainBreak::Unchained`] when no revision has a digest at all).
pub(crate) fn verify_chain(revisions: &[Revision]) -> Result<(), ChainBreak> {
    if !revisions.is_empty() && revisions.iter().all(|r| r.digest.is_none()) {
        return Err(ChainBreak::Unchained);
    }
    let broken = |index: usize, field: &'static str, reason: String| Err(ChainBreak::Broken { index, field, reason });
    let mut previous: Option<&Revision> = None;
    for (index, r) in revisions.iter().enumerate() {
        if usize::try_from(r.revision).ok() != Some(index + 1) {
            return broken(
                index,
                "revision",
                format!(
                    "is numbered {} where {} belongs: a revision was deleted, inserted or moved",
                    r.revision,
                    index + 1
                ),
            );
        }
        if r.at.parse::<jiff::Timestamp>().is_err() {
            return broken(index, "at", format!("`{}` is not an RFC 3339 time", r.at.escape_debug()));
        }
        if r.brief_sha256.len() != 64
            || !r.brief_sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return broken(index, "brief_sha256", "is not a SHA-256 in lowercase hex".to_owned());
        }
        if let Some(bad) = r
            .changed
            .iter()
            .find(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        {
            return broken(
                index,
                "changed",
                format!("names `{}`, which is not a section of a brief", bad.escape_debug()),
            );
        }
        if let Some(p) = previous {
            // Times need not increase: `--now` and `SOURCE_DATE_EPOCH` may name any time, and
            // concurrent builds append in the order they take the lock. A changed time breaks
            // the digest; a re-sealed one only `check --base` can tell.
            if p.brief_sha256 == r.brief_sha256 {
                return broken(
                    index,
                    "brief_sha256",
                    format!(
                        "repeats revision {}'s brief: `build` adds a revision only when the brief changed",
                        p.revision
                    ),
                );
            }
        }
        let expected = revision_digest(r, previous.and_then(|p| p.digest.as_deref()));
        match &r.digest {
            None => return broken(index, "digest", "has no digest".to_owned()),
            Some(d) if *d != expected => {
                return broken(
                    index,
                    "digest",
                    "does not match the revision's fields and the digest before it (this revision or an earlier one was edited)".to_owned(),
                );
            }
            Some(_) => {}
        }
        previous = Some(r);
    }
    Ok(())
}

/// Set every revision's digest, in order (what `build` writes).
pub(super) fn seal(revisions: &mut [Revision]) {
    let mut previous: Option<String> = None;
    for r in revisions {
        let digest = revision_digest(r, previous.as_deref());
        r.digest = Some(digest.clone());
        previous = Some(digest);
    }
}

/// The first revision recorded in `base` (the plan as a git revision has it) that `current`
/// does not keep unchanged at the same place: its 0-based index and the field that differs
/// (`revisions` when `current` is shorter). A digest is compared only where `base` has one (a
/// base written before revisions were chained).
#[must_use]
pub(crate) fn first_rewritten(base: &[Revision], current: &[Revision]) -> Option<(usize, &'static str)> {
    for (index, old) in base.iter().enumerate() {
        let Some(new) = current.get(index) else { return Some((index, "revisions")) };
        let field = if old.revision != new.revision {
            "revision"
        } else if old.at != new.at {
            "at"
        } else if old.brief_sha256 != new.brief_sha256 {
            "brief_sha256"
        } else if old.changed != new.changed {
            "changed"
        } else if old.digest.is_some() && old.digest != new.digest {
            "digest"
        } else {
            continue;
        };
        return Some((index, field));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(n: u32, at: &str, brief: &str, changed: &[&str]) -> Revision {
        Revision {
            revision: n,
            at: at.into(),
            brief_sha256: sha256_hex(brief.as_bytes()),
            changed: changed.iter().map(|c| (*c).to_owned()).collect(),
            digest: None,
        }
    }

    fn chain() -> Vec<Revision> {
        let mut revisions = vec![
            rev(1, "2026-11-25T12:00:00Z", "one", &["id", "title"]),
            rev(2, "2026-11-26T12:00:00Z", "two", &["title"]),
            rev(3, "2026-11-27T12:00:00Z", "three", &["routing"]),
        ];
        seal(&mut revisions);
        revisions
    }

    fn broken_at(revisions: &[Revision]) -> (usize, &'static str) {
        match verify_chain(revisions) {
            Err(ChainBreak::Broken { index, field, .. }) => (index, field),
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }

    #[test]
    fn the_digest_is_the_documented_encoding() {
        // Computed outside Rust, as the README tells a reader to:
        // printf 'handoff-plan-revision-v1\n1\n2026-11-25T12:00:00Z\n%s\napprovers,id\n\n' \
        //   "$(printf abc | sha256sum | cut -d' ' -f1)" | sha256sum
        let r = rev(1, "2026-11-25T12:00:00Z", "abc", &["approvers", "id"]);
        assert_eq!(revision_digest(&r, None), "c5785b7ee7bfc9724c2152d8775dc653e3b53770e81938a89fb95b8072ee96fd");
        // The previous digest is part of it.
        assert_ne!(revision_digest(&r, Some("00")), revision_digest(&r, None));
    }

    #[test]
    fn a_sealed_chain_verifies_and_an_unchained_one_says_so() {
        assert_eq!(verify_chain(&chain()), Ok(()));
        let mut old = chain();
        for r in &mut old {
            r.digest = None;
        }
        assert_eq!(verify_chain(&old), Err(ChainBreak::Unchained));
        // Half chained is broken, not old.
        let mut half = chain();
        half[2].digest = None;
        assert_eq!(broken_at(&half), (2, "digest"));
    }

    #[test]
    fn every_kind_of_edit_breaks_the_chain_at_the_first_revision_it_touches() {
        // Deleted and renumbered.
        let mut deleted = chain();
        deleted.remove(1);
        deleted[1].revision = 2;
        assert_eq!(broken_at(&deleted), (1, "digest"));
        // Swapped (numbers kept with their entries, then renumbered).
        let mut swapped = chain();
        swapped.swap(1, 2);
        assert_eq!(broken_at(&swapped), (1, "revision"));
        swapped[1].revision = 2;
        swapped[2].revision = 3;
        assert_eq!(broken_at(&swapped), (1, "digest"));
        // Backdated, within order and out of it.
        let mut backdated = chain();
        backdated[1].at = "2026-11-25T13:00:00Z".into();
        assert_eq!(broken_at(&backdated), (1, "digest"));
        backdated[1].at = "2026-11-24T12:00:00Z".into();
        assert_eq!(broken_at(&backdated), (1, "digest"));
        backdated[1].at = "yesterday".into();
        assert_eq!(broken_at(&backdated), (1, "at"));
        // Rewritten brief digest or sections.
        let mut brief = chain();
        brief[1].brief_sha256 = sha256_hex(b"other");
        assert_eq!(broken_at(&brief), (1, "digest"));
        let mut changed = chain();
        changed[1].changed = vec!["routing".into()];
        assert_eq!(broken_at(&changed), (1, "digest"));
        // An appended copy, as is and renumbered.
        let mut copied = chain();
        copied.push(copied[2].clone());
        assert_eq!(broken_at(&copied), (3, "revision"));
        copied[3].revision = 4;
        assert_eq!(broken_at(&copied), (3, "brief_sha256"));
        // Even a re-sealed forgery cannot hold a line feed or a comma in a field.
        let mut odd = chain();
        odd[0].changed = vec!["id,title".into()];
        seal(&mut odd);
        assert_eq!(broken_at(&odd), (0, "changed"));
    }

    #[test]
    fn the_base_history_must_be_an_unchanged_prefix() {
        let base = chain();
        let mut longer = chain();
        longer.push(rev(4, "2026-11-28T12:00:00Z", "four", &["title"]));
        seal(&mut longer);
        assert_eq!(first_rewritten(&base, &longer), None);
        assert_eq!(first_rewritten(&base, &base[..2]), Some((2, "revisions")));
        // A rewritten and re-sealed history passes its own chain but not the base.
        let mut forged = chain();
        forged[1].at = "2026-11-25T18:00:00Z".into();
        seal(&mut forged);
        assert_eq!(verify_chain(&forged), Ok(()));
        assert_eq!(first_rewritten(&base, &forged), Some((1, "at")));
        // A base written before chaining compares without digests.
        let mut unchained = chain();
        for r in &mut unchained {
            r.digest = None;
        }
        assert_eq!(first_rewritten(&unchained, &base), None);
    }

    #[test]
    fn a_brief_digest_is_64_lowercase_hex_digits() {
        for bad in ["abc".to_owned(), "A".repeat(64), "g".repeat(64), "a".repeat(63), "a".repeat(65)] {
            let mut forged = chain();
            forged[1].brief_sha256 = bad.clone();
            seal(&mut forged);
            assert_eq!(broken_at(&forged), (1, "brief_sha256"), "{bad}");
        }
    }

    #[test]
    fn section_names_are_those_the_plan_schema_allows() {
        // schemas/plan.schema.json: each of `changed` matches ^[A-Za-z0-9_-]+$.
        let mut plain = chain();
        plain[1].changed = vec!["success_metrics".into(), "x-y".into(), "A9".into(), "_".into(), "-".into()];
        seal(&mut plain);
        assert_eq!(verify_chain(&plain), Ok(()));
        for bad in ["", "a b", "a.b", "é"] {
            let mut odd = chain();
            odd[1].changed = vec![bad.into()];
            seal(&mut odd);
            assert_eq!(broken_at(&odd), (1, "changed"), "{bad:?}");
        }
    }

    #[test]
    fn a_break_is_described_as_a_person_counts_revisions() {
        assert_eq!(
            ChainBreak::Unchained.describe(),
            "its revisions carry no digests (it was written by an older handoff)"
        );
        let broken = ChainBreak::Broken { index: 1, field: "at", reason: "is not an RFC 3339 time".into() };
        assert_eq!(broken.describe(), "revision 2: `at` is not an RFC 3339 time");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(13),
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        /// Any one edit of any revision of a sealed chain, short of re-sealing it, breaks the
        /// chain at that revision or before it.
        #[test]
        fn any_one_edit_breaks_the_chain(kind in 0usize..7, at in 0usize..3, text in "[a-z0-9:T-]{1,12}", n in 0u32..9) {
            let mut edited = chain();
            let r = &mut edited[at];
            match kind {
                0 => r.at = format!("2026-11-2{}T12:00:00Z", n),
                1 => r.brief_sha256 = sha256_hex(text.as_bytes()),
                2 => r.changed.push(text.replace([':', 'T'], "_")),
                3 => r.revision = n,
                4 => r.digest = Some(sha256_hex(text.as_bytes())),
                5 => { edited.remove(at); }
                _ => { let copy = edited[at].clone(); edited.insert(at, copy); }
            }
            if kind == 5 && at == 2 {
                // Dropping the newest revisions leaves an intact chain: only `check --base`
                // (and the stale check, for the brief) can tell.
                proptest::prop_assert_eq!(verify_chain(&edited), Ok(()));
            } else if edited != chain() {
                // An inserted copy shows at the revision after it.
                let last = if kind == 6 { at + 1 } else { at };
                match verify_chain(&edited) {
                    Err(ChainBreak::Broken { index, .. }) => proptest::prop_assert!(index <= last),
                    other => proptest::prop_assert!(false, "edit {kind} at {at} gave {other:?}"),
                }
            }
        }
    }
}
