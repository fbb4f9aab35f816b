//! How the model's values are laid out in table columns, both ways.

use parallax_model::{Article, ArticleId, Origin, Place, PubDate, Reject};
use rusqlite::Row;

use crate::{ArticleSummary, Error, Result};

/// The article columns in the order [`article_from_row`] reads them.
pub(crate) const ARTICLE_COLUMNS: &str = "id, title, text, date, source, url, language, dateline, byline, \
     sections, origin_path, origin_place, origin_number, provenance, attributes";

/// The summary columns in the order [`summary_from_row`] reads them.
pub(crate) const SUMMARY_COLUMNS: &str = "id, date, source, language, title, coalesce(json_extract(provenance, '$.title') = 'derived', 0)";

/// The reject columns in the order [`reject_from_row`] reads them.
pub(crate) const REJECT_COLUMNS: &str = "origin_path, origin_place, origin_number, reason";

/// A place as two columns: its kind and its number.
pub(crate) fn place_columns(place: Place) -> (&'static str, i64) {
    match place {
        Place::Line(n) => ("line", n as i64),
        Place::Offset(n) => ("offset", n as i64),
        Place::Record(n) => ("record", n as i64),
        _ => ("file", 0),
    }
}

fn place_from_columns(kind: &str, number: i64) -> Result<Place> {
    let n = number as u64;
    Ok(match kind {
        "file" => Place::File,
        "line" => Place::Line(n),
        "offset" => Place::Offset(n),
        "record" => Place::Record(n),
        other => {
            return Err(Error::Corrupt {
                what: "origin".into(),
                reason: format!("unknown place kind {other:?}"),
            });
        }
    })
}

/// JSON for a map or list column; `None` (SQL NULL) when empty, which keeps most rows small.
pub(crate) fn json_column<T: serde::Serialize>(value: &T, empty: bool) -> Option<String> {
    // Serialising plain maps and lists of strings cannot fail.
    (!empty).then(|| serde_json::to_string(value).unwrap_or_default())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(
    column: Option<String>,
    what: impl FnOnce() -> String,
) -> Result<T> {
    match column {
        None => Ok(T::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| Error::Corrupt {
            what: what(),
            reason: e.to_string(),
        }),
    }
}

fn date_from_column(column: Option<String>, id: &str) -> Result<Option<PubDate>> {
    column
        .map(|s| {
            s.parse()
                .map_err(|e: parallax_model::PubDateError| Error::Corrupt {
                    what: format!("date of article {id}"),
                    reason: e.to_string(),
                })
        })
        .transpose()
}

/// An article from a row selected with [`ARTICLE_COLUMNS`].
pub(crate) fn article_from_row(row: &Row<'_>) -> Result<Article> {
    let id: String = row.get(0)?;
    let place_kind: String = row.get(11)?;
    Ok(Article {
        title: row.get(1)?,
        text: row.get(2)?,
        date: date_from_column(row.get(3)?, &id)?,
        source: row.get(4)?,
        url: row.get(5)?,
        language: row.get(6)?,
        dateline: row.get(7)?,
        byline: row.get(8)?,
        sections: from_json(row.get(9)?, || format!("sections of article {id}"))?,
        origin: Origin {
            path: row.get(10)?,
            place: place_from_columns(&place_kind, row.get(12)?)?,
        },
        provenance: from_json(row.get(13)?, || format!("provenance of article {id}"))?,
        attributes: from_json(row.get(14)?, || format!("attributes of article {id}"))?,
        id: ArticleId(id),
    })
}

/// A summary from a row selected with [`SUMMARY_COLUMNS`].
pub(crate) fn summary_from_row(row: &Row<'_>) -> Result<ArticleSummary> {
    summary_from_row_at(row, 0)
}

/// A summary from the [`SUMMARY_COLUMNS`] starting at column `at`, for queries that select other columns first.
pub(crate) fn summary_from_row_at(row: &Row<'_>, at: usize) -> Result<ArticleSummary> {
    let id: String = row.get(at)?;
    Ok(ArticleSummary {
        date: date_from_column(row.get(at + 1)?, &id)?,
        source: row.get(at + 2)?,
        language: row.get(at + 3)?,
        title: row.get(at + 4)?,
        title_derived: row.get(at + 5)?,
        id: ArticleId(id),
    })
}

/// A reject from a row selected with [`REJECT_COLUMNS`].
pub(crate) fn reject_from_row(row: &Row<'_>) -> Result<Reject> {
    let kind: String = row.get(1)?;
    Ok(Reject {
        origin: Origin {
            path: row.get(0)?,
            place: place_from_columns(&kind, row.get(2)?)?,
        },
        reason: row.get(3)?,
    })
}
