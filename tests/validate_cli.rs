//! `handoff validate` end to end: the table of invalid briefs (each with its exact line, column,
//! field path and message, and exit status 1), the example briefs, and the hostile-input limits
//! (issue 2's invalid-brief table; issue 6's hostile briefs).
//!
//! Every expected position was checked by hand against the file: the column is where the
//! offending value (or, for an unknown or duplicate key, the key) starts.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{ROOT, handoff};

type Expected = (usize, usize, &'static str, &'static str);

/// (file in `tests/invalid/`, every diagnostic expected: line, column, field path, message).
const TABLE: &[(&str, &[Expected])] = &[
    (
        "assign-without-pod.yaml",
        &[(33, 15, "routing.rules[0].assign", "`round_robin` needs a `pod`; only `territory` may leave it out")],
    ),
    (
        "bad-duration-words.yaml",
        &[(
            5,
            15,
            "response_sla",
            "`2 hours` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
        )],
    ),
    (
        "bad-duration.yaml",
        &[(
            5,
            15,
            "response_sla",
            "`1.5h` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
        )],
    ),
    (
        "bad-enum.yaml",
        &[(
            3,
            10,
            "segment",
            "`small-business` is not one of the allowed values: `enterprise`, `mid-market`, `smb`, `partner`",
        )],
    ),
    // Ids name output files: anything that could leave the output directory is refused
    // (issue 6: `../`, absolute paths, NUL).
    (
        "absolute-id.yaml",
        &[(
            1,
            5,
            "id",
            "`/etc/handoff` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)",
        )],
    ),
    (
        "nul-in-id.yaml",
        &[(
            1,
            5,
            "id",
            "`east\\u{0}sdr` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)",
        )],
    ),
    (
        "pod-id-escape.yaml",
        &[
            (
                18,
                11,
                "capacity.pods[0].id",
                "`../east` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)",
            ),
            (33, 43, "routing.rules[0].assign.pod", "no pod `east` in `capacity.pods`; the pods are `../east`, `west`"),
            (37, 40, "routing.tests[0].expect.pod", "no pod `east` in `capacity.pods`; the pods are `../east`, `west`"),
            (39, 51, "enablement[0].pods[0]", "no pod `east` in `capacity.pods`; the pods are `../east`, `west`"),
        ],
    ),
    // Found by scripts/fuzz.sh: a huge demand made the simulation run for ever and a huge head
    // count made the routing engine ask for 96 GB; both are refused with their positions.
    (
        "huge-demand.yaml",
        &[
            (13, 18, "demand.leads_per_day", "must be at most 30000, found 1e+23"),
            (20, 13, "capacity.pods[0].reps", "a pod has at most 10000 reps"),
        ],
    ),
    (
        "bad-id.yaml",
        &[(
            1,
            5,
            "id",
            "`../../etc/passwd` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)",
        )],
    ),
    (
        "bad-pod-id.yaml",
        &[
            (
                23,
                11,
                "capacity.pods[1].id",
                "`West Team` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)",
            ),
            (34, 41, "routing.fallback.pod", "no pod `west` in `capacity.pods`; the pods are `east`, `West Team`"),
            (39, 57, "enablement[0].pods[1]", "no pod `west` in `capacity.pods`; the pods are `east`, `West Team`"),
        ],
    ),
    (
        "bad-role.yaml",
        &[(
            24,
            13,
            "capacity.pods[1].role",
            "`sdr` is not one of the allowed values: `SDR`, `BDR`, `AE`, `AM`, `PM`, `CSM`; did you mean `SDR`?",
        )],
    ),
    (
        "bad-time.yaml",
        &[(
            7,
            58,
            "business_hours.open",
            "`9am` is not a time: write `HH:MM` on the 24-hour clock, such as `08:30` or `17:30`",
        )],
    ),
    (
        "bad-timezone.yaml",
        &[(6, 11, "timezone", "`America/New_Yrok` is not an IANA time zone; did you mean `America/New_York`?")],
    ),
    (
        "billion-laughs.yaml",
        &[(
            5,
            45,
            "",
            "aliases here expand to more than 10000 values (the \"billion laughs\" shape); write the values out instead",
        )],
    ),
    ("bom-and-unknown-key.yaml", &[(4, 1, "gaol", "unknown key `gaol`; did you mean `goal`?")]),
    (
        "close-before-open.yaml",
        &[(7, 74, "business_hours.close", "closes at 09:00 but opens at 17:00: the close must come after the open")],
    ),
    ("comments-only.yaml", &[(1, 1, "", "the file is empty; a brief is a YAML mapping that starts with `id:`")]),
    ("custom-tag.yaml", &[(2, 8, "title", "the YAML tag `!!python/object:os.system` is not supported; remove it")]),
    ("date-format.yaml", &[(8, 9, "launch", "`03/01/2027` is not a date: write `YYYY-MM-DD`, such as `2027-02-01`")]),
    ("deep-flow-nesting.yaml", &[(2, 263, "", "nested deeper than 64 levels")]),
    (
        "deep-nesting.yaml",
        &[(
            67,
            129,
            "funnel.k0.k1.k2.k3.k4.k5.k6.k7.k8.k9.k10.k11.k12.k13.k14.k15.k16.k17.k18.k19.k20.k21.k22.k23.k24.k25.k26.k27.k28.k29.k30.k31.k32.k33.k34.k35.k36.k37.k38.k39.k40.k41.k42.k43.k44.k45.k46.k47.k48.k49.k50.k51.k52.k53.k54.k55.k56.k57.k58.k59.k60.k61.k62",
            "nested deeper than 64 levels",
        )],
    ),
    ("demand-both.yaml", &[(13, 3, "demand", "give only one of `leads_per_day` or `leads_per_week`")]),
    ("demand-neither.yaml", &[(13, 3, "demand", "give one of `leads_per_day` or `leads_per_week`")]),
    ("duplicate-key.yaml", &[(9, 1, "title", "duplicate key `title`: first at line 2, again at line 9; keep one")]),
    (
        "duplicate-pod.yaml",
        &[
            (23, 11, "capacity.pods[1].id", "pod id `east` is already used by capacity.pods[0]"),
            (34, 41, "routing.fallback.pod", "no pod `west` in `capacity.pods`; the pods are `east`"),
            (39, 57, "enablement[0].pods[1]", "no pod `west` in `capacity.pods`; the pods are `east`"),
        ],
    ),
    (
        "duplicate-rule.yaml",
        &[(34, 11, "routing.rules[1].id", "rule id `east-leads` is already used by routing.rules[0]")],
    ),
    ("empty-approvers.yaml", &[(44, 12, "approvers", "no approver: name at least one role that signs the packet")]),
    ("empty.yaml", &[(1, 1, "", "the file is empty; a brief is a YAML mapping that starts with `id:`")]),
    (
        "enablement-missing-pod.yaml",
        &[(39, 57, "enablement[0].pods[1]", "no pod `wset` in `capacity.pods`; did you mean `west`?")],
    ),
    ("impossible-date.yaml", &[(8, 9, "launch", "`2027-02-30` is not a real date (no such day in the calendar)")]),
    (
        "infinite-number.yaml",
        &[(
            22,
            22,
            "capacity.pods[0].touch_minutes",
            "not a finite number (`.inf` and `.nan` are not allowed); quote it for text",
        )],
    ),
    (
        "javascript-link.yaml",
        &[(
            39,
            85,
            "enablement[0].link",
            "`javascript:alert(1)` is not an allowed link: use an `http://`, `https://` or `mailto:` address",
        )],
    ),
    (
        "ladder-order.yaml",
        &[(
            43,
            13,
            "escalation.ladder[1].at",
            "steps must fire in increasing order of `at`: 0.5× comes after a step at 1×",
        )],
    ),
    ("malformed.yaml", &[(8, 1, "", "invalid YAML: invalid indentation in flow construct")]),
    (
        "missing-fallback-pod.yaml",
        &[(34, 41, "routing.fallback.pod", "no pod `north` in `capacity.pods`; the pods are `east`, `west`")],
    ),
    (
        "missing-pod.yaml",
        &[(33, 43, "routing.rules[0].assign.pod", "no pod `eastt` in `capacity.pods`; did you mean `east`?")],
    ),
    ("missing-required.yaml", &[(1, 1, "", "missing required key `capacity`")]),
    ("mix-sum.yaml", &[(15, 13, "demand.mix.region", "the shares of `region` sum to 0.9, not 1")]),
    (
        "mix-undeclared.yaml",
        &[(
            16,
            13,
            "demand.mix.regoin",
            "attribute `regoin` is not declared in `routing.attributes`; did you mean `region`?",
        )],
    ),
    (
        "mix-unknown-value.yaml",
        &[(15, 32, "demand.mix.region.wets", "`wets` is not a value of `region`; did you mean `west`?")],
    ),
    (
        "no-open-day.yaml",
        &[(7, 25, "business_hours.days", "no open day: list at least one, such as `[mon, tue, wed, thu, fri]`")],
    ),
    (
        "no-reps.yaml",
        &[(20, 13, "capacity.pods[0].reps", "pod `east` has no reps: give a head count or list the reps")],
    ),
    ("non-utf8.yaml", &[(2, 11, "", "the file is not UTF-8 text (byte 0xe9); save it as UTF-8")]),
    ("not-a-mapping.yaml", &[(1, 1, "", "expected a mapping (`key: value` lines), found a list")]),
    (
        "reps-empty-list.yaml",
        &[(20, 13, "capacity.pods[0].reps", "pod `east` has no reps: give a head count or list the reps")],
    ),
    (
        "reps-wrong-shape.yaml",
        &[(20, 13, "capacity.pods[0].reps", "expected a whole number or a list, found text `three`")],
    ),
    ("several-documents.yaml", &[(44, 1, "", "a second YAML document starts here; a brief is one document per file")]),
    ("share-over-one.yaml", &[(21, 18, "capacity.pods[0].shrinkage", "must be less than 1, found 1.5")]),
    (
        "shrinkage-and-availability.yaml",
        &[(
            22,
            21,
            "capacity.pods[0].availability",
            "give `shrinkage` or `availability`, not both (availability = 1 − shrinkage)",
        )],
    ),
    ("tabs.yaml", &[(11, 2, "", "a tab is used for indentation; indent YAML with spaces only")]),
    (
        "test-missing-pod.yaml",
        &[(37, 40, "routing.tests[0].expect.pod", "no pod `south` in `capacity.pods`; the pods are `east`, `west`")],
    ),
    (
        "test-missing-rule.yaml",
        &[(
            37,
            23,
            "routing.tests[0].expect.rule",
            "no rule `east-lead` in `routing.rules`; did you mean `east-leads`?",
        )],
    ),
    (
        "two-schema-problems.yaml",
        &[
            (
                4,
                7,
                "goal",
                "`pipelines` is not one of the allowed values: `pipeline`, `expansion`, `product-activation`, `abm`; did you mean `pipeline`?",
            ),
            (
                5,
                15,
                "response_sla",
                "`30 minutes` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
            ),
        ],
    ),
    (
        "two-semantic-problems.yaml",
        &[
            (
                6,
                11,
                "timezone",
                "`Mars/Olympus` is not an IANA time zone, such as `America/New_York` or `Europe/London`",
            ),
            (8, 9, "launch", "`2027-13-01` is not a real date (no such day in the calendar)"),
        ],
    ),
    ("unknown-key.yaml", &[(5, 1, "respnse_sla", "unknown key `respnse_sla`; did you mean `response_sla`?")]),
    (
        "unknown-nested-key.yaml",
        &[(21, 7, "capacity.pods[0].shrinkge", "unknown key `shrinkge`; did you mean `shrinkage`?")],
    ),
    ("wrong-type.yaml", &[(22, 22, "capacity.pods[0].touch_minutes", "expected a number, found text `ten`")]),
    (
        "zero-duration.yaml",
        &[(
            39,
            75,
            "enablement[0].lead_time",
            "`0d` is not a usable duration: it must be more than zero and at most ten years",
        )],
    ),
    (
        "whole-float.yaml",
        &[(
            20,
            13,
            "capacity.pods[0].reps",
            "expected a whole number, found `3.0`; write it without the decimal point",
        )],
    ),
    ("unclosed-quote.yaml", &[(2, 8, "", "invalid YAML: invalid indentation in quoted scalar")]),
    ("complex-key.yaml", &[(3, 3, "", "a key must be plain text, not a list, mapping or alias")]),
];

/// Run `handoff validate --format json` on paths; exit code and the diagnostics.
fn validate_json(paths: &[&str]) -> (i32, Vec<Value>) {
    let out = handoff().arg("validate").args(paths).args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (out.status.code().unwrap(), parsed.as_array().unwrap().clone())
}

#[test]
fn each_invalid_brief_reports_exact_positions_and_messages() {
    assert!(TABLE.len() >= 20);
    let mut failures = Vec::new();
    for (file, expected) in TABLE {
        let path = format!("tests/invalid/{file}");
        let (code, diags) = validate_json(&[&path]);
        if code != 1 {
            failures.push(format!("{file}: exit {code}, expected 1"));
        }
        let got: Vec<(usize, usize, String, String)> = diags
            .iter()
            .map(|d| {
                assert_eq!(d["file"], path.as_str());
                assert_eq!(d["severity"], "error");
                (
                    d["line"].as_u64().unwrap() as usize,
                    d["column"].as_u64().unwrap() as usize,
                    d["path"].as_str().unwrap().to_owned(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<(usize, usize, String, String)> =
            expected.iter().map(|(l, c, p, m)| (*l, *c, (*p).to_owned(), (*m).to_owned())).collect();
        if got != want {
            failures.push(format!("{file}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_file_is_in_the_table() {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("tests/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = TABLE.iter().map(|(f, _)| (*f).to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn text_format_has_the_one_line_form_and_a_caret_under_the_value() {
    let out = handoff().args(["validate", "tests/invalid/missing-pod.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "tests/invalid/missing-pod.yaml:33:43: error: routing.rules[0].assign.pod: no pod `eastt` in `capacity.pods`; did you mean `east`?"
    );
    let code = lines.iter().find(|l| l.contains("assign: { method: round_robin, pod: eastt }")).unwrap();
    let caret = lines.iter().find(|l| l.contains('^')).unwrap();
    assert_eq!(caret.find('^'), code.find("eastt"));
    assert_eq!(caret.matches('^').count(), "eastt".len());
    assert!(!stdout.contains('\u{1b}'), "no colour when not on a terminal");
    assert_eq!(*lines.last().unwrap(), "checked 1 file: 1 invalid, 1 error, 0 warnings");
}

#[test]
fn a_brief_with_two_problems_reports_both() {
    for file in ["two-schema-problems.yaml", "two-semantic-problems.yaml"] {
        let (code, diags) = validate_json(&[&format!("tests/invalid/{file}")]);
        assert_eq!(code, 1);
        assert_eq!(diags.len(), 2, "{file}: {diags:?}");
    }
}

#[test]
fn every_example_brief_validates() {
    // Without the design-risk warnings, which are opt-in (`--risks`, tested in report_formats.rs).
    let out = handoff().args(["validate", "briefs"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    let count = std::fs::read_dir(Path::new(ROOT).join("briefs")).unwrap().count();
    assert!(count >= 3);
    assert_eq!(stdout, format!("checked {count} files: all valid\n"));
    // With no path, `briefs/` is the default.
    let out = handoff().arg("validate").output().unwrap();
    assert!(out.status.success());
}

#[test]
fn example_briefs_start_with_the_schema_modeline() {
    for entry in std::fs::read_dir(Path::new(ROOT).join("briefs")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.starts_with("# yaml-language-server: $schema=../schemas/brief.schema.json\n"));
    }
}

#[test]
fn a_whole_directory_reports_every_file() {
    let (code, diags) = validate_json(&["tests/invalid"]);
    assert_eq!(code, 1);
    let expected: usize = TABLE.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(diags.len(), expected);
    // Files come in sorted order, so the report is the same on every run.
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.yaml");
    let text = std::fs::read(Path::new(ROOT).join("briefs/enterprise-pipeline.yaml")).unwrap();
    std::fs::write(&path, [b"\xEF\xBB\xBF".as_slice(), &text].concat()).unwrap();
    let out = handoff().arg("validate").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let mut text = std::fs::read_to_string(Path::new(ROOT).join("briefs/smb-activation.yaml")).unwrap();
    while text.len() <= 1 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, &text).unwrap();
    let out = handoff().arg("validate").arg(&path).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = diags[0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        format!("the file is {} bytes, over the limit of 1048576 bytes; split it or raise the limit", text.len())
    );
    assert_eq!(diags[0]["line"], 0);
}

#[test]
fn a_missing_path_is_an_error() {
    let (code, diags) = validate_json(&["tests/invalid/no-such-file.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(diags[0]["message"], "no such file or directory");
}
