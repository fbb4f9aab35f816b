//! Article text with spans marked (entities, dates, quotes, events), escaped for HTML: every character of the
//! text goes through [`escape`], and marks are only ever our own tags with our own attribute values (escaped too).

use std::fmt::Write;

/// One span to mark: byte offsets into the text, a CSS class, and optionally a link and a tooltip.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) class: &'static str,
    pub(crate) href: Option<String>,
    pub(crate) title: Option<String>,
}

/// Text escaped for HTML text and double- or single-quoted attribute values.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` as HTML with `marks` wrapped around their spans. Marks that nest keep their nesting; a mark that would
/// cross another one, or that does not fall on character boundaries inside the text, is left out.
pub(crate) fn marked_html(text: &str, mut marks: Vec<Mark>) -> String {
    marks.retain(|m| {
        m.start < m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    });
    marks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = String::with_capacity(text.len() + marks.len() * 48);
    let mut at = 0;
    let mut open: Vec<(usize, bool)> = Vec::new();
    let close = |out: &mut String, at: &mut usize, open: &mut Vec<(usize, bool)>, until: usize| {
        while let Some(&(end, linked)) = open.last() {
            if end > until {
                break;
            }
            escape(&text[*at..end], out);
            *at = end;
            out.push_str(if linked { "</a>" } else { "</span>" });
            open.pop();
        }
    };
    for mark in marks {
        close(&mut out, &mut at, &mut open, mark.start);
        if open.last().is_some_and(|&(end, _)| mark.end > end) || mark.start < at {
            continue;
        }
        escape(&text[at..mark.start], &mut out);
        at = mark.start;
        let linked = mark.href.is_some();
        out.push_str(if linked { "<a" } else { "<span" });
        let _ = write!(out, " class=\"mark {}\"", mark.class);
        if let Some(href) = &mark.href {
            out.push_str(" href=\"");
            escape(href, &mut out);
            out.push('"');
        }
        if let Some(title) = &mark.title {
            out.push_str(" title=\"");
            escape(title, &mut out);
            out.push('"');
        }
        out.push('>');
        open.push((mark.end, linked));
    }
    close(&mut out, &mut at, &mut open, usize::MAX);
    escape(&text[at..], &mut out);
    out
}

/// A snippet with its matched byte ranges in `<mark>`.
pub(crate) fn highlighted(text: &str, ranges: &[[usize; 2]]) -> String {
    let marks = ranges
        .iter()
        .map(|&[start, end]| Mark {
            start,
            end,
            class: "hit",
            href: None,
            title: None,
        })
        .collect();
    marked_html(text, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, href: Option<&str>) -> Mark {
        Mark {
            start,
            end,
            class: "m",
            href: href.map(str::to_owned),
            title: None,
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let text = "<script>alert(1)</script> & \"x\" 'y'";
        let html = marked_html(
            text,
            vec![mark(0, 8, Some("/e/\"><img src=x onerror=alert(1)>"))],
        );
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img"));
    }

    #[test]
    fn nested_marks_nest_and_crossing_ones_are_dropped() {
        let text = "Abu Marzouk said: we met";
        let html = marked_html(
            text,
            vec![
                mark(0, 24, None),
                mark(0, 11, Some("/e")),
                mark(8, 20, None),
            ],
        );
        assert_eq!(
            html,
            "<span class=\"mark m\"><a class=\"mark m\" href=\"/e\">Abu Marzouk</a> said: we met</span>"
        );
    }

    #[test]
    fn marks_off_character_boundaries_are_dropped() {
        let text = "é b";
        assert_eq!(marked_html(text, vec![mark(1, 3, None)]), "é b");
    }
}
