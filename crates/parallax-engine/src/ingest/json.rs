//! JSON and JSON Lines: Parallax's own record shape and news-please's field names.

use std::io::BufRead;

use parallax_model::{Article, Origin, Place};
use serde_json::{Map, Value};

use super::{Item, parse_date, reject};

/// Reads one JSON object per line; a malformed line is rejected with its number and the rest go on.
pub(crate) fn read_json_lines(path: &str, input: &mut dyn BufRead, sink: &mut dyn FnMut(Item)) {
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        match input.read_line(&mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                return sink(reject(
                    path,
                    Place::Line(number),
                    format!("cannot read: {e}"),
                ));
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        let place = Place::Line(number);
        match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(map)) => sink(article_item(path, place, map)),
            Ok(_) => sink(reject(path, place, "not a JSON object")),
            Err(e) => sink(reject(path, place, format!("malformed JSON: {e}"))),
        }
    }
}

/// Reads a file holding one JSON object or an array of them.
pub(crate) fn read_json(path: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(values)) => {
            for (i, value) in values.into_iter().enumerate() {
                let place = Place::Record(i as u64 + 1);
                match value {
                    Value::Object(map) => sink(article_item(path, place, map)),
                    _ => sink(reject(path, place, "not a JSON object")),
                }
            }
        }
        Ok(Value::Object(map)) => sink(article_item(path, Place::File, map)),
        Ok(_) => sink(reject(path, Place::File, "not a JSON object or array")),
        Err(e) => sink(reject(path, Place::File, format!("malformed JSON: {e}"))),
    }
}

fn article_item(path: &str, place: Place, map: Map<String, Value>) -> Item {
    match article_from_json(map) {
        Ok(mut article) => {
            article.origin = Origin {
                path: path.to_owned(),
                place,
            };
            Item::Article(Box::new(article))
        }
        Err(reason) => reject(path, place, reason),
    }
}

/// Maps a JSON object to an article. Placeholder: Parallax's own keys only.
pub(crate) fn article_from_json(mut map: Map<String, Value>) -> Result<Article, String> {
    let mut take = |key: &str| match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let text = take("text").ok_or("no text")?;
    let mut article = Article::new(take("title").unwrap_or_default(), text);
    article.id = take("id").unwrap_or_default().as_str().into();
    article.date = take("date").as_deref().and_then(parse_date);
    article.source = take("source");
    article.url = take("url");
    article.language = take("language");
    article.attributes = map.into_iter().collect();
    Ok(article)
}
