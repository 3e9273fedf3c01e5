//! Reading a CRM export of actual first touches: which header holds each field (`--column
//! NAME=HEADER` maps the export's own names), then every data row as a parsed lead or a
//! malformed row with its line, column and field.
//!
//! The CSV itself is read by the lead reader `route` uses ([`crate::replay::leads`]): one reused
//! record, ragged rows, invalid UTF-8 and oversized fields reported with the line an editor
//! shows. This module adds the columns the monitor reads and their timestamps.

use std::collections::BTreeMap;
use std::io::Read;

use crate::calc::routing::{Router, trim};
use crate::replay::leads::{Header, header_excerpt};
use anyhow::bail;

use crate::replay::times::Times;

/// The two fields every export needs.
const REQUIRED: [&str; 2] = ["created_at", "first_touch_at"];

/// Parse `--column NAME=HEADER` mappings into field → header.
///
/// # Errors
/// A mapping without `=`, with an empty side, or naming a field twice.
pub fn parse_mappings(specs: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for spec in specs {
        let Some((name, header)) = spec.split_once('=') else {
            bail!("--column `{spec}`: expected NAME=HEADER, such as created_at=CreatedDate")
        };
        let (name, header) = (name.trim(), header.trim());
        if name.is_empty() || header.is_empty() {
            bail!("--column `{spec}`: expected NAME=HEADER with both sides given");
        }
        if out.insert(name.to_owned(), header.to_owned()).is_some() {
            bail!("--column `{spec}`: `{name}` is mapped twice");
        }
    }
    Ok(out)
}

/// A CRM's export headers for the monitor's fields (`--preset`), as its API and data exports
/// name them. A field the CRM has no standard property for is a custom field: its usual name is
/// given, and `--column` maps the export's own (it overrides every preset entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A Salesforce Lead export (API field names: Data Loader, Data Export, reports via the API).
    Salesforce,
    /// A HubSpot contact export (internal property names, as the CRM API and integrations write them).
    Hubspot,
}

impl Preset {
    /// The preset's name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Salesforce => "salesforce",
            Self::Hubspot => "hubspot",
        }
    }

    /// Field → header, and whether the header is a custom field (no standard one exists).
    #[must_use]
    pub fn columns(self) -> &'static [(&'static str, &'static str, bool)] {
        match self {
            // Lead: CreatedDate, Id, OwnerId (a user id) and IsConverted are standard; Salesforce
            // has no first-touch or acceptance field, so those are custom.
            Self::Salesforce => &[
                ("created_at", "CreatedDate", false),
                ("first_touch_at", "First_Touch__c", true),
                ("lead_id", "Id", false),
                ("owner", "OwnerId", false),
                ("accepted_at", "Accepted_Date__c", true),
                ("converted", "IsConverted", false),
            ],
            // Contact: all standard HubSpot properties. First touch is the owner's first
            // engagement; acceptance the day it became a sales qualified lead; converted the
            // day it became an opportunity.
            Self::Hubspot => &[
                ("created_at", "createdate", false),
                ("first_touch_at", "hs_sa_first_engagement_date", false),
                ("lead_id", "hs_object_id", false),
                ("owner", "hubspot_owner_id", false),
                ("accepted_at", "hs_lifecyclestage_salesqualifiedlead_date", false),
                ("converted", "hs_lifecyclestage_opportunity_date", false),
            ],
        }
    }
}

/// The mappings in force: `--column` first, then the preset's entries for the other fields —
/// a required one always (so a missing header is named), an optional one when the header has it.
///
/// # Errors
/// The preset's header of a required field is missing.
pub(crate) fn with_preset(
    header: &Header,
    mappings: &BTreeMap<String, String>,
    preset: Option<Preset>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = mappings.clone();
    let Some(preset) = preset else { return Ok(out) };
    for &(field, wanted, custom) in preset.columns() {
        if out.contains_key(field) {
            continue;
        }
        if header.find(wanted).is_some() {
            out.insert(field.to_owned(), wanted.to_owned());
        } else if REQUIRED.contains(&field) {
            bail!(
                "--preset {} reads {field} from `{wanted}`{}, which the header lacks; map it with --column \
                 {field}=HEADER; the header has: {}",
                preset.name(),
                if custom { " (a custom field: its name varies)" } else { "" },
                header_excerpt(&header.names)
            );
        }
    }
    Ok(out)
}

/// Where the monitor's columns are in one export.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub(crate) created_at: usize,
    pub(crate) first_touch_at: usize,
    pub(crate) pod: Option<usize>,
    pub(crate) owner: Option<usize>,
    pub(crate) lead_id: Option<usize>,
    pub(crate) accepted_at: Option<usize>,
    pub(crate) converted: Option<usize>,
    /// Column of each field the routing rules read, in the router's order (`None`: absent).
    pub(crate) routing: Vec<Option<usize>>,
    /// The header's names, for messages.
    pub(crate) names: Vec<String>,
}

/// Find the monitor's columns in `header`, through `mappings`.
///
/// # Errors
/// A mapping names a header the file lacks, a required field is missing, or the file has no
/// `pod` column and lacks a column the routing rules read (so leads cannot be placed).
pub(crate) fn columns(
    header: &Header,
    mappings: &BTreeMap<String, String>,
    router: &Router,
) -> anyhow::Result<Columns> {
    for (name, wanted) in mappings {
        if header.find(wanted).is_none() {
            bail!(
                "--column {name}={wanted}: the header has no column `{wanted}`; it has: {}",
                header_excerpt(&header.names)
            );
        }
    }
    let find = |name: &str| header.find(mappings.get(name).map_or(name, String::as_str));
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|f| find(f).is_none()).collect();
    if !missing.is_empty() {
        bail!(
            "missing column{} {} (map an export's own names with --column NAME=HEADER); the header has: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
            header_excerpt(&header.names)
        );
    }
    let routing: Vec<Option<usize>> = router.fields().iter().map(|f| find(f)).collect();
    let pod = find("pod");
    if pod.is_none() {
        let lacking: Vec<&str> =
            router.fields().iter().zip(&routing).filter(|(_, c)| c.is_none()).map(|(f, _)| f.as_str()).collect();
        if !lacking.is_empty() {
            bail!(
                "no `pod` column, and missing column{} {} that the routing rules read to place each lead; \
                 add a `pod` column or the routing fields; the header has: {}",
                if lacking.len() == 1 { "" } else { "s" },
                lacking.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
                header_excerpt(&header.names)
            );
        }
    }
    Ok(Columns {
        created_at: find("created_at").unwrap_or(0),
        first_touch_at: find("first_touch_at").unwrap_or(0),
        pod,
        owner: find("owner"),
        lead_id: find("lead_id"),
        accepted_at: find("accepted_at"),
        converted: find("converted"),
        routing,
        names: header.names.clone(),
    })
}

/// One well-formed row, borrowed from the reader's record.
#[derive(Debug)]
pub(crate) struct Actual<'a> {
    /// Created, seconds since the epoch.
    pub(crate) created: i64,
    /// First touch, seconds since the epoch (`None`: not touched yet).
    pub(crate) first_touch: Option<i64>,
    /// The `pod` value, trimmed, when given.
    pub(crate) pod: Option<&'a str>,
    /// The `owner` value, trimmed, when given.
    pub(crate) owner: Option<&'a str>,
    /// The `lead_id` value, when given.
    pub(crate) lead_id: Option<&'a str>,
    /// Accepted (an `accepted_at` time is given).
    pub(crate) accepted: bool,
    /// Converted (a `converted` value other than blank, `false`, `no`, `n` or `0`).
    pub(crate) converted: bool,
}

/// Why a row is malformed: the 1-based column (0: the whole row), the field, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based column; 0 when the row as a whole is broken.
    pub column: usize,
    /// The field's name in the export (empty for the whole row).
    pub field: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Malformed {
    fn field(columns: &Columns, col: usize, message: String) -> Self {
        Self { column: col + 1, field: columns.names.get(col).cloned().unwrap_or_default(), message }
    }

    /// A row broken as a whole (ragged, not UTF-8, an oversized field).
    pub(crate) fn row(message: String) -> Self {
        Self { column: 0, field: String::new(), message }
    }
}

const TIME_FORMS: &str = "RFC 3339 or `YYYY-MM-DD HH:MM[:SS]` in the brief's zone";

/// Parse one well-formed record, whose bytes are `whole` (checked as UTF-8 once for the record);
/// `slots` receives the routing fields' values.
pub(crate) fn parse<'a>(
    rec: &crate::replay::leads::Record<'_>,
    whole: &'a str,
    columns: &Columns,
    times: &mut Times<'_>,
    slots: &mut [Option<&'a str>],
) -> Result<Actual<'a>, Malformed> {
    // A field sliced from the record's text (`None` off a character boundary, exactly when the
    // field alone is not valid UTF-8), a cell neutralised against formulas read as its value,
    // as `route` reads an export.
    let text = |i: usize| rec.text(i, whole).map(trim).filter(|v| !v.is_empty());
    let mut time = |col: usize, what: &str| -> Result<Option<i64>, Malformed> {
        match text(col) {
            None => Ok(None),
            Some(t) => times
                .parse(t)
                .map(Some)
                .ok_or_else(|| Malformed::field(columns, col, format!("{what} `{t}` is not {TIME_FORMS}"))),
        }
    };
    let created = time(columns.created_at, "created_at")?.ok_or_else(|| {
        Malformed::field(columns, columns.created_at, format!("created_at is blank: expected {TIME_FORMS}"))
    })?;
    let first_touch = time(columns.first_touch_at, "first_touch_at")?;
    if let Some(t) = first_touch
        && t < created
    {
        return Err(Malformed::field(
            columns,
            columns.first_touch_at,
            "first_touch_at is before created_at: expected a first touch at or after creation".to_owned(),
        ));
    }
    let accepted = match columns.accepted_at {
        Some(col) => time(col, "accepted_at")?.is_some(),
        None => false,
    };
    let converted = columns
        .converted
        .and_then(text)
        .is_some_and(|v| !["false", "no", "n", "0"].iter().any(|f| v.eq_ignore_ascii_case(f)));
    for (slot, col) in slots.iter_mut().zip(&columns.routing) {
        *slot = col.and_then(text);
    }
    Ok(Actual {
        created,
        first_touch,
        pod: columns.pod.and_then(text),
        owner: columns.owner.and_then(text),
        lead_id: columns.lead_id.and_then(text),
        accepted,
        converted,
    })
}

/// A reader of an export (the lead reader `route` uses).
pub(crate) fn reader<R: Read>(input: R) -> crate::replay::leads::LeadsReader<R> {
    crate::replay::leads::leads_reader(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_parse_and_refuse_nonsense() {
        let m = parse_mappings(&["created_at=CreatedDate".into(), " owner = Owner Name ".into()]).unwrap();
        assert_eq!(m.get("created_at").map(String::as_str), Some("CreatedDate"));
        assert_eq!(m.get("owner").map(String::as_str), Some("Owner Name"));
        assert!(parse_mappings(&["created_at".into()]).is_err());
        assert!(parse_mappings(&["=x".into()]).is_err());
        assert!(parse_mappings(&["a=b".into(), "a=c".into()]).is_err());
    }

    #[test]
    fn cells_guarded_against_formulas_read_as_their_values() {
        // As `route` reads an export (and as handoff writes one, `replay::cells`): a `'` before
        // a formula character is dropped, any other `'` is kept, and a field sliced off a
        // character boundary reads as blank.
        let data = "created_at,first_touch_at,pod,owner,lead_id
                    2027-02-01 09:00,2027-02-01 09:30,'=east,'@sam,'-1
                    2027-02-01 09:00,,'east,o'neil,'+
";
        let mut rdr = reader(data.as_bytes());
        let header = crate::replay::leads::read_header_row(&mut rdr).unwrap();
        let columns = Columns {
            created_at: 0,
            first_touch_at: 1,
            pod: Some(2),
            owner: Some(3),
            lead_id: Some(4),
            accepted_at: None,
            converted: None,
            routing: Vec::new(),
            names: header.names.clone(),
        };
        let tz = jiff::tz::TimeZone::UTC;
        let mut times = Times::new(&tz);
        let mut seen = Vec::new();
        crate::replay::leads::for_each_checked(&mut rdr, &header, |_, _, rec| {
            let (rec, whole) = rec.unwrap();
            let a = parse(rec, whole, &columns, &mut times, &mut []).unwrap();
            seen.push((a.pod.map(str::to_owned), a.owner.map(str::to_owned), a.lead_id.map(str::to_owned)));
            assert_eq!(a.created, 1_801_472_400);
            Ok(())
        })
        .unwrap();
        let some = |v: &str| Some(v.to_owned());
        assert_eq!(seen, vec![(some("=east"), some("@sam"), some("-1")), (some("'east"), some("o'neil"), some("+"))]);
    }
}
